"""Where a learner stands: every exercise in their workspace, passed, failing (with the check's hint) or not started.

    python tools/progress.py [--workspace DIR] [NN ...]      (or: make progress; NN: only the notebooks 07, 10, ...)

The exercises are found through the solution notebooks in notebooks/: a cell with `### BEGIN SOLUTION` defines the
exercise's functions, and a later call of a check imported from `lecture_utils.course.checks` checks them. In the learner's
copy, the exercise is the cell with the same cell id, or else the last cell that defines the function.

Each notebook runs in a process of its own (forked from one worker that has imported numpy and the checks, so that
the whole course takes about a second), in the workspace folder, and runs only what the checks need: the learner's
exercise cells, the course's check calls, and the statements of earlier cells that define a name those use (imports
and constants; the data only if the learner's code reads it), never the experiments. A time limit per exercise stops
an endless loop, and one per notebook stops anything else.

Statuses: passed; failing (the check's hint); not started (the exercise cell is as the course gave it); unfinished
(changed, but it still raises NotImplementedError); error (an exception, with the learner's line); timed out;
missing (no such notebook in the workspace, or no such function in it). The exit code is 0, since this is a report,
and 1 only when the workspace does not exist (`make lab` creates it).
"""
import argparse
import ast
import json
import os
import re
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEGIN = "### BEGIN SOLUTION"
TAG = "@@progress@@ "  # marks the worker's result lines among anything else on its stdout
CHECKS_MODULE = "lecture_utils.course.checks"


# ---- the course: which cells are exercises, which calls check them (parent process) ----

def code_cells(path):
    """[(index, id, source)] of a notebook's code cells, read as plain JSON (nbformat takes seconds to import)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [(i, c.get("id"), "".join(c["source"])) for i, c in enumerate(cells) if c["cell_type"] == "code"]


def solution_functions(source):
    """The functions a solution cell's `### BEGIN SOLUTION` markers sit in, as tools/make_exercises.py names them."""
    names, defined = [], None
    for line in source.split("\n"):
        match = re.match(r"\s*def (\w+)\(", line)
        defined = match.group(1) if match else defined
        if line.strip() == BEGIN and defined and defined not in names:
            names.append(defined)
    return names


def course_exercises(solution_path):
    """[{"label", "homes", "check"}] for one solution notebook, "homes" mapping each function the check takes to the
    id of the cell that defines it. One exercise per check call: check_elu(my_elu_forward, my_elu_backward) is one."""
    cells = code_cells(solution_path)
    defined_in = {name: cell_id for _, cell_id, source in cells if BEGIN in source
                  for name in solution_functions(source)}
    trees = []
    for _, _, source in cells:
        try:
            trees.append((source, ast.parse(source)))
        except SyntaxError:
            continue
    checks = {alias.asname or alias.name for _, tree in trees for node in ast.walk(tree)
              if isinstance(node, ast.ImportFrom) and node.module == CHECKS_MODULE for alias in node.names}
    exercises = []
    for source, tree in trees:
        for node in tree.body:
            call = node.value if isinstance(node, ast.Expr) else None
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in checks:
                functions = [a.id for a in call.args if isinstance(a, ast.Name) and a.id in defined_in]
                if functions:
                    exercises.append({"label": " + ".join(functions), "check": ast.get_source_segment(source, call),
                                      "homes": {f: defined_in[f] for f in functions}})
    return exercises


def find_cell(cells, cell_id, function, stub):
    """Index of the learner's cell for `function`: the one with the course's id if it defines the function and is
    not the course's stub `stub` left as it was; else the last cell that defines it (the definition a top-to-bottom
    run keeps), which may be that stub; None if no cell defines it."""
    defines = re.compile(rf"^def {function}\(", re.MULTILINE)
    found = [(index, this_id, source) for index, this_id, source in cells if defines.search(source)]
    home = [index for index, this_id, source in found if this_id == cell_id and (source != stub or len(found) == 1)]
    elsewhere = [index for index, this_id, _ in found if this_id != cell_id]
    return (home or elsewhere or [found[-1][0] if found else None])[-1]


