"""The whole REST API, fuzzed from the OpenAPI description it serves (schemathesis).

Every operation of ``/api/schema/`` gets generated calls, valid and invalid, sent through
the real WSGI application (middleware, session, CSRF, second factor) by four signed-in
demo users: an officer, a custody sergeant, a provider caseworker and the administrator.
Each is sent with the ids of a small world of real records in its path, so the calls reach
the services and not only the "not found" answer, and once more (as the officer) with the
ids as generated, which mostly name records that do not exist.

Each answer must not be a server error, must have a status the description lists for the
operation, and must have the body the description gives for that status.

Deterministic: schemathesis derives each operation's seed from a fixed one, and Hypothesis
runs derandomized, so CI never flakes on a new example. ``PONTIO_FUZZ_EXAMPLES`` raises
the number of generated calls per operation (the bench).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client, override_settings
from hypothesis import HealthCheck, settings
from schemathesis import checks
from schemathesis.config import SchemathesisConfig
from tests.conftest import FAST_HASHER, demo_sign_in

pytestmark = pytest.mark.django_db

ROLES = ("officer", "custody.sergeant", "caseworker", "admin")
EXAMPLES = int(os.environ.get("PONTIO_FUZZ_EXAMPLES", "4"))
SEED = 15
CSRF_TOKEN = "f" * 32  # any well-formed token: the cookie and the header must agree


@dataclass
class World:
    """Real records for the path ids, and a session cookie per role."""

    ids: dict[str, dict[str, int]] = field(default_factory=dict)
    cookies: dict[str, dict[str, str]] = field(default_factory=dict)
    admin: Client = field(default_factory=Client)

    def path_ids(self, path: str, generated: dict[str, Any]) -> dict[str, Any]:
        """The generated path parameters with the world's record ids put in."""
        return {name: self.ids.get(path, {}).get(name, value) for name, value in generated.items()}


def _wsgi_app() -> Any:
    """Pontio's WSGI application, inside the test's transaction.

    Django's handler closes "old" database connections when a request starts and ends; in
    a test that would close the connection holding the test's transaction (PostgreSQL).
    As Django's test client does, those two signals are off while a call runs, and the
    answer is read in full before they are back on.
    """
    from django.core.wsgi import get_wsgi_application

    handler = get_wsgi_application()

    def application(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            answer = handler(environ, start_response)
            try:
                return [b"".join(answer)]
            finally:
                answer.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)

    return application


def _cookies_of(client: Client) -> dict[str, str]:
    from django.conf import settings as django_settings

    return {
        django_settings.SESSION_COOKIE_NAME: client.cookies[
            django_settings.SESSION_COOKIE_NAME
        ].value,
        django_settings.CSRF_COOKIE_NAME: CSRF_TOKEN,
    }


def _records() -> dict[str, dict[str, int]]:
    """A small world made through the services, and which path ids point at it.

    A Llanelli person referred by the officer to DDAS Llanelli, accepted by its caseworker,
    with an appointment three hours ago (attendance not yet recorded), a concern from the
    police and a question to the police; the officer's draft for a second person; a custody
    record with its required assessment; a group of possible duplicates.
    """
    import datetime as dt

    from django.utils import timezone

    from pontio.accounts.models import User
    from pontio.custody.tests import helpers as custody
    from pontio.people.models import ClusterMember, DeduplicationRun, DuplicateCluster, Person
    from pontio.referrals import services as referral_services
    from pontio.referrals.models import Status
    from pontio.referrals.services import amend, drafts, notes
    from pontio.referrals.tests.helpers import CONTEXT, make_person, move, refer, service_named

    users = {u.username: u for u in User.objects.filter(username__in=ROLES)}
    person = make_person("Ffug", "Prawf")
    referral = refer(users["officer"], person, service=service_named("DDAS Llanelli"))
    referral = move(users["caseworker"], referral, Status.ACCEPTED)
    appointment = referral_services.appointment_book(
        context=CONTEXT,
        actor=users["caseworker"],
        referral_id=referral.pk,
        kind="assessment",
        starts_at=timezone.now() - dt.timedelta(hours=3),
        place="Llanelli",
    )
    concern = notes.note_add(
        context=CONTEXT,
        actor=users["officer"],
        referral_id=referral.pk,
        category="concern",
        text="Was seen with a known dealer yesterday.",
    )
    referral.refresh_from_db()
    question = amend.information_request(
        context=CONTEXT,
        actor=users["caseworker"],
        referral_id=referral.pk,
        expected_version=referral.version,
        code="HOLD_CONTACT_DETAILS",
        question="Is the mobile number still right?",
    )
    second = make_person("Ail", "Prawf")
    draft = drafts.draft_save(
        context=CONTEXT, actor=users["officer"], person_id=second.pk, data={"reason": "Help"}
    )
    detainee = custody.make_person("Cadfan", "Dalfa")
    record = custody.positive(users["custody.sergeant"], detainee)
    assessment = custody.impose(users["custody.sergeant"], record)
    twin = Person.objects.create(
        given_name=person.given_name,
        family_name=person.family_name,
        date_of_birth=person.date_of_birth,
    )
    run = DeduplicationRun.objects.create(status=DeduplicationRun.Status.FINISHED)
    cluster = DuplicateCluster.objects.create(
        run=run, probability=0.99, pairs=[[person.pk, twin.pk, 0.99, ["dob_exact"]]]
    )
    for member in (person, twin):
        ClusterMember.objects.create(cluster=cluster, person=member, person_version=1)

    disposal, contract = _disposal_and_contract(users)

    on_referral = {"id": referral.pk, "aid": appointment.pk, "rid": question.pk}
    on_referral["note_id"] = concern.pk
    by_prefix = {
        "/api/v1/referrals/drafts/": {"id": draft.pk},
        "/api/v1/referrals/": on_referral,
        "/api/v1/people/duplicate-groups/": {"id": cluster.pk},
        "/api/v1/people/": {"id": person.pk},
        "/api/v1/custody-records/": {"id": record.pk},
        "/api/v1/disposals/": {"id": disposal.pk},
        "/api/v1/diversion-contracts/": {"id": contract.pk},
        "/api/v1/custody-assessments/": {"id": assessment.pk},
        "/api/v1/users/": {"id": users["caseworker"].pk},
    }
    paths = {}
    for path in schema.raw_schema["paths"]:
        prefix = next((p for p in by_prefix if path.startswith(p)), None)
        if prefix is not None and "{" in path:
            paths[path] = by_prefix[prefix]
    return paths


