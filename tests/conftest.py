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
