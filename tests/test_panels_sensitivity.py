"""The boundary panel's computation (lecture_utils/experiments/sensitivity.py) over a grid of slider values."""
import itertools

import numpy as np
import pytest

from lecture_utils.experiments.sensitivity import boundary_sensitivity, fit_linear, toy_blobs


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
