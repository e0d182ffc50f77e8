"""Layers as forward/backward pairs: affine, batch norm, layer norm, dropout, conv and max pooling.

`*_forward(...) -> (out, cache)` and `*_backward(dout, cache) -> gradients`, as in CS231n's
layers.py. Convolution and pooling live in `conv.py` and are re-exported here.
"""
from typing import NamedTuple

import numpy as np

from ._fast_masks import uniform_below  # rng.random(shape, dtype) < p, bit for bit, twice as fast
from ._validation import as_float_array, check_generator, check_in_range, check_positive, check_shape
from .conv import conv_backward, conv_forward, max_pool_backward, max_pool_forward  # noqa: F401


def affine_forward(x, w, b):
    """A fully connected layer, out = x @ w + b.

    Inputs:
    - x: (N, d_1, ..., d_k), flattened to (N, D) with D = d_1 * ... * d_k
    - w: (D, M)
    - b: (M,)
    Returns: (out, cache), out: (N, M)
    """
    x = as_float_array("x", x)
    w = as_float_array("w", w, ndim=2)
    b = as_float_array("b", b, ndim=1)
    x_flat = x.reshape(x.shape[0], -1)  # (N, d_1, ..., d_k) -> (N, D)
    check_shape("w", w, (x_flat.shape[1], None))
    check_shape("b", b, (w.shape[1],))
    out = x_flat @ w
    out += b  # in place: one pass, no second (N, M) array
    return out, (x, w)


def affine_backward(dout, cache):
    """Returns (dx, dw, db): dx in the shape of x, dw (D, M), db (M,). dout: (N, M)."""
    x, w = cache
    x_flat = x.reshape(x.shape[0], -1)  # (N, ...) -> (N, D)
    dx = (dout @ w.T).reshape(x.shape)  # (N, D) -> the shape of x
    dw = x_flat.T @ dout
    db = dout.sum(axis=0)
    return dx, dw, db


class RunningStats(NamedTuple):
    """Batch norm's running averages of the per-feature mean and variance, each (D,)."""

    mean: np.ndarray
    var: np.ndarray


class BatchNormCache(NamedTuple):
    x_hat: np.ndarray  # (N, D) normalised input
    inv_std: np.ndarray  # (D,) 1 / sqrt(var + eps)
    gamma: np.ndarray  # (D,)


def batchnorm_forward(x, gamma, beta, running, *, train, momentum=0.9, eps=1e-5):
    """Batch normalization, Algorithm 1 of Ioffe and Szegedy (2015), per feature.

    Train mode: normalise with the batch's mean and biased variance, then scale by gamma and shift
    by beta; update the running averages. Test mode: normalise with the running averages.

    Convention: `momentum` weighs the old running value,
        running = momentum * running + (1 - momentum) * batch
    (CS231n's convention; PyTorch's momentum=0.1 weighs the new value, so it is this 0.9). The
    running variance averages the biased batch variance, as the normalisation uses; PyTorch
    averages the unbiased one (times N / (N - 1)).

    Inputs:
    - x: (N, D); gamma, beta: (D,)
    - running: RunningStats(mean (D,), var (D,)), or None to start from zeros
    Returns: (out, cache, running), out: (N, D); cache is None in test mode.
    """
    x = as_float_array("x", x, ndim=2)
    check_shape("gamma", gamma, (x.shape[1],))
    check_shape("beta", beta, (x.shape[1],))
    check_in_range("momentum", momentum, 0.0, 1.0)
    check_positive("eps", eps)
    if train is not True and train is not False:
        raise ValueError(f"train must be True or False, got {train!r}")
    if running is None:
        if not train:
            raise ValueError("running is None in test mode: batch norm needs running statistics "
                             "from training (train=True) before it can run with train=False")
        running = RunningStats(np.zeros(x.shape[1], x.dtype), np.zeros(x.shape[1], x.dtype))
    elif not isinstance(running, RunningStats):
        raise ValueError(f"running must be a RunningStats(mean, var) or None, got {type(running).__name__}")

    if not train:
        out = (x - running.mean) / np.sqrt(running.var + eps) * gamma + beta
        return out, None, running

    mean = x.mean(axis=0)  # (D,) mini-batch mean
    centred = x - mean  # (N, D)
    var = np.mean(centred * centred, axis=0)  # (D,) biased variance, as in the paper (what x.var computes)
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = centred
    x_hat *= inv_std  # (N, D) normalise, in place
    out = gamma * x_hat
    out += beta  # scale and shift
    running = RunningStats(
        momentum * running.mean + (1 - momentum) * mean,
        momentum * running.var + (1 - momentum) * var,
    )
    return out, BatchNormCache(x_hat, inv_std, gamma), running


