"""The course as a static HTML book, in English and Korean: `make book`.

    python tools/book.py build [--jobs 2] [--editions en ko]      (make book)
    python tools/book.py clean                                    (forget the executed notebooks)

Three steps, each reusing what has not changed:

1. **Execute.** Every solution notebook of each edition (`notebooks/`, `ko/notebooks/`) runs headless on the shipped
   data subset at the `SEED = 0` it is stored with, one BLAS thread per kernel and `--jobs` notebooks side by side.
   The executed notebook is kept in build/book/executed/EDITION/ with a key: the hash of its code cells, of every
   file of `lecture_utils/` and `data/`, of the Python, numpy and matplotlib versions and of the Korean font found.
   A notebook whose key has not changed is not run again (its markdown is taken from the current notebook, so a
   change of text costs no run). A cell that
   raises fails the build, naming the notebook, the cell and the error, and nothing of that notebook is kept.
2. **Stage.** A widget panel needs a running kernel, so each one is shown as what it drew at its default values:
   its title, its controls with their values and ranges, and a line saying how to move them in JupyterLab
   (`make lab`). The book's front page is the README's part in that edition's language.
3. **Sphinx** (MyST-NB and sphinx-book-theme; `book/conf.py`) turns each edition into build/book/html/EDITION/, with
   warnings as errors, and build/book/html/index.html opens the English one. Every page has a link to the same page
   in the other edition.

Open build/book/html/index.html in a browser, or serve the folder (`python -m http.server -d build/book/html`);
publish it by copying build/book/html/ to any static host. tests/test_book.py checks the result in Chromium.
"""
import argparse
import functools
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import nbformat

from lecture_utils.datasets import atomic_write

try:
    from tools.render_notebook import execute
except ImportError:  # run as a script: tools/ is on sys.path, not the repository
    from render_notebook import execute

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build" / "book"
CONF = ROOT / "book"
SOURCES = {"en": ROOT / "notebooks", "ko": ROOT / "ko" / "notebooks"}
EDITION_NAMES = {"en": "English", "ko": "한국어"}
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
EXECUTION_VERSION = "1"  # change to run every notebook again
CELL_TIMEOUT = 300  # seconds for one cell; a whole notebook's budget is 30 s, so this only catches a hung kernel

# What the book says about a panel, in each edition
PANEL_NOTE = {
    "en": "A panel: shown here as it first draws, at the values above. In JupyterLab (<code>make lab</code>) these "
          "are sliders and menus; move one and the figure redraws.",
    "ko": "패널: 여기서는 위의 값으로 처음 그린 모습을 보여 줍니다. JupyterLab(<code>make lab EDITION=ko</code>)에서는 "
          "이것들이 슬라이더와 메뉴이며, 하나를 움직이면 그림이 다시 그려집니다.",
}
BOOK_NOTE = {
    "en": "This book is the course's notebooks, each run once when the book was built (`SEED = 0`, the data subset "
          "that ships with the course), with every output and figure. The panels are shown at their default "
          "values; to move their sliders and to do the exercises, open the notebooks in JupyterLab: `make lab`.",
    "ko": "이 책은 과정의 노트북을 책을 만들 때 한 번씩 실행한 결과입니다(`SEED = 0`, 과정에 들어 있는 데이터 부분집합). "
          "모든 출력과 그림이 들어 있습니다. 패널은 기본값으로 그린 모습이며, 슬라이더를 움직이거나 연습 문제를 풀려면 "
          "JupyterLab에서 노트북을 여세요: `make lab EDITION=ko`.",
}
# The README's part for each edition: English from the top to the Korean section, Korean from there to the end
README_KOREAN_HEADING = "## 한국어 안내"
# The table of contents, following the lecture: (caption per edition, notebook name prefixes)
PARTS = [
    ({"en": "Start here", "ko": "시작"}, ["00"]),
    ({"en": "Setting up the network", "ko": "신경망 준비"}, ["01", "02", "03", "04"]),
    ({"en": "Training dynamics", "ko": "학습 과정 다루기"}, ["05", "06"]),
    ({"en": "Optimization", "ko": "최적화"}, ["07", "08"]),
    ({"en": "Beyond training error", "ko": "학습 오차 너머"}, ["09", "10", "11"]),
]


class BookError(Exception):
    """A notebook failed, or the book could not be built; the message says which and why."""


# ---------------------------------------------------------------------------------------------- 1. execute


def _hash_files(digest, folder):
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())


