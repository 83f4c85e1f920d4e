"""Signing in with a password and a security code, lockout, enrolment and session endings."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone, translation
from django.utils.html import escape
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.conftest import sign_in_client
from tests.factories import CARMARTHENSHIRE, PASSWORD, UserFactory, current_code

from pontio.accounts.events import AccountEvent
from pontio.accounts.roles import Role
from pontio.audit.models import AuditEvent
from pontio.core.recording import AuditAction

pytestmark = pytest.mark.django_db

SESSION_COOKIE = "pontio_session"


@pytest.fixture
def officer() -> Any:
    return UserFactory(
        roles=[Role.OFFICER],
        counties=[CARMARTHENSHIRE],
        preferred_language="cy",
        with_device=True,
    )


@pytest.fixture
def admin() -> Any:
    return UserFactory(roles=[Role.ADMINISTRATOR], force_wide=True, with_device=True)


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("sequence"))


def password_step(
    client: Client, username: str, password: str = PASSWORD, next_url: str = ""
) -> Any:
    url = "/sign-in/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": username, "password": password})


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


SESSION_ENDED = (
    "Your session has ended, either because it was not used for a while or "
    "because you signed out on another device. Sign in again."
)


def in_language(text: str, language: str) -> bytes:
    """The message as the page shows it in that language (whatever the catalogue holds)."""
    with translation.override(language):
        return escape(translation.gettext(text)).encode()


def wrong_code(device: TOTPDevice) -> str:
    right = {totp(bytes.fromhex(device.key), drift=d) for d in (-1, 0, 1)}
    candidate = 0
    while candidate in right:
        candidate += 1
    return f"{candidate:06d}"


# --- the happy path ---------------------------------------------------------------------------


def test_sign_in_needs_password_then_code(officer: Any) -> None:
    client = Client()
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=%2Faccount%2F"

    response = password_step(client, officer.username, next_url="/account/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/code/"
    assert not is_signed_in(client)  # the password alone does not sign in
    assert client.get("/account/").status_code == 302  # nor open pages

    page = client.get("/sign-in/code/")
    assert page.status_code == 200
    assert b"Security code" in page.content

    device = TOTPDevice.objects.get(user=officer)
    response = client.post("/sign-in/code/", {"code": current_code(device)})
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    assert is_signed_in(client)
    assert client.session["otp_device_id"] == device.persistent_id
    # The user's language preference becomes the browser's language.
    assert response.cookies["pontio_language"].value == "cy"

    page = client.get("/account/")
    assert page.status_code == 200
    assert b'<html lang="cy"' in page.content

    signed_in = events(AccountEvent.SIGN_IN)
    assert len(signed_in) == 1
    assert signed_in[0].actor_id == officer.pk
    assert signed_in[0].object_id == str(officer.pk)
    assert signed_in[0].object_type == "accounts.user"


def test_english_user_gets_english_cookie(make_user: Any) -> None:
    user = make_user(roles=[Role.OFFICER], counties=[CARMARTHENSHIRE], preferred_language="en")
    client = Client()
    password_step(client, user.username)
    response = client.post("/sign-in/code/", {"code": current_code(user.totpdevice_set.get())})
    assert response.cookies["pontio_language"].value == "en"


# --- the language chosen on the sign-in page ---------------------------------------------


def _sign_in_with_code(client: Client, user: Any) -> Any:
    password_step(client, user.username)
    return client.post("/sign-in/code/", {"code": current_code(user.totpdevice_set.get())})


def test_a_language_chosen_on_the_sign_in_page_is_kept_after_sign_in(make_user: Any) -> None:
    """Everyone once landed in their account's language, whatever they chose on the page."""
    user = make_user(roles=[Role.OFFICER], counties=[CARMARTHENSHIRE], preferred_language="en")
    client = Client()
    client.get("/language/cy/?next=/sign-in/")
    response = _sign_in_with_code(client, user)
    assert response.cookies["pontio_language"].value == "cy"
    page = client.get("/").content.decode()
    assert '<html lang="cy"' in page
    # The page offers to keep Welsh for every sign-in.
    assert 'name="preferred_language" value="cy"' in page
    user.refresh_from_db()
    assert user.preferred_language == "en"  # nothing saved until the user says so