def _disposal_and_contract(users: dict[str, Any]) -> tuple[Any, Any]:
    """A Llanelli conditional caution with a diversion-scheme condition: the referral to
    Pobl's navigators and the contract it opens."""
    from pontio.disposals.reference import load_all
    from pontio.disposals.schemes import link_scheme
    from pontio.disposals.services import decisions
    from pontio.disposals.tests import helpers as disposals

    load_all()
    link_scheme()
    sergeant = users["custody.sergeant"]
    disposal = disposals.record(sergeant, disposals.make_person("Rhydd", "Prawf"))
    row = decisions.condition_add(
        context=disposals.CONTEXT,
        actor=sergeant,
        disposal_id=disposal.pk,
        expected_version=disposal.version,
        condition=disposals.condition("diversion_scheme"),
    )
    from pontio.disposals.models import DiversionContract

    return disposal, DiversionContract.objects.get(referral_id=row.referral_id)


def _build_world() -> World:
    world = World()
    world.ids = _records()
    clients = {username: demo_sign_in(username) for username in ROLES}
    world.cookies = {username: _cookies_of(client) for username, client in clients.items()}
    world.admin = clients["admin"]
    return world


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    """The world and the signed-in roles, inside a transaction each test rolls back to."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=[FAST_HASHER]):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _config() -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "generation": {"mode": "all", "max-examples": EXAMPLES, "deterministic": True},
            "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
        }
    )


def _described() -> dict[str, Any]:
    """The description the API serves (``/api/schema/``), made the way its view makes it."""
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.response_schema_conformance,
]

schema = schemathesis.openapi.from_dict(_described(), config=_config())
schema.app = _wsgi_app()


def test_the_fuzzed_description_is_the_one_served(world: World) -> None:
    response = world.admin.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert response.json() == schema.raw_schema


def test_the_world_gives_every_record_path_a_record_someone_may_read(world: World) -> None:
    """Without this the fuzz would quietly fall back to "not found" for a renamed path."""
    unread = []
    for path, ids in world.ids.items():
        if "get" not in schema.raw_schema["paths"][path]:
            continue
        url = path.format(**ids)
        statuses = set()
        for username in ROLES:
            client = Client()
            client.cookies.load(world.cookies[username])
            statuses.add(client.get(url).status_code)
        if 200 not in statuses:
            unread.append((path, sorted(statuses)))
    assert unread == []
    assert len(world.ids) >= 20


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_call_is_a_server_error_or_off_the_description(case: Any, world: World) -> None:
    generated = dict(case.path_parameters or {})
    real = world.path_ids(case.path, generated)
    calls = [(username, real) for username in ROLES]
    if generated and real != generated:
        calls.append((ROLES[0], generated))  # ids as generated: mostly "not found"
    for username, path_parameters in calls:
        case.path_parameters = path_parameters
        case.call_and_validate(
            cookies=world.cookies[username], headers={"X-CSRFToken": CSRF_TOKEN}, checks=CHECKS
        )
