"""Your account: language, and signing out everywhere."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pontio.accounts import services
from pontio.accounts.forms import (
    LanguageForm,
)
from pontio.accounts.middleware import clear_marker
from pontio.accounts.models import User
from pontio.accounts.views.sign_in import safe_next
from pontio.accounts.views.users import role_labels
from pontio.core.i18n import set_language_cookie


@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = LanguageForm(
        request.POST or None, initial={"preferred_language": user.preferred_language}
    )
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["preferred_language"]
        services.account_set_language(request=request, language=language)
        # From the offer on any page (base.html): back to that page.
        response = HttpResponseRedirect(
            safe_next(request, request.POST.get("next"))
            if request.POST.get("next")
            else reverse("accounts:account")
        )
        set_language_cookie(response, language)
        messages.success(request, _("Your language preference has been saved."))
        return response
    return render(
        request,
        "accounts/account.html",
        {"form": form, "crumbs": [(_("Your account"), None)], "roles": role_labels(user)},
    )


@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    services.sign_out_everywhere(request=request)
    messages.success(request, _("You have been signed out on every device."))
    response = HttpResponseRedirect(reverse("accounts:sign-in"))
    clear_marker(response)
    return response
