"""Referrals on pages they do not own: the service navigation (the referrals, and the
figures for those who may see them), the home-page panels (the police's alerts, open
referrals and missed targets; the provider's new referrals, first contacts waiting, what
breaches soon and their own caseload, each a link to the inbox filtered to exactly those
rows; the figures for the OPCC, provider managers and police supervisors, aggregates only
and suppressed like the figures page), and a person page's referrals section with its
"Refer to support" button. Every count is worded with its plural form (``ngettext``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pontio.core.figures import SMALL
from pontio.core.navigation import NavItem, Panel, register, register_panel
from pontio.core.permissions import has_permission
from pontio.core.recording import SubjectMatch, register_subject_finder
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
    unread = selectors.unread_alerts(user)
    mine = visible.filter(referred_by=user).count()
    late = breached.count()
    return {
        "title": _("Referrals"),
        "items": [
            {
                "count": unread,
                "label": ngettext(
                    "unread alert about your referrals",
                    "unread alerts about your referrals",
                    unread,
                ),
                "url": _url("referrals:alerts"),
            },
            {
                "count": mine,
                "label": ngettext("open referral you made", "open referrals you made", mine),
                "url": inbox,
            },
            {
                "count": late,
                "label": ngettext(
                    "open referral that missed a target",
                    "open referrals that missed a target",
                    late,
                ),
                "url": breaches,
            },
        ],
    }


# The provider's home panel: the inbox filters of each item and its words. Each count is the
# number of rows the inbox shows with those filters, so the link keeps its word.
PROVIDER_ITEMS: tuple[tuple[dict[str, str], Callable[[int], str]], ...] = (
    (
        {"status": "requested"},
        lambda n: ngettext("new referral to open", "new referrals to open", n),
    ),
    (
        {"awaiting": "first_contact"},
        lambda n: ngettext(
            "referral waiting for a first contact attempt",
            "referrals waiting for a first contact attempt",
            n,
        ),
    ),
    (
        {"breach": "soon"},
        lambda n: ngettext(
            "referral due by the next working day",
            "referrals due by the next working day",
            n,
        ),
    ),
    (
        {"allocated": "me", "state": "open"},
        lambda n: ngettext("open referral allocated to you", "open referrals allocated to you", n),
    ),
)


def provider_panel(user: Any) -> dict[str, Any] | None:
    """The work waiting for a provider's caseworker (or manager) in their inbox; nothing
    when nothing waits (the home page then says so)."""
    inbox = _url("referrals:inbox")
    items = []
    for filters, words in PROVIDER_ITEMS:
        count = selectors.inbox_count(user, filters)
        items.append(
            {
                "count": count,
                "label": words(count),
                "url": f"{inbox}?{urlencode(filters)}" if inbox else None,
            }
        )
    if not any(item["count"] for item in items):
        return None
    return {"title": _("Referrals to your organisation"), "items": items}


def metrics_panel(user: Any) -> dict[str, Any]:
    today = timezone.localdate()
    period = metrics.quarter_of(today)
    last = metrics.previous_quarter(period)
    suppress = not metrics.sees_rows(user)
    queryset = metrics.rows_for(user)  # restrict(..., "aggregate")
    rows = metrics.referral_rows(queryset, period)
    last_rows = metrics.referral_rows(queryset, last)
    url = reverse("referrals:metrics")
    sent = len(rows)
    # "fewer than 5" is worded like the plural (as "5" would be).
    worded = SMALL if suppress and 0 < sent < SMALL else sent
    items: list[dict[str, Any]] = [
        {
            "count": metrics.show_count(sent, suppress),
            "label": ngettext("referral sent this quarter", "referrals sent this quarter", worded),
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
# The figures have their own item, current only on the figures pages (the most specific
# prefix wins over "Referrals"), for everyone who may see them, the OPCC analyst included.
register(
    NavItem(
        gettext_lazy("Referral figures"),
        "referrals:metrics",
        "referrals.view_metrics",
        order=26,
        section_prefix="/referrals/metrics/",
    )
)
register_panel(Panel("referrals.create", police_panel, order=15))
register_panel(Panel("referrals.work", provider_panel, order=15))
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


def audit_subjects(user: Any, text: str, date_of_birth: Any) -> list[SubjectMatch]:
    """The person a referral is about, found by its reference (the audit page)."""
    reference = text.strip().upper()
    if not has_permission(user, "audit.view_log") or not reference.startswith("PR"):
        return []
    found = restrict(Referral.objects.all(), user, "audit").filter(reference=reference)
    return [
        SubjectMatch(
            str(person_id),
            _("The person referred in %(reference)s (record %(id)s)")
            % {"reference": reference, "id": person_id},
            reason=_("referral %(reference)s") % {"reference": reference},
        )
        for person_id in found.values_list("person_id", flat=True)
    ]


register_subject_finder(audit_subjects)
# The daily work's home panels register themselves when imported, each from its own module.
from pontio.referrals import (  # noqa: E402, F401
    dashboard_drafts,
    dashboard_due,
    dashboard_notes,
    dashboard_transfers,
)

from pontio.referrals import dashboard_tiles  # noqa: E402, F401  # isort: skip
