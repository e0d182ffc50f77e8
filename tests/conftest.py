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
