"""Rules of account administration: organisation kinds, county administrators, audit."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from tests.factories import (
    CARMARTHENSHIRE,
    CEREDIGION,
    POWYS,
    OrganisationFactory,
    UserFactory,
    county,
)

from pontio.accounts import services
from pontio.accounts.events import AccountEvent
from pontio.accounts.models import Organisation, RoleGrant, User
from pontio.accounts.roles import OrganisationKind, Role
from pontio.accounts.services import OrganisationData, UserData
from pontio.audit.chain import verify_chain
from pontio.audit.models import AuditEvent, ChangeRecord
from pontio.audit.services import REDACTED, AuditContext
from pontio.core.concurrency import StaleVersionError
from pontio.core.recording import AuditAction

pytestmark = pytest.mark.django_db


def ctx(actor: User) -> AuditContext:
    return AuditContext(actor_id=actor.pk, actor_organisation_id=actor.organisation_id)


@pytest.fixture
def force() -> Organisation:
    return OrganisationFactory(kind=OrganisationKind.FORCE, name="Test force")


@pytest.fixture
def provider() -> Organisation:
    return OrganisationFactory(kind=OrganisationKind.PROVIDER, name="Test provider")


@pytest.fixture
def admin(force: Organisation) -> User:
    return UserFactory(roles=[Role.ADMINISTRATOR], organisation=force, force_wide=True)


@pytest.fixture
def county_admin(force: Organisation) -> User:
    return UserFactory(
        roles=[Role.ADMINISTRATOR], organisation=force, counties=[CARMARTHENSHIRE, CEREDIGION]
    )


def data(organisation: Organisation, **overrides: Any) -> UserData:
    values: dict[str, Any] = {
        "username": "new.person",
        "first_name": "Angharad",
        "last_name": "Pritchard-Zyx",
        "email": "Angharad.Pritchard@Example.test",
        "organisation": organisation,
        "roles": [Role.OFFICER],
        "force_wide": False,
        "counties": [county(CARMARTHENSHIRE)],
        "staff_number": "PC 9911",
    }
    values.update(overrides)
    return UserData(**values)


# --- organisation kinds -----------------------------------------------------------------------


def test_provider_organisation_cannot_hold_an_officer_role(
    admin: User, provider: Organisation
) -> None:
    users_before = User.objects.count()
    events_before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as info:
        services.user_create(context=ctx(admin), actor=admin, data=data(provider))
    assert "roles" in info.value.message_dict
    assert "Officer" in info.value.message_dict["roles"][0]
    assert User.objects.count() == users_before
    assert not User.objects.filter(username="new.person").exists()
    assert AuditEvent.objects.count() == events_before


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("kind", OrganisationKind.values)
def test_every_role_is_refused_in_the_wrong_kind_of_organisation(
    admin: User, role: str, kind: str
) -> None:
    from pontio.accounts.roles import ROLE_ORGANISATION_KINDS

    org = OrganisationFactory(kind=kind, name=f"Org {kind}")
    attempt = data(org, roles=[role], username=f"u-{role}-{kind}", email=f"{role}.{kind}@x.test")
    if kind in ROLE_ORGANISATION_KINDS[role]:
        user = services.user_create(context=ctx(admin), actor=admin, data=attempt)
        assert user.role_set == {role}
    else:
        with pytest.raises(ValidationError) as info:
            services.user_create(context=ctx(admin), actor=admin, data=attempt)
        assert "roles" in info.value.message_dict
        assert not User.objects.filter(username=attempt.username).exists()


def test_update_cannot_give_a_provider_user_a_police_role(
    admin: User, provider: Organisation
) -> None:
    subject = UserFactory(
        roles=[Role.PROVIDER_CASEWORKER], organisation=provider, counties=[CARMARTHENSHIRE]
    )
    attempt = data(
        provider,
        username=subject.username,
        email=subject.email,
        roles=[Role.PROVIDER_CASEWORKER, Role.CUSTODY_SERGEANT],
    )
    with pytest.raises(ValidationError):
        services.user_update(
            context=ctx(admin), actor=admin, user_id=subject.pk, expected_version=1, data=attempt
        )
    subject.refresh_from_db()
    assert subject.version == 1
    assert set(RoleGrant.objects.filter(user=subject).values_list("role", flat=True)) == {
        Role.PROVIDER_CASEWORKER
    }
    assert subject.first_name != "Angharad"


def test_moving_a_user_to_an_organisation_of_another_kind_is_refused(
    admin: User, force: Organisation, provider: Organisation
) -> None:
    subject = UserFactory(roles=[Role.OFFICER], organisation=force, counties=[CARMARTHENSHIRE])
    attempt = data(provider, username=subject.username, email=subject.email, roles=[Role.OFFICER])
    with pytest.raises(ValidationError):
        services.user_update(
            context=ctx(admin), actor=admin, user_id=subject.pk, expected_version=1, data=attempt
        )
    subject.refresh_from_db()
    assert subject.organisation_id == force.pk


def test_at_least_one_role_and_one_county_are_needed(admin: User, force: Organisation) -> None:
    with pytest.raises(ValidationError) as info:
        services.user_create(
            context=ctx(admin), actor=admin, data=data(force, roles=[], counties=[])
        )
    assert set(info.value.message_dict) == {"roles", "counties"}


def test_closed_organisation_refused(admin: User) -> None:
    closed = OrganisationFactory(kind=OrganisationKind.FORCE, name="Closed", is_active=False)
    with pytest.raises(ValidationError) as info:
        services.user_create(context=ctx(admin), actor=admin, data=data(closed))
    assert "organisation" in info.value.message_dict


def test_usernames_and_emails_are_unique_ignoring_case(admin: User, force: Organisation) -> None:
    UserFactory(username="Taken", email="taken@example.test", organisation=force)
    with pytest.raises(ValidationError) as info:
        services.user_create(context=ctx(admin), actor=admin, data=data(force, username="taken"))
    assert "username" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.user_create(
            context=ctx(admin), actor=admin, data=data(force, email="TAKEN@example.test")
        )
    assert "email" in info.value.message_dict


# --- county administrators --------------------------------------------------------------------


def test_county_admin_can_create_an_officer_in_their_county(
    county_admin: User, force: Organisation
) -> None:
    user = services.user_create(context=ctx(county_admin), actor=county_admin, data=data(force))
    assert user.county_ids == {county(CARMARTHENSHIRE).pk}
    assert user.email == "angharad.pritchard@example.test"
    assert not user.has_usable_password()


def test_county_admin_cannot_grant_whole_force_area(
    county_admin: User, force: Organisation
) -> None:
    with pytest.raises(ValidationError) as info:
        services.user_create(
            context=ctx(county_admin),
            actor=county_admin,
            data=data(force, force_wide=True, counties=[]),
        )
    assert "force_wide" in info.value.message_dict
    assert not User.objects.filter(username="new.person").exists()


def test_county_admin_cannot_grant_another_county(county_admin: User, force: Organisation) -> None:
    with pytest.raises(ValidationError) as info:
        services.user_create(
            context=ctx(county_admin),
            actor=county_admin,
            data=data(force, counties=[county(CARMARTHENSHIRE), county(POWYS)]),
        )
    assert "counties" in info.value.message_dict
    assert not User.objects.filter(username="new.person").exists()


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.AUDITOR])
def test_county_admin_cannot_grant_wide_roles(
    county_admin: User, force: Organisation, role: str
) -> None:
    with pytest.raises(ValidationError) as info:
        services.user_create(
            context=ctx(county_admin), actor=county_admin, data=data(force, roles=[role])
        )
    assert "roles" in info.value.message_dict
    assert not User.objects.filter(username="new.person").exists()


def test_county_admin_cannot_change_force_wide_or_out_of_area_users(
    county_admin: User, force: Organisation
) -> None:
    wide = UserFactory(roles=[Role.OFFICER], organisation=force, force_wide=True)
    powys = UserFactory(roles=[Role.OFFICER], organisation=force, counties=[POWYS])
    for subject in (wide, powys, county_admin):
        with pytest.raises(PermissionDenied):
            services.user_update(
                context=ctx(county_admin),
                actor=county_admin,
                user_id=subject.pk,
                expected_version=subject.version,
                data=data(force, username=subject.username, email=subject.email),
            )
        with pytest.raises(PermissionDenied):
            services.user_set_active(
                context=ctx(county_admin),
                actor=county_admin,
                user_id=subject.pk,
                active=False,
                expected_version=subject.version,
            )
    assert User.objects.get(pk=powys.pk).is_active


def test_county_admin_cannot_change_a_user_whose_area_is_wider_than_theirs(
    county_admin: User, force: Organisation
) -> None:
    """Policy: "A county administrator may not change anyone whose reach is wider than
    theirs" (accounts/policies.py). A user working in Carmarthenshire and Powys reaches
    further than an administrator for Carmarthenshire and Ceredigion."""
    wider = UserFactory(roles=[Role.OFFICER], organisation=force, counties=[CARMARTHENSHIRE, POWYS])
    with pytest.raises(PermissionDenied):
        services.user_set_active(
            context=ctx(county_admin),
            actor=county_admin,
            user_id=wider.pk,
            active=False,
            expected_version=1,
        )
    with pytest.raises(PermissionDenied):
        services.user_update(  # e.g. quietly taking Powys away from them
            context=ctx(county_admin),
            actor=county_admin,
            user_id=wider.pk,
            expected_version=1,
            data=data(force, username=wider.username, email=wider.email),
        )
    wider.refresh_from_db()
    assert wider.is_active
    assert set(wider.counties.values_list("ons_code", flat=True)) == {CARMARTHENSHIRE, POWYS}


def test_only_user_administrators_can_create_accounts(provider: Organisation) -> None:
    """The service itself refuses, whatever calls it (the rules live in services)."""
    manager = UserFactory(
        roles=[Role.PROVIDER_MANAGER], organisation=provider, counties=[CARMARTHENSHIRE]
    )
    with pytest.raises(PermissionDenied):
        services.user_create(
            context=ctx(manager),
            actor=manager,
            data=data(provider, roles=[Role.PROVIDER_MANAGER]),
        )
    assert not User.objects.filter(username="new.person").exists()


def test_force_wide_admin_may_grant_wide_access(admin: User, force: Organisation) -> None:
    user = services.user_create(
        context=ctx(admin),
        actor=admin,
        data=data(force, roles=[Role.AUDITOR], force_wide=True, counties=[county(POWYS)]),
    )
    assert user.force_wide
    assert user.county_ids == frozenset()  # whole area: counties are not kept
    assert user.role_set == {Role.AUDITOR}


# --- updates, versions, actions ---------------------------------------------------------------


def test_update_with_stale_version_saves_nothing(admin: User, force: Organisation) -> None:
    subject = UserFactory(roles=[Role.OFFICER], organisation=force, counties=[CARMARTHENSHIRE])
    services.user_update(
        context=ctx(admin),
        actor=admin,
        user_id=subject.pk,
        expected_version=1,
        data=data(force, username=subject.username, email=subject.email, first_name="First"),
    )
    with pytest.raises(StaleVersionError):
        services.user_update(
            context=ctx(admin),
            actor=admin,
            user_id=subject.pk,
            expected_version=1,
            data=data(force, username=subject.username, email=subject.email, first_name="Second"),
        )
    subject.refresh_from_db()
    assert subject.first_name == "First"
    assert subject.version == 2


def test_update_replaces_roles_and_counties(admin: User, force: Organisation) -> None:
    subject = UserFactory(roles=[Role.OFFICER], organisation=force, counties=[CARMARTHENSHIRE])
    services.user_update(
        context=ctx(admin),
        actor=admin,
        user_id=subject.pk,
        expected_version=1,
        data=data(
            force,
            username=subject.username,
            email=subject.email,
            roles=[Role.INSPECTOR],
            counties=[county(POWYS)],
        ),
    )
    subject = User.objects.get(pk=subject.pk)
    assert subject.role_set == {Role.INSPECTOR}
    assert subject.county_ids == {county(POWYS).pk}
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(subject.pk)).first()
    assert event is not None
    assert {"roles", "counties"} <= set(event.fields)
    assert event.change.before["roles"] == [Role.OFFICER]
    assert event.change.after["counties"] == [POWYS]


def test_deactivating_a_user_ends_their_sessions(admin: User, force: Organisation) -> None:
    subject = UserFactory(roles=[Role.OFFICER], organisation=force, counties=[CARMARTHENSHIRE])
    salt = subject.session_salt
    services.user_set_active(
        context=ctx(admin), actor=admin, user_id=subject.pk, active=False, expected_version=1
    )
    subject.refresh_from_db()
    assert not subject.is_active
    assert subject.session_salt != salt


def test_reset_mfa_removes_authenticators(admin: User, force: Organisation) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    subject = UserFactory(
        roles=[Role.OFFICER], organisation=force, counties=[CARMARTHENSHIRE], with_device=True
    )
    services.user_reset_mfa(context=ctx(admin), actor=admin, user_id=subject.pk)
    assert not TOTPDevice.objects.filter(user=subject).exists()
    event = AuditEvent.objects.filter(object_id=str(subject.pk)).first()
    assert event.change.after == {"mfa_devices": 0}
    assert "key" not in str(event.change.before)


# --- audit of account changes: no personal data in events -------------------------------------


def _event_text(event: AuditEvent) -> str:
    return " ".join(str(getattr(event, f.name)) for f in AuditEvent._meta.concrete_fields).lower()


def test_user_create_keeps_personal_data_out_of_audit_events(
    admin: User, force: Organisation
) -> None:
    user = services.user_create(context=ctx(admin), actor=admin, data=data(force))
    events = list(AuditEvent.objects.filter(object_id=str(user.pk)))
    assert [e.action for e in events] == [AuditAction.CREATE]
    event = events[0]
    assert event.object_type == "accounts.user"
    assert event.actor_id == admin.pk
    text = _event_text(event)
    for personal in ("angharad", "pritchard", "example.test", "new.person", "pc 9911"):
        assert personal not in text, personal
    assert "first_name" in event.fields  # the names of fields, not their values
    assert "angharad" not in event.reason.lower()

    change = ChangeRecord.objects.get(event=event)
    assert change.before == {}
    assert change.after["first_name"] == "Angharad"
    assert change.after["last_name"] == "Pritchard-Zyx"
    assert change.after["email"] == "angharad.pritchard@example.test"
    assert change.after["roles"] == [Role.OFFICER]
    assert change.after["counties"] == [CARMARTHENSHIRE]


def test_password_and_session_salt_are_redacted(admin: User, force: Organisation) -> None:
    user = services.user_create(context=ctx(admin), actor=admin, data=data(force))
    change = ChangeRecord.objects.get(event__object_id=str(user.pk))
    assert change.after["password"] == REDACTED
    assert change.after["session_salt"] == REDACTED
    assert user.session_salt not in str(change.after)
    assert user.password not in str(change.after)
    assert verify_chain().intact  # the digest covers the redacted values


def test_sign_out_everywhere_salt_change_is_not_recorded(rf: Any, force: Organisation) -> None:
    user = UserFactory(roles=[Role.OFFICER], organisation=force, counties=[CARMARTHENSHIRE])
    salt = user.session_salt
    request = rf.post("/account/sign-out-everywhere/")
    request.user = user
    from django.contrib.sessions.backends.db import SessionStore

    request.session = SessionStore()
    services.sign_out_everywhere(request=request)
    user.refresh_from_db()
    assert user.session_salt != salt
    event = AuditEvent.objects.filter(action=AccountEvent.SIGN_OUT_EVERYWHERE).get()
    assert event.object_id == str(user.pk)
    assert salt not in _event_text(event) and user.session_salt not in _event_text(event)


# --- organisations ----------------------------------------------------------------------------


def test_organisation_create_and_update_are_audited(admin: User) -> None:
    org = services.organisation_create(
        context=ctx(admin),
        actor=admin,
        data=OrganisationData(
            name="New Service",
            name_cy="Gwasanaeth Newydd",
            kind="provider",
            counties=[county(POWYS)],
        ),
    )
    assert list(org.counties.values_list("ons_code", flat=True)) == [POWYS]
    services.organisation_update(
        context=ctx(admin),
        actor=admin,
        organisation_id=org.pk,
        expected_version=1,
        data=OrganisationData(
            name="Renamed Service", name_cy="Gwasanaeth", kind="provider", counties=[]
        ),
    )
    org.refresh_from_db()
    assert org.name == "Renamed Service"
    assert org.version == 2
    actions = list(
        AuditEvent.objects.filter(object_type="accounts.organisation", object_id=str(org.pk))
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == [AuditAction.CREATE, AuditAction.UPDATE]


def test_county_admin_cannot_create_or_change_organisations(county_admin: User) -> None:
    other = OrganisationFactory(kind="provider", name="Someone else")
    with pytest.raises(PermissionDenied):
        services.organisation_create(
            context=ctx(county_admin),
            actor=county_admin,
            data=OrganisationData(name="X", name_cy="X", kind="provider", counties=[]),
        )
    with pytest.raises(PermissionDenied):
        services.organisation_update(
            context=ctx(county_admin),
            actor=county_admin,
            organisation_id=other.pk,
            expected_version=1,
            data=OrganisationData(name="Y", name_cy="Y", kind="provider", counties=[]),
        )


def test_organisation_kind_cannot_change_while_it_has_users(
    admin: User, provider: Organisation
) -> None:
    UserFactory(roles=[Role.NAVIGATOR], organisation=provider, counties=[POWYS])
    with pytest.raises(ValidationError) as info:
        services.organisation_update(
            context=ctx(admin),
            actor=admin,
            organisation_id=provider.pk,
            expected_version=1,
            data=OrganisationData(name=provider.name, name_cy="x", kind="force", counties=[]),
        )
    assert "kind" in info.value.message_dict
    provider.refresh_from_db()
    assert provider.kind == "provider"
