from pathlib import Path

import numpy as np
import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def ref():
    """Reference values recorded from PyTorch by tools/record_reference.py."""
    with np.load(FIXTURES / "torch_reference.npz", allow_pickle=False) as archive:
        return {key: archive[key] for key in archive.files}


@pytest.fixture
def rng():
    return np.random.default_rng(0)


@pytest.fixture(autouse=True)
def _close_figures():
    """Close the figures a test drew: under Agg, plt.show() keeps them, and 20 open ones raise a warning (an error
    here)."""
    yield
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


# `make test` runs `pytest -n 2 --dist loadfile --no-loadscope-reorder`: each file goes whole to one of the two
# workers, in the order below, and a worker takes the next file when it is almost done with its own. The longest files
# go first (the order that finishes two workers together): the browser module (about three minutes: one JupyterLab and
# one Chromium for all twelve notebooks), then the notebooks and the slowest test modules (15-35 s each), then the rest, most tests
# first (pytest-xdist's own order). With xdist's default order (most tests first) the browser modules and the
# notebooks with few cells came last, and one worker sat idle while the other finished them.
FIRST = ("tests/test_browser.py",)
SLOW_MODULES = ("tests/test_benchmarks.py", "tests/test_seed_matrix.py", "tests/test_workspace.py", "tests/test_book.py")


def pytest_collection_modifyitems(config, items):
    if not hasattr(config, "workerinput"):
        return  # not a pytest-xdist worker: pytest's own order
    files = {}
    for item in items:
        files.setdefault(item.nodeid.split("::")[0], []).append(item)

    def rank(name):
        if name in FIRST:
            return (0, FIRST.index(name))
        if name.endswith(".ipynb") or name in SLOW_MODULES:
            return (1, 0)
        return (2, -len(files[name]))

    items[:] = [item for name in sorted(files, key=rank) for item in files[name]]
