"""Regularization by randomness (lecture 7, notebook 10): "add randomness in training, average it out at test time".

- `augment` and `Augmented`: random flips, shifts, noise and cutout applied to each training minibatch;
- `regularization_probe`: notebook 10's panel, one regularizer on a small network trained on 300 images.

The layers and models of the notebook live with the others: DropConnect (Wan et al. 2013) in `layers`, fractional
max pooling (Graham 2014) in `conv`, `ConvNet` and `ResidualNet` (stochastic depth, Huang et al. 2016) in `models`;
their names still import from here.
"""
import numpy as np

from .._validation import as_float_array, check_generator, check_in_range, check_int, check_positive
from ..conv import fractional_max_pool_backward, fractional_max_pool_forward, fractional_regions  # noqa: F401
from ..layers import dropconnect_backward, dropconnect_forward  # noqa: F401
from ..models import ConvNet, ResidualNet  # noqa: F401
from .ensembles import init_mlps, mlp_scores, train_mlps
from .softmax_demo import demo_features

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
