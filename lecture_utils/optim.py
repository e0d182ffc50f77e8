"""Update rules from the lecture, one pure function each.

Every rule has the same form:

    x_next, state = rule(x, dx, state, *, learning_rate, ...)

`state` is a dict (pass `{}` on the first step). A rule never modifies `x`, `dx` or the `state`
it is given; it returns a new array and a new dict. The names follow the slides' pseudocode.
"""
import numpy as np

from ._validation import check_in_range, check_positive


def _check_step(x, dx, learning_rate):
    check_positive("learning_rate", learning_rate)
    if not isinstance(x, np.ndarray) or not isinstance(dx, np.ndarray):
        raise ValueError(f"x and dx must be numpy arrays, got {type(x).__name__} and {type(dx).__name__}")
    if x.shape != dx.shape:
        raise ValueError(f"dx must have the shape of x {x.shape}, got {dx.shape}")


def sgd(x, dx, state, *, learning_rate):
    """Vanilla gradient descent: x_next = x - learning_rate * dx.

    Inputs:
    - x: parameters, any shape; dx: gradient, same shape; state: unused (returned as a copy).
    Returns: (x_next, state).
    """
    _check_step(x, dx, learning_rate)
    return x - learning_rate * dx, dict(state)


def sgd_momentum(x, dx, state, *, learning_rate, rho=0.9):
    """SGD with momentum, in the slide's form:

        v = rho * v + dx
        x_next = x - learning_rate * v

    Convention: the slide accumulates the gradient in v and scales by the learning rate when
    stepping (PyTorch's SGD with dampening=0 does the same). Other texts fold the learning rate
    into v (v = rho * v - learning_rate * dx; x += v); with a constant learning rate both give the
    same steps. Note the sign: the slide's code `x += learning_rate * vx` climbs the loss.
    State: "v", same shape as x.
    """
    _check_step(x, dx, learning_rate)
    check_in_range("rho", rho, 0.0, 1.0, high_open=True)
    v = rho * state.get("v", 0.0) + dx  # velocity: a running sum of gradients with friction rho
    return x - learning_rate * v, {**state, "v": v}


def nesterov(x, dx, state, *, learning_rate, rho=0.9):
    """Nesterov momentum after the slide's change of variables (dx is the gradient at x):

        old_v = v
        v = rho * v - learning_rate * dx
        x_next = x - rho * old_v + (1 + rho) * v

    Convention: here v carries the learning rate (v points downhill); with a constant learning rate
    this is the same step as PyTorch's SGD(nesterov=True).
    State: "v", same shape as x.
    """
    _check_step(x, dx, learning_rate)
    check_in_range("rho", rho, 0.0, 1.0, high_open=True)
    old_v = state.get("v", 0.0)
    v = rho * old_v - learning_rate * dx
    return x - rho * old_v + (1 + rho) * v, {**state, "v": v}


def adagrad(x, dx, state, *, learning_rate, eps=1e-7):
    """AdaGrad: per-coordinate steps scaled by the root of the summed squared gradients.

        grad_squared += dx * dx
        x_next = x - learning_rate * dx / (sqrt(grad_squared) + eps)

    The sum only grows, so the effective step decays towards zero.
    State: "grad_squared", same shape as x.
    """
    _check_step(x, dx, learning_rate)
    grad_squared = state.get("grad_squared", 0.0) + dx * dx
    x_next = x - learning_rate * dx / (np.sqrt(grad_squared) + eps)
    return x_next, {**state, "grad_squared": grad_squared}


def rmsprop(x, dx, state, *, learning_rate, decay_rate=0.99, eps=1e-7):
    """RMSProp: AdaGrad with a leaky (exponentially decaying) sum of squared gradients.

        grad_squared = decay_rate * grad_squared + (1 - decay_rate) * dx * dx
        x_next = x - learning_rate * dx / (sqrt(grad_squared) + eps)

    Convention: decay_rate is PyTorch's `alpha`.
    State: "grad_squared", same shape as x.
    """
    _check_step(x, dx, learning_rate)
    check_in_range("decay_rate", decay_rate, 0.0, 1.0, high_open=True)
    grad_squared = decay_rate * state.get("grad_squared", 0.0) + (1 - decay_rate) * dx * dx
    x_next = x - learning_rate * dx / (np.sqrt(grad_squared) + eps)
    return x_next, {**state, "grad_squared": grad_squared}


