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
from medshare_desktop.analysis.rule_files import lower_set, toml_file
from medshare_desktop.core.models import RiskCategory, Severity

_MEETING_WORDS = re.compile(
    r"(?:conference|meeting|lecture|class|board|break|waiting|living|dining|chat|zoom|escape|hotel|green|rest|"
    r"bath|call|sim|simulation|lab|computer|reading|school|court)\s*$",
    re.IGNORECASE,
)
_FAX_BEFORE = re.compile(r"\bfax(?:ed|ing)?\b(?:[^.!?\n]|\.(?=\S))*$", re.IGNORECASE)
_AFTER_COUNT = re.compile(
    r"^\s*(?:days?|hours?|weeks?|nights?|minutes?|mins?|times|people|patients|months?|years?)\b", re.I
)
_AFTER_FRACTION = re.compile(r"^\s*(?:of|tabs?|tablets?|pills?|cups?|doses?|inch|inches|miles?|strength)\b", re.I)


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


_WEEKDAY_HABIT_BEFORE = re.compile(r"\b(?:every|each|a|any|most|some|on\s+a|other)\s+$", re.IGNORECASE)
_WEEKDAY_RANGE = re.compile(
    r"^\s*(?:-|–|—|to|through|thru|and|or|&)\s*(?:mon|tue|wed|thu|fri|sat|sun)|^\s*s\b|^\s+(?:vibes|mood|schedule|clinic\s+hours)"
    # a weekly fixture named by its day ("the Wednesday rosary group", "Thursday clinic")
    r"|^\s+(?:rosary|prayer|bible|book|support|walking|running)?\s*(?:group|meeting|clinic|rounds|huddle|market|class|service"
    r"|mass|bingo|session|potluck|lecture|conference|choir|club|sing|drop-in)s?\b"
    r"|^\s+(?:mornings|afternoons|evenings|nights)\b",  # "on Sunday afternoons": a habit
    re.IGNORECASE,
)
_WEEKDAY_RANGE_BEFORE = re.compile(
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day\s*(?:-|–|—|to|through|thru|and|or|&)\s*$|\bopen\s+(?:on\s+)?$", re.IGNORECASE
)


def _specific_weekday(value: str, text: str, start: int, end: int) -> bool:
    """A particular day, not a habit ("every Friday", "on a Saturday") or a range or schedule
    ("Monday to Friday", "Tuesday-Thursday-Saturday dialysis")."""
    before = text[max(0, start - 20) : start]
    if _WEEKDAY_HABIT_BEFORE.search(before) or _WEEKDAY_RANGE_BEFORE.search(before):
        return False
    return not _WEEKDAY_RANGE.match(text[end : end + 20])


_THREAD_MARK = re.compile(r"(?<![\w/.-])(\d{1,2})/(\d{1,2})(?![\w/-]|\.\d)")
_SCORE_AFTER = re.compile(r"\s*(?:would|stars?|recommend|!|🔥|👏|⭐)", re.IGNORECASE)
# "10/10 colleague", "the same 10/10 pain": a rating of the word after it (a date is followed by "and", "with"…)
_RATED_NOUN_AFTER = re.compile(
    r"\s+(?!(?:and|with|at|in|on|when|after|before|for|to|from|the|she|he|they|we|i|was|is|until|but|or|so|then"
    r"|via|by|this|that|his|her|their)\b)[A-Za-z]",
    re.IGNORECASE,
)
_SCORE_BEFORE = re.compile(r"\b(?:pain|rated?|rating|score[ds]?|scale|would|solid|a|an)\s*(?:is|was|of|at|:)?\s*$", re.IGNORECASE)


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


_ADDRESS_BEFORE = re.compile(r"\b(?:Street|St|Avenue|Ave|Road|Rd|Drive|Dr|Boulevard|Blvd|Lane|Way|Plaza|Parkway)\.?,?\s*$")


def _not_meeting_room(value: str, text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 20) : start]
    if _ADDRESS_BEFORE.search(before):
        return False  # "880 Meridian Street, Suite 120": part of a street address
    return not _MEETING_WORDS.search(before) and not _AFTER_COUNT.match(text[end : end + 12])


