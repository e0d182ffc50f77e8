"""Numerical gradients by centred differences, to check every analytic backward pass."""
import numpy as np

from .losses import softmax_loss


def numerical_gradient(f, x, h=1e-5):
    """The gradient of a scalar function f at x, one coordinate at a time:

        df/dx_i ~ (f(x + h e_i) - f(x - h e_i)) / (2 h)

    `x` is modified in place while probing and restored afterwards, so f must read x (not a copy).
    Use float64: with float32 the rounding error of f swamps the difference for small h.
    Returns: an array in the shape of x.
    """
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        x[i] = old  # restore
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def numerical_gradient_array(f, x, dout, h=1e-5):
    """The gradient of sum(f(x) * dout) with respect to x, for an array-valued f.

    This is what a backward pass computes when the layer above sends down `dout`.
    """
    return numerical_gradient(lambda z: np.sum(f(z) * dout), x, h)


def rel_error(a, b):
    """max(|a - b| / max(1e-8, |a| + |b|)): about 1e-7 or less means a correct float64 gradient."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def step_size_sweep(log10_h=-5.0, *, seed=0, grid=tuple(range(-12, 0))):
    """How the numerical gradient's error depends on the step h, in float64 and float32.

    For a small softmax classifier (weights W of shape (5, 3), 8 examples) it compares the analytic
    gradient with numerical ones for every h = 10 ** k, k in grid, and for the chosen
    h = 10 ** log10_h. Large h: the centred difference's truncation error (about h ** 2). Small h:
    rounding error (about machine epsilon / h), far larger in float32.

    Returns: dict with "h", "grid" (the step sizes), and for "float64" and "float32" the max relative
    error at each step size ("curve") and at h ("at_h"), and the 15 gradient entries at h: "analytic" and
    "numerical" (flat float64 arrays), to see which entries go wrong and how.
    """

    if not -16 <= log10_h <= 0:
        raise ValueError(f"log10_h must be between -16 and 0, got {log10_h!r}")
    rng = np.random.default_rng(seed)
    X, y, W0 = rng.normal(size=(8, 5)), rng.integers(0, 3, 8), rng.normal(size=(5, 3))
    result = {"h": 10.0 ** log10_h, "grid": 10.0 ** np.asarray(grid, dtype=float)}
    for dtype in (np.float64, np.float32):
        Xd, W = X.astype(dtype), W0.astype(dtype)
        _, dscores = softmax_loss(Xd @ W, y)
        analytic = Xd.T @ dscores  # (5, 8) @ (8, 3) -> (5, 3)

        def numerical(h):
            return numerical_gradient(lambda w: softmax_loss(Xd @ w, y)[0], W, h)

        at_h = numerical(result["h"])
        result[np.dtype(dtype).name] = {"curve": np.array([rel_error(analytic, numerical(h)) for h in result["grid"]]),
                                        "at_h": rel_error(analytic, at_h),
                                        "analytic": analytic.ravel().astype(np.float64),
                                        "numerical": at_h.ravel().astype(np.float64)}
    return result
