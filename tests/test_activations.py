import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lecture_utils import activations as A
from lecture_utils.gradcheck import numerical_gradient_array, rel_error

ELEMENTWISE = {  # name: (forward with the fixture's settings, backward)
    "sigmoid": (A.sigmoid_forward, A.sigmoid_backward),
    "tanh": (A.tanh_forward, A.tanh_backward),
    "relu": (A.relu_forward, A.relu_backward),
    "leaky_relu": (lambda x: A.leaky_relu_forward(x, 0.1), A.leaky_relu_backward),
    "elu": (lambda x: A.elu_forward(x, 1.3), A.elu_backward),
    "gelu": (A.gelu_forward, A.gelu_backward),
}


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
def test_matches_pytorch(ref, name):
    forward, backward = ELEMENTWISE[name]
    out, cache = forward(ref["act_x"])
    np.testing.assert_allclose(out, ref[f"{name}_out"], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(backward(ref["act_dout"], cache), ref[f"{name}_grad0"], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
def test_gradient_check(name, rng):
    forward, backward = ELEMENTWISE[name]
    x = rng.normal(scale=2.0, size=(4, 5))
    x[np.abs(x) < 1e-3] = 0.5  # keep away from the kink at 0
    dout = rng.normal(size=(4, 5))
    _, cache = forward(x)
    assert rel_error(backward(dout, cache), numerical_gradient_array(lambda z: forward(z)[0], x, dout)) < 1e-5


def test_prelu_matches_pytorch_and_gradient_check(ref, rng):
    out, cache = A.prelu_forward(ref["act_x"], ref["prelu_alpha"])
    dx, dalpha = A.prelu_backward(ref["act_dout"], cache)
    np.testing.assert_allclose(out, ref["prelu_out"], rtol=1e-12)
    np.testing.assert_allclose(dx, ref["prelu_grad0"], rtol=1e-12)
    np.testing.assert_allclose(dalpha, ref["prelu_grad1"], rtol=1e-12)
    x, alpha, dout = rng.normal(size=(6, 3)), np.array([0.1, 0.2, 0.3]), rng.normal(size=(6, 3))
    dx, dalpha = A.prelu_backward(dout, A.prelu_forward(x, alpha)[1])
    assert rel_error(dx, numerical_gradient_array(lambda z: A.prelu_forward(z, alpha)[0], x, dout)) < 1e-8
    assert rel_error(dalpha, numerical_gradient_array(lambda a: A.prelu_forward(x, a)[0], alpha, dout)) < 1e-8


def test_maxout_matches_pytorch_and_gradient_check(ref, rng):
    out, cache = A.maxout_forward(ref["act_x"], ref["maxout_w"], ref["maxout_b"])
    np.testing.assert_allclose(out, ref["maxout_out"], rtol=1e-12)
    for got, i in zip(A.maxout_backward(ref["maxout_dout"], cache), range(3)):
        np.testing.assert_allclose(got, ref[f"maxout_grad{i}"], rtol=1e-12, atol=1e-14)
    x, w, b, dout = rng.normal(size=(5, 4)), rng.normal(size=(3, 4, 2)), rng.normal(size=(3, 2)), rng.normal(size=(5, 2))
    dx, dw, db = A.maxout_backward(dout, A.maxout_forward(x, w, b)[1])
    assert rel_error(dx, numerical_gradient_array(lambda z: A.maxout_forward(z, w, b)[0], x, dout)) < 1e-8
    assert rel_error(dw, numerical_gradient_array(lambda z: A.maxout_forward(x, z, b)[0], w, dout)) < 1e-8
    assert rel_error(db, numerical_gradient_array(lambda z: A.maxout_forward(x, w, z)[0], b, dout)) < 1e-8


floats = arrays(np.float64, st.integers(1, 20), elements=st.floats(-1e3, 1e3))


@settings(max_examples=100, deadline=None)
@given(floats)
def test_sigmoid_is_a_probability_and_symmetric(x):
    out, _ = A.sigmoid_forward(x)
    assert np.all((out >= 0) & (out <= 1))
    inside = np.abs(x) < 30  # beyond that float64 rounds to exactly 0 or 1
    assert np.all((out[inside] > 0) & (out[inside] < 1))
    np.testing.assert_allclose(out + A.sigmoid_forward(-x)[0], 1.0, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(floats)
def test_rectifiers(x):
    relu, _ = A.relu_forward(x)
    leaky, _ = A.leaky_relu_forward(x)
    elu, _ = A.elu_forward(x)
    assert np.all(relu >= 0) and np.all(np.isfinite(elu)) and np.all(elu >= -1.0)
    np.testing.assert_array_equal(relu, np.maximum(x, 0))
    assert np.all(leaky <= relu)
    np.testing.assert_array_equal(elu[x > 0], x[x > 0])


@settings(max_examples=100, deadline=None)
@given(floats)
def test_gradients_are_bounded(x):
    ones = np.ones_like(x)
    assert np.all(A.sigmoid_backward(ones, A.sigmoid_forward(x)[1]) <= 0.25)
    assert np.all(np.abs(A.tanh_backward(ones, A.tanh_forward(x)[1])) <= 1.0)


def test_float32_stays_float32():
    x = np.linspace(-3, 3, 12, dtype=np.float32)
    for name, (forward, backward) in A.ACTIVATIONS.items():
        out, cache = forward(x)
        assert out.dtype == np.float32 and backward(np.ones_like(x), cache).dtype == np.float32, name


def test_activations_dict():
    assert set(A.ACTIVATIONS) == {"sigmoid", "tanh", "relu", "leaky_relu", "elu"}


@pytest.mark.parametrize("call,name", [
    (lambda: A.relu_forward(np.arange(3)), "x"), (lambda: A.relu_forward([1.0, 2.0]), "x"),
    (lambda: A.elu_forward(np.zeros(3), alpha=-1.0), "alpha"),
    (lambda: A.prelu_forward(np.zeros((2, 3)), np.zeros(4)), "alpha"),
    (lambda: A.maxout_forward(np.zeros((2, 3)), np.zeros((2, 4, 5)), np.zeros((2, 5))), "w")])
def test_bad_input_is_named(call, name):
    with pytest.raises(ValueError, match=name):
        call()


# ----- the one table of activation names (models and experiments) -----

@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "prelu", "elu", "gelu"])
def test_activation_layer_gives_each_names_pair(name):
    from lecture_utils.activations import ACTIVATION_NAMES, ALPHA_DEFAULTS, activation_layer

    assert name in ACTIVATION_NAMES
    x = np.linspace(-3, 3, 13).reshape(1, -1)
    forward, backward = activation_layer(name)
    out, cache = forward(x)
    if name == "gelu":
        np.testing.assert_array_equal(out, A.gelu_forward(x)[0])
    else:
        table = A.ACTIVATIONS["leaky_relu" if name == "prelu" else name]
        kwargs = {"alpha": ALPHA_DEFAULTS[name]} if name in ALPHA_DEFAULTS else {}
        np.testing.assert_array_equal(out, table[0](x, **kwargs)[0])
        assert backward is table[1]
    if name in ALPHA_DEFAULTS:  # a given alpha replaces the default
        np.testing.assert_allclose(activation_layer(name, 0.5)[0](np.array([-2.0]))[0],
                                   A.ACTIVATIONS["leaky_relu" if name == "prelu" else name][0](np.array([-2.0]), 0.5)[0])


def test_activation_layer_names_a_bad_name():
    from lecture_utils.activations import activation_layer

    with pytest.raises(ValueError, match="activation"):
        activation_layer("swish")
