"""Names of patients and relatives (PHI `name`): titles, "patient named …", family members,
and first/last-name lexicons near patient context. Physicians naming themselves or colleagues
("Dr. Patel and I") are not PHI.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from medshare_desktop.analysis.candidates import Candidate, add_candidate, doc_text, register_extensions
from medshare_desktop.analysis.patient_context import PATIENT_FIELDS, PATIENT_SERVICES, sentence_index, sentence_infos
from medshare_desktop.analysis.rule_files import cue, lower_set, named_lists, word_set, word_set_table, word_tuple
from medshare_desktop.core.models import RiskCategory, Severity

_T = "names"  # its tables in resources/rules/word_lists.toml and context_cues.toml (what each entry is for)
PATIENT_TITLES = word_set(_T, "patient_titles")
STAFF_TITLES = word_set(_T, "staff_titles")
STAFF_SUFFIXES = word_set(_T, "staff_suffixes")
COLLEAGUE_CUES = word_set(_T, "colleague_cues")
GREETING_CUES = word_set(_T, "greeting_cues")  # exclude a name only outside patient context
FAMILY_WORDS = word_set(_T, "family_words")
KIN_TITLES = word_set(_T, "kin_titles")
PATIENT_EPITHETS = word_set(_T, "patient_epithets")
ABOUT_SOMEONE = word_set_table(_T, "about_someone")  # "Prayers for Tavita", "an update on Big Lou"
ABOUT_VERBS = word_set(_T, "about_verbs")
ENCOUNTER_VERBS = word_set(_T, "encounter_verbs")
PLACE_PREPOSITIONS = word_set(_T, "place_prepositions")
QUOTES = frozenset({'"', "“", "”", "'"})
SUBJECTS = word_set(_T, "subjects")
RECORD_WORDS = word_set(_T, "record_words")
RECORD_VERBS = word_set(_T, "record_verbs")
FAMILY_GROUP_NOUNS = word_set(_T, "family_group_nouns")
MEMORIAL_CUES = word_set(_T, "memorial_cues")
ACTING_PERSON_BEFORE = word_set(_T, "acting_person_before")
# "patient safety officer Ana Diaz": "patient" starting a compound is a field or a service, not a person
PATIENT_NOUN_COMPOUNDS = frozenset([*PATIENT_FIELDS, *PATIENT_SERVICES, "and"])
HASHTAG_NAME = cue(_T, "hashtag_name", flags=0)
APPOSITIVE_PATIENT = word_set(_T, "appositive_patient")
POSSESSIVES = word_set(_T, "possessives")
SELF_CUES = word_set(_T, "self_cues")
NOT_NAMES = word_set(_T, "not_names")
NOT_NAME_ENDINGS = word_set(_T, "not_name_endings")  # "Lakeview Park", "Labor Day"


def _is_cap(token: Token) -> bool:
    text = token.text
    return (
        len(text) >= 2
        and text[0].isupper()
        and any(c.islower() for c in text)
        and all(c.isalpha() or c in "'-’" for c in text)
        and token.lower_ not in NOT_NAMES
    )


# things named by a letter, which look like "Given I." names ("Room B", "Plan B")
LETTERED_THINGS = NOT_NAME_ENDINGS | word_set(_T, "lettered_things")


def _is_initial(token: Token) -> bool:
    text = token.text
    return (len(text) == 2 and text[0].isupper() and text[1] == ".") or (
        len(text) == 1 and text.isupper() and text not in {"I", "A"}
    )


AGE_VERBS = frozenset({"was", "is", "turned", "turns"})
STAFF_ROLES = COLLEAGUE_CUES - APPOSITIVE_PATIENT  # not "resident": a care home's too


def _staff_appositive(doc: Doc, i: int, end: int) -> bool:
    """A name set beside a staff role: "The pharmacist, Mr. Venkatraman, rang", "the matron, Miss Edith Carr",
    "Meet Hazel, our 94-year-old knitting volunteer", "Mr Obuya from the estates team". (Called for every
    capitalised word: it looks at as few tokens as it can.)"""
    n = len(doc)
    title = 1 if i > 0 and doc[i - 1].lower_ in PATIENT_TITLES else 0
    before = i - title - 1  # the token before the name and its title
    if before >= 1 and doc[before].text == "," and doc[before - 1].lower_ in STAFF_ROLES:
        return True
    if end + 2 >= n:
        return False
    nxt = doc[end].lower_
    if nxt == "from":
        return doc[end + 1].lower_ == "the" and "team" in {doc[k].lower_ for k in range(end + 2, min(n, end + 4))}
    if nxt != "," or doc[end + 1].lower_ not in {"our", "my", "the"}:
        return False
    # the appositive's head noun, its last word before punctuation, an emoji or a line break: "our 94-year-old
    # knitting volunteer 🧶" is a volunteer, "our 8-year-old burn patient" a patient
    head = ""
    for k in range(end + 2, min(n, end + 10)):
        token = doc[k]
        if token.is_alpha:
            head = token.lower_
        elif not (token.text == "-" or token.like_num):
            break
    return head in STAFF_ROLES


def _age_follows(doc: Doc, end: int) -> str | None:
    """After a name: "(62)" ("brackets") or "was 41." ("predicate": a number from 1 to 110 ending the clause)."""
    def age(k: int) -> bool:
        return k < len(doc) and doc[k].text.isdigit() and 0 < int(doc[k].text) <= 110

    if end + 2 < len(doc) and doc[end].text == "(" and age(end + 1) and doc[end + 2].text == ")":
        return "brackets"
    after = end + 2
    if end + 1 < len(doc) and doc[end].lower_ in AGE_VERBS and age(end + 1):
        if after >= len(doc) or doc[after].text in {".", ",", ";", "!"} or doc[after].is_space:
            return "predicate"
    return None


def _is_emoji(token: Token) -> bool:
    return not (token.is_alpha or token.is_punct or token.like_num or token.is_space)


# Rules that take a capitalised word for a name from its position alone (or a first-name lexicon that
# holds ordinary words too); a word the post also writes in lower case is not taken for a name
GUESSED_RULES = frozenset(
    {"phi.name.lexicon_first", "phi.name.addressed", "phi.name.epithet", "phi.name.acting_person", "phi.name.appositive",
     "phi.name.age_after"}
)

# The weakest of those: a name they find is not looked for elsewhere in the post
WEAK_RULES = frozenset({"phi.name.lexicon_first", "phi.name.addressed", "phi.name.acting_person"})

PERSON_VERBS = word_set(_T, "person_verbs")


class NameComponent:
    """Finds names token by token, then in hashtags, then marks every other mention of a name it found
    ("Prayers for Tavita … #TeamTavita … Tavita's little sisters")."""

    def __init__(self) -> None:
        self.first = lower_set("first_names")
        self.last = lower_set("surnames")
        self.ambiguous = lower_set("name_like_words")
        self.things = frozenset(named_lists()["named_things"])

    def _extend(self, doc: Doc, i: int) -> int:
        """End (exclusive) of a name starting at token i: the token plus up to two surname/initial tokens."""
        end = i + 1
        # James "Jimmy" Kowalski: a quoted nickname between the given name and the surname
        if (
            end + 3 < len(doc)
            and doc[end].text in QUOTES
            and _is_cap(doc[end + 1])
            and doc[end + 2].text in QUOTES
            and _is_cap(doc[end + 3])
        ):
            return end + 4
        while end < len(doc) and end - i < 3 and (_is_cap(doc[end]) or _is_initial(doc[end])):
            if _is_cap(doc[end]) and doc[end].lower_ in self.first and doc[end].lower_ not in self.last:
                break
            end += 1
        return end

    @staticmethod
    def _after_patient_phrase(doc: Doc, i: int) -> bool:
        """'patient' (or 'pt') two to five tokens back, with only lower-case words or emoji between."""
        for k in range(i - 1, max(-1, i - 6), -1):
            token = doc[k]
            if token.lower_ in {"patient", "pt"}:
                return k < i - 1 and k + 1 < len(doc) and doc[k + 1].lower_ not in PATIENT_NOUN_COMPOUNDS
            if token.lower_ in PLACE_PREPOSITIONS or not (token.is_lower and token.is_alpha or _is_emoji(token)):
                return False  # "a patient in Linden Township" is a place
        return False

    @staticmethod
    def _someones_relative(doc: Doc, i: int) -> bool:
        """"her partner Dov", "Kezia's partner Dov": a family word owned by someone else, not a colleague."""
        return i > 1 and doc[i - 1].lower_ in FAMILY_WORDS and doc[i - 2].lower_ in POSSESSIVES

    def _excluded(self, doc: Doc, i: int, end: int, patient_context: bool = False) -> bool:
        if end - i > 1 and doc[end - 1].lower_ in NOT_NAME_ENDINGS:
            return True  # "Lakeview Park", "Labor Day", "Blue Moon"
        if end - i > 1 and _is_initial(doc[end - 1]) and doc[i].lower_ in LETTERED_THINGS:
            return True  # "Ballroom C", "Room B", "Vitamin D", "Plan B"
        prev = doc[i - 1].lower_ if i > 0 else ""
        if doc[i].lower_ == "eve" and prev in {"year", "year's", "years", "christmas", "hallows", "'s", "’s"}:
            return True  # "New Year's Eve", "Christmas Eve"
        if prev in STAFF_TITLES or prev in SELF_CUES or (i > 1 and doc[i - 2].lower_ == "my" and prev == "name"):
            return True
        window = {doc[k].lower_ for k in range(max(0, i - 3), i)}
        if window & COLLEAGUE_CUES and prev not in PATIENT_TITLES and not self._someones_relative(doc, i):
            return True
        if _staff_appositive(doc, i, end):
            return True
        if window & GREETING_CUES and not patient_context:
            return True
        nxt = [doc[k].lower_.strip(".,") for k in range(end, min(len(doc), end + 2))]
        if any(n in STAFF_SUFFIXES for n in nxt):
            return True
        # "Sarah and I", "Sarah & I": the author and a colleague
        return len(nxt) == 2 and nxt[0] in {"and", "&"} and doc[end + 1].text == "I"

    def __call__(self, doc: Doc) -> Doc:
        found: list[tuple[int, int, Severity]] = []  # character spans of the names found

        # words of names the post gives to staff ("Dr. Lopez") or to things ("a puppet named Colonel Biscuit")
        not_patients = _staff_names(doc) | _thing_names(doc, self.things)

        def add(start: int, end: int, rule: str, severity: Severity) -> None:
            if any(word in not_patients for word in doc_text(doc)[start:end].split()):
                return  # "Nurse Agnes Whitcombe" elsewhere in the post: Agnes is staff, not a patient
            _add_name(doc, start, end, rule, severity)
            if rule not in WEAK_RULES:  # only names found with some certainty are looked for again
                found.append((start, end, severity))

        self._tokens(doc, lambda span, rule, severity: add(span.start_char, span.end_char, rule, severity))
        self._hashtags(doc, add)
        self._repeats(doc, found)
        return doc

    def _hashtags(self, doc: Doc, add: Callable[[int, int, str, Severity], None]) -> None:
        text = doc_text(doc)
        infos = sentence_infos(doc)
        starts = [info.start for info in infos]
        for match in HASHTAG_NAME.finditer(text):
            group = "a" if match.group("a") else "b"
            name = match.group(group)
            if name.lower() in NOT_NAMES:
                continue
            if match.group("cue") in {"Team", "Go"}:  # #TeamNursing, #GoBlue: a name only next to a patient
                info = infos[sentence_index(infos, starts, match.start())]
                if not info.patient_window and name.lower() not in self.first:
                    continue
            add(*match.span(group), "phi.name.hashtag", Severity.HIGH)

    def _repeats(self, doc: Doc, found: list[tuple[int, int, Severity]]) -> None:
        """Every other mention of a one-word name already found (or of a found name's first word)."""
        if not found:
            return
        text = doc_text(doc)
        names: dict[str, Severity] = {}
        for start, end, severity in found:
            word = _given_word(text[start:end])
            if len(word) >= 3 and word[0].isupper() and word.lower() not in NOT_NAMES:
                names.setdefault(word, severity)
        if not names:
            return
        covered = [(start, end) for start, end, _ in found]
        alternatives = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
        mention = re.compile(rf"(?<![\w'’-])(?:{alternatives})(?![\w-])")
        for match in mention.finditer(text):
            start, end = match.span()
            if any(s <= start < e for s, e in covered):
                continue
            span = doc.char_span(start, end)
            if span is None or (span.start > 0 and doc[span.start - 1].lower_ in STAFF_TITLES):
                continue
            _add_name(doc, start, end, "phi.name.repeated", names[match.group()])

    def _tokens(self, doc: Doc, add_name: Callable[[Span, str, Severity], None]) -> None:
        infos = sentence_infos(doc)
        starts = [info.start for info in infos]
        lowercase_words: set[str] | None = None  # the post's lower-case words, computed when first needed
        i = 0
        n = len(doc)
        while i < n:
            token = doc[i]
            if token.lower_ in PATIENT_TITLES and i + 1 < n and _is_initial(doc[i + 1]):
                # "Mrs. P.": a patient's title and initial
                add_name(doc[i : i + 2], "phi.name.title_initial", Severity.MEDIUM)
                i += 2
                continue
            if _is_initial(token) and i + 1 < n and _is_cap(doc[i + 1]) and token.text != "I":
                # "J. Smith": an initial and a surname, near patient context or a known surname
                info = infos[sentence_index(infos, starts, token.idx)]
                prev = doc[i - 1].lower_ if i > 0 else ""
                if (info.near_patient or doc[i + 1].lower_ in self.last) and prev not in STAFF_TITLES:
                    severity = Severity.HIGH if info.near_patient else Severity.MEDIUM
                    add_name(doc[i : i + 2], "phi.name.initial_surname", severity)
                    i += 2
                    continue
            if not _is_cap(token) or (token.lower_ in KIN_TITLES and i + 1 < n and _is_cap(doc[i + 1])):
                i += 1  # a kinship title is judged with the name after it ("Grandma Lucía")
                continue
            end = self._extend(doc, i)
            info = infos[sentence_index(infos, starts, token.idx)]
            decision = self._classify(doc, i, end, info.near_patient, info.patient_window)
            if decision is not None and decision[0] in GUESSED_RULES and end - i == 1:
                if lowercase_words is None:
                    lowercase_words = {t.text for t in doc if t.is_lower}
                if token.lower_ in lowercase_words:
                    decision = None  # "Time", "Hope": the post also uses the word in lower case
            if decision is not None:
                rule, severity = decision
                begin = i - 1 if rule == "phi.name.kin_title" and doc[i - 1].text[:1].isupper() else i
                add_name(doc[begin:end], rule, severity)
            i = end

    def _classify(
        self, doc: Doc, i: int, end: int, patient_context: bool, patient_window: bool = False
    ) -> tuple[str, Severity] | None:
        prev = doc[i - 1].lower_ if i > 0 else ""
        if prev in PATIENT_TITLES:
            if _staff_appositive(doc, i, end):
                return None  # "the pharmacist, Mr. Venkatraman,": a title beside a staff role is staff's
            return "phi.name.title", Severity.HIGH if patient_context else Severity.MEDIUM
        if self._excluded(doc, i, end, patient_context):
            return None
        lower = doc[i].lower_
        multi = end - i > 1
        known_first = lower in self.first
        known_any = known_first or lower in self.last
        looks_name = known_any or multi
        prev2 = doc[i - 2].lower_ if i > 1 else ""
        # "Jenny, 7, rang the bell": a capitalised word followed by an age
        if end + 2 < len(doc) and doc[end].text == "," and doc[end + 1].like_num and doc[end + 2].text in {",", ")"}:
            age = doc[end + 1].text
            if looks_name or patient_context or (age.isdigit() and 0 < int(age) <= 120):
                return "phi.name.with_age", Severity.HIGH
        # "DeShawn was 41.", "our patient Gerrit (62)": a capitalised word with an age as its predicate, or in
        # brackets where a sentence's first word is not ("Table (3) shows…": a known name only)
        if (patient_context or patient_window) and (age := _age_follows(doc, end)):
            if age == "predicate" or looks_name or not (i == 0 or doc[i].is_sent_start):
                return "phi.name.age_after", Severity.HIGH
        # "Ethan, age 6, wants…"
        if end + 3 < len(doc) and doc[end].text == "," and doc[end + 1].lower_ == "age" and doc[end + 2].like_num:
            return "phi.name.with_age", Severity.HIGH
        # "Remembering Harold, who…", "Rest in peace, Tony": someone who died, named in a post
        window = [doc[k].lower_ for k in range(max(0, i - 4), i)]
        if not MEMORIAL_CUES.isdisjoint(window) or ("memory" in window and "of" in window):
            return "phi.name.memorial", Severity.HIGH if patient_context else Severity.MEDIUM
        # "Jaylen, our 8-year-old burn patient": a name with an appositive that makes it a patient
        if end + 2 < len(doc) and doc[end].text == "," and doc[end + 1].lower_ in {"our", "my", "a", "an", "the"}:
            following = {doc[k].lower_ for k in range(end + 2, min(len(doc), end + 8))}
            if following & APPOSITIVE_PATIENT and not following & COLLEAGUE_CUES:
                return "phi.name.appositive", Severity.HIGH
        # "Brianna's mom never left her side": a name whose family is spoken of
        if end + 1 < len(doc) and doc[end].text in {"'s", "’s"} and doc[end + 1].lower_ in FAMILY_WORDS:
            return "phi.name.family_of", Severity.HIGH if patient_context else Severity.MEDIUM
        # "the Okafor family", "the Hendersons": a family's surname (families are named mostly as patients' kin)
        nxt_lower = doc[end].lower_ if end < len(doc) else ""
        if prev == "the" and not multi and (
            nxt_lower in FAMILY_GROUP_NOUNS
            or (lower.endswith("s") and (lower[:-1] in self.last or lower[:-2] in self.last))
        ):
            return "phi.name.family_surname", Severity.HIGH if patient_context else Severity.MEDIUM
        # "patient named X", "a man called X", "pt X"
        if prev in {"named", "called"} or (prev == "is" and prev2 == "name") or (prev == "name" and prev2 not in {"my", "our"}):
            return "phi.name.named", Severity.HIGH
        if (prev in {"patient", "pt"} or (prev == "," and prev2 in {"patient", "pt"})) and looks_name:
            return "phi.name.patient_word", Severity.HIGH
        # "A former patient of ours, Hamid, …": a name in apposition to a patient
        if prev == "," and {doc[k].lower_ for k in range(max(0, i - 5), i - 1)} & {"patient", "pt"}:
            if end < len(doc) and doc[end].text in {",", "("} and lower not in self.ambiguous:
                return "phi.name.patient_word", Severity.HIGH
        # "his wife Maria", "her son, Jake", "her daughter Maricela" (any capitalised word after "her daughter")
        family_at = i - 2 if prev == "," else i - 1
        if family_at >= 0 and doc[family_at].lower_ in FAMILY_WORDS:
            owner = doc[family_at - 1].lower_ if family_at > 0 else ""
            if owner in POSSESSIVES or (looks_name and patient_context and owner != "my"):
                return "phi.name.family", Severity.HIGH
        # "Grandma Lucía", "Auntie Leilani", "baby Theo": a kinship title before a name (not the author's own)
        if prev in KIN_TITLES and prev2 not in {"my", "our"} and (patient_context or looks_name):
            return "phi.name.kin_title", Severity.HIGH if patient_context else Severity.MEDIUM
        # "we admitted Dalia", "I delivered Rosalind": a clinical act done to the person named
        if prev in ENCOUNTER_VERBS and prev2 in SUBJECTS and (looks_name or patient_context) and lower not in self.ambiguous:
            return "phi.name.encounter", Severity.HIGH
        # "Her ID says Renata Gomes", "the wristband read BARTOSZ": a name read off a patient's record
        if prev in RECORD_VERBS and prev2 in RECORD_WORDS and (looks_name or patient_context):
            return "phi.name.record", Severity.HIGH
        # "my former patient turned marathoner Chris Delaney": a patient phrase running into a name
        if looks_name and lower not in self.ambiguous and self._after_patient_phrase(doc, i):
            return "phi.name.patient_word", Severity.HIGH
        # "Prayers for Tavita", "an update on Big Lou", "Remember Jonah?"
        if (prev in ABOUT_SOMEONE and prev2 in ABOUT_SOMEONE[prev]) or (prev in ABOUT_VERBS and patient_context):
            return "phi.name.about", Severity.HIGH if patient_context else Severity.MEDIUM
        if not patient_context:
            return None
        sentence_initial = i == 0 or doc[i].is_sent_start or doc[i - 1].text in {"\n", ".", "!", "?", ":", '"'}
        if multi and (known_first or doc[i + 1].lower_ in self.last or _is_initial(doc[end - 1])):
            if (
                known_first
                and lower in self.ambiguous
                and not (doc[i + 1].lower_ in self.last or _is_initial(doc[end - 1]))
            ):
                return None
            return "phi.name.lexicon_full", Severity.HIGH
        nxt = doc[end] if end < len(doc) else None
        # "our little warrior Kaia", "my patient Amir", "sweet Pua": an epithet for a patient before a name
        if not sentence_initial and prev in PATIENT_EPITHETS and doc[i - 1].is_lower and lower not in self.ambiguous:
            return "phi.name.epithet", Severity.HIGH
        # "I'm so proud of you, Hamid.": a person addressed by name at the end of a sentence about a patient
        if (
            not multi
            and prev == ","
            and (nxt is None or nxt.text in {".", "!", "?", "!!"} or nxt.is_space or _is_emoji(nxt))
            and lower not in self.ambiguous
            and prev2 not in GREETING_CUES
        ):
            return "phi.name.addressed", Severity.MEDIUM
        # An unknown capitalised word mid-sentence acting as a person in a patient sentence:
        # "my patient Amir's art show", "baby Theo went home", "pray for Benji, he ..."
        if (
            not sentence_initial
            and not multi
            and lower not in self.ambiguous
            and nxt is not None
            and (nxt.text in {"'s", "’s"} or nxt.lower_ in PERSON_VERBS)
            and prev in ACTING_PERSON_BEFORE
        ):
            return "phi.name.acting_person", Severity.MEDIUM
        if known_first and lower not in self.ambiguous:
            if not sentence_initial or (nxt is not None and (nxt.is_lower or nxt.text in {",", "'s", "’s"})):
                return "phi.name.lexicon_first", Severity.MEDIUM
        return None


_NAME_WORDS = r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2}"
# "Dr. Lopez", "Nurse Agnes Whitcombe" / "Dolores Kuznetsova, RN": a name given with a staff title or suffix
_STAFF_TITLED = re.compile(
    rf"\b(?:{'|'.join(word_tuple(_T, 'staff_name_titles'))})\.?\s+(?P<n>{_NAME_WORDS})"
)
_STAFF_SUFFIXED = re.compile(
    rf"(?P<n>{_NAME_WORDS}),\s+(?:{'|'.join(sorted((w.upper().rstrip('.') for w in word_tuple(_T, 'staff_suffixes')), key=len, reverse=True))})\b"
)


