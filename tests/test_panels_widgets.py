"""The thin widget layer (lecture_utils/course/widgets.py) on top of every slider panel's computation
(lecture_utils/experiments/panels.py): each panel starts at its defaults and redraws."""
import pytest

from lecture_utils.experiments.panels import COMPUTATIONS


@pytest.mark.parametrize("panel", ["activation_panel", "init_panel", "boundary_panel", "batchnorm_panel",
                                   "learning_rate_panel", "coarse_to_fine_panel", "optimizer_panel",
                                   "schedule_panel", "ensemble_panel", "regularization_panel", "transfer_panel"])
def test_widget_layers_start_at_their_defaults_and_redraw(panel, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    from lecture_utils.course import widgets

    monkeypatch.setattr(widgets, "display", lambda box: None)
    compute, defaults = COMPUTATIONS[panel]
    box = getattr(widgets, panel)()
    controls = dict(zip(defaults, box.children[1].children)) if panel == "init_panel" else None
    sliders = [c for c in box.children[1].children if hasattr(c, "continuous_update")]
    assert sliders and all(c.continuous_update is False for c in sliders)
    assert box.children[1].children[-1].description == "seed"
    if controls:
        assert {k: c.value for k, c in controls.items()} == defaults
    first = box.state["result"]
    box.children[1].children[-1].value = 3  # a new seed redraws with new numbers
    assert box.state["result"] is not first


PANELS = ["step_size_panel", "activation_panel", "init_panel", "boundary_panel", "batchnorm_panel",
          "learning_rate_panel", "coarse_to_fine_panel", "optimizer_panel", "schedule_panel", "ensemble_panel",
          "regularization_panel", "transfer_panel"]


@pytest.mark.parametrize("panel", PANELS)
def test_every_panel_speaks_korean_in_the_korean_edition(panel, monkeypatch, capsys):
    import re

    import matplotlib

    matplotlib.use("Agg")
    from lecture_utils.course import set_language, widgets

    monkeypatch.setattr(widgets, "display", lambda box: None)
    set_language("ko")
    try:
        box = getattr(widgets, panel)()  # draws once: every line it prints goes through the catalogue
    finally:
        set_language("en")
    hangul = re.compile(r"[\uac00-\ud7a3]")
    assert hangul.search(box.children[0].value), box.children[0].value  # the title
    assert box.children[1].children[-1].description == "시드"
    printed = capsys.readouterr().out  # outside a kernel the panel's output area lets its lines through
    assert hangul.search(printed), printed
