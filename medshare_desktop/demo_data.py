"""Fills a database with a realistic, repeatable demo data set, through the same services users call."""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from medshare_desktop.bootstrap import Services
from medshare_desktop.core.models import (
    Channel,
    ConsentRecord,
    ConsentScope,
    Finding,
    ImportedPost,
    Person,
    Platform,
    PostState,
    Resolution,
    Role,
    SourceAccount,
)
from medshare_desktop.core.ports import PostFilter
from medshare_desktop.paths import resource_path

log = logging.getLogger(__name__)

Analyzer = Callable[[str], list[Finding]]
DEMO_SEED = 20261125
POSTS = 320
RISKY_BODIES = range(14, 24)  # indexes of the demo bodies written to trip the risk engine


def demo_services(analyzer: Analyzer | None = None, url: str | None = None) -> Services:
    """A throw-away database in a temporary folder, filled with the demo data set; given `url` (`--demo --db`),
    that database instead, which must be empty (a new file, or an empty server database to try a team on)."""
    import atexit
    import shutil
    import tempfile

    from medshare_desktop.bootstrap import build_services

    if url:
        services = build_services(url)
        try:
            _refuse_filled(services)
            seed_demo(services, analyzer=analyzer)
        except BaseException:
            services.close()
            raise
        log.info("demo data added to the database given with --db")
        return services
    folder = tempfile.mkdtemp(prefix="medshare-demo-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)  # throw-away: gone when the program ends
    services = build_services(
        f"sqlite:///{folder}/demo.db", backup_folder=Path(folder) / "backups", evidence_folder=Path(folder) / "evidence"
    )
    seed_demo(services, analyzer=analyzer)
    log.info("demo database created in %s", folder)
    return services


def _refuse_filled(services: Services) -> None:
    people = len(services.people.list_people())
    posts = services.posts.count(PostFilter())
    if people or posts:
        from medshare_desktop.core.errors import ValidationError

        url = services.database_url
        where = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else url.split("@")[-1]
        raise ValidationError(
            f"The database {where} already holds {people} people and {posts} posts; --demo fills only an empty "
            "database. Leave out --db for a throw-away demo, or give a new file or an empty server database."
        )


def _load() -> dict[str, object]:
    with open(resource_path("demo", "demo_data.json"), encoding="utf-8") as handle:
        data: dict[str, object] = json.load(handle)
    return data


def _month_start(day: date, delta: int) -> date:
    month_index = day.year * 12 + day.month - 1 + delta
    return date(month_index // 12, month_index % 12 + 1, 1)


def seed_demo(services: Services, today: date | None = None, analyzer: Analyzer | None = None) -> None:
    """Add people, accounts, ~320 posts over five months, consents, reviews and scheduled re-shares."""
    today = today or date.today()
    rng = random.Random(DEMO_SEED)
    data = _load()
    people: list[tuple[Person, dict[str, str]]] = []
    for entry in data["people"]:  # type: ignore[attr-defined]
        person = services.people.add_person(
            Person(
                None,
                entry["name"],
                Role(entry["role"]),
                entry["department"],
                monthly_limit=entry.get("monthly_limit"),
            )
        )
        for platform, handle in entry["handles"].items():
            services.people.add_account(SourceAccount(None, person.id, Platform(platform), handle))  # type: ignore[arg-type]
        people.append((person, entry["handles"]))

    revocable = _seed_consents(services, [p for p, _ in people], today)
    services.settings.set_team_contact("Maya Chen, communications office, ext. 4417, maya.chen@hospital.example")

    openers: list[str] = data["openers"]  # type: ignore[assignment]
    bodies: list[str] = data["bodies"]  # type: ignore[assignment]
    closers: list[str] = data["closers"]  # type: ignore[assignment]
    tags: list[str] = data["hashtags"]  # type: ignore[assignment]
    start = datetime.combine(_month_start(today, -4), time(7, 0), UTC)
    span_minutes = int((datetime.combine(today, time(20, 0), UTC) - start).total_seconds() // 60)
    imported: list[ImportedPost] = []
    body_of: dict[str, int] = {}
    for i in range(POSTS):
        person, handles = people[rng.randrange(len(people))]
        platform, handle = rng.choice(sorted(handles.items()))
        body_index = rng.randrange(len(bodies))
        text = " ".join(
            part
            for part in (rng.choice(openers), bodies[body_index], rng.choice(closers), " ".join(rng.sample(tags, 2)))
            if part
        )
        posted = start + timedelta(minutes=rng.randrange(span_minutes))
        external_id = f"demo-{platform}-{i:04d}"
        imported.append(
            ImportedPost(
                Platform(platform),
                text,
                posted,
                author=person.name,
                handle=handle,
                external_id=external_id,
                url=f"https://{platform}.example.com/{handle.lstrip('@')}/{i:04d}",
                media=(f"demo://photo-{i:04d}.jpg",) if rng.random() < 0.08 and body_index not in RISKY_BODIES else (),
            )
        )
        body_of[external_id] = body_index
    imported = _with_engagement(imported)  # likes and reposts, where X, Mastodon and Bluesky exports carry them
    report = services.posts.store_imported(imported, [], "demo data")
    log.info("demo: %s", report.summary())
    _seed_reviews(services, rng, body_of, today, analyzer)
    _seed_evergreen(services, today)
    _seed_history(services, today)
    for record in revocable:  # revoked after re-shares were planned: the calendar flags them
        services.consent.revoke(record.id, today, "Asked to step back from social media.")  # type: ignore[arg-type]
    _seed_evidence(services, {e for e, body in body_of.items() if body in RISKY_BODIES})


ENGAGED_PLATFORMS = (Platform.X, Platform.MASTODON, Platform.BLUESKY)  # exports that carry the counts
EVERGREEN_POSTS = 3  # older posts the team marks evergreen (Suggested re-shares)


def _with_engagement(posts: list[ImportedPost]) -> list[ImportedPost]:
    """Likes and reposts for the posts whose platform's export carries them (an own generator: the rest of
    the demo stays as it was)."""
    rng = random.Random(DEMO_SEED + 16)
    out = []
    for post in posts:
        if post.platform in ENGAGED_PLATFORMS:
            likes = int(rng.paretovariate(1.3) * 4)
            post = replace(post, likes=likes, reposts=int(likes * rng.uniform(0.05, 0.3)))
        out.append(post)
    return out


def _seed_evergreen(services: Services, today: date) -> None:
    """The team marks a few older posts still waiting "evergreen": they keep their place in the suggestions."""
    waiting = [p for p in services.suggestions.ranked(candidates_only=True, reasons=False)
               if p.person_id is not None]
    marked = 0
    for suggestion in sorted(waiting, key=lambda s: s.post_id):
        post = services.posts.get(suggestion.post_id)
        if post.state.value in ("new", "in_review") and (today - post.posted_at.date()).days > 75:
            services.suggestions.set_evergreen(suggestion.post_id, True)
            marked += 1
            if marked == EVERGREEN_POSTS:
                return


def _seed_consents(services: Services, people: list[Person], today: date) -> list[ConsentRecord]:
    """Consents for most people; returns the one that the demo revokes once re-shares are scheduled."""
    revocable: list[ConsentRecord] = []
    everyday = frozenset({Channel.INTERNAL, Channel.PUBLIC_SOCIAL})
    for index, person in enumerate(people):
        assert person.id is not None
        if index == 11:  # one employee without any consent on file
            continue
        scopes = {ConsentScope.NAME, ConsentScope.STORY}
        if index % 3 == 0:
            scopes.add(ConsentScope.PHOTO)
        granted = today - timedelta(days=300 - index * 7)
        expires = granted + timedelta(days=730)
        if index == 4:  # expires within the month: shows up in reminders
            expires = today + timedelta(days=12)
        if index == 8:  # already expired
            expires = today - timedelta(days=20)
        record = services.consent.add_record(
            ConsentRecord(
                None,
                person.id,
                frozenset(scopes),
                everyday | ({Channel.PRINT} if index % 2 else frozenset()),
                granted,
                expires,
                notes="Signed at the annual communications consent drive.",
            )
        )
        if index == 7:
            revocable.append(record)
    return revocable


def _seed_reviews(
    services: Services, rng: random.Random, body_of: dict[str, int], today: date, analyzer: Analyzer | None
) -> None:
    posts = [services.posts.get(s.id) for s in services.posts.query(PostFilter(descending=False), 0, POSTS + 10)]
    if analyzer is not None:
        for post in posts:
            services.posts.store_findings(post.id, analyzer(post.text))  # type: ignore[arg-type]
    this_month = _month_start(today, 0)
    for post in posts:
        risky = body_of.get(post.external_id or "", 0) in RISKY_BODIES
        age_days = (today - post.posted_at.date()).days
        roll = rng.random()
        if age_days < 10 or roll < 0.25:
            continue  # stays new
        post = services.posts.start_review(post)
        if risky:
            if roll < 0.6:
                services.posts.reject(post, "Contains patient details or statements we cannot re-share.")
            continue
        if roll < 0.35:
            continue  # in review
        if roll < 0.42:
            services.posts.reject(post, "Off-topic for the hospital's channels.")
            continue
        for review in services.posts.findings(post.id):  # type: ignore[arg-type]
            if review.is_open and review.finding.severity.value == "high":
                services.posts.resolve_finding(review.id, Resolution.ACCEPTED, "Reviewed in the demo data.")  # type: ignore[arg-type]
        post = services.posts.approve(post)
    _seed_schedule(services, rng, this_month)


def _seed_schedule(services: Services, rng: random.Random, this_month: date) -> None:
    approved = services.schedule.approved_unscheduled()
    rng.shuffle(approved)
    months = [_month_start(this_month, -1), this_month, _month_start(this_month, 1)]
    placed = 0
    for post in approved:
        if placed >= 24:
            break
        month = months[placed % 3]
        day = month + timedelta(days=rng.randrange(27))
        try:
            services.schedule.schedule(post.id, day, allow_past=True)  # type: ignore[arg-type] # history
        except Exception as exc:  # noqa: BLE001 - demo keeps to the rules: skip what they refuse
            log.debug("demo: not scheduled: %s", exc)
            continue
        placed += 1
        if month < this_month and rng.random() < 0.7:
            services.posts.mark_shared(services.posts.get(post.id), f"https://linkedin.example.com/hospital/{post.id}")  # type: ignore[arg-type]


HISTORY_PER_MONTH = 6  # re-shares a month before last month (the insight charts' earlier months)
MORE_REASONS = (  # reviewers' own words; the insight view shows them only grouped, in general words
    "No signed consent on file for the people in the photo.",
    "Reads as treatment advice to the public.",
    "The tone could read as a complaint about colleagues.",
    "Already shared last month: a duplicate.",
    "Mentions a patient's room number.",
    "Promotes a vendor's product.",
)


def _seed_history(services: Services, today: date) -> None:
    """Re-shares done in earlier months and a few more rejections with varied reasons (issue 16's charts).
    Its own random numbers, so the rest of the demo comes out as before."""
    rng = random.Random(DEMO_SEED + 16)
    cutoff = _month_start(today, -1)  # history ends where _seed_schedule's months begin
    placed: dict[date, int] = {}
    approved = services.schedule.approved_unscheduled()
    rng.shuffle(approved)
    for post in approved:
        day = post.posted_at.date() + timedelta(days=2 + rng.randrange(18))
        if day >= cutoff or placed.get(_month_start(day, 0), 0) >= HISTORY_PER_MONTH:
            continue
        try:
            services.schedule.schedule(post.id, day, allow_past=True)  # type: ignore[arg-type] # history
        except Exception as exc:  # noqa: BLE001 - demo keeps to the rules: skip what they refuse
            log.debug("demo: not scheduled: %s", exc)
            continue
        services.posts.mark_shared(services.posts.get(post.id), f"https://linkedin.example.com/hospital/{post.id}")  # type: ignore[arg-type]
        placed[_month_start(day, 0)] = placed.get(_month_start(day, 0), 0) + 1
    in_review = services.posts.query(PostFilter(states=frozenset({PostState.IN_REVIEW}), descending=False), 0, 200)
    for index, row in enumerate(rng.sample(in_review, min(len(in_review), 2 * len(MORE_REASONS)))):
        services.posts.reject(services.posts.get(row.id), MORE_REASONS[index % len(MORE_REASONS)])


EVIDENCE_ADDITION = " Huge thanks to the night team on ward 7, tired but smiling at the end of a long week."


def _seed_evidence(services: Services, risky: set[str]) -> None:
    """One approval with everything its evidence snapshot can hold (Inbox → Export evidence…, `medshare
    evidence`): an edited text, a finding accepted with a reason, a reviewer's missed-risk mark accepted
    too, and the author's consent with a signed form on file. Made-up words; a stand-in PDF as the form."""
    import tempfile

    from medshare_desktop.core.models import PostState, RiskCategory, Severity
    from medshare_desktop.core.rules.consent import record_status

    rows = services.posts.query(PostFilter(states=frozenset({PostState.IN_REVIEW}), descending=False), 0, 200)
    for row in rows:
        post = services.posts.get(row.id)
        if post.person_id is None or post.media or (post.external_id or "") in risky:
            continue
        records = [r for r in services.consent.records(post.person_id)
                   if record_status(r, services.consent.today()).allows_use and r.revoked_on is None
                   and not r.evidence_sha256]
        if records and not services.posts.findings(post.id):
            break
    else:
        return
    with tempfile.TemporaryDirectory(prefix="medshare-demo-form-") as folder:
        form = Path(folder) / "signed consent form.pdf"
        form.write_bytes(b"%PDF-1.4\n% Demo stand-in for a signed consent form (made up)\n%%EOF\n")
        stored = services.consent.attach_evidence(str(form))
    old = records[0]
    services.consent.edit_record(old.id, replace(  # type: ignore[arg-type]
        old, id=None, evidence_path=stored.stored_name, evidence_sha256=stored.sha256,
        notes="Signed form scanned and attached.",
    ))
    edited = services.posts.repurpose(post, post.text + EVIDENCE_ADDITION)
    text = edited.text_for_share
    ward = text.rindex("ward 7")
    [finding] = services.posts.store_findings(edited.id, [Finding(  # type: ignore[arg-type]
        ward, ward + 6, "ward 7", RiskCategory.PHI, "location", Severity.HIGH, "phi.ward",
        "A ward named near a patient may identify them.",
    )])
    services.posts.resolve_finding(finding.id, Resolution.ACCEPTED,  # type: ignore[arg-type]
                                   "Ward 7 is the day unit's public name; no patient is described.")
    words = "tired but smiling"
    at = text.rindex(words)
    marked = services.missed_risks.mark(edited.id, at, at + len(words), RiskCategory.UNPROFESSIONAL,  # type: ignore[arg-type]
                                        "Could read as staff being overworked.")
    for review in marked:
        if review.is_open:
            services.posts.resolve_finding(review.id, Resolution.ACCEPTED,  # type: ignore[arg-type]
                                           "The author wants it kept: it is about team spirit, not staffing.")
    services.posts.approve(services.posts.get(edited.id))  # type: ignore[arg-type]
