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

from .._i18n import N_, _, translate


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
    return lambda args: (np.shape(args[index]), _("the shape of {name}", name=name))


def describe(value):
    """A few words on what a value is: 'nothing (None)', 'a string ('abc')', 'an array of shape (3,) and dtype int64'."""
    if value is None:
        return _("nothing (None)")
    if isinstance(value, str):
        return _("a string ({text})", text=repr(value[:12]) + ("..." if len(value) > 12 else ""))
    if isinstance(value, np.ndarray):
        return _("an array of shape {shape} and dtype {dtype}", shape=value.shape, dtype=value.dtype)
    if isinstance(value, (list, tuple)):
        return (_("a {type} of 1 item", type=type(value).__name__) if len(value) == 1 else
                _("a {type} of {count} items", type=type(value).__name__, count=len(value)))
    if isinstance(value, bool):
        return _("a bool ({value})", value=value)
    if isinstance(value, numbers.Number) or (isinstance(value, np.generic) and value.dtype.kind in "iufc"):
        return _("one number")
    if isinstance(value, dict):
        return _("a dict")
    return _("a {type}", type=type(value).__name__)


class ExerciseFailed(AssertionError):
    """The learner's function disagrees with the reference; the message says how."""


def _numbers(value, out):
    """value as a numeric array, or ExerciseFailed saying what it is instead."""
    if value is None:
        raise ExerciseFailed(_("{label} is None: is it computed and returned?", label=translate(out.label)))
    if isinstance(value, (str, bytes, dict)) or callable(value):
        raise ExerciseFailed(_("{label} is {what}, but should be {noun}.", label=translate(out.label),
                               what=describe(value),
                               noun=translate(_NOUN[out.kind])))
    try:
        array = np.asarray(value)
    except (ValueError, TypeError):  # a ragged list
        raise ExerciseFailed(_("{label} is {what} that numpy cannot turn into one array, but should be {noun}.",
                               label=translate(out.label), what=describe(value),
                               noun=translate(_NOUN[out.kind]))) from None
    if array.dtype.kind not in "biufc":
        held = ({"U": _("strings"), "S": _("bytes"), "O": _("Python objects")}.get(array.dtype.kind)
                or _("{dtype} values", dtype=array.dtype))
        raise ExerciseFailed(_("{label} is {what} holding {held}, but should be {noun}.", label=translate(out.label),
                               what=describe(value), held=held, noun=translate(_NOUN[out.kind])))
    return array


_NOUN = {"floats": N_("an array of floating-point numbers"), "number": N_("one number"),
         "labels": N_("an array of integer class labels"), "dict": N_("a dict"),
         "dict of numbers": N_("a dict of numbers"),
         "callable": N_("a function"), "cache": N_("a cache"), "any": N_("a value")}


