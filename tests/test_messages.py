"""What the package says to a learner, in both languages: the catalogue lecture_utils/_messages_ko.py.

Every message is written in English in the code as `_("...")` (a template) or `N_("...")` (plain text); these tests
fail when one has no Korean, when the Korean's {fields} differ, when the catalogue keeps a message the code no longer
has, or when a learner-facing sentence in the course's modules skips `_` and would stay English in the Korean edition.
"""
import ast
import math
import os
import re
from pathlib import Path

import pytest

from lecture_utils import _i18n
from lecture_utils._messages_ko import MESSAGES
from lecture_utils.course import environment, get_language, set_language
from lecture_utils.course._returns import ExerciseFailed
from lecture_utils.training import TrainingDiverged, _diverged, History
from test_checks import CASES, WRONG, WRONG_KINDS, _wrongly
from tools import translate

ROOT = Path(__file__).resolve().parent.parent
HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture
def korean():
    set_language("ko")
    yield
    set_language("en")


def test_every_message_has_its_korean_and_the_same_fields():
    assert translate.catalogue_problems() == []


def test_the_catalogue_check_finds_each_kind_of_problem():
    messages = {"a {x} b": "m.py:1", "plain": "m.py:2", "two {x} {y}": "m.py:3", "code": "m.py:4"}
    catalogue = {"a {x} b": "가 {z} 나", "two {x} {y}": "둘 {x}", "code": "code", "old": "옛 문장"}
    found = translate.catalogue_problems(messages, catalogue)
    assert [line.split(":", 2)[-1].strip().split(" ")[0] for line in found] == ["the", "no", "the", "the", "'old'"]
    assert "uses fields the English does not fill: ['z']" in found[0] and "leaves out ['y']" in found[2]
    assert "has no Korean in it" in found[3] and "no longer in the code" in found[4]


# the calls whose string arguments a learner reads
LEARNER_CALLS = {"print", "ExerciseFailed", "_fail_unless", "_panel", "Check", "TrainingDiverged"}
COURSE_FILES = ["course/checks.py", "course/_returns.py", "course/widgets.py", "course/environment.py", "training.py"]
CODE_LABELS = {"keep prob"}  # slider labels that name an argument (keep_prob), the same in both editions


