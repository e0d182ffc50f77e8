"""Activation functions as forward/backward pairs.

`<name>_forward(x, ...) -> (out, cache)` and `<name>_backward(dout, cache) -> dx`. Elementwise
functions take `x` of any shape; `dout` has the shape of `out`.
"""
import functools

import numpy as np

from ._validation import as_float_array, check_choice, check_positive, check_shape


def sigmoid_forward(x):
    """sigma(x) = 1 / (1 + exp(-x)), in (0, 1); saturates for |x| >> 1 and is not zero-centred.

    Returns: (out, cache) with out of the shape of x.
    """
    x = as_float_array("x", x)
    out = 0.5 * (1 + np.tanh(0.5 * x))  # the same function, without exp overflow for x << 0
    return out, out


def sigmoid_backward(dout, cache):
    """d sigma / dx = sigma * (1 - sigma), at most 1/4: every sigmoid layer shrinks the gradient."""
    out = cache
    return dout * out * (1 - out)


def tanh_forward(x):
    """tanh(x), in (-1, 1): zero-centred, but saturates like the sigmoid."""
    out = np.tanh(as_float_array("x", x))
    return out, out


def tanh_backward(dout, cache):
    """d tanh / dx = 1 - tanh(x) ** 2."""
    out = cache
    return dout * (1 - out * out)


def relu_forward(x):
    """ReLU: max(0, x). No saturation for x > 0; the gradient is exactly 0 for x < 0."""
    x = as_float_array("x", x)
    return np.maximum(x, 0), x


def relu_backward(dout, cache):
    """The gradient passes where x > 0 and is cut where x <= 0 (a unit that never fires is "dead")."""
    x = cache
    return dout * (x > 0)


def leaky_relu_forward(x, alpha=0.01):
    """Leaky ReLU: x where x > 0, else alpha * x (the slide writes max(0.1x, x), i.e. alpha = 0.1)."""
    x = as_float_array("x", x)
    check_positive("alpha", alpha, allow_zero=True)
    return np.where(x > 0, x, alpha * x), (x, alpha)


def leaky_relu_backward(dout, cache):
    """1 where x > 0, alpha elsewhere: the negative side keeps a small gradient, so units cannot die."""
    x, alpha = cache
    return dout * np.where(x > 0, 1.0, alpha).astype(dout.dtype)


def elu_forward(x, alpha=1.0):
    """ELU (Clevert et al., 2015): x where x > 0, else alpha * (exp(x) - 1).

    Negative outputs saturate at -alpha, which makes mean activations closer to zero than ReLU's.
    """
    x = as_float_array("x", x)
    check_positive("alpha", alpha, allow_zero=True)
    negative = alpha * np.expm1(np.minimum(x, 0))  # min(x, 0): exp never sees a large positive x
    out = np.where(x > 0, x, negative)
    return out, (x, out, alpha)


def elu_backward(dout, cache):
    """1 where x > 0, else alpha * exp(x) = out + alpha."""
    x, out, alpha = cache
    return dout * np.where(x > 0, 1.0, out + alpha)


def prelu_forward(x, alpha):
    """Parametric ReLU (He et al., 2015): leaky ReLU whose slope alpha is learned per feature.

    Inputs:
    - x: (N, D)
    - alpha: (D,), the slope of the negative side of each feature
    Returns: (out, cache), out: (N, D)
    """
    x = as_float_array("x", x, ndim=2)
    alpha = as_float_array("alpha", alpha)
    check_shape("alpha", alpha, (x.shape[1],))
    out = np.where(x > 0, x, alpha * x)  # alpha (D,) broadcasts over the N rows
    return out, (x, alpha)


def prelu_backward(dout, cache):
    """Returns (dx, dalpha): dx (N, D), dalpha (D,) = sum over the batch of x * dout where x <= 0."""
    x, alpha = cache
    positive = x > 0
    dx = np.where(positive, dout, alpha * dout)
    dalpha = np.sum(np.where(positive, 0.0, x * dout), axis=0)
    return dx, dalpha


