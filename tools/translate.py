"""The Korean edition: `ko/notebooks/` and `ko/exercises/`, built from the English notebooks and their translations.

    python tools/translate.py build            (or: make korean) write ko/ from notebooks/ and translations/ko/
    python tools/translate.py --check          exit 1 if a translation is missing, stale or broken, or ko/ is out of date
    python tools/translate.py status [NN ...]  what needs translating, cell by cell, with the English to translate
    python tools/translate.py skeleton NN      add a block for every markdown cell that has none (English to replace)
    python tools/translate.py glossary         rewrite the glossary's "first used" column from the edition
    python tools/translate.py messages         add the package's new messages to its Korean catalogue, list problems

One source. The English notebooks in `notebooks/` are the source of every code cell. `translations/ko/NN_name.md`
holds one block per markdown cell, in the notebook's order:

    <!-- cell c03 en 1a2b3c4d5e6f -->
    ## 1. 활성화 함수 모음
    ...

`c03` is the cell's id in the notebook and `1a2b3c4d5e6f` the start of the SHA-256 of the English text the
translation was made from (the old short Korean summaries some English cells carry are left out of it: editing them
never makes a translation stale). When the English changes, its hash no longer matches: the translation is *stale*
and the build refuses to run until someone translates the new text and writes the new hash (`status` prints both).
A Korean notebook is its English notebook with each markdown cell replaced by its translation and one line of the
set-up cell changed, `set_language("en")` to `set_language("ko")`; the learner versions come from the same build as
the English ones (`tools/make_exercises.py`). Besides missing and stale blocks, `--check` finds translations that
dropped a number, a formula, a code span or a quotation of the study notes, and glossary terms
(`translations/ko/glossary.md`) used without their English on first use in a notebook, or not used where the English
cell has the English term.
"""
import argparse
import copy
import hashlib
import re
import sys
from pathlib import Path

import nbformat

try:
    from tools.make_exercises import learner_version
except ImportError:  # run as a script: tools/ is on sys.path, not the repository
    from make_exercises import learner_version

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations" / "ko"
GLOSSARY = TRANSLATIONS / "glossary.md"
EDITION = ROOT / "ko"
PATTERN = "[0-9][0-9]_*.ipynb"
HEADER = re.compile(r"^<!-- cell (\S+) en ([0-9a-f]{12}) -->$", re.MULTILINE)
LANGUAGE_EN, LANGUAGE_KO = 'set_language("en")', 'set_language("ko")'
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def english_key(source):
    """The first 12 hex digits of the SHA-256 of an English markdown cell's English (`english_only`: its old Korean
    summary lines left out, so that editing them never marks a translation stale; trailing white space ignored)."""
    return hashlib.sha256(english_only(source).rstrip().encode("utf-8")).hexdigest()[:12]


def translation_path(notebook_name, directory=TRANSLATIONS):
    return directory / (Path(notebook_name).stem + ".md")


def parse(text, where="translation"):
    """{cell id: (english key, Korean text)} of one translation file, in file order."""
    blocks, heads = {}, list(HEADER.finditer(text))
    if text[: heads[0].start() if heads else len(text)].strip():
        raise ValueError(f"{where}: text before the first '<!-- cell ID en HASH -->' line")
    for head, following in zip(heads, heads[1:] + [None]):
        cell_id, key = head.group(1), head.group(2)
        if cell_id in blocks:
            raise ValueError(f"{where}: cell {cell_id} has two blocks")
        body = text[head.end(): following.start() if following else len(text)]
        blocks[cell_id] = (key, body.strip("\n").rstrip())
    return blocks


def render(blocks):
    return "\n\n".join(f"<!-- cell {cell_id} en {key} -->\n{body}" for cell_id, (key, body) in blocks.items()) + "\n"


def read_blocks(notebook_name, directory=TRANSLATIONS):
    path = translation_path(notebook_name, directory)
    if not path.exists():
        return {}
    return parse(path.read_text(encoding="utf-8"), where=str(path.relative_to(ROOT) if path.is_relative_to(ROOT)
                                                               else path))


def markdown_cells(nb):
    return [cell for cell in nb.cells if cell.cell_type == "markdown"]


# --- what a translation must keep -----------------------------------------------------------------------------------

