"""Every slider panel's computation over a grid of slider values, and the thin widget layer on top."""
import itertools

import numpy as np
import pytest

from lecture_utils.gradcheck import step_size_sweep
from lecture_utils.experiments.panels import COMPUTATIONS


@pytest.mark.parametrize("log10_h,seed", list(itertools.product([-12.0, -8.5, -5.0, -1.0], [0, 1, 2**31 - 1])))
def test_step_size_sweep_is_finite_over_the_slider_range(log10_h, seed):
    result = step_size_sweep(log10_h, seed=seed)
    assert result["h"] == pytest.approx(10**log10_h)
    for name in ("float64", "float32"):
        curve, at_h = result[name]["curve"], result[name]["at_h"]
        assert curve.shape == result["grid"].shape == (12,)
        assert np.all(np.isfinite(curve)) and np.all((curve >= 0) & (curve <= 1)) and 0 <= at_h <= 1


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_step_size_sweep_shows_the_valley_for_every_seed(seed):
    result = step_size_sweep(-5.0, seed=seed)
    f64, f32 = result["float64"]["curve"], result["float32"]["curve"]
    assert f64.min() < 1e-8 and f64[0] > 1e-6 and f64[-1] > 1e-5
    assert f32.min() > 1e-5 and f32.min() > 100 * f64.min()


@pytest.mark.parametrize("log10_h", [-17.0, 0.5, float("nan")])
def test_step_size_sweep_refuses_h_outside_the_range(log10_h):
    with pytest.raises(ValueError, match="log10_h"):
        step_size_sweep(log10_h)


