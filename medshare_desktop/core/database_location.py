"""Where a desk's data lives: this computer's SQLite file, or a team's PostgreSQL server.

Pure values (no SQLAlchemy, no keyring): the server's address as the Settings → Database screen
edits it, the URL built from it and read back from it, and the name of the keyring entry holding
its password. The URL written to the per-user config never carries a password; the engine asks the
keyring at connect time (storage/server_connection.py), under `password_entry(...)`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum, StrEnum
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from medshare_desktop.core.errors import ValidationError

SERVER_SCHEME = "postgresql+psycopg"
DEFAULT_PORT = 5432
_SCHEMES = ("postgresql+psycopg", "postgresql", "postgres")
_HOST = re.compile(r"^[A-Za-z0-9._:%-]+$")  # names, IPv4, IPv6 (without brackets)


class TlsMode(StrEnum):
    """libpq's sslmode, strongest first."""

    VERIFY_FULL = "verify-full"
    VERIFY_CA = "verify-ca"
    REQUIRE = "require"
    PREFER = "prefer"
    DISABLE = "disable"

    @property
    def label(self) -> str:
        return {
            TlsMode.VERIFY_FULL: "verify-full: encrypted, server certificate and name checked (recommended)",
            TlsMode.VERIFY_CA: "verify-ca: encrypted, certificate checked but not the server's name",
            TlsMode.REQUIRE: "require: encrypted, certificate not checked",
            TlsMode.PREFER: "prefer: encrypted only if the server offers it",
            TlsMode.DISABLE: "disable: not encrypted",
        }[self]

    @property
    def warning(self) -> str:
        """What is given up below verify-full ("" for verify-full)."""
        return {
            TlsMode.VERIFY_FULL: "",
            TlsMode.VERIFY_CA: "The server's name is not checked: any server holding a certificate from this "
            "authority could pose as yours.",
            TlsMode.REQUIRE: "The certificate is not checked: a machine between this desk and the server could "
            "read posts, consent records and the password.",
            TlsMode.PREFER: "The connection may fall back to no encryption without telling you: patient-adjacent "
            "data and the password could cross the network in the clear.",
            TlsMode.DISABLE: "Nothing is encrypted: posts, consent records and the password cross the network in "
            "the clear. Use only on a test server.",
        }[self]


class DatabaseKind(StrEnum):
    THIS_COMPUTER = "this_computer"
    TEAM_SERVER = "team_server"


@dataclass(frozen=True, slots=True)
class ServerAddress:
    host: str
    database: str
    user: str
    port: int = DEFAULT_PORT
    tls: TlsMode = TlsMode.VERIFY_FULL
    ca_file: str = ""  # sslrootcert; empty: libpq's default (~/.postgresql/root.crt or the system's)

    def checked(self) -> ServerAddress:
        """The address with whitespace trimmed; ValidationError naming the field that is wrong."""
        host, database, user = self.host.strip(), self.database.strip(), self.user.strip()
        if host.startswith("[") and host.endswith("]"):
            host = host[1:-1]
        if not host:
            raise ValidationError("Enter the team server's host name (for example db.hospital.example).")
        if not _HOST.match(host):
            raise ValidationError(f"{host!r} is not a host name: use a name such as db.hospital.example or an IP address.")
        if not 1 <= int(self.port) <= 65535:
            raise ValidationError(f"Port {self.port} is not a port number (1–65535; PostgreSQL's usual one is 5432).")
        if not database:
            raise ValidationError("Enter the name of the database on the team server (ask your IT team).")
        if not user:
            raise ValidationError("Enter your user name on the team server (each desk has its own).")
        return ServerAddress(host, database, user, int(self.port), TlsMode(self.tls), self.ca_file.strip())

    def url(self, password: str | None = None) -> str:
        """`postgresql+psycopg://user[:password]@host:port/database?sslmode=…[&sslrootcert=…]`, every part escaped.

        Leave the password out (the default) for anything written to disk: the engine gets it from the keyring.
        """
        credentials = quote(self.user, safe="")
        if password:
            credentials += ":" + quote(password, safe="")
        host = f"[{self.host}]" if ":" in self.host else self.host
        options = {"sslmode": str(self.tls)}
        if self.ca_file:
            options["sslrootcert"] = self.ca_file
        return f"{SERVER_SCHEME}://{credentials}@{host}:{self.port}/{quote(self.database, safe='')}?{urlencode(options)}"

    @property
    def password_entry(self) -> str:
        """The keyring entry (under the service "MedShare Desktop") holding this user's password on this server."""
        return password_entry(self.user, self.host, self.port, self.database)

    def shown(self) -> str:
        """user@host:port/database, for messages (never a password)."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"


def password_entry(user: str, host: str, port: int | None, database: str) -> str:
    return f"database:{user}@{host.lower()}:{port or DEFAULT_PORT}/{database}"


@dataclass(frozen=True, slots=True)
class ParsedServerUrl:
    address: ServerAddress
    password: str | None  # a password written in the URL itself (discouraged: the keyring holds it)


def is_server_url(url: str) -> bool:
    return url.split("://", 1)[0].lower() in _SCHEMES if "://" in url else False


def parse_server_url(url: str) -> ParsedServerUrl:
    """Read a PostgreSQL URL back into its fields; ValidationError when it is not one."""
    if not is_server_url(url):
        raise ValidationError(f"{url.split('@')[-1][:80]!r} is not a PostgreSQL address (postgresql+psycopg://…).")
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        raise ValidationError(f"The port in {parts.netloc.split('@')[-1]!r} is not a number.") from None
    options = dict(parse_qsl(parts.query))
    try:
        tls = TlsMode(options.get("sslmode", "prefer"))  # libpq's own default when none is named
    except ValueError:
        raise ValidationError(f"sslmode={options['sslmode']!r} is not one of {', '.join(m.value for m in TlsMode)}.") \
            from None
    address = ServerAddress(
        host=parts.hostname or "",
        database=unquote(parts.path.lstrip("/")),
        user=unquote(parts.username or ""),
        port=port or DEFAULT_PORT,
        tls=tls,
        ca_file=options.get("sslrootcert", ""),
    )
    password = unquote(parts.password) if parts.password is not None else None
    return ParsedServerUrl(address, password)


@dataclass(frozen=True, slots=True)
class DatabaseChoice:
    """The choice saved in the per-user config: this computer's file, or a server (no password)."""

    kind: DatabaseKind = DatabaseKind.THIS_COMPUTER
    server: ServerAddress | None = None

    @property
    def url(self) -> str | None:
        """The URL written to the config, or None for the default SQLite file."""
        return self.server.url() if self.kind is DatabaseKind.TEAM_SERVER and self.server else None


class SchemaState(Enum):
    CURRENT = "at this app's version"
    NEEDS_UPGRADE = "needs an upgrade"
    EMPTY = "empty"
    NEWER = "made by a newer version of MedShare Desktop"
    UNKNOWN = "not readable"


@dataclass(frozen=True, slots=True)
class ServerCheck:
    """What "Test connection" found: a sentence for the user, and the details it is made of."""

    ok: bool
    message: str
    server_version: str = ""
    schema: SchemaState | None = None