def _sentences(node):
    """String constants and f-strings with words in them, inside `node` but outside `_()`/`N_()` calls."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "N_"):
        return []
    if isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        text = node.value if isinstance(node, ast.Constant) else "".join(
            v.value for v in node.values if isinstance(v, ast.Constant))
        return [text] if re.search(r"[A-Za-z]{2,}\s+[A-Za-z]{2,}", text) and text not in CODE_LABELS else []
    return [s for child in ast.iter_child_nodes(node) for s in _sentences(child)]


@pytest.mark.parametrize("module", COURSE_FILES)
def test_no_learner_facing_sentence_skips_the_catalogue(module):
    tree = ast.parse((ROOT / "lecture_utils" / module).read_text(encoding="utf-8"))
    untranslated = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            arguments = list(node.args) + [k.value for k in node.keywords if k.arg in ("description", "message")]
            if name in LEARNER_CALLS:
                untranslated += [(node.lineno, s) for a in arguments for s in _sentences(a)]
            else:  # a slider's label
                untranslated += [(node.lineno, s) for k in node.keywords if k.arg == "description"
                                 for s in _sentences(k.value)]
    assert untranslated == [], f"{module}: sentences a learner reads, not in _(): {untranslated}"


def test_the_language_is_set_checked_and_read_from_the_environment(monkeypatch):
    assert get_language() == "en" and _i18n._("one number") == "one number"
    with pytest.raises(ValueError, match="language must be one of .*'fr'"):
        set_language("fr")
    import importlib
    # reloading runs the module again, which empties its list of listeners: plotting's (the Korean font) would be
    # lost for every later test in this process, so it is put back
    listeners = list(_i18n._listeners)
    monkeypatch.setenv("LECTURE_UTILS_LANG", "ko")
    try:
        importlib.reload(_i18n)
        assert _i18n.get_language() == "ko"
    finally:
        monkeypatch.delenv("LECTURE_UTILS_LANG")
        importlib.reload(_i18n)
        _i18n._listeners[:] = listeners
        _i18n.set_language("en")
    assert get_language() == "en"  # the course's modules hold the same _i18n state


def test_a_stub_reports_itself_in_korean(korean, capsys):
    def stub(*args, **kwargs):
        raise NotImplementedError
    for check in CASES:
        assert check(stub) is False
    out = capsys.readouterr().out
    assert out.count("\n") == len(CASES) and all(HANGUL.search(line) for line in out.splitlines())


@pytest.mark.parametrize("check,wrong,words", WRONG, ids=lambda v: getattr(v, "__name__", str(v)))
def test_every_wrong_version_gets_a_korean_hint(check, wrong, words, korean):
    with pytest.raises(ExerciseFailed) as err:
        check(wrong)
    message = str(err.value)
    assert HANGUL.search(message) and not re.search(r"\{\w*\}", message), message


def test_korean_hints_stay_distinct(korean):
    hints = {}
    for check, wrong, _ in WRONG:
        with pytest.raises(ExerciseFailed) as err:
            check(wrong)
        hints.setdefault(check, []).append(str(err.value))
    for check, found in hints.items():
        assert len(set(found)) == len(found), f"{check.__name__}: two wrong versions get the same Korean hint"


@pytest.mark.parametrize("kind", sorted(WRONG_KINDS))
def test_a_wrong_kind_of_answer_is_told_in_korean(kind, korean):
    for check in CASES:
        with pytest.raises(ExerciseFailed) as err:
            check(_wrongly(CASES[check][0][0], kind))
        assert HANGUL.search(str(err.value)), str(err.value)


def test_training_and_environment_speak_korean(korean):
    history = History(steps_per_epoch=1)
    history.loss.append(2.3)
    with pytest.raises(TrainingDiverged, match="발산") as err:
        _diverged(history, 5, 1, math.inf, 10.0, "sgd", "raise")
    assert "10" in str(err.value)
    report = environment.report([environment.Check("데이터 부분집합", True, "x"), environment.Check("numpy", True, "y")])
    first, second = report.splitlines()
    assert first.endswith(" x") and second.endswith(" y")
    columns = [sum(2 if HANGUL.match(c) else 1 for c in line) for line in (first, second)]
    assert columns[0] == columns[1]  # a Korean letter takes two columns of a terminal
    assert all(HANGUL.search(c.message) or c.message.startswith(("Python", "numpy", "scipy", "matplotlib"))
               or re.match(r"[\w-]+ [\d.]+", c.message) for c in environment.check_environment())


def test_english_is_unchanged():
    def wrong(scores, y):
        return None

    assert get_language() == "en"
    softmax_check = next(check for check in CASES if check.__name__ == "check_softmax_loss")
    with pytest.raises(ExerciseFailed, match=r"^`wrong` returned nothing \(None\): did you forget `return`\?"):
        softmax_check(wrong)


# --- figures: Korean titles where a Korean font can draw them -------------------------------------------------------

def test_every_korean_message_draws_without_a_missing_glyph(korean, caplog):
    import warnings

    import matplotlib.pyplot as plt

    from lecture_utils.course import plotting

    if plotting.korean_font() is None:
        assert not os.environ.get("REQUIRE_KOREAN_FONT"), "CI installs fonts-nanum: this test must run"
        pytest.skip("no Korean font installed (Debian: apt-get install fonts-nanum); titles stay English")
    fig, ax = plt.subplots(figsize=(4, 4), dpi=20)  # every glyph is laid out and looked up, on or off the canvas
    fig.text(0, 0, "\n".join(MESSAGES.values()) + "\n−1 σ ± √ α ε γ β ≈ × ‖ ² $x^2 - \\sqrt{\\sigma^2}$")
    ax.semilogy([1e-4, 1e-2, 1.0])  # a log axis: its tick labels are mathtext, 10^-4 with a minus sign
    fig.text(0, 0.5, "굵게 0.93", fontweight="bold")  # the transfer heat map's bold entries
    ax.set_xlim(-2, 2)
    with warnings.catch_warnings(record=True) as caught, caplog.at_level("WARNING", logger="matplotlib"):
        warnings.simplefilter("always")
        fig.canvas.draw()
    plt.close(fig)
    assert [str(w.message) for w in caught if "missing from font" in str(w.message)] == []
    assert [r.getMessage() for r in caplog.records if "glyph" in r.getMessage()] == []  # mathtext logs, not warns
    # NanumGothicBold.ttf weighs 600 by its own account: the bold label must still find it without a warning
    assert [r.getMessage() for r in caplog.records if "font weight" in r.getMessage()] == []


def test_titles_are_korean_with_a_korean_font_and_english_without(monkeypatch):
    import matplotlib.pyplot as plt

    from lecture_utils.course import plotting
    from lecture_utils.training import History

    history = History(steps_per_epoch=2, loss=[2.3, 2.0, 1.8, 1.7], epoch_loss=[2.1, 1.7], train_acc=[0.3, 0.5],
                      val_acc=[0.3, 0.4], val_loss=[2.0, 1.9], lr=[0.1] * 4)
    english = plt.rcParams["font.family"]
    set_language("ko")
    try:
        monkeypatch.setattr(plotting, "korean_font", lambda: "NanumGothic")
        fig = plotting.plot_history(history)
        assert fig.axes[1].get_title() == "정확도" and fig.axes[0].get_title() == "손실 (고정 학습률 0.1)"
        monkeypatch.setattr(plotting, "korean_font", lambda: None)  # no font: English, never empty boxes
        fig = plotting.plot_history(history)
        assert fig.axes[1].get_title() == "Accuracy"
    finally:
        set_language("en")
        plt.close("all")
    assert plt.rcParams["font.family"] == english
