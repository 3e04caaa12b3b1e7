"""A shift log's time-stamped entries about someone who came in are patient stories; entries about handover,
lunch or a teaching timetable are not."""

from __future__ import annotations

from medshare_desktop.analysis import RiskEngine

from .helpers import categories

LOG = (
    "Saturday in a small-town ED, as it happened.\n\n"
    "0710: Handover. Quiet board.\n"
    "0905: Toddler from the campsite with a bee sting on the lip. Antihistamine, ice lolly, very brave.\n"
    "1230: Lunch. Lasagne in the staff room, thanks to the radiographers.\n"
    "1520: Fishing hook through a forefinger. Push through, snip the barb, out.\n"
)


def test_time_stamped_entries_about_someone_who_came_in_are_stories(engine: RiskEngine) -> None:
    stories = [f.text for f in engine.analyze(LOG) if f.category.value == "patient_story"]
    assert any("bee sting" in text for text in stories), stories
    assert any("Fishing hook" in text for text in stories), stories
    quiet = "Saturday in a small-town ED.\n\n0710: Handover. Quiet board.\n1230: Lunch. Lasagne in the staff room.\n"
    assert "patient_story" not in categories(engine.analyze(quiet))


def test_a_teaching_timetable_is_not_a_story(engine: RiskEngine) -> None:
    timetable = "Study day programme\n0900: Lecture on burns and scalds.\n1030: Workshop on wound closure and sutures."
    assert "patient_story" not in categories(engine.analyze(timetable))