def _staff_names(doc: Doc) -> set[str]:
    """Words of names the post gives with a staff title or suffix ("Dr. Lopez", "Nurse Agnes Whitcombe",
    "Dolores Kuznetsova, RN") or beside a staff role ("Hazel, our volunteer"): the same words elsewhere in the
    post name staff, not patients."""
    text = doc_text(doc)
    names: set[str] = set()
    for pattern in (_STAFF_TITLED, _STAFF_SUFFIXED):
        for match in pattern.finditer(text):
            names.update(match.group("n").split())
    # "Meet Hazel, our knitting volunteer": Hazel further on is her too. Only where an appositive can be (a comma
    # or "from" right after the word, or a comma one or two tokens before it), found on the token ids at once
    orth = doc.to_array(ORTH)
    comma, from_ = doc.vocab.strings.add(","), doc.vocab.strings.add("from")
    after = np.isin(np.roll(orth, -1), (comma, from_))
    after[-1:] = False
    one_before, two_before = np.roll(orth, 1) == comma, np.roll(orth, 2) == comma
    one_before[:1], two_before[:2] = False, False  # no wrapping round from the end
    before = one_before | two_before
    for i in np.flatnonzero(after | before).tolist():
        if _is_cap(doc[i]) and _staff_appositive(doc, i, i + 1):
            names.add(doc[i].text)
    return names


