"""The learner's workspace (tools/workspace.py), `make progress` (tools/progress.py) and `make lab`.

Everything happens in temporary folders: a tiny course in tmp for the sync rules, a git repository and its clone
for `git pull`, the real course read-only for `make lab` and `make progress` with WORKSPACE pointing at tmp.
Nothing writes to the real workspace/ or exercises/.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
from tools import progress, workspace  # noqa: E402

NAME = "00_setup_and_recap.ipynb"
VENV = Path(sys.prefix)  # make's $(VENV): -o $(VENV)/.installed keeps make from installing anything
MAKE = ["make", f"VENV={VENV}", "-o", str(VENV / ".installed")]


def notebook(*sources, banner=True):
    """A learner notebook's text: a title, the banner make_exercises adds, then one code cell per source."""
    cells = [{"cell_type": "markdown", "id": "c00", "metadata": {}, "source": ["# title"]}]
    if banner:
        cells.append({"cell_type": "markdown", "id": "learner-banner", "metadata": {}, "source": ["> generated"]})
    cells += [{"cell_type": "code", "execution_count": None, "id": f"c{i + 1:02d}", "metadata": {}, "outputs": [],
               "source": [source]} for i, source in enumerate(sources)]
    nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(nb, indent=1, sort_keys=True) + "\n"


def edit_cell(path, cell_id, source):
    nb = json.loads(path.read_text())
    next(c for c in nb["cells"] if c.get("id") == cell_id)["source"] = [source]
    path.write_text(json.dumps(nb, indent=1))


def cell_source(path, cell_id):
    return "".join(next(c for c in json.loads(path.read_text())["cells"] if c.get("id") == cell_id)["source"])


@pytest.fixture
def course(tmp_path):
    """A course with one notebook, 00_a, in exercises/ and notebooks/; returns (root, workspace)."""
    root = tmp_path / "course"
    for folder in ("exercises", "notebooks"):
        (root / folder).mkdir(parents=True)
        (root / folder / "00_a.ipynb").write_text(notebook("x = 1"))
    return root, tmp_path / "ws"


def publish(root, *sources):
    """The course's new version of 00_a."""
    (root / "exercises" / "00_a.ipynb").write_text(notebook(*sources))


# ---- (a) the sync rules

def test_sync_copies_what_is_missing_and_the_solutions_read_only(course, capsys):
    root, ws = course
    assert workspace.sync(root, ws) == {"new": 1}
    mine = ws / "00_a.ipynb"
    assert cell_source(mine, "c01") == "x = 1"
    assert "Your copy" in cell_source(mine, "learner-banner")  # the banner says whose file it is
    solution = ws / "solutions" / "00_a.ipynb"
    assert solution.is_file() and not os.stat(solution).st_mode & 0o222
    assert "Worked solution" in cell_source(solution, "solution-banner")
    assert "1 new" in capsys.readouterr().out
    assert workspace.sync(root, ws) == {"unchanged": 1}


def test_a_learners_edit_is_kept_and_the_course_update_offered_beside_it(course, capsys):
    root, ws = course
    workspace.sync(root, ws)
    edit_cell(ws / "00_a.ipynb", "c01", "x = 'mine'")
    assert workspace.sync(root, ws) == {"unchanged": 1}  # the course did not change: nothing to say
    publish(root, "x = 2")
    capsys.readouterr()
    assert workspace.sync(root, ws) == {"offered": 1}
    said = capsys.readouterr().out
    assert "00_a.course-update.ipynb" in said and "yours is untouched" in said
    assert cell_source(ws / "00_a.ipynb", "c01") == "x = 'mine'"
    assert cell_source(ws / "00_a.course-update.ipynb", "c01") == "x = 2"
    assert workspace.sync(root, ws) == {"waiting": 1}  # reminded, not rewritten
    assert cell_source(ws / "00_a.ipynb", "c01") == "x = 'mine'"


def test_an_untouched_copy_is_replaced_even_after_running_it(course):
    root, ws = course
    workspace.sync(root, ws)
    mine = ws / "00_a.ipynb"
    nb = json.loads(mine.read_text())
    nb["cells"][2]["outputs"] = [{"name": "stdout", "output_type": "stream", "text": ["1\n"]}]  # run and saved
    nb["cells"][2]["execution_count"] = 1
    mine.write_text(json.dumps(nb))
    publish(root, "x = 2")
    assert workspace.sync(root, ws) == {"updated": 1}
    assert cell_source(mine, "c01") == "x = 2"
    assert not (ws / "00_a.course-update.ipynb").exists()


