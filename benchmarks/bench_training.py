"""Benchmarks: one training epoch of a 784-256-10 network, each panel's latency, and each notebook's wall time.

    make bench          (or: .venv/bin/python benchmarks/bench_training.py [--skip-notebooks])

Prints numbers; asserts nothing. Panel computations are timed at their defaults (median of 15 calls,
target 100 ms). The notebooks run one after another, headless, each in a fresh kernel with one BLAS
thread (the budget is 30 s per notebook); then the whole of notebooks/ runs under nbval the way CI runs it,
two notebooks at a time on two pytest-xdist workers with one BLAS thread each (the budget is 180 s).
"""
import argparse
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from lecture_utils.models import FullyConnectedNet
from lecture_utils.preprocessing import preprocess
from lecture_utils.splits import load_course_data
from lecture_utils.training import train

ROOT = Path(__file__).resolve().parent.parent

NOTEBOOK_BUDGET, COURSE_BUDGET, PANEL_TARGET = 30.0, 180.0, 0.100  # seconds


def bench_epoch(epochs=5, repeats=3):
    """Median seconds per epoch (training steps plus the end-of-epoch evaluation) and the accuracy reached."""
    data = preprocess(load_course_data(), "center")
    times, accs = [], []
    for seed in range(repeats):
        model = FullyConnectedNet([256], 784, 10, seed=seed)
        history = train(model, data, rng=np.random.default_rng(seed), rule="adam", learning_rate=1e-3,
                        epochs=epochs, batch_size=100)
        times += history.epoch_time
        accs.append(history.best_val_acc)
    return float(np.median(times)), float(np.min(times)), float(np.mean(accs))


def bench_panels(calls=15):
    """{panel: (median seconds, first call seconds)} for every panel computation at its defaults."""
    from lecture_utils.experiments.panels import COMPUTATIONS

    timings = {}
    for name, (compute, defaults) in COMPUTATIONS.items():
        seconds = []
        for _ in range(calls):
            start = time.perf_counter()
            compute(**defaults)
            seconds.append(time.perf_counter() - start)
        timings[name] = (float(np.median(seconds)), seconds[0])
    return timings


def bench_notebooks():
    from tools.render_notebook import execute  # needs nbclient, which comes with the course's requirements

    rows = []
    for folder in ("notebooks", "exercises"):
        for path in sorted((ROOT / folder).glob("[0-9][0-9]_*.ipynb")):
            _, seconds, error = execute(path)
            rows.append((f"{folder}/{path.name}", seconds, error is None))
    return rows


def bench_nbval(folder="notebooks", workers=2):
    """(wall seconds, pytest's summary line) of the notebooks under nbval, as `make test` and CI run them."""
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    parallel = ["-n", str(workers), "--dist", "loadfile"] if workers > 1 else ["-p", "no:xdist"]  # one: no worker
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *parallel, "--nbval-lax",
               "--nbval-current-env", folder]
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    summary = [line for line in result.stdout.splitlines() if re.search(r"\d+ (passed|failed)", line)]
    return seconds, summary[-1].strip("= ") if summary else f"pytest exited {result.returncode}"


def machine_speed(size=1024, repeats=5):
    """GFLOP/s of a float32 matrix product in this process: printed at the start and the end, so that a reader can
    tell a slow machine (or a noisy neighbour on a shared one) from a slow notebook."""
    a = np.random.default_rng(0).standard_normal((size, size), dtype=np.float32)
    best = min(_seconds(lambda: a @ a) for _ in range(repeats))
    return 2 * size**3 / best / 1e9


def _seconds(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-notebooks", action="store_true")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, numpy {np.__version__}; "
          f"float32 matrix product {machine_speed():.0f} GFLOP/s at the start")
    median, best, acc = bench_epoch()
    print(f"one epoch, 784-256-10, Adam, batch 100, 10,000 images, float32: median {median * 1000:.0f} ms "
          f"(best {best * 1000:.0f} ms); validation accuracy after 5 epochs {acc:.3f}")
    print(f"\n{'panel computation at its defaults':40s} {'median ms':>9s} {'first ms':>9s}  target {PANEL_TARGET * 1000:.0f} ms")
    for name, (median_s, first_s) in bench_panels().items():
        flag = "  OVER TARGET" if median_s > PANEL_TARGET else ""
        print(f"{name:40s} {median_s * 1000:9.1f} {first_s * 1000:9.1f}{flag}")
    if args.skip_notebooks:
        return
    total = 0.0
    print(f"\n{'notebook':40s} {'seconds':>8s}  budget {NOTEBOOK_BUDGET:.0f} s each, {COURSE_BUDGET:.0f} s for notebooks/")
    for name, seconds, ok in bench_notebooks():
        total += seconds if name.startswith("notebooks/") else 0.0
        flag = "" if ok else "  FAILED"
        flag += "  OVER BUDGET" if seconds > NOTEBOOK_BUDGET else ""
        print(f"{name:40s} {seconds:8.1f}{flag}")
    print(f"{'notebooks/ one after another':40s} {total:8.1f}")
    seconds, summary = bench_nbval()
    flag = "  OVER BUDGET" if seconds > COURSE_BUDGET else ""
    print(f"{'notebooks/ under nbval, 2 workers (CI)':40s} {seconds:8.1f}{flag}  ({summary})")
    print(f"float32 matrix product {machine_speed():.0f} GFLOP/s at the end")


if __name__ == "__main__":
    main()
