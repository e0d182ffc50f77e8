"""Two-dimensional loss surfaces for watching the update rules move (lecture 7, notebook 07).

Each surface has `value(xy)` and `grad(xy)` for points xy of shape (..., 2) (a whole contour grid at once),
a plotting `window`, a `start` point and its `minimum`. `run_optimizer` walks any rule of `optim.RULES` on
one, with optional Gaussian gradient noise standing for minibatches. `momentum_rate` is the convergence
rate of SGD + momentum on a quadratic, from the eigenvalues of its iteration matrix (Goh, "Why Momentum
Really Works", Distill 2017).
"""
import math

import numpy as np

from .._validation import check_choice, check_int, check_positive
from ..optim import RULES


def _xy(xy):
    xy = np.asarray(xy, dtype=np.float64)
    if xy.shape[-1:] != (2,):
        raise ValueError(f"xy must have shape (..., 2), got {xy.shape}")
    return xy[..., 0], xy[..., 1]


class Quadratic:
    """The lecture's "taco shell": f = (x ** 2 / condition + y ** 2) / 2, steep along y, shallow along x.

    The Hessian is diag(1 / condition, 1); `condition` is its condition number.
    """

    name = "taco"

    def __init__(self, condition=30.0):
        check_positive("condition", condition)
        if condition < 1:
            raise ValueError(f"condition must be at least 1, got {condition!r}")
        self.condition = float(condition)
        self.eigenvalues = np.array([1.0 / self.condition, 1.0])
        self.window, self.start, self.minimum = ((-3.5, 1.5), (-1.0, 1.0)), (-3.0, 0.55), (0.0, 0.0)

    def value(self, xy):
        x, y = _xy(xy)
        return 0.5 * (x * x / self.condition + y * y)

    def grad(self, xy):
        x, y = _xy(xy)
        return np.stack([x / self.condition, y], axis=-1)


class Saddle:
    """f = x ** 2 / 2 + y ** 4 / 4 - y ** 2 / 2: a saddle point at the origin (f = 0, gradient 0) between two
    minima at (0, +1) and (0, -1) (f = -1/4). Started almost on the ridge, the gradient across it is tiny."""

    name = "saddle"

    def __init__(self):
        self.window, self.start, self.minimum = ((-2.5, 2.5), (-1.6, 1.6)), (-2.0, 1e-3), (0.0, 1.0)

    def value(self, xy):
        x, y = _xy(xy)
        return 0.5 * x * x + 0.25 * y ** 4 - 0.5 * y * y

    def grad(self, xy):
        x, y = _xy(xy)
        return np.stack([x, y ** 3 - y], axis=-1)


class LocalMinima:
    """f = g(x) + y ** 2 with g' = (x + 1)(x - 0.3)(x - 2): a local minimum at (-1, 0) (f = -0.77), a barrier
    at x = 0.3 (f = 0.09) and the global minimum at (2, 0) (f = -1.67)."""

    name = "local_minima"

    def __init__(self):
        self.window, self.start, self.minimum = ((-3.0, 3.2), (-1.6, 1.6)), (-2.5, 1.0), (2.0, 0.0)
        self.local_minimum = (-1.0, 0.0)

    def value(self, xy):
        x, y = _xy(xy)
        return x ** 4 / 4 - 1.3 * x ** 3 / 3 - 0.85 * x * x + 0.6 * x + y * y

    def grad(self, xy):
        x, y = _xy(xy)
        return np.stack([x ** 3 - 1.3 * x * x - 1.7 * x + 0.6, 2 * y], axis=-1)


class Rosenbrock:
    """f = (a - x) ** 2 + b * (y - x ** 2) ** 2: a long, curved, flat-bottomed valley; the minimum is (a, a ** 2)."""

    name = "rosenbrock"

    def __init__(self, a=1.0, b=100.0):
        self.a, self.b = float(a), float(b)
        self.window, self.start, self.minimum = ((-2.0, 2.0), (-1.0, 3.0)), (-1.5, 2.0), (self.a, self.a ** 2)

    def value(self, xy):
        x, y = _xy(xy)
        return (self.a - x) ** 2 + self.b * (y - x * x) ** 2

    def grad(self, xy):
        x, y = _xy(xy)
        inner = y - x * x
        return np.stack([-2 * (self.a - x) - 4 * self.b * x * inner, 2 * self.b * inner], axis=-1)