def test_a_deleted_offer_is_not_offered_again_but_a_newer_version_is(course):
    root, ws = course
    workspace.sync(root, ws)
    edit_cell(ws / "00_a.ipynb", "c01", "x = 'mine'")
    publish(root, "x = 2")
    workspace.sync(root, ws)
    (ws / "00_a.course-update.ipynb").unlink()  # the learner took what they wanted
    assert workspace.sync(root, ws) == {"unchanged": 1}
    assert not (ws / "00_a.course-update.ipynb").exists()
    publish(root, "x = 3")
    assert workspace.sync(root, ws) == {"offered": 1}
    assert cell_source(ws / "00_a.course-update.ipynb", "c01") == "x = 3"
    assert cell_source(ws / "00_a.ipynb", "c01") == "x = 'mine'"


def test_an_offer_the_learner_edited_is_theirs_too(course):
    root, ws = course
    workspace.sync(root, ws)
    edit_cell(ws / "00_a.ipynb", "c01", "x = 'mine'")
    publish(root, "x = 2")
    workspace.sync(root, ws)
    edit_cell(ws / "00_a.course-update.ipynb", "c01", "x = 'merging'")
    publish(root, "x = 3")
    workspace.sync(root, ws)
    assert cell_source(ws / "00_a.course-update.ipynb", "c01") == "x = 'merging'"
    offers = sorted(p.name for p in ws.glob("00_a-*.course-update.ipynb"))
    assert len(offers) == 1 and cell_source(ws / offers[0], "c01") == "x = 3"


def test_a_deleted_copy_comes_back_fresh(course, capsys):
    root, ws = course
    workspace.sync(root, ws)
    (ws / "00_a.ipynb").unlink()
    assert workspace.sync(root, ws) == {"restored": 1}
    assert "a fresh one" in capsys.readouterr().out


