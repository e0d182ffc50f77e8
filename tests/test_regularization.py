"""Notebook 10's layers and models: DropConnect, fractional max pooling, the small ConvNet, stochastic depth,
augmentation."""
import math

import numpy as np
import pytest

from lecture_utils.gradcheck import numerical_gradient_array, rel_error
from lecture_utils.experiments.regularization import (Augmented, ConvNet, ResidualNet, augment, dropconnect_backward,
                                          dropconnect_forward, fractional_max_pool_backward,
                                          fractional_max_pool_forward, fractional_regions)


def test_dropconnect_gradients_and_test_mode(rng):
    x, w, b = rng.normal(size=(4, 5)), rng.normal(size=(5, 3)), rng.normal(size=3)
    out, cache = dropconnect_forward(x, w, b, keep_prob=0.6, train=True, rng=np.random.default_rng(1))
    dout = rng.normal(size=out.shape)
    dx, dw, db = dropconnect_backward(dout, cache)

    def f_x(z):
        return dropconnect_forward(z, w, b, keep_prob=0.6, train=True, rng=np.random.default_rng(1))[0]

    def f_w(z):
        return dropconnect_forward(x, z, b, keep_prob=0.6, train=True, rng=np.random.default_rng(1))[0]

    assert rel_error(dx, numerical_gradient_array(f_x, x.copy(), dout)) < 1e-8
    assert rel_error(dw, numerical_gradient_array(f_w, w.copy(), dout)) < 1e-8
    test, _ = dropconnect_forward(x, w, b, keep_prob=0.6, train=False)
    assert np.allclose(test, x @ w + b)
    many = np.mean([dropconnect_forward(x, w, b, keep_prob=0.6, train=True, rng=np.random.default_rng(s))[0]
                    for s in range(4000)], axis=0)
    assert np.allclose(many, test, atol=0.15)  # the test-time layer is the mean of the random ones
    with pytest.raises(ValueError, match="keep_prob"):
        dropconnect_forward(x, w, b, keep_prob=0.0, train=True, rng=rng)


