"""Run the notebooks the way learners do: every SEED, one BLAS thread and the library's default.

    python tools/seed_matrix.py                          (or: make matrix)
    python tools/seed_matrix.py --seeds 0 1 --threads default notebooks/04_batch_normalization.ipynb
    python tools/seed_matrix.py --no-learner             (the solution notebooks only)

Every notebook sets `SEED = 0` in its setup cell and a learner may change it; `make lab` leaves the BLAS
library at its default thread count, which changes the rounding of every matrix product and so every
trajectory. A claim the course asserts must hold in all of these runs. For each thread setting this writes a
copy of each notebook per seed under build/matrix/ (the one line `SEED = 0` replaced by `SEED = k`, nothing
else), runs them with `pytest --nbval-lax` and prints a table: one row per notebook, one column per run, each
cell the notebook's time in seconds, or FAIL and the first failing cell. The exit code is pytest's.

Thread settings: `1` runs two notebooks side by side with one BLAS thread each (as `make test` does);
`default` runs one notebook at a time with the variables that limit threads removed (as `make lab` leaves a
learner's kernel), so the times are those a learner sees. Times are reported against the 30 s budget, not
asserted: this machine's speed moves by up to 1.6x within minutes (benchmarks/README.md).
"""
import argparse
import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build" / "matrix"
SEED_LINE = re.compile(r"^SEED = 0$", re.M)
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
BUDGET = 30.0  # seconds per notebook, CONTRIBUTING.md


def seeded_copy(source, seed):
    """The notebook's JSON with its one `SEED = 0` line set to `SEED = seed`; ValueError if it has not exactly one."""
    nb = nbformat.read(source, as_version=4)
    hits = [cell for cell in nb.cells if cell.cell_type == "code" and SEED_LINE.search(cell.source)]
    if len(hits) != 1 or len(SEED_LINE.findall(hits[0].source)) != 1:
        raise ValueError(f"{source}: expected exactly one line 'SEED = 0' in a code cell, found "
                         f"{sum(len(SEED_LINE.findall(c.source)) for c in hits)}")
    hits[0].source = SEED_LINE.sub(f"SEED = {seed}", hits[0].source)
    return nb


def write_copies(notebooks, seeds, folder):
    """Write folder/seed-k/<parent>/<name> for every notebook and seed; returns {path: (notebook, seed)}."""
    written = {}
    for seed in seeds:
        for source in notebooks:
            target = folder / f"seed-{seed}" / source.parent.name / source.name
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(seeded_copy(source, seed), target)
            written[target.resolve().as_posix()] = (f"{source.parent.name}/{source.name}", seed)
    return written


def thread_environment(threads):
    env = {k: v for k, v in os.environ.items() if k not in THREAD_VARIABLES}
    if threads == "1":
        env.update({k: "1" for k in THREAD_VARIABLES})
    return env


KERNEL_START = "Kernel died before replying to kernel_info"  # jupyter_client: the kernel process exited at start


def kernel_start_failures(report, written):
    """The copies in `report` whose every failure is a kernel that did not start: nothing in the notebook ran."""
    failures = defaultdict(list)
    for case in ET.parse(report).getroot().iter("testcase"):
        path = case.get("file")
        resolved = (ROOT / path).resolve().as_posix() if path else None
        for outcome in [case.find("failure"), case.find("error")]:
            if outcome is not None and resolved in written:
                failures[resolved].append(KERNEL_START in (outcome.get("message", "") + (outcome.text or "")))
    return sorted(path for path, starts in failures.items() if all(starts))


def run_pytest(folder, threads, report, paths=None):
    workers = ["-n", "2", "--dist", "loadfile"] if threads == "1" and paths is None else []
    command = [sys.executable, "-m", "pytest", "-q", "-c", str(ROOT / "pyproject.toml"), "--rootdir", str(ROOT),
               "-p", "no:cacheprovider", "--nbval-lax", "--nbval-current-env",
               *workers, f"--junitxml={report}", "-o", "junit_family=xunit1", *(paths or [str(folder)])]
    print("$", " ".join(command), f"(BLAS threads: {threads})", flush=True)
    return subprocess.run(command, cwd=ROOT, env=thread_environment(threads)).returncode