def _shown(path):
    """A path as a learner would type it: relative to the course when it is inside it."""
    path = Path(path)
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def environment_key():
    """The hash of what every notebook's outputs depend on besides its own code: the package, the data, the versions
    of Python, numpy and matplotlib, and the Korean font."""
    import matplotlib
    import numpy

    from lecture_utils.course.plotting import korean_font

    # the Korean figure titles need a Korean font: installing one (fonts-nanum) runs the notebooks again
    versions = (f"{EXECUTION_VERSION} {sys.version_info[:2]} {numpy.__version__} {matplotlib.__version__} "
                f"{korean_font()}")
    digest = hashlib.sha256(versions.encode())
    _hash_files(digest, ROOT / "lecture_utils")
    _hash_files(digest, ROOT / "data")
    return digest.hexdigest()


def notebook_key(nb, environment):
    """The key of one notebook's execution: its code cells, in order, and the environment's key."""
    code = [cell.source for cell in nb.cells if cell.cell_type == "code"]
    return hashlib.sha256(json.dumps([environment, code]).encode()).hexdigest()


def _run(source, target, key):
    """Execute source into target (atomically, only if every cell ran); returns (seconds, error message or None).

    A kernel that stops answering (a cell over CELL_TIMEOUT, or a dead kernel) gets one more try in a fresh kernel,
    so that one stuck run neither hangs nor fails the build (render_notebook's _OutputAreaNoEcho removes the one
    cause of a stuck run seen so far).
    """
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    for attempt in (1, 2):
        try:
            nb, seconds, error = execute(source, timeout=CELL_TIMEOUT, store_widget_state=True)
            break
        except (CellTimeoutError, DeadKernelError) as e:
            if attempt == 2:
                return CELL_TIMEOUT, f"the kernel stopped answering twice ({type(e).__name__}: {e})"
            print(f"  {source.name}: {type(e).__name__}; running it again in a fresh kernel", flush=True)
    if error is not None:
        cell = next((i for i, c in enumerate(nb.cells) if any(o.get("output_type") == "error"
                                                              for o in c.get("outputs", []))), None)
        where = f"cell {cell}" if cell is not None else "a cell"
        what = f"{getattr(error, 'ename', type(error).__name__)}: {getattr(error, 'evalue', error)}"
        return seconds, f"{where} raised {what}".rstrip(": ")
    nb.metadata["book"] = {"key": key}
    atomic_write(target, lambda f: f.write(nbformat.writes(nb).encode("utf-8")))
    return seconds, None


def _cached(target, key):
    """The executed notebook at target if it was made with this key, else None."""
    if not target.exists():
        return None
    try:
        nb = nbformat.read(target, as_version=4)
    except Exception:  # a damaged file is run again, not trusted
        return None
    return nb if nb.metadata.get("book", {}).get("key") == key else None


def with_outputs(current, executed):
    """The current notebook (its text) with the outputs of executed, which has the same code cells in order."""
    nb = nbformat.from_dict(json.loads(json.dumps(current)))
    runs = [cell for cell in executed.cells if cell.cell_type == "code"]
    codes = [cell for cell in nb.cells if cell.cell_type == "code"]
    if [c.source for c in runs] != [c.source for c in codes]:
        raise BookError("the executed notebook's code cells differ from the notebook's (its key is wrong)")
    for cell, run in zip(codes, runs):
        cell.outputs = run.outputs
        cell.execution_count = run.get("execution_count")
    nb.metadata.update({k: v for k, v in executed.metadata.items() if k in ("widgets", "language_info")})
    return nb


def execute_all(editions, jobs, log=print):
    """Run every notebook whose key changed; returns {edition: {name: executed notebook}}. BookError on a failure."""
    environment = environment_key()
    todo, result = [], {}
    for edition in editions:
        folder = BUILD / "executed" / edition
        folder.mkdir(parents=True, exist_ok=True)
        result[edition] = {}
        for source in sorted(SOURCES[edition].glob("[0-9][0-9]_*.ipynb")):
            nb = nbformat.read(source, as_version=4)
            key = notebook_key(nb, environment)
            target = folder / source.name
            cached = _cached(target, key)
            if cached is None:
                todo.append((edition, source, target, key))
            result[edition][source.stem] = (nb, target, key, cached)
    if not any(result.values()):
        raise BookError(f"no notebooks found in {', '.join(str(SOURCES[e]) for e in editions)}")
    log(f"book: {len(todo)} of {sum(len(r) for r in result.values())} notebooks to run "
        f"({jobs} side by side, one BLAS thread each); the others are unchanged")
    failures = []
    if todo:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(_run, source, target, key): (edition, source)
                       for edition, source, target, key in todo}
            for future in as_completed(futures):
                edition, source = futures[future]
                seconds, error = future.result()
                log(f"  {edition}/{source.name}: {seconds:.1f} s" + ("" if error is None else f" FAILED: {error}"))
                if error is not None:
                    failures.append(f"{_shown(source)}: {error}")
    if failures:
        raise BookError("the book is not built, because a notebook failed:\n  " + "\n  ".join(sorted(failures)))
    return {edition: {name: with_outputs(nb, cached if cached is not None else _cached(target, key))
                      for name, (nb, target, key, cached) in notebooks.items()}
            for edition, notebooks in result.items()}


