"""The team server's address: the URL built from the screen's fields, read back, and its keyring entry."""

from __future__ import annotations

import pytest

from medshare_desktop.core.database_location import (
    ServerAddress,
    TlsMode,
    parse_server_url,
    password_entry,
)
from medshare_desktop.core.errors import ValidationError

AWKWARD_USER = "j.doe@HOSP:west/ed%1 x"
AWKWARD_PASSWORD = "p@ss:w/rd?#&=%+ é"
AWKWARD_DATABASE = "med share/2026?x=1#a%b"


def test_special_characters_in_user_password_and_database_are_escaped_and_read_back() -> None:
    address = ServerAddress("db.hospital.example", AWKWARD_DATABASE, AWKWARD_USER, 6543, TlsMode.VERIFY_FULL,
                            "/etc/ssl/hospital ca/root&1.crt")
    url = address.url(password=AWKWARD_PASSWORD)
    authority, _, rest = url.removeprefix("postgresql+psycopg://").partition("@db.hospital.example:6543/")
    user, _, password = authority.partition(":")
    for raw in "@:/?#& ":
        assert raw not in user and raw not in password  # nothing in them can end the user part early
    assert "?" not in rest.split("?sslmode=")[0] and "#" not in rest
    parsed = parse_server_url(url)
    assert parsed.address == address
    assert parsed.password == AWKWARD_PASSWORD


def test_the_url_for_disk_has_no_password_and_carries_the_tls_options_as_query() -> None:
    address = ServerAddress("db.hospital.example", "medshare", "jdoe", ca_file="/etc/ssl/root.crt")
    url = address.url()
    assert url == ("postgresql+psycopg://jdoe@db.hospital.example:5432/medshare"
                   "?sslmode=verify-full&sslrootcert=%2Fetc%2Fssl%2Froot.crt")
    assert parse_server_url(url).password is None
    assert ServerAddress("h", "d", "u", tls=TlsMode.DISABLE).url().endswith("?sslmode=disable")


def test_tls_defaults_to_verify_full_and_only_weaker_modes_carry_a_warning() -> None:
    assert ServerAddress("h", "d", "u").tls is TlsMode.VERIFY_FULL
    assert TlsMode.VERIFY_FULL.warning == ""
    assert all(mode.warning for mode in TlsMode if mode is not TlsMode.VERIFY_FULL)


def test_an_ipv6_host_is_bracketed_and_read_back() -> None:
    address = ServerAddress("fd00::5", "medshare", "jdoe")
    assert "@[fd00::5]:5432/" in address.url()
    assert parse_server_url(address.url()).address == address


def test_a_url_typed_for_dash_dash_db_finds_the_same_keyring_entry_as_the_screen() -> None:
    screen = ServerAddress("DB.Hospital.example", "medshare", "jdoe")
    typed = parse_server_url("postgresql+psycopg://jdoe@db.hospital.example/medshare").address
    assert typed.password_entry == screen.password_entry == "database:jdoe@db.hospital.example:5432/medshare"
    assert password_entry("jdoe", "db.hospital.example", None, "medshare") == screen.password_entry


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"host": " "}, "host name"),
        ({"host": "db host"}, "not a host name"),
        ({"port": 0}, "Port 0"),
        ({"database": ""}, "name of the database"),
        ({"user": ""}, "user name"),
    ],
)
def test_a_missing_or_wrong_field_is_named(fields: dict[str, object], named: str) -> None:
    values: dict[str, object] = {"host": "db.hospital.example", "database": "medshare", "user": "jdoe"} | fields
    with pytest.raises(ValidationError, match=named):
        ServerAddress(**values).checked()  # type: ignore[arg-type]


def test_fields_are_trimmed_when_checked() -> None:
    assert ServerAddress(" db.example ", " medshare ", " jdoe ").checked() == ServerAddress("db.example", "medshare", "jdoe")


@pytest.mark.parametrize("url", ["sqlite:///x.db", "mysql://u@h/d", "postgresql+psycopg://u@h/d?sslmode=bogus",
                                 "postgresql://u@h:port/d"])
def test_other_addresses_are_refused_with_a_sentence(url: str) -> None:
    with pytest.raises(ValidationError):
        parse_server_url(url)
