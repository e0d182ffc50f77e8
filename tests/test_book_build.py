"""tools/book.py without the browser: panels made static, the execution cache, a failing notebook, the front page."""
import nbformat
import pytest

from tools import book


def _model(name, **state):
    return {"model_name": name, "model_module": "@jupyter-widgets/controls", "state": state}


PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def panel_state():
    """What nbclient keeps of a panel like lecture_utils.course.widgets' (a title, a row of controls, an output)."""
    return {
        "box": _model("VBoxModel", children=["IPY_MODEL_title", "IPY_MODEL_row", "IPY_MODEL_out"]),
        "title": _model("HTMLModel", value="<b>Activation functions through a deep network</b>"),
        "row": _model("HBoxModel", children=["IPY_MODEL_act", "IPY_MODEL_alpha", "IPY_MODEL_seed"]),
        "act": _model("DropdownModel", description="activation", index=1, _options_labels=["relu", "tanh"]),
        "alpha": _model("FloatSliderModel", description="alpha", value=0.1, min=0.0, max=1.0),
        "seed": _model("BoundedIntTextModel", description="seed", value=0, min=0, max=2**31 - 1),
        "out": _model("OutputModel", outputs=[
            {"output_type": "stream", "name": "stdout", "text": "dead units: 3%\n"},
            {"output_type": "display_data", "data": {"image/png": PNG, "text/plain": "<Figure>"}, "metadata": {}}]),
        "bar": _model("HBoxModel", children=["IPY_MODEL_progress"]),
        "progress": _model("FloatProgressModel", value=10.0, max=10.0),
    }


def test_a_panel_becomes_its_title_controls_a_note_and_what_it_drew():
    outputs = book.static_widget({"model_id": "box"}, panel_state(), "en")
    head = outputs[0]["data"]["text/html"]
    assert "Activation functions through a deep network" in head
    assert "<th>activation</th><td><code>tanh</code></td><td>relu, tanh</td>" in head  # the chosen option and all
    assert "<th>alpha</th><td><code>0.1</code></td><td>0 … 1</td>" in head
    assert "<th>seed</th><td><code>0</code></td><td></td>" in head  # no range of 2**31 numbers
    assert "make lab" in head and "move one and the figure redraws" in head
    assert "alpha = 0.1" in outputs[0]["data"]["text/plain"]
    assert [o["output_type"] for o in outputs[1:]] == ["stream", "display_data"]
    assert outputs[2]["data"]["image/png"] == PNG


def test_the_korean_book_says_how_to_move_the_sliders_in_korean():
    head = book.static_widget({"model_id": "box"}, panel_state(), "ko")[0]["data"]["text/html"]
    assert "make lab EDITION=ko" in head and "슬라이더" in head


def test_a_progress_bar_or_a_closed_widget_leaves_nothing():
    assert book.static_widget({"model_id": "bar"}, panel_state(), "en") == []
    assert book.static_widget({"model_id": "gone"}, panel_state(), "en") == []


def test_a_widget_that_is_neither_panel_nor_progress_bar_is_an_error():
    state = {"box": _model("VBoxModel", children=["IPY_MODEL_t"]), "t": _model("HTMLModel", value="hello")}
    with pytest.raises(book.BookError, match="no controls"):
        book.static_widget({"model_id": "box"}, state, "en")


def test_staging_replaces_every_widget_view_and_drops_the_widget_state():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("panel = activation_panel()")
    cell.outputs = [nbformat.v4.new_output("display_data", data={book.WIDGET_VIEW: {"model_id": "box"},
                                                                 "text/plain": "VBox(...)"}),
                    nbformat.v4.new_output("display_data", data={book.WIDGET_VIEW: {"model_id": "bar"}})]
    nb.cells = [nbformat.v4.new_markdown_cell("# A"), cell]
    nb.metadata["widgets"] = {book.WIDGET_STATE: {"state": panel_state()}}
    staged = book.stage_notebook(nb, "en")
    assert "widgets" not in staged.metadata
    kinds = [list(o.get("data", {})) for o in staged.cells[1].outputs]
    assert kinds == [["text/html", "text/plain"], [], ["image/png", "text/plain"]]  # head, stdout, figure


