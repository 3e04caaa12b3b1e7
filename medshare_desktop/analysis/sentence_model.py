"""Our own trained sentence classifier (spaCy `textcat`, bag of words) as an extra signal.

The model lives in `resources/models/sentence_risk/` (trained by `train_sentence_model.py` from
`resources/training/*.jsonl`, which were written apart from both evaluation sets). Each sentence gets
one label: a risk (story, discoverable, unprofessional, advice) or "none"; a risk
label whose probability reaches its threshold (`thresholds.json` beside the model) becomes a
candidate. Without the model folder the engine runs on its rules alone.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from medshare_desktop.analysis import negation
from medshare_desktop.analysis.candidates import (
    MODEL_RULE_PREFIX,
    SENTENCE_CATS_ATTR,
    Candidate,
    add_candidate,
    candidates_of,
    doc_text,
    register_extensions,
    set_aside_in,
    trimmed,
)
from medshare_desktop.analysis.explanations import default_severity
from medshare_desktop.analysis.patient_context import sentence_infos
from medshare_desktop.analysis.rule_files import toml_file
from medshare_desktop.analysis.sentence_encoder import SentenceEncoder
from medshare_desktop.analysis.sentence_head import CLASS_LABEL, SentenceHead, is_head_dir, shipped_head_dir
from medshare_desktop.analysis.sentence_head import LABELS as HEAD_LABELS
from medshare_desktop.analysis.taught_index import Match, TaughtIndex
from medshare_desktop.core.models import RiskCategory
from medshare_desktop.paths import resource_path

log = logging.getLogger(__name__)

MODEL_NAME = "sentence_risk"
# label -> (category, kind) of the finding it gives
LABELS: dict[str, tuple[RiskCategory, str]] = {
    "story": (RiskCategory.PATIENT_STORY, "encounter"),
    "discoverable": (RiskCategory.DISCOVERABLE, "possible_admission"),
    "unprofessional": (RiskCategory.UNPROFESSIONAL, "tone"),
    "advice": (RiskCategory.MEDICAL_ADVICE, "to_one_person"),
}
# The training sentences keep finer labels; the model learns their category (about 125 sentences
# per kind were too few to tell fatigue from staffing reliably). A rule that fires on the same
# sentence supplies the specific kind (merge.py prefers it).
TRAINING_LABELS = {"fatigue": "discoverable", "error": "discoverable", "staffing": "discoverable", "safety": "discoverable"}
NONE_LABEL = "none"
DEFAULT_THRESHOLD = 0.8
NO_VETO = 1.01  # above any probability
MIN_CHARS = 12  # shorter fragments ("lol", "#ICU") carry too little to classify
# cascade defaults (the shipped head.json may set its own): a sentence whose likeliest risk label the
# textcat gives a probability in [GATE_LOW, GATE_HIGH) is also read by the encoder
GATE_LOW = 0.4  # as chosen on dev 3 by tests/benchmarks/choose_cascade.py (the shipped head.json says so too)
GATE_HIGH = 0.95
FUSION_WEIGHT = 0.3  # share of the learned head in the mixed probabilities
GATE_FILE = "encoder_gate.toml"


def model_dir() -> Path:
    return resource_path("models", MODEL_NAME)


def classifier_text(text: str) -> str:
    """What the classifier sees, in training and in use: lower case, whitespace collapsed."""
    return " ".join(text.lower().split())


def _vetoable(rule: str) -> bool:
    """Sentence-level cue rules of the narrative categories ("story.sentence.…", "disc.sentence.…")."""
    parts = rule.split(".")
    return len(parts) > 2 and parts[1] == "sentence" and parts[0] in {"story", "disc", "unprof"}


class SentenceModelComponent:
    """The cascade: the bag-of-words textcat scores every sentence (cheap); a sentence where it is unsure
    (its likeliest risk label between the head's `gate.low` and `gate.high`) or that holds a cue of
    `rules/encoder_gate.toml` (fatigue words next to duty words) is also read by the sentence encoder,
    and the head's probabilities, mixed with the textcat's (`fusion_weight`), decide it instead."""

    def __init__(self, folder: Path, head_folder: Path | None = None, encoder: SentenceEncoder | None = None) -> None:
        self.model: Language | None = None
        self.thresholds: dict[str, float] = {}
        # the model is this sure a sentence is harmless ("none" in thresholds.json): the broad sentence-cue
        # rules' findings there are dropped
        self.veto = NO_VETO
        if (folder / "config.cfg").is_file():
            self.model = spacy.load(folder)
            thresholds = folder / "thresholds.json"
            if thresholds.is_file():
                self.thresholds = {k: float(v) for k, v in json.loads(thresholds.read_text("utf-8")).items()}
                self.veto = self.thresholds.pop(NONE_LABEL, NO_VETO)
            log.info("sentence classifier loaded from %s", folder)
        else:
            log.info("no sentence classifier at %s: rules only", folder)
        self.encoder = encoder if encoder is not None else SentenceEncoder()
        self._gates = load_gates()
        self._post_read = load_post_read()
        self._head: _Head | None = None
        self._head_lock = threading.Lock()
        # the shipped head's thresholds are tuned with the shipped textcat: another textcat (tests, out-of-fold
        # threshold choice) runs alone unless a head is named
        if head_folder is not None or folder.resolve() == model_dir().resolve():
            self.set_head(head_folder)
        # counters for the benchmark: sentences scored, and how many reached the encoder
        self.scored = 0
        self.encoded = 0

    # ------------------------------------------------------------------ the learned head
    def set_head(self, folder: Path | None) -> None:
        """Use the head in `folder` (a team's retrained head), or the shipped one for None. Loaded here,
        swapped in one assignment: a call already running finishes with the head it started with."""
        folder = folder if folder is not None else shipped_head_dir()
        head = None
        if self.model is not None and self.encoder.available() and is_head_dir(folder):
            try:
                head = _Head(SentenceHead.load(folder), TaughtIndex.load(folder))
            except (OSError, ValueError, KeyError):
                log.exception("sentence head at %s could not be loaded: textcat alone", folder)
        elif not is_head_dir(folder):
            log.info("no sentence head at %s: textcat alone", folder)
        if head is not None and not self.encoder.load():
            head = None  # the encoder could not be loaded (logged): textcat alone
        with self._head_lock:
            self._head = head

    def textcat_only(self) -> None:
        """Switch the encoder stage off (benchmarks and before/after comparisons); `set_head` switches it on."""
        with self._head_lock:
            self._head = None

    @property
    def head(self) -> SentenceHead | None:
        current = self._head
        return current.head if current is not None else None

    def _gated(self, head: _Head, lower: str, risk_probability: float) -> tuple[bool, tuple[str, ...]]:
        """(reaches the encoder, classes of the cue gates it matched)."""
        matched = tuple(gate.cls for gate in self._gates if gate.matches(lower))
        return bool(matched) or head.gate_low <= risk_probability < head.gate_high, tuple(c for c in matched if c)

    # ------------------------------------------------------------------ per doc
    def sentence_cats(self, doc: Doc, bounds: list[tuple[int, int]]) -> list[dict[str, float] | None]:
        """The textcat's probabilities for each sentence (start, end) of at least MIN_CHARS (None for shorter
        ones, or without a model). `medshare_context` asks first, for its patient-story signal; they are kept
        on the Doc, and __call__ reuses them."""
        if self.model is None:
            return [None] * len(bounds)
        text = doc_text(doc)
        cache: dict[tuple[int, int], dict[str, float]] = doc._.get(SENTENCE_CATS_ATTR) or {}
        todo = [b for b in bounds if b not in cache and len(text[b[0] : b[1]].strip()) >= MIN_CHARS]
        if todo:
            for bound, scored in zip(todo, self.model.pipe([classifier_text(text[a:b]) for a, b in todo]), strict=True):
                cache[bound] = scored.cats
            doc._.set(SENTENCE_CATS_ATTR, cache)
        return [cache.get(b) for b in bounds]

    def __call__(self, doc: Doc) -> Doc:
        if self.model is None:
            return doc
        text = doc_text(doc)
        chosen = [
            info for info in sentence_infos(doc) if len(text[info.start : info.end].strip()) >= MIN_CHARS
        ]
        if not chosen:
            return doc
        texts = [classifier_text(text[info.start : info.end]) for info in chosen]
        scored = [cats for cats in self.sentence_cats(doc, [(info.start, info.end) for info in chosen]) if cats is not None]
        assert len(scored) == len(chosen)  # every chosen sentence has MIN_CHARS, so every one is scored
        decisions: list[tuple[str, float]] = []
        for cats in scored:
            label, probability = max(cats.items(), key=lambda item: item[1])
            decisions.append((label, probability))
        head = self._head
        self.scored += len(chosen)
        if head is not None:
            gated: list[int] = []
            cue_classes: list[tuple[str, ...]] = []
            # a team head's taught sentences: a resembling sentence reaches the encoder even where the
            # textcat is sure (None for each sentence gated the ordinary way only)
            resembles: list[Match | None] = []
            ordinary: list[bool] = []
            own: list[tuple[str, float]] = []
            found = _rule_found(doc, chosen) if head.skip_when_rule or head.second_look else [frozenset()] * len(chosen)
            for i, (t, cats) in enumerate(zip(texts, scored, strict=True)):
                if found[i] and head.skip_when_rule:
                    continue  # a rule already found a story, admission, tone or advice here: the cheap stage is sure
                risk = max(cats.get(label, 0.0) for label in LABELS)
                if head.skip_when_flagged and risk >= self.thresholds.get(
                    max(LABELS, key=lambda label: cats.get(label, 0.0)), DEFAULT_THRESHOLD
                ):
                    continue  # the textcat flags it on its own
                reaches, classes = self._gated(head, t, risk)
                match = head.taught.match(t) if head.taught is not None else None
                label, probability = decisions[i]
                finding = label in LABELS and probability >= self.thresholds.get(label, DEFAULT_THRESHOLD)
                if match is not None and not reaches and finding != (match.labels == {NONE_LABEL}):
                    # only a textcat finding resembling sentences taught harmless, or a sentence it passes that
                    # resembles a taught risk, can be decided otherwise: the rest costs no encoder run
                    match = None
                if reaches or match is not None:
                    gated.append(i)
                    # a conditional or hypothetical ("if you've been awake for twenty hours, ask…") is no admission
                    cue_classes.append(() if chosen[i].hypothetical else classes)
                    resembles.append(match)
                    ordinary.append(reaches)
                    # the textcat's own decision, as a finding or not (a risk label under its threshold is none)
                    own.append(decisions[i] if finding or label == NONE_LABEL else (NONE_LABEL, cats.get(NONE_LABEL, 0.0)))
            if head.second_look:
                self._second_look(doc, text, chosen, texts, scored, found, head)
            if gated:
                self.encoded += len(gated)
                chosen_texts = [texts[i] for i in gated]
                if head.taught is None:
                    new = head.decide(chosen_texts, [scored[i] for i in gated], cue_classes, self.encoder)
                else:
                    new = head.decide(
                        chosen_texts, [scored[i] for i in gated], cue_classes, self.encoder,
                        resembles, ordinary, own,
                    )
                for i, decision in zip(gated, new, strict=True):
                    decisions[i] = decision
        vetoed: list[tuple[int, int]] = []
        for info, (label, probability) in zip(chosen, decisions, strict=True):
            if label == NONE_LABEL and probability >= self.veto:
                vetoed.append((info.start, info.end))
            if label == NONE_LABEL or label not in LABELS:
                continue
            if probability < self.thresholds.get(label, DEFAULT_THRESHOLD):
                continue
            category, kind = LABELS[label]
            if info.hypothetical and category is RiskCategory.PATIENT_STORY:
                continue  # "imagine a 45-year-old who…": a teaching case
            if info.education and category is RiskCategory.MEDICAL_ADVICE:
                continue  # "talk to your doctor"-style general education
            start, end = trimmed(text, info.start, info.end)
            if category is RiskCategory.UNPROFESSIONAL and negation.is_quoted_example(
                text, start + 1 if text[start : start + 1] in negation.OPEN_QUOTES else start
            ):
                continue  # an example of what not to post, quoted
            _add_model_finding(doc, start, end, category, kind, f"sentence.{label}")
        if head is not None and head.post_thresholds and self._post_read is not None:
            self._read_post(doc, text, chosen, texts, head, self._post_read)
        if vetoed:
            _drop_vetoed(doc, vetoed)
        return doc

    def _second_look(
        self, doc: Doc, text: str, chosen: list, texts: list[str], scored: list[dict[str, float]],
        found: list[frozenset[RiskCategory]], head: _Head,
    ) -> None:
        """A sentence can say two things: "While I was sorting him, I gave the booster to the wrong man" is a
        patient story (a rule finds it, so the encoder never reads it) and an admitted error. Where a rule found
        another narrative category but not this label's, and the textcat gives the label at least its `floor`,
        the encoder reads the sentence and the mix (head and textcat) flags the label at its `threshold`
        (head.json `gate.second_look`; rule `model.second.<label>`). Not in a hypothetical or teaching sentence."""
        looks = [
            (i, label)
            for i, info in enumerate(chosen)
            if found[i] and not info.hypothetical and not info.education
            for label, (floor, _threshold) in head.second_look.items()
            if LABELS[label][0] not in found[i] and scored[i].get(label, 0.0) >= floor
        ]
        if not looks:
            return
        wanted = sorted({i for i, _label in looks})
        try:
            vectors = self.encoder.encode([texts[i] for i in wanted])
        except RuntimeError:
            return
        self.encoded += len(wanted)
        alone = head.head.to_labels(head.head.class_probabilities(vectors))
        row = {i: n for n, i in enumerate(wanted)}
        for i, label in looks:
            column = HEAD_LABELS.index(label)
            mixed = head.fusion * alone[row[i], column] + (1.0 - head.fusion) * scored[i].get(label, 0.0)
            if mixed < head.second_look[label][1]:
                continue
            category, kind = LABELS[label]
            start, end = trimmed(text, chosen[i].start, chosen[i].end)
            _add_model_finding(doc, start, end, category, kind, f"second.{label}")

    def _read_post(self, doc: Doc, text: str, chosen: list, texts: list[str], head: _Head, settings: PostRead) -> None:
        """A short post is also read whole by the encoder: "Hour 20. Bed 9 wants a chat and I'm nodding along." says
        it is tired on duty only across its sentences, which no sentence says alone. A class of the head alone at
        its `post_thresholds` (head.json) flags the post, unless a finding of that category is already there, a
        term of that category was set aside by a rule ("we should never call patients drug seekers": a mention),
        a sentence is hypothetical or teaching, the class's cue (`[post_read.cues]`) is missing, or the post
        resembles only posts the team taught harmless (a team head's `taught.npz`)."""
        if len(chosen) > settings.max_sentences or any(info.hypothetical or info.education for info in chosen):
            return
        joined = " ".join(texts)
        start, end = trimmed(text, chosen[0].start, chosen[-1].end)
        found = {c.category for c in candidates_of(doc) if c.start < end and start < c.end}
        found |= set_aside_in(doc, start, end)  # a term the rules judged a mention or denial is not flagged whole
        wanted = []
        for name, threshold in head.post_thresholds.items():
            if name not in head.head.classes:
                continue
            category, kind = POST_FINDINGS.get(name, LABELS.get(CLASS_LABEL.get(name, name), (None, "")))
            cue = settings.cues.get(name)
            if category is None or category in found or (cue is not None and not cue.search(joined)):
                continue
            wanted.append((name, threshold, category, kind))
        if not wanted:
            return
        if head.taught is not None:
            match = head.taught.match(joined)
            if match is not None and match.labels == {NONE_LABEL}:
                return  # the team called a post like this a false positive: its decision beats the head's reading
        try:
            fine = head.head.class_probabilities(self.encoder.encode([joined]))[0]
        except RuntimeError:
            return
        self.encoded += 1
        for name, threshold, category, kind in wanted:
            if fine[head.head.classes.index(name)] >= threshold:
                _add_model_finding(doc, start, end, category, kind, f"post.{name}")


class _Head:
    """A loaded head with its cascade settings (from head.json) and, for a team head, what it was taught."""

    def __init__(self, head: SentenceHead, taught: TaughtIndex | None = None) -> None:
        self.head = head
        self.taught = taught if taught is not None and len(taught) else None
        gate = head.meta.get("gate", {}) if isinstance(head.meta.get("gate"), dict) else {}
        self.gate_low = float(gate.get("low", GATE_LOW))
        self.gate_high = float(gate.get("high", GATE_HIGH))
        self.fusion = float(head.meta.get("fusion_weight", FUSION_WEIGHT))
        self.class_thresholds = {str(k): float(v) for k, v in gate.get("class_thresholds", {}).items()}
        # classes that flag a short post read whole (see SentenceModelComponent._read_post)
        self.post_thresholds = {str(k): float(v) for k, v in gate.get("post_thresholds", {}).items()}
        self.skip_when_rule = bool(gate.get("skip_when_rule", True))
        self.skip_when_flagged = bool(gate.get("skip_when_flagged", False))
        # labels looked for again in sentences where a rule found another category (see _second_look)
        self.second_look = {
            str(label): (float(values.get("floor", 0.0)), float(values["threshold"]))
            for label, values in gate.get("second_look", {}).items()
            if label in LABELS and isinstance(values, dict) and "threshold" in values
        }

    def decide(
        self, texts: list[str], cats: list[dict[str, float]], cue_classes: list[tuple[str, ...]], encoder: SentenceEncoder,
        resembles: list[Match | None] | None = None, ordinary: list[bool] | None = None,
        own: list[tuple[str, float]] | None = None,
    ) -> list[tuple[str, float]]:
        """(label, probability) per sentence, passing the head's thresholds: a risk label comes out with
        probability 1.0 (the textcat thresholds are not applied twice), "none" with its mixed probability.
        With `resembles` (a team head's taught sentences): a sentence that reached the encoder only because
        it resembles a taught one keeps its `own` (textcat) decision unless the taught override applies."""
        try:
            vectors = encoder.encode(texts)
        except RuntimeError:  # the encoder could not be loaded: the textcat's own decisions stand
            return [max(c.items(), key=lambda item: item[1]) for c in cats]
        fine = self.head.class_probabilities(vectors)
        bow = np.array([[c.get(label, 0.0) for label in HEAD_LABELS] for c in cats], dtype=np.float32)
        mixed = self.fusion * self.head.to_labels(fine) + (1.0 - self.fusion) * bow
        out = []
        for row, fine_row, classes, label in zip(mixed, fine, cue_classes, self.head.decide(mixed), strict=True):
            for name in classes:
                threshold = self.class_thresholds.get(name)
                if label == NONE_LABEL and threshold is not None and name in self.head.classes:
                    if fine_row[self.head.classes.index(name)] >= threshold:
                        label = CLASS_LABEL.get(name, name)
            out.append((label, 1.0) if label != NONE_LABEL else (NONE_LABEL, float(row[HEAD_LABELS.index(NONE_LABEL)])))
        if resembles is None or ordinary is None or own is None or self.taught is None:
            return out
        alone = self.head.to_labels(fine)  # the team head without the textcat
        settings = self.taught.settings
        for n, match in enumerate(resembles):
            decision = out[n] if ordinary[n] else own[n]
            if match is not None:
                taught_risks = [label for label in match.labels if label in LABELS]
                if taught_risks and decision[0] == NONE_LABEL:
                    best = max(taught_risks, key=lambda label: alone[n, HEAD_LABELS.index(label)])
                    if alone[n, HEAD_LABELS.index(best)] >= settings.flag:
                        decision = (best, 1.0)  # resembles a missed risk the team taught
                elif not taught_risks and decision[0] in LABELS:
                    if alone[n, HEAD_LABELS.index(NONE_LABEL)] >= settings.silence:
                        # resembles only sentences taught harmless: the model's own sentence finding goes; 0.0 so
                        # that no rule's finding in the sentence is dropped with it (see _drop_vetoed)
                        decision = (NONE_LABEL, 0.0)
            out[n] = decision
        return out


NARRATIVE = frozenset(category for category, _ in LABELS.values())


def _add_model_finding(doc: Doc, start: int, end: int, category: RiskCategory, kind: str, rule: str) -> None:
    """A finding of the sentence classifier (rule `model.<rule>`), at its category's usual severity."""
    add_candidate(doc, Candidate(start, end, category, kind, f"{MODEL_RULE_PREFIX}{rule}", default_severity(category, kind), 15))


def _rule_found(doc: Doc, infos: list) -> list[frozenset[RiskCategory]]:
    """Per sentence: the narrative categories (story, discoverable, unprofessional, advice) of the rules'
    candidates that lie in it (empty: no rule found one)."""
    spans = [
        (c.start, c.end, c.category)
        for c in candidates_of(doc)
        if c.category in NARRATIVE and not c.rule.startswith(MODEL_RULE_PREFIX)
    ]
    return [frozenset(category for start, end, category in spans if start < info.end and info.start < end) for info in infos]


@dataclass(frozen=True)
class Gate:
    """A cue gate of `rules/encoder_gate.toml`: every pattern must match the lower-cased sentence. With a
    `cls`, a matched sentence is also flagged when the head alone gives that class its threshold."""

    id: str
    patterns: tuple[re.Pattern[str], ...]
    cls: str = ""

    def matches(self, lower: str) -> bool:
        return all(p.search(lower) for p in self.patterns)


def _gate_rules() -> tuple[dict, dict[str, re.Pattern[str]]] | None:
    """`rules/encoder_gate.toml` and its compiled `[cues]` (read by the cue gates and the post read), or None."""
    try:
        data = toml_file(GATE_FILE)
    except FileNotFoundError:
        return None
    return data, {name: re.compile(pattern) for name, pattern in data.get("cues", {}).items()}


def load_gates() -> list[Gate]:
    rules = _gate_rules()
    if rules is None:
        return []
    data, cues = rules
    return [
        Gate(str(gate["id"]), tuple(cues[name] for name in gate["all"]), str(gate.get("class", "")))
        for gate in data.get("gate", ())
    ]


# the finding a class of the post read gives (the sentence labels give the others)
POST_FINDINGS: dict[str, tuple[RiskCategory, str]] = {"fatigue": (RiskCategory.DISCOVERABLE, "fatigue")}


@dataclass(frozen=True)
class PostRead:
    """`[post_read]` of `rules/encoder_gate.toml`: posts of at most `max_sentences` sentences are also read whole;
    `cues` maps a class to the cue group the post must match (a class not in it needs none)."""

    max_sentences: int
    cues: dict[str, re.Pattern[str]]


def load_post_read() -> PostRead | None:
    rules = _gate_rules()
    if rules is None or not rules[0].get("post_read"):
        return None
    data, cues = rules
    section = data["post_read"]
    return PostRead(
        int(section.get("max_sentences", 0)),
        {str(name): cues[group] for name, group in section.get("cues", {}).items() if group},
    )


def _drop_vetoed(doc: Doc, vetoed: list[tuple[int, int]]) -> None:
    """Sentence-wide cue-combination findings in a sentence the model is sure is harmless are dropped
    (the broad rules fire on words; the model reads the whole sentence). Specific patterns stay."""
    candidates = candidates_of(doc)
    candidates[:] = [
        c for c in candidates if not (_vetoable(c.rule) and any(s <= c.start and c.end <= e for s, e in vetoed))
    ]


@Language.factory("medshare_sentence_model", default_config={"folder": "", "head": "", "encoder": ""})
def make_sentence_model(nlp: Language, name: str, folder: str, head: str, encoder: str) -> SentenceModelComponent:
    """`folder`: the textcat (default: shipped); `head`: a learned head folder (default: shipped);
    `encoder`: the sentence encoder folder (default: shipped; a missing folder leaves the textcat alone)."""
    register_extensions()
    return SentenceModelComponent(
        Path(folder) if folder else model_dir(),
        Path(head) if head else None,
        SentenceEncoder(Path(encoder)) if encoder else None,
    )
