"""Pages of the OPCC's independent scrutiny panel.

- ``panel``: a panel member's reviews (to do, and done lately);
- ``panel-review``: one review: the anonymised disposal (``anonymised.anonymised_rows``, the
  only view of a disposal a panel member has) and the judgement form;
- ``panel-feedback``: the force reads the panel's judgements by quarter (counts suppressed
  when small) and the comments, each with the disposal it is about;
- ``panel-draw``: inspectors and administrators draw a quarter's sample by hand (normally the
  task does it) and see each sample checked by redrawing it from its seed.

Reads go through ``core.scopes.restrict``; GET writes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count as DbCount
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pontio.accounts.models import User
from pontio.audit.services import AuditContext
from pontio.core.access import permission_required, scoped_get
from pontio.core.figures import suppressed_cells
from pontio.core.scopes import restrict
from pontio.disposals import panel
from pontio.disposals.anonymised import anonymised_rows
from pontio.disposals.forms.panel import DrawForm, ReviewForm
from pontio.disposals.models import DisposalSample, PanelJudgement, PanelReview
from pontio.disposals.selectors.outcomes import Count
from pontio.disposals.services import panel as services

# How many ended quarters the member's list shows (their samples' reviews done lately).
LIST_QUARTERS = 2


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - the permission check signed them in
    return user


def _crumbs(*more: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Scrutiny panel"), reverse("disposals:panel") if more else None), *more]


# --- selectors (plain functions: what each page shows) -----------------------------------------


def my_reviews(user: User, today: dt.date) -> tuple[list[PanelReview], list[PanelReview]]:
    """The member's open reviews (every one, however old: work never drops off the list) and
    those done from the samples of the last ``LIST_QUARTERS`` ended quarters."""
    mine = restrict(PanelReview.objects.all(), user, "view").filter(reviewer_id=user.pk)
    recent = panel.ended_quarters(today, LIST_QUARTERS)
    mine = mine.select_related("sample").order_by("sample__quarter", "pk")
    to_do = list(mine.filter(reviewed_at__isnull=True))
    done = list(mine.filter(reviewed_at__isnull=False, sample__quarter__in=recent))
    return to_do, done


def waiting_count(user: User) -> int:
    return (
        restrict(PanelReview.objects.all(), user, "view")
        .filter(reviewer_id=user.pk, reviewed_at__isnull=True)
        .count()
    )


@dataclass
class QuarterFeedback:
    sample: DisposalSample
    counts: list[Count]
    total: Count
    reviews: list[PanelReview] = field(default_factory=list)


def feedback_by_quarter(user: User) -> list[QuarterFeedback]:
    """The judgements submitted on the disposals the user may read, by the sample's quarter,
    the most recent first. The counts per judgement add up to the total, so one hidden cell
    would be given away by subtraction: ``suppressed_cells`` hides a second."""
    submitted = (
        restrict(PanelReview.objects.all(), user, "view")
        .filter(reviewed_at__isnull=False)
        .select_related("sample", "disposal")
        .order_by("-sample__quarter", "reviewed_at", "pk")
    )
    quarters: dict[int, QuarterFeedback] = {}
    by_sample: dict[int, list[PanelReview]] = {}
    for review in submitted:
        by_sample.setdefault(review.sample_id, []).append(review)
    for sample_id, reviews in by_sample.items():
        counted = {j.value: 0 for j in PanelJudgement}
        for review in reviews:
            counted[review.judgement] = counted.get(review.judgement, 0) + 1
        cells = {"total": len(reviews), **{f"j:{k}": n for k, n in counted.items()}}
        hidden = suppressed_cells(cells, [("total", [f"j:{k}" for k in counted])])
        quarters[sample_id] = QuarterFeedback(
            sample=reviews[0].sample,
            counts=[
                Count(str(j.label), counted[j.value], f"j:{j.value}" in hidden)
                for j in PanelJudgement
            ],
            total=Count(_("Reviews completed"), len(reviews), "total" in hidden),
            reviews=[r for r in reviews if r.feedback],
        )
    return list(quarters.values())


def disposal_url(disposal_id: int) -> str | None:
    """The force's own page of the disposal (built by the decisions feature)."""
    try:
        return reverse("disposals:detail", args=[disposal_id])
    except NoReverseMatch:
        return None


@dataclass(frozen=True)
class SampleRow:
    sample: DisposalSample
    label: str
    reviews: int
    done: int
    verification: panel.Verification


def sample_rows(user: User) -> list[SampleRow]:
    samples = (
        restrict(DisposalSample.objects.all(), user, "view")
        .annotate(
            n_reviews=DbCount("reviews"),
            n_done=DbCount("reviews", filter=Q(reviews__reviewed_at__isnull=False)),
        )
        .order_by("-quarter")
    )
    return [
        SampleRow(
            s,
            panel.quarter_label(s.quarter),
            s.n_reviews,
            s.n_done,
            panel.verify_sample(s),
        )
        for s in samples
    ]