# a number: not inside a word or a name, but a Korean particle or counter may follow it (0.72에서, 35분)
NUMBER = re.compile(r"(?<![A-Za-z0-9_.])[-+]?\d+(?:[.,]\d+)*(?:e[-+]?\d+)?(?![A-Za-z0-9_])")
LINK_TARGET = re.compile(r"\]\(([^)\s]+)\)")
DISPLAY_MATH = re.compile(r"\$\$.+?\$\$", re.DOTALL)
FENCED = re.compile(r"^```.*?^```", re.DOTALL | re.MULTILINE)


def _paired(paragraph, mark):
    """[(start, end)] of the spans between the 1st and 2nd `mark`, the 3rd and 4th, ... of one paragraph."""
    where = [i for i, c in enumerate(paragraph) if c == mark]
    return [(a, b + 1) for a, b in zip(where[::2], where[1::2])]


def pieces(text):
    """(prose, code, formulas, quotations) of Markdown text: fenced code blocks, code spans, formulas ($...$, $$...$$) and
    "quotations" are paired mark by mark within each paragraph (so one may wrap onto the next line), and the prose
    is what is left outside code, formulas and link targets."""
    codes = FENCED.findall(text)
    text = FENCED.sub(" ", text)
    maths, quotes, prose = DISPLAY_MATH.findall(text), [], []
    for paragraph in re.split(r"\n\s*\n", DISPLAY_MATH.sub(" ", text)):
        spans = _paired(paragraph, "`")
        codes += [paragraph[a:b] for a, b in spans]
        for a, b in reversed(spans):
            paragraph = paragraph[:a] + " " + paragraph[b:]
        spans = _paired(paragraph, "$")
        maths += [paragraph[a:b] for a, b in spans]
        for a, b in reversed(spans):
            paragraph = paragraph[:a] + " " + paragraph[b:]
        paragraph = LINK_TARGET.sub(" ", paragraph)
        quotes += [paragraph[a + 1:b - 1] for a, b in _paired(paragraph, '"')]
        prose.append(paragraph)
    return "\n\n".join(prose), codes, maths, quotes


def _squeeze(text):
    """White space as single spaces: a span or a quotation may wrap differently in the translation."""
    return re.sub(r"\s+", " ", text)


def _korean(text):
    """Whether a third or more of the letters of `text` are Hangul."""
    return len(HANGUL.findall(text)) * 2 >= len(re.findall(r"[A-Za-z]", text)) > 0 or (
        HANGUL.search(text) is not None and not re.search(r"[A-Za-z]", text))


def english_only(english):
    """An English cell without its old Korean text (the short Korean summaries that came before the edition).

    Dropped: each paragraph, list item or block-quote line in which a third or more of the letters are Hangul. An
    English sentence that quotes the study notes in Korean keeps its quotation."""
    kept = []
    for paragraph in re.split(r"\n\s*\n", english):
        if paragraph.lstrip().startswith("```"):
            kept.append(paragraph)
        elif not _korean(paragraph):
            lines = paragraph.split("\n")
            kept.append("\n".join(line for line in lines if not (re.match(r"\s*(?:[-*>]|\d+\.)\s", line)
                                                                  and _korean(line))))
    return "\n\n".join(kept)


def _prose(text):
    """Text without code, formulas and link targets (where numbers and glossary terms are looked for)."""
    return pieces(text)[0]


def kept_pieces(english):
    """{kind: set of pieces} that a translation of `english` must contain verbatim (white space aside)."""
    english = english_only(english)
    prose, codes, maths, quotes = pieces(english)
    return {
        "code span": {_squeeze(c) for c in codes if not HANGUL.search(c)},  # Hangul: an old summary
        "formula": {_squeeze(m) for m in maths},
        "number": {n.replace(",", "") for n in NUMBER.findall(prose)},
        "link": set(LINK_TARGET.findall(english)),
        "quotation of the notes": {_squeeze(q) for q in quotes if HANGUL.search(q)},
    }


def dropped_pieces(english, korean):
    """['number 0.25', ...]: what the Korean text lost of what it must keep."""
    numbers = {n.replace(",", "") for n in NUMBER.findall(_prose(korean))}
    squeezed = _squeeze(korean)
    lost = []
    for kind, pieces in kept_pieces(english).items():
        for piece in sorted(pieces):
            present = piece in numbers if kind == "number" else piece in squeezed
            if not present:
                lost.append(f"{kind} {piece}")
    return lost


# --- the glossary ---------------------------------------------------------------------------------------------------

def _glossary_row(line):
    """The cells of a glossary table row (not its header or rule), or None for any other line."""
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if not line.startswith("|") or len(cells) < 3 or set(cells[0]) <= set("-: ") or cells[0] == "한국어":
        return None
    return cells


