"""Sign-in in two steps (password, then the security code), set-up of the code, sign-out,
forgotten passwords."""

from __future__ import annotations

import base64
from io import BytesIO
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from pontio.accounts import services
from pontio.accounts.forms import (
    CodeForm,
    ForgotPasswordForm,
    SignInForm,
)
from pontio.accounts.middleware import clear_marker, set_marker
from pontio.accounts.models import User
from pontio.audit.services import audit_request
from pontio.core.i18n import CHOSEN_BEFORE_SIGN_IN_COOKIE, set_language_cookie
from pontio.core.recording import AuditAction

SESSION_NEXT = "pontio_next"
WRONG_CREDENTIALS = (
    "Enter a correct username and password. After %(limit)s wrong attempts the account is "
    "locked for %(minutes)s minutes."
)


def safe_next(request: HttpRequest, target: str | None) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("core:home")


def _locked_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _(
        "This account is locked because of too many wrong passwords. Try again in "
        "%(minutes)s minutes, or ask your administrator to unlock it."
    ) % {"minutes": minutes}


@login_not_required
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.user.is_verified():  # type: ignore[attr-defined]
        return HttpResponseRedirect(reverse("core:home"))
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = services.sign_in_check_password(
            request=request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if check.locked_out:
            form.add_error(None, _locked_message())
        elif check.user is None:
            minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
            form.add_error(
                None,
                _(WRONG_CREDENTIALS) % {"limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes},
            )
        else:
            services.sign_in_begin_second_step(request=request, user=check.user)
            request.session[SESSION_NEXT] = safe_next(request, request.GET.get("next"))
            if services.confirmed_device(check.user) is None:
                return HttpResponseRedirect(reverse("accounts:set-up-code"))
            return HttpResponseRedirect(reverse("accounts:code"))
    return render(request, "accounts/sign_in.html", {"form": form})


def lockout_response(
    request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes calls this when a failed attempt has just locked the account."""
    form = SignInForm(request.POST or None)
    form.is_valid()
    form.add_error(None, _locked_message())
    return render(request, "accounts/sign_in.html", {"form": form}, status=403)


def _pending_or_restart(request: HttpRequest) -> User | HttpResponse:
    user = services.sign_in_pending_user(request, settings.PONTIO_SIGN_IN_STEP_MINUTES)
    if user is None:
        messages.info(request, _("Your sign-in timed out. Enter your username and password again."))
        return HttpResponseRedirect(reverse("accounts:sign-in"))
    return user


def _finish_sign_in(request: HttpRequest, user: User, device: TOTPDevice) -> HttpResponse:
    target = request.session.get(SESSION_NEXT)
    language = services.sign_in_complete(request=request, user=user, device=device)
    response = HttpResponseRedirect(safe_next(request, target))
    set_language_cookie(response, language)
    response.delete_cookie(CHOSEN_BEFORE_SIGN_IN_COOKIE)
    set_marker(response, user.pk)
    return response


@login_not_required
@require_http_methods(["GET", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponse:
    pending = _pending_or_restart(request)
    if isinstance(pending, HttpResponse):
        return pending
    if services.confirmed_device(pending) is None:
        return HttpResponseRedirect(reverse("accounts:set-up-code"))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.mfa_verify(request=request, user=pending, token=form.cleaned_data["code"])
        if device is not None:
            return _finish_sign_in(request, pending, device)
        form.add_error(
            "code", _("The security code is not correct or has expired. Enter the current code.")
        )
    return render(request, "accounts/code.html", {"form": form})


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


@login_not_required
@require_http_methods(["GET", "POST"])
def set_up_code(request: HttpRequest) -> HttpResponse:
    pending = _pending_or_restart(request)
    if isinstance(pending, HttpResponse):
        return pending
    if services.confirmed_device(pending) is not None:
        return HttpResponseRedirect(reverse("accounts:code"))
    device = services.mfa_enrolment_device(pending)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirmed = services.mfa_enrolment_confirm(
            request=request, user=pending, token=form.cleaned_data["code"]
        )
        if confirmed is not None:
            messages.success(request, _("Your authenticator app is set up."))
            return _finish_sign_in(request, pending, confirmed)
        form.add_error(
            "code", _("The security code is not correct. Check the app and enter the current code.")
        )
    secret = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        # The SVG is generated by qrcode from our own data: no user input reaches it.
        "qr_svg": mark_safe(_qr_svg(device.config_url)),  # noqa: S308
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }
    return render(request, "accounts/set_up_code.html", context)


@login_not_required
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    services.sign_out(request=request)
    messages.success(request, _("You have signed out."))
    response = HttpResponseRedirect(reverse("accounts:sign-in"))
    clear_marker(response)
    return response


@login_not_required
@require_http_methods(["GET", "POST"])
def forgot_password(request: HttpRequest) -> HttpResponse:
    form = ForgotPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_reset_request(email=form.cleaned_data["email"])
        # The same answer whether or not the address has an account.
        return render(request, "accounts/forgot_password_sent.html")
    return render(request, "accounts/forgot_password.html", {"form": form})


@method_decorator(login_not_required, name="dispatch")
class SetPasswordView(auth_views.PasswordResetConfirmView):
    """Set a password from an invitation or reset link (Django's token checks)."""

    template_name = "accounts/set_password.html"
    form_class = SetPasswordForm  # type: ignore[assignment]
    success_url = reverse_lazy("accounts:sign-in")
    reset_url_token = "set"  # noqa: S105 - a URL segment, not a secret

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        audit_request(
            self.request,
            AuditAction.UPDATE,
            obj=form.user,
            before={"password": "old"},
            after={"password": "new"},
        )
        messages.success(self.request, _("Your password has been set. You can now sign in."))
        return response
