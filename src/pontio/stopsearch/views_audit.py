"""Pages of the stop and search audit: reviews, panel reviews, assignment, summaries.

- Inspectors (``stopsearch.review``) open ``/stop-search/reviews/``: the inspector and
  independent reviews of the monthly samples in their area, with the full record, and
  complete the inspector reviews.
- Independent reviewers and panel members (``stopsearch.independent_review``) open
  ``/stop-search/panel/``: only the reviews assigned to them, with the anonymised record
  (``services_review.anonymised_rows``). No page here links to a named record for them, and
  the record pages refuse them (``stopsearch.view`` is police only).
- Inspectors and administrators (``stopsearch.manage_audit``) see the samples drawn and the
  overdue reviews at ``/stop-search/audit/`` and send searches to the panel.
- The quarterly summary of findings is at ``/stop-search/panel/summary/`` for the panel and
  on the audit page for those who run the audit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pontio.accounts.models import User
from pontio.audit.services import AuditContext
from pontio.core.access import permission_required, scoped_get
from pontio.core.permissions import has_permission
from pontio.core.scopes import restrict
from pontio.stopsearch import selectors, services_review
from pontio.stopsearch.forms_audit import AuditReviewForm, PanelAssignForm, PanelReviewForm
from pontio.stopsearch.models import AuditSample, SearchReview

PAGE_SIZE = 25
SHOW_CHOICES = ("open", "overdue", "completed", "all")


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _context(request: HttpRequest) -> AuditContext:
    return AuditContext.from_request(request)


def review_state(review: SearchReview, today: dt.date) -> tuple[str, str]:
    """(label, GOV.UK tag class) of a review's state."""
    if review.completed_at is not None:
        return _("Completed"), "govuk-tag--green"
    if review.escalated_at is not None:
        return _("Overdue: escalated"), "govuk-tag--red"
    if review.due_on < today:
        return _("Overdue"), "govuk-tag--orange"
    return _("Due"), "govuk-tag--blue"


def _tag(reviews: Any, today: dt.date) -> None:
    for review in reviews:
        review.state_label, review.state_class = review_state(review, today)


def _show_filter(reviews: QuerySet[SearchReview], show: str, today: dt.date) -> Any:
    if show == "open":
        return reviews.filter(completed_at__isnull=True)
    if show == "overdue":
        return services_review.overdue(today).filter(pk__in=reviews.values("pk"))
    if show == "completed":
        return reviews.filter(completed_at__isnull=False)
    return reviews


def _show(request: HttpRequest) -> str:
    show = request.GET.get("show", "open")
    return show if show in SHOW_CHOICES else "open"


def _show_links(request: HttpRequest, show: str) -> list[dict[str, Any]]:
    labels = {
        "open": _("Waiting"),
        "overdue": _("Overdue"),
        "completed": _("Completed"),
        "all": _("All"),
    }
    return [
        {"label": labels[key], "url": f"{request.path}?show={key}", "current": key == show}
        for key in SHOW_CHOICES
    ]


# --- inspector reviews ------------------------------------------------------------------------