def read_glossary(path=GLOSSARY):
    """[{"ko", "en", "first"}] from the glossary's Markdown table (rows after the header and its rule)."""
    rows = filter(None, map(_glossary_row, path.read_text(encoding="utf-8").splitlines()))
    return [{"ko": cells[0], "en": cells[1], "first": cells[2].strip("`")} for cells in rows]


def _english_pattern(term):
    """A pattern for an English glossary term: any of its spellings ("regularization / regularisation"), a plural,
    a space or a hyphen between its words."""
    spellings = []
    for spelling in term.split(" / "):
        words = [re.escape(w) for w in spelling.split()]
        spellings.append(r"[\s-]+".join(words))
    return re.compile(r"(?<![\w-])(?:" + "|".join(spellings) + r")(?:s|es)?(?![\w-])", re.IGNORECASE)


def glossary_problems(english, korean, glossary, seen):
    """Glossary rules for one cell; `seen` (a set of Korean terms already introduced in this notebook) is updated.

    On its first use in a notebook, a Korean term is followed within 40 characters by parentheses that contain its
    English term; where the English cell uses an English term (longest terms matched first, outside code and
    formulas), the Korean cell uses the glossary's Korean term."""
    problems = []
    english = english_only(english)
    prose_en, prose_ko = _prose(english), _prose(korean)
    english_text = prose_en
    for row in sorted(glossary, key=lambda r: -len(r["en"])):
        pattern = _english_pattern(row["en"])
        if pattern.search(prose_en):
            prose_en = pattern.sub(" ", prose_en)
            if row["ko"] not in prose_ko:
                problems.append(f"the English has '{pattern.search(english_text).group(0)}', the Korean lacks the "
                                f"glossary's '{row['ko']}'")
        where = prose_ko.find(row["ko"])
        if where >= 0 and row["ko"] not in seen:
            seen.add(row["ko"])
            after = prose_ko[where + len(row["ko"]): where + len(row["ko"]) + 40]
            inside = re.findall(r"\(([^)]*)\)", after + ")")
            if not any(_english_pattern(row["en"]).search(part) for part in inside):
                english = row["en"].split(" / ")[0]
                problems.append(f"first use of '{row['ko']}' in this notebook needs '({english})' after it")
    return problems


# --- checking and building ------------------------------------------------------------------------------------------

def problems(nb, blocks, glossary=None):
    """['cell c03: ...', ...]: everything wrong with one notebook's translation blocks."""
    found, seen = [], set()
    cells = {cell.get("id"): cell for cell in markdown_cells(nb)}
    for cell_id, cell in cells.items():
        if cell_id not in blocks:
            found.append(f"cell {cell_id}: no translation")
            continue
        key, korean = blocks[cell_id]
        if key != english_key(cell.source):
            found.append(f"cell {cell_id}: stale (translated from English {key}, the English is now "
                         f"{english_key(cell.source)})")
            continue
        if not HANGUL.search(korean) or korean.strip() == cell.source.strip():
            found.append(f"cell {cell_id}: not translated (still the English, or no Korean in it)")
            continue
        found += [f"cell {cell_id}: dropped the {piece}" for piece in dropped_pieces(cell.source, korean)]
        if glossary:
            found += [f"cell {cell_id}: {p}" for p in glossary_problems(cell.source, korean, glossary, seen)]
    found += [f"cell {cell_id}: translation of a markdown cell the notebook does not have" for cell_id in blocks
              if cell_id not in cells]
    order = [cell_id for cell_id in blocks if cell_id in cells]
    if order != [cell_id for cell_id in cells if cell_id in blocks]:
        found.append("blocks are not in the notebook's order")
    return found


