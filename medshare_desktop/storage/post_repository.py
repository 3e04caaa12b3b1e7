"""Posts and their findings: idempotent bulk import, inbox queries with full-text search."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, time

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Row,
    Select,
    and_,
    func,
    insert,
    literal_column,
    select,
    text,
    type_coerce,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.sql.dml import Insert

from medshare_desktop.core.errors import NotFoundError
from medshare_desktop.core.models import (
    Finding,
    ImportedPost,
    Platform,
    Post,
    PostState,
    Resolution,
    ReviewFinding,
    Severity,
)
from medshare_desktop.core.ports import PostFilter, PostSummary
from medshare_desktop.core.rules.ownership import handle_key
from medshare_desktop.core.rules.planner import PlanPost
from medshare_desktop.core.rules.search import search_terms
from medshare_desktop.storage import concurrent_edits, mappers
from medshare_desktop.storage.ordering import text_order
from medshare_desktop.storage.orm import FindingRow, PersonRow, PostRow
from medshare_desktop.storage.pg_search import full_text_match

EXCERPT_CHARS = 160
_CHUNK = 500


def _chunks(items: Sequence[str], size: int = _CHUNK) -> list[Sequence[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def fts_query(search: str, prefix: bool = True) -> str:
    """User words → an FTS5 query: every word must match, as a prefix; operators are neutralised.
    The words are bounded (rules/search.py), so no text typed or pasted makes a search slow.
    `prefix=False` gives the same words as whole words, which match a subset of the posts."""
    star = "*" if prefix else ""
    return " ".join(f'"{w}"{star}' for w in search_terms(search).terms)


BROAD_SEARCH = 2_000  # matches from which a search walks the sort index instead of sorting the matches
# What each sort orders by (then the id): every sort has an index on post that yields this order
SORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "posted_at": ("posted_at",),  # ix_post_posted_at
    "author": ("author",),  # ix_post_author
    "platform": ("platform",),  # ix_post_platform
    "state": ("state", "posted_at"),  # ix_post_state_posted_at: newest first within a state
    "risk": ("risk_level", "open_findings", "posted_at"),  # ix_post_risk: highest open severity, most open
}
INDEXED_SORTS = frozenset(SORT_COLUMNS)
_SEVERITY_OF_LEVEL = {s.rank: s for s in Severity}


def _summary_select() -> Select[tuple[object, ...]]:
    """The columns of an inbox row (PostSummary). A post with no author of its own (pasted text) shows the
    person it is linked to."""
    person_name = select(PersonRow.name).where(PersonRow.id == PostRow.person_id).scalar_subquery()
    return select(
        PostRow.id,
        func.coalesce(func.nullif(PostRow.author, ""), person_name, ""),
        PostRow.platform,
        PostRow.posted_at,
        func.substr(PostRow.text, 1, EXCERPT_CHARS),
        PostRow.state,
        PostRow.risk_summary,
        PostRow.risk_level,
        PostRow.open_findings,
    )


def _summary(r: Row[tuple[object, ...]]) -> PostSummary:
    return PostSummary(
        id=r[0],  # type: ignore[arg-type]
        author=r[1],  # type: ignore[arg-type]
        platform=Platform(r[2]),
        posted_at=r[3],  # type: ignore[arg-type]
        excerpt=" ".join(str(r[4]).split()),
        state=PostState(r[5]),
        risk_summary=r[6],  # type: ignore[arg-type]
        open_risk=_SEVERITY_OF_LEVEL.get(r[7]) if r[8] else None,  # type: ignore[call-overload]
        open_findings=r[8],  # type: ignore[arg-type]
    )


def _unindexed(column: ColumnElement[object]) -> ColumnElement[object]:
    """`+post.column`: the same value, but SQLite will not drive the query from an index on it."""
    return literal_column(f"+post.{column.name}", type_=column.type)  # type: ignore[attr-defined]


class SqlPostRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    # --- import -------------------------------------------------------------------------
    def claim_writes(self) -> None:
        """Takes the database's write lock now, so that what this transaction reads before it writes
        (posts already present, the head of the audit trail) cannot change under it: a second import
        of the same file waits for the first and then finds every post present."""
        if self._s.get_bind().dialect.name == "sqlite":
            # a write that changes nothing still begins the write transaction (waiting up to busy_timeout)
            self._s.execute(text("UPDATE post SET version = version WHERE 0"))

    def add_imported(
        self,
        posts: Sequence[ImportedPost],
        hashes: Sequence[str],
        owners: Sequence[tuple[int | None, int | None]],
        imported_at: datetime,
    ) -> tuple[list[int], int]:
        known_hashes: set[str] = set()
        for chunk in _chunks(list(hashes)):
            known_hashes.update(self._s.scalars(select(PostRow.content_hash).where(PostRow.content_hash.in_(chunk))))
        known_ids: set[tuple[str, str]] = set()
        by_platform: dict[str, list[str]] = {}
        for p in posts:
            if p.external_id:
                by_platform.setdefault(p.platform.value, []).append(p.external_id)
        for platform, ids in by_platform.items():
            for chunk in _chunks(ids):
                rows = self._s.scalars(
                    select(PostRow.external_id).where(PostRow.platform == platform, PostRow.external_id.in_(chunk))
                )
                known_ids.update((platform, str(r)) for r in rows)
        values: list[dict[str, object]] = []
        present = 0
        for p, digest, (account_id, person_id) in zip(posts, hashes, owners, strict=True):
            key = (p.platform.value, p.external_id) if p.external_id else None
            if digest in known_hashes or (key is not None and key in known_ids):
                present += 1
                continue
            known_hashes.add(digest)
            if key is not None:
                known_ids.add(key)  # type: ignore[arg-type]
            values.append(
                {
                    "source_account_id": account_id,
                    "person_id": person_id,
                    "platform": p.platform.value,
                    "external_id": p.external_id,
                    "url": p.url,
                    "author": p.author or p.handle,
                    "handle": handle_key(p.handle),
                    "text": p.text,
                    "media": "\n".join(p.media),
                    "posted_at": p.posted_at,
                    "imported_at": imported_at,
                    "state": PostState.NEW.value,
                    "reject_reason": "",
                    "shared_url": "",
                    "content_hash": digest,
                    "risk_summary": "",
                    "version": 1,
                    "likes": p.likes,
                    "reposts": p.reposts,
                }
            )
        # Unless the caller claimed the write lock first (claim_writes), the checks above may be older than
        # the transaction's first write: another import of the same posts may have landed since. A row that
        # now collides is skipped by the database and counted as present ("0 new", not an IntegrityError).
        statement = self._insert_new_only().returning(PostRow.id)
        new_ids: list[int] = []
        for i in range(0, len(values), _CHUNK):
            new_ids.extend(self._s.execute(statement, values[i : i + _CHUNK]).scalars())
        return new_ids, present + len(values) - len(new_ids)

    def _insert_new_only(self) -> Insert:
        dialect = self._s.get_bind().dialect.name
        if dialect == "sqlite":
            return sqlite_insert(PostRow).on_conflict_do_nothing()
        if dialect == "postgresql":
            return postgresql_insert(PostRow).on_conflict_do_nothing()
        return insert(PostRow)

    # --- whose posts ---------------------------------------------------------------------
    def unlinked(self, post_ids: Sequence[int]) -> list[int]:
        """Those of `post_ids` that are linked to no person, in id order."""
        found: list[int] = []
        for chunk in _chunks(list(post_ids)):  # type: ignore[arg-type]
            found.extend(self._s.scalars(select(PostRow.id).where(PostRow.id.in_(chunk), PostRow.person_id.is_(None))))
        return sorted(found)

    def link_handle(self, platform: Platform, handle_key: str, account_id: int, person_id: int) -> list[int]:
        """Links the posts from this platform and handle that have no person yet; returns their ids."""
        where = (PostRow.platform == platform.value, PostRow.handle == handle_key, PostRow.person_id.is_(None))
        ids = list(self._s.scalars(select(PostRow.id).where(*where).order_by(PostRow.id)))
        if ids:
            self._s.execute(
                update(PostRow)
                .where(*where)
                .values(person_id=person_id, source_account_id=account_id, version=PostRow.version + 1)
                .execution_options(synchronize_session=False)
            )
            self._s.expire_all()
        return ids

    def assign_person(self, post_ids: Sequence[int], person_id: int | None) -> dict[int, int | None]:
        """Sets the person of these posts; returns each changed post's person before (unchanged ones left out).
        A post changed this way has a new version, so an older copy of it cannot be saved over it."""
        before: dict[int, int | None] = {}
        seen: set[int] = set()
        for chunk in _chunks(list(post_ids)):  # type: ignore[arg-type]
            for post_id, old in self._s.execute(select(PostRow.id, PostRow.person_id).where(PostRow.id.in_(chunk))):
                seen.add(post_id)
                if old != person_id:
                    before[post_id] = old
        missing = set(post_ids) - seen
        if missing:
            raise NotFoundError(f"Post {min(missing)} does not exist (it may have been deleted).")
        changed = sorted(before)
        for chunk in _chunks(changed):  # type: ignore[arg-type]
            self._s.execute(
                update(PostRow)
                .where(PostRow.id.in_(chunk))
                .values(person_id=person_id, version=PostRow.version + 1)
                .execution_options(synchronize_session=False)
            )
        if changed:
            self._s.expire_all()
        return before

    # --- the month planner ---------------------------------------------------------------
    def planning_posts(self) -> list[PlanPost]:
        """Every approved (not yet scheduled) post as the month planner needs it, in three queries (no text:
        the planner's caller reads the excerpts of the few it drafts; posted_at comes back naive UTC)."""
        from medshare_desktop.storage.orm import PhotoTagRow

        approved = PostRow.state == PostState.APPROVED.value
        high = dict(
            self._s.execute(
                select(FindingRow.post_id, func.count())
                .join(PostRow, PostRow.id == FindingRow.post_id)
                .where(approved, FindingRow.severity == Severity.HIGH.value, FindingRow.resolution.is_(None))
                .group_by(FindingRow.post_id)
            ).all()
        )
        tags: dict[int, tuple[int, ...]] = {}
        for post_id, person_id in self._s.execute(
            select(PhotoTagRow.post_id, PhotoTagRow.person_id)
            .join(PostRow, PostRow.id == PhotoTagRow.post_id)
            .where(approved)
            .order_by(PhotoTagRow.post_id, PhotoTagRow.person_id)
        ):
            tags[post_id] = (*tags.get(post_id, ()), person_id)
        stmt = select(
            PostRow.id, PostRow.person_id, type_coerce(PostRow.posted_at, DateTime()), PostRow.media != ""
        ).where(approved)
        return [
            PlanPost(post_id, person_id, posted_at, bool(media), high.get(post_id, 0), tags.get(post_id, ()))
            for post_id, person_id, posted_at, media in self._s.execute(stmt)
        ]

    # --- single posts -------------------------------------------------------------------
    def _row(self, post_id: int) -> PostRow:
        row = self._s.get(PostRow, post_id)
        if row is None:
            raise NotFoundError(f"Post {post_id} does not exist (it may have been deleted).")
        return row

    def get(self, post_id: int) -> Post:
        return mappers.post(self._row(post_id))

    def save(self, post: Post) -> Post:
        assert post.id is not None
        row = self._row(post.id)
        if row.version != post.version:
            raise concurrent_edits.last_change(self._s, "post", post.id, "post")  # who and when, from the trail
        row.state = post.state.value
        row.repurposed_text = post.repurposed_text
        row.reject_reason = post.reject_reason
        row.shared_url = post.shared_url
        row.person_id = post.person_id
        row.source_account_id = post.source_account_id
        try:
            self._s.flush()  # the UPDATE is guarded by the version (the mapper's version_id_col)
        except StaleDataError:  # another desk's commit landed between our read and our write
            self._s.rollback()  # the transaction is lost anyway; a fresh one reads who won
            raise concurrent_edits.last_change(self._s, "post", post.id, "post") from None
        return mappers.post(row)

    # --- inbox queries ------------------------------------------------------------------
    def _where(
        self, flt: PostFilter, walk_index: bool = False, walk_sort: str = "", search_drives: bool = False
    ) -> list[ColumnElement[bool]]:
        """`walk_index`: phrase the search so that SQLite walks the sort column's index and probes the
        matches, stopping after a page, instead of sorting every match (right for broad searches).
        `walk_sort`: the same for the other filters (state, person, platform, dates), except one on the
        sort's own leading column, whose index serves the filter and the order at once.
        `search_drives`: a narrow search's few matches are read first and the other filters checked on
        them (SQLite cannot tell how few they are)."""
        clauses: list[ColumnElement[bool]] = []
        leading = SORT_COLUMNS.get(walk_sort, ("",))[0] if walk_sort and self._sqlite() else None
        if search_drives and self._sqlite():
            leading = ""

        def col(column: ColumnElement[object]) -> ColumnElement[object]:
            return _unindexed(column) if leading is not None and column.name != leading else column  # type: ignore[attr-defined]

        if flt.states:
            clauses.append(col(PostRow.state).in_([s.value for s in flt.states]))
        if flt.person_id is not None:
            clauses.append(col(PostRow.person_id) == flt.person_id)
        if flt.platform is not None:
            clauses.append(col(PostRow.platform) == flt.platform.value)
        if flt.date_from is not None:
            clauses.append(col(PostRow.posted_at) >= datetime.combine(flt.date_from, time.min, UTC))
        if flt.date_to is not None:
            clauses.append(col(PostRow.posted_at) <= datetime.combine(flt.date_to, time.max, UTC))
        if flt.risk_category is not None:
            # the posts with an open finding of the category, read from ix_finding_open_category
            post_id = (PostRow.id + 0) if leading is not None else PostRow.id
            clauses.append(
                post_id.in_(
                    select(FindingRow.post_id).where(
                        FindingRow.category == flt.risk_category.value, FindingRow.resolution.is_(None)
                    )
                )
            )
        if flt.unanalysed_only:
            clauses.append(PostRow.risk_summary == "")
        if flt.search.strip():
            clauses.append(self._search_clause(flt.search, walk_index))
        return clauses

    def _search_clause(self, search: str, walk_index: bool = False) -> ColumnElement[bool]:
        if self._s.get_bind().dialect.name == "sqlite":
            query = fts_query(search)
            if not query:
                return and_(text("1=1"))
            # "id + 0" is not the primary key any more, so SQLite cannot drive the query from the matches
            post_id = (PostRow.id + 0) if walk_index else PostRow.id
            return post_id.in_(
                select(text("rowid")).select_from(text("post_fts")).where(text("post_fts MATCH :q"))
            ).params(q=query)
        words = search_terms(search).terms
        if not words:
            return and_(text("1=1"))
        return full_text_match(words)

    def _ordered(self, stmt: Select[tuple[object, ...]], flt: PostFilter) -> Select[tuple[object, ...]]:
        names = SORT_COLUMNS.get(flt.sort, SORT_COLUMNS["posted_at"])
        columns = [getattr(PostRow, name) for name in names] + [PostRow.id]
        columns = [text_order(c, self._s) if c is PostRow.author else c for c in columns]  # SQLite's byte order
        return stmt.order_by(*(c.desc() if flt.descending else c.asc() for c in columns))

    def _sqlite(self) -> bool:
        return self._s.get_bind().dialect.name == "sqlite"

    def _broad(self, flt: PostFilter) -> bool:
        """Whether at least BROAD_SEARCH posts match: then walking the sort's index and checking each
        post stops after a page sooner than sorting every match does."""
        has_filters = flt != PostFilter(search=flt.search, sort=flt.sort, descending=flt.descending)
        if flt.search.strip() and not self._broad_search(flt):
            return False  # a narrow search: sorting its few matches is quick
        if not has_filters:
            return bool(flt.search.strip())
        # the other filters counted apart (from their indexes, cheap): matching the search as well is
        # not counted, which would cost as much as the query itself
        others = replace(flt, search="")
        limited = select(PostRow.id).where(*self._where(others)).limit(BROAD_SEARCH).subquery()
        return int(self._s.scalar(select(func.count()).select_from(limited)) or 0) >= BROAD_SEARCH

    def _search_only(self, flt: PostFilter) -> bool:
        return (
            self._s.get_bind().dialect.name == "sqlite"
            and bool(fts_query(flt.search))
            and flt == PostFilter(search=flt.search, sort=flt.sort, descending=flt.descending)
        )

    def _fts_count(self, query: str, cap: int) -> int:
        capped = text("SELECT count(*) FROM (SELECT rowid FROM post_fts WHERE post_fts MATCH :q LIMIT :cap)")
        # Whole words match a subset of what prefixes match, and FTS5 reads them without first merging
        # the lists of every word sharing the prefix: when they alone reach the cap, so do the prefixes.
        whole = query.replace('"*', '"')
        if whole != query and int(self._s.scalar(capped, {"q": whole, "cap": cap}) or 0) >= cap:
            return cap
        return int(self._s.scalar(capped, {"q": query, "cap": cap}) or 0)

    def _broad_search(self, flt: PostFilter) -> bool:
        """A search matching so many posts that walking an index and probing the matches beats sorting them."""
        query = fts_query(flt.search) if self._s.get_bind().dialect.name == "sqlite" else ""
        return bool(query) and self._fts_count(query, BROAD_SEARCH) >= BROAD_SEARCH

    def query(self, flt: PostFilter, offset: int = 0, limit: int = 200) -> list[PostSummary]:
        # Sort and cut only ids first, then fetch the page's rows: sorting 100,000 matches with their
        # excerpts attached is what makes a broad search slow.
        walk = flt.sort in INDEXED_SORTS and self._broad(flt)
        narrow_search = not walk and bool(fts_query(flt.search)) and not self._broad_search(flt)
        where = self._where(flt, walk_index=walk, walk_sort=flt.sort if walk else "", search_drives=narrow_search)
        page_ids = self._ordered(select(PostRow.id).where(*where), flt).offset(offset).limit(limit)
        stmt = _summary_select().where(PostRow.id.in_(page_ids.scalar_subquery()))
        stmt = self._ordered(stmt, flt)
        return [_summary(r) for r in self._s.execute(stmt)]

    def summaries(self, post_ids: Sequence[int]) -> list[PostSummary]:
        """The inbox rows of the posts given, in the order given (an order decided elsewhere: suggestions)."""
        found: dict[int, PostSummary] = {}
        ids = list(post_ids)
        for i in range(0, len(ids), _CHUNK):
            for r in self._s.execute(_summary_select().where(PostRow.id.in_(ids[i : i + _CHUNK]))):
                found[r[0]] = _summary(r)
        return [found[i] for i in ids if i in found]

    def count(self, flt: PostFilter, cap: int | None = None) -> int:
        """How many posts match; with `cap`, counting stops at cap (the inbox shows "10,000+")."""
        if cap is None:
            return int(self._s.scalar(select(func.count()).select_from(PostRow).where(*self._where(flt))) or 0)
        if self._search_only(flt):
            return self._fts_count(fts_query(flt.search), cap)  # every indexed row is a post: count in the index
        broad = self._broad_search(flt)
        narrow_search = not broad and bool(fts_query(flt.search))
        limited = select(PostRow.id).where(*self._where(flt, walk_index=broad, search_drives=narrow_search)).limit(cap)
        limited = limited.subquery()
        return int(self._s.scalar(select(func.count()).select_from(limited)) or 0)

    # --- findings -----------------------------------------------------------------------
    def replace_findings(self, post_id: int, findings: Sequence[Finding], summary: str) -> list[ReviewFinding]:
        """Store a fresh analysis. Resolutions of findings that are found again (same span text,
        category, kind and rule) are carried over, so re-analysis never loses a reviewer's decision.
        A finding found again also keeps its id (its row is updated in place), so a screen or another
        desk still showing the earlier analysis acts on the same finding; on either engine alike."""
        row = self._row(post_id)
        self._lock_post_for_findings(post_id)
        earlier = list(self._s.scalars(
            select(FindingRow).where(FindingRow.post_id == post_id).order_by(FindingRow.start, FindingRow.id)
        ))
        old = {
            (f.text, f.category, f.kind, f.rule): f
            for f in earlier
            # "fixed" means gone from the text: a finding found again is open again
            if f.resolution and f.resolution != Resolution.FIXED.value
        }
        reusable: dict[tuple[str, str, str, str], list[FindingRow]] = {}
        for f in earlier:
            reusable.setdefault((f.text, f.category, f.kind, f.rule), []).append(f)
        rows = []
        for f in findings:
            key = (f.text, f.category.value, f.kind, f.rule)
            previous = old.get(key)
            same = reusable.get(key)
            kept = same.pop(0) if same else None
            new = kept if kept is not None else FindingRow(post_id=post_id)
            new.start, new.end, new.text = f.start, f.end, f.text
            new.category, new.kind, new.severity, new.rule = f.category.value, f.kind, f.severity.value, f.rule
            new.message, new.suggestion = f.message, f.suggestion
            new.resolution = previous.resolution if previous else None
            new.resolution_reason = previous.resolution_reason if previous else ""
            new.resolved_by = previous.resolved_by if previous else ""
            new.resolved_at = previous.resolved_at if previous else None
            if kept is None:
                self._s.add(new)
            rows.append(new)
        for left in reusable.values():  # earlier findings not found again
            for f in left:
                self._s.delete(f)
        # a plain table UPDATE: analysis results are not an edit, so the post's version stays
        self._s.execute(update(PostRow.__table__).where(PostRow.__table__.c.id == post_id).values(risk_summary=summary))
        self._s.flush()
        self._s.expire(row, ["risk_summary"])
        return [mappers.finding(r) for r in rows]

    def findings(self, post_id: int) -> list[ReviewFinding]:
        rows = self._s.scalars(
            select(FindingRow).where(FindingRow.post_id == post_id).order_by(FindingRow.start, FindingRow.id)
        )
        return [mappers.finding(r) for r in rows]

    def get_finding(self, finding_id: int) -> ReviewFinding:
        row = self._s.get(FindingRow, finding_id)
        if row is None:
            raise NotFoundError(f"Finding {finding_id} does not exist (the post may have been re-analysed).")
        return mappers.finding(row)

    def resolve_finding(
        self, finding_id: int, resolution: Resolution, reason: str, by: str, at: datetime
    ) -> ReviewFinding:
        row = self._finding_for_change(finding_id)
        row.resolution = resolution.value
        row.resolution_reason = reason
        row.resolved_by = by
        row.resolved_at = at
        self._s.flush()
        return mappers.finding(row)

    def reopen_finding(self, finding_id: int) -> ReviewFinding:
        row = self._finding_for_change(finding_id)
        row.resolution = None
        row.resolution_reason = ""
        row.resolved_by = ""
        row.resolved_at = None
        self._s.flush()
        return mappers.finding(row)

    def _lock_post_for_findings(self, post_id: int) -> None:
        """Take the post's row lock before reading the findings a write will replace or resolve (a no-op
        clause on SQLite, whose writer holds the whole file). On a server this locking read is also what
        starts the transaction's writing turn (storage/writer_queue.py) before the findings are read, so a
        new check never carries over resolutions read before another desk's resolve committed; and the post
        is always locked before its findings, whose triggers (migration 0016) update the post row."""
        self._s.execute(select(PostRow.id).where(PostRow.id == post_id).with_for_update())

    def _finding_for_change(self, finding_id: int) -> FindingRow:
        post_id = self._s.scalar(select(FindingRow.post_id).where(FindingRow.id == finding_id))
        if post_id is not None:
            self._lock_post_for_findings(post_id)
        row = self._s.get(FindingRow, finding_id, populate_existing=True)
        if row is None:
            raise NotFoundError(f"Finding {finding_id} does not exist (the post may have been re-analysed).")
        return row

    def is_analysed(self, post_id: int) -> bool:
        """Whether the risk engine has checked the post's current text to share."""
        return bool(self._s.scalar(select(PostRow.risk_summary).where(PostRow.id == post_id)))
