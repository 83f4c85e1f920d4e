"""The inspector's review pages (``stopsearch.review``): the inspector and independent
reviews of the monthly samples in their area, with the full record, and completing the
inspector reviews. Whether a review may be completed, or its search sent to the panel,
comes from ``actions``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pontio.audit.services import audit_request
from pontio.core.access import permission_required, scoped_get
from pontio.core.recording import AuditAction
from pontio.stopsearch import selectors, services
from pontio.stopsearch.actions import COMPLETE, review_actions
from pontio.stopsearch.anonymised import NONE, anonymised_rows
from pontio.stopsearch.forms.reviews import AuditReviewForm
from pontio.stopsearch.models import AUDIT_KINDS, SearchReview
from pontio.stopsearch.views.common import (
    PAGE_SIZE,
    context_of,
    review_state,
    show_filter,
    show_links,
    show_of,
    tag_reviews,
    user_of,
)


@permission_required("stopsearch.review")
def review_list(request: HttpRequest) -> HttpResponse:
    """The inspector and independent reviews of the inspector's own and area's samples."""
    user = user_of(request)
    today = timezone.localdate()
    show = show_of(request)
    reviews = show_filter(selectors.inspector_reviews(user), show, today).select_related(
        "search", "search__county", "reviewer"
    )
    page = Paginator(reviews.order_by("due_on", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    tag_reviews(page, today)
    return render(
        request,
        "stopsearch/audit_review_list.html",
        {
            "page": page,
            "show_links": show_links(request, show),
            "crumbs": [(_("Stop and search reviews"), None)],
        },
    )


def _full_record_rows(review: SearchReview) -> list[tuple[str, Any]]:
    search = review.search
    officer = search.officer
    officer_text = (
        f"{officer.get_full_name() or officer.username} ({officer.staff_number})".replace(" ()", "")
        if officer
        else NONE
    )
    return [
        (_("Receipt reference"), search.reference),
        (
            _("Date and time"),
            formats.date_format(timezone.localtime(search.searched_at), "j F Y H:i"),
        ),
        (_("Place"), search.place or NONE),
        (_("Vehicle registration"), search.vehicle_registration or NONE),
        (_("Officer"), officer_text),
        (_("Operation"), search.operation_name or NONE),
    ]


def complete_from_form(request: HttpRequest, form: Any, review: SearchReview) -> bool:
    """Validate and save a review's answers; False (with errors on the form) if refused."""
    parsed = form.is_valid()
    try:
        # Checked even when the form is not, so that every problem shows at once.
        answers = services.check_answers(review.kind, form.answers())
    except ValidationError as error:
        form.add_validation_error(error)
        return False
    if not parsed:
        return False
    try:
        services.review_complete(
            context=context_of(request),
            actor=user_of(request),
            review_id=review.pk,
            expected_version=form.cleaned_data.get("version"),
            answers=answers,
        )
    except ValidationError as error:
        form.add_validation_error(error)
        return False
    return True


@permission_required("stopsearch.review")
@require_http_methods(["GET", "POST"])
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The full record and, for an inspector review not yet completed, the review form."""
    user = user_of(request)
    review = scoped_get(
        request,
        SearchReview.objects.filter(kind__in=AUDIT_KINDS).select_related(
            "search",
            "search__county",
            "search__person",
            "search__officer",
            "reviewer",
            "sample",
        ),
        pk,
        "view",
        audit_read=False,
    )
    # Audited once the review is known to be in scope, with the person searched.
    audit_request(request, AuditAction.READ, obj=review, person_id=review.search.person_id or "")
    actions = review_actions(review, user)
    may_complete = COMPLETE in actions
    if request.method == "POST" and not may_complete:
        if review.completed_at is not None:
            messages.error(request, services.completed_message(review))
            return HttpResponseRedirect(reverse("stopsearch:review-detail", args=[review.pk]))
        raise PermissionDenied
    form = AuditReviewForm(
        request.POST if request.method == "POST" else None, initial={"version": review.version}
    )
    if request.method == "POST" and complete_from_form(request, form, review):
        messages.success(request, _("Review completed. The officer can now read it."))
        return HttpResponseRedirect(reverse("stopsearch:review-list"))
    review.state_label, review.state_class = review_state(review, timezone.localdate())  # type: ignore[attr-defined]
    return render(
        request,
        "stopsearch/audit_review_detail.html",
        {
            "review": review,
            "search": review.search,
            "actions": actions,
            "identifying_rows": _full_record_rows(review),
            "record_rows": anonymised_rows(review.search),
            "form": form if may_complete else None,
            "crumbs": [
                (_("Stop and search reviews"), reverse("stopsearch:review-list")),
                (review.search.reference, None),
            ],
        },
    )
