"""Repositories for people, consent, the schedule, the audit trail and settings (one session each)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from medshare_desktop.core.errors import ConcurrentEditError, NotFoundError, ValidationError
from medshare_desktop.core.models import (
    ConsentRecord,
    Person,
    Platform,
    ScheduledShare,
    SourceAccount,
)
from medshare_desktop.core.ports import CalendarEntry, PhotoTag, StoredEvidence
from medshare_desktop.storage import concurrent_edits, mappers
from medshare_desktop.storage.ordering import text_order
from medshare_desktop.storage.orm import (
    ConsentRecordRow,
    EvidenceFileRow,
    FindingRow,
    PersonRow,
    PhotoTagRow,
    PostRow,
    ScheduledShareRow,
    SettingRow,
    SourceAccountRow,
)

ONE_CURRENT = "uq_consent_record_one_current_successor"  # migration 0011


class SqlPeopleRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def list(self, include_inactive: bool = True) -> list[Person]:
        stmt = select(PersonRow).order_by(text_order(func.lower(PersonRow.name), self._s), PersonRow.id)
        if not include_inactive:
            stmt = stmt.where(PersonRow.active.is_(True))
        return [mappers.person(r) for r in self._s.scalars(stmt)]

    def _row(self, person_id: int) -> PersonRow:
        row = self._s.get(PersonRow, person_id)
        if row is None:
            raise NotFoundError(f"Person {person_id} does not exist.")
        return row

    def get(self, person_id: int) -> Person:
        return mappers.person(self._row(person_id))

    def add(self, person: Person) -> Person:
        row = PersonRow(**mappers.person_fields(person))
        self._s.add(row)
        self._s.flush()
        return mappers.person(row)

    def update(self, person: Person) -> Person:
        assert person.id is not None
        row = self._row(person.id)
        for key, value in mappers.person_fields(person).items():
            setattr(row, key, value)
        self._s.flush()
        return mappers.person(row)

    def accounts(self, person_id: int | None = None) -> list[SourceAccount]:
        stmt = select(SourceAccountRow).order_by(
            SourceAccountRow.platform, text_order(SourceAccountRow.handle, self._s), SourceAccountRow.id
        )
        if person_id is not None:
            stmt = stmt.where(SourceAccountRow.person_id == person_id)
        return [mappers.account(r) for r in self._s.scalars(stmt)]

    def add_account(self, account: SourceAccount) -> SourceAccount:
        row = SourceAccountRow(
            person_id=account.person_id,
            platform=account.platform.value,
            handle=account.handle,
            watched=account.watched,
            feed_url=account.feed_url,
        )
        self._s.add(row)
        try:
            with self._s.begin_nested():
                self._s.flush()
        except IntegrityError as exc:
            raise ValidationError(
                f"The {account.platform.label} account {account.handle} is already in the list."
            ) from exc
        return mappers.account(row)

    def update_account(self, account: SourceAccount) -> SourceAccount:
        assert account.id is not None
        row = self._s.get(SourceAccountRow, account.id)
        if row is None:
            raise NotFoundError(f"Account {account.id} does not exist.")
        row.person_id = account.person_id
        row.platform = account.platform.value
        row.handle = account.handle
        row.watched = account.watched
        row.feed_url = account.feed_url
        self._s.flush()
        return mappers.account(row)

    def find_account(self, platform: Platform, handle: str) -> SourceAccount | None:
        row = self._s.scalar(
            select(SourceAccountRow).where(
                SourceAccountRow.platform == platform.value,
                func.lower(SourceAccountRow.handle) == handle.lower(),
            )
        )
        return mappers.account(row) if row else None


class SqlConsentRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def current(self, person_id: int | None = None) -> list[ConsentRecord]:
        stmt = select(ConsentRecordRow).where(ConsentRecordRow.superseded.is_(False))
        if person_id is not None:
            stmt = stmt.where(ConsentRecordRow.person_id == person_id)
        return [mappers.consent(r) for r in self._s.scalars(stmt.order_by(ConsentRecordRow.id))]

    def history(self, person_id: int) -> list[ConsentRecord]:
        stmt = select(ConsentRecordRow).where(ConsentRecordRow.person_id == person_id).order_by(ConsentRecordRow.id)
        return [mappers.consent(r) for r in self._s.scalars(stmt)]

    def get(self, record_id: int) -> ConsentRecord:
        row = self._s.get(ConsentRecordRow, record_id)
        if row is None:
            raise NotFoundError(f"Consent record {record_id} does not exist.")
        return mappers.consent(row)

    def add(self, record: ConsentRecord) -> ConsentRecord:
        row = ConsentRecordRow(**mappers.consent_fields(record), superseded=False)
        self._s.add(row)
        self._s.flush()
        return mappers.consent(row)

    def supersede(self, old_id: int, new: ConsentRecord) -> ConsentRecord:
        # A version check: one conditional UPDATE marks the old version replaced. Of two desks editing the same
        # record at once, the second finds it already replaced (the statement takes the write lock, or the row
        # lock on a server, and sees the first desk's commit) and is told who replaced it. The partial unique
        # index of migration 0011 (no two current versions replacing the same one) holds it in the database too.
        marked = self._s.execute(
            update(ConsentRecordRow)
            .where(ConsentRecordRow.id == old_id, ConsentRecordRow.superseded.is_(False))
            .values(superseded=True)
        )
        if marked.rowcount != 1:
            if self._s.get(ConsentRecordRow, old_id) is None:
                raise NotFoundError(f"Consent record {old_id} does not exist.")
            raise self._replaced(old_id)
        fields = mappers.consent_fields(new)
        fields["supersedes_id"] = old_id
        row = ConsentRecordRow(**fields, superseded=False)
        self._s.add(row)
        try:
            with self._s.begin_nested():
                self._s.flush()
        except IntegrityError as exc:
            if not _one_current_violated(exc):
                raise
            raise self._replaced(old_id) from exc
        return mappers.consent(row)

    def _replaced(self, old_id: int) -> ConcurrentEditError:
        newer = self._s.scalar(
            select(ConsentRecordRow)
            .where(ConsentRecordRow.supersedes_id == old_id)
            .order_by(ConsentRecordRow.id.desc())
            .limit(1)
        )
        return concurrent_edits.changed_by(
            newer.recorded_by if newer else "", newer.recorded_at if newer else None, "consent record"
        )


def _one_current_violated(error: IntegrityError) -> bool:
    said = str(error.orig or error)
    return ONE_CURRENT in said or "consent_record.supersedes_id" in said  # PostgreSQL names the index, SQLite the column


class SqlScheduleRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def lock_for_cadence(self, post_id: int) -> None:
        if self._s.get_bind().dialect.name == "sqlite":
            # Takes SQLite's write lock now (no row matches, so nothing changes and no trigger fires): a
            # second process checking the same monthly limit waits here, then sees this one's re-share.
            self._s.execute(text("DELETE FROM scheduled_share WHERE 0"))
            return
        author = select(PostRow.person_id).where(PostRow.id == post_id).scalar_subquery()
        self._s.execute(select(PersonRow.id).where(PersonRow.id == author).with_for_update())

    def lock_share_for_cadence(self, share_id: int) -> None:
        if self._s.get_bind().dialect.name == "sqlite":
            self._s.execute(text("DELETE FROM scheduled_share WHERE 0"))  # the write lock, as above
            return
        post = select(ScheduledShareRow.post_id).where(ScheduledShareRow.id == share_id).scalar_subquery()
        author = select(PostRow.person_id).where(PostRow.id == post).scalar_subquery()
        self._s.execute(select(PersonRow.id).where(PersonRow.id == author).with_for_update())
        # the re-share's own row too: another desk moving or removing it waits, and get() below reads it fresh
        self._s.execute(select(ScheduledShareRow.id).where(ScheduledShareRow.id == share_id).with_for_update())

    def between(self, first: date, last: date) -> list[CalendarEntry]:
        open_high = (
            select(func.count())
            .where(FindingRow.post_id == PostRow.id, FindingRow.severity == "high", FindingRow.resolution.is_(None))
            .scalar_subquery()
        )
        stmt = (
            select(
                ScheduledShareRow,
                PostRow.person_id,
                PersonRow.name,
                PostRow.author,
                # what goes out is the approved text: the repurposed copy when there is one
                func.coalesce(PostRow.repurposed_text, PostRow.text),
                PostRow.repurposed_text.is_not(None),
                PostRow.url,
                open_high,
            )
            .join(PostRow, PostRow.id == ScheduledShareRow.post_id)
            .outerjoin(PersonRow, PersonRow.id == PostRow.person_id)
            .where(ScheduledShareRow.day >= first, ScheduledShareRow.day <= last)
            .order_by(ScheduledShareRow.day, ScheduledShareRow.id)
        )
        return [
            CalendarEntry(
                share=mappers.share(share),
                person_id=person_id,
                person_name=name or author,
                excerpt=" ".join(text_[:140].split()),
                url=url,
                open_high_findings=int(high or 0),
                repurposed=bool(repurposed),
            )
            for share, person_id, name, author, text_, repurposed, url, high in self._s.execute(stmt)
        ]

    def for_post(self, post_id: int) -> list[ScheduledShare]:
        stmt = (
            select(ScheduledShareRow).where(ScheduledShareRow.post_id == post_id)
            .order_by(ScheduledShareRow.day, ScheduledShareRow.id)
        )
        return [mappers.share(r) for r in self._s.scalars(stmt)]

    def _row(self, share_id: int) -> ScheduledShareRow:
        row = self._s.get(ScheduledShareRow, share_id)
        if row is None:
            raise NotFoundError(f"Scheduled re-share {share_id} does not exist.")
        return row

    def get(self, share_id: int) -> ScheduledShare:
        return mappers.share(self._row(share_id))

    def add(self, share: ScheduledShare) -> ScheduledShare:
        row = ScheduledShareRow(
            post_id=share.post_id,
            day=share.day,
            channel=share.channel.value,
            override_reason=share.override_reason,
            created_by=share.created_by,
        )
        self._s.add(row)
        self._s.flush()
        return mappers.share(row)

    def move(self, share_id: int, day: date, override_reason: str) -> ScheduledShare:
        row = self._row(share_id)
        row.day = day
        row.override_reason = override_reason
        self._s.flush()
        return mappers.share(row)

    def remove(self, share_id: int) -> None:
        self._s.delete(self._row(share_id))
        self._s.flush()


class SqlSettingsRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def get(self, key: str) -> str | None:
        row = self._s.get(SettingRow, key)
        return row.value if row else None

    def set(self, key: str, value: str) -> None:
        row = self._s.get(SettingRow, key)
        if row is None:
            self._s.add(SettingRow(key=key, value=value))
        else:
            row.value = value
        self._s.flush()


class SqlEvidenceRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    @staticmethod
    def _model(row: EvidenceFileRow) -> StoredEvidence:
        return StoredEvidence(
            sha256=row.sha256,
            stored_name=row.stored_name,
            original_name=row.original_name,
            media_type=row.media_type,
            size_bytes=row.size_bytes,
            metadata_stripped=row.metadata_stripped,
            stored_by=row.stored_by,
            stored_at=row.stored_at,
        )

    def add(self, evidence: StoredEvidence) -> StoredEvidence:
        row = self._s.get(EvidenceFileRow, evidence.sha256)
        if row is None:
            row = EvidenceFileRow(
                sha256=evidence.sha256,
                stored_name=evidence.stored_name,
                original_name=evidence.original_name,
                media_type=evidence.media_type,
                size_bytes=evidence.size_bytes,
                metadata_stripped=evidence.metadata_stripped,
                stored_by=evidence.stored_by,
                stored_at=evidence.stored_at or datetime.now(UTC),
            )
            self._s.add(row)
            self._s.flush()
        return self._model(row)

    def get(self, sha256: str) -> StoredEvidence | None:
        row = self._s.get(EvidenceFileRow, sha256)
        return self._model(row) if row else None


class SqlPhotoTagRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def for_post(self, post_id: int) -> list[PhotoTag]:
        stmt = (
            select(PhotoTagRow, PersonRow.name)
            .join(PersonRow, PersonRow.id == PhotoTagRow.person_id)
            .where(PhotoTagRow.post_id == post_id)
            .order_by(text_order(func.lower(PersonRow.name), self._s), PersonRow.id)
        )
        return [
            PhotoTag(row.post_id, row.person_id, name, row.tagged_by, row.tagged_at)
            for row, name in self._s.execute(stmt)
        ]

    def replace(self, post_id: int, person_ids: Sequence[int], by: str, at: datetime) -> list[PhotoTag]:
        if self._s.get(PostRow, post_id) is None:
            raise NotFoundError(f"Post {post_id} does not exist.")
        wanted = set(person_ids)
        for person_id in wanted:
            if self._s.get(PersonRow, person_id) is None:
                raise NotFoundError(f"Person {person_id} does not exist.")
        kept = set(self._s.scalars(select(PhotoTagRow.person_id).where(PhotoTagRow.post_id == post_id)))
        gone = kept - wanted
        if gone:
            self._s.execute(delete(PhotoTagRow).where(PhotoTagRow.post_id == post_id, PhotoTagRow.person_id.in_(gone)))
        for person_id in sorted(wanted - kept):
            self._s.add(PhotoTagRow(post_id=post_id, person_id=person_id, tagged_by=by, tagged_at=at))
        self._s.flush()
        return self.for_post(post_id)

    def posts_showing(self, person_id: int) -> list[int]:
        stmt = select(PhotoTagRow.post_id).where(PhotoTagRow.person_id == person_id).order_by(PhotoTagRow.post_id)
        return list(self._s.scalars(stmt))
