"""The course's interface: what a learner sees and touches around the lecture's code.

`plotting` (every figure; the only module importing matplotlib besides `widgets`), `widgets` (the slider panels;
the only module importing ipywidgets), `checks` (the exercises' checks, with `_returns` for what came back from a
learner's function) and `environment` (notebook 00's set-up check). `set_language("ko")` shows all of their messages
in Korean (the Korean edition's set-up cells call it; see lecture_utils/_i18n.py).
"""
from .._i18n import get_language, set_language

__all__ = ["get_language", "set_language"]
