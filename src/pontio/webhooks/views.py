"""Administrator pages: subscriptions (new, the secret shown once, rotate, disable) and the
delivery log (filter, detail, replay)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pontio.accounts.models import Organisation, User
from pontio.audit.services import AuditContext
from pontio.core.access import permission_required, scoped_get
from pontio.core.scopes import restrict
from pontio.webhooks import payloads, selectors, services, signing
from pontio.webhooks.events import EventType
from pontio.webhooks.forms import DeliveryFilterForm, SubscriptionForm
from pontio.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription

MANAGE = "webhooks.manage"
STATUS_TAGS = {
    DeliveryStatus.PENDING: "govuk-tag--blue",
    DeliveryStatus.DELIVERED: "govuk-tag--green",
    DeliveryStatus.FAILED: "govuk-tag--yellow",
    DeliveryStatus.ABANDONED: "govuk-tag--red",
}


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _crumbs(*more: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Webhooks"), reverse("webhooks:subscription-list")), *more]


def _event_labels(events: list[str]) -> list[str]:
    labels = dict(EventType.choices)
    return [str(labels.get(e, e)) for e in events]


def _secret_key(pk: int) -> str:
    return f"webhooks.secret.{pk}"


def _hand_over(
    request: HttpRequest, subscription: WebhookSubscription, secret: str, rotated: bool
) -> HttpResponse:
    """Keep the new secret in the (server-side) session for the one page that shows it,
    so the form is not re-submitted by a refresh (post/redirect/get)."""
    request.session[_secret_key(subscription.pk)] = {"secret": secret, "rotated": rotated}
    return HttpResponseRedirect(reverse("webhooks:subscription-secret", args=[subscription.pk]))


@permission_required(MANAGE)
@require_GET
def subscription_list(request: HttpRequest) -> HttpResponse:
    subscriptions = list(selectors.subscriptions_of(_user(request)))
    for s in subscriptions:
        s.event_labels = _event_labels(s.events)  # type: ignore[attr-defined]
    return render(
        request,
        "webhooks/subscription_list.html",
        {"subscriptions": subscriptions, "crumbs": [(_("Webhooks"), None)]},
    )


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def subscription_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    organisations = restrict(Organisation.objects.filter(is_active=True), user, "view")
    form = SubscriptionForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            subscription, secret = services.subscription_create(
                context=AuditContext.from_request(request),
                actor=user,
                organisation_id=form.cleaned_data["organisation"].pk,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            return _hand_over(request, subscription, secret, rotated=False)
    return render(
        request,
        "webhooks/subscription_form.html",
        {"form": form, "crumbs": _crumbs((_("Add a subscription"), None))},
        status=400 if form.errors else 200,
    )


@permission_required(MANAGE)
@require_GET
def subscription_detail(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = scoped_get(
        request,
        WebhookSubscription.objects.select_related("organisation", "created_by"),
        pk,
        audit_read=False,
    )
    recent = selectors.deliveries_of(_user(request), subscription=subscription)[:10]
    return render(
        request,
        "webhooks/subscription_detail.html",
        {
            "subscription": subscription,
            "event_labels": _event_labels(subscription.events),
            "recent": recent,
            "tags": STATUS_TAGS,
            "crumbs": _crumbs((subscription.url, None)),
        },
    )


@permission_required(MANAGE)
@require_GET
def subscription_secret(request: HttpRequest, pk: int) -> HttpResponse:
    """The only page that ever shows a secret, once: it is taken out of the session as it
    is shown, and browsers and proxies are told not to store the page."""
    subscription = scoped_get(
        request, WebhookSubscription.objects.select_related("organisation"), pk, audit_read=False
    )
    handed = request.session.pop(_secret_key(subscription.pk), None) or {}
    response = render(
        request,
        "webhooks/secret.html",
        {
            "subscription": subscription,
            "secret": handed.get("secret", ""),
            "rotated": bool(handed.get("rotated")),
            "header": signing.SIGNATURE_HEADER,
            "crumbs": _crumbs(
                (subscription.url, reverse("webhooks:subscription-detail", args=[pk])),
                (_("Signing secret"), None),
            ),
        },
    )
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    response["Pragma"] = "no-cache"
    return response


@permission_required(MANAGE)
@require_POST
def subscription_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = scoped_get(request, WebhookSubscription.objects.all(), pk, "change")
    try:
        subscription, secret = services.subscription_rotate_secret(
            context=AuditContext.from_request(request),
            actor=_user(request),
            subscription_id=subscription.pk,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(reverse("webhooks:subscription-detail", args=[pk]))
    return _hand_over(request, subscription, secret, rotated=True)


@permission_required(MANAGE)
@require_POST
def subscription_disable(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = scoped_get(request, WebhookSubscription.objects.all(), pk, "change")
    try:
        services.subscription_disable(
            context=AuditContext.from_request(request),
            actor=_user(request),
            subscription_id=subscription.pk,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The subscription has been disabled. Nothing more is sent."))
    return HttpResponseRedirect(reverse("webhooks:subscription-detail", args=[pk]))


@permission_required(MANAGE)
@require_GET
def delivery_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    subscriptions = selectors.subscriptions_of(user)
    form = DeliveryFilterForm(request.GET or None, subscriptions=subscriptions)
    chosen: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    rows = selectors.deliveries_of(
        user, subscription=chosen.get("subscription"), status=chosen.get("status", "")
    )
    page = Paginator(rows, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "webhooks/delivery_list.html",
        {
            "form": form,
            "page": page,
            "tags": STATUS_TAGS,
            "crumbs": _crumbs((_("Delivery log"), None)),
        },
        status=200 if form.is_bound is False or form.is_valid() else 400,
    )


@permission_required(MANAGE)
@require_GET
def delivery_detail(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = scoped_get(
        request,
        WebhookDelivery.objects.select_related("subscription__organisation", "replayed_by"),
        pk,
        audit_read=False,
    )
    return render(
        request,
        "webhooks/delivery_detail.html",
        {
            "delivery": delivery,
            "attempts": selectors.attempts_of(_user(request), delivery),
            "pretty": payloads.pretty(delivery.payload),
            "tags": STATUS_TAGS,
            "replayable": delivery.subscription.active,
            "crumbs": _crumbs(
                (_("Delivery log"), reverse("webhooks:delivery-list")),
                (str(delivery.event_id), None),
            ),
        },
    )


@permission_required(MANAGE)
@require_POST
def delivery_replay(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = scoped_get(request, WebhookDelivery.objects.all(), pk, "change")
    try:
        services.delivery_replay(
            context=AuditContext.from_request(request),
            actor=_user(request),
            delivery_id=delivery.pk,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The event will be sent again with the same event id and a new signature.")
        )
    return HttpResponseRedirect(reverse("webhooks:delivery-detail", args=[pk]))
