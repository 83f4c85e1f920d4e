"""Row-level scope (``restrict``) and break-glass access."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.factories import (
    CARMARTHENSHIRE,
    CEREDIGION,
    PEMBROKESHIRE,
    POWYS,
    OrganisationFactory,
    UserFactory,
)

from pontio.accounts import services
from pontio.accounts.events import AccountEvent
from pontio.accounts.models import BREAK_GLASS_DURATION, BreakGlassGrant, Organisation, User
from pontio.accounts.roles import OrganisationKind, Role
from pontio.audit.models import AuditEvent, ChangeRecord
from pontio.core.models import County
from pontio.core.recording import AuditAction
from pontio.core.scopes import may_break_glass, registered_models, restrict

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    """Two providers, a force, and users in different counties."""
    force = OrganisationFactory(kind=OrganisationKind.FORCE, name="Force")
    provider_a = OrganisationFactory(kind=OrganisationKind.PROVIDER, name="Provider A")
    provider_b = OrganisationFactory(kind=OrganisationKind.PROVIDER, name="Provider B")
    u: dict[str, Any] = {"force": force, "provider_a": provider_a, "provider_b": provider_b}
    u["admin"] = UserFactory(roles=[Role.ADMINISTRATOR], organisation=force, force_wide=True)
    u["county_admin"] = UserFactory(
        roles=[Role.ADMINISTRATOR], organisation=force, counties=[CARMARTHENSHIRE]
    )
    u["officer_carms"] = UserFactory(
        roles=[Role.OFFICER], organisation=force, counties=[CARMARTHENSHIRE]
    )
    u["officer_powys"] = UserFactory(roles=[Role.OFFICER], organisation=force, counties=[POWYS])
    u["officer_wide"] = UserFactory(roles=[Role.OFFICER], organisation=force, force_wide=True)
    u["manager_a"] = UserFactory(
        roles=[Role.PROVIDER_MANAGER], organisation=provider_a, counties=[CEREDIGION]
    )
    u["caseworker_a"] = UserFactory(
        roles=[Role.PROVIDER_CASEWORKER], organisation=provider_a, counties=[PEMBROKESHIRE]
    )
    u["caseworker_b"] = UserFactory(
        roles=[Role.PROVIDER_CASEWORKER], organisation=provider_b, counties=[CEREDIGION]
    )
    u["auditor"] = UserFactory(roles=[Role.AUDITOR], organisation=force, force_wide=True)
    return u


def visible(user: Any, action: str = "view", model: Any = User) -> set[int]:
    return set(restrict(model.objects.all(), user, action).values_list("pk", flat=True))


# --- restrict() basics ------------------------------------------------------------------------


def test_model_without_a_policy_is_refused(world: dict[str, Any]) -> None:
    for model in (TOTPDevice, ContentType):
        with pytest.raises(ImproperlyConfigured):
            restrict(model.objects.all(), world["admin"], "view")


def test_every_model_with_records_people_see_has_a_policy() -> None:
    assert {User, Organisation, County, AuditEvent, ChangeRecord, BreakGlassGrant} <= set(
        registered_models()
    )


def test_unknown_action_is_an_error(world: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="Unknown action"):
        restrict(User.objects.all(), world["admin"], "approve")


@pytest.mark.parametrize("action", ["view", "change", "create", "delete", "export"])
def test_nobody_without_a_usable_account_sees_anything(world: dict[str, Any], action: str) -> None:
    inactive = UserFactory(roles=[Role.ADMINISTRATOR], organisation=world["force"], is_active=False)
    homeless = UserFactory(roles=[Role.ADMINISTRATOR], organisation=None, force_wide=True)
    for who in (AnonymousUser(), inactive, homeless, None):
        for model in (User, Organisation, County, AuditEvent):
            queryset = restrict(model.objects.all(), who, action)
            assert not queryset.exists(), (who, model, action)


# --- users ------------------------------------------------------------------------------------


def test_force_wide_administrator_sees_and_changes_everyone(world: dict[str, Any]) -> None:
    everyone = set(User.objects.values_list("pk", flat=True))
    assert visible(world["admin"]) == everyone
    assert visible(world["admin"], "change") == everyone


def test_provider_manager_sees_their_own_organisation_only(world: dict[str, Any]) -> None:
    assert visible(world["manager_a"]) == {world["manager_a"].pk, world["caseworker_a"].pk}
    assert visible(world["manager_a"], "change") == set()
    assert visible(world["manager_a"], "export") == set()


@pytest.mark.parametrize("name", ["officer_carms", "officer_wide", "caseworker_b"])
def test_other_roles_see_only_themselves(world: dict[str, Any], name: str) -> None:
    assert visible(world[name]) == {world[name].pk}
    assert visible(world[name], "change") == set()


def test_auditors_see_every_account_to_name_who_did_what_but_change_none(
    world: dict[str, Any],
) -> None:
    ours = {u.pk for u in world.values() if isinstance(u, User)}
    assert visible(world["auditor"]) >= ours
    assert visible(world["auditor"], "change") == set()
    assert visible(world["auditor"], "export") == set()


def test_county_administrator_scope(world: dict[str, Any]) -> None:
    county_admin = world["county_admin"]
    seen = visible(county_admin)
    assert county_admin.pk in seen
    assert world["officer_carms"].pk in seen
    assert world["officer_wide"].pk in seen  # force-wide users are visible
    assert world["admin"].pk in seen
    assert world["officer_powys"].pk not in seen
    assert world["caseworker_b"].pk not in seen

    # Of this test's users (the demo users of the county are changeable too):
    ours = {u.pk for u in world.values() if isinstance(u, User)}
    changeable = visible(county_admin, "change") & ours
    assert changeable == {world["officer_carms"].pk}  # not themselves, nobody wider


# --- organisations, counties, audit -----------------------------------------------------------


def test_organisation_scope(world: dict[str, Any]) -> None:
    every = set(Organisation.objects.values_list("pk", flat=True))
    assert visible(world["admin"], model=Organisation) == every
    assert visible(world["admin"], "change", model=Organisation) == every
    assert visible(world["county_admin"], model=Organisation) == every
    assert visible(world["county_admin"], "change", model=Organisation) == set()
    assert visible(world["caseworker_b"], model=Organisation) == {world["provider_b"].pk}
    assert visible(world["caseworker_b"], "change", model=Organisation) == set()


def test_county_scope(world: dict[str, Any]) -> None:
    all_counties = set(County.objects.values_list("pk", flat=True))
    assert visible(world["officer_powys"], model=County) == all_counties
    assert visible(world["officer_powys"], "change", model=County) == set()
    assert visible(world["county_admin"], "change", model=County) == all_counties


def test_only_auditors_see_the_audit_log(world: dict[str, Any]) -> None:
    from pontio.audit.services import AuditContext, audit_record

    audit_record(
        context=AuditContext.system("t"), action=AuditAction.READ, before={}, after={"a": 1}
    )
    assert visible(world["auditor"], model=AuditEvent)
    assert visible(world["auditor"], "export", model=AuditEvent)
    assert visible(world["auditor"], model=ChangeRecord)
    assert visible(world["auditor"], "change", model=AuditEvent) == set()
    assert visible(world["auditor"], "delete", model=AuditEvent) == set()
    for name in ("admin", "county_admin", "manager_a", "officer_wide"):
        assert visible(world[name], model=AuditEvent) == set(), name
        assert visible(world[name], model=ChangeRecord) == set(), name


# --- break-glass ------------------------------------------------------------------------------


def _request(rf: Any, user: User) -> Any:
    request = rf.post("/access/accounts.user/1/", REMOTE_ADDR="192.0.2.10")
    request.user = user
    return request


def test_only_administrators_may_break_glass_to_users(world: dict[str, Any]) -> None:
    assert may_break_glass(world["county_admin"], User)
    assert may_break_glass(world["admin"], User)
    for name in ("officer_carms", "manager_a", "auditor"):
        assert not may_break_glass(world[name], User)
    assert not may_break_glass(AnonymousUser(), User)
    assert not may_break_glass(world["county_admin"], Organisation)


@pytest.mark.parametrize("reason", ["", "   ", "too short", "  123456789  "])
def test_break_glass_needs_a_reason_of_ten_characters(
    rf: Any, world: dict[str, Any], reason: str
) -> None:
    with pytest.raises(ValidationError) as info:
        services.break_glass_grant(
            request=_request(rf, world["county_admin"]),
            model=User,
            object_id=str(world["officer_powys"].pk),
            reason=reason,
        )
    assert "reason" in info.value.message_dict
    assert not BreakGlassGrant.objects.exists()
    assert not AuditEvent.objects.filter(action=AccountEvent.BREAK_GLASS).exists()


def test_break_glass_grant_opens_the_record_for_viewing_only(
    rf: Any, world: dict[str, Any]
) -> None:
    county_admin, target = world["county_admin"], world["officer_powys"]
    assert target.pk not in visible(county_admin)
    before = timezone.now()
    grant = services.break_glass_grant(
        request=_request(rf, county_admin),
        model=User,
        object_id=str(target.pk),
        reason="Investigating a complaint about this account",
    )
    assert (
        before + BREAK_GLASS_DURATION <= grant.expires_at <= timezone.now() + BREAK_GLASS_DURATION
    )
    assert target.pk in visible(county_admin)
    assert target.pk not in visible(county_admin, "change")
    assert world["caseworker_b"].pk not in visible(county_admin)  # only that one record

    event = AuditEvent.objects.get(action=AccountEvent.BREAK_GLASS)
    assert event.actor_id == county_admin.pk
    assert event.object_type == "accounts.user"
    assert event.object_id == str(target.pk)
    assert event.reason == "Investigating a complaint about this account"
    assert event.ip_address == "192.0.2.10"


def test_expired_grant_does_not_open_the_record(rf: Any, world: dict[str, Any]) -> None:
    county_admin, target = world["county_admin"], world["officer_powys"]
    grant = services.break_glass_grant(
        request=_request(rf, county_admin),
        model=User,
        object_id=str(target.pk),
        reason="Investigating a complaint about this account",
    )
    BreakGlassGrant.objects.filter(pk=grant.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert target.pk not in visible(county_admin)


def test_another_users_grant_does_not_open_the_record(rf: Any, world: dict[str, Any]) -> None:
    services.break_glass_grant(
        request=_request(rf, world["county_admin"]),
        model=User,
        object_id=str(world["officer_powys"].pk),
        reason="Investigating a complaint about this account",
    )
    other_admin = UserFactory(
        roles=[Role.ADMINISTRATOR], organisation=world["force"], counties=[CEREDIGION]
    )
    assert world["officer_powys"].pk not in visible(other_admin)


def test_break_glass_refused_to_roles_without_it(rf: Any, world: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        services.break_glass_grant(
            request=_request(rf, world["manager_a"]),
            model=User,
            object_id=str(world["caseworker_b"].pk),
            reason="I would like to see this account please",
        )
    assert not BreakGlassGrant.objects.exists()
    assert world["caseworker_b"].pk not in visible(world["manager_a"])


def test_break_glass_refused_for_a_record_that_does_not_exist(
    rf: Any, world: dict[str, Any]
) -> None:
    with pytest.raises(PermissionDenied):
        services.break_glass_grant(
            request=_request(rf, world["county_admin"]),
            model=User,
            object_id="999999",
            reason="Investigating a complaint about this account",
        )
    assert not BreakGlassGrant.objects.exists()


def test_break_glass_grants_are_visible_to_auditors_and_their_holder(
    rf: Any, world: dict[str, Any]
) -> None:
    grant = services.break_glass_grant(
        request=_request(rf, world["county_admin"]),
        model=User,
        object_id=str(world["officer_powys"].pk),
        reason="Investigating a complaint about this account",
    )
    assert visible(world["auditor"], model=BreakGlassGrant) == {grant.pk}
    assert visible(world["county_admin"], model=BreakGlassGrant) == {grant.pk}
    assert visible(world["admin"], model=BreakGlassGrant) == set()
