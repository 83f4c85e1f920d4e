"""Independent reviewers' and panel members' pages (``stopsearch.independent_review``):
only the reviews assigned to them, with the anonymised record (``anonymised``), and the
panel's quarterly findings. No page here links to a named record for them, and the record
pages refuse them (``stopsearch.view`` is police only)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pontio.core.access import permission_required, scoped_get
from pontio.stopsearch import quarters, selectors
from pontio.stopsearch.actions import COMPLETE, review_actions
from pontio.stopsearch.anonymised import anonymised_rows
from pontio.stopsearch.forms.reviews import AuditReviewForm, PanelReviewForm
from pontio.stopsearch.models import AUDIT_KINDS, INDEPENDENT_KINDS, SearchReview
from pontio.stopsearch.services.reviews import completed_message
from pontio.stopsearch.views.common import (
    review_state,
    show_filter,
    show_links,
    show_of,
    tag_reviews,
    user_of,
)
from pontio.stopsearch.views.reviews import complete_from_form


@permission_required("stopsearch.independent_review")
def panel_list(request: HttpRequest) -> HttpResponse:
    """The independent and panel reviews assigned to this reviewer (no names, no links out)."""
    user = user_of(request)
    today = timezone.localdate()
    show = show_of(request)
    reviews = list(
        show_filter(selectors.my_independent_reviews(user), show, today)
        .select_related("search", "search__county")
        .defer("search__county__boundary")
        .order_by("due_on", "pk")
    )
    tag_reviews(reviews, today)
    return render(
        request,
        "stopsearch/panel_list.html",
        {
            "panel_reviews": [r for r in reviews if r.kind == SearchReview.Kind.PANEL],
            "independent_reviews": [r for r in reviews if r.kind == SearchReview.Kind.INDEPENDENT],
            "show_links": show_links(request, show),
            "crumbs": [(_("Your reviews"), None)],
        },
    )


@permission_required("stopsearch.independent_review")
@require_http_methods(["GET", "POST"])
def panel_review(request: HttpRequest, pk: int) -> HttpResponse:
    """One assigned review: the anonymised record and the reviewer's form."""
    user = user_of(request)
    review = scoped_get(
        request,
        SearchReview.objects.filter(kind__in=INDEPENDENT_KINDS, reviewer=user)
        .select_related("search", "search__county")
        .defer("search__county__boundary"),
        pk,
        "view",
    )
    is_panel = review.kind == SearchReview.Kind.PANEL
    form_class = PanelReviewForm if is_panel else AuditReviewForm
    if request.method == "POST" and review.completed_at is not None:
        messages.error(request, completed_message(review))
        return HttpResponseRedirect(reverse("stopsearch:panel-review", args=[review.pk]))
    may_complete = COMPLETE in review_actions(review, user)
    form = form_class(
        request.POST if request.method == "POST" else None, initial={"version": review.version}
    )
    if request.method == "POST" and complete_from_form(request, form, review):
        messages.success(request, _("Review completed. Thank you."))
        return HttpResponseRedirect(reverse("stopsearch:panel-list"))
    review.state_label, review.state_class = review_state(review, timezone.localdate())  # type: ignore[attr-defined]
    return render(
        request,
        "stopsearch/panel_review.html",
        {
            "review": review,
            "is_panel": is_panel,
            "record_rows": anonymised_rows(review.search),
            "form": form if may_complete else None,
            "crumbs": [
                (_("Your reviews"), reverse("stopsearch:panel-list")),
                (review.get_kind_display(), None),
            ],
        },
    )


def summary_context(request: HttpRequest, url_name: str) -> dict[str, Any]:
    """The quarter's findings the user may count (``quarters.quarter_summary``)."""
    quarter = quarters.parse_quarter(request.GET.get("quarter"), timezone.localdate())
    base = reverse(url_name)
    return {
        "summary": quarters.quarter_summary(user_of(request), quarter),
        "previous_url": f"{base}?quarter={quarter.previous().key}",
        "next_url": f"{base}?quarter={quarter.next().key}",
        "kinds": [(SearchReview.Kind(kind).label, kind) for kind in AUDIT_KINDS],
    }


@permission_required("stopsearch.independent_review")
def panel_summary(request: HttpRequest) -> HttpResponse:
    """The panel's quarterly findings: counts only, no record links."""
    context = {
        "crumbs": [
            (_("Your reviews"), reverse("stopsearch:panel-list")),
            (_("Quarterly summary"), None),
        ],
        **summary_context(request, "stopsearch:panel-summary"),
    }
    return render(request, "stopsearch/panel_summary.html", context)
