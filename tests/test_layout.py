"""The package's rooms (README, "The package, `lecture_utils`: a map"): the core imports numpy alone, old module names
still load."""
import json
import re
import subprocess
import sys
from pathlib import Path


from lecture_utils._moved import MOVED

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "lecture_utils"
CORE = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")


def test_every_old_module_name_loads_the_moved_module_with_a_warning():
    """In one fresh interpreter (none of the modules imported yet): each old name gives the moved module itself."""
    code = ("import importlib, json, warnings\n"
            "warnings.simplefilter('always')\n"
            f"moved = {MOVED!r}\n"
            "seen = {}\n"
            "for old, new in moved.items():\n"
            "    with warnings.catch_warnings(record=True) as caught:\n"
            "        module = importlib.import_module('lecture_utils.' + old)\n"
            "    assert module is importlib.import_module('lecture_utils.' + new), (old, module)\n"
            "    seen[old] = [str(w.message) for w in caught if w.category is FutureWarning]\n"
            "print(json.dumps(seen))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    seen = json.loads(out.strip().splitlines()[-1])
    for old, new in MOVED.items():
        assert any(f"lecture_utils.{old} is now lecture_utils.{new}" in message for message in seen[old]), (old, seen)


def test_a_moved_name_is_not_also_a_file_at_the_top():
    assert not set(MOVED) & set(CORE)
    for old, new in MOVED.items():
        assert (PACKAGE / (new.replace(".", "/") + ".py")).is_file(), new


def _course_files():
    for folder in ("notebooks", "exercises", "templates", "tests", "tools", "benchmarks", "lecture_utils"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".py", ".ipynb", ".md") and path.name != "_moved.py" and ".ipynb_checkpoints" not in path.parts:
                yield path
    yield from (ROOT / name for name in ("README.md", "CONTRIBUTING.md", "Makefile"))


def test_the_course_uses_only_the_new_module_names():
    old = re.compile(r"lecture_utils[./](" + "|".join(MOVED) + r")\b")
    bare = re.compile(r"from lecture_utils import ([a-z_, ]+)")
    found = []
    for path in _course_files():
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in old.finditer(text)]
        found += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in bare.finditer(text)
                  if set(n.strip() for n in m.group(1).split(",")) & set(MOVED)]
    assert not found, found


def test_the_core_and_the_experiments_import_numpy_alone():
    code = ("import sys, importlib, pkgutil, lecture_utils, lecture_utils.experiments\n"
            "for m in pkgutil.iter_modules(lecture_utils.__path__):\n"
            "    if not m.ispkg: importlib.import_module('lecture_utils.' + m.name)\n"
            "for m in pkgutil.iter_modules(lecture_utils.experiments.__path__):\n"
            "    importlib.import_module('lecture_utils.experiments.' + m.name)\n"
            "print(sorted(n for n in ('matplotlib', 'ipywidgets', 'IPython', 'torch', 'scipy') if n in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", out
