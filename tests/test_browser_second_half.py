"""The browser test of tests/test_browser.py for the second half of the notebooks, in a module of its own: it gets
its own JupyterLab server and browser, and pytest-xdist (--dist loadfile) runs it on the other worker, beside the first
half."""
import pytest

from test_browser import SECOND_HALF, lab, page, pytestmark, run_in_lab  # noqa: F401 (the fixtures and the skip marker)


@pytest.mark.parametrize("notebook", SECOND_HALF)
def test_notebook_runs_in_jupyterlab_and_its_slider_redraws(lab, page, notebook):  # noqa: F811
    run_in_lab(page, notebook)
