"""Check a learner's set-up and say in plain words what is missing (used by notebook 00)."""
import importlib.metadata
import re
import sys
from typing import NamedTuple

from ..datasets import PROJECT_ROOT, DatasetNotFoundError, find_fashion_mnist
from ..splits import SUBSET_PATH, SUBSET_SHA256, file_sha256

REQUIREMENTS = PROJECT_ROOT / "requirements.txt"
_SPEC = re.compile(r"^([A-Za-z0-9_.-]+)\s*>=\s*([0-9.]+)\s*,\s*<\s*([0-9.]+)")


class Check(NamedTuple):
    item: str
    ok: bool
    message: str


def _version(text):
    """'1.26.4' -> (1, 26, 4); a suffix such as 'rc1' or '+cpu' is ignored."""
    return tuple(int(part) for part in re.findall(r"\d+", text.split("+")[0])[:3])


def requirements(path=REQUIREMENTS):
    """(name, minimum, below) for every `name>=minimum,<below` line of requirements.txt."""
    if not path.is_file():
        return []
    found = []
    for line in path.read_text().splitlines():
        match = _SPEC.match(line.strip())
        if match:
            found.append(match.groups())
    return found


def check_environment(requirements_path=REQUIREMENTS):
    """A list of Check(item, ok, message), one per thing the course needs."""
    checks = [Check("Python", sys.version_info >= (3, 10),
                    f"Python {sys.version.split()[0]}" + ("" if sys.version_info >= (3, 10) else
                                                          " is too old: the course needs 3.10 or newer"))]
    for name, low, high in requirements(requirements_path):
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            checks.append(Check(name, False, f"{name} is not installed: run `make lab` (or "
                                             f"`pip install -r requirements.txt`) from the course folder"))
            continue
        ok = _version(low) <= _version(version) < _version(high)
        note = "" if ok else f" (the course was tested with >={low},<{high}; other versions may misbehave)"
        checks.append(Check(name, ok, f"{name} {version}{note}"))
    if not SUBSET_PATH.is_file():
        checks.append(Check("data subset", False, f"{SUBSET_PATH} is missing: restore it with git"))
    else:
        ok = file_sha256(SUBSET_PATH) == SUBSET_SHA256
        checks.append(Check("data subset", ok, "the shipped Fashion-MNIST subset is intact" if ok else
                            f"{SUBSET_PATH} is damaged (checksum differs): restore it with git"))
    try:
        where = f"found in {next(iter(find_fashion_mnist().values())).parent}"
    except DatasetNotFoundError:
        where = "not installed; only needed for the full-size runs (README: Getting the full data)"
    checks.append(Check("full Fashion-MNIST (optional)", True, where))
    return checks


def report(checks=None):
    """The checks as lines of text, each starting with 'ok' or 'PROBLEM'."""
    checks = check_environment() if checks is None else checks
    return "\n".join(f"{'ok     ' if c.ok else 'PROBLEM'}  {c.item:<32} {c.message}" for c in checks)
