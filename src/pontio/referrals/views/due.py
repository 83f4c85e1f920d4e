"""Work coming due: the user's list of what falls due in the next working days, grouped by
day with the overdue first, and their choice of a daily email of it (``referrals.due``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pontio.core.access import permission_required
from pontio.referrals import due as selectors
from pontio.referrals.forms.due import DigestForm
from pontio.referrals.services.due import digest_subscribe, subscription_of
from pontio.referrals.views.common import context_of, inbox_url, user_of


@permission_required("referrals.view")
@require_http_methods(["GET"])
def due_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    today = timezone.localdate()
    items = selectors.due_items(user, today)
    subscription = subscription_of(user)
    form = DigestForm(initial={"daily": bool(subscription and subscription.daily)})
    return render(
        request,
        "referrals/due.html",
        {
            "groups": selectors.grouped(items, today),
            "counts_text": selectors.counts_text(selectors.counts(items)),
            "window": selectors.WINDOW,
            "until": selectors.window_end(today),
            "form": form,
            "crumbs": [(_("Referrals"), inbox_url()), (_("Work coming due"), None)],
        },
    )


@permission_required("referrals.view")
@require_POST
def due_digest(request: HttpRequest) -> HttpResponse:
    form = DigestForm(request.POST)
    form.is_valid()  # a checkbox: absent means off
    daily = bool(form.cleaned_data.get("daily"))
    digest_subscribe(context=context_of(request), actor=user_of(request), daily=daily)
    messages.success(
        request,
        _("You will get this list by email every working day.")
        if daily
        else _("You will not get this list by email."),
    )
    return HttpResponseRedirect(reverse("referrals:due"))


urlpatterns: list[URLPattern] = [
    path("due/", due_list, name="due"),
    path("due/digest/", due_digest, name="due-digest"),
]
