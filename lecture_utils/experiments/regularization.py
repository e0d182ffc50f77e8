"""Regularization by randomness (lecture 7, notebook 10): "add randomness in training, average it out at test time".

- `dropconnect_forward` / `dropconnect_backward`: an affine layer whose *weights* are dropped (Wan et al. 2013);
- `fractional_max_pool_forward` / `_backward`: max pooling over pseudo-random regions of size 1 or 2, shrinking by a
  non-integer ratio such as sqrt(2) (Graham 2014);
- `ConvNet`: conv 3x3 - ReLU - (max pool 2x2 | fractional max pool) - affine, from the package's conv layers;
- `ResidualNet`: residual blocks dropped at random in training with linearly decaying survival probabilities, and
  scaled by them at test time (stochastic depth, Huang et al. 2016);
- `augment` and `Augmented`: random flips, shifts, noise and cutout applied to each training minibatch.
"""
import math

import numpy as np

from .. import layers
from ..conv import elementwise_max, first_argmax
from .._validation import as_float_array, check_generator, check_in_range, check_int, check_labels, check_positive
from ..init import init_weights
from ..losses import softmax_loss
from ..layers import dropconnect_backward, dropconnect_forward  # noqa: F401 (part of this module's story)
from ..models import _add_l2


# ---- fractional max pooling ----

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


# ---- a small convolutional network ----

class ConvNet:
    """conv 3x3 (filters, pad 1) - ReLU - pool - affine - softmax on (N, 1, 28, 28) images (or (N, 784) rows).

    pool: "max" (2x2, stride 2) or "fractional" (ratio sqrt(2), a new random placement each training pass; at
    test time the scores are averaged over `test_draws` placements from a fixed generator). Same protocol as
    FullyConnectedNet: loss(X, y, rng=...) -> (loss, grads) in training, loss(X) -> scores at test time.
    """

    def __init__(self, *, filters=8, pool="max", reg=0.0, test_draws=4, seed=0, size=28):
        check_int("filters", filters, minimum=1)
        check_int("test_draws", test_draws, minimum=1)
        if pool not in ("max", "fractional"):
            raise ValueError(f"pool must be 'max' or 'fractional', got {pool!r}")
        check_positive("reg", reg, allow_zero=True)
        self.pool, self.reg, self.test_draws, self.size, self.num_layers = pool, reg, test_draws, size, 2
        self.rng = np.random.default_rng(seed)
        pooled = size // 2 if pool == "max" else int((size - 1) // math.sqrt(2))
        self.params = {
            "W1": (init_weights(9, filters, "he", self.rng).T.reshape(filters, 1, 3, 3)).astype(np.float32),
            "b1": np.zeros(filters, np.float32),
            "W2": init_weights(filters * pooled * pooled, 10, "he", self.rng).astype(np.float32),
            "b2": np.zeros(10, np.float32),
        }

    def _forward(self, X, pool_rng):
        X = as_float_array("X", X).astype(np.float32, copy=False).reshape(len(X), 1, self.size, self.size)
        h, conv_cache = layers.conv_forward(X, self.params["W1"], self.params["b1"], pad=1)
        h, relu_mask = np.maximum(h, 0), h > 0
        if self.pool == "max":
            h, pool_cache = layers.max_pool_forward(h, size=2, stride=2)
        else:
            h, pool_cache = fractional_max_pool_forward(h, rng=pool_rng)
        scores, affine_cache = layers.affine_forward(h, self.params["W2"], self.params["b2"])
        return scores, (conv_cache, relu_mask, pool_cache, affine_cache)

    def loss(self, X, y=None, rng=None):
        if y is None:
            if self.pool == "max":
                return self._forward(X, None)[0]
            draws = np.random.default_rng(12345)  # the same placements every time: a deterministic test mode
            return np.mean([self._forward(X, draws)[0] for _ in range(self.test_draws)], axis=0)
        check_labels("y", y, len(X), 10)
        scores, (conv_cache, relu_mask, pool_cache, affine_cache) = self._forward(X, rng if rng is not None
                                                                                  else self.rng)
        loss, dscores = softmax_loss(scores, y)
        grads = {}
        dh, grads["W2"], grads["b2"] = layers.affine_backward(dscores, affine_cache)
        if self.pool == "max":
            dh = layers.max_pool_backward(dh, pool_cache)
        else:
            dh = fractional_max_pool_backward(dh, pool_cache)
        _, grads["W1"], grads["b1"] = layers.conv_backward(dh * relu_mask, conv_cache)
        return loss + _add_l2(self.params, grads, self.reg, 2), grads


# ---- stochastic depth ----