_NAMING_WORDS = word_tuple(_T, "naming_words")
_NAMED = re.compile(rf"\b(?:nick)?(?:{'|'.join(_NAMING_WORDS)})\s+(?P<n>{_NAME_WORDS})")  # "nicknamed" too
_THING_BEFORE = cue(_T, "thing_before")


def _thing_names(doc: Doc, things: frozenset[str]) -> set[str]:
    """Words of names the post gives to an animal, a toy, a machine or a place ("a puppet named Colonel
    Biscuit", "the dog is called Captain"): the same words elsewhere in the post are not a person."""
    names: set[str] = set()
    text = doc_text(doc)
    lower = text.lower()
    if not any(word in lower for word in _NAMING_WORDS):
        return names
    for match in _NAMED.finditer(text):
        before = _THING_BEFORE.search(text, max(0, match.start() - 80), match.start())
        if before is not None and before.group("thing").lower() in things:
            names.update(match.group("n").split())
    return names


def _given_word(name: str) -> str:
    """The word a person is called by later in the post: "Grandma Lucía" -> "Lucía", "Mrs. Okafor" ->
    "Okafor", "Kaia Brooks" -> "Kaia"."""
    words = name.split()
    return words[-1] if words[0].lower().strip(".") in PATIENT_TITLES | KIN_TITLES else words[0]


def _add_name(doc: Doc, start: int, end: int, rule: str, severity: Severity) -> None:
    add_candidate(doc, Candidate(start, end, RiskCategory.PHI, "name", rule, severity, 65))


@Language.factory("medshare_names")
def make_names(nlp: Language, name: str) -> NameComponent:
    register_extensions()
    return NameComponent()
