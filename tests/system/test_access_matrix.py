"""Access matrix: every URL of the service, GET as every role and as nobody.

The table below names every route, the example arguments used to reach it and who may open
it. ``test_table_lists_every_route`` fails when a URL is added without a row here, so no new
page or endpoint can ship without its access rules being written down and tested.

Allowed roles get their page (200, or the redirect/405 noted in the table); every other
role gets 403 or 404 and the denial is audited; an anonymous visitor is sent to sign-in
(pages) or refused with JSON (API). POST-only endpoints are checked with POST separately.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from tests.conftest import FAST_HASHER

from pontio.accounts.events import AccountEvent
from pontio.accounts.roles import Role
from pontio.audit.models import AuditEvent, LogEvent
from pontio.core.permissions import registered_permissions
from pontio.core.recording import AuditAction

PUBLIC = "public"
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
# Provider staff who work referrals, and who may export referral lists.
PROVIDER_STAFF = frozenset({Role.PROVIDER_CASEWORKER, Role.PROVIDER_MANAGER, Role.NAVIGATOR})
REFERRAL_EXPORTERS = frozenset({Role.PROVIDER_MANAGER, Role.CUSTODY_SERGEANT, Role.INSPECTOR})
# Police who refer people to support (officers, custody officers and their supervisors).
REFERRING_POLICE = frozenset(
    {Role.OFFICER, Role.CUSTODY_OFFICER, Role.CUSTODY_SERGEANT, Role.INSPECTOR}
)
STOPSEARCH_ANALYSTS = frozenset(
    {Role.INSPECTOR, Role.OPCC_ANALYST, Role.OPERATIONS_LEAD, Role.PANEL_MEMBER}
)


@dataclass(frozen=True)
class Demo:
    """Objects of the demo data that URLs point at, and a signed-in client per role."""

    county_pk: int
    organisation_pk: int
    caseworker_pk: int
    event_sequence: int
    usernames: dict[str, str]
    clients: dict[str, Client] = field(default_factory=dict)
    person_pk: int = 0  # a person with no address (in every police user's scope)
    flag_pk: int = 0  # an open flag of that person
    directory_service_pk: int = 0  # a DDAS service (the demo provider manager's own)


Kwargs = Callable[[Demo], dict[str, Any]]


def no_kwargs(demo: Demo) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Route:
    roles: frozenset[str] | str  # roles that may GET it, or PUBLIC (login not required)
    kwargs: Kwargs = no_kwargs
    status: int = 200  # what an allowed, signed-in GET answers
    anonymous_status: int | None = None  # for PUBLIC routes, if different when signed out
    post_only: bool = False


ROUTES: dict[str, Route] = {
    # core
    "core:home": Route(ALL_ROLES),
    "core:language": Route(PUBLIC, lambda d: {"code": "en"}, status=302),
    "core:health": Route(PUBLIC),
    "core:accessibility": Route(PUBLIC),
    "core:county-list": Route(ADMIN),
    "core:county-edit": Route(ADMIN, lambda d: {"pk": d.county_pk}),
    # sign-in and accounts
    "accounts:sign-in": Route(PUBLIC, status=302, anonymous_status=200),
    "accounts:code": Route(PUBLIC, status=302),  # no password step pending: back to sign-in
    "accounts:set-up-code": Route(PUBLIC, status=302),
    "accounts:sign-out": Route(PUBLIC, status=405, post_only=True),
    "accounts:forgot-password": Route(PUBLIC),
    "accounts:set-password": Route(
        PUBLIC, lambda d: {"uidb64": "MQ", "token": "not-a-valid-token"}
    ),
    "accounts:account": Route(ALL_ROLES),
    "accounts:sign-out-everywhere": Route(ALL_ROLES, status=405, post_only=True),
    "accounts:user-list": Route(TEAM),
    "accounts:user-create": Route(ADMIN),
    "accounts:user-detail": Route(TEAM, lambda d: {"pk": d.caseworker_pk}),
    "accounts:user-edit": Route(ADMIN, lambda d: {"pk": d.caseworker_pk}),
    "accounts:user-action": Route(
        ADMIN, lambda d: {"pk": d.caseworker_pk, "action": "unlock"}, status=405, post_only=True
    ),
    "accounts:organisation-list": Route(ADMIN),
    "accounts:organisation-create": Route(ADMIN),
    "accounts:organisation-edit": Route(ADMIN, lambda d: {"pk": d.organisation_pk}),
    # Only roles that may break glass on the model see the reason form.
    "accounts:break-glass": Route(
        ADMIN, lambda d: {"model_label": "accounts.user", "pk": str(d.caseworker_pk)}
    ),
    # audit
    "audit:event-list": Route(AUDITOR),
    "audit:event-export": Route(AUDITOR),
    "audit:event-detail": Route(AUDITOR, lambda d: {"sequence": d.event_sequence}),
    "audit:verify": Route(AUDITOR),
    "audit:verify-start": Route(AUDITOR, status=405, post_only=True),
    "accounts:break-glass-list": Route(AUDITOR),
    # service directory
    "directory:search": Route(ALL_ROLES),
    "directory:service-detail": Route(ALL_ROLES, lambda d: {"pk": d.directory_service_pk}),
    "directory:export": Route(ALL_ROLES),
    "directory:manage": Route(DIRECTORY_MANAGERS),
    "directory:service-create": Route(DIRECTORY_MANAGERS),
    "directory:service-edit": Route(DIRECTORY_MANAGERS, lambda d: {"pk": d.directory_service_pk}),
    "directory:service-status": Route(
        DIRECTORY_MANAGERS, lambda d: {"pk": d.directory_service_pk}, status=405, post_only=True
    ),
    # people
    "people:list": Route(POLICE),
    "people:create": Route(POLICE),
    "people:create-matches": Route(POLICE, status=302),  # nothing typed yet: back to step 1
    "people:create-details": Route(POLICE, status=302),
    "people:detail": Route(POLICE, lambda d: {"pk": d.person_pk}),
    "people:edit": Route(POLICE, lambda d: {"pk": d.person_pk}),
    "people:address-add": Route(POLICE, lambda d: {"pk": d.person_pk}),
    "people:phone-add": Route(POLICE, lambda d: {"pk": d.person_pk}),
    "people:email-add": Route(POLICE, lambda d: {"pk": d.person_pk}),
    "people:alias-add": Route(POLICE, lambda d: {"pk": d.person_pk}),
    "people:custody-number-add": Route(POLICE, lambda d: {"pk": d.person_pk}),
    "people:flag-raise": Route(POLICE, lambda d: {"pk": d.person_pk}),
    "people:flag-resolve": Route(POLICE, lambda d: {"pk": d.person_pk, "flag_pk": d.flag_pk}),
    "people:consent-add": Route(POLICE, lambda d: {"pk": d.person_pk}),
    "people:merge": Route(MERGERS, lambda d: {"pk": d.person_pk}),
    "people:unmerge": Route(MERGERS, lambda d: {"pk": d.person_pk}),
    # referrals: police pages
    "referrals:create": Route(REFERRING_POLICE, lambda d: {"person_pk": d.person_pk}),
    # Nothing typed yet: back to step 1.
    "referrals:create-provider": Route(
        REFERRING_POLICE, lambda d: {"person_pk": d.person_pk}, status=302
    ),
    # No single referral is in every referring role's scope, so these rows use one that does
    # not exist: other roles meet the permission check (403), referring roles the scoped
    # fetch (404). referrals/tests/test_views_police.py opens real ones.
    "referrals:withdraw": Route(REFERRING_POLICE, lambda d: {"pk": 0}, status=404),
    "referrals:resend": Route(REFERRING_POLICE, lambda d: {"pk": 0}, status=404),
    "referrals:alerts": Route(REFERRING_POLICE),
    # referrals: inbox, exports and provider pages
    "referrals:detail": Route(REFERRING_POLICE | PROVIDER_STAFF, lambda d: {"pk": 0}, status=404),
    "referrals:inbox": Route(REFERRING_POLICE | PROVIDER_STAFF),
    "referrals:export-csv": Route(REFERRAL_EXPORTERS),
    "referrals:export-xlsx": Route(REFERRAL_EXPORTERS),
    # As for withdraw/resend: a referral that does not exist (provider roles meet the scoped
    # fetch, 404; everyone else the permission check, 403). test_views_provider.py opens real
    # ones. Accept is POST-only: provider roles get 405 on GET before any fetch.
    "referrals:accept": Route(PROVIDER_STAFF, lambda d: {"pk": 0}, status=405),
    "referrals:reject": Route(PROVIDER_STAFF, lambda d: {"pk": 0}, status=404),
    "referrals:hold": Route(PROVIDER_STAFF, lambda d: {"pk": 0}, status=404),
    "referrals:resume": Route(PROVIDER_STAFF, lambda d: {"pk": 0}, status=404),
    "referrals:close": Route(PROVIDER_STAFF, lambda d: {"pk": 0}, status=404),
    "referrals:contact-attempt-add": Route(PROVIDER_STAFF, lambda d: {"pk": 0}, status=404),
    "referrals:appointment-add": Route(PROVIDER_STAFF, lambda d: {"pk": 0}, status=404),
    "referrals:appointment-attendance": Route(
        PROVIDER_STAFF, lambda d: {"pk": 0, "appointment_pk": 0}, status=404
    ),
    "referrals:clinical-add": Route(PROVIDER_STAFF, lambda d: {"pk": 0}, status=404),
    "referrals:top-add": Route(PROVIDER_STAFF, lambda d: {"pk": 0}, status=404),
    "referrals:allocate": Route(
        frozenset({Role.PROVIDER_MANAGER}), lambda d: {"pk": 0}, status=404
    ),
    # referrals: metrics (aggregates only) and the provider's quarterly total
    "referrals:metrics": Route(
        frozenset({Role.OPCC_ANALYST, Role.PROVIDER_MANAGER, Role.CUSTODY_SERGEANT, Role.INSPECTOR})
    ),
    "referrals:metrics-totals": Route(frozenset({Role.PROVIDER_MANAGER})),
    # stop and search: records. No single search is in every police role's scope, so the
    # record pages use one that does not exist (403 before the fetch for other roles, 404
    # for police). stopsearch/tests/test_views_records.py opens real ones.
    "stopsearch:list": Route(POLICE),
    "stopsearch:create": Route(POLICE),
    "stopsearch:detail": Route(POLICE, lambda d: {"pk": 0}, status=404),
    "stopsearch:outcome": Route(POLICE, lambda d: {"pk": 0}, status=404),
    # stop and search analysis: aggregates (inspectors exact for their area, others suppressed)
    "stopsearch:analysis": Route(STOPSEARCH_ANALYSTS),
    "stopsearch:analysis-export": Route(STOPSEARCH_ANALYSTS),
    # stop and search audit: inspector reviews, the panel's anonymised reviews (review pages
    # with one that does not exist; stopsearch/tests/test_reviews.py opens real ones)
    "stopsearch:review-list": Route(frozenset({Role.INSPECTOR})),
    "stopsearch:review-detail": Route(frozenset({Role.INSPECTOR}), lambda d: {"pk": 0}, status=404),
    "stopsearch:panel-list": Route(frozenset({Role.PANEL_MEMBER})),
    "stopsearch:panel-review": Route(
        frozenset({Role.PANEL_MEMBER}), lambda d: {"pk": 0}, status=404
    ),
    "stopsearch:panel-summary": Route(frozenset({Role.PANEL_MEMBER})),
    "stopsearch:panel-assign": Route(frozenset({Role.INSPECTOR, Role.ADMINISTRATOR})),
    "stopsearch:audit": Route(frozenset({Role.INSPECTOR, Role.ADMINISTRATOR})),
    # stop and search: police.uk imports (a batch that does not exist: 404 for importers;
    # stopsearch/tests/test_views_imports.py opens real ones) and the police.uk CSV export
    "stopsearch:import-list": Route(frozenset({Role.ADMINISTRATOR, Role.OPCC_ANALYST})),
    "stopsearch:import-create": Route(frozenset({Role.ADMINISTRATOR, Role.OPCC_ANALYST})),
    "stopsearch:import-detail": Route(
        frozenset({Role.ADMINISTRATOR, Role.OPCC_ANALYST}), lambda d: {"pk": 0}, status=404
    ),
    "stopsearch:export-policeuk-form": Route(frozenset({Role.INSPECTOR, Role.ADMINISTRATOR})),
    "stopsearch:export-policeuk": Route(frozenset({Role.INSPECTOR, Role.ADMINISTRATOR})),
    # API
    "api-me": Route(ALL_ROLES),
    "api-user-list": Route(TEAM),
    "api-user-detail": Route(TEAM, lambda d: {"pk": d.caseworker_pk}),
    "api-organisation-list": Route(ALL_ROLES),
    "api-audit-event-list": Route(AUDITOR),
    "api-person-list": Route(POLICE),
    "api-person-detail": Route(POLICE, lambda d: {"pk": d.person_pk}),
    "api-directory-service-list": Route(ALL_ROLES),
    # Referrals API: as for the pages, a referral that does not exist (404 for the roles that
    # pass the permission check). POST-only endpoints answer a GET from an allowed role with
    # 405 before any fetch. referrals/tests/test_api.py opens real ones.
    "api-referral-list": Route(REFERRING_POLICE | PROVIDER_STAFF),
    "api-referral-code-list": Route(REFERRING_POLICE | PROVIDER_STAFF),
    "api-referral-detail": Route(REFERRING_POLICE | PROVIDER_STAFF, lambda d: {"pk": 0}, 404),
    "api-referral-transition": Route(
        REFERRING_POLICE | PROVIDER_STAFF, lambda d: {"pk": 0}, status=405
    ),
    "api-referral-contact-attempts": Route(PROVIDER_STAFF, lambda d: {"pk": 0}, status=405),
    "api-referral-appointments": Route(PROVIDER_STAFF, lambda d: {"pk": 0}, status=405),
    "api-referral-attendance": Route(PROVIDER_STAFF, lambda d: {"pk": 0, "aid": 0}, status=405),
    "api-referral-top-entries": Route(PROVIDER_STAFF, lambda d: {"pk": 0}, status=405),
    "api-referral-clinical-records": Route(PROVIDER_STAFF, lambda d: {"pk": 0}, status=405),
    "api-schema": Route(ALL_ROLES),
    "api-docs": Route(ALL_ROLES),
}

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
    return name.startswith("api-")


# --- the table matches the code ---------------------------------------------------------------


def test_table_lists_every_route() -> None:
    routes = all_routes()
    missing = sorted(set(routes) - set(ROUTES))
    stale = sorted(set(ROUTES) - set(routes))
    assert not missing, f"Add these URLs to ROUTES with their access rules: {missing}"
    assert not stale, f"These URLs no longer exist: {stale}"
    assert not any(name.startswith("<unnamed") for name in routes)


def test_public_routes_are_exactly_the_views_that_opt_out_of_sign_in() -> None:
    routes = all_routes()
    opted_out = {
        name
        for name, view in routes.items()
        if not is_api(name) and getattr(view, "login_required", True) is False
    }
    declared = {name for name, route in ROUTES.items() if route.roles == PUBLIC}
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


# --- the demo world, built once for this module -----------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Demo]:
    """Demo organisations and users, each signed in once, inside a transaction that every
    test of the module rolls back to (and that is itself rolled back at the end)."""
    from tests.conftest import demo_sign_in

    from pontio.accounts.demo import DEMO_USERS, seed_accounts
    from pontio.accounts.models import Organisation, User
    from pontio.core.models import County

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=[FAST_HASHER]):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            seed_accounts()
            from pontio.people.demo import access_matrix_person

            person_pk, flag_pk = access_matrix_person()
            from pontio.directory.demo import seed_directory
            from pontio.directory.models import Service

            seed_directory()
            usernames = {spec.role: spec.username for spec in DEMO_USERS}
            clients = {role: demo_sign_in(username) for role, username in usernames.items()}
            demo = Demo(
                county_pk=County.objects.get(ons_code="W06000010").pk,
                organisation_pk=Organisation.objects.get(name="Dyfed Drug and Alcohol Service").pk,
                caseworker_pk=User.objects.get(username="caseworker").pk,
                event_sequence=AuditEvent.objects.order_by("-sequence").first().sequence,
                usernames=usernames,
                clients=clients,
                person_pk=person_pk,
                flag_pk=flag_pk,
                directory_service_pk=Service.objects.get(name="DDAS Llanelli").pk,
            )
            yield demo
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def url_of(name: str, demo: Demo) -> str:
    return reverse(name, kwargs=ROUTES[name].kwargs(demo))


def denials() -> int:
    return AuditEvent.objects.filter(action=AuditAction.DENIED).count()


# --- GET as every role ------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ROUTES))
@pytest.mark.parametrize("role", sorted(Role.values))
def test_get_as_role(demo: Demo, db: Any, role: str, name: str) -> None:
    route = ROUTES[name]
    url = url_of(name, demo)
    before = denials()
    response = demo.clients[role].get(url)
    allowed = route.roles == PUBLIC or role in route.roles
    if allowed:
        assert response.status_code == route.status, (role, url, response.status_code)
        if response.status_code == 302 and route.roles != PUBLIC:
            assert not response["Location"].startswith("/sign-in/"), (role, url)
    else:
        assert response.status_code in (403, 404), (role, url, response.status_code)
        assert denials() == before + 1, f"denial of {url} to {role} was not audited"
        if is_api(name):
            assert response["Content-Type"] == "application/json"
    # The visit never signs the user out.
    assert "_auth_user_id" in demo.clients[role].session


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_get_as_anonymous(demo: Demo, db: Any, name: str) -> None:
    route = ROUTES[name]
    url = url_of(name, demo)
    response = Client().get(url)
    if route.roles == PUBLIC:
        expected = route.anonymous_status or route.status
        assert response.status_code == expected, (url, response.status_code)
    elif is_api(name):
        assert response.status_code == 403, (url, response.status_code)
        # The schema answers in its own media type and the docs page in HTML; the rest in JSON.
        expected_type = {
            "api-schema": "application/vnd.oai.openapi",
            "api-docs": "text/html",
        }.get(name, "application/json")
        assert response["Content-Type"].split(";")[0] == expected_type
        assert AuditEvent.objects.filter(action=AuditAction.DENIED, reason=f"api: {url}").exists()
    else:
        assert response.status_code == 302, (url, response.status_code)
        assert response["Location"] == "/sign-in/?next=" + quote(url, safe=""), response["Location"]


# --- POST-only endpoints ----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(POST_ROUTES))
@pytest.mark.parametrize("role", sorted(Role.values))
def test_post_as_role(demo: Demo, db: Any, role: str, name: str) -> None:
    """POST with a client of its own (an allowed POST may end the session)."""
    from tests.conftest import demo_sign_in

    route = POST_ROUTES[name]
    url = url_of(name, demo)
    client = demo_sign_in(demo.usernames[role])
    before = AuditEvent.objects.order_by("-sequence").first().sequence
    response = client.post(url)
    allowed = route.roles == PUBLIC or role in route.roles
    if allowed:
        assert response.status_code == 302, (role, url, response.status_code)
    else:
        assert response.status_code in (403, 404), (role, url, response.status_code)
        new = list(AuditEvent.objects.filter(sequence__gt=before).values_list("action", flat=True))
        assert new == [AuditAction.DENIED], new
        assert "_auth_user_id" in client.session


@pytest.mark.parametrize("name", sorted(POST_ROUTES))
def test_post_as_anonymous(demo: Demo, db: Any, name: str) -> None:
    url = url_of(name, demo)
    effects = [
        AccountEvent.SIGN_OUT,
        AccountEvent.SIGN_OUT_EVERYWHERE,
        LogEvent.VERIFY,
        AuditAction.UPDATE,
    ]
    before = AuditEvent.objects.filter(action__in=effects).count()
    response = Client().post(url)
    assert response.status_code == 302
    if ROUTES[name].roles == PUBLIC:
        assert response["Location"] == "/sign-in/"
    else:
        assert response["Location"] == "/sign-in/?next=" + quote(url, safe="")
    assert AuditEvent.objects.filter(action__in=effects).count() == before