class ResidualNet:
    """affine - ReLU, then `blocks` residual blocks h <- h + g * f(h), f(h) = affine(ReLU(affine(h))), then
    affine - softmax. With stochastic depth, block l (1..L) survives each training minibatch with probability
    p_l = 1 - l / L * (1 - survival_last) (g = 1) or is skipped (g = 0, the identity); at test time every block
    runs, scaled by p_l (its expected contribution). survival_last = 1 is an ordinary residual network.
    """

    def __init__(self, input_dim, hidden, blocks, *, survival_last=0.5, reg=0.0, seed=0):
        for name, value in (("input_dim", input_dim), ("hidden", hidden), ("blocks", blocks)):
            check_int(name, value, minimum=1)
        check_in_range("survival_last", survival_last, 0.0, 1.0, low_open=True)
        check_positive("reg", reg, allow_zero=True)
        self.blocks, self.reg, self.rng = blocks, reg, np.random.default_rng(seed)
        self.survival = np.array([1 - (l / blocks) * (1 - survival_last) for l in range(1, blocks + 1)])
        p = {"W0": init_weights(input_dim, hidden, "he", self.rng), "b0": np.zeros(hidden)}
        for l in range(1, blocks + 1):
            p[f"Wa{l}"], p[f"ba{l}"] = init_weights(hidden, hidden, "he", self.rng), np.zeros(hidden)
            p[f"Wb{l}"], p[f"bb{l}"] = init_weights(hidden, hidden, 0.1 / math.sqrt(hidden), self.rng), np.zeros(hidden)
        p["Wout"], p["bout"] = init_weights(hidden, 10, "he", self.rng), np.zeros(10)
        self.params = {k: v.astype(np.float32) for k, v in p.items()}

    def _forward(self, X, gates):
        p = self.params
        X = as_float_array("X", X).astype(np.float32, copy=False).reshape(len(X), -1)
        h, cache0 = layers.affine_forward(X, p["W0"], p["b0"])
        relu0 = h > 0
        h = h * relu0
        caches = []
        for l, g in enumerate(gates, start=1):
            if g == 0:
                caches.append(None)
                continue
            a, cache_a = layers.affine_forward(h, p[f"Wa{l}"], p[f"ba{l}"])
            mask = a > 0
            f, cache_b = layers.affine_forward(a * mask, p[f"Wb{l}"], p[f"bb{l}"])
            h = h + g * f
            caches.append((g, cache_a, mask, cache_b))
        scores, cache_out = layers.affine_forward(h, p["Wout"], p["bout"])
        return scores, (cache0, relu0, caches, cache_out)

    def loss(self, X, y=None, rng=None):
        if y is None:
            return self._forward(X, self.survival)[0]  # test time: every block, scaled by its survival
        check_labels("y", y, len(X), 10)
        rng = self.rng if rng is None else rng
        gates = (rng.random(self.blocks) < self.survival).astype(np.float32)
        scores, (cache0, relu0, caches, cache_out) = self._forward(X, gates)
        loss, dscores = softmax_loss(scores, y)
        grads = {f"{k}{l}": np.zeros_like(self.params[f"{k}{l}"]) for l in range(1, self.blocks + 1)
                 for k in ("Wa", "ba", "Wb", "bb")}  # a skipped block gets a zero gradient
        dh, grads["Wout"], grads["bout"] = layers.affine_backward(dscores, cache_out)
        for l in range(self.blocks, 0, -1):
            if caches[l - 1] is None:
                continue
            g, cache_a, mask, cache_b = caches[l - 1]
            df, grads[f"Wb{l}"], grads[f"bb{l}"] = layers.affine_backward(g * dh, cache_b)
            da, grads[f"Wa{l}"], grads[f"ba{l}"] = layers.affine_backward(df * mask, cache_a)
            dh = dh + da  # the identity path plus the block's path
        _, grads["W0"], grads["b0"] = layers.affine_backward(dh * relu0, cache0)
        weights = ["W0", *[f"W{k}{l}" for l in range(1, self.blocks + 1) for k in "ab"], "Wout"]
        penalty = sum(self.reg * float(np.sum(self.params[w] ** 2)) for w in weights)
        for w in weights:
            grads[w] += 2 * self.reg * self.params[w]
        return loss + penalty, grads


# ---- data augmentation ----

def augment(images, rng, *, flip=True, shift=2, noise=0.0, cutout=0):
    """Random transformations of a batch of images (N, H, W), each image its own draw from rng:
    a horizontal flip with probability 1/2, a translation by up to `shift` pixels in each direction (zeros
    enter, the equivalent of padding by `shift` and cropping at random), Gaussian pixel noise of std `noise`, and
    a `cutout` x `cutout` square set to 0 at a random place. Returns a new array."""
    images = as_float_array("images", images, ndim=3)
    check_generator("rng", rng)
    check_int("shift", shift, minimum=0)
    check_int("cutout", cutout, minimum=0)
    check_positive("noise", noise, allow_zero=True)
    n, height, width = images.shape
    out = images.copy()
    if flip:
        flipped = rng.random(n) < 0.5
        out[flipped] = out[flipped, :, ::-1]
    if shift:
        padded = np.pad(out, ((0, 0), (shift, shift), (shift, shift)))
        dy, dx = rng.integers(0, 2 * shift + 1, size=(2, n))
        rows = dy[:, None] + np.arange(height)[None, :]  # (N, H)
        cols = dx[:, None] + np.arange(width)[None, :]  # (N, W)
        out = padded[np.arange(n)[:, None, None], rows[:, :, None], cols[:, None, :]]
    if noise:
        out = out + noise * rng.standard_normal(out.shape).astype(out.dtype)
    if cutout:
        top, left = rng.integers(0, height - cutout + 1, n), rng.integers(0, width - cutout + 1, n)
        r = np.arange(height)[None, :, None]
        c = np.arange(width)[None, None, :]
        square = ((r >= top[:, None, None]) & (r < top[:, None, None] + cutout)
                  & (c >= left[:, None, None]) & (c < left[:, None, None] + cutout))
        out = np.where(square, 0, out)
    return out


