"""Stop and search on pages it does not own: the service navigation, the home-page panels
(the audit for inspectors and administrators, the reviews waiting for independent reviewers,
last month's figures for analysts), a person page's "Record a stop and search" button, and
the search as the source of a referral (pathway and receipt reference filled in)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pontio.core.figures import SMALL
from pontio.core.navigation import NavItem, Panel, register, register_panel
from pontio.core.permissions import has_permission
from pontio.core.recording import SubjectMatch, register_subject_finder
from pontio.core.scopes import restrict
from pontio.people.panels import PersonAction
from pontio.people.panels import register_action as register_person_action
from pontio.referrals.models import Pathway
from pontio.referrals.sources import Source, register_source
from pontio.stopsearch import analysis, selectors, services
from pontio.stopsearch.models import AuditSample, StopSearch
from pontio.stopsearch.sampling import first_of_month


def analysis_panel(user: Any) -> dict[str, Any]:
    """Last month's searches and find rate, suppressed like the page (two queries)."""
    today = timezone.localdate()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    filters = analysis.Filters(month_from=last_month, month_to=last_month)
    suppress = not analysis.sees_exact(user)
    rows = analysis.search_rows(analysis.apply_filters(analysis.rows_for(user), filters))
    result = analysis.figures(rows)
    month = last_month.strftime("%Y-%m")
    url = reverse("stopsearch:analysis") + f"?month_from={month}&month_to={month}"
    # "fewer than 5" reads as a plural whatever the count behind it.
    shown = SMALL if suppress and analysis.is_small(result.searches) else result.searches
    return {
        "title": _("Stop and search analysis"),
        "items": [
            {
                "count": analysis.show_count(result.searches, suppress),
                "label": ngettext("search last month", "searches last month", shown),
                "url": url,
            },
            {
                "count": "",
                "label": _("find rate last month: %(rate)s")
                % {"rate": analysis.show_rate(result.find, suppress)},
                "url": url,
            },
        ],
    }


def audit_panel(user: Any) -> dict[str, Any]:
    """Inspectors and administrators: overdue reviews and this month's samples."""
    today = timezone.localdate()
    reviews = selectors.audit_reviews(user)
    overview = reverse("stopsearch:audit")
    overdue_url = (
        reverse("stopsearch:review-list") + "?show=overdue"
        if has_permission(user, "stopsearch.review")
        else overview
    )
    overdue = services.overdue(reviews, today).count()
    drawn = (
        restrict(AuditSample.objects.all(), user, "view")
        .filter(drawn_at__date__gte=first_of_month(today))
        .count()
    )
    items = [
        {
            "count": overdue,
            "label": ngettext(
                "stop and search review overdue", "stop and search reviews overdue", overdue
            ),
            "url": overdue_url,
        },
        {
            "count": drawn,
            "label": ngettext(
                "audit sample drawn this month", "audit samples drawn this month", drawn
            ),
            "url": overview,
        },
    ]
    if has_permission(user, "stopsearch.review"):
        waiting = (
            selectors.inspector_reviews(user)
            .filter(reviewer=user, completed_at__isnull=True)
            .count()
        )
        items.insert(
            0,
            {
                "count": waiting,
                "label": ngettext(
                    "stop and search review waiting for you",
                    "stop and search reviews waiting for you",
                    waiting,
                ),
                "url": reverse("stopsearch:review-list"),
            },
        )
    return {"title": _("Stop and search audit"), "items": items}


def reviewer_panel(user: Any) -> dict[str, Any]:
    """Independent reviewers and panel members: the reviews waiting for them."""
    today = timezone.localdate()
    mine = selectors.my_independent_reviews(user).filter(completed_at__isnull=True)
    url = reverse("stopsearch:panel-list")
    waiting = mine.count()
    overdue = mine.filter(due_on__lt=today).count()
    return {
        "title": _("Stop and search reviews"),
        "items": [
            {
                "count": waiting,
                "label": ngettext("review waiting for you", "reviews waiting for you", waiting),
                "url": url,
            },
            {
                "count": overdue,
                "label": ngettext("of them overdue", "of them overdue", overdue),
                "url": f"{url}?show=overdue",
            },
        ],
    }


def referral_initial(user: Any, person: Any, search_id: int) -> dict[str, Any]:
    """Started from a stop and search record: the pathway and the receipt reference, if the
    search is in the user's scope and is not another person's."""
    search = restrict(StopSearch.objects.all(), user, "view").filter(pk=search_id).first()
    if search is None or search.person_id not in (None, person.pk):
        return {}
    return {"pathway": Pathway.STOP_SEARCH, "source_reference": search.reference}


# Exact prefixes, so that one item at most is current on any page.
_NAVIGATION = (
    (gettext_lazy("Stop and search"), "stopsearch:list", "stopsearch.view", 30, "/stop-search/"),
    (
        gettext_lazy("Reviews"),
        "stopsearch:review-list",
        "stopsearch.review",
        32,
        "/stop-search/reviews/",
    ),
    (
        gettext_lazy("Reviews"),
        "stopsearch:panel-list",
        "stopsearch.independent_review",
        32,
        "/stop-search/panel/",
    ),
    (
        gettext_lazy("Search figures"),
        "stopsearch:analysis",
        "stopsearch.analyse",
        34,
        "/stop-search/analysis",
    ),
    (
        gettext_lazy("police.uk data"),
        "stopsearch:import-list",
        "stopsearch.import",
        36,
        "/stop-search/imports/",
    ),
)
for _label, _url_name, _permission, _order, _prefix in _NAVIGATION:
    register(NavItem(_label, _url_name, _permission, order=_order, section_prefix=_prefix))
register_panel(Panel("stopsearch.manage_audit", audit_panel, order=35))
register_panel(Panel("stopsearch.independent_review", reviewer_panel, order=35))
register_panel(Panel("stopsearch.analyse", analysis_panel, order=65))
register_person_action(
    PersonAction(
        gettext_lazy("Record a stop and search"),
        "stopsearch.record",
        lambda person: reverse("stopsearch:create") + f"?person={person.pk}",
        order=20,
    )
)
register_source(Source("from_search", referral_initial))


def audit_subjects(user: Any, text: str, date_of_birth: Any) -> list[SubjectMatch]:
    """The person a stop and search is of, found by its receipt reference (the audit page)."""
    reference = text.strip().upper()
    if not has_permission(user, "audit.view_log") or not reference:
        return []
    found = restrict(StopSearch.objects.all(), user, "audit").filter(
        reference=reference, person__isnull=False
    )
    return [
        SubjectMatch(
            str(person_id),
            _("The person searched in %(reference)s (record %(id)s)")
            % {"reference": reference, "id": person_id},
            reason=_("stop and search %(reference)s") % {"reference": reference},
        )
        for person_id in found.values_list("person_id", flat=True)
    ]


register_subject_finder(audit_subjects)
from pontio.stopsearch import dashboard_tiles  # noqa: E402, F401
