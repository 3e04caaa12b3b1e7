"""Refresh: fetch the new public posts of every watched account that has an open feed or API.

Each account is fetched and stored on its own (one transaction per account through
PostService.store_imported), so an unreachable account loses nothing and the others still land.
Tokens come from the TokenStore and go only to the fetcher; they are never stored or logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from medshare_desktop.core.errors import MedshareError
from medshare_desktop.core.models import SourceAccount
from medshare_desktop.core.ports import AccountFetcher, TokenStore, UnitOfWorkFactory
from medshare_desktop.core.services.post_service import PostService

log = logging.getLogger(__name__)

OFFLINE_MESSAGE = "You appear to be offline; nothing was fetched. Imports from files still work."
CURSOR_PREFIX = "refresh.since."  # + account id: the newest status id seen (not a secret)


@dataclass(frozen=True, slots=True)
class AccountRefresh:
    """What happened to one watched account."""

    account_id: int | None
    label: str  # "@user@instance.social", "name.bsky.social" or the feed address
    new: int = 0
    already_present: int = 0
    skipped: int = 0
    error: str = ""  # a sentence fit for the user; empty when the fetch worked
    unreachable: bool = False
    not_refreshable: str = ""  # why the account cannot be refreshed online; empty when it can

    @property
    def line(self) -> str:
        if self.not_refreshable:
            return f"{self.label}: not refreshable ({self.not_refreshable})"
        if self.error:
            return f"{self.label}: failed — {self.error}"
        text = f"{self.label}: {self.new} new, {self.already_present} already present"
        return text + (f", {self.skipped} skipped" if self.skipped else "")


@dataclass(frozen=True, slots=True)
class RefreshReport:
    accounts: tuple[AccountRefresh, ...] = ()
    offline: bool = False
    cancelled: bool = False

    @property
    def lines(self) -> tuple[str, ...]:
        return tuple(a.line for a in self.accounts)

    @property
    def new(self) -> int:
        return sum(a.new for a in self.accounts)

    @property
    def already_present(self) -> int:
        return sum(a.already_present for a in self.accounts)

    @property
    def errors(self) -> tuple[str, ...]:
        return tuple(f"{a.label}: {a.error}" for a in self.accounts if a.error)

    @property
    def not_refreshable(self) -> tuple[str, ...]:
        return tuple(a.label for a in self.accounts if a.not_refreshable)

    def summary(self) -> str:
        if self.offline:
            return OFFLINE_MESSAGE
        fetched = [a for a in self.accounts if not a.not_refreshable]
        if not fetched:
            text = "No watched account has an open feed to refresh"
        else:
            text = f"{self.new} new, {self.already_present} already present from {len(fetched)} account(s)"
        if self.errors:
            text += f"; {len(self.errors)} failed"
        if self.not_refreshable:
            text += f"; {len(self.not_refreshable)} not refreshable online"
        return text + (" (cancelled)." if self.cancelled else ".")


class RefreshService:
    def __init__(self, uow: UnitOfWorkFactory, fetcher: AccountFetcher, posts: PostService, tokens: TokenStore) -> None:
        self._uow = uow
        self._fetcher = fetcher
        self._posts = posts
        self._tokens = tokens

    def watched_accounts(self) -> list[SourceAccount]:
        with self._uow() as tx:
            return [a for a in tx.people.accounts() if a.watched]

    def refresh(
        self,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> RefreshReport:
        """Fetch and store every watched account in turn; Cancel stops between accounts."""
        accounts = self.watched_accounts()
        results: list[AccountRefresh] = []
        stopped = False
        for done, account in enumerate(accounts):
            if cancelled is not None and cancelled():
                stopped = True
                break
            if progress is not None:
                progress(done, len(accounts))
            result = self._refresh_one(account, cancelled)
            if result is None:  # cancelled while fetching: nothing of this account was stored
                stopped = True
                break
            results.append(result)
        if progress is not None and not stopped:
            progress(len(accounts), len(accounts))
        attempted = [r for r in results if not r.not_refreshable]
        offline = bool(attempted) and all(r.unreachable for r in attempted)
        report = RefreshReport(tuple(results), offline=offline, cancelled=stopped)
        log.info("refresh: %d account(s), %d new, offline=%s", len(results), report.new, offline)
        return report

    def _refresh_one(self, account: SourceAccount, cancelled: Callable[[], bool] | None) -> AccountRefresh | None:
        label = account.handle or account.feed_url
        reason = self._fetcher.unsupported_reason(account)
        if reason is not None:
            return AccountRefresh(account.id, label, not_refreshable=reason)
        since = self._cursor(account)
        try:
            fetched = self._fetcher.fetch(account, self._token(account), since, cancelled)
            report = self._posts.store_imported(  # a watched account's posts are its person's
                fetched.posts, fetched.skipped, fetched.source_name, person_id=account.person_id
            )
        except MedshareError as err:
            if cancelled is not None and cancelled():
                return None
            log.warning("refresh of account %s failed: %s", account.id, type(err).__name__)
            return AccountRefresh(account.id, label, error=str(err), unreachable=self._fetcher.is_unreachable(err))
        if fetched.cursor and fetched.cursor != since:
            self._save_cursor(account, fetched.cursor)
        return AccountRefresh(account.id, label, report.new, report.already_present, len(report.skipped))

    def _token(self, account: SourceAccount) -> str | None:
        key = self._fetcher.token_key(account)
        if key is None:
            return None
        try:
            return self._tokens.get(key)
        except MedshareError as err:  # no keyring: public sources still work without a token
            log.warning("token store unavailable (%s); fetching without a token", type(err).__name__)
            return None

    def _cursor(self, account: SourceAccount) -> str | None:
        if account.id is None:
            return None
        with self._uow() as tx:
            return tx.settings.get(f"{CURSOR_PREFIX}{account.id}")

    def _save_cursor(self, account: SourceAccount, cursor: str) -> None:
        if account.id is not None:
            with self._uow() as tx:
                tx.settings.set(f"{CURSOR_PREFIX}{account.id}", cursor)
