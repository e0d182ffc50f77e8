"""Data losses (softmax cross-entropy, multiclass SVM) and the regularization penalties R(W)."""
import numpy as np

from ._validation import as_float_array, check_labels, check_positive


def _check_scores(scores, y):
    scores = as_float_array("scores", scores, ndim=2)
    check_labels("y", y, scores.shape[0], scores.shape[1])
    if scores.shape[0] == 0:
        raise ValueError("scores must have at least one row, got an empty batch")
    return scores


def softmax_loss(scores, y):
    """Mean cross-entropy of the softmax of the scores.

    Inputs: scores (N, C); y (N,) integer labels in [0, C).
    Returns: (loss, dscores), loss a float, dscores (N, C).
    """
    scores = _check_scores(scores, y)
    n = scores.shape[0]
    shifted = scores - scores.max(axis=1, keepdims=True)  # numerically stable: shift by the row max
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))  # (N, C)
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
