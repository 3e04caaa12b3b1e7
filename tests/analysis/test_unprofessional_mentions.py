"""Talking about unprofessional words is not using them: labels named in posts about stigma, lists of
what not to post, idioms ("frequent flyer miles", "damn proud"). The words themselves still count.
Examples written for these tests."""

from __future__ import annotations

import pytest

from medshare_desktop.analysis import RiskEngine


def unprofessional(engine: RiskEngine, text: str) -> list[str]:
    return [text[f.start : f.end] for f in engine.analyze(text) if f.category.value == "unprofessional"]


@pytest.mark.parametrize(
    "text",
    [
        "The patients we call frequent flyers are often the ones the system failed first.",
        'Labels like "frequent flyer," "drug seeker" and "GOMER" dehumanise people who are sick and poor.',
        '"Requested hydromorphone by name" is a fact. "Drug seeker" is a verdict.',
        'What not to post, for our new grads:\n- "Guess who is back in the ED again 🙄"\n- "Hungover but made it to my shift"',
        "Cashed in my frequent flyer miles to fly home for my brother's graduation.",
        "Damn proud of our respiratory therapists this week.",
    ],
)
def test_words_talked_about_are_not_unprofessional(engine: RiskEngine, text: str) -> None:
    assert unprofessional(engine, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Our favourite frequent flyer is back in bed 9, drug seeker as usual.",
        "Hungover but made it to my shift, rounding on eleven patients like a champ.",
        "Damn, the printer ate my discharge papers again, this fucking place.",
    ],
)
def test_the_same_words_used_are_still_flagged(engine: RiskEngine, text: str) -> None:
    assert unprofessional(engine, text)


def test_labels_quoted_in_a_paragraph_about_the_words_we_use(engine: RiskEngine) -> None:
    text = (
        "This post is about the words we use for patients.\n\n"
        'As a resident I heard "frequent flyer" used every day. "Drug seeker." '
        'Now I write "asked for more pain medication three times" rather than "drug-seeking."'
    )
    assert unprofessional(engine, text) == []
