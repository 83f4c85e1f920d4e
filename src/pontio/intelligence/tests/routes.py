"""The intelligence app's rows for tests/system/test_access_matrix.py, as plain dicts of the
``Route`` fields (importing ``Route`` here would be circular), and the function that builds
their records in the matrix's world. The lead turns each into ``Route(**row)``.

The world's records (``build_world``): a public report in Carmarthenshire, graded 2/B/C,
sanitised and prioritised, with a share pending at DDAS (the demo provider manager's
organisation) and a "you said, we did" line awaiting approval. The demo intelligence officer
is force-wide, so they see every one; nobody else opens a report.
"""

from __future__ import annotations

from typing import Any

from pontio.accounts.roles import POLICE_OPERATIONAL_ROLES, PROVIDER_ROLES, Role

PUBLIC = "public"
ASSESSORS = frozenset({Role.INTELLIGENCE_OFFICER})
SUBMITTERS = frozenset({*POLICE_OPERATIONAL_ROLES, *PROVIDER_ROLES})
RECIPIENTS = frozenset({Role.PROVIDER_MANAGER, Role.OPERATIONS_LEAD, Role.INSPECTOR})


def report(world: Any) -> dict[str, Any]:
    return {"pk": world.intel_report_pk}


def report_ref(world: Any) -> tuple[str, ...]:
    return (world.intel_reference,)


def share(world: Any) -> dict[str, Any]:
    return {"pk": world.intel_share_pk}


def summary(world: Any) -> dict[str, Any]:
    return {"pk": world.intel_summary_pk}


def _step() -> dict[str, Any]:
    return {"roles": ASSESSORS, "kwargs": report, "marker": report_ref}


ROUTES: dict[str, dict[str, Any]] = {
    "intelligence:report": {"roles": PUBLIC},
    "intelligence:status": {"roles": PUBLIC},
    "intelligence:community": {"roles": PUBLIC},
    "intelligence:community-county": {
        "roles": PUBLIC,
        "kwargs": lambda w: {"slug": "carmarthenshire"},
    },
    "intelligence:submit": {"roles": SUBMITTERS},
    "intelligence:queue": {"roles": ASSESSORS, "marker": report_ref},
    "intelligence:assess": _step(),
    "intelligence:grade": _step(),
    "intelligence:sanitise": _step(),
    "intelligence:prioritise": _step(),
    "intelligence:action": _step(),
    "intelligence:link-person": _step(),
    "intelligence:link-report": _step(),
    "intelligence:share": _step(),
    # Shares: the recipient organisation's staff (DDAS: the provider manager) see the share;
    # inspectors and the operations lead may receive shares but not this one.
    "intelligence:shares": {
        "roles": RECIPIENTS,
        "sees": frozenset({"provider.manager"}),
        "unseen_status": 200,
        "marker": report_ref,
    },
    "intelligence:share-decide": {
        "roles": RECIPIENTS,
        "kwargs": share,
        "sees": frozenset({"provider.manager"}),
        "marker": report_ref,
    },
    "intelligence:summaries": {"roles": ASSESSORS},
    "intelligence:summary-approve": {"roles": ASSESSORS, "kwargs": summary},
    "api-intelligence-report-list": {"roles": ASSESSORS, "marker": report_ref},
    "api-intelligence-report-detail": {"roles": ASSESSORS, "kwargs": report, "marker": report_ref},
}

# The World fields these rows read (add them to ``World``, all ``0`` / ``""`` by default),
# and ``world.intel_reference`` to ``World.identifying()``.
WORLD_FIELDS = {
    "intel_report_pk": 0,
    "intel_reference": "",
    "intel_share_pk": 0,
    "intel_summary_pk": 0,
}


def build_world(world: Any, users: dict[str, Any]) -> None:
    """The records of the rows above, through the services (call from ``_build_world``)."""
    from django.utils import timezone

    from pontio.accounts.models import Organisation
    from pontio.audit.services import AuditContext
    from pontio.core.models import County
    from pontio.intelligence import services

    context = AuditContext(view_name="access-matrix")
    officer = users["intelligence"]
    made, _secret = services.report_submit_public(
        context=context,
        county=County.objects.get(ons_code="W06000010"),
        area="Llanelli",
        what="Access matrix: dealing reported near the station.",
        when_seen="this_week",
        how_known="saw",
    )
    made = services.report_grade(
        actor=officer,
        context=context,
        report_id=made.pk,
        version=made.version,
        scheme="3x5x2",
        source_code="2",
        information_code="B",
        handling_code="C",
    )
    made = services.report_sanitise(
        actor=officer,
        context=context,
        report_id=made.pk,
        version=made.version,
        text="Suspected supply near a railway station.",
    )
    made = services.report_prioritise(
        actor=officer,
        context=context,
        report_id=made.pk,
        version=made.version,
        priority="medium",
        reason="Time-critical.",
    )
    ddas = Organisation.objects.get(name="Dyfed Drug and Alcohol Service")
    shared = services.share_create(
        actor=officer,
        context=context,
        report_id=made.pk,
        recipient_id=ddas.pk,
        condition="For safeguarding only.",
    )
    line = services.summary_draft(
        actor=officer,
        context=context,
        county=made.county,
        month=timezone.localdate(),
        you_said_en="You told us about dealing near a station.",
        you_said_cy="Dywedoch wrthym am werthu cyffuriau ger gorsaf.",
        we_did_en="We increased patrols.",
        we_did_cy="Gwnaethom gynyddu patrolau.",
    )
    world.intel_report_pk, world.intel_reference = made.pk, made.reference
    world.intel_share_pk, world.intel_summary_pk = shared.pk, line.pk
