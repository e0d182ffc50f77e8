"""Convolution and max pooling on (N, C, H, W) images, as forward/backward pairs.

The readable versions read their input through windows (`sliding_window_view`, a strided view with no
copy): the window of output position (i, j) is input[..., i*stride : i*stride + HH, j*stride : j*stride + WW].
Convolutions with stride 1 take a faster im2col path on flattened images (below), which tests check against
the window version and against PyTorch.
"""
from typing import NamedTuple, Optional

import numpy as np
from numpy.lib.stride_tricks import as_strided, sliding_window_view

from ._validation import as_float_array, check_int, check_shape


def _windows(x, size_h, size_w, stride):
    """(N, C, H, W) -> (N, C, H', W', size_h, size_w), a view: one window per output position."""
    windows = sliding_window_view(x, (size_h, size_w), axis=(2, 3))  # every position, stride 1
    return windows[:, :, ::stride, ::stride]  # keep every stride-th


class FlatConvCache(NamedTuple):
    x_flat: np.ndarray  # (C, N * image + margin): the padded images end to end, see _FlatGeometry
    cols: Optional[np.ndarray]  # (C*HH*WW, N * image) im2col of the only chunk, or None: recompute in backward
    w: np.ndarray  # (F, C, HH, WW)
    geo: "_FlatGeometry"  # where each image and tap sits in x_flat
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
# Lay the zero-padded images of one channel end to end in one long row, row after row, with neighbours sharing
# their padding: a gap of zero columns after each image row serves as its right padding and as the next row's left
# padding, and a gap of zero rows after each image as its bottom and the next image's top padding. With row length
# R = W + gap, filter tap (i, j) of the output pixel at flat position o reads flat position o + i * R + j. So if the
# output is computed at every flat position (the gap positions give junk, thrown away), the im2col column of a
# tap is one contiguous slice of the long row shifted by i * R + j: im2col is a single strided copy, and col2im a
# sum of shifted slices. The junk costs (H + gap)(W + gap) / (H' W') - 1 extra work (15% for 14x14 images
# with pad 1).

_CHUNK_BYTES = 64 * 2**20  # bounds the im2col buffer: large batches (inference on a whole split) go in chunks


class _FlatGeometry(NamedTuple):
    row: int  # R = W + gap, flat length of one image row with its gap
    rows: int  # H + gap_h, rows of one image with its gap
    image: int  # rows * row, flat length of one image
    base: int  # flat position of pixel (0, 0) of image 0: the padding before it
    margin: int  # zeros after the last image: the furthest tap reads there, and the padding fits in it
    out_h: int
    out_w: int


def _flat_geometry(x_shape, w_shape, pad):
    _, _, h, w = x_shape
    _, _, hh, ww = w_shape
    out_h, out_w = h + 2 * pad - hh + 1, w + 2 * pad - ww + 1
    # a gap of `pad` zeros pads both neighbours; it must also hold the output row, when that is longer than W
    row, rows = w + max(pad, out_w - w), h + max(pad, out_h - h)
    base = pad * row + pad
    reach = (hh - 1) * row + ww - 1  # the shift of the last tap
    return _FlatGeometry(row, rows, rows * row, base, max(base, reach), out_h, out_w)


def _flat_images(x, geo):
    """(N, C, H, W) -> (C, N * image + margin): zero-padded, each channel's images end to end in one row.

    Channels first, so that every copy below runs over long contiguous rows, never across a transpose."""
    n, c, h, w = x.shape
    x_flat = np.zeros((c, n * geo.image + geo.margin), x.dtype)
    body = x_flat[:, geo.base:geo.base + n * geo.image].reshape(c, n, geo.rows, geo.row)
    body[:, :, :h, :w] = x.transpose(1, 0, 2, 3)
    return x_flat


def _im2col(x_flat, geo, hh, ww, start, stop):
    """Images [start, stop) -> (C*HH*WW, n * image): row (c, i, j) is channel c's long row shifted by i*R + j."""
    c = x_flat.shape[0]
    p = (stop - start) * geo.image
    first = x_flat[:, start * geo.image:]
    item = x_flat.itemsize
    taps = as_strided(first, (c, hh, ww, p), (first.strides[0], geo.row * item, item, item), writeable=False)
    return taps.reshape(c * hh * ww, p)  # the copy