SURFACES = {"taco": Quadratic, "saddle": Saddle, "local_minima": LocalMinima, "rosenbrock": Rosenbrock}


def make_surface(name, **kwargs):
    """A surface by name: "taco" (condition=...), "saddle", "local_minima", "rosenbrock" (a=..., b=...)."""
    check_choice("name", name, SURFACES)
    return SURFACES[name](**kwargs)


def run_optimizer(surface, rule, *, learning_rate, steps=100, start=None, noise=0.0, seed=0, keep_states=False,
                  **hyper):
    """Walk `rule` (a name of optim.RULES) on `surface` for `steps` updates.

    - noise: std of Gaussian noise added to every gradient (a stand-in for minibatch noise), from
      numpy.random.default_rng(seed); start: (x, y), default the surface's start
    - keep_states: also return the rule's state after every step (for effective step sizes)
    Returns: dict with "path" (steps + 1, 2), "loss" (steps + 1,), "diverged_at" (the step whose point left
    the float range, with the path cut there, or None), and "states" if asked for.
    """
    check_choice("rule", rule, RULES)
    check_int("steps", steps, minimum=1)
    check_positive("noise", noise, allow_zero=True)
    update, rng = RULES[rule], np.random.default_rng(seed)
    x = np.array(surface.start if start is None else start, dtype=np.float64)
    if x.shape != (2,) or not np.all(np.isfinite(x)):
        raise ValueError(f"start must be a finite point (x, y), got {start!r}")
    path, states, state, diverged_at = [x], [], {}, None
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(steps):
            dx = surface.grad(x) + (noise * rng.standard_normal(2) if noise else 0.0)
            x, state = update(x, dx, state, learning_rate=learning_rate, **hyper)
            if not np.all(np.isfinite(x)) or np.abs(x).max() > 1e6 or not np.isfinite(surface.value(x)):
                diverged_at = t + 1
                break
            path.append(x)
            if keep_states:
                states.append(state)
    path = np.array(path)
    result = {"path": path, "loss": surface.value(path), "diverged_at": diverged_at}
    if keep_states:
        result["states"] = states
    return result


def momentum_rate(learning_rate, rho, eigenvalues):
    """The convergence rate of SGD + momentum (the slide's form: v = rho v + g, x -= lr v) on a quadratic with
    Hessian eigenvalues `eigenvalues`: the largest spectral radius, over the eigenvalues l, of the iteration
    matrix [[1 - lr l, -lr rho], [l, rho]] acting on (x, v). The error shrinks like rate ** t; rate >= 1
    diverges. learning_rate and rho broadcast (for a map over a grid); rho = 0 is plain gradient descent.

    The matrix has determinant rho and trace 1 - lr l + rho, so its eigenvalues are
    (trace +- sqrt(trace ** 2 - 4 rho)) / 2: complex with modulus sqrt(rho) when trace ** 2 < 4 rho.
    """
    lr, rho = np.asarray(learning_rate, dtype=np.float64), np.asarray(rho, dtype=np.float64)
    if np.any(lr <= 0) or np.any(rho < 0) or np.any(rho >= 1):
        raise ValueError("learning_rate must be > 0 and rho in [0, 1)")
    rate = np.zeros(np.broadcast(lr, rho).shape)
    for value in np.asarray(eigenvalues, dtype=np.float64).ravel():
        trace = 1 - lr * value + rho
        disc = trace * trace - 4 * rho
        root = np.sqrt(np.abs(disc))
        real = np.maximum(np.abs(trace + root), np.abs(trace - root)) / 2
        rate = np.maximum(rate, np.where(disc < 0, np.sqrt(rho), real))
    return rate


