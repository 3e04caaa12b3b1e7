"""Tiredness said off duty (leave, a day off, the gym, the first day after nights) is no admission; the same
words on duty, or with the poster called back in, still are; errors and staffing said on a day off stay."""

from __future__ import annotations

import pytest

from medshare_desktop.analysis import RiskEngine

from .helpers import categories


@pytest.mark.parametrize(
    "text",
    [
        "Second day of annual leave and I slept for ten hours straight. Bliss.",
        "Three weeks into paternity leave and I have forgotten what a full night's sleep feels like.",
        "Day off. Slept until eleven, then a long walk on the beach with the dog.",
        "After a run of nights I always sleep the whole of the next afternoon and wake up starving.",
        "Gym then a nap on my rest day, the dream.",
        # recovery sleep says the poster is not at work, with no other off-duty word
        "Slept eleven hours and woke without an alarm, I feel like a new person.",
        "Slept until 1pm after the last of my nights and I am not even sorry.",
        # the drive home is not work unless it was a drowsy one
        "Finished nights this morning, drove home, slept until 3pm, and now I'm wide awake on my first night off.",
    ],
)
def test_tiredness_off_duty_is_not_discoverable(engine: RiskEngine, text: str) -> None:
    assert "discoverable" not in categories(engine.analyze(text)), text


@pytest.mark.parametrize(
    "text",
    [
        "Was meant to be my day off but got called in at 2am, did three cases on no sleep.",
        "Drove home after nights fighting to stay awake at every red light. Back again tonight.",
        "Twenty hours on call and I can barely keep my eyes open for this last patient.",
        "Last night of the block and I am so tired I nearly gave the wrong dose.",
        "Slept four hours before this shift and I can barely read the drug chart.",
        "Slept ten hours, then got called in at 3am for two cases and I am running on fumes.",
        "Finished my block of nights and nearly nodded off twice driving home on the motorway.",
    ],
)
def test_tiredness_at_work_is_still_found(engine: RiskEngine, text: str) -> None:
    assert "discoverable" in categories(engine.analyze(text)), text


def test_an_error_admitted_on_a_day_off_is_still_found(engine: RiskEngine) -> None:
    text = "On my day off I realised I made a medication error on Friday and nobody caught it."
    assert "discoverable" in categories(engine.analyze(text))


def test_the_pipeline_runs_the_check_after_the_sentence_model(engine: RiskEngine) -> None:
    names = engine.nlp.pipe_names
    assert names.index("medshare_sentence_model") < names.index("medshare_off_duty")
