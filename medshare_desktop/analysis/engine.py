"""RiskEngine: loads the pipeline once and turns text into sorted Findings.

Thread-safety: analysing is read-only and may run from a worker thread; changing the engine's
extra terms takes a lock. `analyze()` uses a lazily created module-level engine.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from medshare_desktop.analysis import extra_terms
from medshare_desktop.analysis.candidates import MODEL_RULE_PREFIX, Candidate, candidates_of
from medshare_desktop.analysis.consent_check import consent_candidates, known_people_spans
from medshare_desktop.analysis.finding_check import FindingCheck, load_finding_check
from medshare_desktop.analysis.fingerprint import engine_fingerprint
from medshare_desktop.analysis.merge import resolve, sort_key, to_findings
from medshare_desktop.analysis.our_places import OurPlaces
from medshare_desktop.analysis.pipeline import build_pipeline
from medshare_desktop.core.models import AnalysisContext, Finding, RiskCategory

CHUNK_CHARS = 100_000  # long texts are analysed in pieces cut at whitespace


def _chunks(text: str, size: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """(offset, piece) pairs covering `text`, each at most `size` chars, cut at a line break or space."""
    start = 0
    while len(text) - start > size:
        low, high = start + size // 2, start + size
        cut = text.rfind("\n", low, high)
        if cut < 0:
            cut = text.rfind(" ", low, high)
        end = cut + 1 if cut >= 0 else high
        yield start, text[start:end]
        start = end
    yield start, text[start:]


class RiskEngine:
    """The MedShare risk engine (no Qt). Create once; call `analyze` from any thread."""

    def __init__(
        self,
        extra_terms_: Iterable[tuple[str, str]] = (),
        nlp: Language | None = None,
        head_dir: Path | None = None,
        finding_check: bool = True,
    ) -> None:
        self.nlp = nlp if nlp is not None else build_pipeline()
        self._check: FindingCheck | None = None
        if finding_check:
            self._use_check(load_finding_check())
        self._lock = threading.Lock()
        self._head_dir: Path | None = None
        if head_dir is not None:
            self.reload_head(head_dir)
        self._terms: list[tuple[str, str]] = []
        self._term_matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self._context_matchers = extra_terms.ContextMatcherCache(self.nlp)
        self._our_places = OurPlaces(self.nlp)
        self.add_extra_terms(extra_terms_)

    # ------------------------------------------------------------------ settings
    @property
    def extra_terms(self) -> tuple[tuple[str, str], ...]:
        return tuple(self._terms)

    def add_extra_terms(self, terms: Iterable[tuple[str, str]]) -> None:
        """Add (term, category) pairs from the team's Settings; takes effect for the next call."""
        terms = [(t, c) for t, c in terms if t and t.strip()]
        if not terms:
            return
        with self._lock:
            extra_terms.add_to_matcher(self.nlp, self._term_matcher, terms)
            self._terms.extend(terms)

    def set_extra_terms(self, terms: Iterable[tuple[str, str]]) -> None:
        """Replace the Settings terms."""
        matcher = extra_terms.build_matcher(self.nlp, list(terms))
        with self._lock:
            self._term_matcher = matcher
            self._terms = [(t, c) for t, c in terms if t and t.strip()]

    @property
    def our_places(self) -> tuple[str, ...]:
        return self._our_places.places

    def set_our_places(self, places: Iterable[str]) -> None:
        """The team's own places from Settings (see our_places.py); take effect for the next call."""
        self._our_places.set(places)

    def reload_head(self, head_dir: Path | None) -> None:
        """Use the sentence head in `head_dir` (the team's retrained one, `learning.active_head_dir`) or the
        shipped head for None. Thread-safe: takes effect for the next call; a call running finishes as it began."""
        if "medshare_sentence_model" in self.nlp.pipe_names:
            self.nlp.get_pipe("medshare_sentence_model").set_head(head_dir)
        self._head_dir = head_dir

    def _use_check(self, check: FindingCheck | None) -> None:
        """Run `check` as the last stage when the sentence encoder it reads with is here."""
        if check is None or "medshare_sentence_model" not in self.nlp.pipe_names:
            return
        encoder = self.nlp.get_pipe("medshare_sentence_model").encoder
        if encoder.available():
            self._check, self._encode = check, encoder.encode

    def fingerprint(self) -> str:
        """What this engine is (rules, models, code, the team's head): findings stored under another
        fingerprint were found by another engine (see fingerprint.py)."""
        return engine_fingerprint(self._head_dir)

    # ------------------------------------------------------------------ analysis
    def analyze(self, text: str, context: AnalysisContext | None = None) -> list[Finding]:
        """Findings for one text, sorted by start offset."""
        return self.analyze_many([text], context)[0]

    def analyze_many(
        self, texts: Sequence[str] | Iterable[str], context: AnalysisContext | None = None, batch_size: int = 64
    ) -> list[list[Finding]]:
        """Findings for many texts; uses nlp.pipe so batches are fast (one core)."""
        texts = [t if isinstance(t, str) else str(t) for t in texts]
        pieces: list[tuple[int, int, str]] = []  # (text index, offset, piece)
        for index, text in enumerate(texts):
            for offset, piece in _chunks(text):
                pieces.append((index, offset, piece))
        context_matcher = (
            self._context_matchers.get(tuple(context.extra_terms)) if context and context.extra_terms else None
        )
        term_matcher = self._term_matcher
        results: list[list[Finding]] = [[] for _ in texts]
        docs = self.nlp.pipe((piece for _, _, piece in pieces), batch_size=batch_size)
        for (index, offset, piece), doc in zip(pieces, docs, strict=True):
            found = self._doc_candidates(doc, term_matcher, context_matcher)
            found.extend(self._our_places.candidates(doc, context.our_places if context else ()))
            results[index].extend(to_findings(piece, resolve(found, piece), offset))
        for index, text in enumerate(texts):
            results[index] = self._finish(text, results[index], context)
        if self._check is not None:
            results = self._checked(texts, results)
        return results

    def _doc_candidates(
        self, doc: Doc, term_matcher: PhraseMatcher, context_matcher: PhraseMatcher | None
    ) -> list[Candidate]:
        found = list(candidates_of(doc))
        found.extend(extra_terms.candidates(doc, term_matcher))
        if context_matcher is not None:
            found.extend(extra_terms.candidates(doc, context_matcher))
        return found

    def _finish(self, text: str, findings: list[Finding], context: AnalysisContext | None) -> list[Finding]:
        if context is not None:
            known = known_people_spans(text, context)
            if known:  # known people are a consent matter, not patient PHI
                findings = [f for f in findings if not _is_known_name(f, known)]
            findings.extend(to_findings(text, resolve(consent_candidates(text, context))))
        findings.sort(key=sort_key)
        return findings

    def _checked(self, texts: list[str], results: list[list[Finding]]) -> list[list[Finding]]:
        """The findings the finding check keeps (finding_check.py), all posts' sentences encoded in one call;
        every finding if the encoder fails."""
        check = self._check
        assert check is not None
        # With a team's head in use, what it learned from the team's decisions is not judged (the check was
        # fitted on the shipped head's findings, and the team's own decisions win).
        team_head = self._head_dir is not None

        def judged(finding: Finding) -> bool:
            return check.judges(finding) and not (team_head and finding.rule.startswith(MODEL_RULE_PREFIX))

        spans = [[f for f in findings if f.end > f.start] for findings in results]
        try:
            kept = check.keep_many(list(zip(texts, spans, strict=True)), self._encode, judged)
        except RuntimeError:  # the encoder could not be loaded (logged): nothing is dropped
            return results
        out = []
        for findings, chosen in zip(results, kept, strict=True):
            ids = {id(f) for f in chosen}
            out.append([f for f in findings if f.end <= f.start or id(f) in ids])
        return out

    @property
    def checks_findings(self) -> bool:
        """Whether the finding check runs (its files and the sentence encoder are present)."""
        return self._check is not None


def _is_known_name(finding: Finding, known: list[tuple[int, int]]) -> bool:
    return (
        finding.category is RiskCategory.PHI
        and finding.kind == "name"
        and any(finding.start < end and start < finding.end for start, end in known)
    )


_default_engine: RiskEngine | None = None
_default_lock = threading.Lock()


def default_engine() -> RiskEngine:
    """The shared engine, created on first use (thread-safe)."""
    global _default_engine
    if _default_engine is None:
        with _default_lock:
            if _default_engine is None:
                _default_engine = RiskEngine()
    return _default_engine


def analyze(text: str, context: AnalysisContext | None = None) -> list[Finding]:
    """Risk findings for `text`, sorted by start (see docs/risk_engine.md)."""
    return default_engine().analyze(text, context)
