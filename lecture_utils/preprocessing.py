"""Data preprocessing fitted on the training split and applied to every split.

The lecture's recipe: zero-centre (subtract the training mean), optionally normalise (divide by
the training std), or decorrelate with PCA and whiten. Statistics always come from the training
data alone; fitting them on validation or test data leaks information into the model.
"""
from typing import NamedTuple

import numpy as np

from ._validation import as_float_array, check_choice, check_int, check_positive

METHODS = ("none", "center", "standardize", "pca", "whiten")


def to_features(X, dtype=np.float32):
    """uint8 images (N, H, W) -> floats in [0, 1], flattened to (N, H*W)."""
    X = np.asarray(X)
    if X.ndim < 2:
        raise ValueError(f"X must have shape (N, ...) with N examples, got shape {X.shape}")
    scale = 255.0 if X.dtype == np.uint8 else 1.0
    return (X.reshape(X.shape[0], -1) / scale).astype(dtype)  # (N, H, W) -> (N, H*W)


class Standardizer(NamedTuple):
    """Per-feature statistics of the training data: mean (D,), std (D,) (ones if not scaling)."""

    mean: np.ndarray
    std: np.ndarray


def fit_standardizer(X_train, *, center=True, scale=True, eps=1e-8):
    """Fit the mean (and std) of each feature on X_train (N, D).

    A feature whose training std is below eps (constant in training) gets std 1: it is only centred,
    never divided by (almost) zero. (scikit-learn's StandardScaler does the same.)
    """
    X_train = as_float_array("X_train", X_train, ndim=2)
    mean = X_train.mean(axis=0) if center else np.zeros(X_train.shape[1], X_train.dtype)
    std = X_train.std(axis=0) if scale else np.ones(X_train.shape[1], X_train.dtype)
    std = np.where(std < eps, 1.0, std)
    return Standardizer(mean.astype(X_train.dtype), std.astype(X_train.dtype))


def standardize(X, stats):
    """(X - mean) / std with statistics from fit_standardizer. X: (N, D) -> (N, D)."""
    X = as_float_array("X", X, ndim=2)
    return (X - stats.mean) / stats.std


class PCA(NamedTuple):
    """Principal components of the training data.

    mean (D,); components (D, K), one unit vector per column, by decreasing variance;
    variances (K,), the variance of the data along each component.
    """

    mean: np.ndarray
    components: np.ndarray
    variances: np.ndarray


def fit_pca(X_train, num_components=None):
    """PCA of X_train (N, D): the eigenvectors of the covariance matrix, largest variance first.

    The components are the right singular vectors of the centred data and the variances its squared
    singular values / N. With more images than pixels (N >= D) they come from the eigendecomposition of the
    D x D covariance, in float64: the same numbers as the SVD of the data to ~1e-15, six times faster for the
    course's 10,000 x 784 (no N x D factor U to compute). Each component's sign is fixed so that its entry
    of largest magnitude is positive (an SVD or eigensolver may return either sign).
    """
    X_train = as_float_array("X_train", X_train, ndim=2)
    n, d = X_train.shape
    k = min(n, d) if num_components is None else num_components
    check_int("num_components", k, minimum=1)
    if k > min(n, d):
        raise ValueError(f"num_components must be at most min(N, D) = {min(n, d)}, got {k}")
    mean = X_train.mean(axis=0)
    centred = (X_train - mean).astype(np.float64)
    if n >= d:
        variances, vectors = np.linalg.eigh(centred.T @ centred / n)  # ascending
        variances, vectors = np.maximum(variances[::-1], 0.0), vectors[:, ::-1]  # rounding can give -1e-17
    else:
        _, s, vt = np.linalg.svd(centred, full_matrices=False)  # vt: (N, D)
        variances, vectors = s ** 2 / n, vt.T
    vectors = vectors[:, :k]
    vectors = vectors * np.sign(vectors[np.abs(vectors).argmax(axis=0), np.arange(k)])
    return PCA(mean, vectors.astype(X_train.dtype), variances[:k].astype(X_train.dtype))


def pca_transform(X, pca, *, whiten=False, eps=1e-5):
    """Project X (N, D) onto the components: (N, K). With whiten=True each coordinate is divided by
    sqrt(variance + eps), so the training data's covariance becomes (nearly) the identity."""
    X = as_float_array("X", X, ndim=2)
    check_positive("eps", eps)
    projected = (X - pca.mean) @ pca.components  # (N, D) @ (D, K) -> (N, K)
    if whiten:
        projected = projected / np.sqrt(pca.variances + eps)
    return projected.astype(X.dtype, copy=False)


def preprocess(data, method="center", *, num_components=None, dtype=np.float32):
    """Turn a data dict of images into features for a network, fitting on X_train only.

    method: "none" (pixels in [0, 1]), "center" (subtract the training mean image),
    "standardize" (also divide by the training std per pixel), "pca" (project onto
    num_components principal components) or "whiten" (PCA, then unit variance per component).
    Returns: a new dict with the same keys, each X_* as float (N, D), and "preprocessing" holding
    the fitted statistics.
    """
    check_choice("method", method, METHODS)
    out = {key: value for key, value in data.items() if not key.startswith("X_")}
    features = {key: to_features(value, dtype) for key, value in data.items() if key.startswith("X_")}
    if "X_train" not in features:
        raise ValueError(f"data must contain X_train to fit the preprocessing on, got keys {sorted(data)}")
    if method == "none":
        stats, apply = None, lambda X: X
    elif method in ("center", "standardize"):
        stats = fit_standardizer(features["X_train"], scale=method == "standardize")
        apply = lambda X: standardize(X, stats)  # noqa: E731
    else:
        stats = fit_pca(features["X_train"], num_components)
        apply = lambda X: pca_transform(X, stats, whiten=method == "whiten")  # noqa: E731
    out.update({key: apply(X) for key, X in features.items()})
    out["preprocessing"] = stats
    return out
