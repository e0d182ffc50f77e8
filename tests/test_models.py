import numpy as np
import pytest

from lecture_utils.gradcheck import numerical_gradient, rel_error
from lecture_utils.models import FullyConnectedNet


@pytest.mark.parametrize("normalization", [None, "batchnorm", "layernorm"])
@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "leaky_relu", "elu"])
def test_gradient_check(normalization, activation, rng):
    X, y = rng.normal(size=(6, 5)), rng.integers(0, 3, 6)
    model = FullyConnectedNet([7, 4], 5, 3, activation=activation, normalization=normalization,
                              reg=0.1, seed=1, dtype=np.float64, init=0.5)
    loss, grads = model.loss(X, y)
    for name, param in model.params.items():
        numeric = numerical_gradient(lambda _: model.loss(X, y)[0], param)
        if normalization == "batchnorm" and name in ("b1", "b2"):
            # batch norm subtracts the batch mean, so a bias before it has no effect at all
            assert np.max(np.abs(grads[name])) < 1e-12 and np.max(np.abs(numeric)) < 1e-9
            continue
        assert rel_error(grads[name], numeric) < 1e-5, f"{name}: {rel_error(grads[name], numeric)}"


def test_gradient_check_with_dropout(rng):
    X, y = rng.normal(size=(6, 5)), rng.integers(0, 3, 6)
    model = FullyConnectedNet([8, 8], 5, 3, keep_prob=0.7, normalization="batchnorm", seed=2, dtype=np.float64)
    _, grads = model.loss(X, y, rng=np.random.default_rng(5))
    for name, param in model.params.items():
        numeric = numerical_gradient(lambda _: model.loss(X, y, rng=np.random.default_rng(5))[0], param)
        assert rel_error(grads[name], numeric) < 1e-5, name


def test_param_names_and_shapes():
    model = FullyConnectedNet([4, 3], 6, 2, normalization="batchnorm")
    shapes = {k: v.shape for k, v in model.params.items()}
    assert shapes == {"W1": (6, 4), "b1": (4,), "gamma1": (4,), "beta1": (4,), "W2": (4, 3), "b2": (3,),
                      "gamma2": (3,), "beta2": (3,), "W3": (3, 2), "b3": (2,)}
    assert all(v.dtype == np.float32 for v in model.params.values())


def test_initial_loss_is_about_log_of_classes(rng):
    model = FullyConnectedNet([50], 20, 10, init=1e-3, seed=0)
    loss, _ = model.loss(rng.normal(size=(200, 20)), rng.integers(0, 10, 200))
    assert loss == pytest.approx(np.log(10), rel=1e-3)


def test_regularization_raises_the_loss(rng):
    X, y = rng.normal(size=(20, 8)), rng.integers(0, 3, 20)
    plain = FullyConnectedNet([10], 8, 3, seed=0, dtype=np.float64).loss(X, y)[0]
    model = FullyConnectedNet([10], 8, 3, reg=0.5, seed=0, dtype=np.float64)
    weights = sum(np.sum(model.params[k] ** 2) for k in ("W1", "W2"))
    assert model.loss(X, y)[0] == pytest.approx(plain + 0.5 * weights)


def test_test_mode_returns_scores_and_no_randomness(rng):
    model = FullyConnectedNet([10], 8, 3, keep_prob=0.5, normalization="batchnorm", seed=0)
    X = rng.normal(size=(16, 8)).astype(np.float32)
    model.loss(X, rng.integers(0, 3, 16))  # fills batch norm's running statistics
    scores = model.loss(X)
    assert scores.shape == (16, 3)
    np.testing.assert_array_equal(scores, model.loss(X))
    np.testing.assert_array_equal(model.predict(X, batch_size=5), scores.argmax(axis=1))


def test_dropout_masks_come_from_the_models_generator_by_default(rng):
    X, y = rng.normal(size=(10, 8)), rng.integers(0, 3, 10)
    model = FullyConnectedNet([20], 8, 3, keep_prob=0.5, seed=0, dtype=np.float64)
    assert model.loss(X, y)[0] != model.loss(X, y)[0]  # the generator advances
    assert model.loss(X, y, rng=np.random.default_rng(1))[0] == model.loss(X, y, rng=np.random.default_rng(1))[0]


def test_same_seed_same_weights():
    a, b = FullyConnectedNet([5], 4, 3, seed=3), FullyConnectedNet([5], 4, 3, seed=3)
    assert all(np.array_equal(a.params[k], b.params[k]) for k in a.params)


@pytest.mark.parametrize("kwargs,name", [
    (dict(activation="swish"), "activation"), (dict(normalization="groupnorm"), "normalization"),
    (dict(keep_prob=0.0), "keep_prob"), (dict(reg=-1.0), "reg"), (dict(init="kaiming"), "scheme"),
    (dict(dtype=np.int32), "dtype")])
def test_bad_arguments_are_named(kwargs, name):
    with pytest.raises(ValueError, match=name):
        FullyConnectedNet([5], 4, 3, **kwargs)


def test_bad_data_is_named(rng):
    model = FullyConnectedNet([5], 4, 3)
    with pytest.raises(ValueError, match="X must have shape"):
        model.loss(rng.normal(size=(2, 5)), np.array([0, 1]))
    with pytest.raises(ValueError, match="y"):
        model.loss(rng.normal(size=(2, 4)), np.array([0, 3]))
    with pytest.raises(ValueError, match="floating"):
        model.loss(np.zeros((2, 4), dtype=np.uint8))


@pytest.mark.parametrize("activation", ["prelu", "gelu"])
def test_gradient_check_of_the_extra_activations(activation, rng):
    X, y = rng.normal(size=(6, 5)), rng.integers(0, 3, 6)
    model = FullyConnectedNet([7, 4], 5, 3, activation=activation, reg=0.1, seed=1, dtype=np.float64, init=0.5)
    if activation == "prelu":
        assert np.all(model.params["alpha1"] == 0.25) and model.params["alpha2"].shape == (4,)
    _, grads = model.loss(X, y)
    assert set(grads) == set(model.params)
    for name, param in model.params.items():
        numeric = numerical_gradient(lambda _: model.loss(X, y)[0], param)
        assert rel_error(grads[name], numeric) < 1e-5, name


def test_maxout_net_gradient_check_and_shapes(rng):
    from lecture_utils.models import MaxoutNet

    X, y = rng.normal(size=(6, 5)), rng.integers(0, 3, 6)
    model = MaxoutNet([4, 3], 5, 3, pieces=3, reg=0.05, seed=0, dtype=np.float64)
    assert model.params["W1"].shape == (3, 5, 4) and model.params["b2"].shape == (3, 3)
    assert model.params["W3"].shape == (3, 3) and model.loss(X).shape == (6, 3)
    _, grads = model.loss(X, y)
    for name, param in model.params.items():
        numeric = numerical_gradient(lambda _: model.loss(X, y)[0], param)
        assert rel_error(grads[name], numeric) < 1e-6, name
