"""Typed access to the team's settings (kept in the database, so every workstation shares them)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from medshare_desktop.core.changes import Changes
from medshare_desktop.core.errors import ValidationError
from medshare_desktop.core.models import RiskCategory
from medshare_desktop.core.ports import UnitOfWorkFactory
from medshare_desktop.core.rules.cadence import DEFAULT_MONTHLY_LIMIT, CadencePolicy
from medshare_desktop.core.services.audit_service import AuditService


@dataclass(frozen=True, slots=True)
class SettingKey:
    MONTHLY_LIMIT = "cadence.monthly_limit"
    DAY_CHANNEL_CAP = "cadence.per_day_channel_cap"
    MIN_DAYS_BETWEEN = "cadence.min_days_between"
    EXTRA_TERMS = "risk.extra_terms"
    OUR_PLACES = "risk.our_places"
    TEAM_MODEL = "risk.team_model"
    TEAM_HEAD = "risk.team_head"  # the team's retrained head itself, shared with every desk ("" = shipped)
    ENGINE_FINGERPRINT = "risk.engine_fingerprint"  # the engine that found the findings on record
    ENGINE_CHECKED_AT = "risk.engine_checked_at"  # when that engine checked the review queue (UTC, ISO 8601)
    TEAM_CONTACT = "team.contact"  # who physicians ask about re-shares (the policy sheet and notes)


class SettingsService:
    def __init__(self, uow: UnitOfWorkFactory, audit: AuditService) -> None:
        self._uow = uow
        self._audit = audit

    def cadence_policy(self) -> CadencePolicy:
        with self._uow() as tx:
            limit = tx.settings.get(SettingKey.MONTHLY_LIMIT)
            cap = tx.settings.get(SettingKey.DAY_CHANNEL_CAP)
            spacing = tx.settings.get(SettingKey.MIN_DAYS_BETWEEN)
        return CadencePolicy(
            monthly_limit=int(limit) if limit else DEFAULT_MONTHLY_LIMIT,
            per_day_channel_cap=int(cap) if cap else None,
            min_days_between=int(spacing) if spacing else 0,
        )

    def set_cadence_policy(self, policy: CadencePolicy) -> Changes:
        if policy.monthly_limit < 0:
            raise ValidationError("The monthly limit cannot be negative.")
        if policy.per_day_channel_cap is not None and policy.per_day_channel_cap < 1:
            raise ValidationError("The per-day cap must be at least 1, or empty for no cap.")
        if policy.min_days_between < 0:
            raise ValidationError("The minimum days between re-shares cannot be negative.")
        before = self.cadence_policy()
        with self._uow() as tx:
            tx.settings.set(SettingKey.MONTHLY_LIMIT, str(policy.monthly_limit))
            tx.settings.set(
                SettingKey.DAY_CHANNEL_CAP,
                "" if policy.per_day_channel_cap is None else str(policy.per_day_channel_cap),
            )
            tx.settings.set(SettingKey.MIN_DAYS_BETWEEN, str(policy.min_days_between))
            self._audit.record(
                tx,
                "settings.cadence_changed",
                "setting",
                None,
                before={
                    "monthly_limit": before.monthly_limit,
                    "per_day_channel_cap": before.per_day_channel_cap,
                    "min_days_between": before.min_days_between,
                },
                after={
                    "monthly_limit": policy.monthly_limit,
                    "per_day_channel_cap": policy.per_day_channel_cap,
                    "min_days_between": policy.min_days_between,
                },
            )
        return Changes(settings=frozenset({SettingKey.MONTHLY_LIMIT, SettingKey.DAY_CHANNEL_CAP,
                                           SettingKey.MIN_DAYS_BETWEEN}))

    def extra_terms(self) -> list[tuple[str, RiskCategory]]:
        with self._uow() as tx:
            raw = tx.settings.get(SettingKey.EXTRA_TERMS)
        if not raw:
            return []
        return [(term, RiskCategory(cat)) for term, cat in json.loads(raw)]

    def set_extra_terms(self, terms: list[tuple[str, RiskCategory]]) -> Changes:
        cleaned = [(t.strip(), c) for t, c in terms if t.strip()]
        before = self.extra_terms()
        with self._uow() as tx:
            tx.settings.set(SettingKey.EXTRA_TERMS, json.dumps([[t, c.value] for t, c in cleaned]))
            self._audit.record(
                tx,
                "settings.risk_terms_changed",
                "setting",
                None,
                before={"count": len(before)},
                after={"count": len(cleaned)},
            )
        return Changes(settings=frozenset({SettingKey.EXTRA_TERMS}))

    def our_places(self) -> list[str]:
        """The team's own places (units such as "4 North", towns of the catchment area)."""
        with self._uow() as tx:
            raw = tx.settings.get(SettingKey.OUR_PLACES)
        return [str(place) for place in json.loads(raw)] if raw else []

    def set_our_places(self, places: list[str]) -> None:
        cleaned: list[str] = []
        for place in places:
            place = " ".join(place.split())
            if place and place.lower() not in {p.lower() for p in cleaned}:
                cleaned.append(place)
        before = self.our_places()
        with self._uow() as tx:
            tx.settings.set(SettingKey.OUR_PLACES, json.dumps(cleaned))
            self._audit.record(
                tx,
                "settings.our_places_changed",
                "setting",
                None,
                before={"count": len(before)},
                after={"count": len(cleaned), "added": [p for p in cleaned if p not in before],
                       "removed": [p for p in before if p not in cleaned]},
            )

    def engine_fingerprint(self) -> str | None:
        """The fingerprint of the risk engine the review queue was last checked with (None: never recorded)."""
        with self._uow() as tx:
            return tx.settings.get(SettingKey.ENGINE_FINGERPRINT)

    def engine_checked_at(self) -> str | None:
        """When the engine on record checked the review queue (UTC, ISO 8601; None: not recorded)."""
        with self._uow() as tx:
            return tx.settings.get(SettingKey.ENGINE_CHECKED_AT)

    def set_engine_fingerprint(self, fingerprint: str, rechecked: int) -> str:
        """Record that the review queue was checked with this engine, now; on the record with how many posts.
        Returns the time recorded."""
        checked_at = datetime.now(UTC).isoformat(timespec="microseconds")
        with self._uow() as tx:
            before = tx.settings.get(SettingKey.ENGINE_FINGERPRINT)
            tx.settings.set(SettingKey.ENGINE_FINGERPRINT, fingerprint)
            tx.settings.set(SettingKey.ENGINE_CHECKED_AT, checked_at)
            self._audit.record(
                tx,
                "risk.engine_changed",
                "setting",
                None,
                before={"engine": (before or "")[:12]},
                after={"engine": fingerprint[:12], "posts_rechecked": rechecked},
            )
        return checked_at

    def team_contact(self) -> str:
        """Who physicians should contact about re-shares ("" when not set): shown on the policy sheet and notes."""
        with self._uow() as tx:
            return (tx.settings.get(SettingKey.TEAM_CONTACT) or "").strip()

    def set_team_contact(self, contact: str) -> Changes:
        cleaned = " ".join(contact.split())
        if len(cleaned) > 300:
            raise ValidationError("The contact is too long (300 characters at most).")
        before = self.team_contact()
        with self._uow() as tx:
            tx.settings.set(SettingKey.TEAM_CONTACT, cleaned)
            self._audit.record(tx, "settings.team_contact_changed", "setting", None,
                               before={"contact": before}, after={"contact": cleaned})
        return Changes(settings=frozenset({SettingKey.TEAM_CONTACT}))