def _check_value(value, out, args):
    """value, converted where that is harmless (a list of numbers to an array), or ExerciseFailed."""
    if out.kind == "any":
        return value
    if out.kind == "cache":
        if value is None:
            raise ExerciseFailed(_("{label} is None: return what the backward pass needs instead.",
                                   label=translate(out.label)))
        return value
    if out.kind == "callable":
        if not callable(value):
            raise ExerciseFailed(_("{label} is {what}, but should be a function of t (def lr(t): ... return lr).",
                                   label=translate(out.label), what=describe(value)))
        return value
    if out.kind in ("dict", "dict of numbers"):
        if not isinstance(value, dict):
            raise ExerciseFailed(_("{label} is {what}, but should be {noun}.", label=translate(out.label),
                                   what=describe(value),
                                   noun=translate(out.noun or _NOUN["dict"])))
        if out.kind == "dict of numbers":
            for key, item in value.items():
                number = _numbers(item, Out(_("the value for {key!r}", key=key), "number"))
                if number.size != 1:
                    raise ExerciseFailed(_("the value for {key!r} is {what}, but should be one number.", key=key,
                                           what=describe(item)))
        return value
    array = _numbers(value, out)
    if out.kind == "number":
        if array.size != 1:
            raise ExerciseFailed(_("{label} is {what}, but should be {noun}.", label=translate(out.label),
                                   what=describe(value),
                                   noun=translate(out.noun or _NOUN["number"])))
        if array.dtype.kind == "c" or array.dtype.kind == "b":
            raise ExerciseFailed(_("{label} is {what}, but should be a real number.", label=translate(out.label),
                                   what=describe(value)))
        return array.reshape(()).item()
    if out.kind == "floats" and array.dtype.kind != "f":
        raise ExerciseFailed(_("{label} holds {dtype} values, but should hold floating-point numbers (float64).",
                               label=translate(out.label), dtype=array.dtype))
    if out.kind == "labels" and array.dtype.kind not in "iu":
        raise ExerciseFailed(_("{label} holds {dtype} values, but should hold integer class labels (np.argmax "
                               "returns them).", label=translate(out.label), dtype=array.dtype))
    if out.shape is not None:
        shape, what = out.shape(args)
        if array.shape != tuple(shape):
            raise ExerciseFailed(_("{label} has shape {shape}, but should have shape {expected}, {what}.",
                                   label=translate(out.label), shape=array.shape, expected=tuple(shape), what=what))
    return array


def _name(fn):
    name = getattr(fn, "__name__", "")
    return f"`{name}`" if name.isidentifier() else _("your function")


def expect(fn, *outs, check):
    """fn, wrapped so that a result of the wrong kind raises ExerciseFailed with one sentence.

    outs: one Out for a single value, or several for a tuple of that many values. `check` is the name
    of the calling check, for the message when fn is not a function at all."""
    if not callable(fn):
        raise TypeError(_("{check}(fn): fn must be your function itself, as in {check}(my_function), without "
                          "calling it; got {what}.", check=check, what=describe(fn)))
    who = _name(fn)
    labels = ", ".join(translate(o.label) for o in outs)
    wanted = translate(outs[0].label) if len(outs) == 1 else (
        _("the pair ({labels})", labels=labels) if len(outs) == 2 else _("the three values ({labels})", labels=labels))

    def guarded(*args, **kwargs):
        result = fn(*args, **kwargs)  # an error in the learner's code surfaces here, with their line
        branch = ", ".join(f"{k}={v}" for k, v in kwargs.items() if isinstance(v, bool))
        where = _("with {branch}, ", branch=branch) if branch else ""
        if result is None:
            raise ExerciseFailed(_("{where}{who} returned nothing (None): did you forget `return`? It should return "
                                   "{wanted}.", where=where, who=who, wanted=wanted))
        if len(outs) == 1:
            if isinstance(result, tuple):
                raise ExerciseFailed(_("{where}{who} returned a tuple of {count} values, but should return only "
                                       "{wanted}.", where=where, who=who, count=len(result), wanted=wanted))
            try:
                return _check_value(result, outs[0], args)
            except ExerciseFailed as wrong:
                raise ExerciseFailed(f"{where}{wrong}") from None
        if not isinstance(result, (tuple, list)):
            raise ExerciseFailed(_("{where}{who} returned {what}, not {wanted}.", where=where, who=who,
                                   what=describe(result), wanted=wanted))
        if len(result) != len(outs):
            returned = (_("{where}{who} returned 1 value", where=where, who=who) if len(result) == 1 else
                        _("{where}{who} returned {count} values", where=where, who=who, count=len(result)))
            raise ExerciseFailed(_("{returned}, but should return {expected}: {wanted}.", returned=returned,
                                   expected=len(outs), wanted=wanted))
        try:
            return tuple(_check_value(value, out, args) for value, out in zip(result, outs))
        except ExerciseFailed as wrong:
            raise ExerciseFailed(f"{where}{wrong}") from None

    guarded.__name__ = getattr(fn, "__name__", "guarded")
    return guarded
