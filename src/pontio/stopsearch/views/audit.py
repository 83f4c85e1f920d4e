"""Running the audit (``stopsearch.manage_audit``: inspectors and administrators): the
samples drawn, the reviews waiting and overdue, the quarter's findings, and sending a
search to the panel. Counts only: the overview shows no record."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pontio.core.access import permission_required
from pontio.core.permissions import has_permission
from pontio.core.scopes import restrict
from pontio.stopsearch import selectors, services
from pontio.stopsearch.forms.reviews import PanelAssignForm
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
                    "due": review.due_on.strftime("%d/%m/%Y"),
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


@permission_required("stopsearch.manage_audit")
def audit_overview(request: HttpRequest) -> HttpResponse:
    """Samples drawn, reviews waiting and overdue, and the quarter's findings."""
    user = user_of(request)
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
        "overdue": services.overdue(reviews, today).count(),
        "unassigned": reviews.filter(completed_at__isnull=True, reviewer__isnull=True).count(),
        "may_review": has_permission(user, "stopsearch.review"),
        "crumbs": [(_("Stop and search audit"), None)],
        **summary_context(request, "stopsearch:audit"),
    }
    return render(request, "stopsearch/audit_overview.html", context)
