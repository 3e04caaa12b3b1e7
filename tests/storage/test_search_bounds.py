"""Hostile searches: repeated, pasted and endless text is bounded, and gives what its bounded form gives."""

from __future__ import annotations

import re
from dataclasses import replace

from medshare_desktop.core.ports import PostFilter
from medshare_desktop.core.rules.search import MAX_SEARCH_CHARS, MAX_TERMS, search_terms
from tests.conftest import make_imported

PARAGRAPH = (
    "Barely slept after a thirty-hour call shift, then rounds with the residents on the cardiology "
    "ward, teaching sepsis pathways, heart failure follow-up and discharge planning before handover "
    "to the night team who were already stretched thin by two sick calls and a full emergency department"
)


def _ids(services, search: str) -> list[int]:
    return [s.id for s in services.posts.query(PostFilter(search=search))]


def _store(services, n: int = 40) -> None:
    posts = make_imported(n)
    posts[7] = replace(posts[7], text=PARAGRAPH)
    posts[8] = replace(posts[8], text="Flu clinic open all week: flu shots for staff and families")
    services.posts.store_imported(posts, [], "x")


def _match_queries(services) -> list[list[str]]:
    """Records the words of every full-text query the database is sent (what it has to parse and merge):
    SQLite's FTS5 `MATCH '"word"* ...'`, PostgreSQL's `medshare_search_query(ARRAY[word, ...])`."""
    from sqlalchemy import event

    sent: list[list[str]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many) -> None:
        if "MATCH" in statement or "medshare_search_query" in statement:
            values = parameters.values() if isinstance(parameters, dict) else parameters
            for v in values:
                if isinstance(v, str) and "MATCH" in statement:
                    sent.append(re.findall(r'"([^"]*)"', v))
                elif isinstance(v, list) and all(isinstance(w, str) for w in v):
                    sent.append(v)

    event.listen(services.database.engine, "before_cursor_execute", record)
    return sent


def test_a_word_repeated_five_thousand_times_is_searched_once(services) -> None:
    _store(services)
    sent = _match_queries(services)
    flooded = _ids(services, "flu " * 5_000)
    counted = services.posts.count(PostFilter(search="FLU " * 5_000), 10_001)
    assert flooded == _ids(services, "flu") and counted == services.posts.count(PostFilter(search="flu"))
    assert len(flooded) == 39  # "flu shot clinic" in every post but the paragraph
    # before the bound, each of these carried 5,000 terms (8 s and 1.5 GB at 100,000 posts)
    assert sent and all(len(words) <= MAX_TERMS for words in sent)


def test_words_implied_by_a_longer_word_change_nothing(services) -> None:
    _store(services)
    assert search_terms("card Cardiology CARD cardio").terms == ("cardiology",)
    assert _ids(services, "card cardio cardiology card") == _ids(services, "cardiology")


def test_a_pasted_paragraph_is_searched_by_its_longest_words_and_still_finds_its_post(services) -> None:
    _store(services)
    terms = search_terms(PARAGRAPH)
    assert len(terms.terms) == MAX_TERMS and terms.left_out > 20
    assert "cardiology" in terms.terms and "emergency" in terms.terms and "the" not in terms.terms
    assert "longest words" in terms.note() and str(terms.left_out) in terms.note()
    sent = _match_queries(services)
    found = _ids(services, PARAGRAPH)
    assert sent and all(len(words) <= MAX_TERMS for words in sent)  # 40 words were sent before
    assert found == _ids(services, " ".join(terms.terms))  # exactly what its bounded form finds
    assert len(found) == 1 and services.posts.get(found[0]).text == PARAGRAPH


def test_a_short_search_is_searched_whole_and_says_nothing(services) -> None:
    assert search_terms("slep call").note() == ""
    assert search_terms("a b c d e f").terms == ("a", "b", "c", "d", "e", "f")


def test_text_past_the_character_limit_is_not_read_and_the_note_says_so(services) -> None:
    _store(services)
    endless = "flu " + "x" * (MAX_SEARCH_CHARS * 50) + " nosuchword"
    terms = search_terms(endless)
    assert terms.truncated and "nosuchword" not in terms.terms and "first 2,000 characters" in terms.note()
    assert all(len(t) <= 40 for t in terms.terms)
    sent = _match_queries(services)
    assert len(_ids(services, endless)) == 0  # the 40-character prefix of the x's matches no post
    assert sent and all(sum(map(len, words)) < 200 for words in sent)

