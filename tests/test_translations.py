"""The Korean edition (ko/): built from the English notebooks and translations/ko/, never out of step with them.

A Korean notebook is its English notebook with every markdown cell translated and one line of the set-up cell
changed (`set_language("ko")`); its learner version comes from the same build as the English one. These tests prove
the Korean code identical to the English code that runs under nbval, so the Korean notebooks need not run again.
"""
import copy
import re
from pathlib import Path

import nbformat
import pytest

from tools import translate
from tools.make_exercises import learner_version

ROOT = Path(__file__).resolve().parent.parent
NAMES = sorted(p.name for p in (ROOT / "notebooks").glob(translate.PATTERN))


def test_the_edition_is_complete_fresh_and_built():
    # a missing or stale translation, a dropped number or quotation, a glossary slip, or ko/ not rebuilt
    assert translate.check() == []


@pytest.mark.parametrize("name", NAMES)
def test_korean_code_is_the_english_code_but_for_the_language(name):
    english = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    korean = nbformat.read(ROOT / "ko" / "notebooks" / name, as_version=4)
    assert [(c.cell_type, c.get("id")) for c in korean.cells] == [(c.cell_type, c.get("id")) for c in english.cells]
    setup = translate.setup_cell_index(english)
    for index, (en, ko) in enumerate(zip(english.cells, korean.cells)):
        if en.cell_type != "code":
            assert translate.HANGUL.search(ko.source), f"cell {index} of ko/notebooks/{name} is not Korean"
        elif index == setup:
            assert ko.source == en.source.replace('set_language("en")', 'set_language("ko")') != en.source
        else:
            assert ko.source == en.source, f"code cell {index} of ko/notebooks/{name} differs from the English"
        assert not ko.get("outputs"), f"cell {index} of ko/notebooks/{name} is stored with outputs"


@pytest.mark.parametrize("name", NAMES)
def test_korean_learner_versions_come_from_the_same_build(name):
    korean = nbformat.read(ROOT / "ko" / "notebooks" / name, as_version=4)
    built, exercises = learner_version(korean, name, language="ko")
    stored = nbformat.read(ROOT / "ko" / "exercises" / name, as_version=4)
    assert [c.source for c in stored.cells] == [c.source for c in built.cells]
    english, same = learner_version(nbformat.read(ROOT / "notebooks" / name, as_version=4), name)
    assert exercises == same  # the same exercises, stubbed in the same cells
    for ko, en in zip(stored.cells, english.cells):
        if ko.cell_type == "code" and "raise NotImplementedError" in en.source:
            assert re.search(r'NotImplementedError\("연습 문제 \w+: ', ko.source)
    assert translate.HANGUL.search(stored.cells[1].source) and stored.cells[1].get("id") == "learner-banner"


# --- the checks themselves, on a small notebook: each must fail when it should ------------------------------------

def _notebook():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Title\n\nThe learning rate is 0.1 (see `lr`), $x^2$.", id="m1"),
                nbformat.v4.new_code_cell('set_language("en")\nx = 1', id="c1"),
                nbformat.v4.new_markdown_cell('The notes say "dropout 비율" and mean the keep probability.', id="m2")]
    return nb


def _blocks(nb, first="# 제목\n\n학습률(learning rate)은 0.1입니다(`lr` 참고), $x^2$.",
            second='노트는 "dropout 비율"이라고 쓰지만 뜻은 유지 확률(keep probability)입니다.'):
    return {"m1": (translate.english_key(nb.cells[0].source), first),
            "m2": (translate.english_key(nb.cells[2].source), second)}


GLOSSARY = [{"ko": "학습률", "en": "learning rate", "first": ""},
            {"ko": "유지 확률", "en": "keep probability", "first": ""},
            {"ko": "규제", "en": "regularization / regularisation", "first": ""}]


def test_a_good_translation_has_no_problem_and_builds():
    nb = _notebook()
    assert translate.problems(nb, _blocks(nb), GLOSSARY) == []
    ko = translate.korean_notebook(nb, _blocks(nb))
    assert ko.cells[1].source == 'set_language("ko")\nx = 1' and ko.cells[0].source.startswith("# 제목")


def test_a_changed_english_cell_makes_its_translation_stale():
    nb, blocks = _notebook(), None
    blocks = _blocks(nb)
    nb.cells[0].source += " It decays."
    found = translate.problems(nb, blocks, GLOSSARY)
    assert len(found) == 1 and "cell m1: stale" in found[0]
    with pytest.raises(ValueError, match="stale"):
        translate.korean_notebook(nb, blocks)


