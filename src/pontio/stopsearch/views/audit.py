"""Running the audit (``stopsearch.manage_audit``: inspectors and administrators): the
samples drawn (and drawing a month's sample by hand, ``services.sample_draw``), the reviews
waiting and overdue, the quarter's findings, and sending a search to the panel. Counts only:
the overview shows no record."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from pontio.core.access import permission_required
from pontio.core.permissions import has_permission
from pontio.core.scopes import restrict
from pontio.stopsearch import selectors, services
from pontio.stopsearch.actions import drawable_counties
from pontio.stopsearch.forms.reviews import PanelAssignForm, SampleDrawForm
from pontio.stopsearch.models import AuditSample, SearchReview
from pontio.stopsearch.views.common import PAGE_SIZE, context_of, user_of
from pontio.stopsearch.views.panel import summary_context


@permission_required("stopsearch.manage_audit")
@require_http_methods(["GET", "POST"])
def panel_assign(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = PanelAssignForm(request.POST)
        form.is_valid()
        try:
            review = services.panel_assign(
                context=context_of(request),
                actor=user_of(request),
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
                    "due": formats.date_format(review.due_on, "j F Y"),
                },
            )
            return HttpResponseRedirect(reverse("stopsearch:audit"))
    else:
        # From a record or a review's "Send to the panel": the reference is filled in.
        form = PanelAssignForm(initial={"reference": request.GET.get("reference", "")[:24]})
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


def _drawn_message(sample: AuditSample, created: bool) -> str:
    """What the draw did: the sample drawn now, or the one drawn before (unchanged)."""
    values = {
        "county": sample.county,
        "month": formats.date_format(sample.month, "F Y"),
        "sampled": sample.sampled,  # type: ignore[attr-defined]
        "population": sample.population,
        "rate": sample.rate_percent,
        "seed": sample.seed,
        "drawn": formats.date_format(timezone.localtime(sample.drawn_at), "j F Y H:i"),
    }
    if created:
        return (
            ngettext(
                "Sample drawn for %(county)s, %(month)s: %(sampled)s of %(population)s search "
                "(rate %(rate)s%%, seed %(seed)s).",
                "Sample drawn for %(county)s, %(month)s: %(sampled)s of %(population)s searches "
                "(rate %(rate)s%%, seed %(seed)s).",
                sample.population,
            )
            % values
        )
    return (
        ngettext(
            "The sample for %(county)s, %(month)s was already drawn on %(drawn)s: %(sampled)s of "
            "%(population)s search (rate %(rate)s%%, seed %(seed)s). Drawing again changes "
            "nothing.",
            "The sample for %(county)s, %(month)s was already drawn on %(drawn)s: %(sampled)s of "
            "%(population)s searches (rate %(rate)s%%, seed %(seed)s). Drawing again changes "
            "nothing.",
            sample.population,
        )
        % values
    )


def _draw(request: HttpRequest, form: SampleDrawForm) -> HttpResponse | None:
    """Draw the sample the form asks for; the redirect, or None (errors on the form)."""
    form.is_valid()
    try:
        sample, created = services.sample_draw(
            context=context_of(request),
            actor=user_of(request),
            month=form.chosen_month(),
            county_id=form.county_id(),
        )
    except ValidationError as error:
        # One message a field: the form's own refusal says the same as the service's.
        if hasattr(error, "error_dict"):
            error = ValidationError(
                {
                    name: errors
                    for name, errors in error.error_dict.items()
                    if name not in form.errors
                }
            )
        form.add_validation_error(error)
        return None
    sample.sampled = sample.reviews.filter(kind=SearchReview.Kind.INSPECTOR).count()  # type: ignore[attr-defined]
    messages.success(request, _drawn_message(sample, created))
    return HttpResponseRedirect(reverse("stopsearch:audit"))


@permission_required("stopsearch.manage_audit")
@require_http_methods(["GET", "POST"])
def audit_overview(request: HttpRequest) -> HttpResponse:
    """Samples drawn (and drawing one by hand), reviews waiting and overdue, and the
    quarter's findings."""
    user = user_of(request)
    today = timezone.localdate()
    may_draw = drawable_counties(user).exists()
    draw_form = None
    if may_draw:
        draw_form = SampleDrawForm(
            request.POST if request.method == "POST" else None, user=user, today=today
        )
        if request.method == "POST":
            drawn = _draw(request, draw_form)
            if drawn is not None:
                return drawn
    elif request.method == "POST":
        raise PermissionDenied
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
        "overdue": services.overdue(reviews, today).count(),
        "unassigned": reviews.filter(completed_at__isnull=True, reviewer__isnull=True).count(),
        "may_review": has_permission(user, "stopsearch.review"),
        "draw_form": draw_form,
        "rate": settings.PONTIO_STOPSEARCH_SAMPLE_PERCENT,
        "crumbs": [(_("Stop and search audit"), None)],
        **summary_context(request, "stopsearch:audit"),
    }
    return render(request, "stopsearch/audit_overview.html", context)
