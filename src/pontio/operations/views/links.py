"""Link the referrals made during the operation, from the suggested list."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from pontio.audit.services import AuditContext
from pontio.core.access import permission_required
from pontio.operations import selectors, services
from pontio.operations.forms import LinkReferralsForm
from pontio.operations.views.common import (
    crumbs,
    form_page,
    operation_of,
    require_action,
    user_of,
)
from pontio.referrals.models import Pathway


def _label(referral: object) -> str:
    return _("%(reference)s, %(county)s, sent %(date)s (%(pathway)s)") % {
        "reference": referral.reference,  # type: ignore[attr-defined]
        "county": referral.county.label,  # type: ignore[attr-defined]
        "date": f"{referral.sent_at:%d/%m/%Y}",  # type: ignore[attr-defined]
        "pathway": Pathway(referral.pathway).label.lower(),  # type: ignore[attr-defined]
    }


@permission_required("operations.manage")
@require_http_methods(["GET", "POST"])
def referrals_link(request: HttpRequest, pk: int) -> HttpResponse:
    operation = operation_of(request, pk, "change" if request.method == "POST" else "view")
    require_action(operation, request, "link")
    suggested = list(selectors.suggested_referrals(user_of(request), operation)[:200])
    choices = [(r.pk, _label(r)) for r in suggested]
    form = LinkReferralsForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            links = services.referrals_link(
                context=AuditContext.from_request(request),
                actor=user_of(request),
                operation_id=operation.pk,
                referral_ids=form.cleaned_data["referrals"],
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)s referral is linked to the operation.",
                    "%(n)s referrals are linked to the operation.",
                    len(links),
                )
                % {"n": len(links)},
            )
            return HttpResponseRedirect(
                reverse("operations:detail", args=[operation.pk]) + "#demand"
            )
    title = _("Link referrals made during the operation")
    return form_page(
        request,
        "operations/link.html",
        {
            "form": form,
            "title": title,
            "operation": operation,
            "suggested": suggested,
            "crumbs": crumbs(operation, (title, None)),
        },
    )


urlpatterns: list[URLPattern] = [
    path("<int:pk>/referrals/", referrals_link, name="referrals"),
]
