"""How sensitive a linear classifier's loss is to small changes of its weights, for raw and normalised data.

The lecture's figure: "before normalization, the classification loss is very sensitive to changes in the
weight matrix; after normalization, less so". For data far from the origin, a tiny rotation of the weights
swings the decision boundary a long way at the data; centred and scaled data feel the same rotation far less.
"""
import numpy as np

from .._validation import as_float_array, check_generator, check_int, check_positive
from ..losses import softmax_loss


def toy_blobs(n, shift, scale, rng):
    """Two classes of n // 2 points each in 2-D, separable with some overlap, centred at `shift`
    (a distance from the origin along (1, 1)) and multiplied by `scale` around that centre.

    Returns: X (n, 2) float64, y (n,) in {0, 1}.
    """
    check_int("n", n, minimum=4)
    check_positive("scale", scale)
    check_generator("rng", rng)
    y = np.repeat([0, 1], n // 2)
    centers = np.array([[-1.0, 1.0], [1.0, -1.0]])  # the classes differ across the line y = x
    X = centers[y] + 0.7 * rng.standard_normal((len(y), 2))
    return scale * X + shift / np.sqrt(2), y


def fit_linear(X, y, *, steps=300, learning_rate=0.5):
    """A softmax classifier (W (D, C), b (C,)) fitted by gradient descent on standardised features and
    converted back to X's own coordinates, so it is the same classifier whatever the data's scale."""
    X = as_float_array("X", X, ndim=2)
    mean, std = X.mean(axis=0), X.std(axis=0) + 1e-12
    Z = (X - mean) / std
    W, b = np.zeros((X.shape[1], int(y.max()) + 1)), np.zeros(int(y.max()) + 1)
    for _ in range(steps):
        _, dscores = softmax_loss(Z @ W + b, y)
        W -= learning_rate * Z.T @ dscores
        b -= learning_rate * dscores.sum(axis=0)
    W_raw = W / std[:, None]  # z = (x - mean) / std, so z @ W = x @ (W / std) - mean @ (W / std)
    return W_raw, b - mean @ W_raw


def loss_sensitivity(X, y, W, b, *, relative_step=0.01, trials=50, rng):
    """Mean |change of the softmax loss| when W moves by `relative_step` * ||W|| in a random direction.

    Returns: dict with "loss" (at W), "mean_change", "max_change", and "flips": the mean fraction of points
    whose predicted class changes.
    """
    check_positive("relative_step", relative_step)
    check_int("trials", trials, minimum=1)
    check_generator("rng", rng)
    loss, _ = softmax_loss(X @ W + b, y)
    predicted = np.argmax(X @ W + b, axis=1)
    changes, flips = [], []
    for _ in range(trials):
        direction = rng.standard_normal(W.shape)
        W_moved = W + relative_step * np.linalg.norm(W) * direction / np.linalg.norm(direction)
        scores = X @ W_moved + b
        changes.append(abs(softmax_loss(scores, y)[0] - loss))
        flips.append(np.mean(np.argmax(scores, axis=1) != predicted))
    return {"loss": loss, "mean_change": float(np.mean(changes)), "max_change": float(np.max(changes)),
            "flips": float(np.mean(flips))}


def boundary_sensitivity(shift=0.0, scale=1.0, *, relative_step=0.05, seed=0, n=200, num_boundaries=8):
    """What notebook 03's panel shows: a toy set moved by `shift` and scaled by `scale`, its fitted
    linear classifier, the boundaries of a few perturbed copies of W, and loss_sensitivity().

    Returns: dict with "X", "y", "W", "b", "boundaries" (a list of (W, b)), and the sensitivity numbers.
    """
    if not 0 <= shift <= 100:
        raise ValueError(f"shift must be between 0 and 100, got {shift!r}")
    if not 0.01 <= scale <= 100:
        raise ValueError(f"scale must be between 0.01 and 100, got {scale!r}")
    rng = np.random.default_rng(seed)
    X, y = toy_blobs(n, shift, scale, rng)
    W, b = fit_linear(X, y)
    boundaries = []
    for _ in range(num_boundaries):
        direction = rng.standard_normal(W.shape)
        boundaries.append((W + relative_step * np.linalg.norm(W) * direction / np.linalg.norm(direction), b))
    result = {"X": X, "y": y, "W": W, "b": b, "boundaries": boundaries, "shift": shift, "scale": scale,
              "relative_step": relative_step}
    result.update(loss_sensitivity(X, y, W, b, relative_step=relative_step, rng=rng))
    return result
