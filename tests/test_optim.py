import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lecture_utils import optim

HYPER = {  # the settings tools/record_reference.py gave PyTorch
    "sgd": dict(learning_rate=0.1),
    "sgd_momentum": dict(learning_rate=0.05, rho=0.9),
    "nesterov": dict(learning_rate=0.05, rho=0.9),
    "adagrad": dict(learning_rate=0.5),
    "rmsprop": dict(learning_rate=0.01, decay_rate=0.99),
    "adam": dict(learning_rate=0.1),
    "adamw": dict(learning_rate=0.1, weight_decay=0.1),
}


@pytest.mark.parametrize("name", sorted(optim.RULES))
def test_rule_matches_pytorch_over_several_steps(ref, name):
    a, b, x = ref["optim_a"], ref["optim_b"], ref["optim_x0"].copy()
    expected = ref[f"optim_{name}"]
    assert len(expected) > 2  # several steps recorded, or the loop below would check nothing
    state = {}
    for step in range(1, len(expected)):
        x, state = optim.RULES[name](x, a * x + b, state, **HYPER[name])
        np.testing.assert_allclose(x, expected[step], rtol=1e-10, atol=1e-12, err_msg=f"{name} step {step}")


def test_rules_is_exactly_the_contract():
    assert set(optim.RULES) == {"sgd", "sgd_momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"}


@pytest.mark.parametrize("name", sorted(optim.RULES))
def test_rule_modifies_neither_x_nor_state(name, rng):
    x, dx = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    x_copy, dx_copy = x.copy(), dx.copy()
    _, state = optim.RULES[name](x, dx, {}, learning_rate=0.1)
    frozen = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in state.items()}
    _, new_state = optim.RULES[name](x, dx, state, learning_rate=0.1)
    np.testing.assert_array_equal(x, x_copy)
    np.testing.assert_array_equal(dx, dx_copy)
    assert new_state is not state
    for k, v in frozen.items():
        np.testing.assert_array_equal(state[k], v)


def test_state_keys_follow_the_slides(rng):
    x, dx = rng.normal(size=3), rng.normal(size=3)
    assert set(optim.sgd_momentum(x, dx, {}, learning_rate=0.1)[1]) == {"v"}
    assert set(optim.nesterov(x, dx, {}, learning_rate=0.1)[1]) == {"v"}
    assert set(optim.adagrad(x, dx, {}, learning_rate=0.1)[1]) == {"grad_squared"}
    assert set(optim.rmsprop(x, dx, {}, learning_rate=0.1)[1]) == {"grad_squared"}
    _, state = optim.adam(x, dx, {}, learning_rate=0.1)
    assert set(state) == {"first_moment", "second_moment", "t"} and state["t"] == 1


def test_adam_first_step_is_learning_rate_times_sign():
    # with bias correction the first step is lr * dx / |dx| (up to eps): the moments' zero start is undone
    x, dx = np.zeros(3), np.array([1e-3, -2.0, 50.0])
    x_next, _ = optim.adam(x, dx, {}, learning_rate=1e-2)
    np.testing.assert_allclose(x_next, -1e-2 * np.sign(dx), rtol=1e-3)


def test_momentum_convention_differs_from_the_slides_typo():
    # the slide's `x += learning_rate * vx` moves uphill; the package moves downhill on a parabola
    x = np.array([1.0])
    x_next, _ = optim.sgd_momentum(x, 2 * x, {}, learning_rate=0.1)
    assert x_next[0] < x[0]


@settings(max_examples=50, deadline=None)
@given(arrays(np.float64, 5, elements=st.floats(-10, 10)), st.floats(1e-4, 1.0))
def test_every_rule_is_still_at_a_zero_gradient(x, lr):
    for name, rule in optim.RULES.items():
        if name == "adamw":
            continue  # decoupled weight decay pulls x toward 0 even with no gradient
        x_next, _ = rule(x, np.zeros_like(x), {}, learning_rate=lr)
        np.testing.assert_allclose(x_next, x, err_msg=name)


def _rosenbrock(x):
    a, b = x
    value = (1 - a) ** 2 + 100 * (b - a * a) ** 2
    grad = np.array([-2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a)])
    return value, grad


# name: (hyperparameters, steps) tuned so each reaches the minimum; the table is the claim
PARABOLA = {
    "sgd": (dict(learning_rate=0.1), 200),
    "sgd_momentum": (dict(learning_rate=0.02, rho=0.9), 300),
    "nesterov": (dict(learning_rate=0.02, rho=0.9), 300),
    "adagrad": (dict(learning_rate=1.0), 500),
    "rmsprop": (dict(learning_rate=0.01), 1000),
    "adam": (dict(learning_rate=0.05), 1000),
    "adamw": (dict(learning_rate=0.05, weight_decay=0.0), 1000),
}
ROSENBROCK = {
    "sgd": (dict(learning_rate=1e-3), 30000),
    "sgd_momentum": (dict(learning_rate=1e-4, rho=0.9), 30000),
    "nesterov": (dict(learning_rate=1e-4, rho=0.9), 30000),
    "adagrad": (dict(learning_rate=0.5), 30000),
    "rmsprop": (dict(learning_rate=1e-3), 30000),
    "adam": (dict(learning_rate=1e-2), 30000),
    "adamw": (dict(learning_rate=1e-2, weight_decay=0.0), 30000),
}


@pytest.mark.parametrize("name", sorted(optim.RULES))
def test_every_rule_minimises_an_ill_conditioned_parabola(name):
    scale = np.array([1.0, 10.0])  # curvature 1 and 10: condition number 10
    x, state = np.array([3.0, -2.0]), {}
    hyper, steps = PARABOLA[name]
    for _ in range(steps):
        x, state = optim.RULES[name](x, scale * x, state, **hyper)
    assert np.linalg.norm(x) < 1e-2, f"{name} ended at {x}"


@pytest.mark.parametrize("name", sorted(optim.RULES))
def test_every_rule_reaches_rosenbrocks_minimum(name):
    x, state = np.array([-1.2, 1.0]), {}
    hyper, steps = ROSENBROCK[name]
    for _ in range(steps):
        x, state = optim.RULES[name](x, _rosenbrock(x)[1], state, **hyper)
    assert np.linalg.norm(x - 1.0) < 0.05, f"{name} ended at {x}"


@pytest.mark.parametrize("lr", [0.0, -1e-3, float("nan"), float("inf"), "0.1", None])
def test_bad_learning_rate_is_named(lr):
    with pytest.raises(ValueError, match="learning_rate"):
        optim.sgd(np.zeros(2), np.zeros(2), {}, learning_rate=lr)


def test_mismatched_shapes_are_reported():
    with pytest.raises(ValueError, match=r"dx must have the shape of x \(2,\), got \(3,\)"):
        optim.adam(np.zeros(2), np.zeros(3), {}, learning_rate=0.1)


@pytest.mark.parametrize("name,key", [("sgd_momentum", "rho"), ("rmsprop", "decay_rate"), ("adam", "beta1")])
def test_bad_decay_is_named(name, key):
    with pytest.raises(ValueError, match=key):
        optim.RULES[name](np.zeros(2), np.zeros(2), {}, learning_rate=0.1, **{key: 1.5})


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_rules_keep_the_dtype(dtype, rng):
    x, dx = rng.normal(size=4).astype(dtype), rng.normal(size=4).astype(dtype)
    for name, rule in optim.RULES.items():
        x_next, state = rule(x, dx, {}, learning_rate=0.1)
        x_next, _ = rule(x_next, dx, state, learning_rate=0.1)
        assert x_next.dtype == dtype, name
