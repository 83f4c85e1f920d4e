"""The registry of referral reason codes, as loaded into ``ReferralCode`` by a migration.

Closure codes are the Welsh national reasons for closure published by StatsWales from the
Welsh National Database for Substance Misuse (DOMAIN.md §4.1), plus the neutral reasons
(death, prison, moved away) that the national list mentions but does not name. Planned
closures complete the Task; the others fail it, and neutral ones cancel it, because nobody
could finish the work. Rejection, hold and cancellation codes are Pontio's own.

Each row: code, English label, Welsh label, kind, status it leads to, who may choose it,
whether it stops the service-level timer, who acts next, planned, and what must be recorded
before it can be chosen (``evidence``). A planned completion says the person finished the
treatment, so it needs a treatment start; the one coded exception is "referred to another
service", which needs the assessment that found the other service (the person was assessed
and moved on before a treatment start here).
Administrators may add codes or end them (``valid_to``); codes are never deleted.
"""

from __future__ import annotations

from typing import NamedTuple


class CodeSpec(NamedTuple):
    code: str
    label_en: str
    label_cy: str
    kind: str
    leads_to: str
    chosen_by: str
    stops_timer: bool
    next_actor: str
    planned: bool = False
    evidence: str = ""


R, H, X, C = "rejection", "hold", "cancellation", "closure"
TREATMENT_START, ASSESSMENT = "treatment_start", "assessment"
POLICE, PROVIDER, NOBODY = "police", "provider", "nobody"

