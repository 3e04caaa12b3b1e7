"""What a login may change, in the words the window shows (core/abilities.py)."""

from __future__ import annotations

from medshare_desktop.core.abilities import EVERYTHING, Abilities


def test_a_file_may_change_everything_and_nothing_is_said() -> None:
    assert EVERYTHING.everything and not EVERYTHING.read_only
    assert EVERYTHING.why_not("posts") == "" and EVERYTHING.summary() == ""


def test_the_reason_names_the_groups_and_the_group_to_ask_for() -> None:
    two = Abilities(posts=False, schedule=False, people=False, settings=False, login="raj",
                    groups=("medshare_viewer", "medshare_consent"), needs={"posts": "medshare_editor"})
    assert two.why_not("posts") == ("Your login raj is in medshare_viewer and medshare_consent: it may read but not "
                                    "change posts. Ask the team server's administrator for medshare_editor.")
    assert two.why_not("consent") == ""
    assert two.summary() == ("Limited login (medshare_viewer, medshare_consent): may not change posts, the calendar, "
                             "people, the team's settings")
    none = Abilities(False, False, False, False, False, login="temp")
    assert none.read_only and none.summary() == "Read-only login (no MedShare group)"
    assert none.why_not("schedule") == ("Your login temp is in no MedShare group: it may read but not change the "
                                        "calendar. Ask the team server's administrator if your desk should be "
                                        "allowed to.")
