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
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from medshare_desktop.analysis import negation
from medshare_desktop.analysis.candidates import (
    MODEL_RULE_PREFIX,
    Candidate,
    add_candidate,
    candidates_of,
    doc_text,
    register_extensions,
    trimmed,
)
from medshare_desktop.analysis.explanations import default_severity
from medshare_desktop.analysis.patient_context import sentence_infos
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
    def __init__(self, folder: Path) -> None:
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
        vetoed: list[tuple[int, int]] = []
        for info, scored in zip(chosen, self.model.pipe(texts), strict=True):
            label, probability = max(scored.cats.items(), key=lambda item: item[1])
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
            add_candidate(
                doc,
                Candidate(start, end, category, kind, f"{MODEL_RULE_PREFIX}sentence.{label}", default_severity(category, kind), 15),
            )
        if vetoed:
            _drop_vetoed(doc, vetoed)
        return doc


def _drop_vetoed(doc: Doc, vetoed: list[tuple[int, int]]) -> None:
    """Sentence-wide cue-combination findings in a sentence the model is sure is harmless are dropped
    (the broad rules fire on words; the model reads the whole sentence). Specific patterns stay."""
    candidates = candidates_of(doc)
    candidates[:] = [
        c for c in candidates if not (_vetoable(c.rule) and any(s <= c.start and c.end <= e for s, e in vetoed))
    ]


@Language.factory("medshare_sentence_model", default_config={"folder": ""})
def make_sentence_model(nlp: Language, name: str, folder: str) -> SentenceModelComponent:
    register_extensions()
    return SentenceModelComponent(Path(folder) if folder else model_dir())