def _adam_direction(dx, state, beta1, beta2, eps):
    """Shared by adam and adamw: the bias-corrected step direction and the new state."""
    check_in_range("beta1", beta1, 0.0, 1.0, high_open=True)
    check_in_range("beta2", beta2, 0.0, 1.0, high_open=True)
    t = state.get("t", 0) + 1  # incremented before use: the first step has t = 1
    first_moment = beta1 * state.get("first_moment", 0.0) + (1 - beta1) * dx  # momentum
    second_moment = beta2 * state.get("second_moment", 0.0) + (1 - beta2) * dx * dx  # RMSProp
    first_unbias = first_moment / (1 - beta1**t)  # bias correction: both moments start at zero
    second_unbias = second_moment / (1 - beta2**t)
    direction = first_unbias / (np.sqrt(second_unbias) + eps)
    new_state = {**state, "first_moment": first_moment, "second_moment": second_moment, "t": t}
    return direction, new_state


def adam(x, dx, state, *, learning_rate=1e-3, beta1=0.9, beta2=0.999, eps=1e-7):
    """Adam: momentum on the gradient, RMSProp on its square, both bias-corrected.

        t += 1
        first_moment = beta1 * first_moment + (1 - beta1) * dx
        second_moment = beta2 * second_moment + (1 - beta2) * dx * dx
        first_unbias = first_moment / (1 - beta1 ** t)
        second_unbias = second_moment / (1 - beta2 ** t)
        x_next = x - learning_rate * first_unbias / (sqrt(second_unbias) + eps)

    Convention: eps is the slide's 1e-7 (PyTorch's default is 1e-8). The slide's last line has a
    stray closing parenthesis, and its loop starts at t = 1 as this function does.
    State: "first_moment", "second_moment" (shape of x) and "t" (the number of steps taken).
    """
    _check_step(x, dx, learning_rate)
    direction, state = _adam_direction(dx, state, beta1, beta2, eps)
    return x - learning_rate * direction, state


def adamw(x, dx, state, *, learning_rate=1e-3, beta1=0.9, beta2=0.999, eps=1e-7, weight_decay=1e-2):
    """AdamW (Loshchilov and Hutter): Adam plus weight decay decoupled from the gradient.

        x_next = x - learning_rate * (first_unbias / (sqrt(second_unbias) + eps) + weight_decay * x)

    Convention: the decay is scaled by the learning rate, as in PyTorch's AdamW; it is not added
    to dx, so the adaptive denominator does not shrink it (that is what "decoupled" means).
    State: as adam.
    """
    _check_step(x, dx, learning_rate)
    check_positive("weight_decay", weight_decay, allow_zero=True)
    direction, state = _adam_direction(dx, state, beta1, beta2, eps)
    return x - learning_rate * (direction + weight_decay * x), state


def adam_without_bias_correction(x, dx, state, *, learning_rate=1e-3, beta1=0.9, beta2=0.999, eps=1e-7):
    """Adam with the bias-correction lines left out (x_next = x - learning_rate * first_moment /
    (sqrt(second_moment) + eps)): notebook 07's demonstration of why the correction is there. Not in RULES."""
    _check_step(x, dx, learning_rate)
    _, state = _adam_direction(dx, state, beta1, beta2, eps)
    return x - learning_rate * state["first_moment"] / (np.sqrt(state["second_moment"]) + eps), state


RULES = {
    "sgd": sgd,
    "sgd_momentum": sgd_momentum,
    "nesterov": nesterov,
    "adagrad": adagrad,
    "rmsprop": rmsprop,
    "adam": adam,
    "adamw": adamw,
}
