"""Sign-in in two steps, the second factor, sign-out (here or everywhere), the account's
language, password-reset links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import login as django_login
from django.contrib.auth import logout as django_logout
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from pontio.accounts.events import AccountEvent
from pontio.accounts.models import (
    User,
    new_session_salt,
)
from pontio.accounts.selectors import confirmed_device
from pontio.audit.services import AuditContext, audit_record, audit_request
from pontio.core.i18n import CHOSEN_BEFORE_SIGN_IN_COOKIE
from pontio.core.recording import AuditAction

SESSION_SIGNED_IN_AT = "pontio_signed_in_at"
SESSION_PENDING_USER = "pontio_pending_user"
SESSION_PENDING_AT = "pontio_pending_at"


@dataclass(frozen=True)
class PasswordCheck:
    user: User | None
    locked_out: bool = False


def sign_in_check_password(*, request: HttpRequest, username: str, password: str) -> PasswordCheck:
    """First factor. Failures and lockouts are audited with the account id, never the name."""
    known = User.objects.filter(username__iexact=username).only("pk", "organisation_id").first()
    credentials = {"username": username}
    if not AxesProxyHandler.is_allowed(request, credentials):
        audit_request(
            request,
            AccountEvent.LOCKED_OUT,
            object_type="accounts.user",
            object_id=str(known.pk) if known else "",
        )
        return PasswordCheck(user=None, locked_out=True)
    user = authenticate(request, username=username, password=password)
    if user is None or not isinstance(user, User):
        locked_now = not AxesProxyHandler.is_allowed(request, credentials)
        audit_request(
            request,
            AccountEvent.LOCKED_OUT if locked_now else AccountEvent.SIGN_IN_FAILED,
            object_type="accounts.user",
            object_id=str(known.pk) if known else "",
            reason="" if known else "unknown account",
        )
        return PasswordCheck(user=None, locked_out=locked_now)
    return PasswordCheck(user=user)


def sign_in_begin_second_step(*, request: HttpRequest, user: User) -> None:
    """Remember, for a few minutes, whose password was right; the code comes next."""
    request.session.cycle_key()
    request.session[SESSION_PENDING_USER] = user.pk
    request.session[SESSION_PENDING_AT] = timezone.now().isoformat()


def sign_in_pending_user(request: HttpRequest, max_minutes: int) -> User | None:
    pk = request.session.get(SESSION_PENDING_USER)
    started = request.session.get(SESSION_PENDING_AT)
    if not pk or not started:
        return None
    started_at = datetime.fromisoformat(started)
    if timezone.now() - started_at > timedelta(minutes=max_minutes):
        request.session.pop(SESSION_PENDING_USER, None)
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


def mfa_verify(*, request: HttpRequest, user: User, token: str) -> TOTPDevice | None:
    """Second factor. django-otp throttles repeated wrong codes on the device."""
    device = confirmed_device(user)
    if device is not None and token and device.verify_token(token.strip().replace(" ", "")):
        return device
    audit_record(
        context=AuditContext.from_request(request),
        action=AccountEvent.MFA_FAILED,
        object_type="accounts.user",
        object_id=str(user.pk),
    )
    return None


def mfa_enrolment_device(user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator (created once, reused until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def mfa_enrolment_confirm(*, request: HttpRequest, user: User, token: str) -> TOTPDevice | None:
    device = mfa_enrolment_device(user)
    if not device.verify_token(token.strip().replace(" ", "")):
        audit_request(
            request, AccountEvent.MFA_FAILED, object_type="accounts.user", object_id=str(user.pk)
        )
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_request(
        request, AccountEvent.MFA_ENROLLED, object_type="accounts.user", object_id=str(user.pk)
    )
    return device


def sign_in_language(request: HttpRequest, user: User) -> str:
    """The language the session starts in: the one chosen on the sign-in page (its language
    switch leaves a short-lived cookie), otherwise the account's, whatever language an
    earlier user of the browser read. A page then offers to save a chosen language to the
    account (``core.context_processors.language_offer``)."""
    chosen = request.COOKIES.get(CHOSEN_BEFORE_SIGN_IN_COOKIE, "")
    return chosen if chosen in dict(settings.LANGUAGES) else user.preferred_language


@transaction.atomic
def sign_in_complete(*, request: HttpRequest, user: User, device: TOTPDevice) -> str:
    """Both factors passed: start the session in the chosen language (``sign_in_language``)
    and audit it. Returns the language."""
    request.session.pop(SESSION_PENDING_USER, None)
    request.session.pop(SESSION_PENDING_AT, None)
    django_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    otp_login(request, device)
    request.session[SESSION_SIGNED_IN_AT] = timezone.now().isoformat()
    language = sign_in_language(request, user)
    translation.activate(language)
    audit_request(request, AccountEvent.SIGN_IN, obj=user)
    return language


def sign_out(*, request: HttpRequest, reason: str = "") -> None:
    user = request.user
    if user.is_authenticated:
        audit_request(request, AccountEvent.SIGN_OUT, obj=user, reason=reason)
    django_logout(request)


@transaction.atomic
def sign_out_everywhere(*, request: HttpRequest) -> None:
    """End every session of this user on every device (including this one)."""
    user = User.objects.select_for_update().get(pk=request.user.pk or 0)
    user.session_salt = new_session_salt()
    user.save(update_fields=["session_salt"])
    audit_request(request, AccountEvent.SIGN_OUT_EVERYWHERE, obj=user)
    django_logout(request)


@transaction.atomic
def account_set_language(*, request: HttpRequest, language: str) -> User:
    if language not in User.Language.values:
        raise ValidationError(_("Choose English or Cymraeg."), code="invalid_language")
    user = User.objects.select_for_update().get(pk=request.user.pk or 0)
    before = {"preferred_language": user.preferred_language}
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    audit_request(
        request, AuditAction.UPDATE, obj=user, before=before, after={"preferred_language": language}
    )
    return user


def password_reset_request(*, email: str) -> None:
    """Queue a password link for an active account with this address (silently none else)."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        return
    from pontio.accounts.tasks import send_password_reset

    transaction.on_commit(lambda: send_password_reset.enqueue(user_id=user.pk))