def test_the_offer_saves_the_language_to_the_account_and_returns_to_the_page(
    make_user: Any,
) -> None:
    user = make_user(roles=[Role.OFFICER], counties=[CARMARTHENSHIRE], preferred_language="en")
    client = Client()
    client.get("/language/cy/?next=/sign-in/")
    _sign_in_with_code(client, user)
    response = client.post(
        "/account/", {"preferred_language": "cy", "next": "/directory/"}, follow=False
    )
    assert response.status_code == 302 and response["Location"] == "/directory/"
    user.refresh_from_db()
    assert user.preferred_language == "cy"
    page = client.get("/directory/").content.decode()
    assert 'name="preferred_language" value="cy"' not in page


def test_without_a_choice_on_the_page_the_account_language_wins_over_an_earlier_user(
    officer: Any, make_user: Any
) -> None:
    """A shared computer: the last user read English; the Welsh-speaking officer who signs
    in next, without touching the switch, gets Welsh."""
    earlier = make_user(roles=[Role.OFFICER], counties=[CARMARTHENSHIRE], preferred_language="en")
    client = Client()
    _sign_in_with_code(client, earlier)
    client.post("/sign-out/")
    response = _sign_in_with_code(client, officer)
    assert response.cookies["pontio_language"].value == "cy"
    page = client.get("/").content.decode()
    assert '<html lang="cy"' in page
    assert 'name="preferred_language"' not in page


def test_the_offer_is_not_made_to_someone_reading_their_own_language(officer: Any) -> None:
    client = sign_in_client(officer)
    assert 'name="preferred_language"' not in client.get("/").content.decode()


def test_session_key_changes_at_the_password_step(officer: Any) -> None:
    client = Client()
    client.get("/sign-in/")
    session = client.session
    session["probe"] = 1
    session.save()
    before = client.cookies[SESSION_COOKIE].value
    password_step(client, officer.username)
    assert client.cookies[SESSION_COOKIE].value != before


def test_next_pointing_elsewhere_is_ignored(officer: Any) -> None:
    client = Client()
    password_step(client, officer.username, next_url="https://evil.example/steal")
    response = client.post("/sign-in/code/", {"code": current_code(officer.totpdevice_set.get())})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_signed_in_user_visiting_sign_in_goes_home(officer: Any) -> None:
    client = sign_in_client(officer)
    response = client.get("/sign-in/")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_code_step_times_out(officer: Any, settings: Any) -> None:
    client = Client()
    password_step(client, officer.username)
    session = client.session
    started = timezone.now() - dt.timedelta(minutes=settings.PONTIO_SIGN_IN_STEP_MINUTES + 1)
    session["pontio_pending_at"] = started.isoformat()
    session.save()
    response = client.post(
        "/sign-in/code/", {"code": current_code(officer.totpdevice_set.get())}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/sign-in/"
    assert b"Your sign-in timed out" in response.content
    assert not is_signed_in(client)
    assert not events(AccountEvent.SIGN_IN)


def test_code_page_without_a_password_goes_back_to_sign_in() -> None:
    response = Client().post("/sign-in/code/", {"code": "123456"})
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/"


# --- wrong password, lockout, unlock ----------------------------------------------------------


def test_wrong_password_is_refused_and_audited(officer: Any) -> None:
    client = Client()
    response = password_step(client, officer.username, "not-the-password")
    assert response.status_code == 200
    assert b"Enter a correct username and password" in response.content
    assert not is_signed_in(client)
    assert "pontio_pending_user" not in client.session
    failed = events(AccountEvent.SIGN_IN_FAILED)
    assert len(failed) == 1
    assert failed[0].object_id == str(officer.pk)
    assert failed[0].actor_id is None
    assert officer.username not in failed[0].reason


def test_unknown_username_is_audited_without_the_name(db: Any) -> None:
    response = password_step(Client(), "ghost.account", "whatever-password")
    assert response.status_code == 200
    assert b"Enter a correct username and password" in response.content
    failed = events(AccountEvent.SIGN_IN_FAILED)
    assert len(failed) == 1
    assert failed[0].reason == "unknown account"
    assert failed[0].object_id == ""
    for event in AuditEvent.objects.all():
        for field in AuditEvent._meta.concrete_fields:
            assert "ghost" not in str(getattr(event, field.name))


def test_closed_account_cannot_sign_in(officer: Any) -> None:
    officer.is_active = False
    officer.save()
    client = Client()
    response = password_step(client, officer.username)
    assert response.status_code == 200
    assert "pontio_pending_user" not in client.session
    assert events(AccountEvent.SIGN_IN_FAILED)


def lock_out(client: Client, username: str, limit: int) -> Any:
    response = None
    for _ in range(limit):
        response = password_step(client, username, "wrong-password-again")
    return response


def test_five_wrong_passwords_lock_the_account(officer: Any, settings: Any) -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    client = Client()
    for _ in range(4):
        response = password_step(client, officer.username, "wrong-password-again")
        assert response.status_code == 200
        assert b"Enter a correct username and password" in response.content
    response = password_step(client, officer.username, "wrong-password-again")
    assert response.status_code in (200, 403)
    assert b"locked" in response.content
    assert len(events(AccountEvent.SIGN_IN_FAILED)) == 4
    assert len(events(AccountEvent.LOCKED_OUT)) == 1
    assert events(AccountEvent.LOCKED_OUT)[0].object_id == str(officer.pk)

    # The right password is now refused too, from any browser.
    for other in (client, Client()):
        response = password_step(other, officer.username, PASSWORD)
        assert response.status_code in (200, 403)
        assert b"locked" in response.content
        assert response.get("Location") != "/sign-in/code/"
        assert "pontio_pending_user" not in other.session
        assert not is_signed_in(other)
    assert len(events(AccountEvent.LOCKED_OUT)) == 3


def test_administrator_unlocks_a_locked_account(officer: Any, admin: Any) -> None:
    lock_out(Client(), officer.username, 5)
    assert b"locked" in password_step(Client(), officer.username).content

    admin_client = sign_in_client(admin)
    detail = admin_client.get(f"/users/{officer.pk}/")
    assert detail.status_code == 200
    assert b"Locked out" in detail.content
    response = admin_client.post(f"/users/{officer.pk}/unlock/")
    assert response.status_code == 302
    assert response["Location"] == f"/users/{officer.pk}/"
    assert b"Locked out" not in admin_client.get(f"/users/{officer.pk}/").content

    unlock = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(officer.pk)).get()
    assert unlock.actor_id == admin.pk
    assert unlock.change.before == {"locked": True}
    assert unlock.change.after == {"locked": False}

    client = Client()
    response = password_step(client, officer.username)
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/code/"


