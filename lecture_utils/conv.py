"""Convolution and max pooling on (N, C, H, W) images, as forward/backward pairs.

The readable versions read their input through windows (`sliding_window_view`, a strided view with no
copy): the window of output position (i, j) is input[..., i*stride : i*stride + HH, j*stride : j*stride + WW].
Convolutions with stride 1 take a faster im2col path on flattened images (below), which tests check against
the window version and against PyTorch.
"""
from typing import NamedTuple, Optional

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._checks import as_float_array, check_int, check_shape


def _windows(x, size_h, size_w, stride):
    """(N, C, H, W) -> (N, C, H', W', size_h, size_w), a view: one window per output position."""
    windows = sliding_window_view(x, (size_h, size_w), axis=(2, 3))  # every position, stride 1
    return windows[:, :, ::stride, ::stride]  # keep every stride-th


class FlatConvCache(NamedTuple):
    x_flat: np.ndarray  # (C, N, Hp*Wp + WW - 1) padded images, each flattened row by row
    cols: Optional[np.ndarray]  # (C*HH*WW, N*H'*Wp) im2col of one chunk, or None: recompute in backward
    w: np.ndarray  # (F, C, HH, WW)
    pad: int
    x_shape: tuple  # (N, C, H, W)


def conv_forward(x, w, b, *, stride=1, pad=0):
    """A convolutional layer (cross-correlation, as in every deep-learning library).

    Inputs:
    - x: (N, C, H, W)
    - w: (F, C, HH, WW), F filters
    - b: (F,)
    - stride: step between windows; pad: zeros added on each side of H and W
    Returns: (out, cache), out: (N, F, H', W') with H' = (H + 2 * pad - HH) // stride + 1

    Stride 1 (every convolution in the course's models) takes the fast path of `_flat_conv_forward`;
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
        return _flat_conv_forward(x, w, b, pad)
    return conv_forward_windows(x, w, b, stride=stride, pad=pad)


def conv_backward(dout, cache):
    """Returns (dx, dw, db): dx (N, C, H, W), dw (F, C, HH, WW), db (F,). dout: (N, F, H', W')."""
    if isinstance(cache, FlatConvCache):
        return _flat_conv_backward(dout, cache)
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


# ----- the fast path for stride 1: im2col on flattened images, one matrix product per pass -----
#
# Flatten each padded image row by row (length Hp * Wp). Filter tap (i, j) of output pixel (r, s) reads flat
# position (r + i) * Wp + (s + j) = o + (i * Wp + j), with o = r * Wp + s. So if the output is computed on a
# "wide" grid of H' rows of Wp columns (the last WW - 1 columns of each row are junk, thrown away), the column
# of every tap is one contiguous slice of the flat image, shifted by i * Wp + j: im2col is HH * WW slice copies
# with long inner runs, and col2im HH * WW slice additions. The junk costs (Wp / W') - 1 extra work (14% for
# 14x14 images with pad 1), much less than the gathers of a window-by-window im2col.

_CHUNK_BYTES = 64 * 2**20  # bounds the im2col buffer: large batches (inference on a whole split) go in chunks


def _flat_images(x, pad, ww):
    """(N, C, H, W) -> (C, N, Hp*Wp + WW - 1): zero-padded, flattened, with a tail the last taps may read.

    Channels first, so that every copy below runs over whole flat images, never across a transpose."""
    n, c, h, w = x.shape
    hp, wp = h + 2 * pad, w + 2 * pad
    x_flat = np.zeros((c, n, hp * wp + ww - 1), x.dtype)
    x_flat[:, :, :hp * wp].reshape(c, n, hp, wp)[:, :, pad:pad + h, pad:pad + w] = x.transpose(1, 0, 2, 3)
    return x_flat


def _im2col(x_flat, hh, ww, wp, out_h):
    """(C, n, L) -> (C*HH*WW, n*H'*Wp): row (c, i, j) holds tap (i, j) of channel c at every wide output pixel."""
    c, n, _ = x_flat.shape
    p = out_h * wp  # wide output pixels per image
    cols = np.empty((c, hh, ww, n, p), x_flat.dtype)
    for i in range(hh):
        for j in range(ww):
            shift = i * wp + j
            cols[:, i, j] = x_flat[:, :, shift:shift + p]  # (C, n, p)
    return cols.reshape(c * hh * ww, n * p)


def _chunks(x_shape, w_shape, pad, itemsize):
    """Image ranges [start, stop) whose im2col buffer stays under _CHUNK_BYTES."""
    n, c, h, w = x_shape
    _, _, hh, ww = w_shape
    per_image = c * hh * ww * (h + 2 * pad - hh + 1) * (w + 2 * pad) * itemsize
    size = max(1, _CHUNK_BYTES // per_image)
    return [(start, min(start + size, n)) for start in range(0, n, size)]


def _flat_conv_forward(x, w, b, pad):
    n, c, h, width = x.shape
    f, _, hh, ww = w.shape
    hp, wp = h + 2 * pad, width + 2 * pad
    out_h, out_w = hp - hh + 1, wp - ww + 1
    x_flat = _flat_images(x, pad, ww)
    w_mat = w.reshape(f, -1)  # (F, C*HH*WW)
    out = np.empty((n, f, out_h, out_w), np.result_type(x, w))
    chunks = _chunks(x.shape, w.shape, pad, x.itemsize)
    for start, stop in chunks:
        cols = _im2col(x_flat[:, start:stop], hh, ww, wp, out_h)  # (C*HH*WW, n*H'*Wp)
        wide = (w_mat @ cols).reshape(f, stop - start, out_h, wp)  # (F, n, H', Wp)
        np.add(wide[:, :, :, :out_w].transpose(1, 0, 2, 3), b[:, None, None], out=out[start:stop])  # drop junk
    keep = cols if len(chunks) == 1 else None  # one chunk: keep its columns for the backward pass
    return out, FlatConvCache(x_flat, keep, w, pad, x.shape)


def _flat_conv_backward(dout, cache):
    x_flat, cols, w, pad, (n, c, h, width) = cache
    f, _, hh, ww = w.shape
    hp, wp = h + 2 * pad, width + 2 * pad
    out_h, out_w = dout.shape[2], dout.shape[3]
    p = out_h * wp
    db = dout.sum(axis=(0, 2, 3))
    d_wide = np.zeros((f, n, out_h, wp), dout.dtype)  # junk columns get no gradient
    d_wide[:, :, :, :out_w] = dout.transpose(1, 0, 2, 3)  # (N, F, H', W') -> (F, N, H', W')
    w_mat = w.reshape(f, -1)
    dw = np.zeros_like(w_mat)
    dx_flat = np.zeros_like(x_flat)
    for start, stop in _chunks((n, c, h, width), w.shape, pad, x_flat.itemsize):
        if cols is None or stop - start != n:
            cols = _im2col(x_flat[:, start:stop], hh, ww, wp, out_h)
        d = d_wide[:, start:stop].reshape(f, -1)  # (F, n*H'*Wp)
        dw += d @ cols.T  # (F, C*HH*WW)
        dcols = (w_mat.T @ d).reshape(c, hh, ww, stop - start, p)  # zero at the junk pixels, as d is there
        for i in range(hh):  # col2im: each tap adds its column back where it read
            for j in range(ww):
                shift = i * wp + j
                dx_flat[:, start:stop, shift:shift + p] += dcols[:, i, j]
    dx = dx_flat[:, :, :hp * wp].reshape(c, n, hp, wp)[:, :, pad:pad + h, pad:pad + width]  # crop the padding
    return np.ascontiguousarray(dx.transpose(1, 0, 2, 3)), dw.reshape(w.shape), db  # (C, N, H, W) -> (N, C, H, W)


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
