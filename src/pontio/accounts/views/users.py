"""User administration: list, detail, create, edit, and the actions on an account."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pontio.accounts import actions, selectors, services
from pontio.accounts.forms import (
    UserForm,
)
from pontio.accounts.models import Organisation, User
from pontio.audit.services import AuditContext
from pontio.core.access import permission_required, scoped_get
from pontio.core.concurrency import StaleVersionError
from pontio.core.permissions import has_permission
from pontio.core.scopes import restrict


def role_labels(user: User) -> list[str]:
    from pontio.accounts.roles import Role

    return [str(Role(r).label) for r in sorted(user.role_set) if r in Role.values]


@permission_required("accounts.view_team")
def user_list(request: HttpRequest) -> HttpResponse:
    filters, users = selectors.users_for(request.user, request.GET or None)
    page = Paginator(users, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": page,
            "filters": filters.form,
            "may_manage": has_permission(request.user, "accounts.manage_users"),
            "crumbs": [(_("Users"), None)],
        },
    )


@permission_required("accounts.view_team")
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    subject = scoped_get(request, User.objects.select_related("organisation"), pk)
    context = {
        "subject": subject,
        "roles": role_labels(subject),
        "counties": subject.counties.all(),
        "mfa_set_up": services.confirmed_device(subject) is not None,
        "locked": services.user_is_locked_out(subject),
        "password_set": subject.has_usable_password(),
        "actions": actions.actions_for(subject, request.user),
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


@permission_required("accounts.manage_users")
@require_POST
def user_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in actions.ACCOUNT_ACTIONS:
        raise PermissionDenied(action)
    scoped_get(request, User.objects.all(), pk, "change", audit_read=False)
    context = AuditContext.from_request(request)
    actor: User = request.user  # type: ignore[assignment]
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
    except ValidationError as error:
        messages.info(request, error.messages[0])
    else:
        messages.success(request, done)
    return HttpResponseRedirect(reverse("accounts:user-detail", args=[pk]))