# ------------------------------------------------------------------------------------------------ 2. stage

_BOXES = {"VBoxModel", "HBoxModel", "BoxModel", "GridBoxModel", "AccordionModel", "TabModel", "StackModel"}
_TEXTS = {"HTMLModel", "HTMLMathModel", "LabelModel"}
_CHOICES = {"DropdownModel", "ToggleButtonsModel", "RadioButtonsModel", "SelectModel", "SelectionSliderModel"}


def _number(x):
    return f"{x:g}" if isinstance(x, float) else str(x)


def _control(model):
    """(label, value, what it can be) of one control's state, or None if the model is not a control."""
    s = model["state"]
    name = model["model_name"]
    label = s.get("description", "")
    if name in _CHOICES:
        labels = s.get("_options_labels", [])
        index = s.get("index")
        value = labels[index] if isinstance(index, int) and 0 <= index < len(labels) else ""
        return label, value, ", ".join(labels)
    if "value" not in s or name in _TEXTS or "Progress" in name:
        return None
    value = s["value"]
    if isinstance(value, list):  # a range slider
        value = " to ".join(_number(v) for v in value)
    else:
        value = _number(value)
    if "min" in s and "max" in s and not name.startswith("BoundedInt"):
        return label, value, f"{_number(s['min'])} … {_number(s['max'])}"
    return label, value, ""


def _walk(model_id, state, found):
    """Collect a widget tree's texts, controls and output areas' outputs, in display order."""
    model = state.get(model_id)
    if model is None:
        found["missing"] += 1
        return
    name, s = model["model_name"], model["state"]
    if name in _BOXES:
        for child in s.get("children", []):
            _walk(child.removeprefix("IPY_MODEL_"), state, found)
    elif name in _TEXTS:
        found["texts"].append(s.get("value", ""))
    elif name == "OutputModel":
        found["outputs"].extend(s.get("outputs", []))
    elif "Progress" in name:
        found["progress"] = True
    else:
        control = _control(model)
        if control is not None:
            found["controls"].append(control)


def static_widget(view, state, edition):
    """The outputs that stand for one widget view in the book: [] for a finished progress bar (tqdm), else the panel's
    title, its controls and a line on moving them, then what its output areas drew."""
    found = {"texts": [], "controls": [], "outputs": [], "progress": False, "missing": 0}
    _walk(view["model_id"], state, found)
    if found["missing"] and not (found["controls"] or found["outputs"]):
        return []  # a widget closed before the end (a progress bar with leave=False): nothing to show
    if found["progress"] and not found["controls"]:
        return []  # a progress bar: it only said how far training had come
    if not found["controls"]:
        raise BookError(f"a widget with no controls and no progress bar: {found['texts']}")
    rows = "".join(f"<tr><th>{html.escape(label)}</th><td><code>{html.escape(value)}</code></td>"
                   f"<td>{html.escape(choices)}</td></tr>" for label, value, choices in found["controls"])
    title = "".join(f"<div class='panel-title'>{text}</div>" for text in found["texts"])
    head = (f"<div class='static-panel'>{title}<table class='panel-controls'>{rows}</table>"
            f"<p class='panel-note'>{PANEL_NOTE[edition]}</p></div>")
    plain = "\n".join([re.sub("<[^>]+>", "", t) for t in found["texts"]]
                      + [f"{label} = {value}" for label, value, _ in found["controls"]])
    panel = nbformat.v4.new_output("display_data", data={"text/html": head, "text/plain": plain})
    return [panel] + [nbformat.from_dict(output) for output in found["outputs"]]


def stage_notebook(nb, edition):
    """The executed notebook as the book shows it: widget views replaced by static_widget, widget state dropped."""
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs = []
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            outputs.extend(static_widget(view, state, edition) if view else [output])
        cell.outputs = outputs
    nb.metadata.pop("widgets", None)
    return nb


