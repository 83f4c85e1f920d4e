"""User and organisation administration through the pages: scope, denial, forms, versions."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from tests.conftest import sign_in_client
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
from pontio.accounts.models import BreakGlassGrant, Organisation, User
from pontio.accounts.roles import OrganisationKind, Role
from pontio.audit.models import AuditEvent, ChangeRecord
from pontio.audit.services import AuditContext
from pontio.core.models import County, Notification
from pontio.core.recording import AuditAction

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs() -> dict[str, Organisation]:
    return {
        "force": OrganisationFactory(kind=OrganisationKind.FORCE, name="Force"),
        "a": OrganisationFactory(kind=OrganisationKind.PROVIDER, name="Provider Alpha"),
        "b": OrganisationFactory(kind=OrganisationKind.PROVIDER, name="Provider Bravo"),
    }


@pytest.fixture
def people(orgs: dict[str, Organisation]) -> dict[str, User]:
    return {
        "admin": UserFactory(
            roles=[Role.ADMINISTRATOR],
            organisation=orgs["force"],
            force_wide=True,
            with_device=True,
        ),
        "county_admin": UserFactory(
            roles=[Role.ADMINISTRATOR],
            organisation=orgs["force"],
            counties=[CARMARTHENSHIRE],
            with_device=True,
        ),
        "officer_carms": UserFactory(
            roles=[Role.OFFICER], organisation=orgs["force"], counties=[CARMARTHENSHIRE]
        ),
        "officer_powys": UserFactory(
            username="powys.constable",
            first_name="Iolo",
            last_name="Vaughan-Quill",
            email="iolo.vq@force.example",
            roles=[Role.OFFICER],
            organisation=orgs["force"],
            counties=[POWYS],
        ),
        "manager_a": UserFactory(
            roles=[Role.PROVIDER_MANAGER],
            organisation=orgs["a"],
            counties=[CEREDIGION],
            with_device=True,
        ),
        "caseworker_a": UserFactory(
            first_name="Alys",
            last_name="Alphaworker",
            roles=[Role.PROVIDER_CASEWORKER],
            organisation=orgs["a"],
            counties=[CEREDIGION],
        ),
        "caseworker_b": UserFactory(
            username="bravo.caseworker",
            first_name="Bethan",
            last_name="Bravoworker",
            email="bethan@bravo.example",
            staff_number="BRAVO-77",
            roles=[Role.PROVIDER_CASEWORKER],
            organisation=orgs["b"],
            counties=[CEREDIGION],
        ),
    }


def denied_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.DENIED).order_by("sequence"))


# --- another organisation's records -----------------------------------------------------------


def test_provider_manager_cannot_open_another_organisations_user(people: dict[str, User]) -> None:
    client = sign_in_client(people["manager_a"])
    target = people["caseworker_b"]
    response = client.get(f"/users/{target.pk}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    for secret in ("Bethan", "Bravoworker", "bravo.caseworker", "bethan@bravo.example", "BRAVO-77"):
        assert secret not in html
    assert "Provider Bravo" not in html

    denied = denied_events()
    assert len(denied) == 1
    assert denied[0].actor_id == people["manager_a"].pk
    assert denied[0].object_type == "accounts.user"
    assert denied[0].object_id == str(target.pk)
    assert denied[0].reason == "out of scope: view"
    assert denied[0].view_name == "accounts:user-detail"


def test_not_found_and_out_of_scope_look_the_same(people: dict[str, User]) -> None:
    client = sign_in_client(people["manager_a"])
    hidden = client.get(f"/users/{people['caseworker_b'].pk}/")
    missing = client.get("/users/987654/")
    assert hidden.status_code == missing.status_code == 404
    strip = lambda r: r.content.decode().split("<main", 1)[1].split("</main>")[0]  # noqa: E731
    assert strip(hidden) == strip(missing)


def test_provider_manager_sees_their_own_team(people: dict[str, User]) -> None:
    client = sign_in_client(people["manager_a"])
    response = client.get(f"/users/{people['caseworker_a'].pk}/")
    assert response.status_code == 200
    assert b"Alphaworker" in response.content
    read = AuditEvent.objects.filter(action=AuditAction.READ).get()
    assert read.object_id == str(people["caseworker_a"].pk)
    # The team list holds their organisation only.
    listing = client.get("/users/").content.decode()
    assert "Alphaworker" in listing
    assert "Bravoworker" not in listing
    assert "Vaughan-Quill" not in listing
    # And they cannot change anyone.
    assert client.get(f"/users/{people['caseworker_a'].pk}/edit/").status_code == 403
    assert client.get("/users/new/").status_code == 403


def test_user_list_filter_by_another_organisation_shows_nothing(
    people: dict[str, User], orgs: dict[str, Organisation]
) -> None:
    client = sign_in_client(people["manager_a"])
    listing = client.get("/users/", {"organisation": orgs["b"].pk}).content.decode()
    assert "Bravoworker" not in listing


def test_county_admin_cannot_edit_a_user_in_another_county(people: dict[str, User]) -> None:
    client = sign_in_client(people["county_admin"])
    target = people["officer_powys"]
    response = client.get(f"/users/{target.pk}/edit/")
    assert response.status_code == 404
    assert b"Vaughan-Quill" not in response.content
    response = client.post(
        f"/users/{target.pk}/edit/",
        {"first_name": "Hacked", "last_name": "x", "email": "x@x.test", "version": "1"},
    )
    assert response.status_code == 404
    target.refresh_from_db()
    assert target.first_name == "Iolo"
    denied = denied_events()
    assert [e.object_id for e in denied] == [str(target.pk)] * 2
    assert all(e.reason == "out of scope: change" for e in denied)
    response = client.post(f"/users/{target.pk}/deactivate/", {"version": "1"})
    assert response.status_code == 404
    target.refresh_from_db()
    assert target.is_active


def test_county_admin_viewing_another_county_is_offered_break_glass(
    people: dict[str, User],
) -> None:
    client = sign_in_client(people["county_admin"])
    target = people["officer_powys"]
    url = f"/users/{target.pk}/"
    response = client.get(url)
    assert response.status_code == 302
    assert (
        response["Location"] == f"/access/accounts.user/{target.pk}/?next=%2Fusers%2F{target.pk}%2F"
    )
    assert [e.object_id for e in denied_events()] == [str(target.pk)]

    form = client.get(response["Location"])
    assert form.status_code == 200
    assert b"Vaughan-Quill" not in form.content

    short = client.post(response["Location"], {"reason": "because"})
    assert short.status_code == 200
    assert b"at least 10 characters" in short.content
    assert not BreakGlassGrant.objects.exists()

    granted = client.post(response["Location"], {"reason": "Complaint reference 2026/114 review"})
    assert granted.status_code == 302
    assert granted["Location"] == url
    page = client.get(url)
    assert page.status_code == 200
    assert b"Vaughan-Quill" in page.content
    event = AuditEvent.objects.get(action=AccountEvent.BREAK_GLASS)
    assert event.reason == "Complaint reference 2026/114 review"
    assert event.object_id == str(target.pk)
    # Viewing is open; changing still is not.
    assert client.get(f"/users/{target.pk}/edit/").status_code == 404


def test_break_glass_form_refuses_roles_without_break_glass(people: dict[str, User]) -> None:
    client = sign_in_client(people["manager_a"])
    target = people["caseworker_b"]
    response = client.post(
        f"/access/accounts.user/{target.pk}/", {"reason": "I just want to have a look at it"}
    )
    assert response.status_code == 403
    assert not BreakGlassGrant.objects.exists()
    assert client.get(f"/users/{target.pk}/").status_code == 404


def test_break_glass_for_an_unknown_record_type_is_refused(people: dict[str, User]) -> None:
    client = sign_in_client(people["county_admin"])
    assert client.get("/access/core.notification/1/").status_code == 403
    assert client.get("/access/auth.permission/1/").status_code == 403


@pytest.mark.parametrize("pk", ["abc", "1.5", "99999999999999999999999"])
def test_break_glass_for_a_malformed_record_id_is_refused_not_an_error(
    people: dict[str, User], pk: str
) -> None:
    client = sign_in_client(people["county_admin"])
    client.raise_request_exception = False
    response = client.post(
        f"/access/accounts.user/{pk}/", {"reason": "Complaint reference 2026/114 review"}
    )
    assert response.status_code in (403, 404)
    assert not BreakGlassGrant.objects.exists()


def test_break_glass_next_cannot_leave_the_site(people: dict[str, User]) -> None:
    client = sign_in_client(people["county_admin"])
    target = people["officer_powys"]
    response = client.post(
        f"/access/accounts.user/{target.pk}/?next=https://evil.example/",
        {"reason": "Complaint reference 2026/114 review"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


# --- forms ------------------------------------------------------------------------------------


def user_form_data(user: User | None = None, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "username": "new.officer",
        "first_name": "Gwen",
        "last_name": "Newbury",
        "email": "gwen.newbury@force.example",
        "staff_number": "PC 1",
        "organisation": "",
        "roles": [Role.OFFICER],
        "counties": [county(CARMARTHENSHIRE).pk],
        "preferred_language": "cy",
    }
    if user is not None:
        values.update(
            username=user.username,
            first_name=user.first_name,
            last_name=user.last_name,
            email=user.email,
            organisation=user.organisation_id,
            roles=sorted(user.role_set),
            counties=sorted(user.county_ids),
            preferred_language=user.preferred_language,
            version=user.version,
        )
    values.update(overrides)
    return values


def test_user_create_through_the_form(
    people: dict[str, User], orgs: dict[str, Organisation], django_capture_on_commit_callbacks: Any
) -> None:
    client = sign_in_client(people["admin"])
    assert client.get("/users/new/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/users/new/", user_form_data(organisation=orgs["force"].pk))
    assert response.status_code == 302
    user = User.objects.get(username="new.officer")
    assert response["Location"] == f"/users/{user.pk}/"
    assert user.organisation == orgs["force"]
    assert user.role_set == {Role.OFFICER}
    assert user.county_ids == {county(CARMARTHENSHIRE).pk}
    assert user.preferred_language == "cy"
    assert not user.has_usable_password()

    invitation = Notification.objects.get(recipient_user_id=user.pk)
    assert invitation.template == "account_invitation"
    assert invitation.status == Notification.Status.RECORDED_LOCALLY
    assert invitation.language == "cy"
    assert "/set-password/" in invitation.link
    assert "Gwen" not in invitation.link

    created = AuditEvent.objects.get(action=AuditAction.CREATE, object_id=str(user.pk))
    assert created.actor_id == people["admin"].pk
    page = client.get(response["Location"])
    assert b"An invitation to set a password has been queued" in page.content
    assert b"Invitation not yet accepted" in page.content


def test_invitation_link_sets_a_password(
    people: dict[str, User], orgs: dict[str, Organisation], django_capture_on_commit_callbacks: Any
) -> None:
    client = sign_in_client(people["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/users/new/", user_form_data(organisation=orgs["force"].pk))
    user = User.objects.get(username="new.officer")
    link = Notification.objects.get(recipient_user_id=user.pk).link
    path = link.split("://", 1)[1].split("/", 1)[1]

    invitee = Client()
    response = invitee.get("/" + path)
    assert response.status_code == 302  # to the same page without the token in the address
    form_url = response["Location"]
    assert invitee.get(form_url).status_code == 200
    new_password = "A-long-new-passphrase-42"
    response = invitee.post(
        form_url, {"new_password1": new_password, "new_password2": new_password}
    )
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/"
    user.refresh_from_db()
    assert user.check_password(new_password)
    change = ChangeRecord.objects.filter(event__object_id=str(user.pk)).order_by("-pk").first()
    assert change.after == {"password": "[redacted]"}
    assert new_password not in str(change.before) + str(change.after)
    # First sign-in leads to setting up the authenticator.
    response = Client().post("/sign-in/", {"username": "new.officer", "password": new_password})
    assert response["Location"] == "/sign-in/set-up-code/"
    # The link works once only.
    assert b"new_password1" not in Client().get("/" + path, follow=True).content


def test_user_create_refuses_a_police_role_in_a_provider(
    people: dict[str, User], orgs: dict[str, Organisation]
) -> None:
    client = sign_in_client(people["admin"])
    count = User.objects.count()
    response = client.post("/users/new/", user_form_data(organisation=orgs["a"].pk))
    assert response.status_code == 200
    assert b"These roles cannot be held by someone in this organisation" in response.content
    assert User.objects.count() == count
    assert not Notification.objects.exists()


def test_user_create_shows_required_field_errors(people: dict[str, User]) -> None:
    client = sign_in_client(people["admin"])
    response = client.post("/users/new/", {"username": "", "first_name": ""})
    assert response.status_code == 200
    html = response.content.decode()
    for message in ("Enter a username", "Enter a first name", "Choose an organisation"):
        assert message in html
    assert "govuk-error-summary" in html


def test_stale_version_on_user_edit_saves_nothing(people: dict[str, User]) -> None:
    target = people["officer_carms"]
    client = sign_in_client(people["admin"])
    assert client.get(f"/users/{target.pk}/edit/").status_code == 200
    opened = user_form_data(target)  # the editor's copy, version 1

    services.user_update(  # meanwhile someone else saves
        context=AuditContext.system("test"),
        actor=people["admin"],
        user_id=target.pk,
        expected_version=1,
        data=services.UserData(
            username=target.username,
            first_name="Changed-by-other",
            last_name=target.last_name,
            email=target.email,
            organisation=target.organisation,
            roles=[Role.OFFICER],
            force_wide=False,
            counties=[county(CARMARTHENSHIRE)],
        ),
    )
    response = client.post(f"/users/{target.pk}/edit/", {**opened, "first_name": "Mine"})
    assert response.status_code == 200
    assert b"Someone else changed this record while you were editing it" in response.content
    target.refresh_from_db()
    assert target.first_name == "Changed-by-other"
    assert target.version == 2


def test_user_edit_saves_with_the_current_version(people: dict[str, User]) -> None:
    target = people["officer_carms"]
    client = sign_in_client(people["admin"])
    response = client.post(
        f"/users/{target.pk}/edit/",
        {**user_form_data(target), "first_name": "Renamed", "username": "ignored-change"},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.first_name == "Renamed"
    assert target.username != "ignored-change"  # the username cannot be changed
    assert target.version == 2


def test_administrator_cannot_act_on_their_own_account(people: dict[str, User]) -> None:
    admin = people["admin"]
    client = sign_in_client(admin)
    response = client.post(f"/users/{admin.pk}/deactivate/", {"version": "1"}, follow=True)
    assert b"You cannot do this to your own account" in response.content
    admin.refresh_from_db()
    assert admin.is_active


def test_unknown_user_action_is_refused(people: dict[str, User]) -> None:
    client = sign_in_client(people["admin"])
    response = client.post(f"/users/{people['officer_carms'].pk}/promote/")
    assert response.status_code == 403


def test_reset_authenticator_through_the_page(people: dict[str, User]) -> None:
    target = UserFactory(
        roles=[Role.OFFICER],
        organisation=people["admin"].organisation,
        counties=[CARMARTHENSHIRE],
        with_device=True,
    )
    client = sign_in_client(people["admin"])
    assert b"Reset authenticator" in client.get(f"/users/{target.pk}/").content
    response = client.post(f"/users/{target.pk}/reset-mfa/")
    assert response.status_code == 302
    assert not target.totpdevice_set.exists()


def test_organisation_create_and_edit(people: dict[str, User]) -> None:
    client = sign_in_client(people["admin"])
    assert client.get("/organisations/new/").status_code == 200
    response = client.post(
        "/organisations/new/",
        {
            "name": "Ceredigion Recovery",
            "name_cy": "Adferiad Ceredigion",
            "kind": "provider",
            "counties": [county(CEREDIGION).pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/organisations/"
    org = Organisation.objects.get(name="Ceredigion Recovery")
    assert org.kind == "provider"
    assert list(org.counties.all()) == [county(CEREDIGION)]
    assert b"Ceredigion Recovery" in client.get("/organisations/").content

    edit_url = f"/organisations/{org.pk}/edit/"
    assert client.get(edit_url).status_code == 200
    response = client.post(
        edit_url,
        {
            "name": "Ceredigion Recovery Service",
            "name_cy": "Gwasanaeth Adferiad Ceredigion",
            "kind": "provider",
            "counties": [county(CEREDIGION).pk, county(POWYS).pk],
            "is_active": "on",
            "version": "1",
        },
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name == "Ceredigion Recovery Service"
    assert org.version == 2
    assert set(org.counties.values_list("ons_code", flat=True)) == {CEREDIGION, POWYS}

    stale = client.post(
        edit_url,
        {
            "name": "Stale",
            "name_cy": "Stale",
            "kind": "provider",
            "version": "1",
            "is_active": "on",
        },
    )
    assert stale.status_code == 200
    assert b"Someone else changed this record" in stale.content
    org.refresh_from_db()
    assert org.name == "Ceredigion Recovery Service"
    actions = list(
        AuditEvent.objects.filter(object_type="accounts.organisation", object_id=str(org.pk))
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == [AuditAction.CREATE, AuditAction.UPDATE]


def test_organisation_duplicate_name_is_refused(people: dict[str, User]) -> None:
    client = sign_in_client(people["admin"])
    response = client.post(
        "/organisations/new/", {"name": "provider alpha", "name_cy": "x", "kind": "provider"}
    )
    assert response.status_code == 200
    assert b"An organisation with this name already exists" in response.content
    assert Organisation.objects.filter(name__iexact="provider alpha").count() == 1


def test_county_admin_cannot_edit_organisations(
    people: dict[str, User], orgs: dict[str, Organisation]
) -> None:
    client = sign_in_client(people["county_admin"])
    assert client.get("/organisations/").status_code == 200
    assert client.get(f"/organisations/{orgs['a'].pk}/edit/").status_code == 404
    response = client.post(
        "/organisations/new/", {"name": "Rogue", "name_cy": "Rogue", "kind": "provider"}
    )
    assert response.status_code in (403, 200)
    assert not Organisation.objects.filter(name="Rogue").exists()


def test_county_reference_data_edit(people: dict[str, User]) -> None:
    client = sign_in_client(people["admin"])
    powys = county(POWYS)
    assert b"Powys" in client.get("/reference/counties/").content
    url = reverse("core:county-edit", args=[powys.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "label_en": "Powys",
            "label_cy": "Powys (cy)",
            "valid_from_0": "1",
            "valid_from_1": "4",
            "valid_from_2": "1996",
            "version": "1",
        },
    )
    assert response.status_code == 302
    powys = County.objects.get(pk=powys.pk)
    assert powys.label_cy == "Powys (cy)"
    assert str(powys.valid_from) == "1996-04-01"
    assert powys.version == 2
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="core.county")
    assert event.change.after["label_cy"] == "Powys (cy)"
    bad = client.post(
        url,
        {
            "label_en": "Powys",
            "label_cy": "Powys",
            "valid_from_0": "31",
            "valid_from_1": "2",
            "valid_from_2": "2026",
            "version": "2",
        },
    )
    assert bad.status_code == 200
    assert b"The date must be a real date" in bad.content


def test_forgot_password_does_not_reveal_accounts(
    people: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        known = Client().post("/forgot-password/", {"email": people["officer_carms"].email.upper()})
        unknown = Client().post("/forgot-password/", {"email": "nobody@nowhere.example"})
    assert known.status_code == unknown.status_code == 200
    main = lambda r: r.content.decode().split("<main", 1)[1]  # noqa: E731
    assert main(known) == main(unknown)
    notes = list(Notification.objects.all())
    assert [n.template for n in notes] == ["password_reset"]
    assert notes[0].recipient_user_id == people["officer_carms"].pk
    assert notes[0].status == Notification.Status.RECORDED_LOCALLY
