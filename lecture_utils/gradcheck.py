"""Numerical gradients by centred differences, to check every analytic backward pass."""
import numpy as np


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