@permission_required("stopsearch.review")
def review_list(request: HttpRequest) -> HttpResponse:
    """The inspector and independent reviews of the inspector's own and area's samples."""
    user = _user(request)
    today = timezone.localdate()
    show = _show(request)
    reviews = _show_filter(selectors.inspector_reviews(user), show, today).select_related(
        "search", "search__county", "reviewer"
    )
    page = Paginator(reviews.order_by("due_on", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    _tag(page, today)
    return render(
        request,
        "stopsearch/audit_review_list.html",
        {
            "page": page,
            "show_links": _show_links(request, show),
            "crumbs": [(_("Stop and search reviews"), None)],
        },
    )


def _full_record_rows(review: SearchReview) -> list[tuple[str, Any]]:
    search = review.search
    officer = search.officer
    officer_text = (
        f"{officer.get_full_name() or officer.username} ({officer.staff_number})".replace(" ()", "")
        if officer
        else services_review.NONE
    )
    return [
        (_("Receipt reference"), search.reference),
        (_("Date and time"), timezone.localtime(search.searched_at).strftime("%d/%m/%Y %H:%M")),
        (_("Place"), search.place or services_review.NONE),
        (_("Vehicle registration"), search.vehicle_registration or services_review.NONE),
        (_("Officer"), officer_text),
        (_("Operation"), search.operation_name or services_review.NONE),
    ]


@permission_required("stopsearch.review")
@require_http_methods(["GET", "POST"])
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The full record and, for an inspector review not yet completed, the review form."""
    user = _user(request)
    review = scoped_get(
        request,
        SearchReview.objects.filter(kind__in=services_review.AUDIT_KINDS).select_related(
            "search",
            "search__county",
            "search__person",
            "search__officer",
            "reviewer",
            "sample",
        ),
        pk,
        "view",
        person_id=_person_id(pk),
    )
    may_complete = review.completed_at is None and services_review.may_complete(user, review)
    if request.method == "POST" and not may_complete:
        if review.completed_at is not None:
            messages.error(request, services_review.completed_message(review))
            return HttpResponseRedirect(reverse("stopsearch:review-detail", args=[review.pk]))
        raise PermissionDenied
    form = AuditReviewForm(
        request.POST if request.method == "POST" else None, initial={"version": review.version}
    )
    if request.method == "POST" and _complete(request, form, review):
        messages.success(request, _("Review completed. The officer can now read it."))
        return HttpResponseRedirect(reverse("stopsearch:review-list"))
    today = timezone.localdate()
    review.state_label, review.state_class = review_state(review, today)  # type: ignore[attr-defined]
    return render(
        request,
        "stopsearch/audit_review_detail.html",
        {
            "review": review,
            "search": review.search,
            "identifying_rows": _full_record_rows(review),
            "record_rows": services_review.anonymised_rows(review.search),
            "form": form if may_complete else None,
            "crumbs": [
                (_("Stop and search reviews"), reverse("stopsearch:review-list")),
                (review.search.reference, None),
            ],
        },
    )


def _person_id(review_pk: Any) -> str:
    reviews = SearchReview.objects.filter(pk=review_pk)
    person = reviews.values_list("search__person_id", flat=True).first()
    return str(person or "")


def _complete(request: HttpRequest, form: Any, review: SearchReview) -> bool:
    """Validate and save a review's answers; False (with errors on the form) if refused."""
    parsed = form.is_valid()
    try:
        # Checked even when the form is not, so that every problem shows at once.
        answers = services_review.check_answers(review.kind, form.answers())
    except ValidationError as error:
        form.add_validation_error(error)
        return False
    if not parsed:
        return False
    try:
        services_review.review_complete(
            context=_context(request),
            actor=_user(request),
            review_id=review.pk,
            expected_version=form.cleaned_data.get("version"),
            answers=answers,
        )
    except ValidationError as error:
        form.add_validation_error(error)
        return False
    return True


# --- independent and panel reviews (anonymised) -----------------------------------------------


@permission_required("stopsearch.independent_review")
def panel_list(request: HttpRequest) -> HttpResponse:
    """The independent and panel reviews assigned to this reviewer (no names, no links out)."""
    user = _user(request)
    today = timezone.localdate()
    show = _show(request)
    reviews = list(
        _show_filter(selectors.my_independent_reviews(user), show, today)
        .select_related("search", "search__county")
        .defer("search__county__boundary")
        .order_by("due_on", "pk")
    )
    _tag(reviews, today)
    return render(
        request,
        "stopsearch/panel_list.html",
        {
            "panel_reviews": [r for r in reviews if r.kind == SearchReview.Kind.PANEL],
            "independent_reviews": [r for r in reviews if r.kind == SearchReview.Kind.INDEPENDENT],
            "show_links": _show_links(request, show),
            "crumbs": [(_("Your reviews"), None)],
        },
    )


@permission_required("stopsearch.independent_review")
@require_http_methods(["GET", "POST"])
def panel_review(request: HttpRequest, pk: int) -> HttpResponse:
    """One assigned review: the anonymised record and the reviewer's form."""
    user = _user(request)
    review = scoped_get(
        request,
        SearchReview.objects.filter(kind__in=services_review.INDEPENDENT_KINDS, reviewer=user)
        .select_related("search", "search__county")
        .defer("search__county__boundary"),
        pk,
        "view",
    )
    is_panel = review.kind == SearchReview.Kind.PANEL
    form_class = PanelReviewForm if is_panel else AuditReviewForm
    if request.method == "POST" and review.completed_at is not None:
        messages.error(request, services_review.completed_message(review))
        return HttpResponseRedirect(reverse("stopsearch:panel-review", args=[review.pk]))
    form = form_class(
        request.POST if request.method == "POST" else None, initial={"version": review.version}
    )
    if request.method == "POST" and _complete(request, form, review):
        messages.success(request, _("Review completed. Thank you."))
        return HttpResponseRedirect(reverse("stopsearch:panel-list"))
    review.state_label, review.state_class = review_state(review, timezone.localdate())  # type: ignore[attr-defined]
    return render(
        request,
        "stopsearch/panel_review.html",
        {
            "review": review,
            "is_panel": is_panel,
            "record_rows": services_review.anonymised_rows(review.search),
            "form": form if review.completed_at is None else None,
            "crumbs": [
                (_("Your reviews"), reverse("stopsearch:panel-list")),
                (review.get_kind_display(), None),
            ],
        },
    )


# --- assignment, audit overview, summaries ----------------------------------------------------


@permission_required("stopsearch.manage_audit")
@require_http_methods(["GET", "POST"])
def panel_assign(request: HttpRequest) -> HttpResponse:
    form = PanelAssignForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        form.is_valid()
        try:
            review = services_review.panel_assign(
                context=_context(request),
                actor=_user(request),
                reference=form.cleaned_data.get("reference") or "",
                panel_member_id=form.member_id(),
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(
                request,
                _("%(reference)s sent to %(name)s for a panel review, due %(due)s.")
                % {
                    "reference": review.search.reference,
                    "name": review.reviewer,
                    "due": review.due_on.strftime("%d/%m/%Y"),
                },
            )
            return HttpResponseRedirect(reverse("stopsearch:audit"))
    return render(
        request,
        "stopsearch/panel_assign.html",
        {
            "form": form,
            "crumbs": [
                (_("Stop and search audit"), reverse("stopsearch:audit")),
                (_("Send a search to the panel"), None),
            ],
        },
    )


def _summary_context(request: HttpRequest, url_name: str) -> dict[str, Any]:
    quarter = services_review.parse_quarter(request.GET.get("quarter"), timezone.localdate())
    base = reverse(url_name)
    return {
        "summary": services_review.quarter_summary(quarter),
        "previous_url": f"{base}?quarter={quarter.previous().key}",
        "next_url": f"{base}?quarter={quarter.next().key}",
        "kinds": [(SearchReview.Kind(kind).label, kind) for kind in services_review.AUDIT_KINDS],
    }


@permission_required("stopsearch.manage_audit")
def audit_overview(request: HttpRequest) -> HttpResponse:
    """Samples drawn, reviews waiting and overdue, and the quarter's findings."""
    user = _user(request)
    today = timezone.localdate()
    samples = (
        restrict(AuditSample.objects.all(), user, "view")
        .select_related("county")
        .annotate(
            sampled=Count("reviews", filter=Q(reviews__kind=SearchReview.Kind.INSPECTOR)),
            completed=Count("reviews", filter=Q(reviews__completed_at__isnull=False)),
            total=Count("reviews"),
            escalated=Count(
                "reviews",
                filter=Q(reviews__escalated_at__isnull=False, reviews__completed_at__isnull=True),
            ),
        )
        .order_by("-month", "county__sort_order")
    )
    page = Paginator(samples, PAGE_SIZE).get_page(request.GET.get("page"))
    reviews = selectors.audit_reviews(user)
    context = {
        "page": page,
        "overdue": services_review.overdue(today).filter(pk__in=reviews.values("pk")).count(),
        "unassigned": reviews.filter(completed_at__isnull=True, reviewer__isnull=True).count(),
        "may_review": has_permission(user, "stopsearch.review"),
        "crumbs": [(_("Stop and search audit"), None)],
        **_summary_context(request, "stopsearch:audit"),
    }
    return render(request, "stopsearch/audit_overview.html", context)


@permission_required("stopsearch.independent_review")
def panel_summary(request: HttpRequest) -> HttpResponse:
    """The panel's quarterly findings: counts only, no record links."""
    context = {
        "crumbs": [
            (_("Your reviews"), reverse("stopsearch:panel-list")),
            (_("Quarterly summary"), None),
        ],
        **_summary_context(request, "stopsearch:panel-summary"),
    }
    return render(request, "stopsearch/panel_summary.html", context)


urlpatterns: list[URLPattern] = [
    path("reviews/", review_list, name="review-list"),
    path("reviews/<int:pk>/", review_detail, name="review-detail"),
    path("panel/", panel_list, name="panel-list"),
    path("panel/summary/", panel_summary, name="panel-summary"),
    path("panel/assign/", panel_assign, name="panel-assign"),
    path("panel/<int:pk>/", panel_review, name="panel-review"),
    path("audit/", audit_overview, name="audit"),
]
