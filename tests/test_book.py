"""The built book (make book, tools/book.py) opened in headless Chromium, page by page, in both editions.

The book is built before the tests run (`make test` builds it first: a notebook that fails fails the build, and with
it `make test`). Here a local HTTP server on 127.0.0.1 serves build/book/html/ and Chromium checks that every page
loads with no script error and no request leaving the machine (MathJax and the theme come with the book), that each
notebook page shows every figure its executed notebook holds as a loaded image, each panel as its figure at its
default values, no error output, the same page in the other edition behind the switch, and that at a phone's width
nothing is wider than the screen. Screenshots go to build/screenshots/book/ (look at them).

Skipped with a visible reason when the book is not built or Chromium is missing, unless REQUIRE_BOOK=1 or
REQUIRE_BROWSER=1 (as .ci/run sets), which turn that into a failure.
"""
import functools
import http.server
import os
import threading
from pathlib import Path

import nbformat
import pytest

from tests.test_browser import CHROMIUM, FLAGS, missing as browser_missing
from tools import book

ROOT = Path(__file__).resolve().parent.parent
HTML = book.BUILD / "html"
SHOTS = ROOT / "build" / "screenshots" / "book"
EDITIONS = ("en", "ko")
NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
PAGES = ["index"] + [f"notebooks/{name}" for name in NOTEBOOKS]
PHONE = {"width": 390, "height": 844}  # a common phone's CSS pixels

not_built = None if (HTML / "index.html").exists() else "the book is not built (make book)"
if not_built and os.environ.get("REQUIRE_BOOK") == "1":
    raise RuntimeError(f"REQUIRE_BOOK=1 but {not_built}")
if browser_missing and os.environ.get("REQUIRE_BROWSER") == "1":
    raise RuntimeError(f"REQUIRE_BROWSER=1 but {browser_missing}")
needs_book = pytest.mark.skipif(not_built is not None, reason=not_built or "")
needs_browser = pytest.mark.skipif(not_built is not None or browser_missing is not None,
                                   reason=not_built or browser_missing or "")


def staged(edition, name):
    return nbformat.read(book.BUILD / "src" / edition / "notebooks" / f"{name}.ipynb", as_version=4)


def count_outputs(nb, kind):
    return sum(kind in output.get("data", {}) for cell in nb.cells if cell.cell_type == "code"
               for output in cell.outputs)


@needs_book
@pytest.mark.parametrize("edition", EDITIONS)
def test_the_book_is_built_from_the_current_notebooks(edition):
    """Every notebook of the edition is in the book, executed from its current code (the build's key matches), and
    the front page is the current README's."""
    environment = book.environment_key()
    for name in NOTEBOOKS:
        current = nbformat.read(book.SOURCES[edition] / f"{name}.ipynb", as_version=4)
        executed = nbformat.read(book.BUILD / "executed" / edition / f"{name}.ipynb", as_version=4)
        assert executed.metadata["book"]["key"] == book.notebook_key(current, environment), \
            f"{edition}/{name}: the book is older than the notebook; run make book"
        assert (HTML / edition / "notebooks" / f"{name}.html").exists()
    front = (book.BUILD / "src" / edition / "index.md").read_text(encoding="utf-8")
    assert front == book.front_page(edition, NOTEBOOKS), "the book's front page is older than the README; make book"


@needs_book
@pytest.mark.parametrize("edition", EDITIONS)
def test_every_notebook_has_its_figures_and_its_panel_and_no_widget_left(edition):
    for name in NOTEBOOKS:
        nb = staged(edition, name)
        assert count_outputs(nb, "image/png") >= 2, f"{edition}/{name}: fewer than two figures"
        assert count_outputs(nb, book.WIDGET_VIEW) == 0, f"{edition}/{name}: a live widget left in the book"
        assert "widgets" not in nb.metadata
        errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
        assert not errors, f"{edition}/{name}: error outputs {errors}"
        panels = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"
                  and any("static-panel" in o.get("data", {}).get("text/html", "") for o in c.outputs)]
        assert len(panels) == 1, f"{edition}/{name}: {len(panels)} panels shown, expected one"
        i, cell = panels[0]
        assert any("image/png" in o.get("data", {}) for o in cell.outputs), \
            f"{edition}/{name}: the panel in cell {i} shows no figure"
        note = book.PANEL_NOTE[edition].split("<code>")[0]
        assert note in cell.outputs[0]["data"]["text/html"]


