"""Argument checks shared by the package: each raises a ValueError that names the argument and the value."""
import numbers

import numpy as np


def _show(value):
    """A short description of a value for an error message (arrays by shape and dtype, not content)."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def as_float_array(name, x, ndim=None):
    """Return `x` as a floating numpy array, or raise ValueError naming `name`.

    Integer and boolean input is refused rather than silently converted: a uint8 image fed to a
    float network is almost always a missing preprocessing step.
    """
    if not isinstance(x, np.ndarray):
        raise ValueError(f"{name} must be a numpy array, got {_show(x)}")
    if x.dtype.kind != "f":
        raise ValueError(f"{name} must have a floating dtype (float32 or float64), got {_show(x)}")
    if ndim is not None and x.ndim != ndim and not (isinstance(ndim, (tuple, list)) and x.ndim in ndim):
        raise ValueError(f"{name} must have {ndim} dimensions, got {_show(x)}")
    return x


def check_shape(name, x, shape):
    """Raise ValueError unless `x.shape` matches `shape` (None in `shape` matches any size)."""
    ok = x.ndim == len(shape) and all(s is None or s == d for s, d in zip(shape, x.shape))
    if not ok:
        want = "(" + ", ".join("*" if s is None else str(s) for s in shape) + ")"
        raise ValueError(f"{name} must have shape {want}, got {_show(x)}")


def check_labels(name, y, n, num_classes):
    """Integer labels of shape (n,) in [0, num_classes)."""
    if not isinstance(y, np.ndarray) or y.dtype.kind not in "iu":
        raise ValueError(f"{name} must be an integer numpy array of class labels, got {_show(y)}")
    check_shape(name, y, (n,))
    if n and (y.min() < 0 or y.max() >= num_classes):
        raise ValueError(
            f"{name} must hold labels in [0, {num_classes}), got values from {y.min()} to {y.max()}"
        )


def _is_real(value):
    """A real number, bools refused. Plain floats and ints first: the abstract-class check costs a microsecond,
    and update rules check their hyperparameters at every step."""
    return type(value) in (float, int) or (isinstance(value, numbers.Real) and not isinstance(value, bool))


def check_positive(name, value, *, allow_zero=False):
    """A finite real number > 0 (or >= 0 with allow_zero)."""
    is_number = _is_real(value)
    if not is_number or not np.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be a finite number {bound}, got {_show(value)}")


def check_in_range(name, value, low, high, *, low_open=False, high_open=False):
    """A real number in the interval between low and high; open ends as flagged."""
    is_number = _is_real(value)
    ok = is_number and np.isfinite(value)
    if ok:
        ok = (value > low if low_open else value >= low) and (value < high if high_open else value <= high)
    if not ok:
        interval = f"{'(' if low_open else '['}{low}, {high}{')' if high_open else ']'}"
        raise ValueError(f"{name} must be in {interval}, got {_show(value)}")


def check_int(name, value, minimum=0):
    """An integer >= minimum (numpy integers accepted, bools refused)."""
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {_show(value)}")


def check_choice(name, value, choices):
    """One of `choices` (a dict or a sequence of names)."""
    if value not in choices:
        known = ", ".join(repr(c) for c in choices)
        raise ValueError(f"unknown {name} {_show(value)}; choose one of {known}")


def check_generator(name, rng):
    """A numpy.random.Generator; the legacy global seed is not accepted."""
    if not isinstance(rng, np.random.Generator):
        raise ValueError(
            f"{name} must be a numpy.random.Generator (np.random.default_rng(seed)), got {_show(rng)}"
        )
