"""Sign-in, account settings, user and organisation administration, break-glass requests.

Views parse input and render; the rules live in ``services`` and ``scopes``.
"""

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
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
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
    BreakGlassForm,
    CodeForm,
    ForgotPasswordForm,
    LanguageForm,
    OrganisationForm,
    SignInForm,
    UserFilterForm,
    UserForm,
)
from pontio.accounts.middleware import clear_marker, set_marker
from pontio.accounts.models import BreakGlassGrant, Organisation, User
from pontio.audit.services import AuditContext, audit_request
from pontio.core.access import permission_required, scoped_get
from pontio.core.concurrency import StaleVersionError
from pontio.core.i18n import set_language_cookie
from pontio.core.permissions import has_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import may_break_glass, registered_models, restrict

SESSION_NEXT = "pontio_next"
WRONG_CREDENTIALS = (
    "Enter a correct username and password. After %(limit)s wrong attempts the account is "
    "locked for %(minutes)s minutes."
)


def _safe_next(request: HttpRequest, target: str | None) -> str:
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


# --- sign-in ---------------------------------------------------------------------------


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
            request.session[SESSION_NEXT] = _safe_next(request, request.GET.get("next"))
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
    services.sign_in_complete(request=request, user=user, device=device)
    response = HttpResponseRedirect(_safe_next(request, target))
    set_language_cookie(response, user.preferred_language)
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


# --- your account ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = LanguageForm(
        request.POST or None, initial={"preferred_language": user.preferred_language}
    )
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["preferred_language"]
        services.account_set_language(request=request, language=language)
        response = HttpResponseRedirect(reverse("accounts:account"))
        set_language_cookie(response, language)
        messages.success(request, _("Your language preference has been saved."))
        return response
    return render(
        request,
        "accounts/account.html",
        {"form": form, "crumbs": [(_("Your account"), None)], "roles": _role_labels(user)},
    )


@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    services.sign_out_everywhere(request=request)
    messages.success(request, _("You have been signed out on every device."))
    response = HttpResponseRedirect(reverse("accounts:sign-in"))
    clear_marker(response)
    return response


def _role_labels(user: User) -> list[str]:
    from pontio.accounts.roles import Role

    return [str(Role(r).label) for r in sorted(user.role_set) if r in Role.values]


# --- user administration ---------------------------------------------------------------


@permission_required("accounts.view_team")
def user_list(request: HttpRequest) -> HttpResponse:
    organisations = restrict(Organisation.objects.all(), request.user, "view")
    filters = UserFilterForm(request.GET or None, organisations=organisations)
    users = restrict(User.objects.all(), request.user, "view").select_related("organisation")
    if filters.is_valid():
        if filters.cleaned_data["role"]:
            users = users.filter(role_grants__role=filters.cleaned_data["role"])
        if filters.cleaned_data["organisation"]:
            users = users.filter(organisation=filters.cleaned_data["organisation"])
    users = users.annotate(
        confirmed_devices=Count("totpdevice", filter=Q(totpdevice__confirmed=True))
    ).order_by("last_name", "first_name", "pk")
    page = Paginator(users, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": page,
            "filters": filters,
            "may_manage": has_permission(request.user, "accounts.manage_users"),
            "crumbs": [(_("Users"), None)],
        },
    )


@permission_required("accounts.view_team")
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    subject = scoped_get(request, User.objects.select_related("organisation"), pk)
    may_change = restrict(User.objects.filter(pk=pk), request.user, "change").exists() and (
        has_permission(request.user, "accounts.manage_users")
    )
    context = {
        "subject": subject,
        "roles": _role_labels(subject),
        "counties": subject.counties.all(),
        "mfa_set_up": services.confirmed_device(subject) is not None,
        "locked": services.user_is_locked_out(subject),
        "password_set": subject.has_usable_password(),
        "may_change": may_change,
        "crumbs": [(_("Users"), reverse("accounts:user-list")), (str(subject), None)],
    }
    return render(request, "accounts/user_detail.html", context)


def _user_form_page(request: HttpRequest, form: UserForm, subject: User | None) -> HttpResponse:
    crumbs: list[tuple[str, str | None]] = [(_("Users"), reverse("accounts:user-list"))]
    if subject is not None:
        crumbs.append((str(subject), reverse("accounts:user-detail", args=[subject.pk])))
    crumbs.append((_("Change user") if subject else _("Add a user"), None))
    return render(
        request, "accounts/user_form.html", {"form": form, "subject": subject, "crumbs": crumbs}
    )


