"""A real browser: JupyterLab on 127.0.0.1, each notebook's panel run in headless Chromium and a slider moved.

The browser opens a copy of each notebook cut down to what its panel needs: the title, the setup cell (imports,
SEED, the data) and the panel with the text above it (`panel_notebook`). The experiments in between run in full
under nbval (make test), so running them again in the browser would only double the suite's time; the panel cell
needs nothing they compute, which `panel_notebook` checks. Each module starts one JupyterLab server and one browser
page with JupyterLab loaded (`lab`, `page`); each test opens its notebook there with a kernel of its own, runs it,
moves the panel's first slider one step and closes the notebook, shutting its kernel down.

Skipped with a visible reason when Chromium or Playwright is missing, unless REQUIRE_BROWSER=1
(as .ci/run sets), which turns a missing browser into a failure. Saves screenshots to
build/screenshots/<notebook>.png and <notebook>_panel.png.
"""
import ast
import builtins
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
TOKEN = "lecture-utils-browser-test"


def _browser_missing():
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install playwright; never `playwright install`)"
    return None


missing = _browser_missing()
if missing and os.environ.get("REQUIRE_BROWSER") == "1":
    raise RuntimeError(f"REQUIRE_BROWSER=1 but {missing}")
pytestmark = pytest.mark.skipif(missing is not None, reason=missing or "")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def panel_notebook(path):
    """The notebook at `path` as JSON text, cut down to its title, its setup cell (the first code cell that imports
    the panel) and its panel cell with the text above it, outputs cleared. Raises if the panel cell uses a name that
    neither of the two code cells defines."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = nb["cells"]
    code = [i for i, c in enumerate(cells) if c["cell_type"] == "code"]
    panels = [i for i in code if re.search(r"^panel = \w+_panel\(", "".join(cells[i]["source"]), re.M)]
    assert panels, f"{path.name} has no panel cell (panel = ..._panel(...))"
    panel = panels[0]
    used = {node.id for node in ast.walk(ast.parse("".join(cells[panel]["source"])))
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}

    def bound(i):
        return {name for node in ast.walk(ast.parse("".join(cells[i]["source"]))) for name in _bound_names(node)}

    setup = next(i for i in code if used & bound(i))
    missing = used - bound(setup) - set(dir(builtins)) - {"panel"}
    assert not missing, f"{path.name}: the panel cell needs {sorted(missing)} from cells other than the setup cell"
    keep = [0, setup] + ([panel - 1] if cells[panel - 1]["cell_type"] == "markdown" else []) + [panel]
    nb["cells"] = [cells[i] for i in keep]
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    return json.dumps(nb, indent=1)


def _bound_names(node):
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [(alias.asname or alias.name).split(".")[0] for alias in node.names]
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
        return [node.id]
    return []


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on 127.0.0.1 serving copies of the notebooks; stopped by the PID of the server itself."""
    tmp_path = tmp_path_factory.mktemp("lab")
    root = tmp_path / "root"
    root.mkdir()
    for name in NOTEBOOKS:
        (root / name).write_text(panel_notebook(ROOT / "notebooks" / name), encoding="utf-8")
    settings = tmp_path / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))  # no "Jupyter news" pop-up
    port = _free_port()
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"), JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
               f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True",
               "--allow-root", "--LanguageServerManager.autodetect=False", "--ServerApp.terminals_enabled=False"]
    log = open(tmp_path / "lab.log", "w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)  # its PID is the server's
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=1)
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError(f"JupyterLab exited: {(tmp_path / 'lab.log').read_text()[-2000:]}")
                time.sleep(0.5)
        else:
            raise RuntimeError("JupyterLab did not answer within 60 s")
        yield url, root
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


