import numpy as np
import pytest

from lecture_utils import preprocessing as P


@pytest.fixture
def data(rng):
    X = rng.normal(size=(300, 6)) @ rng.normal(size=(6, 6)) * 3 + 5  # correlated, off-centre
    return {"X_train": X[:200], "y_train": np.zeros(200, int), "X_val": X[200:250], "X_test": X[250:]}


def test_to_features_scales_uint8_images():
    X = np.full((2, 28, 28), 255, np.uint8)
    F = P.to_features(X)
    assert F.shape == (2, 784) and F.dtype == np.float32 and F.max() == 1.0


def test_standardize_uses_training_statistics_only(data):
    out = P.preprocess(data, "standardize", dtype=np.float64)
    np.testing.assert_allclose(out["X_train"].mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(out["X_train"].std(axis=0), 1, atol=1e-6)
    stats = out["preprocessing"]
    np.testing.assert_allclose(out["X_val"], (data["X_val"] - stats.mean) / stats.std)
    assert not np.allclose(out["X_val"].mean(axis=0), 0, atol=1e-3)  # validation keeps its own offset
    assert out["y_train"] is data["y_train"]


def test_center_only_subtracts(data):
    out = P.preprocess(data, "center", dtype=np.float64)
    np.testing.assert_allclose(out["X_test"], data["X_test"] - data["X_train"].mean(axis=0))


@pytest.mark.parametrize("method", ["pca", "whiten"])
def test_pca_decorrelates_and_whitening_gives_identity_covariance(data, method):
    out = P.preprocess(data, method, dtype=np.float64)
    cov = np.cov(out["X_train"], rowvar=False, bias=True)
    assert np.allclose(cov - np.diag(np.diag(cov)), 0, atol=1e-8)
    if method == "whiten":
        variances = out["preprocessing"].variances  # 1 up to the eps that guards tiny variances
        np.testing.assert_allclose(np.diag(cov), variances / (variances + 1e-5), rtol=1e-8)
        assert np.all(np.diag(cov) > 0.99)
    else:
        assert np.all(np.diff(np.diag(cov)) <= 1e-9)  # sorted by decreasing variance


def test_pca_keeps_the_requested_components(data):
    out = P.preprocess(data, "pca", num_components=2, dtype=np.float64)
    assert out["X_val"].shape == (50, 2)


def test_none_only_flattens_and_scales():
    images = {"X_train": np.zeros((3, 2, 2), np.uint8)}
    assert P.preprocess(images, "none")["X_train"].shape == (3, 4)


@pytest.mark.parametrize("call,name", [
    (lambda d: P.preprocess(d, "zca"), "method"), (lambda d: P.preprocess({"X_val": d["X_val"]}), "X_train"),
    (lambda d: P.fit_pca(d["X_train"], 7), "num_components"), (lambda d: P.fit_pca(d["X_train"], 0), "num_components"),
    (lambda d: P.standardize(d["X_train"][0], P.fit_standardizer(d["X_train"])), "X")])
def test_bad_input_is_named(data, call, name):
    with pytest.raises(ValueError, match=name):
        call(data)


@pytest.mark.parametrize("n", [40, 9])  # more rows than columns (covariance path) and fewer (SVD path)
def test_fit_pca_matches_the_svd_of_the_centred_data(n, rng):
    X = rng.normal(size=(n, 12)) @ rng.normal(size=(12, 12))  # correlated columns
    pca = P.fit_pca(X, 5)
    centred = X - X.mean(axis=0)
    _, s, vt = np.linalg.svd(centred, full_matrices=False)
    np.testing.assert_allclose(pca.variances, s[:5] ** 2 / n, rtol=1e-10)
    signs = np.sign(np.sum(pca.components * vt[:5].T, axis=0))
    np.testing.assert_allclose(pca.components, vt[:5].T * signs, atol=1e-8)
    biggest = np.abs(pca.components).argmax(axis=0)
    assert np.all(pca.components[biggest, np.arange(5)] > 0)  # the sign convention
    assert pca.components.dtype == X.dtype


def test_fit_pca_keeps_float32(rng):
    X = rng.normal(size=(30, 6)).astype(np.float32)
    pca = P.fit_pca(X)
    assert pca.components.dtype == pca.variances.dtype == np.float32
