"""Learner versions: built from the solution notebooks, in sync, with no solution line left in them."""
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
from tools.make_exercises import BEGIN, END, build, strip_solutions  # noqa: E402

SOLUTIONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def solution_lines(nb):
    """(lines inside solution markers, lines outside them) over all code cells, stripped."""
    inside, outside = set(), set()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        within = False
        for line in cell.source.split("\n"):
            marker = line.strip()
            if marker in (BEGIN, END):
                within = marker == BEGIN
            elif marker and not marker.startswith("#"):
                (inside if within else outside).add(marker)
    return inside, outside


def test_exercises_folder_is_in_sync_with_the_notebooks():
    for path, text in build().items():
        assert path.is_file() and path.read_text() == text, f"{path.name} is out of date: run make exercises"
    assert sorted(p.name for p in (ROOT / "exercises").glob("*.ipynb")) == [p.name for p in SOLUTIONS]


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_no_solution_line_leaks_into_the_learner_version(path):
    solution = nbformat.read(path, as_version=4)
    learner = nbformat.read(ROOT / "exercises" / path.name, as_version=4)
    inside, outside = solution_lines(solution)
    assert inside, "every notebook has at least one exercise"
    learner_code = {line.strip() for c in learner.cells if c.cell_type == "code" for line in c.source.split("\n")}
    leaked = (inside - outside) & learner_code
    assert not leaked
    assert not any(BEGIN in c.source or END in c.source for c in learner.cells)


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_every_exercise_is_a_named_stub_followed_by_its_check(path):
    learner = nbformat.read(ROOT / "exercises" / path.name, as_version=4)
    code = [c.source for c in learner.cells if c.cell_type == "code"]
    stubs = [i for i, src in enumerate(code) if "raise NotImplementedError(\"exercise " in src]
    assert stubs
    for i in stubs:
        name = re.search(r'NotImplementedError\("exercise (\w+):', code[i]).group(1)
        assert f"def {name}(" in code[i]
        assert re.search(rf"check_\w+\([^)]*\b{name}\b", code[i + 1]), f"the cell after {name} must check it"
    assert all(not c.get("outputs") for c in learner.cells if c.cell_type == "code")


def test_strip_solutions_keeps_indentation_and_names_the_function():
    source = "def f(x):\n    y = 1\n    ### BEGIN SOLUTION\n    z = x + y\n    ### END SOLUTION\n    return z"
    learner, names = strip_solutions(source, "test")
    assert names == ["f"]
    assert learner.split("\n")[2].startswith('    raise NotImplementedError("exercise f:')
    assert "z = x + y" not in learner and "return z" in learner


@pytest.mark.parametrize("source,message", [
    ("### BEGIN SOLUTION\nx = 1", "never closed"),
    ("x = 1\n### END SOLUTION", "without"),
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION", "inside another"),
])
def test_unbalanced_markers_are_refused(source, message):
    with pytest.raises(ValueError, match=message):
        strip_solutions(source, "nb, cell 3")


def test_every_learner_version_runs_its_exercise_and_check_cells():
    """The parts of a learner version that differ from its solution, run: each exercise is the stub, so each check
    reports it as not started (outside them, a learner version is its solution's code: checked above, and the
    solutions run in full under nbval). tools/progress.py runs them as `make progress` does, in a few seconds."""
    from tools import progress

    rows = progress.progress(ROOT / "exercises", ROOT)
    assert {name for name, _, _ in rows} == {p.name for p in SOLUTIONS}
    assert [row for row in rows if row[2] != "not started"] == []


def test_every_solution_passes_its_own_checks():
    from tools import progress

    rows = progress.progress(ROOT / "notebooks", ROOT)
    assert len(rows) >= len(SOLUTIONS)
    assert [row for row in rows if row[2] != "passed"] == []
