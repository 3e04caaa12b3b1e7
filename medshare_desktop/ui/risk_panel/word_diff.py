"""The "Changes from the original" view: a word-level diff as rich text.

Removed words are struck through in red, added words underlined in green, unchanged words plain;
line breaks are kept. Every piece of post text is HTML-escaped: the post can never inject markup.
"""

from __future__ import annotations

import difflib
import html
import re

from medshare_desktop.ui.shared.colours import themed_css

# a token is a run of non-space characters or a run of spaces: joining the tokens gives the text back
_TOKEN = re.compile(r"\s+|\S+")

REMOVED_STYLE = "color:#b00020; text-decoration:line-through; background-color:#fde7ea;"
ADDED_STYLE = "color:#0a6b2d; text-decoration:underline; background-color:#e3f6e8;"


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _keys(parts: list[str]) -> list[str]:
    """Tokens as compared: any run of spaces is one space (a line break stays a line break)."""
    return [p if p.strip() else ("\n" if "\n" in p else " ") for p in parts]


def _escape(text: str) -> str:
    return html.escape(text, quote=False).replace("\n", "<br>")


def word_changes(original: str, edited: str) -> list[tuple[str, str]]:
    """(kind, text) pieces in reading order, kind one of "same", "removed", "added"."""
    old, new = tokens(original), tokens(edited)
    ops = difflib.SequenceMatcher(None, _keys(old), _keys(new), autojunk=False).get_opcodes()
    # changes separated only by a space read as one change ("A patient I saw" → "Our team"), not as
    # an alternation of struck and added single words
    groups: list[list[tuple[str, int, int, int, int]]] = []
    for index, op in enumerate(ops):
        tag, i1, i2, _j1, _j2 = op
        between_changes = 0 < index < len(ops) - 1 and not "".join(old[i1:i2]).strip()
        if tag == "equal" and not between_changes:
            groups.append([op])
        elif groups and groups[-1][0][0] != "equal":
            groups[-1].append(op)
        else:
            groups.append([op])
    pieces: list[tuple[str, str]] = []
    for group in groups:
        i1, j1 = group[0][1], group[0][3]
        i2, j2 = group[-1][2], group[-1][4]
        if group[0][0] == "equal" and len(group) == 1:
            pieces.append(("same", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("removed", "".join(old[i1:i2])))
        if j2 > j1:
            pieces.append(("added", "".join(new[j1:j2])))
    return pieces


def word_diff_html(original: str, edited: str) -> str:
    """The edit against the original as HTML for a QTextEdit."""
    parts = []
    pieces = word_changes(original, edited)
    for index, (kind, text) in enumerate(pieces):
        if kind == "added" and index and pieces[index - 1][0] == "removed":
            parts.append(" ")  # "old new" rather than "oldnew" where a word was replaced
        if kind == "same":
            parts.append(_escape(text))
        elif text.strip():
            style = themed_css(REMOVED_STYLE if kind == "removed" else ADDED_STYLE)
            parts.append(f'<span style="{style}">{_escape(text)}</span>')
        else:
            parts.append(_escape(text))  # a change of spacing only: not worth a colour
    return "<p style='white-space:pre-wrap'>" + "".join(parts) + "</p>"
