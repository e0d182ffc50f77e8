"""Convolution, max pooling and fractional max pooling on (N, C, H, W) images, as forward/backward pairs.

The convolution reads its input through windows (`sliding_window_view`, a strided view with no copy): the
window of output position (i, j) is input[..., i*stride : i*stride + HH, j*stride : j*stride + WW]. Convolutions
with stride 1 (every one in the course's models) run the same computation about three times faster as one matrix
product on flattened images, in the private module `_fast_conv`; tests check it against the window version here
and against PyTorch.
"""
import math
from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._fast_conv import FlatConvCache, conv_backward_flat, conv_forward_flat
from ._validation import as_float_array, check_generator, check_int, check_shape


def _windows(x, size_h, size_w, stride):
    """(N, C, H, W) -> (N, C, H', W', size_h, size_w), a view: one window per output position."""
    windows = sliding_window_view(x, (size_h, size_w), axis=(2, 3))  # every position, stride 1
    return windows[:, :, ::stride, ::stride]  # keep every stride-th


def conv_forward(x, w, b, *, stride=1, pad=0):
    """A convolutional layer (cross-correlation, as in every deep-learning library).

    Inputs:
    - x: (N, C, H, W)
    - w: (F, C, HH, WW), F filters
    - b: (F,)
    - stride: step between windows; pad: zeros added on each side of H and W
    Returns: (out, cache), out: (N, F, H', W') with H' = (H + 2 * pad - HH) // stride + 1

    Stride 1 (every convolution in the course's models) takes the fast path, `_fast_conv.conv_forward_flat`;
    other strides the readable window version, `conv_forward_windows`. Tests check that the two agree.
    """
    x = as_float_array("x", x, ndim=4)
    w = as_float_array("w", w, ndim=4)
    b = as_float_array("b", b, ndim=1)
    check_shape("w", w, (None, x.shape[1], None, None))
    check_shape("b", b, (w.shape[0],))
    check_int("stride", stride, minimum=1)
    check_int("pad", pad, minimum=0)
    _, _, hh, ww = w.shape
    if x.shape[2] + 2 * pad < hh or x.shape[3] + 2 * pad < ww:
        raise ValueError(f"x of shape {x.shape} padded by {pad} is smaller than the filter {hh}x{ww}")
    if stride == 1:
        return conv_forward_flat(x, w, b, pad)
    return conv_forward_windows(x, w, b, stride=stride, pad=pad)


def conv_backward(dout, cache):
    """Returns (dx, dw, db): dx (N, C, H, W), dw (F, C, HH, WW), db (F,). dout: (N, F, H', W')."""
    if isinstance(cache, FlatConvCache):
        return conv_backward_flat(dout, cache)
    return conv_backward_windows(dout, cache)


def conv_forward_windows(x, w, b, *, stride=1, pad=0):
    """The readable convolution: contract every window with every filter (inputs as conv_forward, unchecked)."""
    _, _, hh, ww = w.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))  # zero padding
    windows = _windows(x_pad, hh, ww, stride)  # (N, C, H', W', HH, WW)
    # contract C, HH, WW: (N, C, H', W', HH, WW) x (F, C, HH, WW) -> (N, H', W', F)
    out = np.tensordot(windows, w, axes=([1, 4, 5], [1, 2, 3]))
    out = out.transpose(0, 3, 1, 2) + b[:, None, None]  # (N, F, H', W')
    return np.ascontiguousarray(out), (x_pad, w, stride, pad)


def conv_backward_windows(dout, cache):
    """conv_forward_windows's backward: returns (dx, dw, db)."""
    x_pad, w, stride, pad = cache
    _, _, hh, ww = w.shape
    _, _, out_h, out_w = dout.shape
    windows = _windows(x_pad, hh, ww, stride)  # (N, C, H', W', HH, WW)
    db = dout.sum(axis=(0, 2, 3))
    dw = np.tensordot(dout, windows, axes=([0, 2, 3], [0, 2, 3]))  # (F, C, HH, WW)
    # each filter tap (i, j) sends dout back to the input pixels it read
    dx_pad = np.zeros_like(x_pad)
    for i in range(hh):
        for j in range(ww):
            tap = np.tensordot(dout, w[:, :, i, j], axes=([1], [0]))  # (N, H', W', C)
            dx_pad[:, :, i:i + stride * out_h:stride, j:j + stride * out_w:stride] += tap.transpose(0, 3, 1, 2)
    h, w_in = x_pad.shape[2] - 2 * pad, x_pad.shape[3] - 2 * pad
    return dx_pad[:, :, pad:pad + h, pad:pad + w_in], dw, db


class PoolCache(NamedTuple):
    x: np.ndarray  # (N, C, H, W) the input (a reference, not a copy)
    out: np.ndarray  # (N, C, H', W') each window's maximum
    size: int
    stride: int


def max_pool_forward(x, *, size=2, stride=2):
    """Max pooling over size x size windows.

    Inputs: x (N, C, H, W). Returns: (out, cache), out: (N, C, H', W'), H' = (H - size) // stride + 1
    Which position held each maximum is worked out in the backward pass, so that test-time passes skip it.
    """
    x = as_float_array("x", x, ndim=4)
    check_int("size", size, minimum=1)
    check_int("stride", stride, minimum=1)
    if x.shape[2] < size or x.shape[3] < size:
        raise ValueError(f"x of shape {x.shape} is smaller than the pooling window {size}x{size}")
    out = elementwise_max(_pool_taps(x, size, stride))
    return out, PoolCache(x, out, size, stride)


