"""Notebook 07's surfaces, the optimizer walk on them, and momentum's convergence rate."""
import numpy as np
import pytest

from lecture_utils import optim
from lecture_utils.gradcheck import numerical_gradient
from lecture_utils.experiments.landscapes import (SURFACES, effective_step_sizes, make_surface, measured_rate, momentum_rate,
                                      optimal_momentum, optimizer_playground, run_optimizer)


@pytest.mark.parametrize("name", sorted(SURFACES))
def test_every_surface_has_the_gradient_of_its_value(name, rng):
    surface = make_surface(name)
    for point in rng.uniform(-1.5, 1.5, size=(5, 2)):
        numeric = numerical_gradient(lambda p: float(surface.value(p)), point.copy())
        np.testing.assert_allclose(surface.grad(point), numeric, rtol=1e-5, atol=1e-7)
    grid = rng.uniform(-1, 1, size=(3, 4, 2))  # a whole grid at once
    assert surface.value(grid).shape == (3, 4) and surface.grad(grid).shape == (3, 4, 2)
    assert np.allclose(surface.grad(np.array(surface.minimum)), 0.0)


def test_the_surfaces_have_their_documented_critical_points():
    taco, saddle, local = make_surface("taco", condition=30.0), make_surface("saddle"), make_surface("local_minima")
    assert np.allclose(np.linalg.eigvalsh(np.diag(taco.eigenvalues)), [1 / 30, 1])
    assert saddle.value(np.zeros(2)) == 0.0 and saddle.value(np.array([0.0, 1.0])) == -0.25
    assert np.allclose(local.grad(np.array(local.local_minimum)), 0.0)
    assert local.value(np.array(local.local_minimum)) > local.value(np.array(local.minimum)) + 0.5
    with pytest.raises(ValueError, match="condition"):
        make_surface("taco", condition=0.5)
    with pytest.raises(ValueError, match="name"):
        make_surface("bowl")


def test_run_optimizer_uses_the_rule_and_reports_divergence():
    taco = make_surface("taco")
    run = run_optimizer(taco, "sgd", learning_rate=0.5, steps=3)
    x, expected = np.array(taco.start), [np.array(taco.start)]
    for _ in range(3):
        x, _ = optim.sgd(x, taco.grad(x), {}, learning_rate=0.5)
        expected.append(x)
    np.testing.assert_allclose(run["path"], expected)
    assert run["loss"].shape == (4,) and run["diverged_at"] is None
    blown = run_optimizer(taco, "sgd", learning_rate=2.5, steps=2000)  # 2.5 > 2 / largest eigenvalue
    assert blown["diverged_at"] is not None and np.all(np.isfinite(blown["path"]))
    with pytest.raises(ValueError, match="start"):
        run_optimizer(taco, "sgd", learning_rate=0.1, start=(np.nan, 0.0))


def test_noise_is_seeded():
    taco = make_surface("taco")
    a, b = (run_optimizer(taco, "sgd", learning_rate=0.1, steps=20, noise=0.5, seed=s)["path"] for s in (1, 1))
    c = run_optimizer(taco, "sgd", learning_rate=0.1, steps=20, noise=0.5, seed=2)["path"]
    assert np.array_equal(a, b) and not np.array_equal(a, c)


@pytest.mark.parametrize("lr,rho", [(0.5, 0.0), (1.0, 0.5), (2.86, 0.48), (0.3, 0.9), (1.9, 0.2)])
def test_momentum_rate_matches_real_runs(lr, rho):
    taco = make_surface("taco", condition=30.0)
    theory = float(momentum_rate(lr, rho, taco.eigenvalues))
    run = run_optimizer(taco, "sgd_momentum", learning_rate=lr, rho=rho, steps=300)
    assert measured_rate(run["path"], taco.minimum, skip=50) == pytest.approx(theory, abs=0.01)


def test_momentum_rate_is_the_spectral_radius_of_the_iteration_matrix(rng):
    for _ in range(20):
        lr, rho, value = rng.uniform(0.01, 3), rng.uniform(0, 0.99), rng.uniform(0.01, 1)
        matrix = np.array([[1 - lr * value, -lr * rho], [value, rho]])
        assert momentum_rate(lr, rho, [value]) == pytest.approx(np.abs(np.linalg.eigvals(matrix)).max())
    best = optimal_momentum([1 / 30, 1.0])
    assert momentum_rate(best["learning_rate"], best["rho"], [1 / 30, 1.0]) == pytest.approx(best["rate"])
    assert momentum_rate(best["gd_learning_rate"], 0.0, [1 / 30, 1.0]) == pytest.approx(best["gd_rate"])
    with pytest.raises(ValueError, match="rho"):
        momentum_rate(0.1, 1.0, [1.0])


