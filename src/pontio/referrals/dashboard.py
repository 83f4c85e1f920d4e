"""Referrals on pages they do not own: the service navigation, the home-page panels (the
police's alerts, open referrals and missed targets; the figures for the OPCC, provider
managers and police supervisors, aggregates only and suppressed like the figures page), and
a person page's referrals section with its "Refer to support" button."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pontio.core.navigation import NavItem, Panel, register, register_panel
from pontio.core.permissions import has_permission
from pontio.core.scopes import restrict
from pontio.people.panels import PersonAction, PersonPanel
from pontio.people.panels import register_action as register_person_action
from pontio.people.panels import register_panel as register_person_panel
from pontio.referrals import metrics, selectors, sla
from pontio.referrals.models import OPEN, Referral


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def police_panel(user: Any) -> dict[str, Any]:
    today = timezone.localdate()
    visible = restrict(Referral.objects.filter(status__in=OPEN), user, "view")
    inbox = _url("referrals:inbox")
    breaches = f"{inbox}?breach=any" if inbox else None
    breached = sla.with_clock(visible, today).filter(sla.breach_q(today))  # type: ignore[attr-defined]
    return {
        "title": _("Referrals"),
        "items": [
            {
                "count": selectors.unread_alerts(user),
                "label": _("unread alerts about your referrals"),
                "url": _url("referrals:alerts"),
            },
            {
                "count": visible.filter(referred_by=user).count(),
                "label": _("open referrals you made"),
                "url": inbox,
            },
            {
                "count": breached.count(),
                "label": _("open referrals that missed a target"),
                "url": breaches,
            },
        ],
    }


def metrics_panel(user: Any) -> dict[str, Any]:
    today = timezone.localdate()
    period = metrics.quarter_of(today)
    last = metrics.previous_quarter(period)
    suppress = not metrics.sees_rows(user)
    queryset = metrics.rows_for(user)  # restrict(..., "aggregate")
    rows = metrics.referral_rows(queryset, period)
    last_rows = metrics.referral_rows(queryset, last)
    url = reverse("referrals:metrics")
    items: list[dict[str, Any]] = [
        {
            "count": metrics.show_count(len(rows), suppress),
            "label": _("referrals sent this quarter"),
            "url": url,
        },
        {
            "count": "",
            "label": _("treatment started within 20 working days last quarter: %(rate)s")
            % {"rate": metrics.show_rate(metrics.treatment_rate(last_rows, today), suppress)},
            "url": f"{url}?quarter={last.key}",
        },
    ]
    if has_permission(user, "referrals.report_totals") and not selectors.total_entered(
        user, last.start
    ):
        items.append(
            {
                "count": "",
                "label": _("enter last quarter's total referrals"),
                "url": reverse("referrals:metrics-totals"),
            }
        )
    return {"title": _("Referral metrics"), "items": items}


def person_referrals(user: Any, person: Any) -> dict[str, Any] | None:
    may_refer = person.is_active and has_permission(user, "referrals.create")
    referrals = selectors.referrals_of_person(user, person)
    if not referrals and not may_refer:
        return None
    return {"referrals": referrals, "may_refer": may_refer}


register(
    NavItem(
        gettext_lazy("Referrals"),
        "referrals:inbox",
        "referrals.view",
        order=25,
        section_prefix="/referrals/",
    )
)
register_panel(Panel("referrals.create", police_panel, order=15))
register_panel(Panel("referrals.view_metrics", metrics_panel, order=60))
register_person_action(
    PersonAction(
        gettext_lazy("Refer to support"),
        "referrals.create",
        lambda person: reverse("referrals:create", args=[person.pk]),
        order=10,
        primary=True,
    )
)
register_person_panel(
    PersonPanel("referrals", "referrals/_person_panel.html", person_referrals, order=50)
)
