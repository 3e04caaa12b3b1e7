"""The author the command-line tests start from: Dr. Anika Patel, her consent to be named on public social
media from today, and its signed form attached through the app (kept in the evidence folder, as the CLI
finds it); with the posts she wrote."""

from __future__ import annotations

from pathlib import Path

from medshare_desktop.core.models import Channel, ConsentRecord, ConsentScope, Person
from tests.conftest import make_imported


def author_with_signed_consent(services, form: Path, form_bytes: bytes, posts: int) -> str:  # noqa: ANN001
    """Put her, her consent and its signed form (`form_bytes`, written to `form` first) on file, and store `posts`
    imported posts of hers; the form's SHA-256."""
    person = services.people.add_person(Person(None, "Dr. Anika Patel", department="Cardiology"))
    form.write_bytes(form_bytes)
    stored = services.consent.attach_evidence(str(form))
    services.consent.add_record(ConsentRecord(
        None, person.id, frozenset({ConsentScope.NAME}), frozenset({Channel.PUBLIC_SOCIAL}),
        services.consent.today(), evidence_path=stored.stored_name, evidence_sha256=stored.sha256,
    ))
    services.posts.store_imported(make_imported(posts), [], "test", person_id=person.id)
    return stored.sha256
