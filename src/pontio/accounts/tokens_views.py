"""Administrators' pages for partner API tokens: the list, issuing one (the token is shown
once), and revoking one after a confirmation page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from pontio.accounts.fields import OrganisationChoiceField
from pontio.accounts.models import Organisation
from pontio.accounts.roles import Role
from pontio.accounts.tokens import (
    DEFAULT_LIFETIME_DAYS,
    MAX_LIFETIME_DAYS,
    NOT_FOR_TOKENS,
    ApiToken,
    TokenScopeName,
    token_create,
    token_revoke,
    tokens_for,
)
from pontio.audit.services import AuditContext
from pontio.core.access import permission_required, scoped_get
from pontio.core.forms import GovukDateField, GovukForm
from pontio.core.permissions import has_permission
from pontio.core.scopes import restrict

# The plaintext of a token just issued waits here for the one page that shows it, which
# removes it: it is never in a URL, a log or the database beyond that one redirect.
SESSION_KEY = "pontio_issued_token"


def _tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


def _latest_expiry() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=MAX_LIFETIME_DAYS)


def _end_of_day(day: dt.date) -> dt.datetime:
    """A token expires at the end of the day given (local time)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


class TokenForm(GovukForm):
    organisation = OrganisationChoiceField(
        label=gettext_lazy("Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=gettext_lazy("Choose an organisation"),
        error_messages={"required": gettext_lazy("Choose the organisation the token is for")},
    )
    name = forms.CharField(
        label=gettext_lazy("Name"),
        help_text=gettext_lazy(
            "Say which system will use it, so that it can be recognised in the audit log."
        ),
        max_length=100,
        error_messages={
            "required": gettext_lazy("Enter a name for the token"),
            "max_length": gettext_lazy("The name must be 100 characters or fewer"),
        },
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Role"),
        help_text=gettext_lazy(
            "The token can do what someone in this role in the organisation can do, in the "
            "organisation's counties. Choose the least it needs."
        ),
        choices=[(r.value, r.label) for r in Role if r not in NOT_FOR_TOKENS],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose the role the token acts in")},
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("What it may use"),
        choices=TokenScopeName.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": gettext_lazy("Choose at least one part of the API the token may use")
        },
    )
    expires_on = GovukDateField(
        label=gettext_lazy("Expires on"),
        earliest=_tomorrow,
        latest=_latest_expiry,
        error_messages={"required": gettext_lazy("Enter the date the token expires")},
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        example = timezone.localdate() + dt.timedelta(days=DEFAULT_LIFETIME_DAYS)
        self.fields["expires_on"].help_text = _(
            "The token stops working at the end of this day, at most %(days)s days from "
            "today. For example, %(example)s."
        ) % {"days": MAX_LIFETIME_DAYS, "example": f"{example.day} {example.month} {example.year}"}


@permission_required("accounts.manage_tokens")
def token_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/tokens/list.html",
        {"tokens": tokens_for(request.user), "crumbs": [(_("API tokens"), None)]},  # type: ignore[arg-type]
    )


@permission_required("accounts.manage_tokens")
@require_http_methods(["GET", "POST"])
def token_new(request: HttpRequest) -> HttpResponse:
    organisations = restrict(Organisation.objects.filter(is_active=True), request.user, "view")
    form = TokenForm(
        request.POST or None,
        organisations=organisations,
        initial={
            "expires_on": timezone.localdate() + dt.timedelta(days=DEFAULT_LIFETIME_DAYS),
            "scopes": [TokenScopeName.API],
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            token, plaintext = token_create(
                context=AuditContext.from_request(request),
                actor=request.user,  # type: ignore[arg-type]
                organisation=data["organisation"],
                name=data["name"],
                scopes=list(data["scopes"]),
                role=data["role"],
                expires_at=_end_of_day(data["expires_on"]),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "expires_at" in error.error_dict:
                error.error_dict["expires_on"] = error.error_dict.pop("expires_at")
            form.add_validation_error(error)
        else:
            request.session[SESSION_KEY] = {"pk": token.pk, "token": plaintext}
            return HttpResponseRedirect(reverse("accounts:token-issued", args=[token.pk]))
    crumbs = [(_("API tokens"), reverse("accounts:token-list")), (_("Issue a token"), None)]
    return render(request, "accounts/tokens/form.html", {"form": form, "crumbs": crumbs})


@permission_required("accounts.manage_tokens")
@never_cache
def token_issued(request: HttpRequest, pk: int) -> HttpResponse:
    """The token, shown this once: the session's copy is removed as the page is built."""
    token = scoped_get(request, ApiToken.objects.select_related("organisation"), pk)
    waiting = request.session.get(SESSION_KEY) or {}
    plaintext = None
    if waiting.get("pk") == token.pk:
        plaintext = waiting.get("token")
        del request.session[SESSION_KEY]
    response = render(
        request,
        "accounts/tokens/issued.html",
        {
            "token": token,
            "plaintext": plaintext,
            "crumbs": [(_("API tokens"), reverse("accounts:token-list")), (str(token), None)],
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@permission_required("accounts.manage_tokens")
@require_http_methods(["GET", "POST"])
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST revokes."""
    token = scoped_get(
        request, ApiToken.objects.select_related("organisation"), pk, "change", audit_read=False
    )
    error = None
    if request.method == "POST":
        try:
            token_revoke(
                context=AuditContext.from_request(request),
                actor=request.user,  # type: ignore[arg-type]
                token=token,
            )
        except ValidationError as refusal:
            error = refusal.messages[0]
        else:
            messages.success(
                request,
                _("The token %(prefix)s has been revoked. It no longer works.")
                % {"prefix": token.prefix},
            )
            return HttpResponseRedirect(reverse("accounts:token-list"))
    crumbs = [(_("API tokens"), reverse("accounts:token-list")), (_("Revoke a token"), None)]
    return render(
        request,
        "accounts/tokens/revoke.html",
        {
            "token": token,
            "error": error,
            "may_revoke": has_permission(request.user, "accounts.manage_tokens"),
            "crumbs": crumbs,
        },
    )
