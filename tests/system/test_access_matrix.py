"""Access matrix: every URL of the service, GET as every demo user and as nobody.

The table below names every route, the records its URL points at and who may open it.
``test_table_lists_every_route`` fails when a URL is added without a row here, so no new
page or endpoint ships without its access rules written down and tested.

The world is real: a person, a referral worked by its provider, an appointment and an alert,
two stop-and-search records, the month's audit sample with its reviews, a panel review, a
police.uk import and an audit event, all made through the services. For each cell:

- a user who may open the page *and whose scope holds its record* gets the page (200, or
  the status in the table) and the page shows the record: its reference or name
  (``marker``);
- a user who may open the page but whose scope does not hold the record gets "not found"
  (record pages) or the page without it (lists): nothing of the record appears;
- every other user gets 403 or 404, the denial is audited, and nothing of any record of the
  world appears in the answer;
- an anonymous visitor is sent to sign-in (pages) or refused with JSON (API).

POST-only endpoints are checked with POST separately.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from tests.conftest import FAST_HASHER

from pontio.accounts.events import AccountEvent
from pontio.accounts.roles import Role
from pontio.audit.models import AuditEvent, LogEvent
from pontio.core.permissions import registered_permissions
from pontio.core.recording import AuditAction

PUBLIC = "public"

# The demo users (accounts.demo) and their roles, written out: the expectations below name
# users, because two users of one role may see different records.
USERS: dict[str, str] = {
    "officer": Role.OFFICER,
    "powys.officer": Role.OFFICER,
    "custody.officer": Role.CUSTODY_OFFICER,
    "custody.sergeant": Role.CUSTODY_SERGEANT,
    "inspector": Role.INSPECTOR,
    "intelligence": Role.INTELLIGENCE_OFFICER,
    "operations": Role.OPERATIONS_LEAD,
    "examiner": Role.DIGITAL_MEDIA_EXAMINER,
    "caseworker": Role.PROVIDER_CASEWORKER,
    "provider.manager": Role.PROVIDER_MANAGER,
    "powys.caseworker": Role.PROVIDER_CASEWORKER,
    "navigator": Role.NAVIGATOR,
    "panel": Role.PANEL_MEMBER,
    "analyst": Role.OPCC_ANALYST,
    "auditor": Role.AUDITOR,
    "admin": Role.ADMINISTRATOR,
}

ALL_ROLES = frozenset(Role.values)
ADMIN = frozenset({Role.ADMINISTRATOR})
AUDITOR = frozenset({Role.AUDITOR})
TEAM = frozenset({Role.ADMINISTRATOR, Role.PROVIDER_MANAGER})
POLICE = frozenset(
    {
        Role.OFFICER,
        Role.CUSTODY_OFFICER,
        Role.CUSTODY_SERGEANT,
        Role.INSPECTOR,
        Role.INTELLIGENCE_OFFICER,
    }
)
MERGERS = frozenset({Role.CUSTODY_SERGEANT, Role.INSPECTOR})
DIRECTORY_MANAGERS = frozenset({Role.ADMINISTRATOR, Role.PROVIDER_MANAGER})
PROVIDER_STAFF = frozenset({Role.PROVIDER_CASEWORKER, Role.PROVIDER_MANAGER, Role.NAVIGATOR})
REFERRAL_EXPORTERS = frozenset({Role.PROVIDER_MANAGER, Role.CUSTODY_SERGEANT, Role.INSPECTOR})
REFERRING_POLICE = frozenset(
    {Role.OFFICER, Role.CUSTODY_OFFICER, Role.CUSTODY_SERGEANT, Role.INSPECTOR}
)
STOPSEARCH_ANALYSTS = frozenset(
    {Role.INSPECTOR, Role.OPCC_ANALYST, Role.OPERATIONS_LEAD, Role.PANEL_MEMBER}
)
METRICS_VIEWERS = frozenset(
    {Role.OPCC_ANALYST, Role.PROVIDER_MANAGER, Role.CUSTODY_SERGEANT, Role.INSPECTOR}
)

# Who holds each record of the world in their scope (written from the rules in DESIGN.md
# §1 and each app's policies, not computed from them):
# - the referral: made by the Carmarthenshire officer to DDAS Llanelli, so the officer,
#   the sergeant of Carmarthenshire and Pembrokeshire (their supervisor), and DDAS's
#   Carmarthenshire caseworker and manager;
REFERRAL_SEERS = frozenset({"officer", "custody.sergeant", "caseworker", "provider.manager"})
REFERRAL_POLICE = frozenset({"officer", "custody.sergeant"})
REFERRAL_PROVIDER = frozenset({"caseworker", "provider.manager"})
# - the Carmarthenshire search, recorded by the officer: the officer, the area's sergeant,
#   and the force-wide intelligence officer;
SEARCH_SEERS = frozenset({"officer", "custody.sergeant", "intelligence"})
# - the person has no address, so every police operational user may open them.
PERSON_SEERS = frozenset(
    {"officer", "powys.officer", "custody.officer", "custody.sergeant", "inspector", "intelligence"}
)


@dataclass
class World:
    """The records that URLs point at, and a signed-in client per demo user."""

    county_pk: int = 0
    organisation_pk: int = 0
    caseworker_pk: int = 0
    person_pk: int = 0  # a person with no address (in every police user's scope)
    flag_pk: int = 0  # an open flag of that person
    directory_service_pk: int = 0  # DDAS Llanelli (the demo provider manager's own)
    referral_pk: int = 0
    referral_reference: str = ""
    appointment_pk: int = 0
    search_pk: int = 0  # Carmarthenshire, recorded by the officer
    search_reference: str = ""
    sampled_reference: str = ""  # Ceredigion, last month, in the month's audit sample
    inspector_review_pk: int = 0
    independent_review_pk: int = 0
    panel_review_pk: int = 0
    import_pk: int = 0
    import_name: str = "2016-11-dyfed-powys-stop-and-search.csv"
    # custody (helper C): a Llanelli record booked by the sergeant, tested positive, the
    # assessment required and missed (a breach task), and a second record with a request
    # for authorisation to the (Ceredigion) inspector, who may then open that one only.
    custody_pk: int = 0
    custody_number: str = ""
    custody_notice_pk: int = 0
    custody_task_pk: int = 0
    custody_assessment_pk: int = 0
    custody_asked_number: str = ""
    custody_asked_pk: int = 0
    custody_authorisation_pk: int = 0
    custody_suite_pk: int = 0
    custody_notification_pk: int = 0
    custody_offence_pk: int = 0
    # disposals (issue 16): a Llanelli conditional caution decided by the sergeant, with a
    # diversion-scheme condition that referred the person to Pobl and opened a contract.
    disposal_pk: int = 0
    disposal_reference: str = ""
    contract_pk: int = 0
    contract_reference: str = ""
    disposal_type_pk: int = 0
    disposal_condition_pk: int = 0
    scheme_pk: int = 0
    review_pk: int = 0  # the demo deep dive (issue 17)
    recommendation_pk: int = 0
    board_pk: int = 0
    panel_report_pk: int = 0
    award_pk: int = 0
    paper_pk: int = 0
    cluster_pk: int = 0  # a group of possible duplicates: the person and a second record
    # intelligence (issue 18): a public report graded and shared, its approved summary.
    intel_report_pk: int = 0
    intel_reference: str = ""
    intel_share_pk: int = 0
    intel_summary_pk: int = 0
    # operations (issue 18): a covert operation and one in enforcement, a forecast row, an
    # evaluation asked of DDAS.
    ops_covert_pk: int = 0
    ops_covert_reference: str = ""
    ops_enforcement_pk: int = 0
    ops_enforcement_reference: str = ""
    ops_forecast_row_pk: int = 0
    ops_evaluation_pk: int = 0
    # device examinations (issue 18): a Carmarthenshire triage of three phones, queued.
    examination_pk: int = 0
    examination_reference: str = ""
    examiner_user_pk: int = 0
    # interfaces (issue 19): a partner token, a webhook subscription and delivery, a message.
    api_token_pk: int = 0
    webhook_subscription_pk: int = 0
    webhook_delivery_pk: int = 0
    webhook_event_id: str = ""
    reminders_message_pk: int = 0
    event_sequence: int = 0  # an audit event with the reason below
    event_reason: str = "access matrix: marker event"
    clients: dict[str, Client] = field(default_factory=dict)

    def identifying(self) -> list[str]:
        """Text of the world's records that only those allowed may ever see."""
        return [
            "Prawf",
            self.referral_reference,
            self.search_reference,
            self.sampled_reference,
            self.event_reason,
            "caseworker@demo.pontio.invalid",
            *(n for n in (self.custody_number, self.custody_asked_number) if n),
            *(n for n in (self.disposal_reference, self.contract_reference) if n),
            *(n for n in (self.intel_reference,) if n),
            *(r for r in (self.ops_covert_reference, self.ops_enforcement_reference) if r),
            "Matrix Covert",
            "Matrix Enforcement",
            *(r for r in (self.examination_reference,) if r),
        ]