def batchnorm_backward(dout, cache):
    """Batch norm's backward in closed form.

    With dx_hat = dout * gamma, every x_i moves the batch mean and variance too, which gives

        dx = inv_std / N * (N * dx_hat - sum(dx_hat) - x_hat * sum(dx_hat * x_hat))

    (sums over the batch). Returns (dx, dgamma, dbeta): dx (N, D), dgamma and dbeta (D,).
    """
    if cache is None:
        raise ValueError("cache is None: batchnorm_backward needs the cache of a train-mode forward pass")
    return _normalize_backward(dout, cache, axis=0)


def _normalize_backward(dout, cache, axis):
    """The closed-form backward shared by batch norm (axis 0) and layer norm (axis 1)."""
    n = dout.shape[axis]
    dx_hat = dout * cache.gamma
    sum_dx_hat = dx_hat.sum(axis=axis, keepdims=True)  # the path through the mean
    sum_dx_hat_x_hat = (dx_hat * cache.x_hat).sum(axis=axis, keepdims=True)  # through the variance
    inv_std = cache.inv_std if axis == 0 else cache.inv_std[:, None]  # layer norm: (N,) -> (N, 1)
    # dx = inv_std / n * (n * dx_hat - sum_dx_hat - x_hat * sum_dx_hat_x_hat), in place in dx_hat's buffer
    dx = dx_hat
    dx *= n
    dx -= sum_dx_hat
    dx -= cache.x_hat * sum_dx_hat_x_hat
    dx *= inv_std / n
    dgamma = (dout * cache.x_hat).sum(axis=0)
    dbeta = dout.sum(axis=0)
    return dx, dgamma, dbeta


def layernorm_forward(x, gamma, beta, *, eps=1e-5):
    """Layer normalization (Ba et al., 2016): batch norm's arithmetic over the features of each row.

    It needs no running statistics and behaves the same in training and at test time.
    Inputs: x (N, D); gamma, beta (D,). Returns: (out, cache), out: (N, D).
    """
    x = as_float_array("x", x, ndim=2)
    check_shape("gamma", gamma, (x.shape[1],))
    check_shape("beta", beta, (x.shape[1],))
    check_positive("eps", eps)
    mean = x.mean(axis=1, keepdims=True)  # (N, 1)
    var = x.var(axis=1, keepdims=True)  # (N, 1), biased
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mean) * inv_std
    return gamma * x_hat + beta, BatchNormCache(x_hat, inv_std[:, 0], gamma)


def layernorm_backward(dout, cache):
    """Returns (dx, dgamma, dbeta): dx (N, D), dgamma and dbeta (D,)."""
    return _normalize_backward(dout, cache, axis=1)


def dropout_forward(x, *, keep_prob, train, rng):
    """Inverted dropout: keep each unit with probability keep_prob and scale it by 1 / keep_prob.

    Convention: keep_prob is the probability of keeping a unit (the lecture's p; PyTorch's p is
    the probability of dropping one). Because training already divides by keep_prob, the expected
    activation is unchanged and test mode returns x as it is. The original paper instead trained
    unscaled and multiplied the weights by p at test time; both give the same expectation.

    Inputs:
    - x: any shape; keep_prob in (0, 1]; train: bool; rng: numpy.random.Generator (train mode)
    Returns: (out, cache), out in the shape of x.
    """
    x = as_float_array("x", x)
    check_in_range("keep_prob", keep_prob, 0.0, 1.0, low_open=True)
    if train is not True and train is not False:
        raise ValueError(f"train must be True or False, got {train!r}")
    if not train:
        return x, None
    check_generator("rng", rng)
    mask = uniform_below(rng, x.shape, x.dtype, keep_prob) / x.dtype.type(keep_prob)  # 0 or 1/p
    return x * mask, mask


def dropout_backward(dout, cache):
    """The gradient flows through the kept units, scaled like them. Returns dx in the shape of dout."""
    mask = cache
    return dout if mask is None else dout * mask


def dropconnect_forward(x, w, b, *, keep_prob, train, rng=None):
    """An affine layer x @ (w * mask) + b whose weights are each kept with probability keep_prob in training.

    Convention: one mask per minibatch (Wan et al. draw one per example; sharing it keeps the cost of one matrix
    product), scaled by 1 / keep_prob like inverted dropout, so test mode is the plain affine layer x @ w + b (the
    mean of the masked layer; Wan et al. instead sample a Gaussian approximation at test time).
    Returns (out, cache).
    """
    check_in_range("keep_prob", keep_prob, 0.0, 1.0, low_open=True)
    if not train or keep_prob == 1.0:
        out, cache = affine_forward(x, w, b)
        return out, (cache, None)
    check_generator("rng", rng)
    w = as_float_array("w", w, ndim=2)
    mask = uniform_below(rng, w.shape, w.dtype, keep_prob) / w.dtype.type(keep_prob)
    out, cache = affine_forward(x, w * mask, b)
    return out, (cache, mask)


def dropconnect_backward(dout, cache):
    """Returns (dx, dw, db): the gradient reaches only the weights that were kept (scaled like them)."""
    affine_cache, mask = cache
    dx, dw, db = affine_backward(dout, affine_cache)
    return dx, dw if mask is None else dw * mask, db