ALL_RUN = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  if (!panel || !panel.sessionContext || !panel.sessionContext.session) return false;
  const kernel = panel.sessionContext.session.kernel;
  const cells = panel.content.widgets.filter(c => c.model.type === 'code');
  return kernel.status === 'idle' && cells.every(c => c.model.executionCount !== null);
}"""
ERRORS = """() => window.jupyterapp.shell.currentWidget.content.widgets
  .filter(c => c.model.type === 'code')
  .flatMap((c, i) => c.model.outputs.toJSON().filter(o => o.output_type === 'error').map(o => `cell ${i}: ${o.ename}: ${o.evalue}`))"""


PANEL_TEXT = "() => document.querySelector('.lecture-panel').innerText"
FIRST_IMAGE = "() => { const img = document.querySelector('.lecture-panel .jp-OutputArea-output img'); return img && img.src; }"


@pytest.fixture(scope="module")
def page(lab):
    """One headless Chromium with JupyterLab loaded, shared by a module's tests: each test opens its notebook in it
    (with a kernel of its own) and closes it, shutting its kernel down, instead of loading the whole JupyterLab front
    end again in a new browser."""
    from playwright.sync_api import sync_playwright

    url, _ = lab
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{url}/lab?reset&token={TOKEN}")  # reset: no notebook restored from an earlier session
            page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell"
                                   " && window.jupyterapp.commands.hasCommand('docmanager:open')", timeout=90_000)
            page.evaluate(APP_READY)  # the lab's plugins are all started
            yield page
        finally:
            browser.close()


APP_READY = "async () => { await window.jupyterapp.restored; return true; }"
OPENED = """(path) => {
  const panel = window.jupyterapp.shell.currentWidget;
  return !!(panel && panel.context && panel.context.path === path && panel.sessionContext
            && panel.sessionContext.session && panel.sessionContext.session.kernel
            && panel.sessionContext.session.kernel.status === 'idle');
}"""
CLOSE = """async () => {
  for (const widget of Array.from(window.jupyterapp.shell.widgets('main'))) {
    if (widget.sessionContext) await widget.sessionContext.shutdown();
    widget.dispose();
  }
}"""


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_notebook_runs_in_jupyterlab_and_its_slider_redraws(lab, page, notebook):
    run_in_lab(page, notebook)


def run_in_lab(page, notebook):
    """Open `notebook` (its panel_notebook copy) in the lab's page, run every cell, check for errors, move the panel's
    first slider and check that the panel redrew; screenshots go to build/screenshots/. Closes the notebook and shuts
    its kernel down, whatever happened."""
    stem = notebook.removesuffix(".ipynb")
    shots = ROOT / "build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    try:
        page.evaluate("(path) => { window.jupyterapp.commands.execute('docmanager:open', {path, factory: 'Notebook'});"
                      " }", notebook)
        page.wait_for_function(OPENED, arg=notebook, timeout=90_000, polling=250)
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_function(ALL_RUN, timeout=240_000, polling=500)
        assert page.evaluate(ERRORS) == []

        panel = page.locator(".lecture-panel").first
        panel.scroll_into_view_if_needed()
        panel.locator(".jp-OutputArea-output img").first.wait_for(timeout=30_000)
        image_before, text_before = page.evaluate(FIRST_IMAGE), page.evaluate(PANEL_TEXT)
        handle = panel.locator(".noUi-handle").first  # ipywidgets 8's slider handle
        handle.focus()
        handle.press("ArrowLeft")  # one step: the slider moves and the panel redraws
        page.wait_for_function(f"(before) => ({FIRST_IMAGE})() !== before", arg=image_before, timeout=60_000)
        page.wait_for_function(ALL_RUN, timeout=60_000, polling=500)  # the redraw has finished
        page.wait_for_timeout(500)
        assert page.evaluate(FIRST_IMAGE) != image_before
        assert page.evaluate(PANEL_TEXT) != text_before
        assert page.evaluate(ERRORS) == []
        panel.screenshot(path=str(shots / f"{stem}_panel.png"))
        page.screenshot(path=str(shots / f"{stem}.png"))
    finally:
        page.evaluate(CLOSE)