Kwargs = Callable[[World], dict[str, Any]]
Marker = Callable[[World], tuple[str, ...]]


def no_kwargs(world: World) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Route:
    roles: frozenset[str] | str  # roles that may GET it, or PUBLIC (login not required)
    kwargs: Kwargs = no_kwargs
    status: int = 200  # what an allowed, signed-in GET answers
    anonymous_status: int | None = None  # for PUBLIC routes, if different when signed out
    post_only: bool = False
    # What an empty POST by an allowed user answers: a redirect, except for a machine's
    # endpoint that authenticates the caller itself (Notify's callback: 401 without its token).
    post_status: int = 302
    # Users allowed by their role whose scope holds the record (default: all of them).
    sees: frozenset[str] | None = None
    # What those allowed but without the record get: 404 (a record page) or 200 (a list).
    unseen_status: int = 404
    # Text the page shows of its record (any one of them: English and Welsh names); it must
    # appear for those who see the record and never for anyone else.
    marker: Marker | None = None
    # Text that must not appear on the page even for those allowed (anonymised pages).
    hidden: Marker | None = None

    def allowed(self) -> set[str]:
        if self.roles == PUBLIC:
            return set(USERS)
        return {user for user, role in USERS.items() if role in self.roles}

    def seers(self) -> set[str]:
        return self.allowed() if self.sees is None else set(self.sees)


def person(world: World) -> dict[str, Any]:
    return {"pk": world.person_pk}


def cluster(world: World) -> dict[str, Any]:
    return {"pk": world.cluster_pk}


def referral(world: World) -> dict[str, Any]:
    return {"pk": world.referral_pk}


def search(world: World) -> dict[str, Any]:
    return {"pk": world.search_pk}


def prawf(world: World) -> tuple[str, ...]:
    return ("Prawf",)


def referral_ref(world: World) -> tuple[str, ...]:
    return (world.referral_reference,)


def search_ref(world: World) -> tuple[str, ...]:
    return (world.search_reference,)


def sampled_ref(world: World) -> tuple[str, ...]:
    return (world.sampled_reference,)


def ddas_llanelli(world: World) -> tuple[str, ...]:
    return ("DDAS Llanelli", "GCAD Llanelli")


def caseworker_email(world: World) -> tuple[str, ...]:
    return ("caseworker@demo.pontio.invalid",)


def llinos(world: World) -> tuple[str, ...]:
    return ("Llinos Williams",)


def ddas(world: World) -> tuple[str, ...]:
    return ("Dyfed Drug and Alcohol Service", "Gwasanaeth Cyffuriau ac Alcohol Dyfed")


def import_name(world: World) -> tuple[str, ...]:
    return (world.import_name,)


def marker_event(world: World) -> tuple[str, ...]:
    return (world.event_reason,)


def provider_page(status: int = 200) -> Route:
    """A provider's page of the referral: DDAS staff of its county see it."""
    return Route(
        PROVIDER_STAFF,
        referral,
        status=status,
        sees=REFERRAL_PROVIDER,
        marker=referral_ref if status == 200 else None,
    )


def custody_ref(world: World) -> tuple[str, ...]:
    return (world.custody_number,)


def custody_asked_ref(world: World) -> tuple[str, ...]:
    return (world.custody_asked_number,)


def custody_record(world: World) -> dict[str, Any]:
    return {"pk": world.custody_pk}


def custody_asked_record(world: World) -> dict[str, Any]:
    return {"pk": world.custody_asked_pk}


# custody (helper C): the Llanelli record is the sergeant's and the Carmarthenshire custody
# officer's; the inspector (Ceredigion) opens only the record they were asked about.
CUSTODY_SEERS = frozenset({"custody.officer", "custody.sergeant"})
CUSTODY_VIEWERS = frozenset(
    {Role.CUSTODY_OFFICER, Role.CUSTODY_SERGEANT, Role.INSPECTOR, Role.OFFICER}
)
CUSTODY_BOOKERS = frozenset({Role.CUSTODY_OFFICER, Role.CUSTODY_SERGEANT, Role.INSPECTOR})
CUSTODY_STAFF = frozenset({Role.CUSTODY_OFFICER, Role.CUSTODY_SERGEANT})
BREACH_DECIDERS = frozenset({Role.CUSTODY_SERGEANT, Role.INSPECTOR, Role.OFFICER})
INSPECTORS = frozenset({Role.INSPECTOR})
FUNNEL_VIEWERS = frozenset(
    {Role.INSPECTOR, Role.CUSTODY_SERGEANT, Role.OPCC_ANALYST, Role.OPERATIONS_LEAD}
)
FUNNEL_OPENERS = frozenset({Role.INSPECTOR, Role.CUSTODY_SERGEANT})


def custody_step(roles: frozenset[str], status: int = 302) -> Route:
    """A step page of the Llanelli record: every step is done or closed on it, so those
    who may change it are sent back to the record (302); others get "not found"."""
    return Route(roles, custody_record, status=status, sees=CUSTODY_SEERS)


CUSTODY_ROUTES: dict[str, Route] = {
    "custody:list": Route(
        CUSTODY_VIEWERS, sees=CUSTODY_SEERS, unseen_status=200, marker=custody_ref
    ),
    "custody:book": Route(CUSTODY_BOOKERS),
    "custody:detail": Route(
        CUSTODY_VIEWERS, custody_record, sees=CUSTODY_SEERS, marker=custody_ref
    ),
    # Always open to those who may change the record (the inspector, of Ceredigion, cannot).
    "custody:record-change": Route(
        CUSTODY_BOOKERS, custody_record, sees=CUSTODY_SEERS, marker=custody_ref
    ),
    "custody:record-offence-add": Route(
        CUSTODY_BOOKERS, custody_record, sees=CUSTODY_SEERS, marker=custody_ref
    ),
    # An inspector records an authorisation on a record their scope holds: the one they
    # were asked about (outside their area).
    "custody:authorisation-give": Route(INSPECTORS, custody_asked_record, marker=custody_asked_ref),
    "custody:charge": Route(
        CUSTODY_BOOKERS, custody_record, sees=CUSTODY_SEERS, marker=custody_ref
    ),
    "custody:authorisation-request": Route(
        frozenset({Role.CUSTODY_SERGEANT}), custody_record, marker=custody_ref
    ),
    "custody:test-request": custody_step(CUSTODY_STAFF),
    "custody:test-outcome": custody_step(CUSTODY_STAFF),
    "custody:test-result": custody_step(CUSTODY_STAFF),
    "custody:test-dispute": custody_step(CUSTODY_STAFF),
    "custody:test-confirmatory": custody_step(CUSTODY_STAFF),
    "custody:assessment-impose": custody_step(CUSTODY_STAFF),
    "custody:assessment-vary": custody_step(CUSTODY_STAFF),
    "custody:assessment-followup": custody_step(CUSTODY_STAFF),
    # The RA1 notice (a PDF: nothing to read in it here); provider staff download it from
    # the referral the requirement made (DDAS's Carmarthenshire caseworker and manager).
    "custody:notice": Route(
        CUSTODY_VIEWERS | PROVIDER_STAFF,
        lambda w: {"pk": w.custody_notice_pk},
        sees=CUSTODY_SEERS | REFERRAL_PROVIDER,
    ),
    # The assessor's follow-up decision, from the referral: the world's initial assessment
    # was missed, so there is none to give and those who may are sent back (302).
    "custody:provider-followup": Route(
        PROVIDER_STAFF,
        lambda w: {"pk": w.custody_assessment_pk},
        status=302,
        sees=REFERRAL_PROVIDER,
    ),
    "custody:authorisations": Route(INSPECTORS, marker=custody_asked_ref),
    "custody:authorisation-decide": Route(
        INSPECTORS, lambda w: {"pk": w.custody_authorisation_pk}, marker=custody_asked_ref
    ),
    "custody:authorisation-confirm": Route(
        INSPECTORS, lambda w: {"pk": w.custody_authorisation_pk}, status=405, post_only=True
    ),
    "custody:breach-list": Route(
        BREACH_DECIDERS,
        sees=frozenset({"custody.sergeant"}),
        unseen_status=200,
        marker=custody_ref,
    ),
    "custody:breach-detail": Route(
        BREACH_DECIDERS,
        lambda w: {"pk": w.custody_task_pk},
        sees=frozenset({"custody.sergeant"}),
        marker=custody_ref,
    ),
    # The funnel counts (nothing of a record on it); the records behind a step are opened
    # by those who may read custody records, in their scope.
    "custody:funnel": Route(FUNNEL_VIEWERS),
    "custody:funnel-export": Route(FUNNEL_VIEWERS),
    "custody:funnel-records": Route(FUNNEL_OPENERS),
    "api-custody-record-list": Route(
        CUSTODY_VIEWERS, sees=CUSTODY_SEERS, unseen_status=200, marker=custody_ref
    ),
    "api-custody-record-detail": Route(
        CUSTODY_VIEWERS, custody_record, sees=CUSTODY_SEERS, marker=custody_ref
    ),
    "api-custody-assessment-detail": Route(
        CUSTODY_VIEWERS | PROVIDER_STAFF,
        lambda w: {"pk": w.custody_assessment_pk},
        sees=CUSTODY_SEERS | REFERRAL_PROVIDER,
    ),
    "api-custody-assessment-transition": Route(
        CUSTODY_STAFF | PROVIDER_STAFF, lambda w: {"pk": w.custody_assessment_pk}, status=405
    ),
    "custody:reference": Route(ADMIN, marker=lambda w: ("Theft Act 1968",)),
    "custody:suite-create": Route(ADMIN),
    "custody:suite-edit": Route(
        ADMIN, lambda w: {"pk": w.custody_suite_pk}, marker=lambda w: ("Llanelli",)
    ),
    "custody:notification-create": Route(ADMIN),
    "custody:notification-edit": Route(
        ADMIN, lambda w: {"pk": w.custody_notification_pk}, marker=lambda w: ("Llanelli",)
    ),
    "custody:offence-create": Route(ADMIN),
    "custody:offence-edit": Route(
        ADMIN, lambda w: {"pk": w.custody_offence_pk}, marker=lambda w: ("Theft",)
    ),
}