def notebook_job(name, workspace, root, timeout):
    """(rows already decided, job for a worker or None) for one notebook. A row: [notebook, exercise, status]."""
    exercises = course_exercises(root / "notebooks" / name)
    mine_path = workspace / name
    if not mine_path.exists():
        return [[name, e["label"], f"missing: no {name} in your workspace (make lab copies it)"]
                for e in exercises], None
    try:
        mine = code_cells(mine_path)
    except (ValueError, KeyError, TypeError) as error:
        return [[name, e["label"], f"error: {name} is not a readable notebook ({error})"] for e in exercises], None
    given = {cell_id: source for _, cell_id, source in code_cells(root / "exercises" / name)} \
        if (root / "exercises" / name).exists() else {}
    by_index = {index: (cell_id, source) for index, cell_id, source in mine}
    rows, runs = [], []
    for exercise in exercises:
        places = {f: find_cell(mine, cell_id, f, given.get(cell_id)) for f, cell_id in exercise["homes"].items()}
        lost = [f for f, index in places.items() if index is None]
        if lost:
            update = name.removesuffix(".ipynb") + ".course-update.ipynb"  # as tools/workspace.py names it
            beside = f" (the course's new version beside it, {update}, has it)" if (workspace / update).exists() else ""
            rows.append([name, exercise["label"], f"missing: your notebook defines no {', '.join(lost)}{beside}"])
            continue
        indices = sorted(set(places.values()))
        untouched = all(given.get(by_index[i][0]) == by_index[i][1] for i in indices)
        runs.append({"label": exercise["label"], "check": exercise["check"], "cells": indices, "untouched": untouched})
    if not runs:
        return rows, None
    return rows, {"notebook": name, "cells": [[index, source] for index, _, source in mine], "exercises": runs,
                  "timeout": timeout}


def limit(job):
    """Seconds one notebook's process may take: every exercise and the set-up, and some slack."""
    return job["timeout"] * (len(job["exercises"]) + 1) + 10


