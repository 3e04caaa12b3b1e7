"""Team server connections: the password from the keyring at connect time, a one-off connection test,
and driver errors turned into sentences that name the host, port, user or database at fault.

A server URL on disk (the per-user config, `--db`, `MEDSHARE_DB`) carries no password: `make_engine`
calls `use_keyring_password`, and each new connection asks the keyring for the entry
ServerAddress.password_entry names ("database:user@host:port/database" under "MedShare Desktop").
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import unquote

import keyring
from keyring.errors import KeyringError, NoKeyringError
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from medshare_desktop.core.database_location import SchemaState, ServerAddress, ServerCheck, password_entry
from medshare_desktop.core.errors import DatabaseError
from medshare_desktop.paths import default_db_path, save_database_url, saved_database_url

log = logging.getLogger(__name__)

KEYRING_SERVICE = "MedShare Desktop"
CONNECT_TIMEOUT_S = 8


def engine_url(url: str) -> URL:
    """The URL as the driver should see it: the database name percent-decoded, as libpq decodes every part
    (SQLAlchemy decodes the user and password only), so a name with '?', '/' or '%' survives the trip."""
    parsed = make_url(url)
    return parsed.set(database=unquote(parsed.database)) if parsed.database else parsed


def entry_for(url: URL) -> str:
    return password_entry(url.username or "", url.host or "localhost", url.port, url.database or "")


def stored_password(entry: str) -> str | None:
    try:
        return keyring.get_password(KEYRING_SERVICE, entry)
    except (KeyringError, RuntimeError, OSError) as exc:
        log.warning("keyring could not be read for a server password (%s)", type(exc).__name__)
        return None


def use_keyring_password(engine: Engine, url: URL) -> None:
    """When the URL has no password, each new connection takes the keyring's; without one stored, a server
    asking for a password is answered with a sentence saying where to put it."""
    if url.password is not None:
        return
    entry = entry_for(url)

    @event.listens_for(engine, "do_connect")
    def _password(dialect: Any, _record: Any, cargs: Any, cparams: dict[str, Any]) -> Any:
        password = stored_password(entry)
        if password:
            cparams["password"] = password
            return None
        try:
            return dialect.connect(*cargs, **cparams)
        except dialect.loaded_dbapi.OperationalError as exc:
            if "no password supplied" in str(exc) or "password authentication failed" in str(exc):
                raise DatabaseError(no_password_message(url, entry)) from None
            raise


def no_password_message(url: URL, entry: str) -> str:
    where = f"{url.username}@{url.host}:{url.port or 5432}/{url.database}"
    return (
        f"The team server asks for the password of {where}, and none is stored in this computer's keyring. "
        f"Save it in Settings → Database (start once on this computer's database: medshare --db "
        f"\"{default_db_path()}\"), or store it from a terminal: keyring set \"{KEYRING_SERVICE}\" \"{entry}\"."
    )


def describe_failure(address: ServerAddress, exc: BaseException) -> str:
    """A sentence for a failed connection: what is wrong (password, host, certificate, database) and what to do."""
    detail = str(getattr(exc, "orig", None) or exc).strip()
    low = detail.lower()
    at = f"{address.host}:{address.port}"
    if "server does not support ssl" in low:
        return (f"The server at {at} does not offer an encrypted (TLS) connection, which {address.tls} requires: "
                "ask your IT team to turn TLS on.")
    if "root certificate file" in low and "does not exist" in low and address.ca_file:
        return f"The CA file {address.ca_file} does not exist on this computer: choose it again."
    if "root certificate file" in low and "does not exist" in low:
        return (f"The server's certificate cannot be checked: no CA file is chosen and none is installed for "
                f"this user. Choose the CA certificate your IT team gave you for {address.host}.")
    if "does not match host name" in low or ("certificate" in low and "host" in low and "match" in low):
        return (f"The server's certificate failed: it was not issued for the name {address.host!r}. Use the "
                "host name written on the certificate (ask your IT team).")
    if "certificate" in low or "ssl error" in low or ("tls" in low and "handshake" in low):
        return (f"The server's certificate failed for {at}: it is not signed by the CA file chosen here, or "
                "has expired. Check the CA file with your IT team.")
    if "password authentication failed" in low:
        return (f"The server at {at} refused the password for user {address.user!r}: check the password "
                "(and the user name) and try again.")
    if "no password supplied" in low:
        return f"The server at {at} asks for a password for user {address.user!r}: enter it and try again."
    if "does not exist" in low and "database" in low:
        return (f"The server at {at} has no database named {address.database!r}: check the name with your IT "
                "team (it may not be created yet).")
    if "role" in low and "does not exist" in low:
        return f"The server at {at} has no user {address.user!r}: check the user name with your IT team."
    if "pg_hba.conf" in low:
        return (f"The server at {at} does not let user {address.user!r} in from this computer: ask your IT team "
                "to allow it (pg_hba.conf).")
    if "could not translate host name" in low or "name or service not known" in low or "nodename nor servname" in low \
            or "failed to resolve" in low:
        return (f"The host name {address.host!r} cannot be found: check its spelling, and that this computer is on "
                "the hospital network (or its VPN).")
    if "connection refused" in low:
        return (f"Nothing answers at {at}: check the host name and port, and that the server is running and lets "
                "this computer through its firewall.")
    if "timeout" in low or "timed out" in low:
        return (f"The server at {at} did not answer within {CONNECT_TIMEOUT_S} seconds: check the host name and "
                "port, and that this computer is on the hospital network (or its VPN).")
    if "permission denied" in low:
        return f"User {address.user!r} may not connect to the database {address.database!r} at {at}: ask your IT team."
    first = detail.splitlines()[0] if detail else type(exc).__name__
    return f"The server at {at} could not be reached as {address.user!r}: {first}"


class PostgresServerProbe:
    """The core's ServerProbe: one connection, the server's version and the schema's state, then closed."""

    def check(self, address: ServerAddress, password: str | None) -> ServerCheck:
        from medshare_desktop.storage.migrate import head_revision, known_revisions

        args: dict[str, Any] = {"connect_timeout": CONNECT_TIMEOUT_S}
        if password:
            args["password"] = password
        engine = create_engine(engine_url(address.url()), poolclass=NullPool, connect_args=args, hide_parameters=True)
        try:
            with engine.connect() as conn:
                version = str(conn.execute(text("SHOW server_version")).scalar() or "").split(" ")[0]
                has_version_table = conn.execute(text("SELECT to_regclass('alembic_version') IS NOT NULL")).scalar()
                revisions = (conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
                             if has_version_table else [])
                tables = conn.execute(text(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()")).scalar()
        except DBAPIError as exc:
            log.info("connection test to a team server failed (%s)", type(getattr(exc, "orig", exc)).__name__)
            return ServerCheck(False, describe_failure(address, exc))
        except DatabaseError as exc:
            return ServerCheck(False, str(exc))
        finally:
            engine.dispose()
        if len(revisions) == 1 and revisions[0] == head_revision():
            schema = SchemaState.CURRENT
        elif len(revisions) == 1 and revisions[0] in known_revisions():
            schema = SchemaState.NEEDS_UPGRADE
        elif len(revisions) == 1:
            schema = SchemaState.NEWER
        elif not revisions and not tables:
            schema = SchemaState.EMPTY
        else:
            schema = SchemaState.UNKNOWN
        return ServerCheck(True, connected_message(address, version, schema), version, schema)


def connected_message(address: ServerAddress, version: str, schema: SchemaState) -> str:
    said = f"Connected to PostgreSQL {version} at {address.host}:{address.port} as {address.user!r}."
    return said + " " + {
        SchemaState.CURRENT: f"The database {address.database!r} is at this app's version: ready to use.",
        SchemaState.NEEDS_UPGRADE: f"The database {address.database!r} needs an upgrade to this app's version; "
        "it is upgraded when the app starts on it (by a user allowed to change the schema).",
        SchemaState.EMPTY: f"The database {address.database!r} is empty: the app creates its tables on the first "
        "start (by a user allowed to change the schema), or move your data there with File → Move to a team server….",
        SchemaState.NEWER: f"The database {address.database!r} was upgraded by a newer version of MedShare Desktop: "
        "update this app before using it.",
        SchemaState.UNKNOWN: f"The database {address.database!r} holds other tables and is not a MedShare Desktop "
        "database: check the database name.",
    }[schema]


class KeyringServerPasswords:
    """The core's ServerPasswordStore over `keyring`; a password never reaches a message or the log."""

    def get(self, entry: str) -> str | None:
        return stored_password(entry)

    def set(self, entry: str, password: str) -> None:
        try:
            keyring.set_password(KEYRING_SERVICE, entry, password)
        except NoKeyringError:
            raise DatabaseError(
                "No system keyring is available, so the server password cannot be stored: install or unlock one "
                "(Windows Credential Manager, macOS Keychain, GNOME Keyring or KWallet) and save again."
            ) from None
        except (KeyringError, RuntimeError, OSError) as exc:
            log.warning("keyring could not store a server password (%s)", type(exc).__name__)
            raise DatabaseError(
                f"The system keyring could not store the server password ({type(exc).__name__}): unlock the keyring "
                "and save again."
            ) from None


class ConfigFileDatabaseChoice:
    """The core's DatabaseChoiceStore over the per-user config file that paths.database_url reads."""

    def load(self) -> str | None:
        return saved_database_url()

    def save(self, url: str | None) -> None:
        if url and make_url(url).password is not None:
            raise DatabaseError("A database address with a password is not written to disk; the keyring holds it.")
        save_database_url(url)
