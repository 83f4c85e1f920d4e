"""The recommendations tracker: reviews, recommendations and their dated positions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pontio.audit.services import AuditContext
from pontio.core.access import permission_required, scoped_get
from pontio.core.permissions import has_permission
from pontio.core.scopes import restrict
from pontio.oversight import selectors
from pontio.oversight.forms import PositionForm, SectionsForm
from pontio.oversight.models import REPORT_SECTIONS, Recommendation, Review
from pontio.oversight.services import tracker as services


@permission_required("oversight.view_tracker")
def review_list(request: HttpRequest) -> HttpResponse:
    reviews = list(selectors.reviews(request.user))
    recommendations = list(selectors.recommendations(request.user))
    for review in reviews:
        review.counts = selectors.rag_counts(  # type: ignore[attr-defined]
            [r for r in recommendations if r.review_id == review.pk]
        )
    return render(
        request,
        "oversight/review_list.html",
        {
            "reviews": reviews,
            "due": selectors.due_updates(request.user, timezone.localdate()),
            "may_report": has_permission(request.user, "oversight.produce_report"),
            "may_award": has_permission(request.user, "oversight.manage_awards"),
            "may_manage": has_permission(request.user, "oversight.manage_reviews"),
            "may_returns": has_permission(request.user, "oversight.view_returns"),
        },
    )


def tracker_crumbs(*extra: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Recommendations tracker"), reverse("oversight:reviews")), *extra]


def _review(request: HttpRequest, pk: int, action: str = "view") -> Review:
    return scoped_get(request, Review.objects.all(), pk, action, audit_read=False)


@permission_required("oversight.view_tracker")
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    today = timezone.localdate()
    recommendations = list(selectors.recommendations(request.user).filter(review=review))
    return render(
        request,
        "oversight/review_detail.html",
        {
            "review": review,
            "crumbs": tracker_crumbs(),
            "recommendations": [(r, r.next_update_due()) for r in recommendations],
            "counts": selectors.rag_counts(recommendations),
            "today": today,
            "papers": review.papers.all(),
            "may_edit": has_permission(request.user, "oversight.manage_reviews"),
            "may_report": has_permission(request.user, "oversight.produce_report"),
            "sections": [
                (key, getattr(review, f"{key}_en"), getattr(review, f"{key}_cy"))
                for key, _label in REPORT_SECTIONS
            ],
        },
    )


@permission_required("oversight.manage_reviews")
def review_sections(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk, "change")
    if request.method == "POST":
        form = SectionsForm(request.POST)
        if form.is_valid():
            try:
                services.review_sections_update(
                    context=AuditContext.from_request(request),
                    actor=request.user,  # type: ignore[arg-type]
                    review_id=review.pk,
                    expected_version=form.cleaned_data["version"],
                    texts=form.cleaned_data,
                )
            except ValidationError as error:
                form.add_validation_error(error)
            else:
                messages.success(request, _("The report's text has been saved"))
                return HttpResponseRedirect(reverse("oversight:review", args=[review.pk]))
    else:
        initial = {name: getattr(review, name) for name in services.SECTION_FIELDS}
        form = SectionsForm(initial={**initial, "version": review.version})
    return render(
        request,
        "oversight/review_sections.html",
        {
            "review": review,
            "form": form,
            "crumbs": tracker_crumbs((review.title, reverse("oversight:review", args=[review.pk]))),
        },
    )


def _recommendation_page(
    request: HttpRequest, recommendation: Recommendation, form: PositionForm | None = None
) -> HttpResponse:
    user = request.user
    may_record = (
        has_permission(user, "oversight.record_position")
        and restrict(Recommendation.objects.filter(pk=recommendation.pk), user, "change").exists()
    )
    if may_record and form is None:
        form = PositionForm(
            initial={"version": recommendation.version, "rag": recommendation.rag},
            boards=selectors.boards(user),
        )
    positions = list(
        selectors.with_positions(
            selectors.recommendations(user).filter(pk=recommendation.pk), user
        )[0].positions.all()
    )
    status = 400 if form is not None and form.is_bound else 200
    return render(
        request,
        "oversight/recommendation_detail.html",
        {
            "recommendation": recommendation,
            "crumbs": tracker_crumbs(
                (
                    recommendation.review.title,
                    reverse("oversight:review", args=[recommendation.review_id]),
                )
            ),
            "positions": list(reversed(positions)),
            "next_due": recommendation.next_update_due(),
            "today": timezone.localdate(),
            "form": form if may_record else None,
            "may_manage": has_permission(user, "oversight.manage_reviews"),
        },
        status=status,
    )


@permission_required("oversight.view_tracker")
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = scoped_get(
        request, selectors.recommendations(request.user), pk, "view", audit_read=False
    )
    return _recommendation_page(request, recommendation)


@permission_required("oversight.record_position")
@require_POST
def position_add(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = scoped_get(
        request, selectors.recommendations(request.user, "change"), pk, "change", audit_read=False
    )
    form = PositionForm(request.POST, boards=selectors.boards(request.user))
    if form.is_valid():
        try:
            services.position_record(
                context=AuditContext.from_request(request),
                actor=request.user,  # type: ignore[arg-type]
                recommendation_id=recommendation.pk,
                expected_version=form.cleaned_data["version"],
                data=form.position(),
            )
        except PermissionDenied:
            raise
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(request, _("The position has been recorded"))
            return HttpResponseRedirect(
                reverse("oversight:recommendation", args=[recommendation.pk])
            )
    recommendation.refresh_from_db()
    return _recommendation_page(request, recommendation, form)
