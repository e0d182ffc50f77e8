"""Babysitting the learning process: what to watch while a network trains (lecture 7, notebook 05).

- `update_ratios`: the size of an update relative to the weights it changes, per weight matrix (the lecture
  wants "somewhere around 1e-3");
- `UpdateRatioMonitor` and `LayerMonitor`: callbacks for `training.train` that record those ratios, and the
  activation and gradient statistics of every hidden layer (including the fraction of dead ReLUs);
- `learning_rate_probe`: the first few hundred steps of the loss at one learning rate (notebook 05's panel).
"""
import functools
import math

import numpy as np

from .._validation import check_int
from ..models import FullyConnectedNet
from ..optim import sgd
from ..preprocessing import preprocess
from ..splits import load_course_data


def update_ratios(params, updates):
    """||update|| / ||W|| for every weight matrix ("W1", "W2", ...; biases and batch norm's parameters are left
    out: they start at 0 or 1, and their ratio says nothing about the learning rate).

    Inputs: params {name: array}, the parameters *before* the update; updates {name: array}, x_next - x.
    Returns: {name: float}.
    """
    ratios = {}
    for name, w in params.items():
        if name.startswith("W"):
            if name not in updates:
                raise ValueError(f"updates has no entry {name!r}; it has {sorted(updates)}")
            scale = float(np.linalg.norm(w.ravel()))
            ratios[name] = float(np.linalg.norm(updates[name].ravel())) / scale if scale > 0 else math.inf
    return ratios


def dead_fraction(h):
    """The fraction of units (columns of h, (N, M)) that are 0 for every example: a dead ReLU never fires."""
    h = np.asarray(h)
    if h.ndim != 2 or h.shape[0] == 0:
        raise ValueError(f"h must have shape (N, M) with N > 0, got {h.shape}")
    return float(np.mean(np.all(h == 0, axis=0)))


class UpdateRatioMonitor:
    """A training callback: `update_ratios` of every weight matrix, every `every` steps.

    After training: `steps` (list of step numbers) and `ratios` {name: list}, or `as_arrays()`.
    """

    def __init__(self, every=1):
        check_int("every", every, minimum=1)
        self.every, self.steps, self.ratios = every, [], {}

    def on_step(self, info):
        if info.t % self.every:
            return
        before = {name: w - info.updates[name] for name, w in info.params.items() if name.startswith("W")}
        self.steps.append(info.t)
        for name, ratio in update_ratios(before, info.updates).items():
            self.ratios.setdefault(name, []).append(ratio)

    def as_arrays(self):
        """(steps (S,), {name: ratios (S,)})."""
        return np.array(self.steps), {name: np.array(r) for name, r in self.ratios.items()}


class LayerMonitor:
    """A training callback: every `every` steps, the statistics of each hidden layer of `model` on the fixed
    probe batch X_probe (test mode), and of each layer's weight gradient on the training minibatch.

    Records, per hidden layer l = 1..L (lists indexed [record][layer]): "act_mean", "act_std", "dead" (the
    fraction of units that are 0 for every probe example) and, for every weight matrix, "grad_std" (std of
    dL/dW_l). The model needs `hidden_outputs(X)` (FullyConnectedNet has it).
    """

    KEYS = ("act_mean", "act_std", "dead", "grad_std")

    def __init__(self, model, X_probe, every=50):
        check_int("every", every, minimum=1)
        if not hasattr(model, "hidden_outputs"):
            raise ValueError(f"model must have hidden_outputs(X) (FullyConnectedNet does), got {type(model).__name__}")
        self.model, self.X_probe, self.every = model, X_probe, every
        self.steps = []
        self.stats = {key: [] for key in self.KEYS}

    def on_step(self, info):
        if info.t % self.every:
            return
        outputs = self.model.hidden_outputs(self.X_probe)
        self.steps.append(info.t)
        self.stats["act_mean"].append([float(h.mean(dtype=np.float64)) for h in outputs])
        self.stats["act_std"].append([float(h.std(dtype=np.float64)) for h in outputs])
        self.stats["dead"].append([dead_fraction(h) for h in outputs])
        weights = sorted((k for k in info.grads if k.startswith("W")), key=lambda k: int(k[1:]))
        self.stats["grad_std"].append([float(info.grads[k].std(dtype=np.float64)) for k in weights])

    def as_arrays(self):
        """(steps (S,), {key: (S, layers)})."""
        return np.array(self.steps), {key: np.array(v) for key, v in self.stats.items()}


# ---- notebook 05's panel: the loss of the first steps at one learning rate ----

PROBE_HIDDEN, PROBE_BATCH, PROBE_TRAIN = 50, 50, 5000


@functools.lru_cache(maxsize=1)
def _probe_data():
    """The first PROBE_TRAIN training images of the shipped subset, flattened, in [0, 1] and centred (float32)."""

    data = preprocess(load_course_data(), "center")
    return data["X_train"][:PROBE_TRAIN], data["y_train"][:PROBE_TRAIN].astype(np.int64)


def learning_rate_probe(log10_lr, *, steps=200, seed=0):
    """Train the lecture's two-layer net (784-50-10, ReLU, He init) with plain SGD at lr = 10 ** log10_lr for
    `steps` minibatches of 50 from the shipped subset, and return what notebook 05's panel draws.

    Returns: dict with "lr", "loss" (steps,) with NaN after a divergence, "diverged_at" (the step whose loss was
    NaN or inf, or None), "start" (mean loss of the first 20 steps), "end" (mean of the last 20 finite steps).
    """

    if not -7.0 <= log10_lr <= 1.5:
        raise ValueError(f"log10_lr must be between -7 and 1.5, got {log10_lr!r}")
    check_int("steps", steps, minimum=20)
    X, y = _probe_data()
    lr, rng = 10.0 ** log10_lr, np.random.default_rng(seed)
    net = FullyConnectedNet([PROBE_HIDDEN], X.shape[1], 10, seed=seed)
    loss, diverged_at = np.full(steps, np.nan), None
    order = np.concatenate([rng.permutation(len(X)) for _ in range(-(-steps * PROBE_BATCH // len(X)))])
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(steps):
            batch = order[t * PROBE_BATCH:(t + 1) * PROBE_BATCH]
            value, grads = net.loss(X[batch], y[batch])
            if not math.isfinite(value):
                diverged_at = t
                break
            loss[t] = value
            for name in net.params:
                net.params[name], _ = sgd(net.params[name], grads[name], {}, learning_rate=lr)
    finite = loss[np.isfinite(loss)]
    start, end = (float(np.mean(finite[:20])), float(np.mean(finite[-20:]))) if len(finite) else (math.nan, math.nan)
    return {"lr": lr, "loss": loss, "diverged_at": diverged_at, "start": start, "end": end}
