"""Patient stories, discoverable, unprofessional and medical-advice rules: positives and negatives."""

from __future__ import annotations

import pytest

from medshare_desktop.analysis import RiskEngine

from .helpers import categories

POSITIVES = {
    "patient_story": [
        "A patient I saw today reminded me why I do this.",
        "In the ER last night a 45-year-old man walked in holding his own finger.",
        "I intubated a 30-year-old woman this morning after a car crash.",
        "My patient today told me she had been saving for months to afford insulin.",
        "One of my patients died last night and I can't stop thinking about it.",
        "We diagnosed a young farmer with Creutzfeldt-Jakob disease this week.",
    ],
    "discoverable": [
        "Barely slept, 30 hours on call and still going.",
        "I missed the fracture on the first read.",
        "We were short-staffed again, unsafe ratios all night.",
        "Hour 26 of my shift and I can barely keep my eyes open.",
        "Admin doesn't care that patients waited 14 hours in the hallway.",
        "I made a medication error last week and it still haunts me.",
    ],
    "unprofessional": [
        "Another frequent flyer in bay 2.",
        "Classic drug seeker, asking for dilaudid by name.",
        "This shift is a total shitshow.",
        "Still hungover from last night and rounding in 10 minutes.",
        "These lazy nurses never answer call lights.",
        "Had a couple of beers before my call shift, no big deal.",
    ],
    "medical_advice": [
        "@jen you should stop taking your statin if it gives you cramps.",
        "DM me your symptoms and I'll tell you whether you need antibiotics.",
        "Honestly, double your insulin dose tonight and see how you feel.",
        "Sounds like you have shingles, take 800 mg acyclovir.",
        "Send me your MRI and I'll review it for free.",
    ],
}

NEGATIVES = {
    "patient_story": [
        "No patient details were shared in this talk.",
        "I never post about patients, and neither should you.",
        "Imagine a 45-year-old man comes in with chest pain: what is your next step?",
        "Patients with diabetes should have yearly eye exams.",
        "Proud of our team for a great year of caring for patients.",
    ],
    "discoverable": [
        "Great sleep hygiene tips for night-shift workers in our newsletter.",
        "We were never short-staffed thanks to our amazing managers.",
        "Our department achieved safe staffing ratios this quarter.",
        "Tired of misinformation about vaccines? Here is a thread.",
    ],
    "unprofessional": [
        "Compassion is the core of good medicine.",
        "Alcohol use disorder is treatable; talk to someone.",
        "We should never call patients drug seekers.",
        "A drunk driver hit a family of four; please drive safely.",
    ],
    "medical_advice": [
        "Talk to your doctor about colon cancer screening if you are over 45.",
        "Everyone over 65 should get a flu shot this fall.",
        "If you have chest pain, call 911.",
        "Statins lower cardiovascular risk in many adults, according to new guidelines.",
    ],
}


@pytest.mark.parametrize(("category", "text"), [(c, t) for c, texts in POSITIVES.items() for t in texts])
def test_positive(engine: RiskEngine, category: str, text: str) -> None:
    findings = engine.analyze(text)
    assert category in categories(findings), [(f.category.value, f.rule, f.text) for f in findings]


@pytest.mark.parametrize(("category", "text"), [(c, t) for c, texts in NEGATIVES.items() for t in texts])
def test_negative(engine: RiskEngine, category: str, text: str) -> None:
    findings = engine.analyze(text)
    assert category not in categories(findings), [(f.category.value, f.rule, f.text) for f in findings]


def test_every_finding_explains_itself(engine: RiskEngine) -> None:
    for texts in POSITIVES.values():
        for finding in engine.analyze_many(texts)[0]:
            assert finding.message.endswith(".") and finding.suggestion
            assert finding.rule