def max_pool_backward(dout, cache):
    """Each window's gradient goes to its (first) maximum. Returns dx (N, C, H, W). dout: (N, C, H', W')."""
    x, out, size, stride = cache
    _, _, out_h, out_w = dout.shape
    dx = np.zeros(x.shape, dtype=dout.dtype)
    taken = np.zeros(out.shape, dtype=bool)  # windows whose maximum is already routed (ties: the first tap wins)
    for k, tap in enumerate(_pool_taps(x, size, stride)):
        i, j = divmod(k, size)
        here = tap == out
        here &= ~taken  # the windows whose first max sits at (i, j)
        taken |= here
        dx[:, :, i:i + stride * out_h:stride, j:j + stride * out_w:stride] += dout * here
    return dx


def _pool_taps(x, size, stride):
    """Tap (i, j) of every window at once, in the order i * size + j: strided views (N, C, H', W'), no copies."""
    out_h, out_w = (x.shape[2] - size) // stride + 1, (x.shape[3] - size) // stride + 1
    return [x[:, :, i:i + stride * out_h:stride, j:j + stride * out_w:stride] for i in range(size) for j in range(size)]


def elementwise_max(candidates):
    """The elementwise maximum of a list of same-shaped arrays, without stacking them."""
    out = candidates[0].copy()
    for candidate in candidates[1:]:
        np.maximum(out, candidate, out=out)
    return out


def first_argmax(candidates, out):
    """For each element, the index of the first candidate equal to `out` (their maximum): what argmax over a
    stacked axis would pick, and PyTorch does. Returns an integer array in the candidates' shape."""
    dtype = np.int8 if len(candidates) <= 127 else np.int32
    index = np.zeros(out.shape, dtype)
    taken = candidates[0] == out  # index 0 where the first candidate holds the max
    for k in range(1, len(candidates)):
        here = candidates[k] == out
        here &= ~taken
        taken |= here
        index += here.view(np.int8).astype(dtype, copy=False) * dtype(k)  # bool as 0/1
    return index


# ----- fractional max pooling (Graham 2014): regions of 1 or 2 rows and columns, shrinking by ~sqrt(2) -----

def fractional_regions(n_in, ratio, u):
    """Graham's pseudo-random pooling boundaries: b_i = floor(ratio * (i + u)) - floor(ratio * u), i = 0..n_out,
    with n_out = floor((n_in - 1) / ratio); for 1 < ratio < 2 every region [b_i, b_{i+1}) has size 1 or 2.
    Returns (starts, ends) of the n_out regions (ends exclusive)."""
    if not 1.0 < ratio < 2.0:
        raise ValueError(f"ratio must be between 1 and 2 (exclusive), got {ratio!r}")
    n_out = int((n_in - 1) // ratio)
    if n_out < 1:
        raise ValueError(f"the input size {n_in} is too small for ratio {ratio}")
    bounds = np.floor(ratio * (np.arange(n_out + 1) + u)).astype(int) - int(math.floor(ratio * u))
    return bounds[:-1], bounds[1:]


def fractional_max_pool_forward(x, *, ratio=math.sqrt(2), rng=None, u=None):
    """Fractional max pooling of x (N, C, H, W) by `ratio` (in (1, 2)): each output is the max over a region of
    1 or 2 rows times 1 or 2 columns, the regions placed by the offsets u = (u_rows, u_cols) in [0, 1) (drawn from
    rng when u is None: a new random placement each call, shared by the minibatch).
    Returns (out, cache), out: (N, C, n_out_h, n_out_w)."""
    x = as_float_array("x", x, ndim=4)
    if u is None:
        check_generator("rng", rng)
        u = rng.random(2)
    (r0, r1), (c0, c1) = fractional_regions(x.shape[2], ratio, u[0]), fractional_regions(x.shape[3], ratio, u[1])
    rows, cols = (r0, r1 - 1), (c0, c1 - 1)  # first and last index of each region (equal for size 1)
    out = elementwise_max(_corners(x, rows, cols))
    return out, (x, rows, cols, out)


def _corners(x, rows, cols):
    """The 4 corners (first/last row x first/last column) of every region, in the order 2 * row + col: (N, C, n_h, n_w)."""
    row_picks = [np.take(x, r, axis=2) for r in rows]  # (N, C, n_h, W) each
    return [np.take(picked, c, axis=3) for picked in row_picks for c in cols]


def fractional_max_pool_backward(dout, cache):
    """The gradient goes to the position that held each region's maximum (the regions are disjoint, so every
    input position receives at most one output's gradient: a plain assignment, no accumulation)."""
    x, rows, cols, out = cache
    choice = first_argmax(_corners(x, rows, cols), out)  # (N, C, n_h, n_w): which corner holds the maximum
    dx = np.zeros(x.shape, dtype=dout.dtype)
    row_pick = np.where(choice // 2 == 0, rows[0][:, None], rows[1][:, None])  # (N, C, n_h, n_w) row indices
    col_pick = np.where(choice % 2 == 0, cols[0][None, :], cols[1][None, :])
    n, c, n_h, n_w = dout.shape
    ni, ci = np.meshgrid(np.arange(n), np.arange(c), indexing="ij")
    dx[ni[:, :, None, None], ci[:, :, None, None], row_pick, col_pick] = dout
    return dx
