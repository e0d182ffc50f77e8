"""The benchmark scripts run: each numpy case, the PyTorch detection, the full-data clock and plot (on small data)."""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
import bench_layers  # noqa: E402
import full_data  # noqa: E402

from lecture_utils.models import FullyConnectedNet  # noqa: E402
from lecture_utils.training import train  # noqa: E402


@pytest.mark.parametrize("case", ["conv", "mlp"])
def test_numpy_cases_time_their_steps(case):
    seconds = bench_layers.numpy_case(case, steps=2)
    assert len(seconds) == 2 and all(s > 0 for s in seconds)


def test_unknown_case_is_refused():
    with pytest.raises(ValueError, match="case"):
        bench_layers.numpy_case("lstm", steps=1)


def test_flop_counts():
    n, (a, b, c, d) = bench_layers.MLP_BATCH, bench_layers.MLP_DIMS
    assert bench_layers.mlp_flops() == 3 * 2 * n * (a * b + b * c + c * d) - 2 * n * a * b
    assert bench_layers.conv_flops() == 3 * 2 * 64 * 32 * 16 * 9 * 14 * 14


def test_child_process_prints_its_times_as_json():
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_layers.py"), "--child", "numpy",
                             "--case", "conv", "--steps", "1"], capture_output=True, text=True, check=True)
    assert len(json.loads(result.stdout.strip().splitlines()[-1])) == 1


def test_without_pytorch_the_comparison_is_skipped(tmp_path):
    no_torch = tmp_path / "python"  # an interpreter that cannot import torch
    no_torch.write_text("#!/bin/sh\nexit 1\n")
    no_torch.chmod(0o755)
    assert bench_layers.find_torch(str(no_torch)) == (None, None)


def test_full_data_clock_and_plot(rng, tmp_path):
    data = {"X_train": rng.normal(size=(200, 6)).astype(np.float32), "y_train": rng.integers(0, 3, 200),
            "X_val": rng.normal(size=(50, 6)).astype(np.float32), "y_val": rng.integers(0, 3, 50)}
    model = FullyConnectedNet([8], 6, 3, seed=0)
    clock = full_data.TestClock(model, data["X_val"], data["y_val"])
    train(model, data, rng=rng, rule="adam", epochs=3, batch_size=50, progress=False, callbacks=[clock])
    assert [p["epoch"] for p in clock.curve] == [1, 2, 3]
    seconds = [p["seconds"] for p in clock.curve]
    assert seconds == sorted(seconds) and seconds[0] > 0
    assert all(0 <= p["test_acc"] <= 1 for p in clock.curve)
    results = {"fc": {"settings": full_data.SETTINGS["fc"], "curve": clock.curve}}
    full_data.plot(results, tmp_path / "plot.png")
    assert (tmp_path / "plot.png").read_bytes()[:4] == b"\x89PNG"


def test_nbval_timing_reports_pytest_summary(tmp_path):
    import nbformat

    import bench_training

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("assert 1 + 1 == 2")]
    nbformat.write(notebook, tmp_path / "00_tiny.ipynb")
    seconds, summary = bench_training.bench_nbval(str(tmp_path), workers=1)
    assert seconds > 0 and "1 passed" in summary
