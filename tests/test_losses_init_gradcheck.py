import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lecture_utils import init, losses
from lecture_utils.gradcheck import numerical_gradient, numerical_gradient_array, rel_error


def test_softmax_loss_matches_pytorch(ref):
    loss, dscores = losses.softmax_loss(ref["loss_scores"], ref["loss_y"])
    assert loss == pytest.approx(float(ref["softmax_out"]), rel=1e-12)
    np.testing.assert_allclose(dscores, ref["softmax_grad0"], rtol=1e-10, atol=1e-14)


def test_svm_loss_matches_pytorch_times_the_number_of_classes(ref):
    loss, dscores = losses.svm_loss(ref["loss_scores"], ref["loss_y"])
    c = ref["loss_scores"].shape[1]  # Convention: PyTorch's multi_margin_loss divides by C
    assert loss == pytest.approx(c * float(ref["svm_out"]), rel=1e-12)
    np.testing.assert_allclose(dscores, c * ref["svm_grad0"], rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("loss_fn", [losses.softmax_loss, losses.svm_loss])
def test_loss_gradient_check(loss_fn, rng):
    scores, y = rng.normal(size=(6, 4)), rng.integers(0, 4, 6)
    _, dscores = loss_fn(scores, y)
    assert rel_error(dscores, numerical_gradient(lambda s: loss_fn(s, y)[0], scores)) < 1e-6


def test_softmax_loss_of_tiny_scores_is_log_of_classes():
    loss, _ = losses.softmax_loss(np.zeros((5, 10)), np.arange(5))
    assert loss == pytest.approx(np.log(10))


@settings(max_examples=50, deadline=None)
@given(st.floats(-1e4, 1e4), st.integers(0, 2**32 - 1))
def test_softmax_loss_is_finite_for_huge_scores(shift, seed):
    scores = np.random.default_rng(seed).normal(scale=1e3, size=(4, 5)) + shift
    loss, dscores = losses.softmax_loss(scores, np.array([0, 1, 2, 3]))
    assert np.isfinite(loss) and loss >= 0 and np.all(np.isfinite(dscores))
    np.testing.assert_allclose(dscores.sum(axis=1), 0, atol=1e-12)


@pytest.mark.parametrize("penalty", [losses.l2_penalty, losses.l1_penalty, lambda w: losses.elastic_net_penalty(w, 0.5)])
def test_penalty_gradient_check(penalty, rng):
    w = rng.normal(size=(4, 3))
    value, grad = penalty(w)
    assert rel_error(grad, numerical_gradient(lambda z: penalty(z)[0], w)) < 1e-7


def test_penalties_are_the_slides_formulas():
    w = np.array([[1.0, -2.0], [0.0, 3.0]])
    assert losses.l2_penalty(w)[0] == 14.0  # no factor 0.5
    assert losses.l1_penalty(w)[0] == 6.0
    assert losses.elastic_net_penalty(w, 0.5)[0] == 0.5 * 14 + 6


@pytest.mark.parametrize("call,name", [
    (lambda: losses.softmax_loss(np.zeros((2, 3)), np.array([0, 3])), "y"),
    (lambda: losses.softmax_loss(np.zeros((2, 3)), np.array([0.0, 1.0])), "y"),
    (lambda: losses.softmax_loss(np.zeros((2, 3)), np.array([0, 1, 2])), "y"),
    (lambda: losses.svm_loss(np.zeros(3), np.array([0])), "scores"),
    (lambda: losses.elastic_net_penalty(np.zeros(3), -1.0), "beta")])
def test_bad_input_is_named(call, name):
    with pytest.raises(ValueError, match=name):
        call()


@pytest.mark.parametrize("scheme,std", [("xavier", 1 / np.sqrt(400)), ("he", np.sqrt(2 / 400)),
                                        ("glorot", np.sqrt(2 / 500)), (0.01, 0.01)])
def test_init_std(scheme, std, rng):
    w = init.init_weights(400, 100, scheme, rng)
    assert w.shape == (400, 100)
    assert abs(w.mean()) < 5 * std / np.sqrt(w.size)
    assert w.std() == pytest.approx(std, rel=0.03)


def test_he_uses_fan_in_not_fan_out(rng):
    assert init.init_weights(800, 10, "he", rng).std() == pytest.approx(np.sqrt(2 / 800), rel=0.05)


def test_he_keeps_relu_activations_alive_through_ten_layers(rng):
    x = rng.normal(size=(500, 256))
    for _ in range(10):
        x = np.maximum(0, x @ init.init_weights(256, 256, "he", rng))
    assert 0.5 < x.std() < 2.0  # while std 0.01 would shrink it by about 14x per layer


@pytest.mark.parametrize("call,name", [
    (lambda r: init.init_weights(10, 10, "kaiming", r), "scheme"), (lambda r: init.init_weights(0, 10, "he", r), "fan_in"),
    (lambda r: init.init_weights(10, 10, -0.1, r), "scheme"), (lambda r: init.init_weights(10, 10, "he", 0), "rng")])
def test_init_bad_input_is_named(call, name, rng):
    with pytest.raises(ValueError, match=name):
        call(rng)


def test_numerical_gradient_restores_x_and_is_accurate():
    x = np.array([1.0, -2.0, 3.0])
    before = x.copy()
    grad = numerical_gradient(lambda z: np.sum(z**3), x)
    np.testing.assert_array_equal(x, before)
    np.testing.assert_allclose(grad, 3 * x**2, rtol=1e-8)


def test_numerical_gradient_array_of_an_elementwise_function():
    x, dout = np.array([[0.5, -1.0]]), np.array([[2.0, 3.0]])
    np.testing.assert_allclose(numerical_gradient_array(np.sin, x, dout), np.cos(x) * dout, rtol=1e-8)


def test_rel_error():
    assert rel_error(np.array([1.0, 2.0]), np.array([1.0, 2.0])) == 0.0
    assert rel_error(np.array([1.0]), np.array([3.0])) == pytest.approx(0.5)
    assert rel_error(np.zeros(2), np.zeros(2)) == 0.0
    with pytest.raises(ValueError, match="same shape"):
        rel_error(np.zeros(2), np.zeros(3))


# ----- the one softmax and the one penalty function every model uses -----

def test_softmax_is_stable_sums_to_one_and_can_work_in_place(rng):
    from lecture_utils.losses import log_softmax, softmax

    scores = rng.normal(size=(4, 5)) * 3
    scores[0] += 1000  # exp would overflow without the shift
    probs = softmax(scores, axis=1)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)
    np.testing.assert_allclose(probs, softmax(scores - 7.0, axis=1))  # shift invariance
    np.testing.assert_allclose(np.log(probs), log_softmax(scores, axis=1), atol=1e-12)
    in_place = scores.copy()
    assert softmax(in_place, axis=1, out=in_place) is in_place
    np.testing.assert_array_equal(in_place, probs)
    assert np.isfinite(log_softmax(np.array([[0.0, -5000.0]]))).all()  # a probability that underflows


@pytest.mark.parametrize("kind", ["l2", "l1", "elastic_net"])
def test_weight_penalty_adds_reg_times_each_penalty_over_the_named_weights(kind, rng):
    from lecture_utils.losses import PENALTIES, weight_penalty

    params = {"W1": rng.normal(size=(3, 4)), "b1": rng.normal(size=4), "W2": rng.normal(size=(4, 2))}
    grads = {k: np.ones_like(v) for k, v in params.items()}
    total = weight_penalty(params, grads, 0.1, ["W1", "W2"], kind, beta=0.5)
    expected, want = 0.0, {k: np.ones_like(v) for k, v in params.items()}
    for name in ("W1", "W2"):
        value, grad = PENALTIES[kind](params[name], 0.5) if kind == "elastic_net" else PENALTIES[kind](params[name])
        expected += 0.1 * value
        want[name] += 0.1 * grad
    assert total == pytest.approx(expected)
    for k in params:
        np.testing.assert_array_equal(grads[k], want[k])  # the bias untouched
    assert weight_penalty(params, grads, 0.0, ["W1"]) == 0.0
    with pytest.raises(ValueError, match="kind"):
        weight_penalty(params, grads, 0.1, ["W1"], "l3")
