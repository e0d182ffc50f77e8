"""Sphinx configuration of the course book (tools/book.py builds it; BOOK_EDITION is en or ko).

MyST-NB renders the notebooks tools/book.py has already executed and staged (nb_execution_mode = "off"), so Sphinx
runs no code. The theme is sphinx-book-theme, whose assets ship in its wheel: the build needs no network.
"""
import os

edition = os.environ.get("BOOK_EDITION", "en")
if edition not in ("en", "ko"):
    raise ValueError(f"BOOK_EDITION must be en or ko, got {edition!r}")
other = {"en": "ko", "ko": "en"}[edition]


def _built_from():
    """'Built on DATE from commit ABC1234.' for the footer, so that a group can tell which version it reads."""
    import datetime
    import subprocess

    date = datetime.date.today().isoformat()
    try:
        # abc1234, or abc1234-dirty when the working tree has changes not committed
        commit = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True, text=True, check=True,
                                cwd=os.path.dirname(os.path.abspath(__file__))).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = ""
    if edition == "ko":
        return f"{date}에 만듦" + (f", 커밋 {commit}" if commit else "")
    return f"Built on {date}" + (f" from commit {commit}" if commit else "")


project = "Training Neural Networks II"
language = edition
extensions = ["myst_nb"]
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
templates_path = ["_templates"]
html_static_path = ["_static"]
html_css_files = ["book.css"]
html_title = {"en": "Training Neural Networks II", "ko": "Training Neural Networks II (한국어판)"}[edition]
html_theme = "sphinx_book_theme"
html_theme_options = {
    "article_header_end": ["edition-switch.html", "article-header-buttons.html"],
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "use_download_button": True,
    "use_fullscreen_button": False,
    "extra_footer": f"<p>{_built_from()}</p>",
    "footer_content_items": ["extra-footer.html"],
}
html_context = {
    "other_edition": other,
    "other_edition_label": {"en": "한국어", "ko": "English"}[edition],
    "other_edition_title": {"en": "이 쪽의 한국어판", "ko": "This page in English"}[edition],
}
html_show_sourcelink = False

# MathJax from the book itself (tools/book.py copies it to build/book/html/_mathjax/), not from a CDN: the formulas
# render offline too. The path is relative to each edition's _static/.
mathjax_path = "../../_mathjax/tex-chtml.js"
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3
nb_execution_mode = "off"  # tools/book.py has run every notebook
nb_merge_streams = True
nb_output_stderr = "show"
suppress_warnings = ["mystnb.unknown_mime_type"]


def _other_edition_url(app, pagename, templatename, context, doctree):
    """The same page in the other edition: the editions sit side by side in build/book/html/{en,ko}/."""
    up = "../" * (pagename.count("/") + 1)
    context["other_edition_url"] = f"{up}{other}/{pagename}.html"


def setup(app):
    app.connect("html-page-context", _other_edition_url)
