"""Plain-language messages, suggestions and default severities per category and kind."""

from __future__ import annotations

from medshare_desktop.core.models import RiskCategory, Severity

DEFAULT_SEVERITY: dict[RiskCategory, Severity] = {
    RiskCategory.PHI: Severity.HIGH,
    RiskCategory.PATIENT_STORY: Severity.HIGH,
    RiskCategory.DISCOVERABLE: Severity.MEDIUM,
    RiskCategory.UNPROFESSIONAL: Severity.MEDIUM,
    RiskCategory.MEDICAL_ADVICE: Severity.MEDIUM,
    RiskCategory.CONSENT: Severity.HIGH,
}

_PHI_WHAT = {
    "name": "a patient's or relative's name",
    "date": "a date tied to a patient (admission, birth, surgery, visit)",
    "age": "an age over 89 (HIPAA treats it as an identifier)",
    "location": "a place smaller than a state (address, town, unit, room or bed)",
    "phone": "a phone number",
    "fax": "a fax number",
    "email": "an email address",
    "url": "a web address that may point to a person",
    "ip_address": "an IP address",
    "ssn": "a Social Security number",
    "mrn": "a medical record number",
    "health_plan": "a health plan or insurance member number",
    "account": "an account or card number",
    "license": "a licence or certificate number",
    "vehicle": "a vehicle identifier or licence plate",
    "device": "a device identifier or serial number",
    "identifier": "an identifying number",
    "photo": "a patient photo or image",
}

_MESSAGES: dict[tuple[RiskCategory, str], tuple[str, str]] = {
    (RiskCategory.PATIENT_STORY, "*"): (
        "The post tells about a specific patient encounter that someone could recognise.",
        "Remove the encounter details, or get the patient's written consent for the story.",
    ),
    (RiskCategory.PATIENT_STORY, "rare_condition"): (
        "A rare condition together with personal details can identify a patient.",
        "Drop the demographic details or the diagnosis, or get the patient's written consent.",
    ),
    (RiskCategory.DISCOVERABLE, "fatigue"): (
        "Admitting fatigue or long hours on duty could be used against the author or hospital in a lawsuit.",
        "Rephrase without hours worked or how tired the author was while caring for patients.",
    ),
    (RiskCategory.DISCOVERABLE, "admitted_error"): (
        "The post admits a clinical mistake, which is discoverable in litigation.",
        "Remove the statement; errors belong in the hospital's safety reporting system.",
    ),
    (RiskCategory.DISCOVERABLE, "staffing"): (
        "A public complaint about staffing or unsafe ratios could be used as evidence of unsafe care.",
        "Raise staffing concerns through internal channels; remove the complaint from the post.",
    ),
    (RiskCategory.DISCOVERABLE, "safety"): (
        "A statement about unsafe conditions or failing equipment could be used as evidence of unsafe care.",
        "Report the problem internally and remove it from the post.",
    ),
    (RiskCategory.DISCOVERABLE, "possible_admission"): (
        "This sentence reads like an admission about fatigue, a mistake, staffing or safety that could be used "
        "in litigation.",
        "Rephrase or remove it before sharing; raise the concern through internal channels.",
    ),
    (RiskCategory.DISCOVERABLE, "*"): (
        "The statement could be used as evidence in litigation.",
        "Rephrase or remove it before sharing.",
    ),
    (RiskCategory.UNPROFESSIONAL, "profanity"): (
        "Profanity does not fit the hospital's public voice.",
        "Remove or soften the wording.",
    ),
    (RiskCategory.UNPROFESSIONAL, "discriminatory"): (
        "The wording is discriminatory or stereotypes a group of people.",
        "Do not share this post; remove the remark.",
    ),
    (RiskCategory.UNPROFESSIONAL, "intoxication"): (
        "The post mentions alcohol or drugs in connection with work, or intoxication.",
        "Remove the reference to drinking or drug use.",
    ),
    (RiskCategory.UNPROFESSIONAL, "disparaging"): (
        "The post disparages patients or colleagues.",
        "Remove the remark; speak about patients and colleagues with respect.",
    ),
    (RiskCategory.UNPROFESSIONAL, "tone"): (
        "The sentence reads as mocking, demeaning, profane or about drinking, which does not fit the hospital's voice.",
        "Rephrase it respectfully or leave it out of the re-share.",
    ),
    (RiskCategory.UNPROFESSIONAL, "*"): (
        "The wording may be seen as unprofessional.",
        "Rephrase before sharing.",
    ),
    (RiskCategory.MEDICAL_ADVICE, "individual_consult"): (
        "The post offers to assess or advise an individual online, outside a care relationship.",
        "Invite readers to see their own clinician instead of sending symptoms or results.",
    ),
    (RiskCategory.MEDICAL_ADVICE, "diagnosis"): (
        "The post suggests a diagnosis for an individual reader.",
        "Replace it with general information and a suggestion to see their own clinician.",
    ),
    (RiskCategory.MEDICAL_ADVICE, "to_one_person"): (
        "The sentence gives one person a diagnosis or treatment advice, outside a care relationship.",
        "Replace it with general information and a suggestion to see their own clinician.",
    ),
    (RiskCategory.MEDICAL_ADVICE, "*"): (
        "The post gives treatment advice to an individual rather than general education.",
        "Make it general education and add 'talk to your doctor'.",
    ),
    (RiskCategory.CONSENT, "name_without_consent"): (
        "This person is named, but no consent to use their name is on file.",
        "Record the person's consent (name scope) or remove the name.",
    ),
    (RiskCategory.CONSENT, "photo_without_consent"): (
        "A person shown in the attached photo has no photo consent on file.",
        "Record the person's photo consent or remove or crop the photo.",
    ),
    (RiskCategory.CONSENT, "*"): (
        "Consent for this person is missing.",
        "Check the consent records before sharing.",
    ),
}


def explain(category: RiskCategory, kind: str, subject: str = "") -> tuple[str, str]:
    """(message, suggestion) for a finding: one sentence each; `subject` names the person concerned."""
    if subject and category is RiskCategory.CONSENT and kind == "photo_without_consent":
        return (
            f"{subject} is shown in the attached photo, but no photo consent for them is on file.",
            f"Record {subject}'s photo consent, or remove or crop the photo.",
        )
    if category is RiskCategory.PHI:
        what = _PHI_WHAT.get(kind, "a patient identifier")
        return (
            f"The post contains {what}, which is protected health information.",
            "Remove or generalise it, or get the patient's written authorisation.",
        )
    return _MESSAGES.get((category, kind)) or _MESSAGES.get(
        (category, "*"), ("This text may be risky to share.", "Review it before sharing.")
    )


def default_severity(category: RiskCategory, kind: str) -> Severity:
    if category is RiskCategory.UNPROFESSIONAL and kind in {"discriminatory", "intoxication"}:
        return Severity.HIGH
    return DEFAULT_SEVERITY[category]