CONTACT_KINDS = frozenset({"phone", "fax", "email", "url"})
_URL_WORDS = re.compile(r"[^a-z]+")
_INSTITUTION_BEFORE = re.compile(
    r"\b(?:(?:email|e-mail|call|text|reach|contact|dm|message|ping|page)\s+me|my\s+(?:email|e-mail|cell|number|office|pager|line|work\s+phone|inbox|website|blog|site)|our|the\s+hospital'?s?|the\s+clinic'?s?|office|offices|line|hotline|helpline|lifeline|crisis\s+(?:line|text|center)|"
    r"appointments?|schedul\w+|register|registration|sign\s+up|rsvp|tickets?|enrol\w*|book|bookings?|call\s+us|email\s+us|"
    r"text\s+us|contact\s+us|reach\s+us|visit\s+us|website|site|web|more\s+info(?:rmation)?|info(?:rmation)?\s+(?:at|on|here)|resources?|learn\s+more|"
    r"read\s+more|more\s+at|details\s+at|link|toll[- ]free|main\s+number|switchboard|front\s+desk|department|"
    r"dept|press|media|careers|jobs|apply|donate|donations|foundation|newsletter|podcast|webinar|conference|"
    r"survey|form|portal|mychart|poison\s+control|911|988|samhsa|cdc|nih|questions?|enquir\w+|inquir\w+|"
    r"referrals?|desk|helpdesk|reception|intranet|unit|ward|team|service|services|program(?:me)?|"
    r"call\s+(?:the|our)|reached|new\s+(?:number|line)|info(?:rmation)?\s*:)\b"
    r"(?:[^.!?\n]|\.(?=\S))*$",
    re.IGNORECASE,
)
_PERSONAL_BEFORE = re.compile(
    r"\b(?:his|her|their|patient(?:'s|’s)?(?!s)" + NOT_A_PATIENT_AFTER + r"|pt'?s?|family'?s?|wife'?s?|husband'?s?|"
    r"son'?s?|daughter'?s?|mom'?s?|dad'?s?|"
    r"mother'?s?|father'?s?|home|cell|personal|private|gofundme|caringbridge)\b(?:[^.!?\n]|\.(?=\S))*$",
    re.IGNORECASE,
)
_PERSONAL_SITE = re.compile(
    r"gofundme|caringbridge|mealtrain|spotfund|givesendgo|fundly|facebook\.com/|instagram\.com/|tiktok\.com/@|"
    r"twitter\.com/|x\.com/|linkedin\.com/in/|venmo|cash\.app|paypal\.me|legacy\.com|obituar|"
    # a page for one person: "…/help-ava-get-home", "memorial.…/chidi-okoro", "…/in-memory-of-…"
    r"fundrais|(?://|^)memorial\.|/memorials?/|/tributes?/|in-memory|/help-[a-z]|prayers?-for-|/support-[a-z]|"
    r"/team-[a-z]|"
    # a family's own mailbox: "kaia.fund.mom@…", "the.okafor.family@…"
    r"^[\w.+-]*(?:family|fam|mom|mum|dad|home|fund|personal|kids?|baby|ohana)[\w.+-]*@",
    re.IGNORECASE,
)
_INSTITUTION_ADDRESS = re.compile(
    r"^(?:info|contact|appointments?|appts?|scheduling|press|media|hello|help|support|admin|office|frontdesk|"
    r"careers|jobs|events|news|noreply|no-reply|webmaster|team|marketing|communications|comms|foundation|"
    r"donate|giving|volunteer|feedback|patient\.?relations|billing|security|privacy|compliance|biomed|"
    r"recruit\w*|hr|it|helpdesk|servicedesk|archives?|records|quality|safety|pharmacy|clinic|enquiries|"
    r"inquiries|questions|education|research|wellness|wellbeing|community|outreach|talent|people)@|"
    # one plain word at an organisation's own domain: "centenary@elmbrookhealth.org", "staffwellbeing@…nhs.uk"
    r"^[a-z]+@(?:[\w-]+\.)*[\w-]*(?:health|hospital|clinic|medical|medicine|nhs|trust|univ\w*)[\w-]*\.|"
    r"^[a-z.]*(?:clinic|jobs|careers|recruit|residency|rehab|office|dept|program|services|hospital|centre|center|"
    r"pharmacy|admin|referrals?|bookings?|education|cpr)[a-z.]*@|"
    r"(?:^|[/.])(?:cdc\.gov|nih\.gov|who\.int|fda\.gov|cms\.gov|hhs\.gov|medlineplus\.gov|mayoclinic\.org|"
    r"clevelandclinic\.org|heart\.org|cancer\.org|diabetes\.org|nejm\.org|jamanetwork\.com|thelancet\.com|"
    r"bmj\.com|pubmed|ncbi\.nlm|doi\.org|youtube\.com/watch|bit\.ly|linktr\.ee)",
    re.IGNORECASE,
)


