"""Learning-rate schedules: each returns a plain function `t -> learning rate`, t = 0, 1, 2, ...

The trainer asks `lr = schedule(t)` at every step and never mutates a learning rate. `t` counts
optimisation steps (minibatches); to decay "every few epochs", pass step_size in steps.
"""
import math

from ._validation import check_choice, check_in_range, check_int, check_positive


def _check_t(t):
    check_int("t", t, minimum=0)


def constant(lr0):
    """lr(t) = lr0."""
    check_positive("lr0", lr0)

    def lr(t):
        _check_t(t)
        return float(lr0)

    return lr


def step_decay(lr0, step_size, gamma=0.5):
    """lr(t) = lr0 * gamma ** (t // step_size): the lecture's "decay by half every few epochs"."""
    check_positive("lr0", lr0)
    check_int("step_size", step_size, minimum=1)
    check_in_range("gamma", gamma, 0.0, 1.0, low_open=True)

    def lr(t):
        _check_t(t)
        return lr0 * gamma ** (t // step_size)

    return lr


def exponential_decay(lr0, k):
    """lr(t) = lr0 * exp(-k * t)."""
    check_positive("lr0", lr0)
    check_positive("k", k, allow_zero=True)

    def lr(t):
        _check_t(t)
        return lr0 * math.exp(-k * t)

    return lr


def inverse_time_decay(lr0, k):
    """lr(t) = lr0 / (1 + k * t): the lecture's "1/t decay"."""
    check_positive("lr0", lr0)
    check_positive("k", k, allow_zero=True)

    def lr(t):
        _check_t(t)
        return lr0 / (1 + k * t)

    return lr


def cosine_decay(lr0, total_steps, lr_min=0.0):
    """Half a cosine from lr0 down to lr_min over total_steps, then lr_min.

        lr(t) = lr_min + (lr0 - lr_min) * (1 + cos(pi * t / total_steps)) / 2   for t < total_steps
        lr(t) = lr_min                                                          for t >= total_steps
    """
    check_positive("lr0", lr0)
    check_int("total_steps", total_steps, minimum=1)
    check_in_range("lr_min", lr_min, 0.0, lr0)

    def lr(t):
        _check_t(t)
        if t >= total_steps:
            return float(lr_min)
        return lr_min + (lr0 - lr_min) * (1 + math.cos(math.pi * t / total_steps)) / 2

    return lr


def linear_warmup(schedule, warmup_steps):
    """Ramp linearly up to `schedule(0)` over warmup_steps, then follow `schedule` from its start.

        lr(t) = schedule(0) * (t + 1) / warmup_steps    for t < warmup_steps
        lr(t) = schedule(t - warmup_steps)              afterwards
    """
    if not callable(schedule):
        raise ValueError(f"schedule must be a function t -> learning rate, got {schedule!r}")
    check_int("warmup_steps", warmup_steps, minimum=1)

    def lr(t):
        _check_t(t)
        if t < warmup_steps:  # 1) warm-up: a straight line from schedule(0) / warmup_steps
            return schedule(0) * (t + 1) / warmup_steps
        return schedule(t - warmup_steps)  # 2) the wrapped schedule, started afresh

    return lr


def cosine_restarts(lr0, period, period_mult=1, lr_min=0.0):
    """SGDR (Loshchilov and Hutter, 2016): cosine decay over `period` steps, then a restart at lr0.

    Each restart's period is `period_mult` times the last one (1 keeps them equal), as in
    PyTorch's CosineAnnealingWarmRestarts(T_0=period, T_mult=period_mult).
    """
    check_positive("lr0", lr0)
    check_int("period", period, minimum=1)
    check_int("period_mult", period_mult, minimum=1)
    check_in_range("lr_min", lr_min, 0.0, lr0)

    def lr(t):
        _check_t(t)
        # 1) find the cycle that contains t and the position inside it
        start, length = 0, period
        while t >= start + length:
            start, length = start + length, length * period_mult
        # 2) cosine decay inside the cycle
        return lr_min + (lr0 - lr_min) * (1 + math.cos(math.pi * (t - start) / length)) / 2

    return lr


SCHEDULE_KINDS = ("constant", "step", "exponential", "inverse_time", "cosine", "warmup_cosine", "cosine_restarts")


def make_schedule(kind, lr0, time_scale, total_steps):
    """One of the schedules by name, all driven by one time scale T (in steps), as notebook 08's panel uses them:

    - "constant": lr0; "step": halve every T steps; "exponential": halve every T steps, smoothly (k = ln 2 / T);
    - "inverse_time": lr0 / (1 + t / T), half of lr0 at t = T; "cosine": half a cosine over total_steps;
    - "warmup_cosine": a linear warm-up over T steps, then half a cosine over the remaining steps;
    - "cosine_restarts": cosine decay restarting every T steps (SGDR).
    """
    check_choice("kind", kind, SCHEDULE_KINDS)
    check_int("time_scale", time_scale, minimum=1)
    check_int("total_steps", total_steps, minimum=1)
    if kind == "warmup_cosine" and time_scale >= total_steps:
        raise ValueError(f"time_scale (the warm-up) must be shorter than total_steps={total_steps}, got {time_scale}")
    if kind == "constant":
        return constant(lr0)
    if kind == "step":
        return step_decay(lr0, time_scale, gamma=0.5)
    if kind == "exponential":
        return exponential_decay(lr0, math.log(2) / time_scale)
    if kind == "inverse_time":
        return inverse_time_decay(lr0, 1.0 / time_scale)
    if kind == "cosine":
        return cosine_decay(lr0, total_steps)
    if kind == "warmup_cosine":
        return linear_warmup(cosine_decay(lr0, total_steps - time_scale), time_scale)
    return cosine_restarts(lr0, time_scale)
