"""Runs the risk engine on posts with what it needs to know (people, consent, photos) and stores findings."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import replace

from medshare_desktop.core.errors import WorkflowError
from medshare_desktop.core.models import AnalysisContext, Channel, Finding, Post, PostState, ReviewFinding
from medshare_desktop.core.ports import EngineCheckRecord, PostFilter, RiskAnalyzer
from medshare_desktop.core.rules import missed_risk, workflow
from medshare_desktop.core.services.consent_service import ConsentService
from medshare_desktop.core.services.photo_tag_service import PhotoTagService
from medshare_desktop.core.services.post_service import PostService, RepurposeResult
from medshare_desktop.core.services.settings_service import SettingsService

log = logging.getLogger(__name__)
# posts whose findings still matter for a decision: checked again when the engine changes
REVIEW_QUEUE = frozenset({PostState.NEW, PostState.IN_REVIEW})


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class RiskService:
    def __init__(
        self,
        analyzer_factory: Callable[[], RiskAnalyzer],
        posts: PostService,
        consent: ConsentService,
        settings: SettingsService,
        photo_tags: PhotoTagService | None = None,
        desk_record: EngineCheckRecord | None = None,
    ) -> None:
        self._factory = analyzer_factory
        self._desk_record = desk_record
        self._analyzer: RiskAnalyzer | None = None
        self._lock = threading.Lock()
        self._posts = posts
        self._consent = consent
        self._settings = settings
        self._photo_tags = photo_tags

    def load(self) -> None:
        """Load the engine (slow: call it from a worker thread). Safe to call more than once."""
        with self._lock:
            if self._analyzer is None:
                analyzer = self._factory()
                analyzer.analyze("warm-up")
                self._analyzer = analyzer
                log.info("risk engine loaded")

    @property
    def ready(self) -> bool:
        return self._analyzer is not None

    def engine_fingerprint(self) -> str | None:
        """The loaded engine's fingerprint (None: not loaded, or an engine without one)."""
        fingerprint = getattr(self._analyzer, "fingerprint", None)
        return str(fingerprint()) if fingerprint is not None else None

    def context(self, has_photos: bool = False, people_shown: tuple[str, ...] = ()) -> AnalysisContext:
        return AnalysisContext(
            known_people=self._consent.known_people(Channel.PUBLIC_SOCIAL),
            has_photos=has_photos,
            people_shown=people_shown,
            extra_terms=tuple((term, category.value) for term, category in self._settings.extra_terms()),
            our_places=tuple(self._settings.our_places()),
        )

    def analyze_text(self, text: str, context: AnalysisContext | None = None) -> list[Finding]:
        self.load()
        assert self._analyzer is not None
        return self._analyzer.analyze(text, context)

    def _post_context(self, post: Post, base: AnalysisContext | None = None) -> AnalysisContext:
        """What the engine needs to know for this post: the people register, and who its photos show.
        `base` (a `context()` already read) saves reading the register again for each post of a batch."""
        assert post.id is not None
        shown: tuple[str, ...] = ()
        if post.media and self._photo_tags is not None:
            shown = tuple(tag.person_name for tag in self._photo_tags.tags(post.id))
        if base is None:
            return self.context(has_photos=bool(post.media), people_shown=shown)
        return replace(base, has_photos=bool(post.media), people_shown=shown)

    def analyze_post(self, post: Post) -> list[ReviewFinding]:
        """Analyse the text that would be shared (the repurposed copy if any) and store the findings."""
        assert post.id is not None
        findings = self.analyze_text(post.text_for_share, self._post_context(post))
        return self._posts.store_findings(post.id, findings)

    def repurpose_and_analyse(self, post: Post, new_text: str | None) -> RepurposeResult:
        """Check the edited text, then store it with its findings in one transaction (see
        PostService.repurpose_checked): the stored findings always describe the text to share."""
        text = post.text if new_text is None else new_text
        findings = self.analyze_text(text, self._post_context(post))
        return self._posts.repurpose_checked(post, new_text, findings)

    repurpose = repurpose_and_analyse  # the name the command line and older tests use

    def tag_and_analyse(self, post_id: int, person_ids: Iterable[int]) -> Post:
        """Set who is shown in the post's photos and check the text again knowing them: the engine runs
        first, then the tags and its findings are stored in one transaction (PostService.tag_checked)."""
        if self._photo_tags is None:
            raise WorkflowError("Photo tags are not available here.")
        wanted = sorted(set(person_ids))
        post = self._posts.get(post_id)
        shown = self._photo_tags.names(wanted)
        findings = self.analyze_text(post.text_for_share, self.context(has_photos=bool(post.media), people_shown=shown))
        return self._posts.tag_checked(self._photo_tags, post_id, wanted, findings)

    def mark_fixed(self, finding_id: int) -> list[ReviewFinding]:
        """A reviewer says a finding is fixed: check the text to share again. If the finding is still
        there, refuse (edit it out, or accept it with a reason); if it is gone, store the new analysis,
        which records it as fixed. Returns the post's findings now."""
        review = self._posts.get_finding(finding_id)
        post = self._posts.get(review.post_id)
        findings = self.analyze_text(post.text_for_share, self._post_context(post))
        still_marked = missed_risk.is_reviewer_finding(review.finding) and review.finding.text in post.text_for_share
        if still_marked or any(workflow.same_finding(review.finding, f) for f in findings):
            raise WorkflowError(
                f"“{_short(review.finding.text)}” is still in the text to share, so it is not fixed. Edit it out "
                "of the text and save the edit, or accept it with a reason."
            )
        stored, _fixed = self._posts.store_analysis(review.post_id, findings)
        log.info("finding %s confirmed gone from post %s", finding_id, review.post_id)
        return stored

    def recheck_after_update(
        self, batch: int = 200, cancelled: Callable[[], bool] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> int:
        """After the engine changed (an update, the team's retrain or a rollback: its fingerprint differs from
        the one on record), check the posts still under review (new, in review) again; returns how many.
        Reviewers' decisions on findings found again are kept (PostService.store_findings). Approved, scheduled,
        shared and rejected posts keep the findings they were decided on. A cancel leaves the old fingerprint
        on record, so the next start finishes the job (checking a post twice changes nothing).

        In team mode desks may run different engines for a while (one updated first, or one still running when
        another retrained the team's model).
        A desk whose own engine has not changed since it last checked the queue leaves alone a check another
        desk made since with its engine: otherwise every start of either desk would check the whole queue again
        and write "not found again" into the posts' history back and forth. A database restored from before
        this desk's last check is checked again."""
        current = self.engine_fingerprint()
        if current is None:
            return 0
        if self._settings.engine_fingerprint() == current:
            return 0
        if self._checked_here_before_another_desk(current):
            log.info("the review queue was checked by another desk's engine after this desk checked it with this one: left as it is")
            return 0
        flt = PostFilter(states=REVIEW_QUEUE, descending=False)
        ids: list[int] = []
        offset = 0
        while True:
            page = self._posts.query(flt, offset, batch)
            offset += len(page)
            ids += [row.id for row in page if row.risk_summary]  # not analysed yet: analyze_unanalysed does it
            if len(page) < batch:
                break
        context = self.context()
        done = 0
        for post_id in ids:
            if cancelled and cancelled():
                return done
            post = self._posts.get(post_id)
            if post.state not in REVIEW_QUEUE:
                continue  # decided meanwhile on another desk
            # as the risk panel checks it: the people tagged in its photos count (photo consent)
            self._posts.store_recheck(post_id, self.analyze_text(post.text_for_share, self._post_context(post, context)))
            done += 1
            if progress:
                progress(done, len(ids))
        checked_at = self._settings.set_engine_fingerprint(current, done)
        if self._desk_record is not None:
            self._desk_record.write(current, checked_at)
        return done

    def _checked_here_before_another_desk(self, current: str) -> bool:
        mine = self._desk_record.read() if self._desk_record is not None else None
        on_record = self._settings.engine_checked_at()
        if mine is None or on_record is None:
            return False
        fingerprint, checked_at = mine
        return fingerprint == current and on_record > checked_at  # ISO 8601 UTC times compare as text

    def analyze_unanalysed(
        self, batch: int = 200, cancelled: Callable[[], bool] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> int:
        """Analyse every post not analysed yet (after an import); returns how many were done."""
        flt = PostFilter(unanalysed_only=True, descending=False)
        total = self._posts.count(flt)
        done = 0
        context = self.context()
        while not (cancelled and cancelled()):
            rows = self._posts.query(flt, 0, batch)
            if not rows:
                break
            for row in rows:
                post = self._posts.get(row.id)
                ctx = context if not post.media else self.context(has_photos=True)
                self._posts.store_findings(row.id, self.analyze_text(post.text_for_share, ctx))
                done += 1
                if progress:
                    progress(done, total)
        return done