def maxout_forward(x, w, b):
    """Maxout (Goodfellow et al., 2013): the max of k affine maps, max_k(x @ w[k] + b[k]).

    Inputs:
    - x: (N, D)
    - w: (k, D, M)
    - b: (k, M)
    Returns: (out, cache), out: (N, M)
    """
    x = as_float_array("x", x, ndim=2)
    w = as_float_array("w", w, ndim=3)
    b = as_float_array("b", b, ndim=2)
    check_shape("w", w, (None, x.shape[1], None))
    check_shape("b", b, (w.shape[0], w.shape[2]))
    z = x @ w + b[:, None, :]  # (N, D) @ (k, D, M) -> (k, N, M), one BLAS product per piece; b -> (k, 1, M)
    winner = np.argmax(z, axis=0)  # (N, M): which piece is active
    out = np.take_along_axis(z, winner[None], axis=0)[0]  # (1, N, M) -> (N, M)
    return out, (x, w, winner)


def maxout_backward(dout, cache):
    """Only the winning piece of each output gets the gradient.

    Returns (dx, dw, db): dx (N, D), dw (k, D, M), db (k, M).
    """
    x, w, winner = cache
    k = w.shape[0]
    dz = (winner[None] == np.arange(k)[:, None, None]) * dout  # (k, N, M), dout routed to the winner
    dx = (dz @ w.transpose(0, 2, 1)).sum(axis=0)  # (k, N, M) @ (k, M, D) -> (k, N, D) -> (N, D)
    dw = x.T @ dz  # (D, N) @ (k, N, M) -> (k, D, M)
    db = dz.sum(axis=1)
    return dx, dw, db


def gelu_forward(x):
    """GELU (Hendrycks and Gimpel, 2016), x times the Gaussian CDF of x, in its tanh approximation:

        gelu(x) = 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x ** 3)))

    A smooth ReLU used by Transformers (BERT, GPT); not in the 2017 lecture.
    Convention: PyTorch's gelu(approximate="tanh"); the exact form uses erf and differs by < 1e-3.
    """
    x = as_float_array("x", x)
    u = np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)
    t = np.tanh(u)
    return 0.5 * x * (1 + t), (x, t)


def gelu_backward(dout, cache):
    """d gelu / dx = 0.5 * (1 + t) + 0.5 * x * (1 - t ** 2) * sqrt(2 / pi) * (1 + 3 * 0.044715 * x ** 2)."""
    x, t = cache
    du = np.sqrt(2 / np.pi) * (1 + 3 * 0.044715 * x**2)
    return dout * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * du)


ACTIVATIONS = {
    "sigmoid": (sigmoid_forward, sigmoid_backward),
    "tanh": (tanh_forward, tanh_backward),
    "relu": (relu_forward, relu_backward),
    "leaky_relu": (leaky_relu_forward, leaky_relu_backward),
    "elu": (elu_forward, elu_backward),
}


# The one table of activations: every name a model or an experiment of the course accepts, in the panels' order.
# ACTIVATIONS above is the contract's five; "gelu" adds GELU; "prelu" learns its slopes in FullyConnectedNet
# (prelu_forward) and, at its starting slope, is a leaky ReLU: that is what the experiments send through depth.
ACTIVATION_NAMES = ("sigmoid", "tanh", "relu", "leaky_relu", "prelu", "elu", "gelu")
ALPHA_DEFAULTS = {"leaky_relu": 0.01, "prelu": 0.25, "elu": 1.0}  # the slope or scale of those that have one


def activation_layer(name, alpha=None):
    """(forward(x) -> (out, cache), backward(dout, cache) -> dx) of the activation `name` (in ACTIVATION_NAMES).

    alpha is the slope (leaky_relu, prelu) or scale (elu), ALPHA_DEFAULTS[name] when None; the other activations
    have no alpha and ignore it.
    """
    check_choice("activation", name, ACTIVATION_NAMES)
    if name == "gelu":
        return gelu_forward, gelu_backward
    forward, backward = ACTIVATIONS["leaky_relu" if name == "prelu" else name]
    if name not in ALPHA_DEFAULTS:
        return forward, backward
    alpha = ALPHA_DEFAULTS[name] if alpha is None else alpha
    check_positive("alpha", alpha, allow_zero=True)
    return functools.partial(forward, alpha=alpha), backward