def test_step_size_panel_starts_at_the_texts_values_and_redraws(monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    from lecture_utils.course import widgets

    shown = []
    monkeypatch.setattr(widgets, "display", shown.append)
    box = widgets.step_size_panel(log10_h=-5.0, seed=0)
    assert shown == [box]
    slider, seed = box.children[1].children
    assert slider.value == -5.0 and slider.continuous_update is False and (slider.min, slider.max) == (-12, -1)
    assert seed.value == 0 and seed.description == "seed"
    assert box.state["result"]["h"] == pytest.approx(1e-5)
    slider.value = -9.0  # moving the slider recomputes and redraws
    assert box.state["result"]["h"] == pytest.approx(1e-9)
    seed.value = 4
    assert box.state["result"]["float64"]["curve"][0] != step_size_sweep(-9.0, seed=0)["float64"]["curve"][0]


from lecture_utils.experiments.propagation import ACTIVATION_NAMES, activation_curve, activation_profile, init_profile, propagate  # noqa: E402


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


@pytest.mark.parametrize("panel", ["activation_panel", "init_panel", "boundary_panel", "batchnorm_panel",
                                   "learning_rate_panel", "coarse_to_fine_panel", "optimizer_panel",
                                   "schedule_panel", "ensemble_panel", "regularization_panel", "transfer_panel"])
def test_widget_layers_start_at_their_defaults_and_redraw(panel, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    from lecture_utils.course import widgets

    monkeypatch.setattr(widgets, "display", lambda box: None)
    compute, defaults = COMPUTATIONS[panel]
    box = getattr(widgets, panel)()
    controls = dict(zip(defaults, box.children[1].children)) if panel == "init_panel" else None
    sliders = [c for c in box.children[1].children if hasattr(c, "continuous_update")]
    assert sliders and all(c.continuous_update is False for c in sliders)
    assert box.children[1].children[-1].description == "seed"
    if controls:
        assert {k: c.value for k, c in controls.items()} == defaults
    first = box.state["result"]
    box.children[1].children[-1].value = 3  # a new seed redraws with new numbers
    assert box.state["result"] is not first


from lecture_utils.experiments.sensitivity import boundary_sensitivity, fit_linear, toy_blobs  # noqa: E402


@pytest.mark.parametrize("shift,scale,seed", list(itertools.product([0.0, 30.0, 60.0], [0.1, 1.0, 10.0], [0, 5])))
def test_boundary_sensitivity_over_the_slider_range(shift, scale, seed):
    result = boundary_sensitivity(shift, scale, seed=seed)
    assert result["X"].shape == (200, 2) and len(result["boundaries"]) == 8
    for key in ("loss", "mean_change", "max_change", "flips"):
        assert np.isfinite(result[key]) and result[key] >= 0, key
    assert result["loss"] < 0.2  # the toy classes are nearly separable wherever they sit


def test_sensitivity_grows_with_the_distance_from_the_origin_relative_to_the_spread():
    centred, far, far_wide = (boundary_sensitivity(s, c) for s, c in [(0.0, 1.0), (30.0, 1.0), (30.0, 10.0)])
    assert far["mean_change"] > 100 * centred["mean_change"]
    assert far_wide["mean_change"] < far["mean_change"] / 10  # a wider spread at the same distance: less sensitive


def test_fit_linear_gives_the_same_classifier_in_any_coordinates(rng):
    X, y = toy_blobs(100, 0.0, 1.0, rng)
    W, b = fit_linear(X, y)
    W2, b2 = fit_linear(1000 * X + 50, y)
    np.testing.assert_array_equal(np.argmax(X @ W + b, 1), np.argmax((1000 * X + 50) @ W2 + b2, 1))


@pytest.mark.parametrize("kwargs,name", [(dict(shift=-1.0), "shift"), (dict(scale=0.0), "scale"),
                                         (dict(shift=101.0), "shift")])
def test_boundary_sensitivity_refuses_values_outside_the_sliders(kwargs, name):
    with pytest.raises(ValueError, match=name):
        boundary_sensitivity(**kwargs)


from lecture_utils.experiments.batchnorm import running_average_demo  # noqa: E402


@pytest.mark.parametrize("momentum,batch_size,log10_init", list(itertools.product([0.0, 0.9, 0.99], [2, 32, 256],
                                                                                   [-4.0, -1.0, 1.0])))
def test_running_average_demo_over_the_slider_range(momentum, batch_size, log10_init):
    result = running_average_demo(momentum, batch_size, log10_init, seed=1)
    assert result["batch_mean"].shape == result["running_mean"].shape == (60,)
    for key in ("true_mean", "true_var", "test_mean"):
        assert np.isfinite(result[key])
    assert np.all(np.isfinite(result["test_std"])) and np.all(np.isfinite(result["running"].var))


def test_running_averages_converge_to_the_data_statistics_at_the_defaults():
    result = running_average_demo()
    assert abs(result["running_mean"][-1] - result["true_mean"]) < 0.2 * np.sqrt(result["true_var"])
    assert result["test_mean"] < 0.3 and np.all(np.abs(result["test_std"] - 1) < 0.3)


@pytest.mark.parametrize("seed", range(5))
def test_running_average_demo_eps_sets_the_scale_of_tiny_units_and_a_huge_scale_changes_nothing(seed):
    tiny, default, huge = (running_average_demo(log10_init=s, seed=seed) for s in (-4.0, -1.0, 1.0))
    assert np.all(tiny["unit_var"] < tiny["eps"] / 10) and np.all(tiny["test_std"] < 0.3)
    np.testing.assert_allclose(tiny["test_std"], np.sqrt(tiny["unit_var"] / (tiny["unit_var"] + tiny["eps"])),
                               rtol=0.15)
    np.testing.assert_allclose(huge["test_std"], default["test_std"], rtol=1e-3)  # scale-invariant, but for eps
    assert np.all(np.abs(default["test_std"] - 1) < 0.2)


@pytest.mark.parametrize("kwargs,name", [(dict(momentum=1.0), "momentum"), (dict(batch_size=1), "batch_size"),
                                         (dict(log10_init=3.0), "log10_init")])
def test_running_average_demo_refuses_bad_values(kwargs, name):
    with pytest.raises(ValueError, match=name):
        running_average_demo(**kwargs)


def test_coarse_to_fine_panel_follows_its_range_sliders(monkeypatch, capsys):
    import matplotlib

    matplotlib.use("Agg")
    from lecture_utils.course import widgets

    monkeypatch.setattr(widgets, "display", lambda box: None)
    box = widgets.coarse_to_fine_panel(lr_range=(-6.0, 1.0), reg_range=(-6.0, 1.0), num_trials=40, seed=0)
    lr_range, reg_range, trials, seed = box.children[1].children
    assert lr_range.value == (-6.0, 1.0) and trials.value == 40
    lr_range.value = (-3.0, 0.0)
    result = box.state["result"]
    assert all(1e-3 <= t.params["lr"] <= 1.0 for t in result["trials"])
    lr_range.value = (-2.0, -2.0)  # both handles on one value: a message, not an error
    assert box.state["result"] is None and "give each range some width" in capsys.readouterr().out


def test_learning_rate_panel_redraws_when_the_slider_moves(monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    from lecture_utils.course import widgets

    monkeypatch.setattr(widgets, "display", lambda box: None)
    box = widgets.learning_rate_panel(log10_lr=-1.0, seed=0)
    slider = box.children[1].children[0]
    assert box.state["result"]["lr"] == pytest.approx(0.1)
    slider.value = 1.5
    assert box.state["result"]["diverged_at"] is not None


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
