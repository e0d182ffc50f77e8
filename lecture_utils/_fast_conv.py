"""The convolution with stride 1 as im2col on flattened images, one matrix product per pass: the fast twin of
`conv.conv_forward_windows` / `conv.conv_backward_windows`, which `conv.conv_forward` calls for stride 1.

Measured (benchmarks/README.md): 29.7 ms for the window version against about 10 ms here for a forward and backward
pass of 64 x 16 x 14 x 14 images through 32 3x3 filters, 1.2 x PyTorch; tests/test_fast.py checks it against the
window version (hypothesis: rectangular kernels, pads 0-3) and tests/test_layers.py against PyTorch.
"""
from typing import NamedTuple, Optional

import numpy as np
from numpy.lib.stride_tricks import as_strided

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


def conv_forward_flat(x, w, b, pad):
    """conv.conv_forward with stride 1, on checked inputs: returns (out, FlatConvCache)."""
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


def conv_backward_flat(dout, cache):
    """conv.conv_backward for a FlatConvCache: returns (dx, dw, db)."""
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


class FlatConvCache(NamedTuple):
    x_flat: np.ndarray  # (C, N * image + margin): the padded images end to end, see _FlatGeometry
    cols: Optional[np.ndarray]  # (C*HH*WW, N * image) im2col of the only chunk, or None: recompute in backward
    w: np.ndarray  # (F, C, HH, WW)
    geo: "_FlatGeometry"  # where each image and tap sits in x_flat
    x_shape: tuple  # (N, C, H, W)