ROUTES: dict[str, Route] = {
    # core
    "core:home": Route(ALL_ROLES),
    "core:language": Route(PUBLIC, lambda w: {"code": "en"}, status=302),
    "core:health": Route(PUBLIC),
    "core:accessibility": Route(PUBLIC),
    "core:county-list": Route(ADMIN, marker=lambda w: ("W06000010",)),
    "core:county-edit": Route(
        ADMIN, lambda w: {"pk": w.county_pk}, marker=lambda w: ("Carmarthenshire",)
    ),
    # sign-in and accounts
    "accounts:sign-in": Route(PUBLIC, status=302, anonymous_status=200),
    "accounts:code": Route(PUBLIC, status=302),  # no password step pending: back to sign-in
    "accounts:set-up-code": Route(PUBLIC, status=302),
    "accounts:sign-out": Route(PUBLIC, status=405, post_only=True),
    "accounts:forgot-password": Route(PUBLIC),
    "accounts:set-password": Route(
        PUBLIC, lambda w: {"uidb64": "MQ", "token": "not-a-valid-token"}
    ),
    "accounts:account": Route(ALL_ROLES),
    "accounts:sign-out-everywhere": Route(ALL_ROLES, status=405, post_only=True),
    "accounts:user-list": Route(TEAM, marker=llinos),
    "accounts:user-create": Route(ADMIN),
    "accounts:user-detail": Route(TEAM, lambda w: {"pk": w.caseworker_pk}, marker=llinos),
    "accounts:user-edit": Route(
        ADMIN, lambda w: {"pk": w.caseworker_pk}, marker=lambda w: ("Llinos",)
    ),
    "accounts:user-action": Route(
        ADMIN, lambda w: {"pk": w.caseworker_pk, "action": "unlock"}, status=405, post_only=True
    ),
    "accounts:organisation-list": Route(ADMIN, marker=ddas),
    "accounts:organisation-create": Route(ADMIN),
    "accounts:organisation-edit": Route(ADMIN, lambda w: {"pk": w.organisation_pk}, marker=ddas),
    # Only roles that may break glass on the model see the reason form, which shows nothing
    # of the record.
    "accounts:break-glass": Route(
        ADMIN,
        lambda w: {"model_label": "accounts.user", "pk": str(w.caseworker_pk)},
        hidden=caseworker_email,
    ),
    # audit
    "audit:event-list": Route(AUDITOR, marker=lambda w: (f"/audit/events/{w.event_sequence}/",)),
    "audit:event-export": Route(AUDITOR, marker=marker_event),
    "audit:event-detail": Route(
        AUDITOR, lambda w: {"sequence": w.event_sequence}, marker=marker_event
    ),
    "audit:verify": Route(AUDITOR),
    "audit:verify-start": Route(AUDITOR, status=405, post_only=True),
    "accounts:break-glass-list": Route(AUDITOR),
    # service directory (the directory is public information for every signed-in user)
    "directory:search": Route(ALL_ROLES),
    "directory:service-detail": Route(
        ALL_ROLES, lambda w: {"pk": w.directory_service_pk}, marker=ddas_llanelli
    ),
    "directory:export": Route(ALL_ROLES, marker=lambda w: ("DDAS Llanelli",)),
    "directory:manage": Route(DIRECTORY_MANAGERS, marker=ddas_llanelli),
    "directory:service-create": Route(DIRECTORY_MANAGERS),
    "directory:service-edit": Route(
        DIRECTORY_MANAGERS, lambda w: {"pk": w.directory_service_pk}, marker=ddas_llanelli
    ),
    "directory:service-status": Route(
        DIRECTORY_MANAGERS, lambda w: {"pk": w.directory_service_pk}, status=405, post_only=True
    ),
    # people (the person has no address: every police operational user may open them)
    "people:list": Route(POLICE, marker=prawf),
    "people:create": Route(POLICE),
    "people:create-matches": Route(POLICE, status=302),  # nothing typed yet: back to step 1
    "people:create-details": Route(POLICE, status=302),
    "people:detail": Route(POLICE, person, marker=prawf),
    "people:edit": Route(POLICE, person, marker=prawf),
    "people:address-add": Route(POLICE, person, marker=prawf),
    "people:phone-add": Route(POLICE, person, marker=prawf),
    "people:email-add": Route(POLICE, person, marker=prawf),
    "people:alias-add": Route(POLICE, person, marker=prawf),
    "people:custody-number-add": Route(POLICE, person, marker=prawf),
    "people:flag-raise": Route(POLICE, person, marker=prawf),
    "people:flag-resolve": Route(
        POLICE, lambda w: {"pk": w.person_pk, "flag_pk": w.flag_pk}, marker=prawf
    ),
    "people:consent-add": Route(POLICE, person, marker=prawf),
    "people:merge": Route(MERGERS, person, marker=prawf),
    "people:unmerge": Route(MERGERS, person, marker=prawf),
    "people:duplicates": Route(MERGERS),
    "people:duplicate": Route(MERGERS, lambda w: {"pk": w.cluster_pk}, marker=prawf),
    "people:matching": Route(ADMIN),
    "people:matching-estimate": Route(ADMIN, status=405, post_only=True),
    "people:deduplication-start": Route(ADMIN, status=405, post_only=True),
    # referrals: police pages
    "referrals:create": Route(REFERRING_POLICE, lambda w: {"person_pk": w.person_pk}, marker=prawf),
    # Nothing typed yet: back to step 1.
    "referrals:create-provider": Route(
        REFERRING_POLICE, lambda w: {"person_pk": w.person_pk}, status=302
    ),
    "referrals:withdraw": Route(
        REFERRING_POLICE, referral, sees=REFERRAL_POLICE, marker=referral_ref
    ),
    "referrals:resend": Route(
        REFERRING_POLICE, referral, sees=REFERRAL_POLICE, marker=referral_ref
    ),
    # The did-not-attend alert went to the referring officer and their sergeant.
    "referrals:alerts": Route(
        REFERRING_POLICE, sees=REFERRAL_POLICE, unseen_status=200, marker=referral_ref
    ),
    # referrals: the referral, inbox, exports and provider pages
    "referrals:detail": Route(
        REFERRING_POLICE | PROVIDER_STAFF, referral, sees=REFERRAL_SEERS, marker=referral_ref
    ),
    "referrals:inbox": Route(
        REFERRING_POLICE | PROVIDER_STAFF,
        sees=REFERRAL_SEERS,
        unseen_status=200,
        marker=referral_ref,
    ),
    "referrals:export-csv": Route(
        REFERRAL_EXPORTERS,
        sees=frozenset({"provider.manager", "custody.sergeant"}),
        unseen_status=200,
        marker=referral_ref,
    ),
    "referrals:export-xlsx": Route(
        REFERRAL_EXPORTERS,
        sees=frozenset({"provider.manager", "custody.sergeant"}),
        unseen_status=200,
        marker=referral_ref,
    ),
    # Accept is POST-only: provider roles get 405 on GET before any fetch.
    "referrals:accept": Route(PROVIDER_STAFF, referral, status=405),
    "referrals:reject": provider_page(),
    "referrals:hold": provider_page(),
    "referrals:resume": provider_page(),
    "referrals:close": provider_page(),
    "referrals:contact-attempt-add": provider_page(),
    "referrals:appointment-add": provider_page(),
    "referrals:appointment-attendance": Route(
        PROVIDER_STAFF,
        lambda w: {"pk": w.referral_pk, "appointment_pk": w.appointment_pk},
        sees=REFERRAL_PROVIDER,
        marker=referral_ref,
    ),
    "referrals:appointment-reschedule": Route(
        PROVIDER_STAFF,
        lambda w: {"pk": w.referral_pk, "appointment_pk": w.appointment_pk},
        sees=REFERRAL_PROVIDER,
        marker=referral_ref,
    ),
    "referrals:clinical-add": provider_page(),
    "referrals:top-add": provider_page(),
    # case notes, both ways (no note in the world: acknowledging is POST-only)
    "referrals:note-add": Route(
        REFERRING_POLICE | PROVIDER_STAFF, referral, sees=REFERRAL_SEERS, marker=referral_ref
    ),
    "referrals:concern-acknowledge": Route(
        REFERRING_POLICE | PROVIDER_STAFF,
        lambda w: {"pk": w.referral_pk, "note_pk": 999999},
        status=405,
    ),
    "referrals:allocate": Route(frozenset({Role.PROVIDER_MANAGER}), referral, marker=referral_ref),
    # caseload (its first tab: my cases / my referrals, so the caseworker and the officer)
    "referrals:caseload": Route(
        REFERRING_POLICE | PROVIDER_STAFF,
        sees=frozenset({"officer", "caseworker"}),
        unseen_status=200,
        marker=referral_ref,
    ),
    "referrals:bulk-allocate": Route(frozenset({Role.PROVIDER_MANAGER}), status=405),
    # drafts (only their author's; no draft in the world: a draft URL is "not found")
    "referrals:drafts": Route(REFERRING_POLICE),
    "referrals:draft": Route(REFERRING_POLICE, lambda w: {"pk": 999999}, sees=frozenset()),
    "referrals:draft-discard": Route(REFERRING_POLICE, lambda w: {"pk": 999999}, status=405),
    # amend (police) and questions to the police (provider asks, police answer; no question
    # in the world: those allowed get "not found")
    "referrals:amend": Route(REFERRING_POLICE, referral, sees=REFERRAL_POLICE, marker=referral_ref),
    "referrals:information-request": provider_page(),
    "referrals:information-answer": Route(
        REFERRING_POLICE, lambda w: {"pk": w.referral_pk, "request_pk": 999999}, sees=frozenset()
    ),
    # transfers: the world has no transfer, so its page is "not found" for every allowed role
    "referrals:transfer-propose": Route(
        PROVIDER_STAFF, referral, sees=REFERRAL_PROVIDER, marker=referral_ref
    ),
    "referrals:transfers": Route(PROVIDER_STAFF),
    "referrals:transfer-decide": Route(
        PROVIDER_STAFF, lambda w: {"transfer_pk": 999999}, sees=frozenset()
    ),
    # referrals: metrics (aggregates only) and the provider's quarterly total
    "referrals:metrics": Route(METRICS_VIEWERS, hidden=referral_ref),
    "referrals:metrics-totals": Route(frozenset({Role.PROVIDER_MANAGER})),
    # Work coming due: the world's referral (first contact due) for those who see it.
    "referrals:due": Route(
        REFERRING_POLICE | PROVIDER_STAFF,
        sees=REFERRAL_SEERS,
        unseen_status=200,
        marker=referral_ref,
    ),
    "referrals:due-digest": Route(REFERRING_POLICE | PROVIDER_STAFF, status=405, post_only=True),
    # stop and search: records
    "stopsearch:list": Route(POLICE, sees=SEARCH_SEERS, unseen_status=200, marker=search_ref),
    "stopsearch:create": Route(POLICE),
    "stopsearch:detail": Route(POLICE, search, sees=SEARCH_SEERS, marker=search_ref),
    "stopsearch:outcome": Route(POLICE, search, sees=SEARCH_SEERS, marker=search_ref),
    # finding or adding the person a search was of (the name typed is posted, never in a URL)
    "stopsearch:person": Route(POLICE, search, sees=SEARCH_SEERS, marker=search_ref),
    # stop and search analysis: aggregates (inspectors exact for their area, others
    # suppressed); never a record
    "stopsearch:analysis": Route(STOPSEARCH_ANALYSTS, hidden=search_ref),
    "stopsearch:analysis-export": Route(STOPSEARCH_ANALYSTS, hidden=search_ref),
    # stop and search audit: the Ceredigion inspector reviews the month's sample; the panel
    # member reads the anonymised record only (never its reference)
    "stopsearch:review-list": Route(frozenset({Role.INSPECTOR}), marker=sampled_ref),
    "stopsearch:review-detail": Route(
        frozenset({Role.INSPECTOR}), lambda w: {"pk": w.inspector_review_pk}, marker=sampled_ref
    ),
    "stopsearch:panel-list": Route(frozenset({Role.PANEL_MEMBER}), hidden=sampled_ref),
    "stopsearch:panel-review": Route(
        frozenset({Role.PANEL_MEMBER}), lambda w: {"pk": w.panel_review_pk}, hidden=sampled_ref
    ),
    "stopsearch:panel-summary": Route(frozenset({Role.PANEL_MEMBER}), hidden=sampled_ref),
    "stopsearch:panel-assign": Route(frozenset({Role.INSPECTOR, Role.ADMINISTRATOR})),
    "stopsearch:audit": Route(frozenset({Role.INSPECTOR, Role.ADMINISTRATOR})),
    # stop and search: police.uk imports and the police.uk export (rows: inspectors their
    # area, administrators the force; the OPCC analyst sees figures only)
    "stopsearch:import-list": Route(
        frozenset({Role.ADMINISTRATOR, Role.OPCC_ANALYST}), marker=import_name
    ),
    "stopsearch:import-create": Route(frozenset({Role.ADMINISTRATOR, Role.OPCC_ANALYST})),
    "stopsearch:import-detail": Route(
        frozenset({Role.ADMINISTRATOR, Role.OPCC_ANALYST}),
        lambda w: {"pk": w.import_pk},
        marker=import_name,
    ),
    "stopsearch:export-policeuk-form": Route(frozenset({Role.INSPECTOR, Role.ADMINISTRATOR})),
    "stopsearch:export-policeuk": Route(frozenset({Role.INSPECTOR, Role.ADMINISTRATOR})),
    # API
    "api-me": Route(ALL_ROLES),
    "api-user-list": Route(TEAM, marker=caseworker_email),
    "api-user-detail": Route(TEAM, lambda w: {"pk": w.caseworker_pk}, marker=caseworker_email),
    "api-organisation-list": Route(ALL_ROLES),
    "api-audit-event-list": Route(AUDITOR, marker=marker_event),
    "api-person-list": Route(POLICE, marker=prawf),
    "api-person-detail": Route(POLICE, person, marker=prawf),
    # person matching (no personal data) and the review queue of possible duplicates: the
    # list names people by record id only; one group shows its members.
    "api-matching-model": Route(ADMIN),
    "api-matching-model-estimate": Route(ADMIN, status=405),
    "api-deduplication-run-list": Route(ADMIN, hidden=prawf),
    "api-duplicate-group-list": Route(MERGERS, hidden=prawf),
    "api-duplicate-group-detail": Route(MERGERS, cluster, marker=prawf),
    "api-duplicate-group-merge": Route(MERGERS, cluster, status=405),
    "api-duplicate-group-dismiss": Route(MERGERS, cluster, status=405),
    "api-duplicate-group-undo": Route(MERGERS, cluster, status=405),
    "api-directory-service-list": Route(ALL_ROLES, marker=lambda w: ("DDAS Llanelli",)),
    "api-referral-list": Route(
        REFERRING_POLICE | PROVIDER_STAFF,
        sees=REFERRAL_SEERS,
        unseen_status=200,
        marker=referral_ref,
    ),
    "api-referral-code-list": Route(REFERRING_POLICE | PROVIDER_STAFF),
    "api-referral-due": Route(
        REFERRING_POLICE | PROVIDER_STAFF,
        sees=REFERRAL_SEERS,
        unseen_status=200,
        marker=referral_ref,
    ),
    "api-referral-detail": Route(
        REFERRING_POLICE | PROVIDER_STAFF, referral, sees=REFERRAL_SEERS, marker=referral_ref
    ),
    # POST-only endpoints answer a GET from an allowed role with 405 before any fetch.
    "api-referral-transition": Route(REFERRING_POLICE | PROVIDER_STAFF, referral, status=405),
    "api-referral-contact-attempts": Route(PROVIDER_STAFF, referral, status=405),
    "api-referral-appointments": Route(PROVIDER_STAFF, referral, status=405),
    "api-referral-attendance": Route(
        PROVIDER_STAFF, lambda w: {"pk": w.referral_pk, "aid": w.appointment_pk}, status=405
    ),
    "api-referral-appointment-reschedule": Route(
        PROVIDER_STAFF, lambda w: {"pk": w.referral_pk, "aid": w.appointment_pk}, status=405
    ),
    "api-referral-top-entries": Route(PROVIDER_STAFF, referral, status=405),
    "api-referral-clinical-records": Route(PROVIDER_STAFF, referral, status=405),
    "api-referral-notes": Route(REFERRING_POLICE | PROVIDER_STAFF, referral, sees=REFERRAL_SEERS),
    "api-referral-note-acknowledge": Route(
        REFERRING_POLICE | PROVIDER_STAFF,
        lambda w: {"pk": w.referral_pk, "note_id": 999999},
        status=405,
    ),
    "api-referral-caseload": Route(
        REFERRING_POLICE | PROVIDER_STAFF,
        sees=frozenset({"officer", "caseworker"}),
        unseen_status=200,
        marker=referral_ref,
    ),
    "api-referral-allocations": Route(frozenset({Role.PROVIDER_MANAGER}), status=405),
    "api-referral-drafts": Route(REFERRING_POLICE),
    "api-referral-draft-detail": Route(
        REFERRING_POLICE, lambda w: {"pk": 999999}, sees=frozenset()
    ),
    "api-referral-amendments": Route(
        REFERRING_POLICE | PROVIDER_STAFF, referral, sees=REFERRAL_SEERS
    ),
    "api-referral-information-requests": Route(
        REFERRING_POLICE | PROVIDER_STAFF, referral, sees=REFERRAL_SEERS
    ),
    "api-referral-information-answer": Route(
        REFERRING_POLICE, lambda w: {"pk": w.referral_pk, "rid": 999999}, status=405
    ),
    "api-referral-transfers": Route(
        REFERRING_POLICE | PROVIDER_STAFF, referral, sees=REFERRAL_SEERS
    ),
    "api-transfer-list": Route(PROVIDER_STAFF),
    "api-transfer-decision": Route(PROVIDER_STAFF, lambda w: {"tid": 999999}, status=405),
    "api-schema": Route(ALL_ROLES),
    "api-docs": Route(ALL_ROLES),
}

