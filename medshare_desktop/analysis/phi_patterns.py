"""Structured PHI found with regular expressions from resources/rules/phi_regex.toml:
contact details, identifiers, dates tied to a patient, ages over 89, places below state level.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc

from medshare_desktop.analysis.candidates import Candidate, add_candidate, doc_text, register_extensions
from medshare_desktop.analysis.patient_context import (
    NOT_A_PATIENT_AFTER,
    SPECIFIC_PERSON,
    sentence_index,
    sentence_infos,
)
from medshare_desktop.analysis.regex_prefilter import PatternSet
from medshare_desktop.analysis.rule_files import cue, lower_set, toml_file
from medshare_desktop.core.models import RiskCategory, Severity

_CUES = "phi_patterns"  # its table in resources/rules/context_cues.toml (what each cue is for is written there)
_MEETING_WORDS = cue(_CUES, "meeting_words")
_FAX_BEFORE = cue(_CUES, "fax_before")
_AFTER_COUNT = cue(_CUES, "after_count")
_AFTER_FRACTION = cue(_CUES, "after_fraction")


def _luhn(value: str, text: str, start: int, end: int) -> bool:
    digits = [int(c) for c in value if c.isdigit()]
    if not 13 <= len(digits) <= 19:
        return False
    total = 0
    for i, digit in enumerate(reversed(digits)):
        if i % 2:
            digit *= 2
            digit -= 9 if digit > 9 else 0
        total += digit
    return total % 10 == 0


def _birth_year_over_89(value: str, text: str, start: int, end: int) -> bool:
    """A birth year that makes the person older than 89 this year (the year itself then identifies)."""
    return value.isdigit() and date.today().year - int(value) > 89


def _numeric_date(value: str, text: str, start: int, end: int) -> bool:
    parts = [int(p) for p in re.split(r"[/.-]", value) if p]
    if len(parts) < 2:
        return False
    if parts[0] > 31:  # yyyy-mm-dd
        month, day = parts[1], parts[2] if len(parts) > 2 else 1
    else:
        month, day = parts[0], parts[1]
        if month > 12 and day <= 12:  # dd/mm
            month, day = day, month
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return False
    if len(parts) == 2:  # "1/2 tablet", "3/4 of patients", a thread's "2/3", "8/10 pain"
        return not _AFTER_FRACTION.match(text[end : end + 12]) and _not_count_or_rating(value, text, start, end)
    return True


_WEEKDAY_HABIT_BEFORE = cue(_CUES, "weekday_habit_before")
_WEEKDAY_RANGE = cue(_CUES, "weekday_range")
_WEEKDAY_RANGE_BEFORE = cue(_CUES, "weekday_range_before")


def _specific_weekday(value: str, text: str, start: int, end: int) -> bool:
    """A particular day, not a habit ("every Friday", "on a Saturday") or a range or schedule
    ("Monday to Friday", "Tuesday-Thursday-Saturday dialysis")."""
    before = text[max(0, start - 20) : start]
    if _WEEKDAY_HABIT_BEFORE.search(before) or _WEEKDAY_RANGE_BEFORE.search(before):
        return False
    return not _WEEKDAY_RANGE.match(text[end : end + 20])


_THREAD_MARK = re.compile(r"(?<![\w/.-])(\d{1,2})/(\d{1,2})(?![\w/-]|\.\d)")
_SCORE_AFTER = cue(_CUES, "score_after")
_RATED_NOUN_AFTER = cue(_CUES, "rated_noun_after")
_SCORE_BEFORE = cue(_CUES, "score_before")


def _not_count_or_rating(value: str, text: str, start: int, end: int) -> bool:
    """"1/3" numbering a thread, "8/10" pain, "10/10", "24/7" are not dates."""
    first, second = (int(p) for p in value.split("/"))
    if value in {"24/7", "365/24"}:
        return False
    if second in {5, 10} and first <= second and (
        _SCORE_BEFORE.search(text[max(0, start - 20) : start])
        or _SCORE_AFTER.match(text[end : end + 12])
        or (value == "10/10" and _RATED_NOUN_AFTER.match(text[end : end + 12]))
    ):
        return False
    if first <= second <= 30:
        # thread numbering: the same denominator numbers several parts of the post, or "1/" marks the start
        parts = {int(m.group(1)) for m in _THREAD_MARK.finditer(text) if int(m.group(2)) == second}
        if len(parts) >= 2 or text[end : end + 2].strip()[:1] in {"🧵"} or text[end:].strip() == "":
            return False
    return True


_ADDRESS_BEFORE = cue(_CUES, "address_before", flags=0)


def _not_meeting_room(value: str, text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 20) : start]
    if _ADDRESS_BEFORE.search(before):
        return False  # "880 Meridian Street, Suite 120": part of a street address
    return not _MEETING_WORDS.search(before) and not _AFTER_COUNT.match(text[end : end + 12])


CONTACT_KINDS = frozenset({"phone", "fax", "email", "url"})
_URL_WORDS = re.compile(r"[^a-z]+")
_INSTITUTION_BEFORE = cue(_CUES, "institution_before")
_PERSONAL_BEFORE = cue(_CUES, "personal_before", not_a_patient_after=NOT_A_PATIENT_AFTER)
_PERSONAL_SITE = cue(_CUES, "personal_site")
_INSTITUTION_ADDRESS = cue(_CUES, "institution_address")


_EVENT = cue(_CUES, "event")
EVENT_KINDS = frozenset({"date", "location"})
_INSTITUTION_PLACE_BEFORE = cue(_CUES, "institution_place_before")
_SOMEONE = cue(_CUES, "someone", not_a_patient_after=NOT_A_PATIENT_AFTER)


_SOMEONE_NEAR = cue(_CUES, "someone_near", specific_person=SPECIFIC_PERSON.pattern)


_INSTITUTION_JUST_BEFORE = cue(_CUES, "institution_just_before")


_INSTITUTION_AFTER = cue(_CUES, "institution_after")


# "Phone: (555)…", "- Community education and CPR classes: cpr@…": a line of a contact list
_CONTACT_LIST_LINE = re.compile(r"^[ \t]*(?:[-•*·–][ \t]*)?[\w&'’ ()/,.-]{2,60}:[ \t]*(?:\(?\d{3}\)?[ \t.-]*)?$")


def _institutional(text: str, sentence_start: int, start: int, end: int, kind: str, patient: bool) -> bool:
    """Contact details of the hospital, a public resource or an event, not of a patient."""
    value = text[start:end]
    if _PERSONAL_SITE.search(value):
        return False  # a fundraiser page or a family's own mailbox, whoever posts it
    if _INSTITUTION_JUST_BEFORE.search(text, max(sentence_start, start - 40), start):
        return True  # "…join her, our volunteer office is on (555)…"
    before = text[max(sentence_start, start - 80) : start]
    if _PERSONAL_BEFORE.search(before):
        return False
    if _INSTITUTION_ADDRESS.search(value):
        return True
    if _INSTITUTION_BEFORE.search(before) or _INSTITUTION_AFTER.match(text, end):
        return True
    if _CONTACT_LIST_LINE.match(text[text.rfind("\n", 0, start) + 1 : start]):
        return True
    return kind == "url" and not patient


VALIDATORS: dict[str, Callable[[str, str, int, int], bool]] = {
    "luhn": _luhn,
    "birth_year_over_89": _birth_year_over_89,
    "numeric_date": _numeric_date,
    "not_meeting_room": _not_meeting_room,
    "specific_weekday": _specific_weekday,
}


@dataclass(frozen=True, slots=True)
class RegexRule:
    id: str
    kind: str
    regex: re.Pattern[str]
    severity: Severity
    group: str | None
    patient_only: bool
    patient_sentence: bool
    validate: Callable[[str, str, int, int], bool] | None
    priority: int


def load_regex_rules(file_name: str = "phi_regex.toml") -> list[RegexRule]:
    rules = []
    for raw in toml_file(file_name)["rule"]:
        flags = re.IGNORECASE if "i" in raw.get("flags", "") else 0
        rules.append(
            RegexRule(
                id=raw["id"],
                kind=raw["kind"],
                regex=re.compile(raw["pattern"], flags),
                severity=Severity(raw.get("severity", "high")),
                group=raw.get("group"),
                patient_only=raw.get("context", "any") in {"patient", "patient_sentence"},
                patient_sentence=raw.get("context", "any") == "patient_sentence",
                validate=VALIDATORS[raw["validate"]] if "validate" in raw else None,
                priority=int(raw.get("priority", 50)),
            )
        )
    return rules


class PhiRegexComponent:
    """Runs every regex rule over the text and adds PHI candidates."""

    def __init__(self, rules: list[RegexRule]) -> None:
        self.rules = rules
        self.first_names = lower_set("first_names")
        self.prefilter = PatternSet([rule.regex for rule in rules])

    def _names_someone(self, url: str) -> bool:
        """A page whose address names a person ("…/spelling-bee-champ-ethan-wu"): a word of its path is a given name."""
        path = url.split("//", 1)[-1].partition("/")[2]
        return any(word in self.first_names for word in _URL_WORDS.split(path.lower()) if len(word) > 2)

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        infos = sentence_infos(doc)
        starts = [info.start for info in infos]
        staff_event: dict[int, bool] = {}  # sentence index -> about a staff or public event, not a patient
        may_match = self.prefilter.candidates(text)  # the others find nothing in this text
        for index, rule in enumerate(self.rules):
            if index not in may_match:
                continue
            for match in rule.regex.finditer(text):
                start, end = match.span(rule.group) if rule.group else match.span()
                if start < 0 or start >= end:
                    continue
                value = text[start:end]
                if rule.validate and not rule.validate(value, text, start, end):
                    continue
                severity = rule.severity
                kind, rule_id = rule.kind, rule.id
                if kind == "phone" and _FAX_BEFORE.search(text, max(0, start - 40), start):
                    kind, rule_id = "fax", "phi.fax.context"
                index = sentence_index(infos, starts, start)
                info = infos[index]
                if rule.patient_only and not (info.near_patient if rule.patient_sentence else info.patient_window):
                    continue
                about_patient = info.patient or (kind == "url" and info.patient_window and self._names_someone(value))
                if kind in CONTACT_KINDS and _institutional(text, info.start, start, end, kind, about_patient):
                    continue
                if kind == "location" and rule_id.startswith("phi.location.street") and _INSTITUTION_PLACE_BEFORE.search(
                    text, max(info.start, start - 70), start
                ):
                    continue  # the hospital's or a clinic's own address
                if kind == "date" and rule.patient_only and not _SOMEONE_NEAR.search(
                    text, infos[max(0, index - 1)].start, info.end
                ):
                    continue  # a date near patient words but about no one in particular
                if kind in EVENT_KINDS:
                    if index not in staff_event:
                        sentence = text[info.start : info.end]
                        staff_event[index] = bool(_EVENT.search(sentence)) and not _SOMEONE.search(sentence)
                    if staff_event[index]:
                        continue  # the date or room of a staff or public event, not of a patient
                add_candidate(
                    doc,
                    Candidate(start, end, RiskCategory.PHI, kind, rule_id, severity, rule.priority),
                )
        return doc


@Language.factory("medshare_phi_regex", default_config={"rules_file": "phi_regex.toml"})
def make_phi_regex(nlp: Language, name: str, rules_file: str) -> PhiRegexComponent:
    register_extensions()
    return PhiRegexComponent(load_regex_rules(rules_file))
