"""Consent context (known people, photos) and the team's extra terms."""

from __future__ import annotations

from medshare_desktop.analysis import RiskEngine
from medshare_desktop.core.models import AnalysisContext, ConsentScope, KnownPerson, RiskCategory

MARIA = KnownPerson(name="Maria Lopez", aliases=("Dr. Lopez",), consented_scopes=frozenset({ConsentScope.PHOTO}))
SAM = KnownPerson(name="Sam Okafor", consented_scopes=frozenset({ConsentScope.NAME, ConsentScope.PHOTO}))


def consent(findings):  # type: ignore[no-untyped-def]
    return [f for f in findings if f.category is RiskCategory.CONSENT]


def test_name_without_name_consent(engine: RiskEngine) -> None:
    text = "Great talk by Maria Lopez and Sam Okafor today."
    found = consent(engine.analyze(text, AnalysisContext(known_people=(MARIA, SAM))))
    assert [(f.kind, f.text) for f in found] == [("name_without_consent", "Maria Lopez")]


def test_alias_and_title_surname_match(engine: RiskEngine) -> None:
    found = consent(engine.analyze("Thanks Dr. Lopez!", AnalysisContext(known_people=(MARIA,))))
    assert found and found[0].text == "Dr. Lopez"


def test_no_context_no_consent_findings(engine: RiskEngine) -> None:
    assert consent(engine.analyze("Great talk by Maria Lopez.")) == []


def test_photo_without_photo_consent_spans_name_or_zero(engine: RiskEngine) -> None:
    no_photo = KnownPerson(name="Ana Ruiz", consented_scopes=frozenset({ConsentScope.NAME}))
    ctx = AnalysisContext(known_people=(no_photo, SAM), has_photos=True, people_shown=("Ana Ruiz", "Sam Okafor"))
    found = consent(engine.analyze("Our new clinic team!", ctx))
    assert [(f.kind, f.start, f.end) for f in found] == [("photo_without_consent", 0, 0)]
    text = "Welcome Ana Ruiz to the team!"
    found = consent(engine.analyze(text, ctx))
    assert [(f.kind, f.text) for f in found] == [("photo_without_consent", "Ana Ruiz")]


def test_unknown_person_shown_has_no_consent(engine: RiskEngine) -> None:
    ctx = AnalysisContext(has_photos=True, people_shown=("Jo Blake",))
    assert [f.kind for f in consent(engine.analyze("Team photo", ctx))] == ["photo_without_consent"]


def test_known_colleague_name_is_consent_not_phi(engine: RiskEngine) -> None:
    colleague = KnownPerson(name="Linda Johnson")
    text = "We admitted the patient with Linda Johnson overnight."
    findings = engine.analyze(text, AnalysisContext(known_people=(colleague,)))
    assert not [f for f in findings if f.category is RiskCategory.PHI and f.kind == "name"]
    assert consent(findings)


def test_engine_extra_terms() -> None:
    engine = RiskEngine(extra_terms_=[("Project Falcon", "discoverable")])
    findings = engine.analyze("Loved working on project falcon this year.")
    assert [(f.category, f.kind, f.text) for f in findings] == [
        (RiskCategory.DISCOVERABLE, "custom_term", "project falcon")
    ]
    engine.add_extra_terms([("zebra ward", "phi")])
    assert engine.extra_terms == (("Project Falcon", "discoverable"), ("zebra ward", "phi"))
    assert any(f.kind == "custom_term" for f in engine.analyze("Off to the Zebra Ward"))
    engine.set_extra_terms([])
    assert engine.analyze("project falcon") == []


def test_context_extra_terms(engine: RiskEngine) -> None:
    ctx = AnalysisContext(extra_terms=(("night float", "discoverable"), ("badword", "nonsense")))
    findings = engine.analyze("Loved the night float rotation, badword.", ctx)
    assert {(f.category.value, f.text) for f in findings} >= {
        ("discoverable", "night float"),
        ("unprofessional", "badword"),
    }
    assert not [f for f in engine.analyze("Loved the night float rotation.") if f.kind == "custom_term"]


def test_each_person_shown_without_photo_consent_is_named_in_their_own_finding() -> None:
    from medshare_desktop.analysis import analyze
    from medshare_desktop.core.models import AnalysisContext

    found = analyze("Great day at the health fair!", AnalysisContext(has_photos=True, people_shown=("Dana Wu", "Li Ming")))
    messages = sorted(f.message for f in found if f.kind == "photo_without_consent")
    assert len(messages) == 2
    assert messages[0].startswith("Dana Wu is shown") and messages[1].startswith("Li Ming is shown")