# Disposals (issue 16). The disposal is in Carmarthenshire and decided by the sergeant: the
# custody officer and sergeant of the county read it, and Pobl's navigator through the
# contract it opened; the contract is read by the navigator's organisation and the police
# of the county.
DISPOSAL_SEERS = frozenset({"custody.officer", "custody.sergeant", "navigator"})
DISPOSAL_READERS = frozenset(
    {Role.OFFICER, Role.CUSTODY_OFFICER, Role.CUSTODY_SERGEANT, Role.INSPECTOR, Role.NAVIGATOR}
)
DISPOSAL_SUPERVISORS = frozenset({Role.CUSTODY_SERGEANT, Role.INSPECTOR})
DISPOSAL_DECIDERS = frozenset(
    {Role.OFFICER, Role.CUSTODY_OFFICER, Role.CUSTODY_SERGEANT, Role.INSPECTOR}
)
# The police of the county change the disposal; the navigator reads it through the contract.
DISPOSAL_CHANGERS = frozenset({"custody.officer", "custody.sergeant"})
COMPLIANCE_RECORDERS = DISPOSAL_DECIDERS | PROVIDER_STAFF
OUTCOME_VIEWERS = frozenset(
    {Role.CUSTODY_SERGEANT, Role.INSPECTOR, Role.OPCC_ANALYST, Role.NAVIGATOR}
)
NAVIGATORS = frozenset({Role.NAVIGATOR})


