"""tools/seed_matrix.py: seeded copies of the notebooks, and a run that reports a failure at one seed."""
import json
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
from tools import seed_matrix  # noqa: E402


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "exercises").glob("*.ipynb")),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_notebook_has_one_seed_line_to_set(path):
    nb = seed_matrix.seeded_copy(path, 3)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert code.count("\nSEED = 3\n") + code.startswith("SEED = 3\n") == 1 and "SEED = 0" not in code


def _notebook(tmp_path, source, name="tiny.ipynb"):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    folder = tmp_path / "notebooks"
    folder.mkdir(exist_ok=True)
    nbformat.write(nb, folder / name)
    return folder / name


def test_a_notebook_without_its_seed_line_is_refused(tmp_path):
    with pytest.raises(ValueError, match="SEED = 0"):
        seed_matrix.seeded_copy(_notebook(tmp_path, "x = 1"), 1)
    with pytest.raises(ValueError, match="found 2"):
        seed_matrix.seeded_copy(_notebook(tmp_path, "SEED = 0\nSEED = 0"), 1)


def test_the_matrix_reports_the_seed_that_fails(tmp_path, capsys):
    path = _notebook(tmp_path, "SEED = 0\nassert SEED != 2, 'a claim that holds only for some seeds'")
    # the default threads: one pytest process, no xdist workers to start (the one-thread pass differs only in those)
    code = seed_matrix.main([str(path), "--seeds", "0", "2", "--threads", "default", "--out", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert code != 0
    row = next(line for line in out.splitlines() if line.startswith("notebooks/tiny.ipynb"))
    assert "FAIL@0" in row and row.split()[1] != "FAIL@0"  # seed 0 passed with its time, seed 2 failed
    assert json.loads((tmp_path / "out" / "threads-default" / "seed-2" / "notebooks" / "tiny.ipynb").read_text())


def test_only_a_kernel_that_never_started_is_run_again(tmp_path):
    started, failed = (tmp_path / "a.ipynb").resolve(), (tmp_path / "b.ipynb").resolve()
    written = {started.as_posix(): ("notebooks/a.ipynb", 1), failed.as_posix(): ("notebooks/b.ipynb", 1)}
    died = f'<error message="failed on setup with &quot;RuntimeError: {seed_matrix.KERNEL_START}&quot;">x</error>'
    report = tmp_path / "report.xml"
    report.write_text(
        "<testsuites><testsuite>"
        f'<testcase file="{started}" name="Cell 0">{died}</testcase>'
        f'<testcase file="{started}" name="Cell 1">{died}</testcase>'
        f'<testcase file="{failed}" name="Cell 0">{died}</testcase>'
        f'<testcase file="{failed}" name="Cell 1"><failure message="AssertionError: a claim">x</failure></testcase>'
        "</testsuite></testsuites>")
    assert seed_matrix.kernel_start_failures(report, written) == [started.as_posix()]


def test_a_run_whose_kernel_never_started_passes_when_it_runs_again(tmp_path, monkeypatch, capsys):
    path = _notebook(tmp_path, "SEED = 0")
    calls = []

    def fake_pytest(folder, threads, report, paths=None):  # the first run's kernel dies; the retry passes
        calls.append(paths)
        copy = folder / "seed-0" / "notebooks" / "tiny.ipynb"
        outcome = "" if paths else f'<error message="{seed_matrix.KERNEL_START}">x</error>'
        report.write_text(f'<testsuites><testsuite><testcase file="{copy}" name="Cell 0" time="0.5">{outcome}'
                          "</testcase></testsuite></testsuites>")
        return 0 if paths else 1

    monkeypatch.setattr(seed_matrix, "run_pytest", fake_pytest)
    code = seed_matrix.main([str(path), "--seeds", "0", "--threads", "1", "--out", str(tmp_path / "out")])
    assert code == 0 and len(calls) == 2 and calls[1] == [(tmp_path / "out" / "threads-1" / "seed-0" / "notebooks" /
                                                          "tiny.ipynb").resolve().as_posix()]
    assert "the kernel did not start for 1 run(s)" in capsys.readouterr().out
