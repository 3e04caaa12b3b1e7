"""Builds the spaCy pipeline from spacy.blank("en") plus the MedShare rule components."""

from __future__ import annotations

import logging

import spacy
from spacy.language import Language

# Importing the modules registers their components/factories with spaCy.
from medshare_desktop.analysis import (  # noqa: F401
    bed_state,
    not_about_patients,
    off_duty,
    patient_context,
    phi_names,
    phi_ner,
    phi_patterns,
    phi_places,
    phrase_rules,
    sentence_model,
    sentence_rules,
    story_rules,
)
from medshare_desktop.analysis.candidates import register_extensions

log = logging.getLogger(__name__)

COMPONENTS = (
    "medshare_context",  # sentence flags: patient / first person / hypothetical / education
    "medshare_phi_regex",  # structured identifiers, dates, ages, addresses
    "medshare_names",  # patient and relative names
    "medshare_places",  # towns, counties, facilities near patient context
    "medshare_ner",  # pretrained NER (en_core_web_md) for names and places the rules missed, patient sentences only
    "medshare_phrase_rules",  # Matcher + PhraseMatcher rules for the other categories
    "medshare_story",  # encounter scenes and rare diagnosis + demographics
    "medshare_sentence_rules",  # sentence-level cue combinations (sentence_cues.toml)
    "medshare_sentence_model",  # our trained sentence classifier, when resources/models/sentence_risk exists
    "medshare_off_duty",  # tiredness said on leave, on a day off or at the gym is no admission
    "medshare_bed_state",  # a bed-state report counts beds and patients: no staffing or safety admission
    "medshare_not_about_patients",  # paragraphs about the poster's family or the hospital's people
)
MAX_LENGTH = 2_000_000
SENTENCE_ENDS = [".", "!", "?", "\n", "…", "。"]  # where the engine cuts sentences


def sentence_splitter() -> Language:
    """A blank English pipeline that cuts sentences as the engine's does (for trainers and studies)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer", config={"punct_chars": SENTENCE_ENDS})
    return nlp


def build_pipeline(sentence_model_folder: str = "", ner_folder: str = "") -> Language:
    """A fresh pipeline; no statistical model needs to be installed (our own classifier ships in resources/).
    `sentence_model_folder` replaces the shipped classifier (tests; "none" runs the rules alone);
    `ner_folder` likewise replaces the vendored pretrained NER ("none": names and places from rules alone)."""
    register_extensions()
    nlp = spacy.blank("en")
    nlp.max_length = MAX_LENGTH
    nlp.add_pipe("sentencizer", config={"punct_chars": SENTENCE_ENDS})
    for name in COMPONENTS:
        config = {"folder": sentence_model_folder} if name == "medshare_sentence_model" and sentence_model_folder else {}
        if name == "medshare_ner" and ner_folder:
            config = {"folder": ner_folder}
        nlp.add_pipe(name, config=config)
    log.info("risk pipeline built: %s", ", ".join(nlp.pipe_names))
    return nlp