_EVENT = re.compile(
    r"\b(?:cme|credits?|registration|register|rsvp|tickets?|conference|grand\s+rounds|lecture|webinar|workshop|"
    r"seminar|symposium|class(?:es)?|course|applications?|apply|deadline|sim(?:ulation)?\s+lab|staff\s+lounge|"
    r"brunch|potluck|luncheon|breakfast|gala|fundraiser|open\s+house|job\s+fair|career\s+fair|health\s+fair|"
    r"blood\s+drive|flu\s+clinic|town\s+hall|meeting|journal\s+club|info\s+session|orientation|walk|5k|fun\s+run|"
    r"race|marathon|reunion|picnic|ceremony|vigil|screening\s+day|awareness\s+(?:day|week|month)|summit|forum|"
    r"convention|congress|expo|retreat|recap|opens?|opening|launch(?:es|ed|ing)?|ribbon|posters?|abstracts?|"
    r"study\s+day|in-?service|education\s+cent(?:re|er)|training\s+day)\b",
    re.IGNORECASE,
)
EVENT_KINDS = frozenset({"date", "location"})
# "Lakemont Regional Hospital, 415 Shoreline Drive", "located at 880 Meridian Street", "moved to 61 Quay Street":
# the address of a hospital, clinic, station or office
_INSTITUTION_PLACE_BEFORE = re.compile(
    r"(?:\b(?:hospital|health|clinic|cent(?:er|re)|building|station|campus|plaza|pavilion|medical|office|offices|"
    r"practice|pharmacy|department|programme|program|recruitment|institute|foundation)\b[,\s]*"
    r"|\b(?:located|location|campus|opens?|opening|moved|moving|relocat\w+|new\s+home|visit\s+us|find\s+us|"
    r"based|headquartered|mail\s+(?:it|them|to))\b[^.!?\n]{0,30})$",
    re.IGNORECASE,
)
_SOMEONE = re.compile(
    r"\b(?:he|she|him|her|his|patient" + NOT_A_PATIENT_AFTER + r"|pt|born|birth|admitted|discharged|surgery"
    r"|diagnos\w+|died|dob)\b",
    re.IGNORECASE,
)


# A date is someone's when someone in particular, or what happened to them, is in its sentence or the one before
_SOMEONE_NEAR = re.compile(
    SPECIFIC_PERSON.pattern + r"|\b(?:twins|triplets|deliver\w*|went\s+home|code|came\s+to\s+us|crash|accident"
    r"|(?:our|my)\s+(?:\w+\s+)?(?:patients|babies|kids|preemies|little\s+ones)"
    r"|collision|fell|shot|stabbed|overdosed?|went\s+into|(?-i:[A-Z][a-z]+\s+[A-Z][a-z]+)\s+(?:went|came|was|died|passed))\b",
    re.IGNORECASE,
)


# "our volunteer office is on", "Book on", "call us at": an institution's number right before it, whatever
# person the sentence mentioned earlier
_INSTITUTION_JUST_BEFORE = re.compile(
    r"\b(?:office|offices|hotline|helpline|switchboard|front\s+desk|reception|department|dept|book|bookings?"
    r"|appointments?|call\s+us|reach\s+us|contact\s+us|text\s+us)(?:\s+(?:is|are|line))?\s*(?:on|at|:|-)?\s*(?:\(?\d{3}\)?[\s.-]*)?$",
    re.IGNORECASE,
)


# "… to schedule", "… for appointments": what a hospital's number is for
_INSTITUTION_AFTER = re.compile(
    r"\W{0,3}(?:to\s+(?:schedule|book|register|make|sign|rsvp|order|request|learn|donate|enrol|enroll|reserve)|"
    r"for\s+(?:appointments?|info|information|details|more|tickets|bookings?|scheduling|questions)"
    # "… is still the fax for the cardiology rooms"
    r"|(?:is|was)\s+(?:still\s+)?(?:the|their|our)\s+(?:fax|number|line|phone|main\s+line|switchboard)\s+(?:for|of|at))\b",
    re.IGNORECASE,
)


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
