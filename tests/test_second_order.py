"""Notebook 08's second-order methods against SciPy, its schedule builder, and the schedule panel's probe."""
import numpy as np
import pytest
from scipy.optimize import minimize

from lecture_utils.schedules import SCHEDULE_KINDS, make_schedule
from lecture_utils.experiments.second_order import (bfgs, lbfgs, newton, rosenbrock, rosenbrock_hessian, softmax_regression,
                                        wolfe_line_search)
from lecture_utils.experiments.softmax_demo import schedule_probe, train_softmax


def test_newton_converges_quadratically_in_one_dimension():
    path = newton(lambda x: np.exp(x) - 2, lambda x: np.exp(x), 2.0, iters=8)  # f = e^x - 2x, minimum at ln 2
    errors = np.abs(path - np.log(2))
    assert errors[-1] < 1e-15
    ratios = errors[2:5] / errors[1:4] ** 2  # e_{k+1} / e_k^2 tends to f'''/(2 f'') = 1/2
    assert np.allclose(ratios, 0.5, rtol=0.3)


def test_newton_solves_a_quadratic_in_one_step_and_rosenbrock_in_a_few():
    A, b = np.array([[3.0, 1.0], [1.0, 2.0]]), np.array([1.0, -1.0])
    path = newton(lambda x: A @ x - b, lambda x: A, np.array([5.0, 5.0]), iters=5)
    assert len(path) == 2 and np.allclose(path[1], np.linalg.solve(A, b))
    path = newton(lambda x: rosenbrock(x)[1], rosenbrock_hessian, np.array([-1.2, 1.0]), iters=20)
    assert np.allclose(path[-1], [1.0, 1.0]) and len(path) <= 10


def _ridge(seed=0, n=30, d=5):
    rng = np.random.default_rng(seed)
    X, w = rng.normal(size=(n, d)), rng.normal(size=d)
    y = X @ w + 0.1 * rng.normal(size=n)

    def fun(theta):
        r = X @ theta - y
        return 0.5 * float(r @ r) + 0.05 * float(theta @ theta), X.T @ r + 0.1 * theta

    return fun, np.linalg.solve(X.T @ X + 0.1 * np.eye(d), X.T @ y)


@pytest.mark.parametrize("method", [bfgs, lbfgs])
def test_quasi_newton_methods_find_scipys_optimum(method):
    result = method(rosenbrock, np.array([-1.2, 1.0]), max_iter=300, tol=1e-8)
    reference = minimize(rosenbrock, np.array([-1.2, 1.0]), jac=True, method="L-BFGS-B", options={"gtol": 1e-8})
    assert result.converged and np.allclose(result.x, [1, 1], atol=1e-6) and np.allclose(result.x, reference.x, atol=1e-4)
    assert result.nit < 100 and result.path.shape == (result.nit + 1, 2) and result.values[-1] == result.fun
    fun, exact = _ridge()
    result = method(fun, np.zeros(5), tol=1e-10)
    assert np.allclose(result.x, exact, atol=1e-8)


def test_lbfgs_with_small_memory_still_converges_and_reports_its_state():
    fun, exact = _ridge(d=20, n=60)
    result = lbfgs(fun, np.zeros(20), memory=2, max_iter=500, tol=1e-6)
    assert result.converged and np.allclose(result.x, exact, atol=1e-6) and "gradient norm" in result.message
    short = lbfgs(fun, np.zeros(20), max_iter=2, tol=1e-12)
    assert not short.converged and "max_iter" in short.message


def test_wolfe_line_search_returns_a_step_satisfying_both_conditions(rng):
    for _ in range(20):
        x = rng.uniform(-2, 2, size=2)
        value, grad = rosenbrock(x)
        p = -grad
        alpha, new_value, new_grad, _ = wolfe_line_search(rosenbrock, x, p, value, grad)
        assert alpha is not None
        assert new_value <= value + 1e-4 * alpha * grad @ p
        assert abs(new_grad @ p) <= 0.9 * abs(grad @ p)
    value, grad = rosenbrock(np.zeros(2))
    assert wolfe_line_search(rosenbrock, np.zeros(2), grad, value, grad)[0] is None  # uphill: no step