def readme_part(edition):
    """The README's English part (before the Korean section) or its Korean part, as the book's front page."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    english, _, korean = text.partition(README_KOREAN_HEADING)
    if not korean:
        raise BookError(f"README.md has no '{README_KOREAN_HEADING}' section for the Korean book's front page")
    if edition == "en":
        title, _, body = english.partition("\n")
    else:
        # the section's own headings (###) become the page's sections (##)
        lines = [line[1:] if line.startswith("###") else line for line in korean.strip().splitlines()[1:]]
        title, body = "# Training Neural Networks II — CS231n 강의 7 대화형 numpy 과정", "\n".join(lines)
    # links to files outside the book (benchmarks/README.md, ...) become their path in code
    body = re.sub(r"\[([^\]]+)\]\((?!https?:|#)([^)]+)\)", r"\1 (`\2`)", body)
    return title, body


def front_page(edition, names):
    """index.md: the README part, a note on what the book is, and the table of contents in the lecture's order."""
    title, body = readme_part(edition)
    parts = []
    for captions, prefixes in PARTS:
        entries = [f"notebooks/{name}" for name in names if name[:2] in prefixes]
        parts.append(f"```{{toctree}}\n:caption: {captions[edition]}\n:maxdepth: 1\n\n"
                     + "\n".join(entries) + "\n```\n")
    listed = {e for _, prefixes in PARTS for e in names if e[:2] in prefixes}
    if listed != set(names):
        raise BookError(f"notebooks missing from the book's table of contents: {sorted(set(names) - listed)}")
    return f"{title}\n\n```{{note}}\n{BOOK_NOTE[edition]}\n```\n\n" + "\n".join(parts) + "\n" + body.strip() + "\n"


def _write_if_changed(path, content):
    """Write text or bytes only if they differ, so that Sphinx rebuilds only the pages that changed."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    if path.exists() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, lambda f: f.write(data))


def stage(edition, notebooks):
    """Write build/book/src/EDITION/: index.md and notebooks/NAME.ipynb. Files no longer in the book are removed."""
    src = BUILD / "src" / edition
    wanted = {src / "index.md": front_page(edition, sorted(notebooks))}
    for name, nb in notebooks.items():
        wanted[src / "notebooks" / f"{name}.ipynb"] = nbformat.writes(stage_notebook(nb, edition)) + "\n"
    for path, content in wanted.items():
        _write_if_changed(path, content)
    for path in list(src.rglob("*")) if src.exists() else []:
        if path.is_file() and path not in wanted:
            path.unlink()
    return src


# ----------------------------------------------------------------------------------------------- 3. sphinx


def sphinx(edition, src, log=print):
    """Build one edition's HTML with Sphinx (warnings are errors); BookError with Sphinx's output if it fails."""
    out = BUILD / "html" / edition
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-c", str(CONF), "-d", str(BUILD / "doctrees" / edition),
               "-W", "--keep-going", "-q", str(src), str(out)]
    env = dict(os.environ, BOOK_EDITION=edition)
    start = time.perf_counter()
    run = subprocess.run(command, env=env, capture_output=True, text=True)
    if run.returncode != 0:
        raise BookError(f"Sphinx failed on the {EDITION_NAMES[edition]} book:\n{run.stdout}{run.stderr}")
    log(f"book: {edition} pages in {time.perf_counter() - start:.1f} s -> {_shown(out)}")
    return out


# MathJax for the formulas, served from the book itself so that it works offline: the files of MathJax 3 that
# sphinx-mathjax-offline ships (a PyPI package that is only this data), the parts the CommonHTML output loads
MATHJAX_PARTS = ["tex-chtml.js", "output/chtml", "ui", "a11y", "input/tex/extensions"]


def copy_mathjax(html_root):
    """Copy MathJax's parts into html_root/_mathjax/ (shared by both editions; book/conf.py points there)."""
    import importlib.util

    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None:
        raise BookError("sphinx-mathjax-offline is not installed (pip install -r requirements-dev.txt)")
    source = Path(next(iter(spec.submodule_search_locations))) / "static" / "mathjax"
    for part in MATHJAX_PARTS:
        src, dst = source / part, html_root / "_mathjax" / part
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)


REDIRECT = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Training Neural Networks II</title>
<meta http-equiv="refresh" content="0; url=en/index.html"></head>
<body><p><a href="en/index.html">Training Neural Networks II (English)</a> ·
<a href="ko/index.html" lang="ko">한국어판</a></p></body></html>
"""


def build(editions=("en", "ko"), jobs=2, log=print):
    start = time.perf_counter()
    executed = execute_all(editions, jobs, log)
    for edition in editions:
        sphinx(edition, stage(edition, executed[edition]), log)
    _write_if_changed(BUILD / "html" / "index.html", REDIRECT)
    copy_mathjax(BUILD / "html")
    log(f"book: built in {time.perf_counter() - start:.1f} s; open {_shown(BUILD / 'html' / 'index.html')}"
        f" or serve it: python -m http.server -d {_shown(BUILD / 'html')}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="execute what changed, stage and build the HTML")
    b.add_argument("--jobs", type=int, default=2, help="notebooks run side by side (default 2)")
    b.add_argument("--editions", nargs="+", choices=sorted(SOURCES), default=["en", "ko"])
    sub.add_parser("clean", help="remove build/book (the next build runs every notebook)")
    args = parser.parse_args(argv)
    if args.command == "clean":
        shutil.rmtree(BUILD, ignore_errors=True)
        return 0
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, got {args.jobs}")
    try:
        build(args.editions, args.jobs, log=functools.partial(print, flush=True))
    except BookError as e:
        print(f"book: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
