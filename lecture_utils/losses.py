"""Data losses (softmax cross-entropy, multiclass SVM), the softmax itself, and the regularization penalties R(W)."""
import numpy as np

from ._validation import as_float_array, check_labels, check_positive


def _check_scores(scores, y):
    scores = as_float_array("scores", scores, ndim=2)
    check_labels("y", y, scores.shape[0], scores.shape[1])
    if scores.shape[0] == 0:
        raise ValueError("scores must have at least one row, got an empty batch")
    return scores


def softmax(scores, axis=-1, *, out=None):
    """Class probabilities exp(s) / sum(exp(s)) along `axis`.

    Numerically stable: the scores are shifted by their max first, so no exp overflows (the shift cancels in the
    ratio). out=scores computes them in place (the panels' small trainers do, to save a copy per step).
    """
    shifted = np.subtract(scores, scores.max(axis=axis, keepdims=True), out=out)  # numerically stable
    probs = np.exp(shifted, out=shifted)
    probs /= probs.sum(axis=axis, keepdims=True)
    return probs


def log_softmax(scores, axis=-1):
    """log of `softmax`, computed without forming the probabilities: finite even where a probability underflows."""
    shifted = scores - scores.max(axis=axis, keepdims=True)  # numerically stable: shift by the max
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def softmax_loss(scores, y):
    """Mean cross-entropy of the softmax of the scores.

    Inputs: scores (N, C); y (N,) integer labels in [0, C).
    Returns: (loss, dscores), loss a float, dscores (N, C).
    """
    scores = _check_scores(scores, y)
    n = scores.shape[0]
    log_probs = log_softmax(scores, axis=1)  # (N, C)
    loss = -log_probs[np.arange(n), y].mean()
    dscores = np.exp(log_probs)  # softmax probabilities
    dscores[np.arange(n), y] -= 1
    return float(loss), dscores / n


def svm_loss(scores, y):
    """Multiclass SVM (hinge) loss: mean over rows of sum_{j != y_i} max(0, s_j - s_{y_i} + 1).

    Convention: PyTorch's multi_margin_loss also divides each row by the number of classes C.
    Inputs: scores (N, C); y (N,). Returns: (loss, dscores), dscores (N, C).
    """
    scores = _check_scores(scores, y)
    n = scores.shape[0]
    rows = np.arange(n)
    margins = np.maximum(0, scores - scores[rows, y][:, None] + 1)  # (N, C)
    margins[rows, y] = 0  # the correct class is not its own competitor
    loss = margins.sum() / n
    positive = (margins > 0).astype(scores.dtype)
    positive[rows, y] = -positive.sum(axis=1)  # the correct score is pushed up once per violation
    return float(loss), positive / n


def l2_penalty(w):
    """R(W) = sum(W ** 2), the slide's L2 (weight decay), without the factor 0.5 some texts use.

    Returns: (value, grad) with grad = 2 * W; the caller multiplies both by the strength lambda.
    """
    w = as_float_array("w", w)
    return float(np.sum(w * w)), 2 * w


def l1_penalty(w):
    """R(W) = sum(|W|). Returns (value, grad) with grad = sign(W) (0 at W = 0)."""
    w = as_float_array("w", w)
    return float(np.sum(np.abs(w))), np.sign(w)


def elastic_net_penalty(w, beta):
    """R(W) = sum(beta * W ** 2 + |W|), L1 plus beta times L2. Returns (value, grad)."""
    w = as_float_array("w", w)
    check_positive("beta", beta, allow_zero=True)
    return float(np.sum(beta * w * w + np.abs(w))), 2 * beta * w + np.sign(w)


PENALTIES = {"l2": l2_penalty, "l1": l1_penalty, "elastic_net": elastic_net_penalty}


def weight_penalty(params, grads, reg, names, kind="l2", beta=1.0):
    """reg * R(W) summed over the weight arrays params[name] for name in `names` (biases are not penalised).

    Adds reg * dR/dW to grads[name] in place and returns the penalty (a float) for the loss. R is one of
    PENALTIES: "l2" (the slide's sum(W ** 2), no factor 0.5), "l1" or "elastic_net" (with beta, the weight of
    its L2 part). Every model of the course calls this for its regularization term.
    """
    if kind not in PENALTIES:
        raise ValueError(f"kind must be one of {sorted(PENALTIES)}, got {kind!r}")
    total = 0.0
    if reg == 0:  # nothing to add: skip the work
        return total
    for name in names:
        w = params[name]
        value, grad = elastic_net_penalty(w, beta) if kind == "elastic_net" else PENALTIES[kind](w)
        total += reg * value
        grads[name] += reg * grad
    return total
