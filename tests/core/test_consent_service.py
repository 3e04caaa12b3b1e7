"""Consent use cases over a real database (SQLite and PostgreSQL): enforcement, affected re-shares, reminders, CSV, tags."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from medshare_desktop.bootstrap import Services, build_services
from medshare_desktop.core.errors import ConsentError, ValidationError
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
from medshare_desktop.core.services.consent_service import ConsentService
from medshare_desktop.core.services.photo_tag_service import PhotoTagService, photo_consent_problems
from medshare_desktop.storage import unit_of_work_factory
from medshare_desktop.storage.evidence_store import FileEvidenceStore

TODAY = date.today()
SOCIAL = Channel.PUBLIC_SOCIAL


@pytest.fixture()
def services(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Services:
    monkeypatch.setenv("MEDSHARE_DATA_DIR", str(tmp_path / "data"))
    built = build_services(db_url, actor="tester")
    yield built
    built.close()


def consent_service(services: Services, folder: Path) -> ConsentService:
    return ConsentService(unit_of_work_factory(services.database), services.audit, evidence=FileEvidenceStore(folder))


def approved_post(services: Services, person: Person, media: tuple[str, ...] = (), n: int = 1) -> int:
    services.people.add_account(SourceAccount(None, person.id, Platform.LINKEDIN, f"h{person.id}"))  # type: ignore[arg-type]
    services.posts.store_imported(
        [
            ImportedPost(
                Platform.LINKEDIN,
                f"Post {i} by {person.name}",
                datetime(2026, 1, 1, 9, i, tzinfo=UTC),
                person.name,
                f"h{person.id}",
                f"x{person.id}-{i}",
                media=media,
            )
            for i in range(n)
        ],
        [],
        "test",
    )
    post_id = services.posts.query(PostFilter(person_id=person.id), 0, 10)[0].id
    services.posts.approve(services.posts.start_review(services.posts.get(post_id)))
    return post_id


def grant(services: Services, person_id: int, scopes=(ConsentScope.NAME,), **kw) -> ConsentRecord:
    return services.consent.add_record(
        ConsentRecord(
            None, person_id, frozenset(scopes), frozenset({SOCIAL}), kw.pop("granted", TODAY - timedelta(days=10)), **kw
        )
    )


def test_schedule_blocked_then_allowed_then_revocation_flags_the_share(services: Services) -> None:
    ana = services.people.add_person(Person(None, "Dr Ana Ruiz"))
    post_id = approved_post(services, ana)
    day = TODAY + timedelta(days=5)
    with pytest.raises(ConsentError, match="Dr Ana Ruiz has no valid consent for name"):
        services.schedule.schedule(post_id, day)
    record = grant(services, ana.id)
    share = services.schedule.schedule(post_id, day)
    assert services.consent.affected_shares(ana.id) == []

    services.consent.revoke(record.id, TODAY, "Withdrew consent by e-mail.")
    affected = services.consent.affected_shares(ana.id)
    assert [(a.share_id, a.post_id, a.day) for a in affected] == [(share.id, post_id, day)]
    assert "Dr Ana Ruiz: name (revoked)" in affected[0].reason
    assert services.consent.affected_shares() == affected  # everybody
    assert share.id in services.schedule.month(day.year, day.month).flagged
    with pytest.raises(ConsentError):
        services.schedule.schedule(post_id, day + timedelta(days=1))

    services.schedule.unschedule(share.id)
    assert services.consent.affected_shares(ana.id) == []


def test_a_revocation_in_the_future_flags_only_shares_from_that_day(services: Services) -> None:
    ben = services.people.add_person(Person(None, "Ben Ode"))
    record = grant(services, ben.id)
    approved_post(services, ben, n=2)
    posts = [s.id for s in services.posts.query(PostFilter(person_id=ben.id), 0, 10)]
    services.posts.approve(services.posts.start_review(services.posts.get(posts[1])))
    first = services.schedule.schedule(posts[0], TODAY + timedelta(days=2))
    second = services.schedule.schedule(posts[1], TODAY + timedelta(days=20))
    services.consent.revoke(record.id, TODAY + timedelta(days=10), "Leaving the hospital.")
    assert [a.share_id for a in services.consent.affected_shares(ben.id)] == [second.id]
    assert first.id not in [a.share_id for a in services.consent.affected_shares(ben.id)]


def test_edit_creates_a_new_version_and_history_keeps_both(services: Services) -> None:
    cara = services.people.add_person(Person(None, "Cara Lind"))
    first = grant(services, cara.id)
    second = services.consent.edit_record(
        first.id, ConsentRecord(None, cara.id, frozenset(ConsentScope), frozenset(Channel), TODAY)
    )
    details = services.consent.details(cara.id)
    assert [r.id for r in details.history] == [first.id, second.id]
    assert [r.id for r in details.current] == [second.id]
    assert details.history[1].recorded_by == "tester" and details.history[1].supersedes_id == first.id


def test_expiring_within_and_csv_export(services: Services) -> None:
    a = services.people.add_person(Person(None, "=Alpha", department="ICU"))
    b = services.people.add_person(Person(None, "Beta"))
    grant(services, a.id, expires_on=TODAY + timedelta(days=6))
    grant(services, b.id, expires_on=TODAY + timedelta(days=45), evidence_sha256="ab" * 32)
    assert [(e.person.name, e.days_left) for e in services.consent.expiring_within(7)] == [("=Alpha", 6)]
    assert len(services.consent.expiring_within(60)) == 2
    with pytest.raises(ValidationError):
        services.consent.expiring_within(-1)
    out = io.StringIO()
    assert services.consent.export_csv(out) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["person"] == "'=Alpha"  # no spreadsheet formula
    assert rows[0]["status_today"] == "expiring" and rows[1]["status_today"] == "valid"
    assert rows[1]["evidence_sha256"] == "ab" * 32 and rows[1]["scopes"] == "name"


def test_photo_tags_are_audited_and_checked_for_photo_consent(services: Services) -> None:
    author = services.people.add_person(Person(None, "Dee Author"))
    shown = services.people.add_person(Person(None, "Eve Shown"))
    grant(services, author.id, scopes=(ConsentScope.NAME, ConsentScope.PHOTO))
    post_id = approved_post(services, author, media=("photo.jpg",))
    tags = PhotoTagService(unit_of_work_factory(services.database), services.audit)
    assert [t.person_name for t in tags.tag(post_id, [shown.id, author.id])] == ["Dee Author", "Eve Shown"]
    uow = unit_of_work_factory(services.database)
    with uow() as tx:
        problems = photo_consent_problems(tx, post_id, SOCIAL, TODAY)
    assert len(problems) == 1 and problems[0].startswith("Eve Shown is shown in the photo")
    with pytest.raises(ConsentError, match="Eve Shown is shown in the photo"):
        services.schedule.schedule(post_id, TODAY + timedelta(days=3))  # the author's consent is not enough
    grant(services, shown.id, scopes=(ConsentScope.PHOTO,))
    with uow() as tx:
        assert photo_consent_problems(tx, post_id, SOCIAL, TODAY) == []
    share = services.schedule.schedule(post_id, TODAY + timedelta(days=3))
    assert share.post_id == post_id and services.consent.affected_shares(shown.id) == []
    tags.tag(post_id, [author.id])
    assert [t.person_id for t in tags.tags(post_id)] == [author.id]
    actions = [e.action for e in services.audit.history("post", post_id)]
    assert actions.count("photo.tagged") == 2
    assert services.audit.verify() == []


def test_attach_evidence_records_hash_and_file(services: Services, tmp_path: Path) -> None:
    service = consent_service(services, tmp_path / "evidence")
    form = tmp_path / "signed form.pdf"
    form.write_bytes(b"%PDF-1.4\n% signed\n%%EOF\n")
    stored = service.attach_evidence(str(form))
    assert stored.stored_name == stored.sha256 + ".pdf" and stored.original_name == "signed form.pdf"
    person = services.people.add_person(Person(None, "Finn"))
    record = service.add_record(
        ConsentRecord(
            None,
            person.id,
            frozenset({ConsentScope.NAME}),
            frozenset({SOCIAL}),
            TODAY,
            evidence_path=stored.stored_name,
            evidence_sha256=stored.sha256,
        )
    )
    path = Path(service.evidence_file(record))
    assert path.read_bytes() == form.read_bytes()
    assert service.details(person.id).evidence[stored.sha256].media_type == "application/pdf"
    path.write_bytes(b"%PDF-1.4 tampered")
    with pytest.raises(ValidationError, match="has changed"):
        service.evidence_file(record)
    with pytest.raises(ValidationError, match="missing.pdf does not exist"):
        service.attach_evidence(str(tmp_path / "missing.pdf"))
