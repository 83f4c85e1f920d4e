"""What an administrator may do to an account (accounts.actions), and the services' and
the API's use of the same rules and filters."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from tests.conftest import sign_in_client
from tests.factories import CARMARTHENSHIRE, POWYS, OrganisationFactory, UserFactory

from pontio.accounts import services
from pontio.accounts.actions import actions_for
from pontio.accounts.roles import OrganisationKind, Role
from pontio.audit.services import AuditContext

pytestmark = pytest.mark.django_db
CONTEXT = AuditContext.system("test")


@pytest.fixture
def force() -> Any:
    return OrganisationFactory(kind=OrganisationKind.FORCE, name="Test force")


@pytest.fixture
def admin(force: Any) -> Any:
    return UserFactory(roles=[Role.ADMINISTRATOR], organisation=force, force_wide=True)


def _lock_out(user: Any) -> None:
    AccessAttempt.objects.create(
        username=user.username,
        ip_address="198.51.100.9",
        user_agent="test",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
        attempt_time=timezone.now(),
    )


def test_an_active_account_with_an_authenticator_offers_edit_close_and_reset(
    admin: Any, force: Any
) -> None:
    officer = UserFactory(roles=[Role.OFFICER], organisation=force, with_device=True)
    assert actions_for(officer, admin) == {"edit", "deactivate", "reset-mfa"}


def test_a_closed_locked_account_offers_reopen_and_unlock(admin: Any, force: Any) -> None:
    officer = UserFactory(roles=[Role.OFFICER], organisation=force, is_active=False)
    _lock_out(officer)
    assert actions_for(officer, admin) == {"edit", "activate", "unlock"}


def test_an_administrator_may_only_edit_their_own_account(admin: Any) -> None:
    assert actions_for(admin, admin) == {"edit"}


def test_nothing_is_offered_outside_the_administrators_scope(force: Any) -> None:
    county_admin = UserFactory(
        roles=[Role.ADMINISTRATOR], organisation=force, counties=[CARMARTHENSHIRE]
    )
    powys_officer = UserFactory(roles=[Role.OFFICER], organisation=force, counties=[POWYS])
    assert actions_for(powys_officer, county_admin) == frozenset()


def test_nothing_is_offered_to_a_role_that_does_not_manage_users(force: Any) -> None:
    officer = UserFactory(roles=[Role.OFFICER], organisation=force)
    other = UserFactory(roles=[Role.OFFICER], organisation=force)
    assert actions_for(other, officer) == frozenset()


def test_the_service_refuses_closing_ones_own_account(admin: Any) -> None:
    with pytest.raises(ValidationError) as info:
        services.user_set_active(
            context=CONTEXT,
            actor=admin,
            user_id=admin.pk,
            active=False,
            expected_version=admin.version,
        )
    assert info.value.code == "own_account"
    admin.refresh_from_db()
    assert admin.is_active


def test_the_service_refuses_unlocking_an_account_that_is_not_locked(
    admin: Any, force: Any
) -> None:
    officer = UserFactory(roles=[Role.OFFICER], organisation=force)
    with pytest.raises(ValidationError) as info:
        services.user_unlock(context=CONTEXT, actor=admin, user_id=officer.pk)
    assert info.value.code == "not_allowed_now"


def test_a_refused_action_posted_to_the_page_says_why_and_changes_nothing(
    admin: Any, force: Any
) -> None:
    admin_client = sign_in_client(UserFactory(
        roles=[Role.ADMINISTRATOR], organisation=force, force_wide=True, with_device=True
    ))  # fmt: skip
    officer = UserFactory(roles=[Role.OFFICER], organisation=force)
    response = admin_client.post(f"/users/{officer.pk}/reset-mfa/", follow=True)
    assert "This cannot be done to the account as it is now." in response.content.decode()


# --- the user list's filters, page and API ----------------------------------------------


def test_the_api_filters_users_like_the_page(admin: Any, force: Any) -> None:
    admin.with_device = True
    client = sign_in_client(
        UserFactory(roles=[Role.ADMINISTRATOR], organisation=force, force_wide=True)
    )
    inspector = UserFactory(roles=[Role.INSPECTOR], organisation=force, last_name="Zz-Inspector")
    api = client.get("/api/v1/users/", {"role": Role.INSPECTOR}).json()["results"]
    page = client.get("/users/", {"role": Role.INSPECTOR}).content.decode()
    api_ids = {row["id"] for row in api}
    assert inspector.pk in api_ids
    assert all(Role.INSPECTOR in row["roles"] for row in api)
    assert "Zz-Inspector" in page


@pytest.mark.parametrize("query", [{"role": "emperor"}, {"organisation": "999999"}])
def test_an_invalid_user_filter_is_a_400_on_the_api_and_an_error_on_the_page(
    force: Any, query: dict[str, str]
) -> None:
    client = sign_in_client(
        UserFactory(roles=[Role.ADMINISTRATOR], organisation=force, force_wide=True)
    )
    api = client.get("/api/v1/users/", query)
    assert api.status_code == 400
    assert set(api.json()) == set(query)
    page = client.get("/users/", query)
    assert page.status_code == 200
    assert "govuk-error-summary" in page.content.decode()
