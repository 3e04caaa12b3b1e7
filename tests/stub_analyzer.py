"""A stand-in for the spaCy risk engine in UI tests (as Dangerzone's GUI tests stub their converter).

`StubAnalyzer` implements the core's `RiskAnalyzer` port (core/ports.py) with a few marker rules, so a
screen test gets findings at once, with nothing to load. Its findings are deterministic and obvious
from the text:

- "room" or "bed" and a number ("room 412") — a PHI location (high);
- a sentence with the word "patient" — a patient story (high);
- the word "hungover" — unprofessional (medium);
- a known person named without name consent, a person shown in a photo without photo consent, and
  Settings' extra terms — the same consent and custom-term findings the real engine gives.

Pass it as `build_services(..., analyzer_factory=StubAnalyzer)`. The risk panel's own tests and the
end-to-end tests keep the real engine; whether the engine finds the right things is tests/analysis/.
"""

from __future__ import annotations

import re

from medshare_desktop.core.models import AnalysisContext, ConsentScope, Finding, RiskCategory, Severity

MARKERS: tuple[tuple[re.Pattern[str], RiskCategory, str, Severity, str], ...] = (
    (re.compile(r"\b(?:room|bed) \d+\b", re.IGNORECASE), RiskCategory.PHI, "location", Severity.HIGH,
     "The post names a room or bed, which can identify a patient."),
    (re.compile(r"[^\s.!?][^.!?\n]*?\bpatients?\b[^.!?\n]*[.!?]?", re.IGNORECASE), RiskCategory.PATIENT_STORY,
     "encounter", Severity.HIGH, "The post tells about a patient."),
    (re.compile(r"\bhungover\b", re.IGNORECASE), RiskCategory.UNPROFESSIONAL, "intoxication", Severity.MEDIUM,
     "The post jokes about drinking."),
)


class StubAnalyzer:
    """The RiskAnalyzer port answered from marker words (see the module's docstring)."""

    def analyze(self, text: str, context: AnalysisContext | None = None) -> list[Finding]:
        context = context or AnalysisContext()
        findings = [
            Finding(m.start(), m.end(), m.group(), category, kind, severity, f"stub.{kind}", message, "Remove it.")
            for pattern, category, kind, severity, message in MARKERS
            for m in pattern.finditer(text)
        ]
        findings += _consent(text, context) + _extra_terms(text, context)
        return sorted(findings, key=lambda f: (f.start, f.end, f.category.value))


def _first(text: str, names: tuple[str, ...]) -> tuple[int, int] | None:
    for name in names:
        at = text.lower().find(name.lower()) if name else -1
        if at >= 0:
            return at, at + len(name)
    return None


def _consent(text: str, context: AnalysisContext) -> list[Finding]:
    found = []
    known = {person.name: person for person in context.known_people}
    for person in context.known_people:
        span = _first(text, (person.name, *person.aliases))
        if span and ConsentScope.NAME not in person.consented_scopes:
            message = f"{person.name} has not consented to be named."
            found.append(_consent_finding(text, span, "name_without_consent", message))
    for name in context.people_shown:
        person = known.get(name)
        if person is None or ConsentScope.PHOTO not in person.consented_scopes:
            span = _first(text, (name,)) or (0, 0)
            found.append(_consent_finding(text, span, "photo_without_consent", f"{name} has not consented to a photo."))
    return found


def _consent_finding(text: str, span: tuple[int, int], kind: str, message: str) -> Finding:
    start, end = span
    return Finding(start, end, text[start:end], RiskCategory.CONSENT, kind, Severity.HIGH, f"stub.{kind}", message,
                   "Ask for their consent first.")


def _extra_terms(text: str, context: AnalysisContext) -> list[Finding]:
    found = []
    for term, category in context.extra_terms:
        try:
            kind_of = RiskCategory(category)
        except ValueError:
            kind_of = RiskCategory.UNPROFESSIONAL
        for m in re.finditer(re.escape(term), text, re.IGNORECASE):
            found.append(Finding(m.start(), m.end(), m.group(), kind_of, "custom_term", Severity.MEDIUM, "custom.term",
                                 f"“{term}” is on the team's list of terms to check.", "Remove it."))
    return found


class NoRiskAnalyzer:
    """The RiskAnalyzer port that finds nothing: for tests in which no finding plays a part."""

    def analyze(self, text: str, context: AnalysisContext | None = None) -> list[Finding]:
        return []
