"""In-place versions of the update rules, for the training loop's speed.

`optim` teaches the rules as pure functions (`x_next, state = rule(x, dx, state, ...)`), which allocate a new
array for every intermediate value of every parameter at every step. Here each rule updates `x` and the arrays
in `state` in place, through scratch buffers kept in the state, doing the same floating-point operations in the
same order: the results are bitwise equal to the pure rule's (tests/test_fast.py checks it, rule by rule).

    state = {}
    for step in ...:
        INPLACE_RULES["adam"](x, dx, state, learning_rate=1e-3)   # x and state change; nothing is returned

`training.train` uses these for the rules of optim.RULES (`inplace_twin`), after copying the model's parameters
once, so that arrays the caller holds are never changed behind their back.
"""
import numpy as np

from ._validation import check_in_range, check_positive
from . import optim
from .optim import _check_step


def _buffers(state, x, *names):
    """The state's arrays called `names` (zeros of x's shape and dtype on the first step)."""
    for name in names:
        if name not in state:
            state[name] = np.zeros_like(x)
    return [state[name] for name in names]


def sgd_(x, dx, state, *, learning_rate):
    """x -= learning_rate * dx."""
    _check_step(x, dx, learning_rate)
    (tmp,) = _buffers(state, x, "_tmp")
    np.multiply(dx, learning_rate, out=tmp)
    x -= tmp


def sgd_momentum_(x, dx, state, *, learning_rate, rho=0.9):
    """v = rho * v + dx; x -= learning_rate * v."""
    _check_step(x, dx, learning_rate)
    check_in_range("rho", rho, 0.0, 1.0, high_open=True)
    v, tmp = _buffers(state, x, "v", "_tmp")
    v *= rho
    v += dx
    np.multiply(v, learning_rate, out=tmp)
    x -= tmp


def nesterov_(x, dx, state, *, learning_rate, rho=0.9):
    """old_v = v; v = rho * v - learning_rate * dx; x += -rho * old_v + (1 + rho) * v."""
    _check_step(x, dx, learning_rate)
    check_in_range("rho", rho, 0.0, 1.0, high_open=True)
    v, tmp, rho_old_v = _buffers(state, x, "v", "_tmp", "_tmp2")
    np.multiply(v, rho, out=rho_old_v)
    x -= rho_old_v
    np.multiply(dx, learning_rate, out=tmp)
    np.subtract(rho_old_v, tmp, out=v)
    np.multiply(v, 1 + rho, out=tmp)
    x += tmp


def _scaled_step(x, dx, grad_squared, learning_rate, eps, tmp, denominator):
    """x -= learning_rate * dx / (sqrt(grad_squared) + eps), shared by AdaGrad and RMSProp."""
    np.multiply(dx, learning_rate, out=tmp)
    np.sqrt(grad_squared, out=denominator)
    denominator += eps
    tmp /= denominator
    x -= tmp


def adagrad_(x, dx, state, *, learning_rate, eps=1e-7):
    """grad_squared += dx * dx; x -= learning_rate * dx / (sqrt(grad_squared) + eps)."""
    _check_step(x, dx, learning_rate)
    grad_squared, tmp, denominator = _buffers(state, x, "grad_squared", "_tmp", "_tmp2")
    np.multiply(dx, dx, out=tmp)
    grad_squared += tmp
    _scaled_step(x, dx, grad_squared, learning_rate, eps, tmp, denominator)


def rmsprop_(x, dx, state, *, learning_rate, decay_rate=0.99, eps=1e-7):
    """grad_squared = decay_rate * grad_squared + (1 - decay_rate) * dx * dx, then as AdaGrad."""
    _check_step(x, dx, learning_rate)
    check_in_range("decay_rate", decay_rate, 0.0, 1.0, high_open=True)
    grad_squared, tmp, denominator = _buffers(state, x, "grad_squared", "_tmp", "_tmp2")
    np.multiply(dx, 1 - decay_rate, out=tmp)
    tmp *= dx
    grad_squared *= decay_rate
    grad_squared += tmp
    _scaled_step(x, dx, grad_squared, learning_rate, eps, tmp, denominator)


def _adam_direction_(dx, state, beta1, beta2, eps):
    """Adam's bias-corrected direction, left in state["_tmp"]; the moments and t updated in place."""
    check_in_range("beta1", beta1, 0.0, 1.0, high_open=True)
    check_in_range("beta2", beta2, 0.0, 1.0, high_open=True)
    first, second, direction, tmp = _buffers(state, dx, "first_moment", "second_moment", "_tmp", "_tmp2")
    state["t"] = t = state.get("t", 0) + 1
    np.multiply(dx, 1 - beta1, out=tmp)  # first = beta1 * first + (1 - beta1) * dx
    first *= beta1
    first += tmp
    np.multiply(dx, 1 - beta2, out=tmp)  # second = beta2 * second + (1 - beta2) * dx * dx
    tmp *= dx
    second *= beta2
    second += tmp
    np.divide(first, 1 - beta1**t, out=direction)  # first_unbias / (sqrt(second_unbias) + eps)
    np.divide(second, 1 - beta2**t, out=tmp)
    np.sqrt(tmp, out=tmp)
    tmp += eps
    direction /= tmp
    return direction


def adam_(x, dx, state, *, learning_rate=1e-3, beta1=0.9, beta2=0.999, eps=1e-7):
    """Adam with bias correction, as optim.adam, in place."""
    _check_step(x, dx, learning_rate)
    direction = _adam_direction_(dx, state, beta1, beta2, eps)
    direction *= learning_rate
    x -= direction


def adamw_(x, dx, state, *, learning_rate=1e-3, beta1=0.9, beta2=0.999, eps=1e-7, weight_decay=1e-2):
    """AdamW, as optim.adamw, in place: x -= learning_rate * (direction + weight_decay * x)."""
    _check_step(x, dx, learning_rate)
    check_positive("weight_decay", weight_decay, allow_zero=True)
    direction = _adam_direction_(dx, state, beta1, beta2, eps)
    tmp = state["_tmp2"]
    np.multiply(x, weight_decay, out=tmp)
    direction += tmp
    direction *= learning_rate
    x -= direction


INPLACE_RULES = {"sgd": sgd_, "sgd_momentum": sgd_momentum_, "nesterov": nesterov_, "adagrad": adagrad_,
                 "rmsprop": rmsprop_, "adam": adam_, "adamw": adamw_}
_TWINS = {getattr(optim, name): rule_ for name, rule_ in INPLACE_RULES.items()}


def inplace_twin(update):
    """The in-place version of the pure rule `update` (a function of optim), or None when there is none."""
    return _TWINS.get(update)


class FusedAdam:
    """Adam over a dict of parameters, in place: `FusedAdam(model.params).step(grads)`."""

    def __init__(self, params, *, learning_rate=1e-3, beta1=0.9, beta2=0.999, eps=1e-7):
        self.params, self.hyper = params, dict(learning_rate=learning_rate, beta1=beta1, beta2=beta2, eps=eps)
        self.states = {name: {} for name in params}

    def step(self, grads):
        for name, x in self.params.items():
            adam_(x, grads[name], self.states[name], **self.hyper)