def read_report(report, written):
    """{(notebook, seed): [seconds, first failing cell or None]} from pytest's JUnit XML."""
    results = defaultdict(lambda: [0.0, None])
    for case in ET.parse(report).getroot().iter("testcase"):
        path = case.get("file")  # relative to the rootdir, ROOT
        key = written.get((ROOT / path).resolve().as_posix()) if path else None
        if key is None:
            continue
        entry = results[key]
        entry[0] += float(case.get("time", 0.0))
        failed = case.find("failure") is not None or case.find("error") is not None
        if failed and entry[1] is None:
            entry[1] = case.get("name", "?").replace("Cell ", "cell ")
    return results


def print_table(threads, seeds, results, notebooks):
    print(f"\nBLAS threads: {threads}; seconds per notebook (budget {BUDGET:.0f} s, ! over it); FAIL@N: code cell N "
          "(pytest's \"Cell N\", counting code cells from 0) failed first")
    names = sorted({key[0] for key in results} | set(notebooks))
    print(f"{'notebook':48s}" + "".join(f"{'seed ' + str(s):>12s}" for s in seeds))
    for name in names:
        row = []
        for seed in seeds:
            seconds, failure = results.get((name, seed), (None, None))
            if seconds is None:
                row.append("-")
            elif failure:
                row.append(f"FAIL@{failure.split()[-1]}")
            else:
                row.append(f"{seconds:.1f}" + ("!" if seconds > BUDGET else ""))
        print(f"{name:48s}" + "".join(f"{cell:>12s}" for cell in row))
    over = sum(1 for (s, f) in results.values() if f is None and s > BUDGET)
    print(f"over budget (!): {over}; failed: {sum(1 for (s, f) in results.values() if f)}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/ and exercises/")
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2, 3, 4])
    parser.add_argument("--threads", nargs="+", choices=["1", "default"], default=["1", "default"])
    parser.add_argument("--no-learner", action="store_true", help="leave out exercises/ (the learner versions)")
    parser.add_argument("--out", type=Path, default=BUILD, help="where the seeded copies go (default build/matrix)")
    args = parser.parse_args(argv)
    if any(seed < 0 for seed in args.seeds):
        parser.error(f"--seeds must be non-negative integers, got {args.seeds}")
    notebooks = [p.resolve() for p in args.notebooks] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    if not args.notebooks and not args.no_learner:
        notebooks += sorted((ROOT / "exercises").glob("*.ipynb"))
    missing = [str(p) for p in notebooks if not p.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")
    names = [f"{p.parent.name}/{p.name}" for p in notebooks]
    worst = 0
    for threads in args.threads:
        folder = args.out.resolve() / f"threads-{threads}"
        subprocess.run(["rm", "-rf", str(folder)], check=True)
        written = write_copies(notebooks, args.seeds, folder)
        report = folder / "report.xml"
        start = time.perf_counter()
        code = run_pytest(folder, threads, report)
        print(f"{len(written)} notebook runs in {time.perf_counter() - start:.0f} s")
        results = read_report(report, written) if report.exists() else {}
        again = kernel_start_failures(report, written) if code == 1 else []
        if again:  # a kernel that never started says nothing about the notebook: run those copies once more
            print(f"the kernel did not start for {len(again)} run(s) ({KERNEL_START!r}), which ran none of their "
                  f"cells: running them again, one at a time", flush=True)
            retry = folder / "report-retry.xml"
            run_pytest(folder, threads, retry, paths=again)
            results.update(read_report(retry, written))
            if all(failure is None for _, failure in results.values()):
                code = 0
        if results:
            print_table(threads, args.seeds, results, names)
        if code == 5:
            print("pytest collected no tests: the matrix is broken")
            code = 1
        worst = worst or code
    return worst


if __name__ == "__main__":
    sys.exit(main())
