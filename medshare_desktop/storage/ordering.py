"""One order for text on both engines: byte order of UTF-8, as SQLite's default (BINARY) collation sorts.

A PostgreSQL database sorts text by its own collation, which a hospital server usually sets to a language
(en_US: case and punctuation ignored first), so "Dr. b" and "dr. A" or "O'Neil" and "Oakes" came in a
different order than on SQLite. Sorting with COLLATE "C" there gives SQLite's order whatever the server's
locale. Every ORDER BY on text in storage/ goes through text_order, and ends with the id so ties are
broken the same way too (NULLs, which the engines place differently, are not sorted on).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session


def text_order(expression: ColumnElement[Any], session: Session) -> ColumnElement[Any]:
    """`expression` to sort by, in SQLite's byte order on either engine."""
    if session.get_bind().dialect.name == "postgresql":
        return expression.collate("C")
    return expression
