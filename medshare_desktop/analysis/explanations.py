"""Plain-language messages, suggestions and default severities per category and kind."""

from __future__ import annotations

from medshare_desktop.analysis.rule_files import toml_file
from medshare_desktop.core.models import RiskCategory, Severity

DEFAULT_SEVERITY: dict[RiskCategory, Severity] = {
    RiskCategory.PHI: Severity.HIGH,
    RiskCategory.PATIENT_STORY: Severity.HIGH,
    RiskCategory.DISCOVERABLE: Severity.MEDIUM,
    RiskCategory.UNPROFESSIONAL: Severity.MEDIUM,
    RiskCategory.MEDICAL_ADVICE: Severity.MEDIUM,
    RiskCategory.CONSENT: Severity.HIGH,
}

# The texts are data: resources/rules/explanations.toml
_TEXTS = toml_file("explanations.toml")
_MESSAGES: dict[tuple[RiskCategory, str], tuple[str, str]] = {
    (RiskCategory(category), kind): (text["message"], text["suggestion"])
    for category, kinds in _TEXTS["messages"].items()
    for kind, text in kinds.items()
}


def explain(category: RiskCategory, kind: str, subject: str = "") -> tuple[str, str]:
    """(message, suggestion) for a finding: one sentence each; `subject` names the person concerned."""
    if subject and category is RiskCategory.CONSENT and kind == "photo_without_consent":
        texts = _TEXTS["consent_photo_subject"]
        return texts["message"].format(subject=subject), texts["suggestion"].format(subject=subject)
    if category is RiskCategory.PHI:
        phi = _TEXTS["phi"]
        return phi["message"].format(what=phi["what"].get(kind, phi["unknown_kind"])), phi["suggestion"]
    fallback = _TEXTS["fallback"]
    return _MESSAGES.get((category, kind)) or _MESSAGES.get(
        (category, "*"), (fallback["message"], fallback["suggestion"])
    )


def default_severity(category: RiskCategory, kind: str) -> Severity:
    if category is RiskCategory.UNPROFESSIONAL and kind in {"discriminatory", "intoxication"}:
        return Severity.HIGH
    return DEFAULT_SEVERITY[category]
