"""Which of many regular expressions can match a text, found in one pass.

The rules hold about a hundred regexes (PHI patterns, sentence cues). Python's `re` scans the text once
per regex, and most of them match nothing in a given post or sentence: that scanning was most of the
engine's time. `PatternSet` compiles a *looser* copy of every regex into one RE2 automaton
(google-re2's `Set`), which tells in a single linear pass which of them might match. The caller then
runs only those with `re`, so results are exactly what `re` alone gives.

The looser copy matches at least everything the original does ("superset"): zero-width assertions
(lookarounds, `\\b`, `^`, `$`) are dropped, and `\\w`, `\\d`, `\\s` become the Unicode classes Python
uses for `str` patterns. A regex that cannot be loosened safely (back-references, atomic groups,
verbose mode…) is simply always run. Without google-re2 installed everything is always run.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

try:  # google-re2 is a dependency; the engine still works (slower) on a platform without its wheel
    import re2 as _re2
except ImportError:  # pragma: no cover - exercised by the "without re2" test through the class flag
    _re2 = None

# Python's str classes, written for RE2 (RE2's own \w, \d, \s are ASCII-only, which would make the looser
# copy match *less* than the original on "José" or a no-break space).
_WORD = r"\p{L}\p{N}_"
_DIGIT = r"\p{Nd}"
_SPACE = r"\t\n\x0b\x0c\r\x1c-\x1f \x85\p{Z}"
_CLASS_IN_SET = {"w": _WORD, "d": _DIGIT, "s": _SPACE}
_CLASS_ALONE = {
    "w": f"[{_WORD}]",
    "d": f"[{_DIGIT}]",
    "s": f"[{_SPACE}]",
    "W": f"[^{_WORD}]",
    "D": f"[^{_DIGIT}]",
    "S": f"[^{_SPACE}]",
}
_ASSERTIONS = set("bBAZ")


class Unsupported(ValueError):
    """The regex uses something the looser copy cannot express; it is then always run."""


def _skip_group(pattern: str, i: int) -> int:
    """Index just past the group that opens at pattern[i] == '(' (escapes and classes respected)."""
    depth = 0
    in_class = False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "^":
                i += 1
            if pattern[i + 1 : i + 2] == "]":
                i += 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise Unsupported("unbalanced group")


def loosen(pattern: str, flags: int = 0) -> str:
    """An RE2 pattern matching every string `re.compile(pattern, flags)` finds a match in (and maybe more)."""
    if flags & (re.VERBOSE | re.LOCALE):
        raise Unsupported("verbose or locale flags")
    out: list[str] = []
    i = 0
    in_class = False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            if i + 1 >= len(pattern):
                raise Unsupported("trailing backslash")
            e = pattern[i + 1]
            if e.isdigit() and e != "0":
                raise Unsupported("back-reference")
            if in_class:
                if e in _CLASS_IN_SET:
                    out.append(_CLASS_IN_SET[e])
                elif e in "WDS":
                    raise Unsupported("negated class inside a set")
                elif e == "b":
                    out.append(r"\x08")
                else:
                    out.append(pattern[i : i + 2])
            elif e in _ASSERTIONS:
                pass  # dropped: the copy may match in more places
            elif e in _CLASS_ALONE:
                out.append(_CLASS_ALONE[e])
            elif e in "uU":
                digits = 4 if e == "u" else 8
                out.append("\\x{" + pattern[i + 2 : i + 2 + digits] + "}")
                i += 2 + digits
                continue
            elif e.isalpha() and e not in "afnrtvx":
                raise Unsupported(f"escape \\{e}")
            else:
                out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
            elif c == "[" and pattern[i + 1 : i + 2] in (":", "=", "."):
                raise Unsupported("POSIX class syntax")
            out.append(c)
            i += 1
            continue
        if c == "[":
            in_class = True
            out.append(c)
            i += 1
            if pattern[i : i + 1] == "^":
                out.append("^")
                i += 1
            if pattern[i : i + 1] == "]":
                out.append(r"\]")
                i += 1
            continue
        if c in "^$":
            i += 1
            continue
        if c == "(" and pattern[i + 1 : i + 2] == "?":
            rest = pattern[i + 2 : i + 4]
            if rest[:1] in ("=", "!") or rest in ("<=", "<!"):
                i = _skip_group(pattern, i)
                continue
            if rest[:1] in (">", "#", "(") or rest[:2] == "P=":
                raise Unsupported("atomic group, comment, conditional or named back-reference")
        if c in "*+?}" and pattern[i + 1 : i + 2] == "+":
            raise Unsupported("possessive quantifier")
        if c == "{" and pattern[i + 1 : i + 2] == ",":
            out.append("{0")
            i += 1
            continue
        out.append(c)
        i += 1
    prefix = ("(?i)" if flags & re.IGNORECASE else "") + ("(?s)" if flags & re.DOTALL else "")
    return prefix + "".join(out)


class PatternSet:
    """`candidates(text)`: indices of the given regexes that may find a match in text (a superset)."""

    available = _re2 is not None

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self.size = len(patterns)
        self._always: list[int] = []
        self._set = None
        if not self.available:
            self._always = list(range(self.size))
            return
        options = _re2.Options()
        options.log_errors = False
        options.max_mem = 64 << 20
        compiled = _re2.Set.SearchSet(options)
        self._index: list[int] = []  # RE2 set index -> pattern index
        for index, pattern in enumerate(patterns):
            try:
                loose = loosen(pattern.pattern, pattern.flags)
                if not loose.replace("(?i)", "").replace("(?s)", ""):
                    raise Unsupported("matches everywhere")
                compiled.Add(loose)
                self._index.append(index)
            except Exception:  # noqa: BLE001 - Unsupported, or RE2 rejects the copy: always run it
                self._always.append(index)
        if self._index:
            compiled.Compile()
            self._set = compiled

    def candidates(self, text: str) -> set[int]:
        found = set(self._always)
        if self._set is not None and text:
            found.update(self._index[i] for i in self._set.Match(text) or ())
        return found