@permission_required("accounts.manage_users")
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    organisations = restrict(Organisation.objects.all(), request.user, "view")
    form = UserForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(
                context=AuditContext.from_request(request),
                actor=request.user,  # type: ignore[arg-type]
                data=form.to_data(),
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(
                request,
                _("The account has been created. An invitation to set a password has been queued."),
            )
            return HttpResponseRedirect(reverse("accounts:user-detail", args=[user.pk]))
    return _user_form_page(request, form, None)


@permission_required("accounts.manage_users")
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    subject = scoped_get(request, User.objects.all(), pk, "change", audit_read=False)
    organisations = restrict(Organisation.objects.all(), request.user, "view")
    form = UserForm(
        request.POST or None,
        organisations=organisations,
        editing=True,
        initial=UserForm.initial_for(subject),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(
                context=AuditContext.from_request(request),
                actor=request.user,  # type: ignore[arg-type]
                user_id=subject.pk,
                expected_version=form.cleaned_data["version"],
                data=form.to_data(),
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(request, _("The account has been updated."))
            return HttpResponseRedirect(reverse("accounts:user-detail", args=[subject.pk]))
    return _user_form_page(request, form, subject)


USER_ACTIONS = {"deactivate", "activate", "reset-mfa", "unlock"}


@permission_required("accounts.manage_users")
@require_POST
def user_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in USER_ACTIONS:
        raise PermissionDenied(action)
    subject = scoped_get(request, User.objects.all(), pk, "change", audit_read=False)
    context = AuditContext.from_request(request)
    actor: User = request.user  # type: ignore[assignment]
    if subject.pk == actor.pk:
        messages.info(request, _("You cannot do this to your own account."))
        return HttpResponseRedirect(reverse("accounts:user-detail", args=[pk]))
    try:
        version = int(request.POST.get("version", "0"))
    except ValueError:
        version = 0
    try:
        if action in {"deactivate", "activate"}:
            services.user_set_active(
                context=context,
                actor=actor,
                user_id=pk,
                active=action == "activate",
                expected_version=version,
            )
            done = (
                _("The account is active.")
                if action == "activate"
                else _("The account is closed and its sessions have ended.")
            )
        elif action == "reset-mfa":
            services.user_reset_mfa(context=context, actor=actor, user_id=pk)
            done = _(
                "Their authenticator has been removed. "
                "They will set up a new one when they next sign in."
            )
        else:
            services.user_unlock(context=context, actor=actor, user_id=pk)
            done = _("The account has been unlocked.")
    except StaleVersionError as error:
        messages.info(request, error.messages[0])
    else:
        messages.success(request, done)
    return HttpResponseRedirect(reverse("accounts:user-detail", args=[pk]))


# --- organisations ---------------------------------------------------------------------


@permission_required("accounts.manage_organisations")
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = (
        restrict(Organisation.objects.all(), request.user, "view")
        .annotate(user_count=Count("users"))
        .prefetch_related("counties")
    )
    return render(
        request,
        "accounts/organisation_list.html",
        {
            "organisations": organisations,
            "may_create": restrict(Organisation.objects.all(), request.user, "change").exists(),
            "crumbs": [(_("Organisations"), None)],
        },
    )


def _organisation_form_page(
    request: HttpRequest, form: OrganisationForm, org: Organisation | None
) -> HttpResponse:
    crumbs = [
        (_("Organisations"), reverse("accounts:organisation-list")),
        (org.display_name if org else _("Add an organisation"), None),
    ]
    return render(
        request, "accounts/organisation_form.html", {"form": form, "org": org, "crumbs": crumbs}
    )


@permission_required("accounts.manage_organisations")
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_create(
                context=AuditContext.from_request(request),
                actor=request.user,  # type: ignore[arg-type]
                data=form.to_data(),
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(request, _("The organisation has been added."))
            return HttpResponseRedirect(reverse("accounts:organisation-list"))
    return _organisation_form_page(request, form, None)


@permission_required("accounts.manage_organisations")
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = scoped_get(request, Organisation.objects.all(), pk, "change", audit_read=False)
    form = OrganisationForm(
        request.POST or None, editing=True, initial=OrganisationForm.initial_for(org)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                context=AuditContext.from_request(request),
                actor=request.user,  # type: ignore[arg-type]
                organisation_id=org.pk,
                expected_version=form.cleaned_data["version"],
                data=form.to_data(),
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(request, _("The organisation has been updated."))
            return HttpResponseRedirect(reverse("accounts:organisation-list"))
    return _organisation_form_page(request, form, org)


# --- break-glass -----------------------------------------------------------------------


def _model_for(label: str) -> Any:
    for model in registered_models():
        if model._meta.label_lower == label:
            return model
    return None


@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest, model_label: str, pk: str) -> HttpResponse:
    """Ask for time-limited access to one record outside the user's scope, with a reason."""
    model = _model_for(model_label)
    if model is None or not may_break_glass(request.user, model):
        raise PermissionDenied(model_label)
    form = BreakGlassForm(request.POST or None)
    target = _safe_next(request, request.GET.get("next"))
    if request.method == "POST" and form.is_valid():
        try:
            services.break_glass_grant(
                request=request, model=model, object_id=pk, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(
                request, _("Access granted for 8 hours. Your reason has been recorded.")
            )
            return HttpResponseRedirect(target)
    return render(request, "accounts/break_glass.html", {"form": form})


@permission_required("audit.view_log")
def break_glass_list(request: HttpRequest) -> HttpResponse:
    """For auditors: every break-glass grant, with the reason given."""
    grants = (
        restrict(BreakGlassGrant.objects.all(), request.user, "view")
        .select_related("content_type")
        .order_by("-granted_at")
    )
    page = Paginator(grants, 50).get_page(request.GET.get("page"))
    audit_request(request, AuditAction.READ, object_type="accounts.breakglassgrant")
    return render(
        request,
        "accounts/break_glass_list.html",
        {
            "page": page,
            "crumbs": [
                (_("Audit log"), reverse("audit:event-list")),
                (_("Break-glass access"), None),
            ],
        },
    )