def disposal_ref(world: World) -> tuple[str, ...]:
    return (world.disposal_reference,)


def contract_ref(world: World) -> tuple[str, ...]:
    return (world.contract_reference,)


def contract(world: World) -> dict[str, Any]:
    return {"pk": world.contract_pk}


def disposal(world: World) -> dict[str, Any]:
    return {"pk": world.disposal_pk}


def disposal_step(roles: frozenset[str]) -> Route:
    """An action on the disposal page: POST only (405 to a GET by those allowed)."""
    return Route(roles, disposal, status=405)


def contract_step() -> Route:
    """A navigator's action on the contract: POST only (405 to a GET by a navigator)."""
    return Route(NAVIGATORS, contract, status=405)


DISPOSAL_ROUTES: dict[str, Route] = {
    "disposals:list": Route(
        DISPOSAL_READERS, sees=DISPOSAL_SEERS, unseen_status=200, marker=disposal_ref
    ),
    "disposals:new": Route(
        DISPOSAL_DECIDERS,
        lambda w: {"person_pk": w.person_pk},
        sees=frozenset(name for name in PERSON_SEERS if USERS.get(name) in DISPOSAL_DECIDERS),
    ),
    "disposals:detail": Route(DISPOSAL_READERS, disposal, sees=DISPOSAL_SEERS, marker=disposal_ref),
    "disposals:condition-add": Route(
        DISPOSAL_DECIDERS, disposal, sees=DISPOSAL_CHANGERS, marker=disposal_ref
    ),
    # Awaiting authorisation: the agreement is not printed yet, its seers are sent back.
    "disposals:agreement": Route(DISPOSAL_READERS, disposal, sees=DISPOSAL_SEERS, status=302),
    "disposals:authorise": disposal_step(DISPOSAL_SUPERVISORS),
    "disposals:sign": disposal_step(DISPOSAL_DECIDERS),
    "disposals:complete": disposal_step(DISPOSAL_DECIDERS),
    "disposals:breach": disposal_step(DISPOSAL_SUPERVISORS),
    "disposals:condition-status": Route(
        COMPLIANCE_RECORDERS,
        lambda w: {"pk": w.disposal_condition_pk},
        sees=DISPOSAL_SEERS,
        marker=disposal_ref,
    ),
    "disposals:outcomes": Route(OUTCOME_VIEWERS),
    "disposals:panel": Route(frozenset({Role.PANEL_MEMBER})),
    # No sample in the world: a review number answers 404 to every panel member.
    "disposals:panel-review": Route(
        frozenset({Role.PANEL_MEMBER}), lambda w: {"pk": 999999}, sees=frozenset()
    ),
    "disposals:panel-feedback": Route(DISPOSAL_SUPERVISORS),
    "disposals:panel-draw": Route(frozenset({Role.INSPECTOR, Role.ADMINISTRATOR})),
    "disposals:outcomes-csv": Route(OUTCOME_VIEWERS),
    "disposals:caseload": Route(NAVIGATORS),  # "mine" first: the contract is unassigned
    "disposals:contract": Route(
        DISPOSAL_READERS, contract, sees=DISPOSAL_SEERS, marker=contract_ref
    ),
    "disposals:contract-assign": contract_step(),
    "disposals:contract-needs": contract_step(),
    "disposals:contract-agree": contract_step(),
    "disposals:contract-review": contract_step(),
    "disposals:contract-complete": contract_step(),
    "disposals:contract-fail": contract_step(),
    "disposals:contract-decline": contract_step(),
    "disposals:contract-condition": Route(NAVIGATORS, lambda w: {"pk": 999999}, status=405),
    "disposals:export": Route(
        DISPOSAL_SUPERVISORS,
        sees=frozenset({"custody.sergeant"}),
        unseen_status=200,
        marker=disposal_ref,
    ),
    "disposals:contracts-export": Route(
        DISPOSAL_SUPERVISORS,
        sees=frozenset({"custody.sergeant"}),
        unseen_status=200,
        marker=contract_ref,
    ),
    "disposals:reference": Route(ADMIN),
    "disposals:reference-type-new": Route(ADMIN),
    "disposals:reference-type-edit": Route(ADMIN, lambda w: {"pk": w.disposal_type_pk}),
    "disposals:reference-scheme-edit": Route(ADMIN, lambda w: {"pk": w.scheme_pk}),
    # The API's writes: POST only (405 to a GET by those allowed).
    "api-disposal-create": Route(DISPOSAL_DECIDERS, status=405),
    "api-disposal-conditions": Route(DISPOSAL_DECIDERS, disposal, status=405),
    "api-disposal-authorise": Route(DISPOSAL_SUPERVISORS, disposal, status=405),
    "api-disposal-sign": Route(DISPOSAL_DECIDERS, disposal, status=405),
    "api-disposal-complete": Route(DISPOSAL_DECIDERS, disposal, status=405),
    "api-disposal-breach": Route(DISPOSAL_SUPERVISORS, disposal, status=405),
    "api-disposal-compliance": Route(
        COMPLIANCE_RECORDERS, lambda w: {"pk": w.disposal_condition_pk}, status=405
    ),
    "api-disposal-list": Route(
        DISPOSAL_READERS, sees=DISPOSAL_SEERS, unseen_status=200, marker=disposal_ref
    ),
    "api-disposal-detail": Route(
        DISPOSAL_READERS,
        lambda w: {"pk": w.disposal_pk},
        sees=DISPOSAL_SEERS,
        marker=disposal_ref,
    ),
    "api-contract-list": Route(
        DISPOSAL_READERS, sees=DISPOSAL_SEERS, unseen_status=200, marker=contract_ref
    ),
    "api-contract-detail": Route(
        DISPOSAL_READERS, contract, sees=DISPOSAL_SEERS, marker=contract_ref
    ),
}