def test_only_a_user_administrator_can_unlock(officer: Any) -> None:
    lock_out(Client(), officer.username, 5)
    manager = UserFactory(roles=[Role.PROVIDER_MANAGER], counties=[CARMARTHENSHIRE])
    response = sign_in_client(manager).post(f"/users/{officer.pk}/unlock/")
    assert response.status_code == 403
    assert b"locked" in password_step(Client(), officer.username).content


# --- second factor ----------------------------------------------------------------------------


def test_wrong_code_is_refused_and_audited(officer: Any) -> None:
    client = Client()
    password_step(client, officer.username)
    device = officer.totpdevice_set.get()
    response = client.post("/sign-in/code/", {"code": wrong_code(device)})
    assert response.status_code == 200
    assert b"The security code is not correct" in response.content
    assert not is_signed_in(client)
    failed = events(AccountEvent.MFA_FAILED)
    assert len(failed) == 1
    assert failed[0].object_id == str(officer.pk)
    assert not events(AccountEvent.SIGN_IN)


def test_code_must_be_six_digits(officer: Any) -> None:
    client = Client()
    password_step(client, officer.username)
    response = client.post("/sign-in/code/", {"code": "12ab"})
    assert response.status_code == 200
    assert b"The security code must be 6 digits" in response.content
    assert not is_signed_in(client)


def test_a_code_cannot_be_used_twice(officer: Any) -> None:
    device = officer.totpdevice_set.get()
    code = current_code(device)
    first = Client()
    password_step(first, officer.username)
    assert first.post("/sign-in/code/", {"code": code}).status_code == 302
    second = Client()
    password_step(second, officer.username)
    response = second.post("/sign-in/code/", {"code": code})
    assert response.status_code == 200
    assert not is_signed_in(second)


