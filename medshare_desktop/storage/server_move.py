"""Copy a solo SQLite database to an empty server database in one transaction (team mode, issue 17).

`SqlServerMover.move` does, on one connection to the server and in one transaction:

1. refuses a database that already holds rows (it names the tables); an empty one may have no tables
   yet, or the app's tables already created by IT;
2. runs the migrations to the newest schema;
3. copies every table's rows with their ids, in foreign-key order, then moves PostgreSQL's sequences
   past the highest id;
4. copies the evidence folder's files that the records name into `evidence_content`;
5. checks each table's row count and SHA-256 (over its rows in key order) against the file, each
   evidence file's SHA-256 read back, and that the audit trail verifies on the server;

and commits only then: a failure or a cancel at any step leaves the server database as it was. The
file is read in one read-only snapshot (PRAGMA query_only) and is left exactly as it was.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Column, Connection, Engine, MetaData, Table, event, func, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from medshare_desktop.core.errors import DatabaseError, MedshareError
from medshare_desktop.core.ports import UnitOfWorkFactory
from medshare_desktop.core.rules.consent import evidence_type
from medshare_desktop.core.services.server_move_service import (
    AuditCheck,
    MoveCancelled,
    MoveReport,
    Progress,
    TableCopy,
)
from medshare_desktop.storage.database import make_engine, sqlite_file
from medshare_desktop.storage.db_evidence_store import insert_content, verified_content
from medshare_desktop.storage.evidence_store import FileEvidenceStore
from medshare_desktop.storage.file_check import server_error
from medshare_desktop.storage.migrate import MIGRATION_LOCK, alembic_config, current_revision, head_revision
from medshare_desktop.storage.orm import Base
from medshare_desktop.storage.team_roles import prepare_migration

log = logging.getLogger(__name__)

CHUNK = 2_000
VERSION_TABLE = "alembic_version"
CONTENT_TABLE = "evidence_content"  # copied, then filled from the evidence folder: checked file by file


def shown(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - not a URL at all: show what comes after any credentials
        return url.split("@")[-1]


# --- checksums ----------------------------------------------------------------------------------
def _canonical(value: Any) -> Any:
    """A value as both engines give it back, in a form JSON can hold (types told apart by a tag)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return ["b", int(value)]
    if isinstance(value, int):
        return ["i", value]
    if isinstance(value, float):
        return ["f", repr(value)]
    if isinstance(value, bytes | bytearray | memoryview):
        return ["x", hashlib.sha256(bytes(value)).hexdigest()]
    if isinstance(value, datetime):
        naive = value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo is not None else value
        return ["t", naive.isoformat()]
    if isinstance(value, date):
        return ["d", value.isoformat()]
    return ["s", str(value)]


