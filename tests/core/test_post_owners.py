"""Whose posts are these: imports, accounts and the inbox link posts to people, and the calendar
refuses what it cannot check (no person, a past day) unless told so on the record.

Real SQLite files, the real importers and the real services; nothing of the app is replaced.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from medshare_desktop.core.errors import CadenceError, ConcurrentEditError, ValidationError, WorkflowError
from medshare_desktop.core.models import (
    Channel,
    ConsentRecord,
    ConsentScope,
    ImportedPost,
    Person,
    Platform,
    SourceAccount,
)
from medshare_desktop.core.ports import PostFilter

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"
TODAY = date(2026, 11, 1)
DAY = date(2026, 11, 20)


@pytest.fixture
def svc(db_url: str):
    from medshare_desktop.bootstrap import build_services

    built = build_services(db_url, actor="tester", today=lambda: TODAY)
    yield built
    built.close()


def _person(svc, name: str, consent: bool = True) -> Person:
    person = svc.people.add_person(Person(None, name))
    if consent:
        svc.consent.add_record(
            ConsentRecord(None, person.id, frozenset(ConsentScope), frozenset(Channel), date(2026, 1, 1))
        )
    return person


def _posts_of(svc, person_id: int) -> list[int]:
    return [r.id for r in svc.posts.query(PostFilter(person_id=person_id), 0, 500)]


def _approve_all(svc) -> list[int]:
    ids = [r.id for r in svc.posts.query(PostFilter(descending=False), 0, 500)]
    for post_id in ids:
        svc.posts.approve(svc.posts.start_review(svc.posts.get(post_id)))
    return ids


def _unlinked(n: int, author: str = "", handle: str = "") -> list[ImportedPost]:
    return [
        ImportedPost(
            Platform.LINKEDIN,
            f"Shared post {i}: our ward celebrated its tenth anniversary.",
            datetime(2026, 10, 1 + i, 9, 0, tzinfo=UTC),
            author=author,
            handle=handle,
            external_id=f"li-{i}",
        )
        for i in range(n)
    ]


# --- imports read whose posts these are ---------------------------------------------------------


def test_x_archive_import_links_posts_to_the_person_of_the_account_named_in_account_js(svc) -> None:
    rivera = _person(svc, "Dr. Jane Rivera")
    other = _person(svc, "Jane Rivers")
    account = svc.people.add_account(SourceAccount(None, rivera.id, Platform.X, "@DrJRivera", watched=False))
    report = svc.imports.import_source(str(DATA / "x_archive"))
    assert report.new > 0 and report.unassigned_ids == ()
    assert len(_posts_of(svc, rivera.id)) == report.new
    assert _posts_of(svc, other.id) == []
    first = svc.posts.get(_posts_of(svc, rivera.id)[0])
    assert first.source_account_id == account.id


def test_archives_without_an_account_on_file_are_linked_by_the_name_they_give(svc, tmp_path: Path) -> None:
    rivera = _person(svc, "Jane Rivera")  # People spells it without "Dr."…
    svc.people.update_person(replace(rivera, aliases=("Dr. Jane Rivera",)))  # …and knows the other spelling
    okafor = _person(svc, "Dr Sam Okafor")  # punctuation and case do not matter
    x = svc.imports.import_source(str(DATA / "x_archive"))
    linkedin = svc.imports.import_source(str(DATA / "linkedin"))  # the name comes from Profile.csv
    mastodon = svc.imports.import_source(str(DATA / "mastodon"))  # from actor.json
    assert x.unassigned_ids == linkedin.unassigned_ids == mastodon.unassigned_ids == ()
    assert len(_posts_of(svc, rivera.id)) == x.new + linkedin.new
    assert len(_posts_of(svc, okafor.id)) == mastodon.new


def test_an_x_archive_with_only_manifest_js_is_read_for_the_account(svc, tmp_path: Path) -> None:
    folder = tmp_path / "archive" / "data"
    folder.mkdir(parents=True)
    shutil.copy(DATA / "x_archive" / "data" / "tweets.js", folder / "tweets.js")
    info = {"userInfo": {"accountId": "1", "userName": "drjrivera", "displayName": "Dr. Jane Rivera"}}
    (folder / "manifest.js").write_text("window.__THAR_CONFIG = " + json.dumps(info), encoding="utf-8")
    rivera = _person(svc, "Someone Else")
    svc.people.add_account(SourceAccount(None, rivera.id, Platform.X, "drjrivera"))
    report = svc.imports.import_source(str(tmp_path / "archive"))
    assert report.new and report.unassigned_ids == ()
    assert len(_posts_of(svc, rivera.id)) == report.new


def test_a_feed_without_an_author_is_linked_by_its_title(svc, tmp_path: Path) -> None:
    okafor = _person(svc, "Dr. Sam Okafor")
    feed = (DATA / "rss" / "feed.rss").read_text(encoding="utf-8")
    feed = feed.replace("<title>Notes from the Ward</title>", "<title>Dr. Sam Okafor</title>", 1)
    feed = feed.replace("<dc:creator>Dr. Sam Okafor</dc:creator>", "")
    (tmp_path / "okafor.rss").write_text(feed, encoding="utf-8")
    report = svc.imports.import_source(str(tmp_path / "okafor.rss"))
    assert report.new and report.unassigned_ids == ()
    assert len(_posts_of(svc, okafor.id)) == report.new


def test_a_post_from_an_unknown_handle_is_not_linked_by_name_to_someone_with_another_account_there(svc) -> None:
    patel = _person(svc, "Anika Patel")
    svc.people.add_account(SourceAccount(None, patel.id, Platform.LINKEDIN, "anika-patel-md"))
    report = svc.posts.store_imported(_unlinked(2, author="Anika Patel", handle="anika-patel-impostor"), [], "t")
    assert len(report.unassigned_ids) == 2 and _posts_of(svc, patel.id) == []
    assert report.unassigned_sources == ("Anika Patel (anika-patel-impostor, LinkedIn)",)


def test_two_people_with_one_name_link_nothing_by_that_name(svc) -> None:
    _person(svc, "Alex Kim")
    _person(svc, "Alex Kim")
    report = svc.posts.store_imported(_unlinked(2, author="Alex Kim"), [], "t")
    assert len(report.unassigned_ids) == 2


def test_an_import_that_cannot_tell_reports_the_posts_left_without_a_person(svc) -> None:
    report = svc.imports.import_source(str(DATA / "x_archive"))
    assert len(report.unassigned_ids) == report.new > 0
    assert report.unassigned_sources == ("Dr. Jane Rivera (@drjrivera, X)",)
    assert report.summary().endswith(f"; {report.new} not linked to a person")


def test_an_import_for_a_chosen_person_links_every_new_post_to_them(svc) -> None:
    chosen = _person(svc, "Dr. Lena Ortiz")
    report = svc.imports.import_source(str(DATA / "x_archive"), person_id=chosen.id)
    assert report.unassigned_ids == ()
    assert len(_posts_of(svc, chosen.id)) == report.new


def test_a_person_is_found_by_name_or_other_spelling_and_an_unknown_name_is_refused(svc) -> None:
    lena = svc.people.add_person(Person(None, "Dr. Lena Ortiz", aliases=("Lena O.",)))
    assert svc.people.find_by_name("dr lena ortiz").id == lena.id
    assert svc.people.find_by_name("Lena O").id == lena.id
    with pytest.raises(ValidationError, match="No person named 'Lena Ortis'"):
        svc.people.find_by_name("Lena Ortis")


# --- accounts and the inbox link posts afterwards ------------------------------------------------


def test_adding_an_account_links_the_earlier_posts_from_that_handle(svc) -> None:
    report = svc.imports.import_source(str(DATA / "x_archive"))
    assert len(report.unassigned_ids) == report.new
    person = _person(svc, "Jane R.")
    other = svc.posts.store_imported(_unlinked(2, author="Somebody", handle="someone"), [], "t")
    svc.people.add_account(SourceAccount(None, person.id, Platform.X, "@drjrivera"))
    assert sorted(_posts_of(svc, person.id)) == sorted(report.unassigned_ids)
    assert svc.posts.get(other.unassigned_ids[0]).person_id is None  # another handle stays unlinked
    history = svc.audit.history("post", report.unassigned_ids[0])
    assert [e.action for e in history][-1] == "post.person_linked"


def test_watching_an_account_again_links_posts_imported_while_it_was_unknown(svc) -> None:
    person = _person(svc, "Dr. Jane Rivera Lopez")
    account = svc.people.add_account(SourceAccount(None, person.id, Platform.X, "@other-handle", watched=False))
    report = svc.imports.import_source(str(DATA / "x_archive"))
    assert len(report.unassigned_ids) == report.new
    svc.people.update_account(replace(account, handle="drjrivera", watched=True))
    assert len(_posts_of(svc, person.id)) == report.new


def test_the_inbox_assigns_a_person_to_selected_posts_on_the_record(svc) -> None:
    report = svc.posts.store_imported(_unlinked(3), [], "t")
    person = _person(svc, "Dr. Lena Ortiz")
    stale = svc.posts.get(report.unassigned_ids[0])
    assert svc.people.assign_posts(report.unassigned_ids[:2], person.id) == 2
    assert sorted(_posts_of(svc, person.id)) == sorted(report.unassigned_ids[:2])
    assert svc.posts.get(report.unassigned_ids[2]).person_id is None
    [event] = [e for e in svc.audit.history("post", stale.id) if e.action == "post.person_assigned"]
    assert json.loads(event.after) == {"person": person.id} and json.loads(event.before) == {"person": None}
    with pytest.raises(ConcurrentEditError):  # a copy read before the change cannot undo it
        svc.posts.start_review(stale)
    inactive = svc.people.add_person(Person(None, "Former Colleague", active=False))
    with pytest.raises(ValidationError, match="inactive"):
        svc.people.assign_posts(report.unassigned_ids[2:], inactive.id)


# --- the calendar ---------------------------------------------------------------------------------


def test_three_unlinked_posts_on_one_day_are_refused_and_only_an_override_on_the_record_lets_one_in(svc) -> None:
    svc.posts.store_imported(_unlinked(3), [], "t")
    ids = _approve_all(svc)
    for post_id in ids:
        with pytest.raises(CadenceError, match="not linked to a person") as refused:
            svc.schedule.schedule(post_id, DAY)
        assert refused.value.rule == "no_person"
    assert svc.schedule.month(DAY.year, DAY.month).entries == []
    share = svc.schedule.schedule(ids[0], DAY, override_reason="Guest post agreed with comms lead")
    [event] = [e for e in svc.audit.history("post", ids[0]) if e.action == "share.scheduled"]
    assert json.loads(event.after)["overridden"] == ["no_person"]
    month = svc.schedule.month(DAY.year, DAY.month)
    assert "no person linked" in month.flagged[share.id]
    assert month.unassigned == 1 and month.counted == len(month.entries) == 1


def test_once_a_person_is_assigned_their_limit_applies_to_the_post(svc) -> None:
    svc.posts.store_imported(_unlinked(3), [], "t")
    ids = _approve_all(svc)
    person = _person(svc, "Dr. Lena Ortiz")
    svc.people.assign_posts(ids, person.id)
    svc.schedule.schedule(ids[0], DAY)
    svc.schedule.schedule(ids[1], DAY)
    with pytest.raises(CadenceError, match="Dr. Lena Ortiz already has 2 re-shares"):
        svc.schedule.schedule(ids[2], DAY)
    month = svc.schedule.month(DAY.year, DAY.month)
    assert [(c.person.name, c.count) for c in month.counts] == [("Dr. Lena Ortiz", 2)]


def test_a_past_day_needs_the_explicit_flag_for_scheduling_and_moving(svc) -> None:
    person = _person(svc, "Dr. Lena Ortiz")
    svc.posts.store_imported(_unlinked(2), [], "t", person_id=person.id)
    ids = _approve_all(svc)
    past = TODAY - timedelta(days=1)
    with pytest.raises(WorkflowError, match="is in the past"):
        svc.schedule.schedule(ids[0], past)
    assert svc.schedule.month(past.year, past.month).entries == []
    share = svc.schedule.schedule(ids[0], past, allow_past=True)
    later = svc.schedule.schedule(ids[1], DAY)
    with pytest.raises(WorkflowError, match="is in the past"):
        svc.schedule.move(later.id, past)
    svc.schedule.move(later.id, past, allow_past=True)
    svc.schedule.move(share.id, TODAY)  # today itself is not a past day


def test_the_approved_list_says_why_a_post_cannot_be_scheduled(svc) -> None:
    ok = _person(svc, "Dr. Has Consent")
    revoked = _person(svc, "Dr. Revoked")
    without = _person(svc, "Dr. Never Asked", consent=False)
    svc.posts.store_imported(_unlinked(1, author="Dr. Has Consent"), [], "a")
    svc.posts.store_imported([replace(p, external_id="r") for p in _unlinked(1, author="Dr. Revoked")][:1], [], "b")
    svc.posts.store_imported([replace(p, external_id="n", text="n") for p in _unlinked(1, author="Dr. Never Asked")],
                             [], "c")
    svc.posts.store_imported([replace(p, external_id="u", text="u") for p in _unlinked(1)], [], "d")
    _approve_all(svc)
    [record] = svc.consent.records(revoked.id)
    svc.consent.revoke(record.id, TODAY - timedelta(days=1), "Withdrew consent.")
    waiting = {w.person_name: w for w in svc.schedule.approved_waiting(Channel.PUBLIC_SOCIAL)}
    assert waiting[ok.name].schedulable
    assert waiting[revoked.name].blocker == "Name consent revoked"
    assert waiting[without.name].blocker == "No name consent on file"
    assert waiting[""].blocker.startswith("No person linked")
