"""Full-text search on PostgreSQL: what SQLite's FTS5 index finds, from `post.search_vector`.

Migration 0012 made the column (a generated tsvector with a GIN index) and the functions that cut
words exactly where FTS5's unicode61 tokenizer cuts them; this module only phrases the inbox's
search for it. The words come bounded from core/rules/search.py, as for SQLite: each must match, as
a prefix; a word FTS5 would split (`patient_safety`) is a phrase; a search left with no word matches
nothing (FTS5 matches nothing for `"_"*`).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, Text, bindparam, func, literal_column
from sqlalchemy.dialects.postgresql import ARRAY

SEARCH_FUNCTION = "medshare_search_query"  # words -> tsquery (migration 0012)


def full_text_match(terms: Sequence[str]) -> ColumnElement[bool]:
    """`post.search_vector @@ medshare_search_query(terms)`: the posts holding every term as a prefix.
    The query is one immutable call on a bound array, so the planner computes it once and reads the
    GIN index (ix_post_search_vector)."""
    words = bindparam("search_words", list(terms), type_=ARRAY(Text))
    query = getattr(func, SEARCH_FUNCTION)(words)
    return literal_column("post.search_vector").bool_op("@@")(query)