def test_enrolment_for_a_user_without_an_authenticator(make_user: Any) -> None:
    user = make_user(roles=[Role.OFFICER], counties=[CARMARTHENSHIRE], with_device=False)
    client = Client()
    response = password_step(client, user.username)
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/set-up-code/"
    # The code page sends them to set-up as well.
    assert client.get("/sign-in/code/")["Location"] == "/sign-in/set-up-code/"

    page = client.get("/sign-in/set-up-code/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    html = page.content.decode()
    assert "<svg" in html
    secret = base64.b32encode(bytes.fromhex(device.key)).decode()
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    assert grouped in html
    # Reloading the page keeps the same key.
    client.get("/sign-in/set-up-code/")
    assert TOTPDevice.objects.get(user=user).key == device.key

    response = client.post("/sign-in/set-up-code/", {"code": current_code(device)})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert is_signed_in(client)
    device.refresh_from_db()
    assert device.confirmed
    enrolled = events(AccountEvent.MFA_ENROLLED)
    assert len(enrolled) == 1
    assert enrolled[0].object_id == str(user.pk)
    assert len(events(AccountEvent.SIGN_IN)) == 1
    assert b"Your authenticator app is set up" in client.get("/").content


def test_enrolment_with_a_wrong_code(make_user: Any) -> None:
    user = make_user(roles=[Role.OFFICER], counties=[CARMARTHENSHIRE], with_device=False)
    client = Client()
    password_step(client, user.username)
    client.get("/sign-in/set-up-code/")
    device = TOTPDevice.objects.get(user=user)
    response = client.post("/sign-in/set-up-code/", {"code": wrong_code(device)})
    assert response.status_code == 200
    assert b"The security code is not correct" in response.content
    assert not is_signed_in(client)
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    assert events(AccountEvent.MFA_FAILED)
    assert not events(AccountEvent.MFA_ENROLLED)


def test_enrolled_user_cannot_reach_set_up_again(officer: Any) -> None:
    client = Client()
    password_step(client, officer.username)
    response = client.get("/sign-in/set-up-code/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/code/"
    assert TOTPDevice.objects.filter(user=officer).count() == 1


# --- sessions ending --------------------------------------------------------------------------


def test_expired_session_is_explained_and_audited(officer: Any) -> None:
    client = sign_in_client(officer)
    assert client.get("/account/").status_code == 200
    Session.objects.all().delete()  # the idle timeout removed the session

    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=%2Faccount%2F"
    page = client.get(response["Location"])
    assert b'<html lang="cy"' in page.content  # the officer's language, from the cookie
    assert in_language(SESSION_ENDED, "cy") in page.content
    expired = events(AccountEvent.SESSION_EXPIRED)
    assert len(expired) == 1
    assert expired[0].object_id == str(officer.pk)
    # Told once only.
    client.get("/account/")
    assert len(events(AccountEvent.SESSION_EXPIRED)) == 1


def test_idle_session_past_its_expiry_date_is_ended(officer: Any) -> None:
    client = sign_in_client(officer)
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
    assert len(events(AccountEvent.SESSION_EXPIRED)) == 1


def test_sessions_end_after_the_absolute_limit(officer: Any, settings: Any) -> None:
    assert settings.PONTIO_SESSION_ABSOLUTE_HOURS == 12
    client = sign_in_client(officer)
    session = client.session
    session["pontio_signed_in_at"] = (timezone.now() - dt.timedelta(hours=11)).isoformat()
    session.save()
    assert client.get("/account/").status_code == 200  # still within the limit

    session = client.session
    session["pontio_signed_in_at"] = (timezone.now() - dt.timedelta(hours=13)).isoformat()
    session.save()
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=%2Faccount%2F"
    assert not is_signed_in(client)
    expired = events(AccountEvent.SESSION_EXPIRED)
    assert [e.object_id for e in expired] == [str(officer.pk)]
    assert in_language(SESSION_ENDED, "cy") in client.get(response["Location"]).content


def test_sign_out_is_not_reported_as_expiry(officer: Any) -> None:
    client = sign_in_client(officer)
    response = client.post("/sign-out/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/"
    assert not is_signed_in(client)
    assert client.get("/account/").status_code == 302
    assert len(events(AccountEvent.SIGN_OUT)) == 1
    assert not events(AccountEvent.SESSION_EXPIRED)


def test_sign_out_needs_post(officer: Any) -> None:
    client = sign_in_client(officer)
    assert client.get("/sign-out/").status_code == 405
    assert client.get("/account/").status_code == 200


def test_sign_out_everywhere_ends_other_sessions(officer: Any) -> None:
    laptop = sign_in_client(officer)
    phone = sign_in_client(officer)
    assert phone.get("/account/").status_code == 200

    response = laptop.post("/account/sign-out-everywhere/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/"

    for client in (laptop, phone):
        response = client.get("/account/")
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/")
        assert not is_signed_in(client)
    assert len(events(AccountEvent.SIGN_OUT_EVERYWHERE)) == 1
    # The user can sign in again afterwards.
    assert sign_in_client(officer).get("/account/").status_code == 200


def test_closing_an_account_ends_its_sessions(officer: Any, admin: Any) -> None:
    client = sign_in_client(officer)
    admin_client = sign_in_client(admin)
    response = admin_client.post(f"/users/{officer.pk}/deactivate/", {"version": "1"})
    assert response.status_code == 302
    assert client.get("/account/").status_code == 302
    # Reopening the account does not bring the old session back.
    response = admin_client.post(f"/users/{officer.pk}/activate/", {"version": "2"})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.is_active
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
