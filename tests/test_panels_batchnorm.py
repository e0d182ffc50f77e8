"""The batch-norm panel's computation (lecture_utils/experiments/batchnorm.py) over a grid of slider values."""
import itertools

import numpy as np
import pytest

from lecture_utils.experiments.batchnorm import running_average_demo


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
