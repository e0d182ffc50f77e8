"""What came back from a learner's function, checked before any number is compared.

The exercise checks wrap the learner's function with `expect(fn, ...)`: a result of the wrong
kind (nothing, a string, two values where three are expected, an array of the wrong shape or
dtype) then stops the check with one sentence saying what came back and what was expected,
instead of a traceback from inside the check. An exception raised in the learner's own code is
left alone, so its traceback ends at their line.
"""
import numbers
from typing import Callable, NamedTuple, Optional

import numpy as np


class Out(NamedTuple):
    """One value a function returns: its name in the hints, its kind, and (for arrays) its shape.

    kind: "floats" (an array of floating-point numbers), "number" (one number), "labels" (an array of
    integer class labels), "dict", "dict of numbers", "callable", "cache" (anything but None) or "any".
    shape: for "floats" and "labels", a function of the call's positional arguments returning
    (expected shape, what it is, e.g. "the shape of scores"), or None to leave the shape alone.
    """
    label: str
    kind: str
    shape: Optional[Callable] = None
    noun: Optional[str] = None  # what it should be, in words, where the kind's own word says too little


def like(index, name):
    """Shape rule: the same shape as the call's positional argument `index`, called `name`."""
    return lambda args: (np.shape(args[index]), f"the shape of {name}")


def describe(value):
    """A few words on what a value is: 'nothing (None)', 'a string ('abc')', 'an array of shape (3,) and dtype int64'."""
    if value is None:
        return "nothing (None)"
    if isinstance(value, str):
        return f"a string ({value[:12]!r}{'...' if len(value) > 12 else ''})"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)} item{'s' * (len(value) != 1)}"
    if isinstance(value, bool):
        return f"a bool ({value})"
    if isinstance(value, numbers.Number) or (isinstance(value, np.generic) and value.dtype.kind in "iufc"):
        return "one number"
    if isinstance(value, dict):
        return "a dict"
    return f"a {type(value).__name__}"


class ExerciseFailed(AssertionError):
    """The learner's function disagrees with the reference; the message says how."""


def _numbers(value, out):
    """value as a numeric array, or ExerciseFailed saying what it is instead."""
    if value is None:
        raise ExerciseFailed(f"{out.label} is None: is it computed and returned?")
    if isinstance(value, (str, bytes, dict)) or callable(value):
        raise ExerciseFailed(f"{out.label} is {describe(value)}, but should be {_NOUN[out.kind]}.")
    try:
        array = np.asarray(value)
    except (ValueError, TypeError):  # a ragged list
        raise ExerciseFailed(f"{out.label} is {describe(value)} that numpy cannot turn into one array, but should be "
                        f"{_NOUN[out.kind]}.") from None
    if array.dtype.kind not in "biufc":
        held = {"U": "strings", "S": "bytes", "O": "Python objects"}.get(array.dtype.kind, f"{array.dtype} values")
        raise ExerciseFailed(f"{out.label} is {describe(value)} holding {held}, but should be {_NOUN[out.kind]}.")
    return array


_NOUN = {"floats": "an array of floating-point numbers", "number": "one number",
         "labels": "an array of integer class labels", "dict": "a dict", "dict of numbers": "a dict of numbers",
         "callable": "a function", "cache": "a cache", "any": "a value"}


def _check_value(value, out, args):
    """value, converted where that is harmless (a list of numbers to an array), or ExerciseFailed."""
    if out.kind == "any":
        return value
    if out.kind == "cache":
        if value is None:
            raise ExerciseFailed(f"{out.label} is None: return what the backward pass needs instead.")
        return value
    if out.kind == "callable":
        if not callable(value):
            raise ExerciseFailed(f"{out.label} is {describe(value)}, but should be a function of t "
                            f"(def lr(t): ... return lr).")
        return value
    if out.kind in ("dict", "dict of numbers"):
        if not isinstance(value, dict):
            raise ExerciseFailed(f"{out.label} is {describe(value)}, but should be {out.noun or 'a dict'}.")
        if out.kind == "dict of numbers":
            for key, item in value.items():
                number = _numbers(item, Out(f"the value for {key!r}", "number"))
                if number.size != 1:
                    raise ExerciseFailed(f"the value for {key!r} is {describe(item)}, but should be one number.")
        return value
    array = _numbers(value, out)
    if out.kind == "number":
        if array.size != 1:
            raise ExerciseFailed(f"{out.label} is {describe(value)}, but should be {out.noun or 'one number'}.")
        if array.dtype.kind == "c" or array.dtype.kind == "b":
            raise ExerciseFailed(f"{out.label} is {describe(value)}, but should be a real number.")
        return array.reshape(()).item()
    if out.kind == "floats" and array.dtype.kind != "f":
        raise ExerciseFailed(f"{out.label} holds {array.dtype} values, but should hold floating-point numbers "
                        f"(float64).")
    if out.kind == "labels" and array.dtype.kind not in "iu":
        raise ExerciseFailed(f"{out.label} holds {array.dtype} values, but should hold integer class labels "
                        f"(np.argmax returns them).")
    if out.shape is not None:
        shape, what = out.shape(args)
        if array.shape != tuple(shape):
            raise ExerciseFailed(f"{out.label} has shape {array.shape}, but should have shape {tuple(shape)}, {what}.")
    return array


def _name(fn):
    name = getattr(fn, "__name__", "")
    return f"`{name}`" if name.isidentifier() else "your function"


def expect(fn, *outs, check):
    """fn, wrapped so that a result of the wrong kind raises ExerciseFailed with one sentence.

    outs: one Out for a single value, or several for a tuple of that many values. `check` is the name
    of the calling check, for the message when fn is not a function at all."""
    if not callable(fn):
        raise TypeError(f"{check}(fn): fn must be your function itself, as in {check}(my_function), without "
                        f"calling it; got {describe(fn)}.")
    who = _name(fn)
    wanted = outs[0].label if len(outs) == 1 else (
        f"{'the pair' if len(outs) == 2 else 'the three values'} ({', '.join(o.label for o in outs)})")

    def guarded(*args, **kwargs):
        result = fn(*args, **kwargs)  # an error in the learner's code surfaces here, with their line
        branch = ", ".join(f"{k}={v}" for k, v in kwargs.items() if isinstance(v, bool))
        where = f"with {branch}, " if branch else ""
        if result is None:
            raise ExerciseFailed(f"{where}{who} returned nothing (None): did you forget `return`? It should return "
                            f"{wanted}.")
        if len(outs) == 1:
            if isinstance(result, tuple):
                raise ExerciseFailed(f"{where}{who} returned a tuple of {len(result)} values, but should return "
                                     f"only {wanted}.")
            try:
                return _check_value(result, outs[0], args)
            except ExerciseFailed as wrong:
                raise ExerciseFailed(f"{where}{wrong}") from None
        if not isinstance(result, (tuple, list)):
            raise ExerciseFailed(f"{where}{who} returned {describe(result)}, not {wanted}.")
        if len(result) != len(outs):
            raise ExerciseFailed(f"{where}{who} returned {len(result)} value{'s' * (len(result) != 1)}, but should "
                            f"return {len(outs)}: {wanted}.")
        try:
            return tuple(_check_value(value, out, args) for value, out in zip(result, outs))
        except ExerciseFailed as wrong:
            raise ExerciseFailed(f"{where}{wrong}") from None

    guarded.__name__ = getattr(fn, "__name__", "guarded")
    return guarded