def setup_cell_index(nb):
    """The index of the first code cell, which must hold the language line."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            if cell.source.count(LANGUAGE_EN) != 1:
                raise ValueError(f"the first code cell must contain {LANGUAGE_EN} exactly once")
            return index
    raise ValueError("the notebook has no code cell")


def korean_notebook(nb, blocks):
    """The Korean edition of one English solution notebook (raises ValueError on any translation problem)."""
    wrong = problems(nb, blocks)
    if wrong:
        raise ValueError("; ".join(wrong))
    ko = copy.deepcopy(nb)
    for cell in ko.cells:
        if cell.cell_type == "markdown":
            cell.source = blocks[cell.get("id")][1]
        elif cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    setup = ko.cells[setup_cell_index(ko)]
    setup.source = setup.source.replace(LANGUAGE_EN, LANGUAGE_KO)
    ko.metadata["language"] = "ko"
    return ko


def build(source_dir=ROOT / "notebooks", translations=TRANSLATIONS, target=EDITION):
    """{path: notebook text} of the Korean edition: solutions in ko/notebooks, learner versions in ko/exercises."""
    built = {}
    for path in sorted(source_dir.glob(PATTERN)):
        nb = nbformat.read(path, as_version=4)
        try:
            ko = korean_notebook(nb, read_blocks(path.name, translations))
        except ValueError as error:
            raise ValueError(f"{path.name}: {error}") from None
        built[target / "notebooks" / path.name] = nbformat.writes(ko) + "\n"
        learner, _ = learner_version(ko, path.name, language="ko")
        built[target / "exercises" / path.name] = nbformat.writes(learner) + "\n"
    return built


def check(source_dir=ROOT / "notebooks", translations=TRANSLATIONS, target=EDITION):
    """Every problem with the translations and the built edition, as lines (empty: all is well)."""
    glossary = read_glossary(translations / "glossary.md")
    report = []
    for path in sorted(source_dir.glob(PATTERN)):
        nb = nbformat.read(path, as_version=4)
        try:
            blocks = read_blocks(path.name, translations)
        except ValueError as error:
            report.append(str(error))
            continue
        report += [f"{translation_path(path.name, translations).name}: {p}" for p in problems(nb, blocks, glossary)]
    report += glossary_first_used_problems(source_dir, translations)
    if report:
        return report
    for path, text in build(source_dir, translations, target).items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            report.append(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} is out of date: "
                          f"run make korean")
    return report


def first_uses(source_dir=ROOT / "notebooks", translations=TRANSLATIONS):
    """{Korean term: the first notebook (file name) whose translation uses it}."""
    glossary, first = read_glossary(translations / "glossary.md"), {}
    for path in sorted(source_dir.glob(PATTERN)):
        text = "\n".join(_prose(body) for _, body in read_blocks(path.name, translations).values())
        for row in glossary:
            if row["ko"] in text:
                first.setdefault(row["ko"], path.stem)
    return first


def glossary_first_used_problems(source_dir=ROOT / "notebooks", translations=TRANSLATIONS):
    first = first_uses(source_dir, translations)
    return [f"glossary.md: '{row['ko']}' is first used in {first.get(row['ko'], 'no notebook')}, not "
            f"{row['first'] or 'nowhere'} (run: python tools/translate.py glossary)"
            for row in read_glossary(translations / "glossary.md") if row["first"] != first.get(row["ko"], "")]


def write_glossary(path=GLOSSARY):
    first, out = first_uses(), []
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = _glossary_row(line)
        if cells:
            used = first.get(cells[0], "")
            line = f"| {cells[0]} | {cells[1]} | {f'`{used}`' if used else ''} |"
        out.append(line)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def skeleton(notebook_path):
    """Add a block (the English text, to be replaced) for every markdown cell without one; keep the others."""
    nb = nbformat.read(notebook_path, as_version=4)
    old, blocks = read_blocks(notebook_path.name), {}
    for cell in markdown_cells(nb):
        blocks[cell.get("id")] = old.get(cell.get("id"), (english_key(cell.source), cell.source))
    path = translation_path(notebook_path.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(blocks), encoding="utf-8")
    return path


def status(names):
    for path in sorted((ROOT / "notebooks").glob(PATTERN)):
        if names and not any(path.name.startswith(n) for n in names):
            continue
        nb = nbformat.read(path, as_version=4)
        found = problems(nb, read_blocks(path.name), read_glossary())
        print(f"{path.name}: {'translated' if not found else f'{len(found)} problem(s)'}")
        for line in found:
            print("   ", line)
            cell_id = line.split(":")[0].split()[-1]
            if "stale" in line or "no translation" in line:
                source = next(c.source for c in nb.cells if c.get("id") == cell_id)
                print(f"    English now (en {english_key(source)}):")
                print("\n".join("      | " + s for s in source.splitlines()))


# --- the message catalogue: what the package says to a learner --------------------------------------------------

PACKAGE = ROOT / "lecture_utils"
CATALOGUE = PACKAGE / "_messages_ko.py"
FIELD = re.compile(r"(?<!\{)\{([A-Za-z_]\w*)[^{}]*\}(?!\})")


MESSAGE_CALLS = ("_", "N_", "_title")  # a template, plain text, a figure title (plotting.py) in the catalogue


def code_messages(package=PACKAGE):
    """{English message: "module.py:line"} of every `_("...")`, `_title("...")` (templates) and `N_("...")` (plain
    text) call."""
    import ast

    found = {}
    for path in sorted(package.rglob("*.py")):
        if path == CATALOGUE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in sorted((n for n in ast.walk(tree) if isinstance(n, ast.Call)), key=lambda n: (n.lineno, n.col_offset)):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MESSAGE_CALLS
                    and node.args):
                first = node.args[0]
                if isinstance(first, ast.Name) and first.id in ("template", "text"):
                    continue  # a wrapper passing its own argument on (plotting._title)
                if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                    raise ValueError(f"{path.relative_to(ROOT)}:{node.lineno}: {node.func.id}() needs a string "
                                     f"literal, so that the catalogue can hold its translation")
                found.setdefault(first.value, f"{path.relative_to(package)}:{node.lineno}")
    return found


def fields(template):
    return set(FIELD.findall(template))


def catalogue_problems(messages=None, catalogue=None):
    """Every message of the code without a Korean translation, with different {fields}, or left over."""
    if messages is None:
        messages = code_messages()
    if catalogue is None:
        from lecture_utils._messages_ko import MESSAGES as catalogue
    found = []
    for english, where in messages.items():
        korean = catalogue.get(english)
        if not korean:
            found.append(f"{where}: no Korean for {english!r}")
        elif not HANGUL.search(korean) and english.strip():
            found.append(f"{where}: the Korean for {english!r} has no Korean in it")
        elif fields(korean) - fields(english):
            found.append(f"{where}: the Korean for {english!r} uses fields the English does not fill: "
                         f"{sorted(fields(korean) - fields(english))}")
        elif fields(english) - fields(korean):
            found.append(f"{where}: the Korean for {english!r} leaves out {sorted(fields(english) - fields(korean))}")
    found += [f"_messages_ko.py: {english!r} is no longer in the code (remove it, or translate its new wording)"
              for english in catalogue if english not in messages]
    return found


def write_catalogue(path=CATALOGUE):
    """Rewrite the catalogue in the code's order: translations kept, new messages as None, old ones at the end."""
    from lecture_utils._messages_ko import MESSAGES as old

    lines = ['"""The Korean catalogue: each English message of the package (as written in `_("...")` or `N_("...")`)',
             'and its Korean. `python tools/translate.py messages` adds the new messages (as None, to translate) and',
             'lists the problems; `tests/test_messages.py` fails on a missing, stale or broken entry. {fields} are',
             'filled in by `str.format`: keep each field of the English (a field may move anywhere in the sentence).',
             '"""', "MESSAGES = {"]
    module = None
    messages = code_messages()
    for english, where in messages.items():
        if where.split(":")[0] != module:
            module = where.split(":")[0]
            lines.append(f"    # {module}")
        lines.append(f"    {english!r}:\n        {old.get(english)!r},")
    leftovers = [english for english in old if english not in messages]
    if leftovers:
        lines.append("    # no longer in the code: translate the new wording above, then delete these")
        lines += [f"    {english!r}:\n        {old[english]!r}," for english in leftovers]
    lines.append("}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write(built):
    for path, text in built.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            temporary = path.with_name(path.name + ".tmp")
            temporary.write_text(text, encoding="utf-8")
            temporary.replace(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", nargs="?", default="build",
                        choices=["build", "status", "skeleton", "glossary", "messages"])
    parser.add_argument("names", nargs="*", help="notebooks by number (07) or name prefix")
    parser.add_argument("--check", action="store_true", help="only report problems; exit 1 if there are any")
    args = parser.parse_args()
    if args.check:
        report = check()
        print("\n".join(report) if report else "The Korean edition is complete and up to date.")
        return 1 if report else 0
    if args.command == "status":
        status(args.names)
    elif args.command == "skeleton":
        for path in sorted((ROOT / "notebooks").glob(PATTERN)):
            if any(path.name.startswith(n) for n in args.names):
                print("wrote", skeleton(path).relative_to(ROOT))
    elif args.command == "glossary":
        write_glossary()
    elif args.command == "messages":
        write_catalogue()
        report = catalogue_problems()
        print("\n".join(report) if report else "Every message has its Korean.")
    else:
        try:
            built = build()
        except ValueError as error:
            print(f"the Korean edition was not built: {error}\n(python tools/translate.py status tells more)")
            return 1
        write(built)
        print(f"wrote {len(built)} notebooks under ko/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