def test_an_interrupted_write_leaves_the_old_file_whole(course, monkeypatch):
    root, ws = course
    workspace.sync(root, ws)
    before = (ws / "00_a.ipynb").read_text()

    def power_cut(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(workspace.os, "replace", power_cut)
    with pytest.raises(KeyboardInterrupt):
        workspace.write_atomically(ws / "00_a.ipynb", "half")
    assert (ws / "00_a.ipynb").read_text() == before
    assert not list(ws.glob(".*sync-tmp"))


def test_notebooks_use_no_path_relative_to_the_folder_they_run_in():
    """The workspace is another folder than the course's: data must come through the package, not a cwd path."""
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        for _, _, source in progress.code_cells(path):
            for pattern in ("open(", "np.load(", "read_csv(", '"data/', "'data/", "../", "os.chdir"):
                assert pattern not in source, f"{path.name}: {pattern} in {source[:80]!r}"


# ---- (b) make exercises and git pull leave the learner's work alone

def git(cwd, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.org", GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def sync_in(clone):
    done = subprocess.run([sys.executable, "tools/workspace.py", "sync"], cwd=clone, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def course_repo(tmp_path):
    """A git repository holding the course's notebook 00 (solution and learner version) and its tools."""
    repo = tmp_path / "course"
    for path in ["Makefile", ".gitignore", "tools/__init__.py", "tools/make_exercises.py", "tools/workspace.py",
                 f"notebooks/{NAME}", f"exercises/{NAME}"]:
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / path, repo / path)
    assert git(repo, "init", "-q").returncode == 0
    git(repo, "add", "-A")
    assert git(repo, "commit", "-qm", "course").returncode == 0
    return repo


def course_update(repo):
    """The course changes notebook 00's title, in the solution and the learner version, and commits."""
    for folder in ("notebooks", "exercises"):
        path = repo / folder / NAME
        path.write_text(path.read_text().replace("# 00 · Setup and recap", "# 00 · Setup and recap, revised", 1))
    assert git(repo, "commit", "-qam", "revise 00").returncode == 0


def test_a_learners_edit_survives_make_exercises_and_git_pull(course_repo, tmp_path):
    clone = tmp_path / "learner"
    assert git(tmp_path, "clone", "-q", str(course_repo), str(clone)).returncode == 0
    sync_in(clone)
    mine = clone / "workspace" / NAME
    edit_cell(mine, "c10", "def my_softmax_loss(scores, y):\n    return 'my work'")
    assert git(clone, "status", "--porcelain").stdout == ""  # workspace/ is ignored: nothing for git to merge

    made = subprocess.run([*MAKE, "exercises"], cwd=clone, capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stdout + made.stderr
    assert "my work" in cell_source(mine, "c10")

    course_update(course_repo)
    pulled = git(clone, "pull", "-q", "--no-rebase")
    assert pulled.returncode == 0, pulled.stderr
    said = sync_in(clone)
    assert "my work" in cell_source(mine, "c10")
    update = clone / "workspace" / workspace.update_name(NAME)
    assert f"{update.name}" in said and "revised" in cell_source(update, "c00")


def test_work_written_in_exercises_the_old_way_moves_to_the_workspace(course_repo, tmp_path):
    clone = tmp_path / "learner"
    git(tmp_path, "clone", "-q", str(course_repo), str(clone))
    edit_cell(clone / "exercises" / NAME, "c10", "def my_softmax_loss(scores, y):\n    return 'old habit'")
    said = sync_in(clone)
    mine = clone / "workspace" / NAME
    assert "old habit" in cell_source(mine, "c10") and f"git checkout -- exercises/{NAME}" in said
    git(clone, "checkout", "--", f"exercises/{NAME}")
    course_update(course_repo)
    assert git(clone, "pull", "-q", "--no-rebase").returncode == 0
    sync_in(clone)
    assert "old habit" in cell_source(mine, "c10")  # still theirs, not taken for an untouched copy
    assert "revised" in cell_source(clone / "workspace" / workspace.update_name(NAME), "c00")


# ---- (c) make lab starts, as root too, and serves the learner's first notebook

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def group_alive(pgid):
    """Whether a process of group `pgid` still runs (a zombie waiting for init to reap it does not count)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def stop_group(pgid, seconds=30):
    """SIGTERM the process group, as Ctrl-C would end make lab; SIGKILL what is left after `seconds`."""
    try:
        os.killpg(pgid, signal.SIGTERM)
    except ProcessLookupError:
        return True
    deadline = time.monotonic() + seconds
    while group_alive(pgid) and time.monotonic() < deadline:
        time.sleep(0.2)
    if group_alive(pgid):
        os.killpg(pgid, signal.SIGKILL)
        return False
    return True


def get(url, timeout=5):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.read()


def test_make_lab_serves_the_first_notebook_from_the_workspace(tmp_path):
    ws, port, token = tmp_path / "ws", free_port(), "t" + os.urandom(8).hex()
    args = (f"--no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port={port} --ServerApp.port_retries=0 "
            f"--IdentityProvider.token={token}")
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"), JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
               JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "lab-workspaces"))
    base = f"http://127.0.0.1:{port}"
    with open(tmp_path / "lab.log", "w") as log:
        lab = subprocess.Popen([*MAKE, "lab", f"WORKSPACE={ws}", f"LAB_ARGS={args}"], cwd=ROOT, env=env, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + 120
            while True:
                assert lab.poll() is None, (tmp_path / "lab.log").read_text()
                try:
                    status, body = get(f"{base}/api/contents/{NAME}?token={token}")
                    break
                except OSError:
                    assert time.monotonic() < deadline, (tmp_path / "lab.log").read_text()
                    time.sleep(0.5)
            model = json.loads(body)
            assert status == 200 and model["type"] == "notebook" and model["path"] == NAME
            assert any("Your copy" in "".join(c["source"]) for c in model["content"]["cells"])
            assert get(f"{base}/lab/tree/{NAME}?token={token}")[0] == 200
        finally:
            stopped = stop_group(lab.pid)
            lab.wait(timeout=10)
    assert stopped, "JupyterLab did not stop on SIGTERM within 30 s"
    assert not group_alive(lab.pid)
    if os.getuid() == 0:
        assert "--allow-root" in (tmp_path / "lab.log").read_text()
    assert (ws / NAME).is_file() and (ws / "solutions" / NAME).is_file()


# ---- (d) make progress

SUMMED = '''def my_softmax_loss(scores, y):
    n = scores.shape[0]
    shifted = scores - scores.max(axis=1, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    loss = -np.log(probs[np.arange(n), y]).sum()  # summed, not averaged
    dscores = probs.copy()
    dscores[np.arange(n), y] -= 1
    return loss, dscores / n
'''


@pytest.fixture
def learner(tmp_path):
    """A workspace made by sync from the real course, into tmp."""
    ws = tmp_path / "ws"
    workspace.sync(ROOT, ws)
    return ws


def test_progress_says_passed_failing_not_started_and_missing(learner):
    solution = ROOT / "notebooks" / "10_regularization.ipynb"
    edit_cell(learner / "10_regularization.ipynb", "c27", cell_source(solution, "c27"))  # solved, with the solution
    edit_cell(learner / NAME, "c10", SUMMED)  # a known wrong version: the loss summed over the batch
    (learner / "11_transfer_learning.ipynb").unlink()
    rows = {(n, e): s for n, e, s in progress.progress(learner, ROOT, only=("00", "10", "11"))}
    assert rows[("10_regularization.ipynb", "my_l2_penalty")] == "passed"
    assert rows[(NAME, "my_softmax_loss")].startswith("failing: ")
    assert "times too large: average" in rows[(NAME, "my_softmax_loss")]
    assert rows[("10_regularization.ipynb", "my_dropout_forward")] == "not started"
    assert rows[("11_transfer_learning.ipynb", "my_ridge_classifier")].startswith("missing: ")


def test_progress_reports_the_learners_line_an_unfinished_cell_and_an_endless_loop(learner):
    path = learner / "07_optimizers.ipynb"
    edit_cell(path, "c34", "def my_sgd_momentum(x, dx, state, *, learning_rate, rho=0.9):\n"
                           "    v = state['v'] + dx\n    return x - learning_rate * v, {'v': v}")
    edit_cell(path, "c37", "def my_nesterov(x, dx, state, *, learning_rate, rho=0.9):\n    while True:\n"
                           "        pass")
    edit_cell(path, "c40", "def my_rmsprop(x, dx, state, *, learning_rate, decay_rate=0.99):\n"
                           "    grad_squared = dx * dx  # started\n    raise NotImplementedError")
    rows = {e: s for _, e, s in progress.progress(learner, ROOT, only=("07",), timeout=1)}
    assert rows["my_sgd_momentum"].startswith("error: KeyError: 'v'")
    assert "line 2 of your cell, in my_sgd_momentum: v = state['v'] + dx" in rows["my_sgd_momentum"]
    assert rows["my_nesterov"].startswith("timed out")
    assert rows["my_rmsprop"].startswith("unfinished")
    assert rows["my_adam"] == "not started"  # the endless loop stopped that exercise alone


def test_progress_finds_an_exercise_written_in_a_new_cell(learner):
    path = learner / "05_babysitting_learning.ipynb"
    nb = json.loads(path.read_text())
    nb["cells"].append({"cell_type": "code", "execution_count": None, "id": "mine", "metadata": {}, "outputs": [],
                        "source": cell_source(ROOT / "notebooks" / path.name, "c29")})
    path.write_text(json.dumps(nb))
    assert progress.progress(learner, ROOT, only=("05",))[0][2] == "passed"


def test_progress_prints_a_table_and_exits_0_or_1_without_a_workspace(learner, tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "progress.py"), "--workspace", str(learner), "06"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["notebook", "exercise", "status"]
    assert "my_log_uniform" in lines[1] and "not started" in lines[1]
    assert lines[-1].startswith("1 exercise: 1 not started (")
    missing = subprocess.run([sys.executable, str(ROOT / "tools" / "progress.py"), "--workspace",
                              str(tmp_path / "nowhere")], capture_output=True, text=True, timeout=60)
    assert missing.returncode == 1 and "make lab" in missing.stderr


# ---- (e) the Korean edition: make lab EDITION=ko (make lab-ko), make progress EDITION=ko

def test_make_lab_for_the_korean_edition_syncs_ko_into_its_own_workspace_in_korean():
    plan = subprocess.run([*MAKE, "-n", "lab-ko"], cwd=ROOT, capture_output=True, text=True, timeout=60).stdout
    assert "sync --edition \"ko\" --workspace \"workspace-ko\"" in plan
    assert "LECTURE_UTILS_LANG=\"ko\"" in plan and "root_dir=\"workspace-ko\"" in plan
    plan = subprocess.run([*MAKE, "-n", "lab"], cwd=ROOT, capture_output=True, text=True, timeout=60).stdout
    assert "sync --edition \"en\" --workspace \"workspace\"" in plan


def test_the_korean_workspace_and_its_progress_speak_korean(tmp_path):
    ws = tmp_path / "ws-ko"
    workspace.sync(ROOT / "ko", ws, "ko")
    mine = json.loads((ws / NAME).read_text())
    assert "내 사본" in "".join(mine["cells"][1]["source"]) and "연습 문제" in json.dumps(mine, ensure_ascii=False)
    assert "풀이" in "".join(json.loads((ws / "solutions" / NAME).read_text())["cells"][1]["source"])
    edit_cell(ws / NAME, "c10", SUMMED)
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "progress.py"), "--edition", "ko", "--workspace",
                           str(ws), "00"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    row = next(line for line in done.stdout.splitlines() if "my_softmax_loss" in line)
    assert "failing: " in row and any("\uac00" <= c <= "\ud7a3" for c in row.split("failing: ")[1]), row