def test_adagrad_step_sizes_decay_and_rmsprop_levels_off():
    taco = make_surface("taco")
    runs = {rule: run_optimizer(taco, rule, learning_rate=0.1, steps=1000, noise=0.5, keep_states=True)
            for rule in ("adagrad", "rmsprop")}
    ada = effective_step_sizes(runs["adagrad"]["states"], 0.1)
    rms = effective_step_sizes(runs["rmsprop"]["states"], 0.1)
    assert ada.shape == (1000, 2) and np.all(ada[999] < 0.15 * ada[9])  # about 1 / sqrt(t)
    assert np.all(rms[999] > 0.3 * rms[99])
    with pytest.raises(ValueError, match="grad_squared"):
        effective_step_sizes(run_optimizer(taco, "sgd", learning_rate=0.1, steps=3, keep_states=True)["states"], 0.1)


def test_adam_without_bias_correction_overshoots_early():
    x, state_c, state_u = np.zeros(1), {}, {}
    xc, xu = x, x
    for t in range(1, 11):
        xc_next, state_c = optim.adam(xc, np.ones(1), state_c, learning_rate=1e-3)
        xu_next, state_u = optim.adam_without_bias_correction(xu, np.ones(1), state_u, learning_rate=1e-3)
        factor = (1 - 0.9**t) / np.sqrt(1 - 0.999**t)
        assert abs(xc - xc_next)[0] == pytest.approx(1e-3, rel=1e-3)
        assert abs(xu - xu_next)[0] == pytest.approx(1e-3 * factor, rel=1e-3)
        xc, xu = xc_next, xu_next


@pytest.mark.parametrize("surface", sorted(SURFACES))
@pytest.mark.parametrize("rule", sorted(optim.RULES))
def test_optimizer_playground_over_the_sliders(surface, rule):
    for log10_lr, noise, start in ((-6.0, 0.0, (-3.0, -1.5)), (1.0, 2.0, (3.0, 3.0)), (-0.5, 0.0, (-3.0, 0.55))):
        result = optimizer_playground(surface, rule, log10_lr, 0.99, 0.0, 0.9, *start, noise, steps=50, seed=1)
        for run in (result["run"], result["sgd"]):
            assert np.all(np.isfinite(run["path"])) and len(run["path"]) <= 51
            assert run["diverged_at"] is None or len(run["path"]) == run["diverged_at"]


@pytest.mark.parametrize("kwargs,name", [({"log10_lr": 2.0}, "log10_lr"), ({"rho": 1.0}, "rho"),
                                         ({"beta2": -0.1}, "beta2"), ({"rule": "lion"}, "rule"),
                                         ({"surface": "bowl"}, "name"), ({"steps": 5000}, "steps")])
def test_optimizer_playground_refuses_bad_values(kwargs, name):
    with pytest.raises(ValueError, match=name):
        optimizer_playground(**kwargs)


@pytest.mark.parametrize("condition", [3.0, 30.0, 1000.0])
def test_best_rho_grows_toward_one_and_is_the_lowest_point_of_the_rate_map(condition):
    best = optimal_momentum([1 / condition, 1.0])
    rhos = np.linspace(0.0, 0.999, 1000)
    lrs = best["learning_rate"] * np.logspace(-1, 1, 400)
    rates = momentum_rate(lrs[None, :], rhos[:, None], [1 / condition, 1.0])
    assert abs(rhos[np.unravel_index(np.argmin(rates), rates.shape)[0]] - best["rho"]) < 0.005
    assert best["rho"] == pytest.approx(((np.sqrt(condition) - 1) / (np.sqrt(condition) + 1)) ** 2)


def test_plot_trajectories_draws_dashed_labels_dashed():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from lecture_utils.course.plotting import plot_trajectories

    taco = make_surface("taco")
    runs = {label: run_optimizer(taco, rule, learning_rate=0.1, steps=20) for label, rule in
            (("adam (0.1)", "adam"), ("adamw (0.1)", "adamw"))}
    fig = plot_trajectories(taco, runs, dashed=["adamw (0.1)"])
    styles = {line.get_label(): line.get_linestyle() for line in fig.axes[0].lines if not line.get_label().startswith("_")}
    assert styles == {"adam (0.1)": "-", "adamw (0.1)": "--"}
    plt.close(fig)