# --- pages -------------------------------------------------------------------------------------


@permission_required("disposals.panel_review")
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    to_do, done = my_reviews(_user(request), timezone.localdate())
    for review in [*to_do, *done]:
        review.quarter_label = panel.quarter_label(review.sample.quarter)  # type: ignore[attr-defined]
    return render(
        request,
        "disposals/panel/list.html",
        {"to_do": to_do, "done": done, "crumbs": _crumbs()},
    )


def _review_queryset() -> QuerySet[PanelReview]:
    return PanelReview.objects.select_related(
        "sample",
        "disposal__county",
        "disposal__offence",
        "disposal__recommended_type",
        "disposal__disposal_type",
    ).prefetch_related("disposal__factors", "disposal__conditions")


def _review_page(
    request: HttpRequest, review: PanelReview, form: ReviewForm | None
) -> HttpResponse:
    label = panel.quarter_label(review.sample.quarter)
    title = _("Review %(n)s of the %(quarter)s sample") % {"n": review.pk, "quarter": label}
    return render(
        request,
        "disposals/panel/review.html",
        {
            "review": review,
            "rows": anonymised_rows(review.disposal),
            "form": form,
            "title": title,
            "crumbs": _crumbs((title, None)),
        },
        status=400 if form is not None and form.errors else 200,
    )


@permission_required("disposals.panel_review")
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    # The scope gives a panel member only the reviews assigned to them: another's is a 404.
    action = "change" if request.method == "POST" else "view"
    item = scoped_get(request, _review_queryset(), pk, action)
    if request.method != "POST":
        form = None if item.reviewed_at else ReviewForm(initial={"version": item.version})
        return _review_page(request, item, form)
    form = ReviewForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.review_submit(
                context=AuditContext.from_request(request),
                actor=_user(request),
                review_id=item.pk,
                judgement=data["judgement"],
                feedback=data.get("feedback") or "",
                expected_version=data["version"],
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(request, _("Your review is recorded. Thank you."))
            return HttpResponseRedirect(reverse("disposals:panel"))
    item.refresh_from_db()
    return _review_page(request, item, form)


@permission_required("disposals.panel_feedback")
@require_GET
def feedback(request: HttpRequest) -> HttpResponse:
    quarters = feedback_by_quarter(_user(request))
    for quarter in quarters:
        quarter.label = panel.quarter_label(quarter.sample.quarter)  # type: ignore[attr-defined]
        for item in quarter.reviews:
            item.disposal_url = disposal_url(item.disposal_id)  # type: ignore[attr-defined]
    return render(
        request,
        "disposals/panel/feedback.html",
        {"quarters": quarters, "crumbs": [(_("Panel judgements"), None)]},
    )


def _draw_page(request: HttpRequest, form: DrawForm) -> HttpResponse:
    return render(
        request,
        "disposals/panel/draw.html",
        {
            "form": form,
            "samples": sample_rows(_user(request)),
            "crumbs": [(_("Draw the panel's sample"), None)],
        },
        status=400 if form.errors else 200,
    )


def _draw(
    request: HttpRequest, quarter: dt.date, seed: int | None, today: dt.date
) -> tuple[DisposalSample, bool]:
    return services.sample_draw(
        context=AuditContext.from_request(request),
        actor=_user(request),
        quarter=quarter,
        today=today,
        seed=seed,
    )


@permission_required("disposals.draw_sample")
@require_http_methods(["GET", "POST"])
def draw(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    if request.method != "POST":
        return _draw_page(request, DrawForm(today=today))
    form = DrawForm(request.POST, today=today)
    if form.is_valid():
        quarter = form.cleaned_data["quarter"]
        try:
            sample, created = _draw(request, quarter, form.cleaned_data.get("seed"), today)
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            label = panel.quarter_label(sample.quarter)
            if created:
                messages.success(
                    request,
                    _("The %(quarter)s sample is drawn: %(n)s disposals to review.")
                    % {"quarter": label, "n": sample.reviews.count()},
                )
                return HttpResponseRedirect(reverse("disposals:panel-draw"))
            # A quarter is drawn once: the sample that stands is unchanged.
            form.add_error(
                "quarter",
                _("The %(quarter)s sample has already been drawn. It has not been changed.")
                % {"quarter": label},
            )
    return _draw_page(request, form)


urlpatterns: list[URLPattern] = [
    path("panel/", review_list, name="panel"),
    path("panel/reviews/<int:pk>/", review, name="panel-review"),
    path("panel/feedback/", feedback, name="panel-feedback"),
    path("panel/draw/", draw, name="panel-draw"),
]
