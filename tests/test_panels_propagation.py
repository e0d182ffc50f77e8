"""The activation and initialization panels' computations (lecture_utils/experiments/propagation.py) over a grid of
slider values, and the histogram they draw."""
import itertools

import numpy as np
import pytest

from lecture_utils.experiments.propagation import ACTIVATION_NAMES, activation_curve, activation_profile, init_profile, propagate


@pytest.mark.parametrize("activation,alpha,seed", list(itertools.product(ACTIVATION_NAMES, [0.0, 0.1, 1.0], [0, 7])))
def test_activation_profile_over_the_slider_range(activation, alpha, seed):
    result = activation_profile(activation, alpha, seed=seed)
    curve, prop = result["curve"], result["propagation"]
    assert curve["x"].shape == curve["f"].shape == curve["df"].shape == (401,)
    assert np.all(np.isfinite(curve["f"])) and np.all(np.isfinite(curve["df"]))
    assert prop["layers"] == 6 and prop["overflow"] is None
    for key in ("act_std", "act_mean", "grad_std", "weight_grad_std", "act_zero", "act_blocked"):
        assert prop[key].shape == (6,) and np.all(np.isfinite(prop[key])), key
    assert len(prop["act_hist"]) == len(prop["grad_hist"]) == 6


@pytest.mark.parametrize("activation,alpha", list(itertools.product(("leaky_relu", "prelu"), [0.0, 0.1, 0.5, 1.0])))
def test_activation_profile_init_matched_to_alpha_keeps_the_spread(activation, alpha):
    # He's init at alpha = 1 (the identity) grew the std from 1.4 to 8 over six layers; the matched init keeps it
    act_std = activation_profile(activation, alpha, seed=0)["propagation"]["act_std"]
    assert act_std.max() / act_std.min() < 1.25


@pytest.mark.parametrize("init,log10_std,activation,depth,width", [
    ("std", -2.0, "tanh", 10, 256),  # the defaults
    *[("std", s, a, d, w) for s in (-4.0, 1.0) for a in ("tanh", "relu", "sigmoid") for d in (1, 20) for w in (64, 500)],
    *[(i, -2.0, a, 20, 500) for i in ("xavier", "he") for a in ACTIVATION_NAMES],
])
def test_init_profile_over_the_slider_range(init, log10_std, activation, depth, width):
    result = init_profile(init, log10_std, activation=activation, depth=depth, width=width, seed=0)
    assert result["layers"] + (result["overflow"] is not None) >= 1
    if result["overflow"]:
        assert result["overflow"].startswith("the activations overflow at layer")
        assert result["layers"] < depth
    else:
        assert result["layers"] == depth
    assert np.all(np.isfinite(result["act_std"])) and np.all(np.isfinite(result["grad_std"]))


def test_init_profile_reports_an_overflow_instead_of_nan():
    result = init_profile("std", 1.0, activation="relu", depth=20, width=500)
    assert result["overflow"] == f"the activations overflow at layer {result['layers'] + 1}: the weights are far too large"


@pytest.mark.parametrize("call,name", [
    (lambda: init_profile("kaiming"), "init"), (lambda: init_profile("std", 2.0), "log10_std"),
    (lambda: propagate("swish"), "activation"), (lambda: propagate("relu", depth=0), "depth"),
    (lambda: activation_curve("elu", -1.0), "alpha")])
def test_profiles_refuse_bad_values(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_propagate_matches_the_variance_argument():
    # a linear-like regime: var(out) = fan_in * var(w) * var(x) for tanh near 0 with tiny weights
    result = propagate("tanh", 0.01, depth=1, width=500, num_samples=2000)
    assert result["act_std"][0] == pytest.approx(np.sqrt(500) * 0.01, rel=0.05)
    he = propagate("relu", "he", depth=10, width=500, num_samples=1000)
    assert 0.5 < he["act_std"][-1] / he["act_std"][0] < 1.5


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("scale", [1.0, 1e-6, 1e-30, 1e30])
def test_propagation_histogram_matches_numpy(dtype, scale, rng):
    from lecture_utils.experiments.propagation import BINS, _histogram

    values = (rng.standard_normal((300, 7)) * scale).astype(dtype)
    counts, edges = _histogram(values)
    want, want_edges = np.histogram(values.astype(np.float64), bins=BINS, range=(values.min(), values.max()))
    np.testing.assert_allclose(edges, want_edges, rtol=0, atol=1e-6 * (want_edges[-1] - want_edges[0]))
    assert counts.sum() == values.size and np.abs(counts - want).sum() <= 2  # a value at an edge may move


def test_propagation_histogram_of_equal_values():
    from lecture_utils.experiments.propagation import _histogram

    counts, edges = _histogram(np.full((4, 5), 0.5, np.float32))
    assert counts.sum() == 20 and edges[0] < 0.5 < edges[-1]