def optimal_momentum(eigenvalues):
    """Goh's optimum for a quadratic with eigenvalues in [l_min, l_max] (condition number k):
    lr = (2 / (sqrt(l_max) + sqrt(l_min))) ** 2, rho = ((sqrt(k) - 1) / (sqrt(k) + 1)) ** 2, and the rate there,
    (sqrt(k) - 1) / (sqrt(k) + 1). Plain gradient descent's best is (k - 1) / (k + 1) at lr = 2 / (l_min + l_max).
    Returns dict with "learning_rate", "rho", "rate", "gd_learning_rate", "gd_rate"."""
    values = np.asarray(eigenvalues, dtype=np.float64)
    low, high = float(values.min()), float(values.max())
    if low <= 0:
        raise ValueError(f"eigenvalues must be positive, got {values.tolist()}")
    k = high / low
    return {"learning_rate": (2 / (math.sqrt(high) + math.sqrt(low))) ** 2,
            "rho": ((math.sqrt(k) - 1) / (math.sqrt(k) + 1)) ** 2,
            "rate": (math.sqrt(k) - 1) / (math.sqrt(k) + 1),
            "gd_learning_rate": 2 / (low + high), "gd_rate": (k - 1) / (k + 1)}


def measured_rate(path, minimum, *, skip=20):
    """The rate at which a run's distance to `minimum` shrinks per step: exp of the least-squares slope of
    log ||x_t - minimum|| over the steps after `skip` (momentum's distance oscillates; the fit averages that)."""
    check_int("skip", skip, minimum=0)
    distance = np.linalg.norm(np.asarray(path) - np.asarray(minimum), axis=1)[skip:]
    distance = distance[distance > 0]
    if len(distance) < 5:
        raise ValueError(f"path needs at least 5 points with non-zero distance after skip={skip}")
    slope = np.polyfit(np.arange(len(distance)), np.log(distance), 1)[0]
    return float(np.exp(slope))


def effective_step_sizes(states, learning_rate, eps=1e-7):
    """learning_rate / (sqrt(grad_squared) + eps) after each step, per coordinate (steps, 2), from the states of
    an AdaGrad or RMSProp run (run_optimizer(..., keep_states=True)["states"])."""
    check_positive("learning_rate", learning_rate)
    if not states or "grad_squared" not in states[0]:
        raise ValueError("states must be the states of an adagrad or rmsprop run (they hold 'grad_squared')")
    return np.array([learning_rate / (np.sqrt(s["grad_squared"]) + eps) for s in states])



def optimizer_playground(surface="taco", rule="sgd_momentum", log10_lr=-0.5, rho=0.9, beta1=0.9, beta2=0.999,
                         start_x=-3.0, start_y=0.55, noise=0.0, steps=100, seed=0):
    """What notebook 07's playground panel shows: `rule` on `surface` from (start_x, start_y) with learning rate
    10 ** log10_lr; rho is momentum's rho for sgd_momentum and nesterov and RMSProp's decay_rate; beta1 and
    beta2 are Adam's and AdamW's. Plain SGD with the same learning rate runs alongside for comparison.

    Returns: dict with "surface" (the Surface), "run" and "sgd" (run_optimizer results), "hyper" (what the rule got).
    """
    if not -6.0 <= log10_lr <= 1.0:
        raise ValueError(f"log10_lr must be between -6 and 1, got {log10_lr!r}")
    for name, value in (("rho", rho), ("beta1", beta1), ("beta2", beta2)):
        if not 0.0 <= value < 1.0:
            raise ValueError(f"{name} must be in [0, 1), got {value!r}")
    check_choice("rule", rule, RULES)
    check_int("steps", steps, minimum=1)
    if steps > 2000:
        raise ValueError(f"steps must be at most 2000, got {steps}")
    hyper = {"sgd_momentum": {"rho": rho}, "nesterov": {"rho": rho}, "rmsprop": {"decay_rate": rho},
             "adam": {"beta1": beta1, "beta2": beta2}, "adamw": {"beta1": beta1, "beta2": beta2}}.get(rule, {})
    chosen, lr = make_surface(surface), 10.0 ** log10_lr
    common = dict(learning_rate=lr, steps=steps, start=(start_x, start_y), noise=noise, seed=seed)
    return {"surface": chosen, "run": run_optimizer(chosen, rule, **common, **hyper),
            "sgd": run_optimizer(chosen, "sgd", **common), "hyper": hyper, "rule": rule, "lr": lr}