def run_jobs(jobs, workspace):
    """Run the notebooks' exercises in one worker that forks a process per notebook (importing numpy and the checks
    once, which is most of the time); {(notebook, label): status}."""
    if not jobs:
        return {}
    env = dict(os.environ, MPLBACKEND="Agg", OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    command = [sys.executable, str(Path(__file__).resolve()), "--worker"]
    try:
        done = subprocess.run(command, input=json.dumps(jobs), capture_output=True, text=True, cwd=workspace,
                              env=env, timeout=sum(map(limit, jobs)) + 30)
        out, trouble = done.stdout, f"the worker ended early (exit code {done.returncode}): {done.stderr[-300:]}"
    except subprocess.TimeoutExpired as expired:
        out = expired.stdout.decode() if isinstance(expired.stdout, bytes) else expired.stdout or ""
        trouble = "the worker was stopped: it ran out of time"
    results, ended = {}, {}
    for line in out.splitlines():
        if line.startswith(TAG):
            result = json.loads(line[len(TAG):])
            if "ended" in result:
                ended[result["notebook"]] = result["ended"]
            else:
                results[result["notebook"], result["label"]] = result["status"]
    for job in jobs:
        for e in job["exercises"]:
            results.setdefault((job["notebook"], e["label"]), ended.get(job["notebook"], f"error: {trouble}"))
    return results


# ---- the worker: runs one notebook's exercises (its own process, cwd = the workspace) ----

class ExerciseTimeout(BaseException):
    """Raised by the alarm; a BaseException so that a learner's `except Exception` does not swallow it."""


def cell_statements(index, source):
    """[(statement's code object, names it binds, names it reads)] of one cell; SyntaxError if it does not parse."""
    import linecache
    import symtable

    filename = f"<your cell {index}>"
    try:
        tree = ast.parse(source, filename)
    except SyntaxError:
        from IPython.core.inputtransformer2 import TransformerManager  # %magics and !commands
        source = TransformerManager().transform_cell(source)
        tree = ast.parse(source, filename)
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    statements = []
    for node in tree.body:
        table = symtable.symtable(ast.unparse(node), filename, "exec")
        binds = {s.get_name() for s in table.get_symbols() if s.is_assigned() or s.is_imported() or
                 s.is_namespace()}
        statements.append((compile(ast.Module([node], []), filename, "exec"), binds, _reads(table, top=True)))
    return statements


def _reads(table, top):
    """Global names a symbol table (and the scopes inside it) reads."""
    names = {s.get_name() for s in table.get_symbols() if s.is_referenced() and (top or s.is_global())}
    for child in table.get_children():
        names |= _reads(child, top=False)
    return names


def needed_statements(earlier, reads):
    """(the statements of `earlier` that define the names in `reads` and what they need in turn, in order; the names
    they define)."""
    needed, kept, defined = set(reads), [], set()
    for code, binds, uses in reversed(earlier):
        if binds & needed:
            kept.append(code)
            defined |= binds & needed
            needed |= uses
    return kept[::-1], defined


def learner_line(error):
    """' (line N of your cell, in f: <code>)' for the deepest frame in a learner's cell, else where it happened."""
    import traceback

    frames = traceback.extract_tb(error.__traceback__)
    mine = [f for f in frames if f.filename.startswith("<your cell")]
    if mine:
        frame = mine[-1]
        where = "" if frame.name == "<module>" else f", in {frame.name}"
        return f" (line {frame.lineno} of your cell{where}: {(frame.line or '').strip()})"
    if any("checks.py" in f.filename for f in frames):
        return " (in the check, from what your function returned: does it return what its docstring says?)"
    return ""


def guarded(seconds, action):
    """Run action() with an alarm after `seconds`, its printing silenced."""
    import contextlib
    import signal

    def alarm(signum, frame):
        raise ExerciseTimeout()

    signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            return action()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def say(**result):
    """One TAG line on stdout, in one write: lines from processes side by side do not mix."""
    result = {k: " ".join(v.split())[:1000] if isinstance(v, str) else v for k, v in result.items()}  # one line
    line = TAG + json.dumps(result) + "\n"  # under PIPE_BUF (4 KiB), so one atomic write
    os.write(1, line.encode())


def serve(jobs, parallel=None):
    """The worker: fork a process per notebook, `parallel` at a time, each stopped when it runs out of time."""
    import signal

    import lecture_utils.course.checks  # noqa: F401  (imported once, here: every fork has it)

    parallel = parallel or os.cpu_count() or 1
    pending, running = list(jobs), {}
    while pending or running:
        while pending and len(running) < parallel:
            job = pending.pop(0)
            pid = os.fork()
            if pid == 0:  # the notebook's own process
                try:
                    run_exercises(job)
                except BaseException:
                    import traceback

                    traceback.print_exc()
                    os._exit(1)
                os._exit(0)
            running[pid] = (job, time.monotonic() + limit(job))
        pid, status = os.waitpid(-1, os.WNOHANG)
        if pid:
            job, _ = running.pop(pid)
            if status:
                say(notebook=job["notebook"], ended=f"error: its process ended early (wait status {status})")
            continue
        for pid, (job, deadline) in list(running.items()):
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                running.pop(pid)
                say(notebook=job["notebook"], ended=f"timed out: its process was stopped after {limit(job):g} s")
        time.sleep(0.01)


def run_exercises(job):
    """Say {"notebook", "label", "status"} for each exercise of the job, as soon as it is known."""
    from lecture_utils.course import checks as course_checks

    def report(label, status):
        say(notebook=job["notebook"], label=label, status=status)

    timeout, exercises = job["timeout"], job["exercises"]
    exercise_cells = {index for e in exercises for index in e["cells"]}
    parsed, broken = {}, {}
    for index, source in job["cells"]:
        try:
            parsed[index] = cell_statements(index, source)
        except SyntaxError as error:
            broken[index] = f"error: {type(error).__name__}: {error.msg} (line {error.lineno} of your cell)"
    checks = {e["label"]: compile(e["check"], "<the course's check>", "eval") for e in exercises}
    namespace = {"__name__": "__main__", "get_ipython": lambda: _NoShell()}
    namespace.update({name: getattr(course_checks, name) for code in checks.values() for name in code.co_names
                      if name.startswith("check_") and hasattr(course_checks, name)})  # the course's own checks
    reads = {name for i in exercise_cells if i in parsed for _, _, uses in parsed[i] for name in uses}
    last = max(exercise_cells)
    earlier = [s for index, statements in parsed.items() if index < last and index not in exercise_cells
               for s in statements]
    setup, names = needed_statements(earlier, reads)
    try:
        guarded(timeout, partial(_run, setup, namespace))
    except (Exception, ExerciseTimeout, SystemExit) as error:
        why = f"took over {timeout:g} s" if isinstance(error, ExerciseTimeout) else \
            f"failed: {type(error).__name__}: {error}{learner_line(error)}"
        for e in exercises:
            report(e["label"], f"error: the earlier cells that define what your exercise cells use "
                               f"({', '.join(sorted(names))}) {why}")
        return
    defined = {}  # cell index -> None once its code ran, else the status of its failure
    for e in exercises:
        for index in e["cells"]:
            if index not in defined:
                defined[index] = broken.get(index) or _attempt(
                    partial(_run, [code for code, _, _ in parsed[index]], namespace), timeout,
                    course_checks.ExerciseFailed)[1]
        status = next((defined[i] for i in e["cells"] if defined[i]), None)
        if status is None:
            result, status = _attempt(partial(eval, checks[e["label"]], namespace), timeout,
                                      course_checks.ExerciseFailed)
            if result is False:  # the check found the NotImplementedError stub
                status = "not started" if e["untouched"] else "unfinished: it still raises NotImplementedError"
        report(e["label"], status or "passed")


def _run(statements, namespace):
    for code in statements:
        exec(code, namespace)


def _attempt(action, timeout, failure):
    """(what action() returned, None) if it ran, else (None, status): failing with the hint, error or timed out."""
    try:
        return guarded(timeout, action), None
    except ExerciseTimeout:
        return None, f"timed out after {timeout:g} s (an endless loop?)"
    except (Exception, SystemExit) as error:
        if isinstance(error, failure):
            return None, f"failing: {error}"
        return None, f"error: {type(error).__name__}: {error}{learner_line(error)}"


class _NoShell:
    """get_ipython() outside IPython: a cell's %magic and !command do nothing."""

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


# ---- the report ----

def progress(workspace, root=ROOT, only=(), timeout=10.0):
    """Rows [notebook, exercise, status] for every exercise of the course's notebooks (those starting with `only`)."""
    names = [p.name for p in sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb"))
             if not only or any(p.name.startswith(prefix) for prefix in only)]
    decided, pending = {}, []
    for name in names:
        decided[name], job = notebook_job(name, workspace, root, timeout)
        if job:
            pending.append(job)
    ran = run_jobs(pending, workspace)
    rows = []
    for name in names:
        mine = {label: status for _, label, status in decided[name]}
        mine.update({label: status for (notebook, label), status in ran.items() if notebook == name})
        rows += [[name, e["label"], mine[e["label"]]] for e in course_exercises(root / "notebooks" / name)]
    return rows


def table(rows, seconds):
    """The report: one line per exercise, then the count and the time."""
    width = [max([len(row[i].removesuffix(".ipynb")) for row in rows] + [8]) for i in (0, 1)]
    lines = [f"{'notebook':<{width[0]}}  {'exercise':<{width[1]}}  status"]
    lines += [f"{n.removesuffix('.ipynb'):<{width[0]}}  {e:<{width[1]}}  {s}" for n, e, s in rows]
    kinds = ["passed", "failing", "unfinished", "not started", "error", "timed out", "missing"]
    counts = {k: sum(row[2].startswith(k) for row in rows) for k in kinds}
    summary = ", ".join(f"{counts[k]} {k}" for k in kinds if counts[k])
    lines.append(f"{len(rows)} exercise{'s' * (len(rows) != 1)}: {summary} ({seconds:.1f} s)")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("only", nargs="*", help="only these notebooks, by number (07) or name prefix")
    parser.add_argument("--workspace", type=Path, default=None,
                        help="the learner's folder (default: workspace/, or workspace-ko/ for the Korean edition)")
    parser.add_argument("--edition", choices=["en", "ko"], default="en",
                        help="ko: the Korean edition's notebooks (ko/), its hints in Korean")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per exercise (default 10)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        serve(json.loads(sys.stdin.read()))
        return 0
    korean = args.edition == "ko"
    workspace = args.workspace or ROOT / ("workspace-ko" if korean else "workspace")
    if not workspace.is_dir():
        print(f"There is no workspace at {workspace}: run `make {'lab-ko' if korean else 'lab'}` first, which creates "
              f"it with your copies of the notebooks.", file=sys.stderr)
        return 1
    if korean:
        os.environ["LECTURE_UTILS_LANG"] = "ko"  # the workers' checks give their hints in Korean
    start = time.perf_counter()
    rows = progress(workspace.resolve(), ROOT / "ko" if korean else ROOT, args.only, args.timeout)
    print(table(rows, time.perf_counter() - start))
    return 0


if __name__ == "__main__":
    sys.exit(main())