class Augmented:
    """A model whose training minibatches are augmented first: loss(X, y, rng) trains `model` on
    augment(X as images, rng, **options); test mode (no y) passes X through unchanged. X is (N, H * W) (flattened
    images; `mean` is added back before and subtracted after augmenting, so zeros entering at the border are
    background, not the mean image) or (N, H, W)."""

    def __init__(self, model, *, size=28, mean=None, **options):
        self.model, self.size, self.options = model, size, options
        self.mean = None if mean is None else np.asarray(mean, dtype=np.float32).reshape(size, size)

    @property
    def params(self):
        return self.model.params

    def loss(self, X, y=None, rng=None):
        if y is None:
            return self.model.loss(X)
        check_generator("rng", rng)
        images = np.asarray(X).reshape(len(X), self.size, self.size)
        if self.mean is not None:
            images = images + self.mean
        images = augment(images, rng, **self.options)
        if self.mean is not None:
            images = images - self.mean
        return self.model.loss(images.reshape(X.shape).astype(np.float32), y, rng=rng)


# ---- notebook 10's panel ----

PROBE_TRAIN, PROBE_STEPS, PROBE_BATCH, PROBE_EVERY, PROBE_LR = 300, 600, 50, 30, 0.2
PROBE_KINDS = ("none", "l2", "l1", "dropout")


def regularization_probe(kind="l2", log10_reg=-2.0, keep_prob=0.5, *, seed=0):
    """What notebook 10's panel shows: a small network (32 PCA features - 64 ReLU - 10) trained on only 300 images
    for 600 SGD steps with one regularizer ("none", "l2" or "l1" at strength 10 ** log10_reg, or "dropout" with
    keep_prob), and its training and validation accuracy every 30 steps. Also the fraction of near-zero weights
    (|W| < 1e-3) at the end, where L1 shows its sparsity.

    Returns dict with "steps", "train_acc", "val_acc" (arrays), "near_zero" (float), "kind" and "setting" (the
    strength that was used, as text: "reg 1.0e-02", "keep_prob 0.50" or "no regularizer").
    """
    from .ensembles import init_mlps, mlp_scores, train_mlps
    from .softmax_demo import demo_features

    if kind not in PROBE_KINDS:
        raise ValueError(f"kind must be one of {PROBE_KINDS}, got {kind!r}")
    if not -6.0 <= log10_reg <= 0.0:
        raise ValueError(f"log10_reg must be between -6 and 0, got {log10_reg!r}")
    check_in_range("keep_prob", keep_prob, 0.0, 1.0, low_open=True)
    X, y, X_val, y_val = demo_features()
    X, y = X[:PROBE_TRAIN], y[:PROBE_TRAIN]
    rng = np.random.default_rng(seed)
    reg = 10.0 ** log10_reg
    options = {"l2": {"l2": reg}, "l1": {"l1": reg}, "dropout": {"keep_prob": keep_prob}}.get(kind, {})
    record = {"steps": [], "train_acc": [], "val_acc": []}

    def on_record(t, params):
        record["steps"].append(t)
        record["train_acc"].append(float(np.mean(np.argmax(mlp_scores(params, X)[0], axis=1) == y)))
        record["val_acc"].append(float(np.mean(np.argmax(mlp_scores(params, X_val)[0], axis=1) == y_val)))

    params = train_mlps(init_mlps(1, X.shape[1], rng), np.full(PROBE_STEPS, PROBE_LR), rng, X, y,
                        batch_size=PROBE_BATCH, every=PROBE_EVERY, on_record=on_record, **options)
    weights = np.concatenate([params[0].ravel(), params[2].ravel()])
    setting = {"l2": f"reg {reg:.1e}", "l1": f"reg {reg:.1e}", "dropout": f"keep_prob {keep_prob:.2f}"}.get(
        kind, "no regularizer")  # the strength each kind uses (the others' sliders are ignored)
    return {"kind": kind, "setting": setting, **{k: np.array(v) for k, v in record.items()},
            "near_zero": float(np.mean(np.abs(weights) < 1e-3))}
