import math

import numpy as np
import pytest

from lecture_utils import schedules


def run(schedule, n):
    return np.array([schedule(t) for t in range(n)])


def test_step_decay_matches_pytorch(ref):
    np.testing.assert_allclose(run(schedules.step_decay(0.1, 7, 0.5), 40), ref["sched_step_decay"], rtol=1e-12)


def test_exponential_decay_matches_pytorch(ref):
    np.testing.assert_allclose(run(schedules.exponential_decay(0.1, 0.05), 40), ref["sched_exponential_decay"], rtol=1e-10)


def test_cosine_decay_matches_pytorch(ref):
    np.testing.assert_allclose(run(schedules.cosine_decay(0.1, 30, lr_min=0.001), 31), ref["sched_cosine_decay"],
                               rtol=1e-9, atol=1e-12)


def test_cosine_decay_stays_at_lr_min_after_the_end():
    schedule = schedules.cosine_decay(0.1, 30, lr_min=0.001)
    assert schedule(30) == schedule(31) == schedule(1000) == 0.001  # PyTorch's CosineAnnealingLR climbs again


def test_linear_warmup_then_cosine_matches_pytorch(ref):
    schedule = schedules.linear_warmup(schedules.cosine_decay(0.1, 20), 5)
    np.testing.assert_allclose(run(schedule, 25), ref["sched_warmup_cosine"], rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("mult,period,lr_min,key", [(1, 10, 0.01, "sched_restarts_1"), (2, 5, 0.0, "sched_restarts_2")])
def test_cosine_restarts_match_pytorch(ref, mult, period, lr_min, key):
    schedule = schedules.cosine_restarts(0.1, period, period_mult=mult, lr_min=lr_min)
    np.testing.assert_allclose(run(schedule, 45), ref[key], rtol=1e-9, atol=1e-12)


def test_inverse_time_decay_is_the_lectures_formula():
    schedule = schedules.inverse_time_decay(0.2, 0.5)
    for t in range(20):
        assert schedule(t) == pytest.approx(0.2 / (1 + 0.5 * t))


def test_constant():
    assert run(schedules.constant(0.3), 5).tolist() == [0.3] * 5


def test_warmup_starts_small_and_reaches_the_peak():
    schedule = schedules.linear_warmup(schedules.constant(1.0), 4)
    assert run(schedule, 6).tolist() == [0.25, 0.5, 0.75, 1.0, 1.0, 1.0]


def test_restarts_jump_back_to_lr0():
    schedule = schedules.cosine_restarts(1.0, 10)
    assert schedule(9) < 0.05 and schedule(10) == 1.0 and schedule(20) == 1.0


@pytest.mark.parametrize("make", [
    lambda: schedules.step_decay(0.1, 5), lambda: schedules.exponential_decay(0.1, 0.1),
    lambda: schedules.inverse_time_decay(0.1, 0.1), lambda: schedules.cosine_decay(0.1, 50),
    lambda: schedules.cosine_restarts(0.1, 7, 2), lambda: schedules.linear_warmup(schedules.cosine_decay(0.1, 50), 5)])
def test_every_schedule_stays_positive_and_at_most_lr0(make):
    values = run(make(), 200)
    assert np.all(values >= 0) and np.all(values <= 0.1 + 1e-15)


@pytest.mark.parametrize("call,name", [
    (lambda: schedules.constant(0), "lr0"), (lambda: schedules.step_decay(0.1, 0), "step_size"),
    (lambda: schedules.step_decay(0.1, 5, gamma=2.0), "gamma"), (lambda: schedules.exponential_decay(-1, 0.1), "lr0"),
    (lambda: schedules.cosine_decay(0.1, 10, lr_min=0.5), "lr_min"), (lambda: schedules.linear_warmup(0.1, 5), "schedule"),
    (lambda: schedules.cosine_restarts(0.1, 10, period_mult=0), "period_mult"),
    (lambda: schedules.constant(0.1)(-1), "t"), (lambda: schedules.constant(0.1)(1.5), "t")])
def test_bad_arguments_are_named(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_exponential_decay_formula():
    assert schedules.exponential_decay(0.1, 0.3)(4) == pytest.approx(0.1 * math.exp(-1.2))


def test_schedule_probe_plot_keeps_the_transient_off_the_loss_axis():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from lecture_utils.course.plotting import plot_schedule_probe

    steps = 1000
    loss = np.concatenate([np.linspace(9.0, 0.6, 50), np.full(steps - 50, 0.5)])  # a spike, then a plateau
    result = {"kind": "step", "lr0": 1.0, "lr": np.ones(steps), "loss": loss, "constant_loss": loss + 0.05,
              "val_acc": 0.8, "constant_val_acc": 0.79}
    fig = plot_schedule_probe(result)
    low, high = fig.axes[1].get_ylim()
    assert low < 0.5 and 0.55 < high < 1.0  # both plateaus inside, the spike to 9 cut off
    plt.close(fig)
