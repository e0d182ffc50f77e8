"""Second-order optimization (lecture 7, notebook 08): Newton's method, BFGS and L-BFGS.

- `newton`: x_{k+1} = x_k - H^{-1} g, the minimiser of the second-order Taylor expansion (the slide's
  t = -f'(x) / f''(x) in one dimension);
- `bfgs`: a dense approximation of the inverse Hessian built from gradient differences;
- `lbfgs`: the same from the last `memory` pairs only, applied by the two-loop recursion, so it needs
  O(memory * n) memory instead of O(n ** 2);
- `wolfe_line_search`: a step length satisfying the strong Wolfe conditions (Nocedal and Wright, Numerical
  Optimization, algorithms 3.5 and 3.6), which keeps the curvature pairs of (L-)BFGS positive.

Each minimiser takes `fun(x) -> (value, gradient)` and returns a `Result`.
"""
from typing import NamedTuple

import numpy as np

from .._validation import check_int, check_positive
from ..losses import softmax_loss


class Result(NamedTuple):
    x: np.ndarray
    fun: float
    nit: int  # iterations (one search direction each)
    nfev: int  # evaluations of fun, line searches included
    path: np.ndarray  # x after every iteration, (nit + 1, n)
    values: np.ndarray  # fun after every iteration
    grad_norms: np.ndarray
    converged: bool
    message: str


def newton(grad, hess, x0, *, iters=10, tol=1e-12):
    """Newton's method: x_{k+1} = x_k - hess(x_k)^{-1} grad(x_k), for at most `iters` steps or until
    ||grad|| < tol. x0 may be a float (one dimension: x - f'(x) / f''(x)) or an array.
    Returns the iterates, (steps + 1, ...) (a float array for one dimension)."""
    check_int("iters", iters, minimum=1)
    x = np.asarray(x0, dtype=np.float64)
    path = [x]
    for _ in range(iters):
        g = np.asarray(grad(x), dtype=np.float64)
        if np.linalg.norm(np.atleast_1d(g)) < tol:
            break
        h = np.asarray(hess(x), dtype=np.float64)
        x = x - (g / h if x.ndim == 0 else np.linalg.solve(h, g))
        path.append(x)
    return np.array(path)


def _check_fun(fun, x0):
    x = np.asarray(x0, dtype=np.float64).ravel().copy()
    value, grad = fun(x)
    grad = np.asarray(grad, dtype=np.float64)
    if grad.shape != x.shape:
        raise ValueError(f"fun must return (value, gradient) with the gradient shaped like x0 {x.shape}, "
                         f"got {grad.shape}")
    if not np.isfinite(value) or not np.all(np.isfinite(grad)):
        raise ValueError("fun(x0) is not finite: start from a point where the function and gradient are defined")
    return x, float(value), grad


def wolfe_line_search(fun, x, p, value, grad, *, c1=1e-4, c2=0.9, alpha0=1.0, max_iter=30):
    """A step alpha along the descent direction p satisfying the strong Wolfe conditions
    f(x + a p) <= f(x) + c1 a g.p and |g(x + a p).p| <= c2 |g.p|.

    Returns (alpha, value, grad, evaluations); alpha is None when no such step was found within max_iter
    evaluations (or p is not a descent direction).
    """
    slope0 = float(grad @ p)
    if slope0 >= 0:
        return None, value, grad, 0
    evaluations = 0

    def phi(alpha):
        nonlocal evaluations
        evaluations += 1
        v, g = fun(x + alpha * p)
        return float(v), np.asarray(g, dtype=np.float64)

    def zoom(lo, hi, v_lo):
        # bisection between a step that is too long (or went uphill) and one that is not, keeping the
        # sufficient-decrease condition at lo
        while evaluations < max_iter:
            alpha = (lo + hi) / 2
            v, g = phi(alpha)
            if not np.isfinite(v) or v > value + c1 * alpha * slope0 or v >= v_lo:
                hi = alpha
            else:
                slope = float(g @ p)
                if abs(slope) <= -c2 * slope0:
                    return alpha, v, g
                if slope * (hi - lo) >= 0:
                    hi = lo
                lo, v_lo = alpha, v
        return None, value, grad

    previous, v_previous, alpha = 0.0, value, alpha0
    while evaluations < max_iter:
        v, g = phi(alpha)
        if not np.isfinite(v) or v > value + c1 * alpha * slope0 or (evaluations > 1 and v >= v_previous):
            return (*zoom(previous, alpha, v_previous), evaluations)
        slope = float(g @ p)
        if abs(slope) <= -c2 * slope0:
            return alpha, v, g, evaluations
        if slope >= 0:
            return (*zoom(alpha, previous, v), evaluations)
        previous, v_previous, alpha = alpha, v, 2 * alpha
    return None, value, grad, evaluations


