"""Convolution and max pooling on (N, C, H, W) images, as forward/backward pairs.

Both read their input through windows (`sliding_window_view`, a strided view with no copy): the
window of output position (i, j) is input[..., i*stride : i*stride + HH, j*stride : j*stride + WW].
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._checks import as_float_array, check_int, check_shape


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
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))  # zero padding
    windows = _windows(x_pad, hh, ww, stride)  # (N, C, H', W', HH, WW)
    # contract C, HH, WW: (N, C, H', W', HH, WW) x (F, C, HH, WW) -> (N, H', W', F)
    out = np.tensordot(windows, w, axes=([1, 4, 5], [1, 2, 3]))
    out = out.transpose(0, 3, 1, 2) + b[:, None, None]  # (N, F, H', W')
    return np.ascontiguousarray(out), (x_pad, w, stride, pad)


def conv_backward(dout, cache):
    """Returns (dx, dw, db): dx (N, C, H, W), dw (F, C, HH, WW), db (F,). dout: (N, F, H', W')."""
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


def max_pool_forward(x, *, size=2, stride=2):
    """Max pooling over size x size windows.

    Inputs: x (N, C, H, W). Returns: (out, cache), out: (N, C, H', W'), H' = (H - size) // stride + 1
    """
    x = as_float_array("x", x, ndim=4)
    check_int("size", size, minimum=1)
    check_int("stride", stride, minimum=1)
    if x.shape[2] < size or x.shape[3] < size:
        raise ValueError(f"x of shape {x.shape} is smaller than the pooling window {size}x{size}")
    windows = _windows(x, size, size, stride)  # (N, C, H', W', size, size)
    flat = windows.reshape(*windows.shape[:4], size * size)  # (N, C, H', W', size*size), a copy
    winner = flat.argmax(axis=-1)  # (N, C, H', W'): the first maximum, as PyTorch picks
    out = np.take_along_axis(flat, winner[..., None], axis=-1)[..., 0]
    return out, (x.shape, winner, size, stride)


def max_pool_backward(dout, cache):
    """Each window's gradient goes to its maximum. Returns dx (N, C, H, W). dout: (N, C, H', W')."""
    x_shape, winner, size, stride = cache
    _, _, out_h, out_w = dout.shape
    dx = np.zeros(x_shape, dtype=dout.dtype)
    for i in range(size):
        for j in range(size):
            routed = dout * (winner == i * size + j)  # the windows whose max sits at (i, j)
            dx[:, :, i:i + stride * out_h:stride, j:j + stride * out_w:stride] += routed
    return dx