def test_softmax_regression_gradient_and_minibatches(rng):
    from lecture_utils.gradcheck import numerical_gradient, rel_error

    X, y = rng.normal(size=(40, 6)), rng.integers(0, 3, 40)
    fun = softmax_regression(X, y, reg=0.01, num_classes=3)
    theta = rng.normal(scale=0.1, size=fun.size)
    assert rel_error(fun(theta)[1], numerical_gradient(lambda t: fun(t)[0], theta.copy())) < 1e-7
    noisy = softmax_regression(X, y, reg=0.01, num_classes=3, batch_size=8, rng=np.random.default_rng(0))
    assert noisy(theta)[0] != noisy(theta)[0]  # a fresh minibatch on every call
    with pytest.raises(ValueError, match="rng"):
        softmax_regression(X, y, batch_size=8)
    with pytest.raises(ValueError, match="gradient shaped like x0"):
        lbfgs(lambda t: (0.0, np.zeros(3)), np.zeros(2))


@pytest.mark.parametrize("kind", SCHEDULE_KINDS)
def test_make_schedule_kinds_follow_their_time_scale(kind):
    schedule = make_schedule(kind, 0.1, 50, 400)
    values = np.array([schedule(t) for t in range(400)])
    assert np.all(values >= 0) and np.all(values <= 0.1 + 1e-12)
    expected_at_50 = {"constant": 0.1, "step": 0.05, "exponential": 0.05, "inverse_time": 0.05,
                      "cosine_restarts": 0.1, "warmup_cosine": 0.1}
    if kind in expected_at_50:
        assert values[50] == pytest.approx(expected_at_50[kind])
    if kind in ("cosine", "warmup_cosine"):
        assert values[-1] < 1e-5
    with pytest.raises(ValueError, match="time_scale"):
        make_schedule(kind, 0.1, 0, 400)


def test_make_schedule_refuses_a_warmup_longer_than_the_run():
    with pytest.raises(ValueError, match="warm-up"):
        make_schedule("warmup_cosine", 0.1, 400, 400)
    with pytest.raises(ValueError, match="kind"):
        make_schedule("triangular", 0.1, 10, 100)


@pytest.mark.parametrize("kind", SCHEDULE_KINDS)
@pytest.mark.parametrize("log10_lr0,time_scale", [(-4.0, 1), (0.0, 250), (1.0, 900)])
def test_schedule_probe_over_the_sliders(kind, log10_lr0, time_scale):
    result = schedule_probe(kind, log10_lr0, time_scale)
    assert result["lr"].shape == result["loss"].shape == result["constant_loss"].shape == (1000,)
    assert 0 <= result["val_acc"] <= 1 and 0 <= result["constant_val_acc"] <= 1


def test_step_decay_lowers_the_loss_where_it_decays():
    result = schedule_probe("step", 0.0, 250, steps=1000)
    assert result["loss"][-200:].mean() < result["constant_loss"][-200:].mean() - 0.02
    with pytest.raises(ValueError, match="log10_lr0"):
        schedule_probe("step", 2.0, 250)


def test_train_softmax_runs_are_independent():
    lr = np.full((50, 3), 0.3)
    lr[:, 2] = 0.01
    acc, losses = train_softmax(lr, np.zeros(3), seed=1)
    assert acc[0] == acc[1] and losses.shape == (50, 3) and np.allclose(losses[:, 0], losses[:, 1])
    alone, _ = train_softmax(lr[:, 2:], np.zeros(1), seed=1)
    assert alone[0] == acc[2]
    with pytest.raises(ValueError, match="lr_per_step"):
        train_softmax(np.ones(5), np.zeros(1))


def test_train_softmax_gives_the_same_runs_in_both_layouts():
    lr, regs = np.outer(np.full(60, 0.1), np.linspace(0.1, 3, 12)), np.linspace(0, 0.1, 12)
    acc, losses = train_softmax(lr, regs)  # 12 runs >= 10 classes: class-major columns
    halves = [train_softmax(lr[:, k:k + 6], regs[k:k + 6]) for k in (0, 6)]  # 6 runs: run-major
    np.testing.assert_array_equal(acc, np.concatenate([h[0] for h in halves]))
    np.testing.assert_allclose(losses, np.concatenate([h[1] for h in halves], axis=1), rtol=1e-5)