def _minimize(fun, x0, direction, update, reset, *, max_iter, tol, name):
    x, value, grad = _check_fun(fun, x0)
    check_int("max_iter", max_iter, minimum=1)
    check_positive("tol", tol)
    path, values, norms, nfev = [x.copy()], [value], [float(np.linalg.norm(grad))], 1
    message, converged = f"{name}: reached max_iter={max_iter}", False
    for k in range(max_iter):
        if norms[-1] < tol:
            message, converged = f"{name}: gradient norm below tol={tol:g}", True
            break
        p = direction(grad, k)
        alpha, new_value, new_grad, evaluations = wolfe_line_search(fun, x, p, value, grad, alpha0=1.0)
        nfev += evaluations
        if alpha is None and reset():  # forget the curvature pairs and try once more along -grad
            alpha, new_value, new_grad, evaluations = wolfe_line_search(fun, x, direction(grad, k), value, grad)
            nfev += evaluations
            p = direction(grad, k)
        if alpha is None:
            message = f"{name}: the line search found no step satisfying the Wolfe conditions at iteration {k}"
            break
        s, y = alpha * p, new_grad - grad
        x, value, grad = x + s, new_value, new_grad
        update(s, y)
        path.append(x.copy())
        values.append(value)
        norms.append(float(np.linalg.norm(grad)))
    else:
        converged = norms[-1] < tol
        if converged:
            message = f"{name}: gradient norm below tol={tol:g}"
    return Result(x, value, len(path) - 1, nfev, np.array(path), np.array(values), np.array(norms), converged,
                  message)


def bfgs(fun, x0, *, max_iter=200, tol=1e-6):
    """BFGS with a strong-Wolfe line search. fun(x) -> (value, gradient); x0 is flattened.

    The inverse-Hessian approximation H (n x n, starting at the identity, rescaled after the first step) is
    updated with each step s and gradient change y: H <- (I - r s y^T) H (I - r y s^T) + r s s^T, r = 1 / y.s.
    """
    n = np.asarray(x0).size
    state = {"H": np.eye(n)}

    def direction(grad, k):
        return -state["H"] @ grad

    def update(s, y):
        ys = float(y @ s)
        if ys <= 1e-12:  # no positive curvature along s (cannot happen after a Wolfe step): keep H
            return
        if not state.get("scaled"):
            state["H"] *= ys / float(y @ y)  # Nocedal and Wright (6.20): the scale of the true inverse Hessian
            state["scaled"] = True
        r, H = 1.0 / ys, state["H"]
        Hy = H @ y
        state["H"] = H - r * (np.outer(s, Hy) + np.outer(Hy, s)) + (r * r * float(y @ Hy) + r) * np.outer(s, s)

    def reset():
        changed = not np.array_equal(state["H"], np.eye(n))
        state["H"], state["scaled"] = np.eye(n), False
        return changed

    return _minimize(fun, x0, direction, update, reset, max_iter=max_iter, tol=tol, name="bfgs")


def lbfgs(fun, x0, *, memory=10, max_iter=500, tol=1e-6):
    """L-BFGS: BFGS with the inverse Hessian kept implicitly as the last `memory` pairs (s, y) and applied by
    the two-loop recursion (Nocedal and Wright, algorithm 7.4), with a strong-Wolfe line search."""
    check_int("memory", memory, minimum=1)
    pairs = []

    def direction(grad, k):
        q, alphas = grad.copy(), []
        for s, y, rho in reversed(pairs):  # newest first
            a = rho * float(s @ q)
            q -= a * y
            alphas.append(a)
        if pairs:
            s, y, _ = pairs[-1]
            q *= float(s @ y) / float(y @ y)  # H0 = gamma I, gamma = s.y / y.y
        for (s, y, rho), a in zip(pairs, reversed(alphas)):  # oldest first
            b = rho * float(y @ q)
            q += (a - b) * s
        return -q

    def update(s, y):
        ys = float(y @ s)
        if ys > 1e-12:
            pairs.append((s, y, 1.0 / ys))
            if len(pairs) > memory:
                pairs.pop(0)

    def reset():
        changed = bool(pairs)
        pairs.clear()
        return changed

    return _minimize(fun, x0, direction, update, reset, max_iter=max_iter, tol=tol, name="lbfgs")


def rosenbrock(x, a=1.0, b=100.0):
    """(value, gradient) of the Rosenbrock function on a flat vector x of length 2."""
    x0, x1 = x
    value = (a - x0) ** 2 + b * (x1 - x0 ** 2) ** 2
    grad = np.array([-2 * (a - x0) - 4 * b * x0 * (x1 - x0 ** 2), 2 * b * (x1 - x0 ** 2)])
    return float(value), grad


def rosenbrock_hessian(x, a=1.0, b=100.0):
    x0, x1 = x
    return np.array([[2 - 4 * b * x1 + 12 * b * x0 ** 2, -4 * b * x0], [-4 * b * x0, 2 * b]])


def softmax_regression(X, y, reg=1e-3, num_classes=10, *, batch_size=None, rng=None):
    """fun(theta) -> (value, gradient) for softmax regression on X (N, D), y (N,): theta is the flat vector of
    W (D, C) then b (C,); the loss is the mean cross-entropy plus reg * sum(W ** 2).

    Full batch by default. With batch_size, every call draws a fresh minibatch from `rng` (a
    numpy.random.Generator): the noisy function a minibatch method sees.
    """

    X = np.asarray(X, dtype=np.float64).reshape(len(X), -1)
    y = np.asarray(y)
    d = X.shape[1]
    if batch_size is not None:
        check_int("batch_size", batch_size, minimum=1)
        if rng is None:
            raise ValueError("rng is required with batch_size (a numpy.random.Generator)")

    def fun(theta):
        W, b = theta[:d * num_classes].reshape(d, num_classes), theta[d * num_classes:]
        rows = slice(None) if batch_size is None else rng.choice(len(X), batch_size, replace=False)
        loss, dscores = softmax_loss(X[rows] @ W + b, y[rows])
        dW = X[rows].T @ dscores + 2 * reg * W
        return loss + reg * float(np.sum(W * W)), np.concatenate([dW.ravel(), dscores.sum(axis=0)])

    fun.size = (d + 1) * num_classes
    return fun
