"""Model ensembles (lecture 7, notebook 09): averaging the predictions of several models, snapshots of one run,
and Polyak averaging of the parameters.

- `probabilities` / `average_predictions` / `accuracy_curve`: softmax probabilities of each member, their mean,
  and the accuracy of the first k members for every k;
- `SnapshotCollector`: a training callback that copies the parameters at chosen steps (the ends of the cycles of
  a cosine-restart schedule: Huang et al. 2017, "Snapshot ensembles: train 1, get M for free");
- `PolyakAverager`: a training callback that keeps the running mean of the parameters over training;
- `ensemble_growth`: notebook 09's panel, small networks on PCA features trained side by side.
"""
import numpy as np

from .._validation import check_int
from ..losses import softmax
from ..schedules import cosine_decay, cosine_restarts
from ..training import minibatch_order
from .softmax_demo import demo_features


def probabilities(scores):
    """Softmax of scores (..., C) along the last axis, computed stably (max subtracted)."""
    return softmax(np.asarray(scores, dtype=np.float64), axis=-1)


def average_predictions(member_scores):
    """The ensemble's class probabilities: the mean over members of each member's softmax probabilities.

    Input: member_scores (M, N, C), the raw scores of M members. Returns (N, C).
    """
    member_scores = np.asarray(member_scores)
    if member_scores.ndim != 3 or len(member_scores) == 0:
        raise ValueError(f"member_scores must have shape (M, N, C) with M >= 1, got {member_scores.shape}")
    return probabilities(member_scores).mean(axis=0)


def accuracy_curve(member_scores, y):
    """Accuracy of the ensemble of the first k members, for k = 1..M: an array (M,)."""
    probs = probabilities(np.asarray(member_scores))
    y = np.asarray(y)
    if probs.ndim != 3 or probs.shape[1] != len(y):
        raise ValueError(f"member_scores must have shape (M, N, C) with N = len(y) = {len(y)}, got {probs.shape}")
    running = np.cumsum(probs, axis=0)  # sums of the first k members' probabilities
    return np.mean(np.argmax(running, axis=2) == y[None, :], axis=1)


def scores_with(model, params, X, batch_size=1000):
    """The model's test-mode scores on X with the parameters `params` put in for the call (restored after)."""
    saved = dict(model.params)
    try:
        model.params.update(params)
        return np.concatenate([model.loss(X[i:i + batch_size]) for i in range(0, len(X), batch_size)])
    finally:
        model.params.clear()
        model.params.update(saved)


class SnapshotCollector:
    """A training callback that keeps a copy of the parameters after each step in `steps` (counting from 1: the
    parameters after `steps[i]` updates). After training, `snapshots` is the list of copies, in order."""

    def __init__(self, steps):
        self.steps = sorted(int(s) for s in steps)
        if not self.steps or self.steps[0] < 1:
            raise ValueError(f"steps must be a non-empty list of step counts >= 1, got {steps!r}")
        self.snapshots = []

    def on_step(self, info):
        if info.t + 1 in self.steps:
            self.snapshots.append({k: v.copy() for k, v in info.params.items()})


class PolyakAverager:
    """A training callback that keeps the mean of the parameters over all steps from `start` on (Polyak and
    Juditsky's averaging): `average` holds it after training."""

    def __init__(self, start=0):
        check_int("start", start, minimum=0)
        self.start, self.count, self.average = start, 0, None

    def on_step(self, info):
        if info.t < self.start:
            return
        self.count += 1
        if self.average is None:
            self.average = {k: v.astype(np.float64) for k, v in info.params.items()}
        else:  # running mean: avg += (x - avg) / count
            for k, v in info.params.items():
                self.average[k] += (v - self.average[k]) / self.count


# ---- notebook 09's panel: small networks side by side ----

GROWTH_HIDDEN, GROWTH_STEPS, GROWTH_BATCH, GROWTH_LR = 64, 100, 100, 0.3


def init_mlps(members, d, rng):
    """Parameters (W1, b1, W2, b2) of `members` two-layer ReLU networks (d - GROWTH_HIDDEN - 10, He init), stacked."""
    W1 = (rng.standard_normal((members, d, GROWTH_HIDDEN)) * np.sqrt(2 / d)).astype(np.float32)
    W2 = (rng.standard_normal((members, GROWTH_HIDDEN, 10)) * np.sqrt(2 / GROWTH_HIDDEN)).astype(np.float32)
    return W1, np.zeros((members, 1, GROWTH_HIDDEN), np.float32), W2, np.zeros((members, 1, 10), np.float32)


