"""The FHIR interface's rows for tests/system/test_access_matrix.py, as plain dicts of the
``Route`` fields (the lead turns each into ``Route(**row)``), and ``build_world``.

They use the matrix world's referral (officer -> DDAS Llanelli, accepted, an appointment
missed) and its person: DDAS's caseworker and manager see them; the other provider staff
(Kaleidoscope's caseworker, Pobl's navigator) are allowed the interface but find nothing
(404 for a resource, an empty Bundle for a search). Police and every other role: 403.

- ``interop:metadata`` is public (the CapabilityStatement: no personal or case data).
- The searches without their required parameter answer 400 (an OperationOutcome) to every
  allowed user; the matrix GETs them bare.
- NOTE for the lead: the FHIR views are ``login_not_required`` (the DRF permissions refuse
  instead of a redirect to sign-in), and answer ``application/fhir+json``; ``is_api`` in the
  matrix should treat names starting ``interop:`` as API routes (403 OperationOutcome for an
  anonymous caller, content type ``application/fhir+json``). See /work/notes/requests-fhir.md.
"""

from __future__ import annotations

from typing import Any

from pontio.accounts.roles import PROVIDER_ROLES

PUBLIC = "public"
SEERS = frozenset({"caseworker", "provider.manager"})


def referral(world: Any) -> dict[str, Any]:
    return {"pk": world.referral_pk}


def person(world: Any) -> dict[str, Any]:
    return {"pk": world.person_pk}


def appointment(world: Any) -> dict[str, Any]:
    return {"pk": world.appointment_pk}


def referral_ref(world: Any) -> tuple[str, ...]:
    return (world.referral_reference,)


def prawf(world: Any) -> tuple[str, ...]:
    return ("Prawf",)


def _provider(kwargs: Any = None, marker: Any = None, **more: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"roles": frozenset(PROVIDER_ROLES), **more}
    if kwargs is not None:
        row["kwargs"] = kwargs
    if marker is not None:
        row["marker"] = marker
    return row


ROUTES: dict[str, dict[str, Any]] = {
    "interop:metadata": {"roles": PUBLIC},
    "interop:task-list": _provider(marker=referral_ref, sees=SEERS, unseen_status=200),
    "interop:task-detail": _provider(referral, referral_ref, sees=SEERS),
    "interop:servicerequest-list": _provider(status=400),
    "interop:servicerequest-detail": _provider(referral, referral_ref, sees=SEERS),
    "interop:patient-detail": _provider(person, prawf, sees=SEERS),
    "interop:appointment-list": _provider(status=400),
    "interop:appointment-detail": _provider(appointment, sees=SEERS),
}


def build_world(world: Any, users: dict[str, Any]) -> None:
    """Nothing of its own: the rows use the matrix's referral, person and appointment."""