def _notebook(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(s[3:]) if s.startswith("md:") else nbformat.v4.new_code_cell(s)
                for s in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def test_the_key_follows_the_code_and_the_environment_not_the_text():
    a = _notebook("md:# Title", "x = 1")
    assert book.notebook_key(a, "env") == book.notebook_key(_notebook("md:# Another title", "x = 1"), "env")
    assert book.notebook_key(a, "env") != book.notebook_key(_notebook("md:# Title", "x = 2"), "env")
    assert book.notebook_key(a, "env") != book.notebook_key(a, "other environment")


def test_a_cached_run_takes_the_current_text_and_refuses_other_code():
    executed = _notebook("md:old text", "print(1)")
    executed.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    current = book.with_outputs(_notebook("md:new text", "print(1)"), executed)
    assert current.cells[0].source == "new text" and current.cells[1].outputs[0]["text"] == "1\n"
    with pytest.raises(book.BookError, match="code cells differ"):
        book.with_outputs(_notebook("md:new text", "print(2)"), executed)


@pytest.fixture
def tiny_course(tmp_path, monkeypatch):
    """A course of two notebooks in tmp_path/notebooks, built into tmp_path/build."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nbformat.write(_notebook("md:# Good", "print('fine')"), folder / "00_good.ipynb")
    bad = _notebook("md:# Bad", "x = 1", "raise ValueError('this notebook is broken')")
    nbformat.write(bad, folder / "01_bad.ipynb")
    monkeypatch.setattr(book, "SOURCES", {"en": folder})
    monkeypatch.setattr(book, "BUILD", tmp_path / "build")
    monkeypatch.setattr(book, "environment_key", lambda: "env")
    return folder


def test_a_failing_notebook_fails_the_build_and_leaves_nothing_half_written(tiny_course, tmp_path):
    lines = []
    with pytest.raises(book.BookError) as err:
        book.execute_all(["en"], jobs=2, log=lines.append)
    assert "01_bad.ipynb: cell 2 raised ValueError: this notebook is broken" in str(err.value)
    executed = tmp_path / "build" / "executed" / "en"
    assert sorted(p.name for p in executed.iterdir()) == ["00_good.ipynb"]  # no partial file of the failed one
    assert "2 of 2 notebooks to run" in lines[0]
    # fixed: only the notebook that changed runs again, and the good one is reused with its outputs
    nbformat.write(_notebook("md:# Bad no more", "x = 1", "print(x)"), tiny_course / "01_bad.ipynb")
    lines.clear()
    result = book.execute_all(["en"], jobs=2, log=lines.append)
    assert "1 of 2 notebooks to run" in lines[0]
    assert result["en"]["00_good"].cells[1].outputs[0]["text"] == "fine\n"
    assert result["en"]["01_bad"].cells[0].source == "# Bad no more"


def test_the_front_page_lists_every_notebook_in_the_lecture_s_order():
    names = [f"{i:02d}_topic" for i in range(12)]
    for edition in ("en", "ko"):
        page = book.front_page(edition, names)
        listed = [line for line in page.splitlines() if line.startswith("notebooks/")]
        assert listed == [f"notebooks/{n}" for n in names]
        assert page.count("```{toctree}") == len(book.PARTS)
        assert "](benchmarks/README.md)" not in page  # links to files outside the book are left as their path
    assert book.front_page("ko", names).startswith("# Training Neural Networks II — CS231n 강의 7")
    with pytest.raises(book.BookError, match="12_extra"):
        book.front_page("en", names + ["12_extra"])


def test_bad_arguments_name_themselves(capsys):
    with pytest.raises(SystemExit):
        book.main(["build", "--jobs", "0"])
    assert "--jobs must be at least 1, got 0" in capsys.readouterr().err


def test_a_kernel_that_stops_answering_gets_one_more_try(tmp_path, monkeypatch):
    from nbclient.exceptions import CellTimeoutError

    source, target = tmp_path / "00_x.ipynb", tmp_path / "out.ipynb"
    nbformat.write(_notebook("print(1)"), source)
    calls = []

    def execute(path, timeout, store_widget_state):
        calls.append(path)
        if len(calls) == 1:
            raise CellTimeoutError("no reply")
        return nbformat.read(path, as_version=4), 0.5, None

    monkeypatch.setattr(book, "execute", execute)
    assert book._run(source, target, "key") == (0.5, None) and len(calls) == 2
    assert nbformat.read(target, as_version=4).metadata["book"]["key"] == "key"
    monkeypatch.setattr(book, "execute", lambda *a, **k: (_ for _ in ()).throw(CellTimeoutError("no reply")))
    seconds, error = book._run(source, tmp_path / "never.ipynb", "key")
    assert "stopped answering twice" in error and not (tmp_path / "never.ipynb").exists()


def test_the_panel_output_area_sends_nothing_back_to_the_kernel():
    """tools/render_notebook.py's output area records what a panel draws without a message on the kernel's shell
    socket (nbclient's own sends one per output, which can leave the cell's reply unread until the timeout)."""
    from types import SimpleNamespace

    from tools.render_notebook import _OutputAreaNoEcho

    def refuse(msg):
        raise AssertionError("a message was sent to the kernel")

    client = SimpleNamespace(shell_channel=SimpleNamespace(send=refuse), session=None)
    executor = SimpleNamespace(widget_state={"c1": {}})
    area = _OutputAreaNoEcho("c1", {"outputs": []}, client, executor)
    msg = {"header": {"msg_type": "stream"}, "msg_type": "stream", "parent_header": {},
           "content": {"name": "stdout", "text": "drawn\n"}}
    area.output([], msg, None, 0)
    area.clear_output([], {"parent_header": {}, "content": {"wait": False}}, 0)
    area.output([], msg, None, 0)
    assert [o["text"] for o in executor.widget_state["c1"]["outputs"]] == ["drawn\n"]