@pytest.fixture(scope="module")
def server():
    handler = functools.partial(QuietHandler, directory=str(HTML))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def open_page(browser, server, url, viewport=None):
    """A new page at url; returns (page, problems): script errors, failed requests and requests off the machine."""
    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900})
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda e: problems.append(f"script error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.on("request", lambda r: None if r.url.startswith(server) or r.url.startswith("data:")
            else problems.append(f"request off the machine: {r.url}"))
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    response = page.goto(url, wait_until="networkidle")
    assert response is not None and response.ok, f"{url}: {response and response.status}"
    return page, problems


IMAGES = """() => [...document.querySelectorAll('.cell_output img')].map(img => ({
    loaded: img.complete && img.naturalWidth > 0, width: img.getBoundingClientRect().width}))"""
ERRORS = """() => document.querySelectorAll('.output.error, .output.traceback, .output.stderr').length"""


@needs_browser
@pytest.mark.parametrize("edition", EDITIONS)
def test_every_page_loads_with_its_figures_formulas_and_no_error(browser, server, edition):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for pagename in PAGES:
        page, problems = open_page(browser, server, f"{server}/{edition}/{pagename}.html")
        try:
            assert page.locator("article h1").count() >= 1, f"{edition}/{pagename}: no heading"
            assert page.evaluate(ERRORS) == 0, f"{edition}/{pagename}: an error output is shown"
            text = page.locator("article").inner_text()
            assert "Traceback" not in text, f"{edition}/{pagename}: a traceback is shown"
            if pagename != "index":
                images = page.evaluate(IMAGES)
                expected = count_outputs(staged(edition, pagename.split("/")[1]), "image/png")
                assert len(images) == expected, f"{edition}/{pagename}: {len(images)} images, {expected} figures"
                assert all(i["loaded"] for i in images), f"{edition}/{pagename}: an image did not load"
                assert page.locator(".static-panel").count() == 1
                if page.locator(".math").count():  # MathJax is on the pages with formulas only
                    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
                    page.evaluate("() => MathJax.startup.promise")
                    rendered = page.locator("mjx-container").count()
                    assert rendered >= page.locator(".math").count(), f"{edition}/{pagename}: formulas not typeset"
                    assert page.locator("mjx-merror").count() == 0, f"{edition}/{pagename}: a formula MathJax refused"
            switch = page.locator("a.edition-switch")
            assert switch.count() == 1, f"{edition}/{pagename}: no link to the other edition"
            other = {"en": "ko", "ko": "en"}[edition]
            href = switch.get_attribute("href")
            assert href.endswith(f"{other}/{pagename}.html"), href
            if pagename in ("index", "notebooks/01_activation_functions", "notebooks/07_optimizers"):
                short = pagename.split("/")[-1][:2] if "/" in pagename else "index"
                page.screenshot(path=str(SHOTS / f"{edition}_{short}.png"))
            with page.expect_navigation():
                switch.click()
            assert page.url.endswith(f"/{other}/{pagename}.html")
            assert not problems, f"{edition}/{pagename}: {problems}"
        finally:
            page.context.close()


@needs_browser
@pytest.mark.parametrize("edition", EDITIONS)
def test_a_notebook_page_fits_a_phone(browser, server, edition):
    """At a phone's width no figure is cut and the page does not scroll sideways (wide code and tables scroll
    inside their own box)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page, problems = open_page(browser, server, f"{server}/{edition}/notebooks/04_batch_normalization.html",
                               viewport=PHONE)
    try:
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the page is {width} px wide on a {PHONE['width']} px screen"
        images = page.evaluate(IMAGES)
        assert images and all(0 < i["width"] <= PHONE["width"] for i in images), images
        body = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('article p')).fontSize)")
        assert body >= 14, f"body text {body} px on a phone"
        page.screenshot(path=str(SHOTS / f"{edition}_04_phone.png"))
        page.locator(".static-panel").first.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"{edition}_04_phone_panel.png"))
        assert not problems, problems
    finally:
        page.context.close()