# The tracker holds no personal data: everyone allowed sees every review (no scope test).
TRACKER_READERS = frozenset({Role.OPCC_ANALYST, Role.INSPECTOR, Role.ADMINISTRATOR})
ANALYSTS = frozenset({Role.OPCC_ANALYST})
DASHBOARD_READERS = frozenset({Role.OPCC_ANALYST, Role.INSPECTOR, Role.PROVIDER_MANAGER})


def _pk(attribute: str) -> Kwargs:
    return lambda w: {"pk": getattr(w, attribute)}


MARKET_READERS = frozenset({Role.OPCC_ANALYST, Role.INTELLIGENCE_OFFICER, Role.OPERATIONS_LEAD})

OVERSIGHT_ROUTES: dict[str, Route] = {
    "oversight:reviews": Route(TRACKER_READERS),
    "oversight:review": Route(TRACKER_READERS, _pk("review_pk")),
    "oversight:review-sections": Route(ANALYSTS, _pk("review_pk")),
    "oversight:report-new": Route(ANALYSTS, _pk("review_pk")),
    "oversight:report-create": Route(ANALYSTS, _pk("review_pk"), status=405),
    "oversight:recommendation": Route(TRACKER_READERS, _pk("recommendation_pk")),
    "oversight:position-add": Route(
        frozenset({Role.OPCC_ANALYST, Role.INSPECTOR}), _pk("recommendation_pk"), status=405
    ),
    "oversight:boards": Route(TRACKER_READERS),
    "oversight:board": Route(TRACKER_READERS, _pk("board_pk")),
    "oversight:board-pack": Route(TRACKER_READERS, _pk("board_pk")),
    "oversight:reports": Route(ANALYSTS),
    "oversight:report": Route(ANALYSTS, _pk("panel_report_pk")),
    "oversight:report-pdf": Route(ANALYSTS, _pk("panel_report_pk")),
    "oversight:report-html": Route(ANALYSTS, _pk("panel_report_pk")),
    "oversight:review-create": Route(ANALYSTS),
    "oversight:review-edit": Route(ANALYSTS, _pk("review_pk")),
    "oversight:recommendation-create": Route(ANALYSTS, _pk("review_pk")),
    "oversight:recommendation-edit": Route(ANALYSTS, _pk("recommendation_pk")),
    "oversight:paper-add": Route(ANALYSTS, _pk("review_pk")),
    "oversight:paper-remove": Route(ANALYSTS, _pk("paper_pk"), status=405, post_only=True),
    "oversight:board-create": Route(ANALYSTS),
    "oversight:board-edit": Route(ANALYSTS, _pk("board_pk")),
    "oversight:facts": Route(frozenset({Role.OPCC_ANALYST, Role.INSPECTOR})),
    "api-oversight-review-list": Route(TRACKER_READERS),
    "api-oversight-review-detail": Route(TRACKER_READERS, _pk("review_pk")),
    "api-oversight-recommendation-detail": Route(TRACKER_READERS, _pk("recommendation_pk")),
    "api-oversight-positions": Route(
        frozenset({Role.OPCC_ANALYST, Role.INSPECTOR}), _pk("recommendation_pk"), status=405
    ),
    "api-oversight-board-list": Route(TRACKER_READERS),
    "api-oversight-board-detail": Route(TRACKER_READERS, _pk("board_pk")),
    "api-oversight-report-list": Route(ANALYSTS),
    "api-oversight-facts": Route(frozenset({Role.OPCC_ANALYST, Role.INSPECTOR})),
    "api-oversight-dashboard-tile": Route(DASHBOARD_READERS, lambda w: {"key": "drug-deaths"}),
    "oversight:award-list": Route(ANALYSTS),
    "oversight:award-create": Route(ANALYSTS),
    "oversight:award-edit": Route(ANALYSTS, _pk("award_pk")),
    "oversight:return-list": Route(frozenset({Role.OPCC_ANALYST, Role.PROVIDER_MANAGER})),
    "oversight:return-create": Route(frozenset({Role.PROVIDER_MANAGER})),
    "oversight:dashboards": Route(DASHBOARD_READERS),
    # A tile of published data (ONS deaths), which every dashboard reader may download.
    "oversight:dashboard-csv": Route(DASHBOARD_READERS, lambda w: {"key": "drug-deaths"}),
    "oversight:market": Route(MARKET_READERS),
    "oversight:market-csv": Route(MARKET_READERS, lambda w: {"key": "drug-market"}),
}

ROUTES.update(CUSTODY_ROUTES)
ROUTES.update(DISPOSAL_ROUTES)
ROUTES.update(OVERSIGHT_ROUTES)


def _issue_18_routes() -> dict[str, Route]:
    """The intelligence, operations and examinations rows, kept beside their apps' tests as
    plain dicts of Route's fields (``<app>/tests/routes.py``)."""
    from pontio.examinations.tests.routes import ROUTES as examinations
    from pontio.intelligence.tests.routes import ROUTES as intelligence
    from pontio.operations.tests.routes import ROUTES as operations

    return {
        name: Route(**row)
        for rows in (intelligence, operations, examinations)
        for name, row in rows.items()
    }


ROUTES.update(_issue_18_routes())


def _issue_19_routes() -> dict[str, Route]:
    """The partner tokens, FHIR, webhooks and reminders rows (beside their apps' tests)."""
    from pontio.accounts.tests.routes_tokens import ROUTES as tokens
    from pontio.interop.tests.routes import ROUTES as interop
    from pontio.reminders.tests.routes import ROUTES as reminders
    from pontio.webhooks.tests.routes import ROUTES as webhooks

    return {
        name: Route(**row)
        for rows in (tokens, interop, webhooks, reminders)
        for name, row in rows.items()
    }


ROUTES.update(_issue_19_routes())

# What a POST by an allowed role answers, for the POST-only routes.
POST_ROUTES = {name: route for name, route in ROUTES.items() if route.post_only}


def _walk(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, Any]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield (name or f"<unnamed {entry.pattern}>"), entry.callback


def all_routes() -> dict[str, Any]:
    return dict(_walk(get_resolver().url_patterns))


def is_api(name: str) -> bool:
    """The API's routes: v1 and its description, and the FHIR interface (which refuses in
    its own media type rather than sending a caller to the sign-in page)."""
    return name.startswith(("api-", "interop:"))


def api_media_type(name: str) -> str:
    if name.startswith("interop:"):
        return "application/fhir+json"
    # The schema answers in its own media type and the docs page in HTML; the rest in JSON.
    return {"api-schema": "application/vnd.oai.openapi", "api-docs": "text/html"}.get(
        name, "application/json"
    )


# --- the table matches the code ---------------------------------------------------------------


def test_table_lists_every_route() -> None:
    routes = all_routes()
    missing = sorted(set(routes) - set(ROUTES))
    stale = sorted(set(ROUTES) - set(routes))
    assert not missing, f"Add these URLs to ROUTES with their access rules: {missing}"
    assert not stale, f"These URLs no longer exist: {stale}"
    assert not any(name.startswith("<unnamed") for name in routes)