def test_a_missing_an_untranslated_and_a_left_over_block_are_found():
    nb = _notebook()
    blocks = _blocks(nb)
    del blocks["m2"]
    blocks["gone"] = ("0" * 12, "사라진 셀")
    assert translate.problems(nb, blocks, GLOSSARY) == [
        "cell m2: no translation", "cell gone: translation of a markdown cell the notebook does not have"]
    still_english = _blocks(nb, first=nb.cells[0].source)
    assert "not translated" in translate.problems(nb, still_english, GLOSSARY)[0]


@pytest.mark.parametrize("first,lost", [
    ("# 제목\n\n학습률(learning rate)은 0.2입니다(`lr` 참고), $x^2$.", "number 0.1"),
    ("# 제목\n\n학습률(learning rate)은 0.1입니다(lr 참고), $x^2$.", "code span `lr`"),
    ("# 제목\n\n학습률(learning rate)은 0.1입니다(`lr` 참고), x².", "formula $x^2$"),
])
def test_a_dropped_number_code_span_or_formula_is_found(first, lost):
    nb = _notebook()
    assert translate.problems(nb, _blocks(nb, first=first), GLOSSARY) == [f"cell m1: dropped the {lost}"]


def test_a_changed_quotation_of_the_notes_is_found():
    nb = _notebook()
    found = translate.problems(nb, _blocks(nb, second="노트는 드롭아웃 비율이라고 쓰지만 뜻은 유지 확률(keep probability)입니다."),
                               GLOSSARY)
    assert found == ["cell m2: dropped the quotation of the notes dropout 비율"]


def test_glossary_terms_need_their_english_on_first_use_and_are_used():
    nb = _notebook()
    found = translate.problems(nb, _blocks(nb, first="# 제목\n\n학습 속도는 0.1입니다(`lr` 참고), $x^2$."), GLOSSARY)
    assert found == ["cell m1: the English has 'learning rate', the Korean lacks the glossary's '학습률'"]
    found = translate.problems(nb, _blocks(nb, first="# 제목\n\n학습률은 0.1입니다(`lr` 참고), $x^2$."), GLOSSARY)
    assert found == ["cell m1: first use of '학습률' in this notebook needs '(learning rate)' after it"]


def test_regularisation_is_never_translated_as_normalisation():
    nb = _notebook()
    nb.cells[2].source = "L2 regularisation adds a penalty."
    blocks = _blocks(nb, second="L2 정규화(regularization)는 페널티를 더합니다.")
    assert "the Korean lacks the glossary's '규제'" in translate.problems(nb, blocks, GLOSSARY)[0]
    for path in (ROOT / "translations" / "ko").glob("[0-9][0-9]_*.md"):
        assert not re.search(r"정규화\s*\(\s*regulari", path.read_text(encoding="utf-8"), re.IGNORECASE), path.name


def test_old_korean_summaries_in_the_english_ask_for_nothing():
    english = "The rate is 0.1.\n\n> **한국어 안내.** 학습률은 0.3입니다.\n\n- a point\n- 요약: 0.5 입니다"
    assert translate.kept_pieces(english)["number"] == {"0.1"}


def test_a_code_span_may_wrap_and_a_particle_may_follow_a_number():
    english = "Call `train(model,\ndata)` for 35 minutes."
    assert translate.dropped_pieces(english, "`train(model, data)`을 35분 동안 호출합니다.") == []


def test_the_file_format_round_trips_and_rejects_duplicates():
    blocks = {"c1": ("0123456789ab", "첫째\n\n둘째"), "c2": ("ba9876543210", "셋째")}
    assert translate.parse(translate.render(blocks)) == blocks
    with pytest.raises(ValueError, match="two blocks"):
        translate.parse(translate.render(blocks) + "\n<!-- cell c1 en 0123456789ab -->\n또\n")


def test_the_setup_cell_must_carry_the_language_line():
    nb = copy.deepcopy(_notebook())
    nb.cells[1].source = "x = 1"
    with pytest.raises(ValueError, match="set_language"):
        translate.korean_notebook(nb, _blocks(nb))


def test_editing_the_old_korean_summary_of_an_english_cell_keeps_its_translation_fresh():
    nb = _notebook()
    blocks = _blocks(nb)
    nb.cells[0].source += "\n\n> **한국어 안내.** 학습률을 다룹니다."
    assert translate.problems(nb, blocks, GLOSSARY) == []
    nb.cells[0].source += "\n\nAnd an English sentence."
    assert "stale" in translate.problems(nb, blocks, GLOSSARY)[0]