def _col2im(dcols, geo, hh, ww):
    """The adjoint of _im2col: (C*HH*WW, margin + p + margin) with zero margins -> (C, p + margin).

    Flat position o of the result sums row (c, i, j) at o - (i*R + j), for every tap (i, j): one strided view
    of the padded rows (the margins give the zeros at the ends), summed over the taps."""
    rows, length = dcols.shape
    c, p = rows // (hh * ww), length - 2 * geo.margin
    item = dcols.itemsize
    strides = (hh * ww * length * item, (ww * length - geo.row) * item, (length - 1) * item, item)
    shifted = as_strided(dcols[:, geo.margin:], (c, hh, ww, p + geo.margin), strides, writeable=False)
    return shifted.sum(axis=(1, 2))


def _chunks(n, per_image):
    """Image ranges [start, stop) whose im2col buffer stays under _CHUNK_BYTES."""
    size = max(1, _CHUNK_BYTES // per_image)
    return [(start, min(start + size, n)) for start in range(0, n, size)]


def _flat_conv_forward(x, w, b, pad):
    n, c, _, _ = x.shape
    f, _, hh, ww = w.shape
    geo = _flat_geometry(x.shape, w.shape, pad)
    x_flat = _flat_images(x, geo)
    w_mat = w.reshape(f, -1)  # (F, C*HH*WW)
    out = np.empty((n, f, geo.out_h, geo.out_w), np.result_type(x, w))
    chunks = _chunks(n, c * hh * ww * geo.image * x.itemsize)
    for start, stop in chunks:
        cols = _im2col(x_flat, geo, hh, ww, start, stop)  # (C*HH*WW, n * image)
        wide = (w_mat @ cols).reshape(f, stop - start, geo.rows, geo.row)  # (F, n, rows, R)
        np.copyto(out[start:stop], wide[:, :, :geo.out_h, :geo.out_w].transpose(1, 0, 2, 3))  # drop the junk
    out += b[:, None, None]  # after the copy: adding in it, against a broadcast b, is slower
    keep = cols if len(chunks) == 1 else None  # one chunk: keep its columns for the backward pass
    return out, FlatConvCache(x_flat, keep, w, geo, x.shape)


def _flat_conv_backward(dout, cache):
    x_flat, cols, w, geo, (n, c, h, width) = cache
    f, _, hh, ww = w.shape
    db = dout.sum(axis=(0, 2, 3))
    d_wide = np.zeros((f, n, geo.rows, geo.row), dout.dtype)  # junk positions get no gradient
    d_wide[:, :, :geo.out_h, :geo.out_w] = dout.transpose(1, 0, 2, 3)
    w_mat = w.reshape(f, -1)
    dw_t = np.zeros((c * hh * ww, f), np.result_type(x_flat, dout))  # dw transposed: the faster product
    dx_flat = np.zeros_like(x_flat)
    chunks = _chunks(n, c * hh * ww * geo.image * x_flat.itemsize)
    for start, stop in chunks:
        if cols is None or len(chunks) > 1:
            cols = _im2col(x_flat, geo, hh, ww, start, stop)
        d = d_wide[:, start:stop].reshape(f, -1)  # (F, n * image)
        dw_t += cols @ d.T
        p, m = d.shape[1], geo.margin
        dcols = np.empty((c * hh * ww, m + p + m), np.result_type(w, dout))
        dcols[:, :m] = 0
        dcols[:, m + p:] = 0
        np.matmul(w_mat.T, d, out=dcols[:, m:m + p])  # zero at the junk positions, as d is there
        dx_flat[:, start * geo.image:stop * geo.image + m] += _col2im(dcols, geo, hh, ww)
    body = dx_flat[:, geo.base:geo.base + n * geo.image].reshape(c, n, geo.rows, geo.row)
    dx = body[:, :, :h, :width].transpose(1, 0, 2, 3)  # crop the padding: (C, N, H, W) -> (N, C, H, W)
    return np.ascontiguousarray(dx), dw_t.T.reshape(w.shape), db


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