def train_mlps(params, lr_per_step, rng, X, y, *, batch_size=GROWTH_BATCH, l2=0.0, l1=0.0, keep_prob=1.0,
               every=None, on_record=None):
    """Train the stacked networks `params` by minibatch SGD, each on its own minibatch order, step t at learning
    rate lr_per_step[t], with an optional L2 (reg * sum(W ** 2)) or L1 (reg * sum(|W|)) penalty on W1 and W2 and
    inverted dropout (keep_prob) on the hidden layer; on_record(t, params) is called every `every` steps and at
    the end. Returns new parameters (the given ones are not changed)."""
    W1, b1, W2, b2 = (p.copy() for p in params)
    members, steps = len(W1), len(lr_per_step)
    orders = np.stack([minibatch_order(len(X), batch_size, steps, rng) for _ in range(members)])  # (M, steps, B)
    used = orders.transpose(1, 0, 2)  # (steps, M, B)
    X_batches, y_batches = X[used], y[used]  # every minibatch gathered once: (steps, M, B, D), (steps, M, B)
    who, rows = np.arange(members)[:, None], np.arange(batch_size)[None, :]
    for t, lr in enumerate(lr_per_step):
        if every and on_record and t % every == 0:
            on_record(t, (W1, b1, W2, b2))
        xb = X_batches[t]  # (M, B, D)
        pre = xb @ W1
        pre += b1
        active = pre > 0
        if keep_prob < 1.0:  # inverted dropout on the hidden units
            active = active * ((rng.random(pre.shape, dtype=np.float32) < keep_prob) / np.float32(keep_prob))
        h = pre * active
        scores = h @ W2
        scores += b2
        probs = softmax(scores, axis=2, out=scores)  # in float32, in place
        probs[who, rows, y_batches[t]] -= 1  # softmax minus one-hot: B times the gradient of the mean loss
        step = probs
        step *= lr / batch_size  # lr * dscores: every update below is then one subtraction
        dh = step @ W2.transpose(0, 2, 1)
        dh *= active
        if l2:  # W -= lr * 2 * l2 * W, from the weights before this step
            W2 *= 1 - 2 * lr * l2
            W1 *= 1 - 2 * lr * l2
        if l1:  # W -= lr * l1 * sign(W)
            W2 -= lr * l1 * np.sign(W2)
            W1 -= lr * l1 * np.sign(W1)
        W2 -= h.transpose(0, 2, 1) @ step
        b2 -= step.sum(axis=1, keepdims=True)
        W1 -= xb.transpose(0, 2, 1) @ dh
        b1 -= dh.sum(axis=1, keepdims=True)
    if on_record:
        on_record(len(lr_per_step), (W1, b1, W2, b2))
    return W1, b1, W2, b2


def mlp_scores(params, X):
    W1, b1, W2, b2 = params
    return np.maximum(X @ W1 + b1, 0) @ W2 + b2  # (M, N, 10)


def ensemble_growth(members=5, seed=0):
    """What notebook 09's panel shows: on the 32 PCA features of the softmax demo, `members` small networks
    trained independently for GROWTH_STEPS steps each, against one network trained for members * GROWTH_STEPS
    steps with a cosine-restart schedule of `members` cycles, snapshotted at the end of each cycle, and against
    one network trained for the same members * GROWTH_STEPS steps with one cosine decay (all three: equal compute).

    Returns dict with "independent" and "snapshot": validation accuracy of the ensemble of the first k members,
    k = 1..members; "single": the accuracy of the one network trained for all the steps; "members_acc": each
    independent member's own accuracy; "right": {"independent", "snapshot", "single"}: (N,) bool, which validation
    images the full ensembles and the single network classify right (for paired comparisons); "n_val": the number
    of validation images (it sets the noise of every accuracy).
    """

    check_int("members", members, minimum=1)
    if members > 10:
        raise ValueError(f"members must be at most 10, got {members}")
    X, y, X_val, y_val = demo_features()
    rng = np.random.default_rng(seed)
    independent = train_mlps(init_mlps(members, X.shape[1], rng), np.full(GROWTH_STEPS, GROWTH_LR), rng, X, y)
    independent_scores = mlp_scores(independent, X_val)  # (members, N, 10)
    schedule = cosine_restarts(GROWTH_LR, GROWTH_STEPS)  # one network, `members` cycles, a snapshot after each
    params, snapshot_scores = init_mlps(1, X.shape[1], rng), []
    for cycle in range(members):
        lrs = [schedule(cycle * GROWTH_STEPS + t) for t in range(GROWTH_STEPS)]
        params = train_mlps(params, lrs, rng, X, y)
        snapshot_scores.append(mlp_scores(params, X_val)[0])
    snapshot_scores = np.stack(snapshot_scores)  # (members, N, 10)
    total = members * GROWTH_STEPS  # the baseline: the same steps spent on one network, one cosine decay
    decay = cosine_decay(GROWTH_LR, total)
    single = train_mlps(init_mlps(1, X.shape[1], rng), [decay(t) for t in range(total)], rng, X, y)
    single_right = np.argmax(mlp_scores(single, X_val)[0], axis=1) == y_val
    return {"members": members,
            "independent": accuracy_curve(independent_scores, y_val),
            "snapshot": accuracy_curve(snapshot_scores, y_val),
            "single": float(single_right.mean()),
            "members_acc": np.mean(np.argmax(independent_scores, axis=2) == y_val, axis=1),
            "right": {"independent": np.argmax(average_predictions(independent_scores), axis=1) == y_val,
                      "snapshot": np.argmax(average_predictions(snapshot_scores), axis=1) == y_val,
                      "single": single_right},
            "n_val": len(y_val)}
