"""The access matrix's rows for the examinations URLs (tests/system/test_access_matrix.py),
as plain dicts of ``Route``'s fields (importing ``Route`` here would be circular), and the
world-building function the matrix calls. The lead merges them (requests-dme.md).

The world's request: made by the force-wide intelligence officer from an operation in
Carmarthenshire and Pembrokeshire, for Carmarthenshire, still in the queue. Who sees it:
the intelligence officer (requester, force-wide), the operations lead and the examiner
(force-wide), and the Carmarthenshire and Pembrokeshire custody sergeant (their area). The
Carmarthenshire officer, the Powys officer and the Ceredigion inspector may open the pages
but do not see it (not theirs, not their area).
"""

from __future__ import annotations

from typing import Any

from pontio.accounts.roles import Role

VIEWERS = frozenset(
    {
        Role.OFFICER,
        Role.CUSTODY_SERGEANT,
        Role.INSPECTOR,
        Role.INTELLIGENCE_OFFICER,
        Role.OPERATIONS_LEAD,
        Role.DIGITAL_MEDIA_EXAMINER,
    }
)
REQUESTERS = VIEWERS - {Role.DIGITAL_MEDIA_EXAMINER}
EXAMINERS = frozenset({Role.DIGITAL_MEDIA_EXAMINER})
CAPACITY = frozenset(
    {Role.DIGITAL_MEDIA_EXAMINER, Role.INSPECTOR, Role.OPERATIONS_LEAD, Role.OPCC_ANALYST}
)
SEERS = frozenset({"custody.sergeant", "intelligence", "operations", "examiner"})


def examination(world: Any) -> dict[str, Any]:
    return {"pk": world.examination_pk}


def examination_ref(world: Any) -> tuple[str, ...]:
    return (world.examination_reference,)


# name -> the keyword arguments of Route(...)
ROUTES: dict[str, dict[str, Any]] = {
    "examinations:list": {
        "roles": VIEWERS,
        "sees": SEERS,
        "unseen_status": 200,
        "marker": examination_ref,
    },
    "examinations:new": {"roles": REQUESTERS},
    "examinations:capacity": {"roles": CAPACITY},
    "examinations:detail": {
        "roles": VIEWERS,
        "kwargs": examination,
        "sees": SEERS,
        "marker": examination_ref,
    },
    # POST only: those allowed get 405 on a GET.
    "examinations:take": {
        "roles": EXAMINERS,
        "kwargs": examination,
        "status": 405,
        "post_only": True,
    },
    "examinations:assign": {
        "roles": EXAMINERS,
        "kwargs": examination,
        "status": 405,
        "post_only": True,
    },
    # The world's request is in the queue, held by nobody: the examiner is sent back to it.
    "examinations:result": {"roles": EXAMINERS, "kwargs": examination, "status": 302},
    "examinations:withdraw": {
        "roles": VIEWERS,
        "kwargs": examination,
        "sees": SEERS,
        "marker": examination_ref,
    },
    # Examiner profiles: administrators (the world's examiner is the demo examiner).
    "examinations:examiners": {"roles": frozenset({Role.ADMINISTRATOR})},
    "examinations:examiner-edit": {
        "roles": frozenset({Role.ADMINISTRATOR}),
        "kwargs": lambda w: {"user_id": w.examiner_user_pk},
    },
    "api-examination-request-list": {
        "roles": VIEWERS,
        "sees": SEERS,
        "unseen_status": 200,
        "marker": examination_ref,
    },
    "api-examination-request-detail": {
        "roles": VIEWERS,
        "kwargs": examination,
        "sees": SEERS,
        "marker": examination_ref,
    },
}


def build_examinations(world: Any, users: dict[str, Any]) -> None:
    """The world's examination request, through the services (sets ``examination_pk``,
    ``examination_reference`` and ``examiner_user_pk`` on the world), and the demo
    examiner's profile."""
    from pontio.examinations.tests import helpers as h

    operation = h.make_operation(users["operations"])
    h.make_examiner(
        users["admin"],
        "examiner",
        unit="central",
        county_code=None,
        levels=("triage", "logical", "full"),
        supervisor=True,
    )
    row = h.make_request(users["intelligence"], operation)
    world.examination_pk = row.pk
    world.examination_reference = row.reference
    world.examiner_user_pk = users["examiner"].pk
