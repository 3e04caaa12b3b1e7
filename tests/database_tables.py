"""A database's tables seen from outside the app, through a connection of the test's own."""

from __future__ import annotations

from sqlalchemy import inspect

from medshare_desktop.storage.database import make_engine


def table_names(url: str) -> list[str]:
    """The tables the database at `url` holds now (none: nothing was kept there)."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return inspect(conn).get_table_names()
    finally:
        engine.dispose()
