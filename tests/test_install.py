"""A real, non-editable install: the wheel carries the course's data and the installed package finds it.

Builds the wheel from a copy of the package's sources (so no build/ or *.egg-info lands in the checkout), installs it
with --no-deps into a temporary venv that sees this venv's packages (numpy, ...) through a .pth file, and loads the
course data and the source model from a working directory outside the repository. A .pth line only adds its folder
to sys.path: the .pth files inside that folder are not processed, so the editable install's finder is not loaded and
`import lecture_utils` can only find the installed copy.

Needs setuptools >= 70.1 in this venv (bdist_wheel, for --no-build-isolation; requirements-dev.txt).
"""
import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from lecture_utils import datasets

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["pyproject.toml", "README.md", "requirements.txt", "lecture_utils"]  # what pyproject.toml reads
SCRIPT = r"""
import json, sys
from pathlib import Path
import lecture_utils
from lecture_utils import datasets, splits
from lecture_utils.splits import load_course_data
from lecture_utils.experiments.transfer import load_source_model
from lecture_utils.course import environment

out = {"file": lecture_utils.__file__, "data_dir": str(datasets.DATA_DIR), "checkout": datasets.RUNS_FROM_CHECKOUT}
try:
    data = load_course_data()
    out["shapes"] = [list(data[k].shape) for k in ("X_train", "X_val", "X_test")]
    out["params"] = sorted(load_source_model().params)
    checks = {c.item: c for c in environment.check_environment()}
    out["requirements"] = [name for name, _, _ in environment.requirements()]
    out["subset_check"] = checks["data subset"].ok
except datasets.DatasetError as e:
    out["error"] = f"{type(e).__name__}: {e}"
print(json.dumps(out))
"""


def run(cmd, **kwargs):
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False, **kwargs)
    assert done.returncode == 0, f"{cmd} failed:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(the temporary venv's python, the venv) with the wheel installed and this venv's packages visible."""
    tmp = tmp_path_factory.mktemp("install")
    src = tmp / "src"
    src.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, src / name)
    (src / "data").mkdir()
    for name in datasets.SHIPPED_FILES:  # the shipped files only, never a downloaded data/fashion-mnist/
        shutil.copy2(ROOT / "data" / name, src / "data" / name)
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "--quiet",
         str(src), "-w", str(tmp / "wheels")])
    (wheel,) = (tmp / "wheels").glob("lecture_utils-*.whl")

    venv = tmp / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    # install before the .pth exists: pip then sees no lecture-utils (the editable one) to replace or uninstall
    run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "--quiet",
         str(wheel)])
    site = Path(sysconfig.get_path("purelib", vars={"base": str(venv), "platbase": str(venv)}))
    ours = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (site / "course-venv.pth").write_text("\n".join(sorted(ours)) + "\n")
    return python, venv


def load(python, cwd, **env):
    environ = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", datasets.DATA_ENV)}
    done = run([str(python), "-c", SCRIPT], cwd=cwd, env={**environ, **env})
    return json.loads(done.stdout.splitlines()[-1])


def test_the_wheel_installs_the_data_and_the_package_finds_it(installed, tmp_path):
    python, venv = installed
    got = load(python, tmp_path)
    assert Path(got["file"]).is_relative_to(venv), f"lecture_utils came from {got['file']}, not the venv"
    assert "error" not in got, got["error"]
    assert not got["checkout"] and Path(got["data_dir"]) == (venv / datasets.INSTALLED_DATA).resolve()
    assert got["shapes"] == [[10000, 28, 28], [1500, 28, 28], [1500, 28, 28]]
    assert got["params"] == ["W1", "W2", "W3", "W4", "b1", "b2", "b3", "b4"]
    assert got["subset_check"] and "numpy" in got["requirements"]  # read from the installed package's metadata


def test_the_environment_variable_comes_first(installed, tmp_path):
    python, _ = installed
    mine = tmp_path / "mine"
    shutil.copytree(ROOT / "data", mine, ignore=lambda folder, names: set(names) - set(datasets.SHIPPED_FILES))
    got = load(python, tmp_path, **{datasets.DATA_ENV: str(mine)})
    assert "error" not in got, got["error"]
    assert Path(got["data_dir"]) == mine


def test_without_the_data_the_error_says_where_it_looked(installed, tmp_path):
    python, venv = installed
    installed_data = venv / datasets.INSTALLED_DATA
    hidden = tmp_path / "hidden"
    shutil.move(installed_data, hidden)
    try:
        got = load(python, tmp_path, **{datasets.DATA_ENV: str(tmp_path / "nowhere")})
    finally:
        shutil.move(hidden, installed_data)
    assert got["error"].startswith("DatasetNotFoundError")
    assert "the course's data subset is missing" in got["error"] and "Looked in:" in got["error"]
    assert str(tmp_path / "nowhere") in got["error"] and str(installed_data.resolve()) in got["error"]