CODES: tuple[CodeSpec, ...] = (
    # Rejections: the provider cannot take the referral; the police must re-route or close.
    CodeSpec(
        "REJ_OUT_OF_AREA",
        "Person lives outside the area we serve",
        "Mae'r unigolyn yn byw y tu allan i'r ardal a wasanaethwn",
        R,
        "rejected",
        PROVIDER,
        True,
        POLICE,
    ),
    CodeSpec(
        "REJ_NOT_ELIGIBLE",
        "Person does not meet the service's eligibility",
        "Nid yw'r unigolyn yn bodloni meini prawf cymhwysedd y gwasanaeth",
        R,
        "rejected",
        PROVIDER,
        True,
        POLICE,
    ),
    CodeSpec(
        "REJ_NEEDS_NOT_MET",
        "The service cannot meet the person's needs",
        "Ni all y gwasanaeth ddiwallu anghenion yr unigolyn",
        R,
        "rejected",
        PROVIDER,
        True,
        POLICE,
    ),
    CodeSpec(
        "REJ_ALREADY_OPEN",
        "Person is already open to this service",
        "Mae'r unigolyn eisoes ar agor i'r gwasanaeth hwn",
        R,
        "rejected",
        PROVIDER,
        True,
        NOBODY,
    ),
    CodeSpec(
        "REJ_DUPLICATE",
        "Duplicate of another referral",
        "Dyblyg o atgyfeiriad arall",
        R,
        "rejected",
        PROVIDER,
        True,
        NOBODY,
    ),
    CodeSpec(
        "REJ_NO_CONSENT",
        "No consent or lawful basis recorded for sharing",
        "Dim caniatâd na sail gyfreithlon wedi'i gofnodi ar gyfer rhannu",
        R,
        "rejected",
        PROVIDER,
        True,
        POLICE,
    ),
    # Holds: the work pauses; the provider picks it up again.
    CodeSpec(
        "HOLD_HOSPITAL",
        "Person is in hospital",
        "Mae'r unigolyn yn yr ysbyty",
        H,
        "on-hold",
        PROVIDER,
        True,
        PROVIDER,
    ),
    CodeSpec(
        "HOLD_CUSTODY",
        "Person is in custody or on remand",
        "Mae'r unigolyn yn y ddalfa neu ar remand",
        H,
        "on-hold",
        PROVIDER,
        True,
        PROVIDER,
    ),
    CodeSpec(
        "HOLD_PERSON_ASKED",
        "Person asked to pause for now",
        "Gofynnodd yr unigolyn am oedi am y tro",
        H,
        "on-hold",
        PROVIDER,
        True,
        PROVIDER,
    ),
    CodeSpec(
        "HOLD_AWAITING_INFO",
        "Waiting for information from the police",
        "Yn aros am wybodaeth gan yr heddlu",
        H,
        "on-hold",
        PROVIDER,
        False,
        POLICE,
    ),
    CodeSpec(
        "HOLD_CONTACT_DETAILS",
        "Contact details missing or wrong: waiting for the police",
        "Manylion cyswllt ar goll neu'n anghywir: yn aros am yr heddlu",
        H,
        "on-hold",
        PROVIDER,
        True,
        POLICE,
    ),
    # Cancellations by the police (withdrawal) or by Pontio (re-sent elsewhere).
    CodeSpec(
        "CAN_CONSENT_WITHDRAWN",
        "Person withdrew consent",
        "Tynnodd yr unigolyn ei ganiatâd yn ôl",
        X,
        "cancelled",
        POLICE,
        True,
        NOBODY,
    ),
    CodeSpec(
        "CAN_SENT_IN_ERROR",
        "Sent in error",
        "Anfonwyd mewn camgymeriad",
        X,
        "cancelled",
        POLICE,
        True,
        NOBODY,
    ),
    CodeSpec(
        "CAN_NO_LONGER_NEEDED",
        "No longer needed (for example, charged and remanded)",
        "Nid oes ei angen mwyach (er enghraifft, wedi'i gyhuddo a'i remandio)",
        X,
        "cancelled",
        POLICE,
        True,
        NOBODY,
    ),
    CodeSpec(
        "CAN_TRANSFERRED",
        "Re-sent to another provider",
        "Wedi'i ail-anfon at ddarparwr arall",
        X,
        "cancelled",
        POLICE,
        True,
        NOBODY,
    ),
    # Closures: the Welsh national reasons (StatsWales, WNDSM).
    CodeSpec(
        "CLO_PLANNED_SUBSTANCE_FREE",
        "Planned - treatment complete - substance free",
        "Wedi'i gynllunio - triniaeth wedi'i chwblhau - yn rhydd o sylweddau",
        C,
        "completed",
        PROVIDER,
        True,
        NOBODY,
        True,
        TREATMENT_START,
    ),
    CodeSpec(
        "CLO_PLANNED_COMPLETE",
        "Planned - treatment complete",
        "Wedi'i gynllunio - triniaeth wedi'i chwblhau",
        C,
        "completed",
        PROVIDER,
        True,
        NOBODY,
        True,
        TREATMENT_START,
    ),
    CodeSpec(
        "CLO_PLANNED_REFERRED_ON",
        "Planned - referred to another service",
        "Wedi'i gynllunio - wedi'i atgyfeirio at wasanaeth arall",
        C,
        "completed",
        PROVIDER,
        True,
        NOBODY,
        True,
        ASSESSMENT,
    ),
    CodeSpec(
        "CLO_PLANNED_GP_PRESCRIBING",
        "Planned - moved to GP-led prescribing",
        "Wedi'i gynllunio - wedi symud i bresgripsiynu dan arweiniad meddyg teulu",
        C,
        "completed",
        PROVIDER,
        True,
        NOBODY,
        True,
        TREATMENT_START,
    ),
    CodeSpec(
        "CLO_WITHDRAWN_BY_PROVIDER",
        "Treatment withdrawn by provider",
        "Triniaeth wedi'i thynnu'n ôl gan y darparwr",
        C,
        "failed",
        PROVIDER,
        True,
        NOBODY,
    ),
    CodeSpec(
        "CLO_CLOSED_AT_CENTRE",
        "Closed at centre",
        "Wedi'i gau yn y ganolfan",
        C,
        "failed",
        PROVIDER,
        True,
        NOBODY,
    ),
    CodeSpec(
        "CLO_DNA_BEFORE_ASSESSMENT",
        "Did not attend before assessment",
        "Heb fynychu cyn yr asesiad",
        C,
        "failed",
        PROVIDER,
        True,
        POLICE,
    ),
    CodeSpec(
        "CLO_DNA_BEFORE_TREATMENT",
        "Did not attend before treatment",
        "Heb fynychu cyn y driniaeth",
        C,
        "failed",
        PROVIDER,
        True,
        POLICE,
    ),
    CodeSpec(
        "CLO_DNA_DURING_TREATMENT",
        "Did not attend during treatment",
        "Heb fynychu yn ystod y driniaeth",
        C,
        "failed",
        PROVIDER,
        True,
        POLICE,
    ),
    CodeSpec(
        "CLO_INAPPROPRIATE",
        "Inappropriate referral",
        "Atgyfeiriad amhriodol",
        C,
        "failed",
        PROVIDER,
        True,
        POLICE,
    ),
    CodeSpec(
        "CLO_CLIENT_UNAWARE",
        "Client unaware of referral",
        "Nid oedd y cleient yn gwybod am yr atgyfeiriad",
        C,
        "failed",
        PROVIDER,
        True,
        POLICE,
    ),
    CodeSpec(
        "CLO_CLIENT_DECLINED",
        "Client declined treatment",
        "Gwrthododd y cleient driniaeth",
        C,
        "failed",
        PROVIDER,
        True,
        NOBODY,
    ),
    CodeSpec(
        "CLO_NO_INFORMATION",
        "No information supplied",
        "Dim gwybodaeth wedi'i rhoi",
        C,
        "failed",
        PROVIDER,
        True,
        NOBODY,
    ),
    CodeSpec(
        "CLO_DIED",
        "Neutral - person died",
        "Niwtral - bu farw'r unigolyn",
        C,
        "cancelled",
        PROVIDER,
        True,
        NOBODY,
    ),
    CodeSpec(
        "CLO_PRISON",
        "Neutral - person went to prison",
        "Niwtral - aeth yr unigolyn i'r carchar",
        C,
        "cancelled",
        PROVIDER,
        True,
        NOBODY,
    ),
    # Set by Pontio when a receiving provider accepts a provider-to-provider transfer
    # (services.transfers); it is never offered on the closing form (``lifecycle.TRANSFER_CODE``).
    CodeSpec(
        "CLO_TRANSFERRED",
        "Neutral - transferred to another provider",
        "Niwtral - trosglwyddwyd i ddarparwr arall",
        C,
        "cancelled",
        PROVIDER,
        True,
        NOBODY,
    ),
    CodeSpec(
        "CLO_MOVED_AWAY",
        "Neutral - person moved out of the area",
        "Niwtral - symudodd yr unigolyn allan o'r ardal",
        C,
        "cancelled",
        PROVIDER,
        True,
        NOBODY,
    ),
)


def load_codes(apps: object, schema_editor: object) -> None:
    """Data migration step: create or refresh the registry (idempotent)."""
    model = apps.get_model("referrals", "ReferralCode")  # type: ignore[attr-defined]
    # An earlier migration runs this with the model as it was then: set only its fields.
    known = {f.name for f in model._meta.get_fields()}
    for order, spec in enumerate(CODES, start=1):
        values = {
            "label_en": spec.label_en,
            "label_cy": spec.label_cy,
            "kind": spec.kind,
            "leads_to": spec.leads_to,
            "chosen_by": spec.chosen_by,
            "stops_timer": spec.stops_timer,
            "next_actor": spec.next_actor,
            "planned": spec.planned,
            "evidence": spec.evidence,
            "sort_order": order,
        }
        model.objects.update_or_create(
            code=spec.code, defaults={k: v for k, v in values.items() if k in known}
        )
