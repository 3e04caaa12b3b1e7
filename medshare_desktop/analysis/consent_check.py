"""The consent category: known people named or shown without the matching consent scope."""

from __future__ import annotations

import re
from collections.abc import Iterable

from medshare_desktop.analysis.candidates import Candidate
from medshare_desktop.analysis.rule_files import word_tuple
from medshare_desktop.core.models import AnalysisContext, ConsentScope, KnownPerson, RiskCategory, Severity

_TITLES = rf"(?:{'|'.join(word_tuple('consent', 'titles'))})\.?\s+"


def _spellings(person: KnownPerson) -> list[str]:
    names = [person.name, *person.aliases]
    return sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True)


def _name_pattern(person: KnownPerson) -> re.Pattern[str] | None:
    parts = []
    for spelling in _spellings(person):
        escaped = r"\s+".join(re.escape(word) for word in spelling.split())
        # Several words: any case. One word (an alias like "Sam"): exact case, to avoid common words.
        parts.append(f"(?i:{escaped})" if " " in spelling else escaped)
    words = person.name.split()
    if len(words) > 1:  # "Dr. Lopez" for Maria Lopez
        parts.append(f"{_TITLES}{re.escape(words[-1])}")
    if not parts:
        return None
    return re.compile(r"(?<![\w@])(?:" + "|".join(parts) + r")(?![\w])")


def find_person(text: str, person: KnownPerson) -> list[tuple[int, int]]:
    """Where a known person is mentioned (by name, alias, or title + surname)."""
    pattern = _name_pattern(person)
    if pattern is None:
        return []
    return [m.span() for m in pattern.finditer(text)]


def _same_person(label: str, person: KnownPerson) -> bool:
    label = label.strip().casefold()
    return any(label == spelling.casefold() for spelling in _spellings(person))


def consent_candidates(text: str, context: AnalysisContext | None) -> Iterable[Candidate]:
    """Consent findings for one text (no spaCy needed)."""
    if context is None:
        return []
    found: list[Candidate] = []
    mentions: dict[str, list[tuple[int, int]]] = {}
    for person in context.known_people:
        spans = find_person(text, person)
        mentions[person.name] = spans
        if ConsentScope.NAME not in person.consented_scopes:
            for start, end in spans:
                found.append(
                    Candidate(
                        start,
                        end,
                        RiskCategory.CONSENT,
                        "name_without_consent",
                        "consent.name_scope_missing",
                        Severity.HIGH,
                        50,
                    )
                )
    if context.has_photos:
        for shown in context.people_shown:
            person = next((p for p in context.known_people if _same_person(shown, p)), None)
            if person is not None and ConsentScope.PHOTO in person.consented_scopes:
                continue
            spans = mentions.get(person.name, []) if person else find_person(text, KnownPerson(name=shown))
            for start, end in spans or [(0, 0)]:
                found.append(
                    Candidate(
                        start,
                        end,
                        RiskCategory.CONSENT,
                        "photo_without_consent",
                        "consent.photo_scope_missing",
                        Severity.HIGH,
                        50,
                        subject=person.name if person else shown,
                    )
                )
    return found


def known_people_spans(text: str, context: AnalysisContext | None) -> list[tuple[int, int]]:
    """Spans of every known person's mentions (their names are a consent matter, not PHI)."""
    if context is None:
        return []
    return [span for person in context.known_people for span in find_person(text, person)]
