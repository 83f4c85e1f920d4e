"""The operations app's rows for tests/system/test_access_matrix.py, as plain dicts of the
``Route`` fields (importing ``Route`` here would be circular), and the function that builds
their records in the matrix's world. The lead turns each into ``Route(**row)``.

The world's records (``build_world``), made by the demo operations lead (force-wide, so
they see every one; no other role opens an operation page):

- a covert operation in Carmarthenshire ("Matrix Covert"), briefed, with a forecast row
  shared with DDAS: the forecast, engagement and phase pages;
- an operation in enforcement ("Matrix Enforcement"): the results and referral-link pages;
- a closed operation ("Matrix Closed") with DDAS's evaluation asked: the evaluation page,
  seen by DDAS's caseworker and manager only (other partner staff get "not found");
- the intelligence-link endpoint needs ``world.intel_report_pk`` (intelligence's rows).
"""

from __future__ import annotations

from typing import Any

from pontio.accounts.roles import PROVIDER_ROLES, Role

LEADS = frozenset({Role.OPERATIONS_LEAD})
RESULTS = frozenset({Role.OPERATIONS_LEAD, Role.OPCC_ANALYST})
PARTNERS = frozenset({*PROVIDER_ROLES, Role.OPCC_ANALYST})
INTELLIGENCE = frozenset({Role.INTELLIGENCE_OFFICER})


def covert(world: Any) -> dict[str, Any]:
    return {"pk": world.ops_covert_pk}


def enforcement(world: Any) -> dict[str, Any]:
    return {"pk": world.ops_enforcement_pk}


def covert_ref(world: Any) -> tuple[str, ...]:
    return (world.ops_covert_reference,)


def enforcement_ref(world: Any) -> tuple[str, ...]:
    return (world.ops_enforcement_reference,)


def _lead(kwargs: Any = None, marker: Any = None, **more: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"roles": LEADS, **more}
    if kwargs is not None:
        row["kwargs"] = kwargs
    if marker is not None:
        row["marker"] = marker
    return row


ROUTES: dict[str, dict[str, Any]] = {
    "operations:list": _lead(marker=covert_ref),
    "operations:new": _lead(),
    "operations:detail": _lead(covert, covert_ref),
    "operations:edit": _lead(covert, covert_ref),
    "operations:move": _lead(covert, covert_ref),
    "operations:meeting": _lead(covert, covert_ref),
    "operations:briefing": _lead(covert, covert_ref),
    "operations:forecast": _lead(covert, covert_ref),
    "operations:forecast-remove": _lead(
        lambda w: {"pk": w.ops_covert_pk, "row": w.ops_forecast_row_pk},
        status=405,
        post_only=True,
    ),
    "operations:forecast-share": _lead(covert, covert_ref),
    "operations:result": _lead(enforcement, enforcement_ref),
    "operations:seizure": _lead(enforcement, enforcement_ref),
    "operations:referrals": _lead(enforcement, enforcement_ref),
    # The evaluation asked of DDAS: its staff see it; other partners' staff get "not found".
    "operations:evaluation": {
        "roles": PARTNERS,
        "kwargs": lambda w: {"pk": w.ops_evaluation_pk},
        "sees": frozenset({"caseworker", "provider.manager"}),
    },
    "operations:intelligence-link": {
        "roles": INTELLIGENCE,
        "kwargs": lambda w: {"report": w.intel_report_pk},
        "status": 405,
        "post_only": True,
    },
    "api-operation-list": _lead(marker=covert_ref),
    "api-operation-detail": _lead(covert, covert_ref),
    "api-operation-results": {"roles": RESULTS},
}

# The World fields these rows read (add them to ``World``, all ``0`` / ``""`` by default),
# and ``world.ops_covert_reference`` and the code names "Matrix Covert", "Matrix
# Enforcement" to ``World.identifying()`` (nobody but the lead may ever see them).
WORLD_FIELDS = {
    "ops_covert_pk": 0,
    "ops_covert_reference": "",
    "ops_enforcement_pk": 0,
    "ops_enforcement_reference": "",
    "ops_forecast_row_pk": 0,
    "ops_evaluation_pk": 0,
}


def build_world(world: Any, users: dict[str, Any]) -> None:
    """The records of the rows above, through the services (call from ``_build_world``)."""
    from django.utils import timezone

    from pontio.accounts.models import Organisation
    from pontio.audit.services import AuditContext
    from pontio.core.models import County
    from pontio.operations import services
    from pontio.operations.models import Evaluation, Operation, Phase

    context = AuditContext.system("access-matrix")
    lead = users["operations"]
    carms = County.objects.get(ons_code="W06000010")
    ddas = Organisation.objects.get(name="Dyfed Drug and Alcohol Service")

    def version(operation: Operation) -> int:
        return Operation.objects.get(pk=operation.pk).version

    def prepared(code_name: str) -> tuple[Operation, Any]:
        operation = services.operation_create(
            context=context,
            actor=lead,
            code_name=code_name,
            objective="Access matrix operation.",
            county_ids=[carms.pk],
        )
        services.operation_move(
            context=context,
            actor=lead,
            operation_id=operation.pk,
            expected_version=version(operation),
            target=Phase.COVERT,
        )
        services.briefing_record(
            context=context,
            actor=lead,
            operation_id=operation.pk,
            organisation_id=ddas.pk,
            recipient="Head of Service",
            briefed_at=timezone.now(),
            level="sensitive",
            shared="Expected demand by week.",
        )
        row = services.forecast_row_set(
            context=context,
            actor=lead,
            operation_id=operation.pk,
            expected_version=version(operation),
            county_id=carms.pk,
            week_starting=timezone.localdate(),
            expected_referrals=12,
            expected_safeguarding=3,
        )
        services.forecast_share(
            context=context,
            actor=lead,
            operation_id=operation.pk,
            expected_version=version(operation),
        )
        return operation, row

    def moved(operation: Operation, *targets: str) -> None:
        for target in targets:
            services.operation_move(
                context=context,
                actor=lead,
                operation_id=operation.pk,
                expected_version=version(operation),
                target=target,
            )

    covert_op, row = prepared("Matrix Covert")
    enforcement_op, _row = prepared("Matrix Enforcement")
    moved(enforcement_op, Phase.ENFORCEMENT)
    closed_op, _row = prepared("Matrix Closed")
    moved(closed_op, Phase.ENFORCEMENT, Phase.AFTERCARE, Phase.CLOSED)
    world.ops_covert_pk, world.ops_covert_reference = covert_op.pk, covert_op.reference
    world.ops_enforcement_pk = enforcement_op.pk
    world.ops_enforcement_reference = enforcement_op.reference
    world.ops_forecast_row_pk = row.pk
    world.ops_evaluation_pk = Evaluation.objects.get(operation=closed_op, organisation=ddas).pk
