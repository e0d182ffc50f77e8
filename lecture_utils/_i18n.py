"""The language of what the course says to a learner: English, or Korean in the Korean edition.

Every sentence the package shows a learner (an exercise check's hint, a panel's title and slider names, the training
loop's warnings and progress bar, the environment check) is written in English in the code as `_("...", name=value)`,
and `_` looks its template up in the Korean catalogue, `_messages_ko.MESSAGES`, when the language is Korean (a plain
dictionary from the English template to the Korean one; `tests/test_messages.py` checks that every template in the
code has its Korean and that both have the same `{fields}`). Error messages for wrong arguments stay in English:
they name the argument and the value, for whoever writes the call.

The language is "en" unless the environment variable LECTURE_UTILS_LANG says "ko" (`make lab EDITION=ko` sets it);
each notebook's set-up cell sets it with `set_language("en")` or, in the Korean edition, `set_language("ko")`.
`plotting` follows it (`on_language_change`): Korean figure titles and a Korean font where one is installed.
"""
import os

LANGUAGES = ("en", "ko")
_state = {"language": "en"}
_listeners = []  # called with the new language by set_language


def set_language(language):
    """Show the course's messages in `language`, "en" or "ko"; returns it."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {language!r}")
    _state["language"] = language
    for listener in _listeners:
        listener(language)
    return language


def on_language_change(listener):
    """Call listener(language) now and whenever the language changes (plotting picks its font this way)."""
    _listeners.append(listener)
    listener(_state["language"])


def get_language():
    """The language the course's messages are shown in now, "en" or "ko"."""
    return _state["language"]


def _(template, **fields):
    """`template` (an English message, a `str.format` template with {fields}) in the current language, filled in."""
    return translate(template).format(**fields)


def N_(text):
    """Mark `text` (plain text, not a template) for the catalogue without translating it; `translate` does, later."""
    return text


def translate(text):
    """Plain `text` (marked with N_ where it was written, or a code name) in the current language, as it is."""
    if _state["language"] == "ko":
        from ._messages_ko import MESSAGES
        return MESSAGES.get(text, text)
    return text


set_language(os.environ.get("LECTURE_UTILS_LANG", "en") if os.environ.get("LECTURE_UTILS_LANG") in LANGUAGES else "en")
