"""SQLAlchemy 2.x typed table definitions. Only storage/ sees these; repositories return core models."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from medshare_desktop.storage.types import UtcDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class PersonRow(Base):
    __tablename__ = "person"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="physician")
    department: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    monthly_limit: Mapped[int | None] = mapped_column(Integer, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    aliases: Mapped[str] = mapped_column(Text, default="")  # newline-separated


class SourceAccountRow(Base):
    __tablename__ = "source_account"
    __table_args__ = (UniqueConstraint("platform", "handle"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(20))
    handle: Mapped[str] = mapped_column(String(200))
    watched: Mapped[bool] = mapped_column(Boolean, default=True)
    feed_url: Mapped[str] = mapped_column(String(500), default="")


class PostRow(Base):
    __tablename__ = "post"
    __table_args__ = (
        UniqueConstraint("platform", "external_id"),
        UniqueConstraint("content_hash"),
        Index("ix_post_state_posted_at", "state", "posted_at"),
        Index("ix_post_risk", "risk_level", "open_findings", "posted_at"),
        Index("ix_post_platform_handle", "platform", "handle"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    source_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("source_account.id", ondelete="SET NULL"), nullable=True, index=True
    )
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), nullable=True, index=True
    )
    platform: Mapped[str] = mapped_column(String(20), index=True)
    external_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    url: Mapped[str] = mapped_column(String(1000), default="")
    author: Mapped[str] = mapped_column(String(200), default="", index=True)
    handle: Mapped[str] = mapped_column(String(200), default="", server_default="")  # lower-case, no "@"
    text: Mapped[str] = mapped_column(Text)
    media: Mapped[str] = mapped_column(Text, default="")  # newline-separated paths/URLs
    posted_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime())
    state: Mapped[str] = mapped_column(String(20), default="new")
    repurposed_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    reject_reason: Mapped[str] = mapped_column(Text, default="")
    shared_url: Mapped[str] = mapped_column(String(1000), default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    risk_summary: Mapped[str] = mapped_column(String(200), default="")  # e.g. "phi:2 discoverable:1"
    # highest severity among the open findings (0 none, 1 low, 2 medium, 3 high) and how many are open
    risk_level: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    open_findings: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    version: Mapped[int] = mapped_column(Integer, default=1)
    # migration 0010: engagement the export carried (NULL: not said) and the team's "evergreen" mark
    likes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reposts: Mapped[int | None] = mapped_column(Integer, nullable=True)
    evergreen: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    __mapper_args__ = {"version_id_col": version}


class FindingRow(Base):
    __tablename__ = "finding"
    __table_args__ = (
        Index("ix_finding_open_category", "category", "post_id",
              sqlite_where=text("resolution IS NULL"), postgresql_where=text("resolution IS NULL")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(30))
    kind: Mapped[str] = mapped_column(String(50))
    severity: Mapped[str] = mapped_column(String(10))
    rule: Mapped[str] = mapped_column(String(100))
    message: Mapped[str] = mapped_column(Text)
    suggestion: Mapped[str] = mapped_column(Text, default="")
    resolution: Mapped[str | None] = mapped_column(String(20), nullable=True)
    resolution_reason: Mapped[str] = mapped_column(Text, default="")
    resolved_by: Mapped[str] = mapped_column(String(100), default="")
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class ConsentRecordRow(Base):
    __tablename__ = "consent_record"
    __table_args__ = (
        # migration 0011: no two current versions replace the same version (one current record per chain)
        Index("uq_consent_record_one_current_successor", "supersedes_id", unique=True,
              sqlite_where=text("NOT superseded"), postgresql_where=text("NOT superseded")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    scopes: Mapped[str] = mapped_column(String(100))  # comma-separated ConsentScope values
    channels: Mapped[str] = mapped_column(String(100))  # comma-separated Channel values
    granted_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    revoked_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    revoke_reason: Mapped[str] = mapped_column(Text, default="")
    evidence_path: Mapped[str] = mapped_column(String(1000), default="")
    evidence_sha256: Mapped[str] = mapped_column(String(64), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(100), default="")
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())
    supersedes_id: Mapped[int | None] = mapped_column(
        ForeignKey("consent_record.id", ondelete="SET NULL"), nullable=True
    )
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)


class ScheduledShareRow(Base):
    __tablename__ = "scheduled_share"
    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    channel: Mapped[str] = mapped_column(String(20), default="public_social")
    override_reason: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(100), default="")


class AuditEventRow(Base):
    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50))
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    before: Mapped[str] = mapped_column(Text, default="")
    after: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    hash: Mapped[str] = mapped_column(String(64))  # keyed seal (HMAC) or, when key_id is "", plain SHA-256
    key_id: Mapped[str] = mapped_column(String(40), default="", server_default="")  # migration 0007

    __table_args__ = (Index("ix_audit_event_entity", "entity", "entity_id"),)


class SettingRow(Base):
    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class EvidenceFileRow(Base):
    """A signed consent form in the evidence folder, addressed by the SHA-256 of the stored bytes."""

    __tablename__ = "evidence_file"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    stored_name: Mapped[str] = mapped_column(String(200))
    original_name: Mapped[str] = mapped_column(String(500), default="")
    media_type: Mapped[str] = mapped_column(String(50))
    size_bytes: Mapped[int] = mapped_column(Integer)
    metadata_stripped: Mapped[bool] = mapped_column(Boolean, default=False)
    stored_by: Mapped[str] = mapped_column(String(100), default="")
    stored_at: Mapped[datetime] = mapped_column(UtcDateTime())


class EvidenceContentRow(Base):
    """The bytes of a stored evidence file when the database is a server (migration 0013), so every desk
    opens them; addressed by their SHA-256, checked on each read (storage/db_evidence_store.py)."""

    __tablename__ = "evidence_content"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    stored_name: Mapped[str] = mapped_column(String(200), index=True)
    media_type: Mapped[str] = mapped_column(String(50))
    size_bytes: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime())


class PhotoTagRow(Base):
    """Who is shown in the photos attached to a post (tagged by a reviewer)."""

    __tablename__ = "photo_tag"
    __table_args__ = (UniqueConstraint("post_id", "person_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    tagged_by: Mapped[str] = mapped_column(String(100), default="")
    tagged_at: Mapped[datetime] = mapped_column(UtcDateTime())


class MissedRiskRow(Base):
    """A reviewer's "Missed risk" mark on a post's text to share (migration 0008)."""

    __tablename__ = "missed_risk"
    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")
    marked_by: Mapped[str] = mapped_column(String(100), default="")
    marked_at: Mapped[datetime] = mapped_column(UtcDateTime())
    removed_by: Mapped[str] = mapped_column(String(100), default="")
    removed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    removal_reason: Mapped[str] = mapped_column(Text, default="")


class ApprovalEvidenceRow(Base):
    """The snapshot kept at each approval (migration 0009): append-only, hashed into the audit chain."""

    __tablename__ = "approval_evidence"
    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(Integer, index=True)  # no cascade: evidence outlives nothing it proves
    approved_by: Mapped[str] = mapped_column(String(100))
    approved_at: Mapped[datetime] = mapped_column(UtcDateTime())
    sha256: Mapped[str] = mapped_column(String(64))
    snapshot: Mapped[str] = mapped_column(Text)  # canonical JSON, exactly the bytes hashed (UTF-8)
    audit_event_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