@pytest.mark.parametrize("n_in,ratio", [(28, math.sqrt(2)), (19, math.sqrt(2)), (10, 1.5), (7, 1.9)])
def test_fractional_regions_cover_the_input_with_sizes_one_or_two(n_in, ratio, rng):
    for u in rng.random(10):
        starts, ends = fractional_regions(n_in, ratio, u)
        sizes = ends - starts
        assert starts[0] == 0 and np.all(starts[1:] == ends[:-1]) and ends[-1] <= n_in
        assert set(sizes.tolist()) <= {1, 2} and len(starts) == int((n_in - 1) // ratio)
    with pytest.raises(ValueError, match="ratio"):
        fractional_regions(28, 2.0, 0.5)


def test_fractional_max_pool_takes_region_maxima_and_routes_the_gradient(rng):
    x = rng.normal(size=(2, 3, 9, 9))
    u = (0.3, 0.8)
    out, cache = fractional_max_pool_forward(x, ratio=math.sqrt(2), u=u)
    (r0, r1), (c0, c1) = fractional_regions(9, math.sqrt(2), 0.3), fractional_regions(9, math.sqrt(2), 0.8)
    expected = np.array([[[[x[n, c, r0[i]:r1[i], c0[j]:c1[j]].max() for j in range(len(c0))]
                           for i in range(len(r0))] for c in range(3)] for n in range(2)])
    assert np.allclose(out, expected)
    dout = rng.normal(size=out.shape)
    dx = fractional_max_pool_backward(dout, cache)
    numeric = numerical_gradient_array(lambda z: fractional_max_pool_forward(z, ratio=math.sqrt(2), u=u)[0],
                                       x.copy(), dout)
    assert rel_error(dx, numeric) < 1e-8


@pytest.mark.parametrize("pool", ["max", "fractional"])
def test_convnet_gradients(pool, rng):
    net = ConvNet(filters=2, pool=pool, size=8, reg=0.01, seed=1)
    net.params = {k: v.astype(np.float64) for k, v in net.params.items()}
    X, y = rng.normal(size=(3, 64)), np.array([1, 4, 7])
    loss, grads = net.loss(X, y, rng=np.random.default_rng(5))
    for name in net.params:
        def f(_):
            return net.loss(X, y, rng=np.random.default_rng(5))[0]
        numeric = numerical_gradient_array(lambda z: np.array(f(z)), net.params[name], np.array(1.0))
        assert rel_error(grads[name], numeric) < 1e-5, name
    assert net.loss(X).shape == (3, 10)
    assert np.array_equal(net.loss(X), net.loss(X))  # test mode is deterministic


def test_residual_net_gradients_and_test_scaling(rng):
    net = ResidualNet(6, 5, 3, survival_last=0.5, reg=0.01, seed=2)
    net.params = {k: v.astype(np.float64) for k, v in net.params.items()}
    X, y = rng.normal(size=(4, 6)), np.array([0, 3, 9, 2])
    for seed in (0, 1, 2):  # different blocks dropped
        loss, grads = net.loss(X, y, rng=np.random.default_rng(seed))
        for name in net.params:
            numeric = numerical_gradient_array(
                lambda z: np.array(net.loss(X, y, rng=np.random.default_rng(seed))[0]), net.params[name],
                np.array(1.0))
            assert rel_error(grads[name], numeric) < 1e-5, (seed, name)
    assert np.allclose(net.survival, [1 - 1 / 6, 1 - 2 / 6, 0.5])
    random_passes = np.mean([net._forward(X, (np.random.default_rng(s).random(3) < net.survival).astype(float))[0]
                             for s in range(3000)], axis=0)
    assert rel_error(random_passes, net.loss(X)) < 0.05  # roughly the average of the random networks


def test_augment_keeps_shapes_and_each_option_does_its_part(rng):
    images = rng.random((6, 8, 8)).astype(np.float32)
    assert np.array_equal(augment(images, rng, flip=False, shift=0), images)
    flipped = augment(images, np.random.default_rng(0), flip=True, shift=0)
    assert all(np.array_equal(f, i) or np.array_equal(f, i[:, ::-1]) for f, i in zip(flipped, images))
    shifted = augment(images, np.random.default_rng(0), flip=False, shift=2)
    assert shifted.shape == images.shape and not np.array_equal(shifted, images)
    cut = augment(images + 1, np.random.default_rng(0), flip=False, shift=0, cutout=3)
    assert np.all(np.sum(cut == 0, axis=(1, 2)) == 9)
    with pytest.raises(ValueError, match="shift"):
        augment(images, rng, shift=-1)


def test_augmented_model_trains_on_new_images_and_tests_on_the_originals(rng):
    seen = []

    class Recorder:
        params = {}

        def loss(self, X, y=None, rng=None):
            seen.append(X.copy())
            return (0.0, {}) if y is not None else np.zeros((len(X), 10))

    model = Augmented(Recorder(), size=4, shift=1, flip=True)
    X = rng.random((3, 16)).astype(np.float32)
    model.loss(X, np.zeros(3, int), rng=np.random.default_rng(0))
    model.loss(X)
    assert seen[0].shape == X.shape and not np.array_equal(seen[0], X) and np.array_equal(seen[1], X)


@pytest.mark.parametrize("penalty,keep_weights", [("l1", 1.0), ("elastic_net", 1.0), ("l2", 0.7)])
def test_fully_connected_penalties_and_dropconnect_gradients(penalty, keep_weights, rng):
    from lecture_utils.models import FullyConnectedNet

    net = FullyConnectedNet([6, 5], 4, 3, reg=0.05, penalty=penalty, beta=0.5, keep_weights=keep_weights, seed=3,
                            dtype=np.float64)
    X, y = rng.normal(size=(5, 4)), np.array([0, 2, 1, 1, 0])
    loss, grads = net.loss(X, y, rng=np.random.default_rng(11))
    for name in net.params:
        numeric = numerical_gradient_array(lambda z: np.array(net.loss(X, y, rng=np.random.default_rng(11))[0]),
                                           net.params[name], np.array(1.0))
        assert rel_error(grads[name], numeric) < 1e-6, name
    assert [h.shape for h in net.hidden_outputs(X)] == [(5, 6), (5, 5)]
    with pytest.raises(ValueError, match="penalty"):
        FullyConnectedNet([3], 4, 3, penalty="l3")


@pytest.mark.parametrize("kind", ["none", "l2", "l1", "dropout"])
@pytest.mark.parametrize("log10_reg,keep_prob,seed", [(-6.0, 0.05, 0), (-2.0, 0.5, 1), (0.0, 1.0, 2**31 - 1)])
def test_regularization_probe_over_the_sliders(kind, log10_reg, keep_prob, seed):
    from lecture_utils.experiments.regularization import regularization_probe

    result = regularization_probe(kind, log10_reg, keep_prob, seed=seed)
    assert result["steps"].tolist() == list(range(0, 600, 30)) + [600]
    for key in ("train_acc", "val_acc"):
        assert np.all((result[key] >= 0) & (result[key] <= 1))
    assert 0 <= result["near_zero"] <= 1
    # the strength the panel's title shows: the one this kind used
    assert result["setting"] == {"l2": f"reg {10 ** log10_reg:.1e}", "l1": f"reg {10 ** log10_reg:.1e}",
                                 "dropout": f"keep_prob {keep_prob:.2f}"}.get(kind, "no regularizer")


def test_regularization_probe_shows_overfitting_and_l1_sparsity():
    from lecture_utils.experiments.regularization import regularization_probe

    free, l1 = regularization_probe("none"), regularization_probe("l1", -2.0)
    assert free["train_acc"][-1] == 1.0 and free["train_acc"][-1] - free["val_acc"][-1] > 0.15
    assert l1["near_zero"] > 10 * free["near_zero"]
    with pytest.raises(ValueError, match="kind"):
        regularization_probe("dropconnect")
    with pytest.raises(ValueError, match="log10_reg"):
        regularization_probe("l2", 1.0)


def test_regularization_probe_at_the_ends_notebook_10_names():
    """Notebook 10's panel text: L2 at 1e-1 underfits, at 1 the network stays at chance, tiny strengths and
    keep_prob 1.0 equal no regularizer, dropout at 0.2 narrows the gap and at 0.05 underfits."""
    from lecture_utils.experiments.regularization import regularization_probe

    def final(result):
        return result["train_acc"][-1], result["val_acc"][-1]

    free = final(regularization_probe("none"))
    for same in (final(regularization_probe("l2", -6.0)), final(regularization_probe("dropout", -2.0, 1.0))):
        assert np.allclose(same, free, atol=0.02)
    strong = final(regularization_probe("l2", -1.0))
    assert strong[0] < 0.85 and strong[1] < free[1] - 0.05
    for kind in ("l2", "l1"):
        assert final(regularization_probe(kind, 0.0))[1] < 0.2
    narrow = final(regularization_probe("dropout", -2.0, 0.2))
    assert narrow[0] - narrow[1] < free[0] - free[1] - 0.05
    assert final(regularization_probe("dropout", -2.0, 0.05))[0] < 0.85
