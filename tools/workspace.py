"""The learner's workspace: their own copies of the learner notebooks, which no course command overwrites.

    python tools/workspace.py sync [--workspace DIR]    (make lab runs it before it starts JupyterLab)
    python tools/workspace.py sync --edition ko         (make lab-ko: the Korean edition, into workspace-ko/)

`exercises/` belongs to the course: `make exercises` rewrites it and `git pull` updates it. A learner works in
`workspace/` (ignored by git), and a sync

- copies every learner notebook `exercises/NN_name.ipynb` that the workspace does not have (so deleting your copy
  and running `make lab` again gives you a fresh one);
- when the course has changed a notebook since your copy was made: replaces your copy if you have not changed it
  (nothing of yours is lost), and otherwise leaves it alone and writes the new version beside it,
  `NN_name.course-update.ipynb`, with a line saying so. An offered update that you delete is not offered again;
- refreshes `solutions/`, copies of the worked solutions in `notebooks/` (the course's: rewritten on every sync).

"Changed" compares the cells' types and sources, so running a notebook and saving its outputs is not a change (the
banner cell, which says whose file it is, does not count either). `.course-versions.json` records which course
version each copy came from (a SHA-256 of those cells) and which update was offered. Every file is written under a
temporary name and then renamed: an interrupted sync leaves no half-written notebook, and the next one deletes its
temporary files.

Learners of earlier versions of the course wrote in `exercises/`. When git reports `exercises/NN_name.ipynb` as
changed locally and the workspace has no copy yet, the sync takes that file as the learner's work: it becomes their
workspace copy, and the note says how to give `exercises/` back to the course so that `git pull` works.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATE = ".course-versions.json"
PATTERN = "[0-9][0-9]_*.ipynb"
UPDATE_SUFFIX = ".course-update.ipynb"
BANNER = ("> **Your copy**, in your workspace: each exercise's solution is replaced by `raise NotImplementedError`. "
          "Write your code there and run the check below it; `make progress` shows where you stand on every exercise. "
          "Course updates never overwrite this file once you have changed it: a new version arrives beside it as "
          "`{update}`. The worked solution is [solutions/{name}](solutions/{name}).")
SOLUTION_BANNER = ("> **Worked solution**: a copy of the course's `notebooks/{name}` that `make lab` refreshes, so "
                   "anything you change here is overwritten. Your own copy is [{name}](../{name}).")
# the Korean edition (make lab-ko): ko/exercises and ko/notebooks, synced into workspace-ko/
BANNER_KO = ("> **내 사본**(작업 공간): 연습 문제마다 풀이가 `raise NotImplementedError`로 바뀌어 있습니다. 그 자리에 "
             "코드를 쓰고 바로 아래의 검사 셀을 실행하세요. `make progress-ko`가 모든 연습 문제의 진행 상황을 보여 줍니다. "
             "한 번 고친 파일은 강의 자료가 업데이트되어도 덮어쓰지 않습니다. 새 버전은 옆에 `{update}`로 도착합니다. "
             "풀이는 [solutions/{name}](solutions/{name})에 있습니다.")
SOLUTION_BANNER_KO = ("> **풀이**: 강의의 `ko/notebooks/{name}` 사본입니다. `make lab-ko`를 실행할 때마다 새로 쓰이므로 "
                      "여기서 고친 내용은 사라집니다. 내 사본은 [{name}](../{name})입니다.")
EDITIONS = {"en": {"root": ROOT, "workspace": "workspace", "banners": (BANNER, SOLUTION_BANNER)},
            "ko": {"root": ROOT / "ko", "workspace": "workspace-ko", "banners": (BANNER_KO, SOLUTION_BANNER_KO)}}


def fingerprint(text):
    """SHA-256 of a notebook's cell types and sources, outputs, metadata and the banner left out; None if the text is
    not a notebook."""
    try:
        cells = json.loads(text)["cells"]
        content = [[cell["cell_type"], "".join(cell["source"])] for cell in cells if cell.get("id") != "learner-banner"]
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()


def _with_banner(text, banner_id, banner, index=None):
    """The notebook text with the markdown cell `banner_id` set to `banner` (inserted at `index` if it is missing)."""
    try:
        nb = json.loads(text)
    except ValueError:
        return text  # not a notebook: copied as it is, and the learner sees what is wrong with it
    lines = banner.splitlines(keepends=True)
    cells = [cell for cell in nb["cells"] if cell.get("id") == banner_id]
    if cells:
        cells[0]["source"] = lines
    elif index is not None:
        nb["cells"].insert(index, {"cell_type": "markdown", "id": banner_id, "metadata": {}, "source": lines})
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"  # as nbformat and JupyterLab write it


def learner_copy(text, name, edition="en"):
    """A workspace copy of the learner notebook `name`: its banner says whose file it is."""
    banner = EDITIONS[edition]["banners"][0]
    return _with_banner(text, "learner-banner", banner.format(name=name, update=update_name(name)))


def solution_copy(text, name, edition="en"):
    """A workspace/solutions/ copy of the solution notebook `name`, with a banner saying it is refreshed."""
    return _with_banner(text, "solution-banner", EDITIONS[edition]["banners"][1].format(name=name), index=1)


def update_name(name):
    return name.removesuffix(".ipynb") + UPDATE_SUFFIX


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomically(path, text, mode=None):
    """Write `text` to a temporary file beside `path`, then rename it over `path` (mode: default as open() would)."""
    mode = 0o666 & ~_umask() if mode is None else mode
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".sync-tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)  # mkstemp's file is private
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_text(path):
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return None


def changed_in_exercises(root):
    """{name: the committed text} of the learner notebooks that git reports as changed locally in exercises/."""
    try:
        status = subprocess.run(["git", "--no-optional-locks", "-C", str(root), "status", "--porcelain", "--",
                                 "exercises"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return {}  # no git: a course copied without it has no learner work in exercises/ to look after
    changed = {}
    for line in status.stdout.splitlines() if status.returncode == 0 else []:
        path = line[3:]
        if "M" in line[:2] and path.startswith("exercises/"):
            head = subprocess.run(["git", "-C", str(root), "show", f"HEAD:{path}"], capture_output=True, text=True)
            if head.returncode == 0:
                changed[Path(path).name] = head.stdout
    return changed


def sync_notebook(name, course, workspace, record, legacy=None):
    """Bring one workspace notebook up to date with the course text `course`, never overwriting the learner's work.

    record: what the state file knows about it ({} if nothing); legacy: the learner's own version of the notebook
    found in exercises/, if any (then `course` is the committed one). Returns (record, kind, message or None), kind
    being one of new, moved, restored, updated, offered, waiting, unchanged.
    """
    mine, offer = workspace / name, workspace / update_name(name)
    course_print = fingerprint(course)
    record = dict(record)
    if not mine.exists():
        if legacy is not None:
            write_atomically(mine, legacy)
            return ({"copied": course_print}, "moved",
                    (f"{name}: exercises/{name} has changes that are not in the course's last commit; they are "
                     f"your copy now, {mine}, where course updates never overwrite them. If they are your work, "
                     f"`git checkout -- exercises/{name}` gives exercises/ back to the course so that `git pull` "
                     f"works."))
        write_atomically(mine, course)
        if record:
            return {"copied": course_print}, "restored", f"{name}: your copy was missing: a fresh one is in {mine}."
        return {"copied": course_print}, "new", None
    mine_print = fingerprint(read_text(mine) or "")
    if mine_print == course_print or record.get("copied") == course_print:
        record["copied"] = course_print if mine_print == course_print else record["copied"]
        if mine_print == course_print:  # the learner took the course's version
            record.pop("offered", None)
            record.pop("offer_file", None)
        return record, "unchanged", None
    if record and mine_print == record.get("copied"):  # the course changed, the learner's copy did not
        write_atomically(mine, course)
        return {"copied": course_print}, "updated", f"{name}: the course's new version (you had not changed yours)."
    # the course changed and so did the learner's copy (or we do not know what it came from): offer, never replace
    if record.get("offered") == course_print:
        if offer.exists():
            return record, "waiting", f"{name}: the course's new version still waits beside yours in {offer}."
        return record, "unchanged", None  # the learner deleted the offer: do not offer it again
    if offer.exists() and fingerprint(read_text(offer) or "") not in (record.get("offered"), course_print, None):
        offer = workspace / update_name(f"{name.removesuffix('.ipynb')}-{course_print[:8]}.ipynb")  # theirs now
    write_atomically(offer, course)
    record.update(offered=course_print, offer_file=offer.name)
    return record, "offered", (f"{name}: the course changed this notebook and you have changed yours, so yours is "
                               f"untouched; the new version is {offer}. Copy what you want from it into yours, "
                               f"then delete it.")


def refresh_solutions(root, workspace, edition="en"):
    """Write workspace/solutions/: read-only copies of notebooks/NN_name.ipynb. Returns how many there are."""
    folder = workspace / "solutions"
    folder.mkdir(exist_ok=True)
    sources = sorted((root / "notebooks").glob(PATTERN))
    for source in sources:
        text, target = solution_copy(source.read_text(encoding="utf-8"), source.name, edition), folder / source.name
        if read_text(target) != text:
            write_atomically(target, text, mode=0o444)
    return len(sources)


def sync(root=ROOT, workspace=None, edition="en"):
    """Sync the workspace with the course in `root` (its exercises/ and notebooks/; for the Korean edition, ko/);
    prints a line per notebook with news and a summary."""
    workspace = Path(workspace) if workspace is not None else root / "workspace"
    workspace.mkdir(parents=True, exist_ok=True)
    for leftover in [*workspace.glob(".*.sync-tmp"), *workspace.glob("solutions/.*.sync-tmp")]:  # interrupted sync
        leftover.unlink()
    state_path = workspace / STATE
    try:
        state = json.loads(read_text(state_path) or '{"notebooks": {}}')
    except ValueError:
        print(f"{state_path} is damaged: every changed notebook counts as yours, and gets the course's beside it")
        state = {}
    records = state.setdefault("notebooks", {})
    sources = sorted((root / "exercises").glob(PATTERN))
    committed = changed_in_exercises(root)  # course versions that the learner changed in exercises/
    counts = {}
    for source in sources:
        name, text = source.name, source.read_text(encoding="utf-8")
        own = None
        if name in committed:  # the learner's work in exercises/: the course version is the committed one
            own, text = learner_copy(text, name, edition), committed[name]
        record, kind, message = sync_notebook(name, learner_copy(text, name, edition), workspace,
                                              records.get(name, {}), own)
        records[name] = record
        write_atomically(state_path, json.dumps(state, indent=1, sort_keys=True) + "\n")
        counts[kind] = counts.get(kind, 0) + 1
        if message:
            print(message)
    solutions = refresh_solutions(root, workspace, edition)
    order = ["new", "restored", "moved", "updated", "offered", "waiting", "unchanged"]
    words = {"offered": "with a course update beside", "waiting": "with an update waiting beside"}
    done = ", ".join(f"{counts[k]} {words.get(k, k)}" for k in order if counts.get(k))
    print(f"Workspace {workspace}: {len(sources)} notebooks ({done}); worked solutions in {workspace / 'solutions'} "
          f"({solutions}).")
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["sync"])
    parser.add_argument("--workspace", type=Path, default=None,
                        help="the learner's folder (default: workspace/, or workspace-ko/ for the Korean edition)")
    parser.add_argument("--edition", choices=sorted(EDITIONS), default="en",
                        help="en: notebooks from exercises/; ko: the Korean edition, from ko/exercises/")
    args = parser.parse_args()
    edition = EDITIONS[args.edition]
    sync(edition["root"], args.workspace or ROOT / edition["workspace"], args.edition)


if __name__ == "__main__":
    sys.exit(main())