def test_the_users_of_the_table_are_the_demo_users() -> None:
    from pontio.accounts.demo import DEMO_USERS

    assert {spec.username: spec.role for spec in DEMO_USERS} == USERS


def test_who_sees_a_record_is_always_among_those_the_role_allows() -> None:
    for name, route in ROUTES.items():
        assert route.seers() <= route.allowed(), name


def test_public_routes_are_exactly_the_views_that_opt_out_of_sign_in() -> None:
    routes = all_routes()
    opted_out = {
        name
        for name, view in routes.items()
        if not is_api(name) and getattr(view, "login_required", True) is False
    }
    declared = {
        name for name, route in ROUTES.items() if route.roles == PUBLIC and not is_api(name)
    }
    assert opted_out == declared


def _permission_of(view: Any) -> str | None:
    view_class = getattr(view, "view_class", None) or getattr(view, "cls", None)
    if view_class is not None:
        return getattr(view_class, "required_permission", None)
    return getattr(view, "pontio_permission", None)


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_table_agrees_with_the_permission_each_view_checks(name: str) -> None:
    route, view = ROUTES[name], all_routes()[name]
    if route.roles == PUBLIC:
        return
    permission = _permission_of(view)
    if route.roles == ALL_ROLES:
        assert permission in (None, "api.use"), f"{name} checks {permission}"
    elif name == "accounts:break-glass":
        # Who may break glass is part of each model's scope rule, not the permission table.
        from pontio.accounts.models import User
        from pontio.core.scopes import _rule

        assert _rule(User).break_glass_roles == route.roles
    else:
        assert permission is not None, f"{name} has no permission check"
        assert registered_permissions()[permission] == route.roles, name


# --- the world, built once for this module through the services --------------------------------


def _build_cluster(world: World, the_person: Any) -> None:
    """A group of possible duplicates: the person and a second record with no address."""
    from pontio.people.models import ClusterMember, DeduplicationRun, DuplicateCluster, Person

    second = Person.objects.create(
        given_name=the_person.given_name,
        family_name=the_person.family_name,
        date_of_birth=the_person.date_of_birth,
    )
    run = DeduplicationRun.objects.create(status=DeduplicationRun.Status.FINISHED)
    cluster = DuplicateCluster.objects.create(
        run=run, probability=0.99, pairs=[[the_person.pk, second.pk, 0.99, ["dob_exact"]]]
    )
    for member in (the_person, second):
        ClusterMember.objects.create(cluster=cluster, person=member, person_version=1)
    world.cluster_pk = cluster.pk


def _build_world() -> World:
    from pontio.accounts.models import Organisation, User
    from pontio.audit.services import AuditContext, audit_record
    from pontio.core.models import County
    from pontio.directory.models import Service
    from pontio.people.demo import access_matrix_person
    from pontio.referrals import services as referral_services
    from pontio.referrals.models import Status
    from pontio.referrals.tests.helpers import move, refer
    from pontio.stopsearch import policeuk
    from pontio.stopsearch.models import SearchReview
    from pontio.stopsearch.sampling import draw_sample, previous_month
    from pontio.stopsearch.services import panel_assign
    from pontio.stopsearch.tests.helpers import record

    context = AuditContext.system("access_matrix")
    users = {u.username: u for u in User.objects.filter(username__in=USERS)}
    world = World()
    carms = County.objects.get(ons_code="W06000010")
    cered = County.objects.get(ons_code="W06000008")
    world.county_pk = carms.pk
    world.organisation_pk = Organisation.objects.get(name="Dyfed Drug and Alcohol Service").pk
    world.caseworker_pk = users["caseworker"].pk
    world.person_pk, world.flag_pk = access_matrix_person()
    llanelli = Service.objects.get(name="DDAS Llanelli")
    world.directory_service_pk = llanelli.pk

    # The referral: Carmarthenshire officer -> DDAS Llanelli, accepted by the caseworker, an
    # assessment missed (which alerts the officer and their sergeant).
    from pontio.people.models import Person

    the_person = Person.objects.get(pk=world.person_pk)
    _build_cluster(world, the_person)
    made = refer(users["officer"], the_person, service=llanelli, county=carms)
    made = move(users["caseworker"], made, Status.ACCEPTED)
    appointment = referral_services.appointment_book(
        context=context,
        actor=users["caseworker"],
        referral_id=made.pk,
        kind="assessment",
        starts_at=timezone.now() - dt.timedelta(hours=3),
        place="Llanelli",
    )
    referral_services.appointment_record_attendance(
        context=context,
        actor=users["caseworker"],
        appointment_id=appointment.pk,
        expected_version=appointment.version,
        attendance="dna",
    )
    world.referral_pk, world.referral_reference = made.pk, made.reference
    world.appointment_pk = appointment.pk

    # The searches: one in Carmarthenshire now; one in Ceredigion last month, sampled.
    carms_search = record(users["officer"], county=carms)
    world.search_pk, world.search_reference = carms_search.pk, carms_search.reference
    last_month = previous_month(timezone.localdate())
    cered_search = record(
        users["officer"],
        county=cered,
        place="Terrace Road, Aberystwyth",
        searched_at=timezone.make_aware(dt.datetime.combine(last_month, dt.time(14, 30))),
    )
    world.sampled_reference = cered_search.reference
    draw_sample(month=last_month, county=cered, rate_percent=100, seed=7, context=context)
    reviews = SearchReview.objects.filter(search=cered_search)
    world.inspector_review_pk = reviews.get(kind=SearchReview.Kind.INSPECTOR).pk
    world.independent_review_pk = reviews.exclude(kind=SearchReview.Kind.INSPECTOR).first().pk
    world.panel_review_pk = panel_assign(
        context=context,
        actor=users["inspector"],
        reference=cered_search.reference,
        panel_member_id=users["panel"].pk,
    ).pk

    _build_custody(world, users, context)
    _build_disposals(world, users)
    _build_oversight(world, users)
    # Issue 18, in layer order: a report, the operations it may be linked to, an examination.
    from pontio.examinations.tests.routes import build_examinations
    from pontio.intelligence.tests import routes as intelligence_routes
    from pontio.operations.tests import routes as operations_routes

    intelligence_routes.build_world(world, users)
    operations_routes.build_world(world, users)
    build_examinations(world, users)
    # Issue 19: a partner token, a webhook subscription with a delivery, a message.
    from pontio.accounts.tests import routes_tokens
    from pontio.interop.tests import routes as interop_routes
    from pontio.reminders.tests import routes as reminders_routes
    from pontio.webhooks.tests import routes as webhooks_routes

    routes_tokens.build_world(world, users)
    interop_routes.build_world(world, users)
    webhooks_routes.build_world(world, users)
    reminders_routes.build_world(world, users)

    # A police.uk import (a real file) and an audit event to find.
    from pathlib import Path

    data = (
        Path(__file__).resolve().parents[2]
        / "src/pontio/stopsearch/tests/data/policeuk"
        / world.import_name
    )
    world.import_pk = policeuk.import_file(world.import_name, data.read_bytes()).pk
    world.event_sequence = audit_record(
        context=context,
        action=AuditAction.READ,
        object_type="people.person",
        object_id=world.person_pk,
        person_id=world.person_pk,
        reason=world.event_reason,
    ).sequence
    return world


def _build_custody(world: World, users: dict[str, Any], context: Any) -> None:
    """The custody records of the world (helper C), through the services."""
    from pontio.custody import services as custody_services
    from pontio.custody.models import BreachTask, CustodySuite, Notice, Offence
    from pontio.custody.reference import load_all
    from pontio.custody.tests import helpers as custody
    from pontio.referrals import services as referral_services
    from pontio.referrals.models import Appointment, Status

    load_all()  # idempotent: the data migration's rows, in case a flush removed them
    sergeant = users["custody.sergeant"]
    detainee = custody.make_person("Cadfan", "Dalfa")
    made = custody.positive(sergeant, detainee)
    assessment = custody.impose(sergeant, made)
    referral = assessment.referral
    referral_services.referral_transition(
        context=context,
        actor=users["caseworker"],
        referral_id=referral.pk,
        expected_version=referral.version,
        to_status=Status.ACCEPTED,
    )
    Appointment.objects.filter(pk=assessment.appointment_id).update(
        starts_at=timezone.now() - dt.timedelta(hours=2)
    )
    appointment = Appointment.objects.get(pk=assessment.appointment_id)
    referral_services.appointment_record_attendance(
        context=context,
        actor=users["caseworker"],
        appointment_id=appointment.pk,
        expected_version=appointment.version,
        attendance="dna",
    )
    world.custody_pk, world.custody_number = made.pk, made.custody_number
    world.custody_notice_pk = Notice.objects.get(assessment=assessment, kind="RA1").pk
    world.custody_task_pk = BreachTask.objects.get(assessment=assessment).pk
    world.custody_assessment_pk = assessment.pk
    asked = custody.book(sergeant, detainee, "CJA1988_S39")
    world.custody_asked_number = asked.custody_number
    world.custody_asked_pk = asked.pk
    world.custody_authorisation_pk = custody_services.authorisation_request(
        context=context,
        actor=sergeant,
        record_id=asked.pk,
        expected_version=custody.fresh(asked).version,
        stage="arrest",
        inspector=users["inspector"],
    ).pk
    suite = CustodySuite.objects.get(code="LLANELLI")
    world.custody_suite_pk = suite.pk
    world.custody_notification_pk = suite.notifications.first().pk
    world.custody_offence_pk = Offence.objects.get(code="TA1968_S1").pk