class TableDigest:
    """Rows in any order in, one SHA-256 over them in key order out (text keys sort alike on both sides)."""

    def __init__(self, key_positions: Sequence[int]) -> None:
        self._keys = key_positions
        self._rows: list[tuple[tuple[Any, ...], bytes]] = []

    def add(self, row: Sequence[Any]) -> None:
        canonical = [_canonical(v) for v in row]
        encoded = json.dumps(canonical, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        key = tuple(json.dumps(canonical[i]) for i in self._keys) if self._keys else (encoded.hex(),)
        self._rows.append((key, hashlib.sha256(encoded).digest()))

    @property
    def count(self) -> int:
        return len(self._rows)

    def hexdigest(self) -> str:
        total = hashlib.sha256()
        for _key, digest in sorted(self._rows):
            total.update(digest)
        return total.hexdigest()


# --- the copy -----------------------------------------------------------------------------------
def _snapshot_engine(url: str) -> Engine:
    """The file, read-only, each transaction one consistent snapshot (explicit BEGIN ... COMMIT)."""
    engine = make_engine(url, read_only=True)

    def autocommit_driver(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    event.listen(engine, "connect", autocommit_driver)
    event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
    return engine


def _copy_table(name: str, source: Table, target: Table) -> Table:
    """The columns both sides hold (not the server's generated ones), typed as the app's tables type them."""
    known = Base.metadata.tables.get(name)
    columns = []
    for column in target.columns:
        if column.computed is not None or column.name not in source.columns:
            continue
        typed = known.columns[column.name].type if known is not None and column.name in known.columns else column.type
        columns.append(Column(column.name, typed, primary_key=column.primary_key))
    return Table(name, MetaData(), *columns)


def _digest_of(table: Table) -> TableDigest:
    return TableDigest([i for i, c in enumerate(table.columns) if c.primary_key])


def _rows(connection: Connection, table: Table) -> Iterable[Sequence[Any]]:
    result = connection.execute(select(*table.columns).execution_options(yield_per=CHUNK))
    for partition in result.partitions(CHUNK):
        yield from partition


def _fail_copy(name: str, exc: Exception) -> DatabaseError:
    first = str(getattr(exc, "orig", exc)).strip().splitlines()
    detail = first[0] if first else type(exc).__name__
    return DatabaseError(
        f"Copying the table {name} to the server failed: {detail}. Nothing was moved; the server database was "
        "left as it was."
    )


def _reset_sequences(connection: Connection) -> None:
    """Each sequence a column owns (serial ids) continues after the highest id copied."""
    owned = connection.execute(text(
        "SELECT s.relname, t.relname, a.attname FROM pg_class s "
        "JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass "
        "AND d.refclassid = 'pg_class'::regclass "
        "JOIN pg_class t ON t.oid = d.refobjid "
        "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid "
        "WHERE s.relkind = 'S' AND t.relnamespace = current_schema()::regnamespace"
    )).all()
    preparer = connection.dialect.identifier_preparer
    for sequence, table, column in owned:
        highest = connection.execute(
            text(f"SELECT MAX({preparer.quote(column)}) FROM {preparer.quote(table)}")
        ).scalar()
        connection.execute(
            text("SELECT setval(:seq, :value, :called)"),
            {"seq": preparer.quote(sequence), "value": highest or 1, "called": highest is not None},
        )


class _BoundDatabase:
    """Enough of storage.Database for a unit of work inside the move's transaction (savepoints)."""

    def __init__(self, connection: Connection, url: str) -> None:
        self._connection = connection
        self.url = url

    def session(self) -> Session:
        return Session(bind=self._connection, join_transaction_mode="create_savepoint", expire_on_commit=False)


class SqlServerMover:
    """The DatabaseMover port: from the SQLite file at `source_url` (its evidence in `evidence_folder`)."""

    def __init__(self, source_url: str, evidence_folder: Path | str | None = None) -> None:
        self._source_url = source_url
        self._evidence = FileEvidenceStore(evidence_folder)

    def move(
        self,
        target_url: str,
        audit_check: AuditCheck,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
        password: str = "",
    ) -> MoveReport:
        say = progress or (lambda _line: None)
        if password:
            try:
                target_url = make_url(target_url).set(password=password).render_as_string(hide_password=False)
            except Exception as exc:  # noqa: BLE001 - not an address at all
                raise server_error(target_url, exc) from exc

        def check_cancel() -> None:
            if cancelled is not None and cancelled():
                raise MoveCancelled("The move was cancelled; nothing was kept on the server.")

        started = time.perf_counter()
        source_file = sqlite_file(self._source_url)
        if source_file is None:
            raise DatabaseError(
                f"Only a database file can be moved to a server; {shown(self._source_url)} is not one."
            )
        if not Path(source_file).is_file():
            raise DatabaseError(f"{source_file}: no database there; name the file to move with --db")
        if sqlite_file(target_url) is not None or make_url(target_url).get_backend_name() == "sqlite":
            raise DatabaseError(
                f"{shown(target_url)} is a SQLite database; give the team server's address "
                "(postgresql+psycopg://user@host/database)."
            )
        source = _snapshot_engine(self._source_url)
        try:
            revision = current_revision(source)
            if revision != head_revision():
                raise DatabaseError(
                    f"{source_file} is at schema version {revision or 'none'}, this app at {head_revision()}: open it "
                    "once with this version of MedShare Desktop (it upgrades it), then move it."
                )
            try:
                target = make_engine(target_url)
                connection = target.connect()
            except MedshareError:
                raise
            except Exception as exc:  # noqa: BLE001 - unreachable server, wrong password, missing driver
                raise server_error(target_url, exc) from exc
            try:
                with source.connect() as reading, connection.begin():
                    reading.begin()
                    report = self._copy(reading, connection, target_url, source_file, revision, audit_check, say,
                                        check_cancel)
                    say("Committing on the server…")
            except MedshareError:
                raise
            except Exception as exc:  # noqa: BLE001 - the connection lost, a migration refused: one sentence
                first = str(getattr(exc, "orig", exc)).strip().splitlines()
                raise DatabaseError(
                    f"The move to {shown(target_url)} failed: {first[0] if first else type(exc).__name__}. "
                    "Nothing was kept on the server; the file here is unchanged."
                ) from exc
            finally:
                connection.close()
                target.dispose()
        finally:
            source.dispose()
        report = MoveReport(report.source, report.target, report.revision, report.tables, report.evidence_files,
                            report.evidence_bytes, report.audit_events, time.perf_counter() - started, report.warnings)
        say(f"Done in {report.seconds:.1f} s.")
        log.info("database moved to a server: %d rows, %d evidence files", report.rows, report.evidence_files)
        return report

    def _copy(
        self,
        reading: Connection,
        writing: Connection,
        target_url: str,
        source_file: str,
        revision: str,
        audit_check: AuditCheck,
        say: Progress,
        check_cancel: Callable[[], None],
    ) -> MoveReport:
        where = shown(target_url)
        # the lock desks take to upgrade the schema (storage/migrate.py), held to the end of this transaction:
        # a desk starting meanwhile waits and then opens the moved data, never a half-filled database
        writing.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        say(f"Checking that {where} is empty…")
        _refuse_data(writing, where)
        check_cancel()
        say(f"Creating the tables on the server (schema version {revision})…")
        from alembic import command

        config = alembic_config(target_url)
        config.attributes["connection"] = writing
        prepare_migration(writing)  # tables IT created already: copied into as their owner, who keeps them
        command.upgrade(config, "head")
        check_cancel()

        source_meta, target_meta = MetaData(), MetaData()
        source_meta.reflect(reading)
        target_meta.reflect(writing)
        names = [t.name for t in target_meta.sorted_tables if t.name in source_meta.tables and t.name != VERSION_TABLE]
        missing = sorted(set(Base.metadata.tables) - set(names))
        if missing:
            raise DatabaseError(f"The server's schema lacks the table(s) {', '.join(missing)}; nothing was moved.")
        copies: list[TableCopy] = []
        for name in names:
            check_cancel()
            table = _copy_table(name, source_meta.tables[name], target_meta.tables[name])
            digest = _digest_of(table)
            batch: list[dict[str, Any]] = []
            keys = [c.name for c in table.columns]
            try:
                for row in _rows(reading, table):
                    digest.add(row)
                    batch.append(dict(zip(keys, row, strict=True)))
                    if len(batch) >= CHUNK:
                        writing.execute(table.insert(), batch)
                        batch = []
                        check_cancel()
                if batch:
                    writing.execute(table.insert(), batch)
            except MedshareError:
                raise
            except Exception as exc:  # noqa: BLE001 - a value the server refuses: named with its table
                raise _fail_copy(name, exc) from exc
            copies.append(TableCopy(name, digest.count, digest.hexdigest()))
            if digest.count or name != CONTENT_TABLE:
                say(f"Copied {name}: {digest.count} row(s)")
        if writing.dialect.name == "postgresql":
            _reset_sequences(writing)

        files, size, warnings = self._copy_evidence(reading, writing, say)
        check_cancel()
        say("Checking row counts and checksums on the server…")
        for copy in copies:
            if copy.name == CONTENT_TABLE:
                continue
            table = _copy_table(copy.name, source_meta.tables[copy.name], target_meta.tables[copy.name])
            digest = _digest_of(table)
            for row in _rows(writing, table):
                digest.add(row)
            if digest.count != copy.rows or digest.hexdigest() != copy.sha256:
                raise DatabaseError(
                    f"The table {copy.name} on the server does not match the file after copying ({digest.count} "
                    f"row(s) there, {copy.rows} in the file, or different values); nothing was moved."
                )
        check_cancel()
        say("Verifying the audit trail on the server…")
        problems = list(audit_check(cast(UnitOfWorkFactory, _unit_of_work(writing, target_url))))
        if problems:
            raise DatabaseError(
                f"The audit trail does not verify on the server after copying: {problems[0]} Nothing was moved."
            )
        events = writing.execute(text("SELECT COUNT(*) FROM audit_event")).scalar() or 0
        return MoveReport(source_file, where, revision, tuple(copies), files, size, int(events), 0.0,
                          tuple(warnings))

    def _copy_evidence(self, reading: Connection, writing: Connection, say: Progress) -> tuple[int, int, list[str]]:
        """The files the records name, from the evidence folder into the database, each read back and checked."""
        named: dict[str, tuple[str, str]] = {}
        for sha, name, media in reading.execute(text("SELECT sha256, stored_name, media_type FROM evidence_file")):
            named.setdefault(sha, (name, media))
        for path, sha in reading.execute(
            text("SELECT evidence_path, evidence_sha256 FROM consent_record WHERE evidence_sha256 <> ''")
        ):
            named.setdefault(sha, (path, ""))
        files = size = 0
        warnings: list[str] = []
        for sha, (name, media) in sorted(named.items()):
            stored_name = Path(name).name
            try:
                data = Path(self._evidence.locate(name)).read_bytes()
            except (MedshareError, OSError):
                warnings.append(f"{stored_name} is missing from the evidence folder {self._evidence.folder}: not copied")
                continue
            if hashlib.sha256(data).hexdigest() != sha:
                warnings.append(f"{stored_name} in the evidence folder no longer matches its SHA-256: not copied")
                continue
            kind = evidence_type(data[:16])
            insert_content(writing, sha, stored_name, media or (kind[0] if kind else "application/octet-stream"), data)
            if verified_content(writing, stored_name)[0] != sha:
                raise DatabaseError(f"The evidence file {stored_name} did not arrive intact on the server.")
            files, size = files + 1, size + len(data)
        say(f"Copied {files} evidence file(s) ({size:,} bytes)")
        return files, size, warnings


def _unit_of_work(connection: Connection, url: str) -> Callable[[], Any]:
    from medshare_desktop.storage.unit_of_work import SqlUnitOfWork

    bound = _BoundDatabase(connection, url)
    return lambda: SqlUnitOfWork(cast(Any, bound))


def _refuse_data(connection: Connection, where: str) -> None:
    """A DatabaseError naming what the server database already holds; nothing when it is empty."""
    tables = inspect(connection).get_table_names()
    if not tables:
        return
    if VERSION_TABLE not in tables:
        listed = ", ".join(sorted(tables)[:5]) + (" …" if len(tables) > 5 else "")
        raise DatabaseError(
            f"The database {where} already holds tables that are not MedShare's ({listed}); move to an empty "
            "database (ask IT for a new one)."
        )
    preparer = connection.dialect.identifier_preparer
    held = []
    for name in sorted(tables):
        if name == VERSION_TABLE:
            continue
        count = connection.execute(select(func.count()).select_from(text(preparer.quote(name)))).scalar() or 0
        if count:
            held.append(f"{name}: {count}")
    if held:
        raise DatabaseError(
            f"The database {where} already holds data ({'; '.join(held[:6])} row(s)); migrate-to only fills an "
            "empty database, so nothing was copied. Choose an empty database, or open this one with --db."
        )
