"""The step-size panel of notebook 00 (lecture_utils/gradcheck.py's step_size_sweep): its computation over a grid of
slider values, and the widget on top."""
import itertools

import numpy as np
import pytest

from lecture_utils.gradcheck import step_size_sweep


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