def _build_oversight(world: World, users: dict[str, Any]) -> None:
    """The demo tracker and one stored Panel report (issue 17)."""
    import datetime as dt

    from pontio.oversight.demo import DEEP_DIVE, seed_tracker
    from pontio.oversight.demo_facts import seed_facts
    from pontio.oversight.models import Board, CommissioningAward, PanelReport, Review

    seed_tracker(dt.date(2026, 12, 3))
    seed_facts(today=dt.date(2026, 12, 3))
    world.award_pk = CommissioningAward.objects.order_by("pk").first().pk
    review = Review.objects.get(title_en=DEEP_DIVE)
    world.review_pk = review.pk
    world.recommendation_pk = review.recommendations.get(number=1).pk
    world.paper_pk = review.papers.order_by("pk").first().pk
    world.board_pk = Board.objects.get(name_en="Force Gold Operations Board").pk
    world.panel_report_pk = PanelReport.objects.create(
        review=review,
        as_of=dt.date(2019, 9, 30),
        language="en",
        html="<!DOCTYPE html><title>report</title>",
        pdf=b"%PDF-1.7 access matrix",
        sha256="0" * 64,
        produced_by=users["analyst"],
    ).pk


def _build_disposals(world: World, users: dict[str, Any]) -> None:
    """The disposal and its diversion contract (issue 16), through the services."""
    from pontio.disposals.models import DisposalType, DiversionContract
    from pontio.disposals.reference import load_all
    from pontio.disposals.schemes import link_scheme
    from pontio.disposals.services import decisions
    from pontio.disposals.tests import helpers as disposals

    load_all()
    scheme = link_scheme()
    sergeant = users["custody.sergeant"]
    made = disposals.record(sergeant, disposals.make_person("Gwydion", "Prawf"))
    row = decisions.condition_add(
        context=disposals.CONTEXT,
        actor=sergeant,
        disposal_id=made.pk,
        expected_version=made.version,
        condition=disposals.condition("diversion_scheme"),
    )
    agreement = DiversionContract.objects.get(referral_id=row.referral_id)
    world.disposal_pk, world.disposal_reference = made.pk, made.reference
    world.disposal_condition_pk = row.pk
    world.contract_pk, world.contract_reference = agreement.pk, agreement.reference
    world.disposal_type_pk = DisposalType.objects.get(code="conditional_caution").pk
    world.scheme_pk = scheme.pk if scheme is not None else 0


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    """The world above, each demo user signed in once, inside a transaction that every test
    of the module rolls back to (and that is itself rolled back at the end)."""
    from tests.conftest import demo_sign_in

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=[FAST_HASHER]):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = _build_world()
            built.clients = {username: demo_sign_in(username) for username in USERS}
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def url_of(name: str, world: World) -> str:
    return reverse(name, kwargs=ROUTES[name].kwargs(world))


def denials() -> int:
    return AuditEvent.objects.filter(action=AuditAction.DENIED).count()


def text_of(response: Any) -> str:
    """What a person (or a client) reads of the answer: the page, the JSON, the CSV, or the
    cells of a spreadsheet."""
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    if "spreadsheetml" in response.get("Content-Type", ""):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            " ".join("" if cell is None else str(cell) for cell in row)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    return body.decode(errors="replace")


def _shows(text: str, texts: tuple[str, ...]) -> bool:
    return any(t and t in text for t in texts)


# --- GET as every user ------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ROUTES))
@pytest.mark.parametrize("username", sorted(USERS))
def test_get_as_user(world: World, db: Any, username: str, name: str) -> None:
    route = ROUTES[name]
    url = url_of(name, world)
    before = denials()
    response = world.clients[username].get(url)
    text = text_of(response)
    if response.get("Content-Type", "").startswith("text/html"):
        # (A PDF's compressed bytes may hold "{#" by chance.)
        assert "{#" not in text, f"{url} shows a template comment to {username}"
    if username in route.seers():
        assert response.status_code == route.status, (username, url, response.status_code)
        if response.status_code == 302 and route.roles != PUBLIC:
            assert not response["Location"].startswith("/sign-in/"), (username, url)
        if route.marker is not None:
            assert _shows(text, route.marker(world)), (
                f"{url} does not show its record to {username}"
            )
        if route.hidden is not None:
            assert not _shows(text, route.hidden(world)), f"{url} shows {username} too much"
    elif username in route.allowed():
        assert response.status_code == route.unseen_status, (username, url, response.status_code)
        if route.marker is not None:
            assert not _shows(text, route.marker(world)), f"{url} shows {username} its record"
        if route.unseen_status == 404:
            assert denials() == before + 1, f"the refusal of {url} to {username} was not audited"
    else:
        assert response.status_code in (403, 404), (username, url, response.status_code)
        assert denials() == before + 1, f"denial of {url} to {username} was not audited"
        assert not _shows(text, tuple(world.identifying())), f"{url} leaks a record to {username}"
        if is_api(name):
            assert response["Content-Type"].split(";")[0] == api_media_type(name)
    # The visit never signs the user out.
    assert "_auth_user_id" in world.clients[username].session


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_get_as_anonymous(world: World, db: Any, name: str) -> None:
    route = ROUTES[name]
    url = url_of(name, world)
    response = Client().get(url)
    if route.roles == PUBLIC:
        expected = route.anonymous_status or route.status
        assert response.status_code == expected, (url, response.status_code)
    elif is_api(name):
        assert response.status_code == 403, (url, response.status_code)
        assert response["Content-Type"].split(";")[0] == api_media_type(name)
        assert AuditEvent.objects.filter(action=AuditAction.DENIED, reason=f"api: {url}").exists()
    else:
        assert response.status_code == 302, (url, response.status_code)
        assert response["Location"] == "/sign-in/?next=" + quote(url, safe=""), response["Location"]
    assert not _shows(text_of(response), tuple(world.identifying())), url


# --- POST-only endpoints ----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(POST_ROUTES))
@pytest.mark.parametrize("username", sorted(USERS))
def test_post_as_user(world: World, db: Any, username: str, name: str) -> None:
    """POST with a client of its own (an allowed POST may end the session)."""
    from tests.conftest import demo_sign_in

    route = POST_ROUTES[name]
    url = url_of(name, world)
    client = demo_sign_in(username)
    before = AuditEvent.objects.order_by("-sequence").first().sequence
    response = client.post(url)
    if username in route.allowed():
        assert response.status_code == route.post_status, (username, url, response.status_code)
    else:
        assert response.status_code in (403, 404), (username, url, response.status_code)
        new = list(AuditEvent.objects.filter(sequence__gt=before).values_list("action", flat=True))
        assert new == [AuditAction.DENIED], new
        assert "_auth_user_id" in client.session


@pytest.mark.parametrize("name", sorted(POST_ROUTES))
def test_post_as_anonymous(world: World, db: Any, name: str) -> None:
    url = url_of(name, world)
    effects = [
        AccountEvent.SIGN_OUT,
        AccountEvent.SIGN_OUT_EVERYWHERE,
        LogEvent.VERIFY,
        AuditAction.UPDATE,
    ]
    before = AuditEvent.objects.filter(action__in=effects).count()
    response = Client().post(url)
    if ROUTES[name].post_status != 302:
        assert response.status_code == ROUTES[name].post_status, (url, response.status_code)
    elif ROUTES[name].roles == PUBLIC:
        assert response.status_code == 302
        assert response["Location"] == "/sign-in/"
    else:
        assert response.status_code == 302
        assert response["Location"] == "/sign-in/?next=" + quote(url, safe="")
    assert AuditEvent.objects.filter(action__in=effects).count() == before
