"""Modules that moved into a room of the package, still importable under their old names.

A learner's workspace copy of a notebook written before the move imports, say, `lecture_utils.checks`; that name
now loads `lecture_utils.course.checks` (the same module object, so both names see the same state) with a
FutureWarning that gives the new name. The course's own code and notebooks use only the new names (a test checks it).
"""
import importlib
import importlib.abc
import importlib.util
import sys
import warnings

MOVED = {
    **{name: f"experiments.{name}" for name in ("batchnorm", "propagation", "sensitivity", "monitoring", "search",
                                                "softmax_demo", "landscapes", "second_order", "ensembles",
                                                "regularization", "transfer")},
    **{name: f"course.{name}" for name in ("plotting", "widgets", "checks", "environment")},
}


class _Loader(importlib.abc.Loader):
    def __init__(self, new):
        self.new = new

    def create_module(self, spec):
        return importlib.import_module(self.new)  # the moved module itself, not a copy

    def exec_module(self, module):
        pass


class MovedModuleFinder(importlib.abc.MetaPathFinder):
    """Finds `lecture_utils.<old name>` for every entry of MOVED."""

    def find_spec(self, fullname, path=None, target=None):
        package, _, name = fullname.rpartition(".")
        if package != "lecture_utils" or name not in MOVED:
            return None
        new = f"lecture_utils.{MOVED[name]}"
        warnings.warn(f"{fullname} is now {new}: change the import (the old name will go in a later version)",
                      FutureWarning, stacklevel=3)
        return importlib.util.spec_from_loader(fullname, _Loader(new))


def install():
    if not any(isinstance(finder, MovedModuleFinder) for finder in sys.meta_path):
        sys.meta_path.append(MovedModuleFinder())
