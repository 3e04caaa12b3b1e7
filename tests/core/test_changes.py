"""What changed: merged with |, named by what services return, read back from the audit trail."""

from __future__ import annotations

from datetime import date

from medshare_desktop.core.changes import Changes
from medshare_desktop.core.models import Person


def test_changes_merge_with_or_and_nothing_is_empty() -> None:
    a = Changes(post_ids=frozenset({1}), schedule_days=frozenset({date(2026, 5, 4)}))
    b = Changes(consent_people=frozenset({7}), settings=frozenset({"cadence.monthly_limit"}))
    merged = a | b
    assert merged.post_ids == {1} and merged.consent_people == {7} and merged.settings == {"cadence.monthly_limit"}
    assert Changes().empty and not merged.empty
    assert (Changes() | Changes.everything()).unknown


def test_each_screen_is_asked_only_about_what_it_shows() -> None:
    consent = Changes(consent_people=frozenset({3}))
    assert consent.consent and consent.schedule and not consent.posts and not consent.anyone
    setting = Changes(settings=frozenset({"risk.extra_terms"}))
    assert setting.any_setting and not setting.posts and not setting.consent
    assert all((Changes.everything().posts, Changes.everything().schedule, Changes.everything().consent,
                Changes.everything().anyone, Changes.everything().any_setting))


def test_a_kind_known_without_its_rows_asks_the_same_screens_as_the_rows_would() -> None:
    posts = Changes(kinds=frozenset({"posts"}))  # a team server's notice: posts changed, not known which
    assert not posts.empty and not posts.unknown
    assert posts.posts and posts.schedule and not posts.consent and not posts.anyone and not posts.any_setting
    people = Changes(kinds=frozenset({"people"}))
    assert people.anyone and people.posts and people.schedule and people.consent and not people.any_setting
    consent = Changes(kinds=frozenset({"consent"}))
    assert consent.consent and consent.schedule and not consent.posts
    assert Changes(kinds=frozenset({"settings"})).any_setting
    assert (posts | Changes(consent_people=frozenset({2}))).kinds == {"posts"}


def test_a_new_team_model_is_told_apart_from_a_refused_retrain_and_from_other_settings() -> None:
    from datetime import UTC, datetime

    from medshare_desktop.core.models import AuditEvent

    def event(action: str) -> AuditEvent:
        return AuditEvent(1, datetime(2026, 12, 7, tzinfo=UTC), "desk-a", action, "risk_model", None, "", "{}")

    for kept in ("risk_model.retrained", "risk_model.rolled_back"):
        changes = Changes.from_events([event(kept)])
        assert changes.team_model and changes.any_setting and not changes.unknown and not changes.posts
    for nothing in ("risk_model.retrain_refused", "risk_model.retrain_cancelled"):
        assert Changes.from_events([event(nothing)]).empty
    assert not Changes(settings=frozenset({"cadence.monthly_limit"})).team_model
    assert Changes(kinds=frozenset({"settings"})).team_model  # a server's notice: some setting, maybe the model
    assert Changes.everything().team_model


def test_a_change_made_by_another_process_is_read_back_from_the_audit_trail(db_url: str, db_engine: str) -> None:
    from medshare_desktop.bootstrap import build_services
    from medshare_desktop.core.services.change_watch import ChangeWatch

    here = build_services(db_url, actor="here")
    there = build_services(db_url, actor="there")  # another process, as far as the database can tell
    try:
        watch = ChangeWatch(here.change_feed, here.audit)
        watch.start()
        version = watch.version()
        mine = here.people.add_person(Person(None, "Ada Mendel"))
        assert watch.look().empty  # this process's own change: its screens know already
        theirs = there.people.add_person(Person(None, "Bo Lindqvist"))
        if db_engine == "sqlite":  # SQLite's data_version; a server pushes notices instead (test_pg_change_feed.py)
            assert watch.version() != version
        assert watch.look().people == {theirs.id}
        assert mine.id not in watch.look().people
    finally:
        here.close()
        there.close()


class _NamesShown:
    """A stand-in engine that finds one low finding per tagged name, so the stored analysis shows what it knew."""

    def analyze(self, text: str, context: object = None) -> list[object]:
        from medshare_desktop.core.models import Finding, RiskCategory, Severity

        shown = getattr(context, "people_shown", ())
        return [Finding(0, 1, text[:1], RiskCategory.PHI, "photo_person", Severity.LOW, "test", f"shown: {name}")
                for name in shown]


def test_tagging_people_in_photos_and_the_new_check_land_in_one_service_call(db_url: str) -> None:
    from datetime import UTC, datetime

    from medshare_desktop.bootstrap import build_services
    from medshare_desktop.core.models import ImportedPost, Platform
    from medshare_desktop.core.ports import PostFilter

    services = build_services(db_url, actor="tester", analyzer_factory=_NamesShown)
    try:
        person = services.people.add_person(Person(None, "Cora Vidal"))
        services.posts.store_imported([ImportedPost(Platform.OTHER, "Our team at the open day.",
                                                   datetime(2026, 5, 1, tzinfo=UTC), media=("a.jpg",))],
                                      [], "test")
        post_id = services.posts.query(PostFilter())[0].id
        saved = services.risk.tag_and_analyse(post_id, [person.id])
        assert Changes.of(saved).post_ids == {post_id}
        assert [t.person_name for t in services.photo_tags.tags(post_id)] == ["Cora Vidal"]
        assert [f.finding.message for f in services.posts.findings(post_id)] == ["shown: Cora Vidal"]
        actions = [e.action for e in services.audit.history("post", post_id)]
        assert "photo.tagged" in actions and "post.analysed" in actions
    finally:
        services.close()


def test_unscheduling_and_saving_settings_return_what_they_changed(db_url: str) -> None:
    from medshare_desktop.bootstrap import build_services
    from medshare_desktop.core.rules.cadence import CadencePolicy
    from medshare_desktop.demo_data import seed_demo

    services = build_services(db_url, actor="tester")
    try:
        seed_demo(services, today=date(2026, 5, 4), analyzer=lambda _text: [])
        month = services.schedule.month(2026, 5)
        share = month.entries[0].share
        assert services.schedule.unschedule(share.id) == Changes(post_ids=frozenset({share.post_id}),
                                                                 schedule_days=frozenset({share.day}))
        changed = services.settings.set_cadence_policy(CadencePolicy(monthly_limit=3))
        assert changed.settings == {"cadence.monthly_limit", "cadence.per_day_channel_cap", "cadence.min_days_between"}
        assert changed.schedule and not changed.posts
    finally:
        services.close()
