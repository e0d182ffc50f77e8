"""A linear softmax classifier on PCA features of the subset, trained for many settings at once: the fast, real
model behind the panels of notebooks 06 (a whole random search per redraw) and 08 (a learning-rate schedule).
"""
import functools

import numpy as np

from .._validation import check_int
from ..preprocessing import fit_pca, pca_transform, preprocess
from ..schedules import make_schedule
from ..splits import load_course_data
from ..training import minibatch_order

DEMO_TRAIN, DEMO_COMPONENTS, DEMO_STEPS, DEMO_BATCH, DEMO_INIT_STD = 2000, 32, 100, 100, 0.01


@functools.lru_cache(maxsize=2)
def course_features(num_train, full):
    """The course data, centred, with the first num_train training images (cached: a worker loads it once)."""

    data = preprocess(load_course_data(full=full), "center")
    return {"X_train": data["X_train"][:num_train], "y_train": data["y_train"][:num_train],
            "X_val": data["X_val"], "y_val": data["y_val"]}


@functools.lru_cache(maxsize=1)
def demo_features():
    """PCA features (32 components, fitted on the training part) of 2,000 training and 1,500 validation images."""

    data = course_features(DEMO_TRAIN, False)
    pca = fit_pca(data["X_train"].astype(np.float64), DEMO_COMPONENTS)
    features = [pca_transform(data[k].astype(np.float64), pca).astype(np.float32) for k in ("X_train", "X_val")]
    return features[0], data["y_train"].astype(np.int64), features[1], data["y_val"].astype(np.int64)


def train_softmax(lr_per_step, regs, *, seed=0):
    """Train one linear softmax classifier per column of lr_per_step (steps, T), with L2 strengths regs (T,), by
    minibatch SGD on demo_features(): step t of run j uses learning rate lr_per_step[t, j] and a minibatch of
    DEMO_BATCH images (the same minibatches for every run). Every run starts from the same small random weights
    (std DEMO_INIT_STD); a diverging run keeps its broken weights and scores about chance.

    Returns (validation accuracies (T,), minibatch losses (steps, T)).
    """
    lr_per_step, regs = np.asarray(lr_per_step, dtype=np.float64), np.asarray(regs, dtype=np.float64)
    if lr_per_step.ndim != 2 or regs.shape != lr_per_step.shape[1:] or np.any(lr_per_step < 0) or np.any(regs < 0):
        raise ValueError(f"lr_per_step must be (steps, T) and regs (T,), both >= 0; got shapes {lr_per_step.shape} "
                         f"and {regs.shape}")
    X, y, X_val, y_val = demo_features()
    rng = np.random.default_rng(seed)
    (steps, T), D, C = lr_per_step.shape, X.shape[1], 10
    # all runs side by side in one (D, C * T) matrix: one matrix product serves every run. The softmax reduces
    # over the classes, fastest when the longer of (classes, runs) is the inner axis: with many runs, class-major
    # (column c * T + j is class c of run j: scores (B, C, T)); with few, run-major (column j * C + c: (B, T, C))
    class_major = T >= C
    if class_major:
        shape, axis, (cls, run) = (C, T), 1, np.divmod(np.arange(C * T), T)  # the class and run of each column
    else:
        shape, axis, (run, cls) = (T, C), 2, np.divmod(np.arange(C * T), C)
    W = (DEMO_INIT_STD * rng.standard_normal((D, C)))[:, cls].astype(np.float32)  # every run starts from the same W
    b = np.zeros(C * T, dtype=np.float32)
    reg_cols = regs[run].astype(np.float32)
    lr_cols = lr_per_step[:, run].astype(np.float32)  # (steps, C * T): each run's rate under its columns
    order = minibatch_order(len(X), DEMO_BATCH, steps, rng)  # (steps, DEMO_BATCH)
    X_batches, y_batches = X[order], y[order]  # every minibatch, gathered once: (steps, B, D), (steps, B)
    step_cols = lr_cols / np.float32(DEMO_BATCH)  # the gradient of the mean loss is (probs - one-hot) / B
    decay_cols = 1 - 2 * lr_cols * reg_cols if regs.any() else None  # the L2 term's step: W -= lr * 2 * reg * W
    rows, example_losses = np.arange(DEMO_BATCH), np.empty((steps, DEMO_BATCH, T), np.float32)
    with np.errstate(all="ignore"):  # divergence is part of the picture
        for t in range(steps):
            X_batch, labels = X_batches[t], y_batches[t]
            correct = (rows, labels, slice(None)) if class_major else (rows, slice(None), labels)
            scores = (X_batch @ W).reshape(DEMO_BATCH, *shape)
            scores += b.reshape(shape)
            # losses.softmax, written out: the loss below needs its normaliser `total`
            scores -= scores.max(axis=axis, keepdims=True)
            probs = np.exp(scores)
            total = probs.sum(axis=axis, keepdims=True)
            probs /= total
            # the data loss: log(sum exp) - score of the correct class, averaged over the batch
            example_losses[t] = np.log(total.reshape(DEMO_BATCH, T)) - scores[correct]  # averaged after the loop
            probs[correct] -= 1  # softmax minus one-hot
            step = probs.reshape(DEMO_BATCH, C * T)
            step *= step_cols[t]  # now lr * dscores, column by column
            if decay_cols is not None:
                W *= decay_cols[t]
            W -= X_batch.T @ step
            b -= step.sum(axis=0)
        predictions = np.argmax((X_val @ W + b).reshape(len(X_val), *shape), axis=axis)  # (N_val, T)
    return np.mean(predictions == y_val[:, None], axis=0), example_losses.mean(axis=1, dtype=np.float64)


def softmax_trials(lrs, regs, *, seed=0):
    """Validation accuracies of one run per (lr, reg) at a constant learning rate for DEMO_STEPS steps."""
    lrs, regs = np.asarray(lrs, dtype=np.float64), np.asarray(regs, dtype=np.float64)
    if lrs.shape != regs.shape or lrs.ndim != 1 or np.any(lrs <= 0) or np.any(regs < 0):
        raise ValueError(f"lrs and regs must be 1-d arrays of the same length with lrs > 0 and regs >= 0, "
                         f"got shapes {lrs.shape} and {regs.shape}")
    return train_softmax(np.tile(lrs, (DEMO_STEPS, 1)), regs, seed=seed)[0]


def schedule_probe(kind="step", log10_lr0=-0.5, time_scale=250, *, steps=1000, seed=0):
    """What notebook 08's panel shows: the linear softmax classifier trained for `steps` minibatches with the
    schedule make_schedule(kind, 10 ** log10_lr0, time_scale, steps), next to the same run at the constant lr0.

    Returns dict with "lr" (steps,), "loss" and "constant_loss" (steps,), "val_acc" and "constant_val_acc".
    """

    if not -4.0 <= log10_lr0 <= 1.0:
        raise ValueError(f"log10_lr0 must be between -4 and 1, got {log10_lr0!r}")
    check_int("steps", steps, minimum=10)
    lr0 = 10.0 ** log10_lr0
    schedule = make_schedule(kind, lr0, time_scale, steps)
    lr = np.array([schedule(t) for t in range(steps)])
    accuracies, losses = train_softmax(np.stack([lr, np.full(steps, lr0)], axis=1), np.zeros(2), seed=seed)
    return {"kind": kind, "lr0": lr0, "lr": lr, "loss": losses[:, 0], "constant_loss": losses[:, 1],
            "val_acc": float(accuracies[0]), "constant_val_acc": float(accuracies[1])}
