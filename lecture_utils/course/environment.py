"""Check a learner's set-up and say in plain words what is missing (used by notebook 00)."""
import importlib.metadata
import re
import sys
import unicodedata
from typing import NamedTuple

from .._i18n import _
from ..datasets import PROJECT_ROOT, RUNS_FROM_CHECKOUT, DatasetError, DatasetNotFoundError, find_fashion_mnist
from ..splits import SUBSET_PATH, check_subset

REQUIREMENTS = PROJECT_ROOT / "requirements.txt"  # in a checkout; an installed package reads its own metadata
DISTRIBUTION = "lecture-utils"
_NAME = re.compile(r"([A-Za-z0-9][A-Za-z0-9_.-]*)\s*(?:\[[^\]]*\])?\s*(.*)")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)*")


class Check(NamedTuple):
    item: str
    ok: bool
    message: str


def _version(text):
    """'1.26.4' -> (1, 26, 4); a suffix such as 'rc1' or '+cpu' is ignored."""
    return tuple(int(part) for part in re.findall(r"\d+", text.split("+")[0])[:3])


def _parse(line):
    """(name, minimum, below) from a requirement such as `numpy>=1.26,<3` (in any order, as package metadata writes
    it: `numpy<3,>=1.26`); None for a comment, an optional extra's requirement, or one without both bounds."""
    requirement, _unused, marker = line.split("#", 1)[0].partition(";")
    match = _NAME.fullmatch(requirement.strip())
    if match is None or "extra" in marker:
        return None
    bounds = {}
    for spec in match[2].split(","):
        op, number = re.match(r"\s*(>=|<=|==|~=|!=|<|>|)\s*(.*?)\s*$", spec).groups()
        if op in (">=", "<") and _NUMBER.fullmatch(number):
            bounds[op] = number
    return (match[1], bounds[">="], bounds["<"]) if len(bounds) == 2 else None


def requirements(path=None):
    """(name, minimum, below) for every `name>=minimum,<below` requirement of the course.

    From `path` if given ([] if it does not exist); otherwise from the checkout's requirements.txt when the package
    runs from a checkout, else from the installed lecture-utils distribution's metadata (its Requires-Dist, which
    pyproject.toml fills from requirements.txt), else [].
    """
    if path is None and not (RUNS_FROM_CHECKOUT and REQUIREMENTS.is_file()):
        try:
            lines = importlib.metadata.requires(DISTRIBUTION) or []
        except importlib.metadata.PackageNotFoundError:
            lines = []
    else:
        path = REQUIREMENTS if path is None else path
        lines = path.read_text().splitlines() if path.is_file() else []
    return [parsed for parsed in map(_parse, lines) if parsed is not None]


def check_environment(requirements_path=None):
    """A list of Check(item, ok, message), one per thing the course needs."""
    version = sys.version.split()[0]
    checks = [Check("Python", sys.version_info >= (3, 10),
                    f"Python {version}" if sys.version_info >= (3, 10) else
                    _("Python {version} is too old: the course needs 3.10 or newer", version=version))]
    found = requirements(requirements_path)
    if not found:
        source = requirements_path or (REQUIREMENTS if RUNS_FROM_CHECKOUT else
                                       _("the {name} package's metadata", name=DISTRIBUTION))
        checks.append(Check(_("requirements"), False, _("the course's requirements were not found (looked in "
                                                        "{source}); the packages it needs are not checked",
                                                        source=source)))
    for name, low, high in found:
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            checks.append(Check(name, False, _("{name} is not installed: run `make lab` (or `pip install -r "
                                               "requirements.txt`) from the course folder", name=name)))
            continue
        ok = _version(low) <= _version(version) < _version(high)
        note = "" if ok else _(" (the course was tested with >={low},<{high}; other versions may misbehave)",
                               low=low, high=high)
        checks.append(Check(name, ok, f"{name} {version}{note}"))
    try:
        check_subset()
        checks.append(Check(_("data subset"), True, _("the shipped Fashion-MNIST subset is intact")))
    except DatasetNotFoundError:
        checks.append(Check(_("data subset"), False, _("{path} or its .sha256 is missing: restore data/ with git (or "
                                                       "reinstall lecture-utils)", path=SUBSET_PATH)))
    except DatasetError:
        checks.append(Check(_("data subset"), False, _("{path} is damaged (checksum differs): restore data/ with git "
                                                       "(or reinstall lecture-utils)", path=SUBSET_PATH)))
    try:
        where = _("found in {folder}", folder=next(iter(find_fashion_mnist().values())).parent)
    except DatasetNotFoundError:
        where = _("not installed; only needed for the full-size runs (README: Getting the full data)")
    checks.append(Check(_("full Fashion-MNIST (optional)"), True, where))
    return checks


def report(checks=None):
    """The checks as lines of text, each starting with 'ok' or 'PROBLEM'."""
    checks = check_environment() if checks is None else checks
    return "\n".join(f"{'ok     ' if c.ok else 'PROBLEM'}  {_padded(c.item, 32)} {c.message}" for c in checks)


def _padded(text, width):
    """text and spaces to fill `width` columns of a terminal, where a Korean letter takes two."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - columns)
