"""tools/seed_matrix.py: seeded copies of the notebooks, and a run that reports a failure at one seed."""
import json
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
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
    code = seed_matrix.main([str(path), "--seeds", "0", "2", "--threads", "1", "--out", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert code != 0
    row = next(line for line in out.splitlines() if line.startswith("notebooks/tiny.ipynb"))
    assert "FAIL@0" in row and row.split()[1] != "FAIL@0"  # seed 0 passed with its time, seed 2 failed
    assert json.loads((tmp_path / "out" / "threads-1" / "seed-2" / "notebooks" / "tiny.ipynb").read_text())
