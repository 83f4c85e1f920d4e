"""The inspector's pages: the authorisations waiting for them (requests to decide, oral
authorisations to confirm in writing, PACE s63C(3)), and the decision on one request."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pontio.audit.services import audit_request
from pontio.core.access import permission_required, scoped_get
from pontio.core.recording import AuditAction
from pontio.custody import rules, selectors, services
from pontio.custody.forms import AuthorisationDecisionForm, VersionOnlyForm
from pontio.custody.models import InspectorAuthorisation
from pontio.custody.views.common import audit_refusal, context_of, show_error, user_of
from pontio.custody.views.records import eligibility_of


@permission_required("custody.authorise")
def authorisation_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    rows = list(selectors.authorisations_waiting(user).select_related("requested_by"))
    return render(
        request,
        "custody/authorisation_list.html",
        {
            "pending": [a for a in rows if a.state == InspectorAuthorisation.State.PENDING],
            "to_confirm": [a for a in rows if a.awaiting_written_confirmation],
            "crumbs": [(_("Authorisations waiting"), None)],
        },
    )


def _authorisation(request: HttpRequest, pk: int) -> InspectorAuthorisation:
    authorisation = scoped_get(
        request,
        InspectorAuthorisation.objects.select_related(
            "record__suite", "record__person", "requested_by"
        ),
        pk,
        "view",
        audit_read=False,
    )
    audit_request(
        request, AuditAction.READ, obj=authorisation, person_id=authorisation.record.person_id
    )
    return authorisation


@permission_required("custody.authorise")
@require_http_methods(["GET", "POST"])
def authorisation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Grant (grounds, oral or written) or refuse (reason) a request."""
    authorisation = _authorisation(request, pk)
    record = authorisation.record
    form = AuthorisationDecisionForm(
        request.POST or None, initial={"version": authorisation.version, "oral": "written"}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        grant = data["decision"] == "grant"
        try:
            services.authorisation_decide(
                context=context_of(request),
                actor=user_of(request),
                authorisation_id=authorisation.pk,
                expected_version=data["version"],
                grant=grant,
                grounds=data.get("grounds") or "",
                oral=data.get("oral") == "oral",
                reason=data.get("reason") or "",
            )
        except ValidationError as error:
            show_error(form, error)
            audit_refusal(request, error, "authorisation", record.person_id, record.pk)
        else:
            messages.success(
                request,
                (
                    _("You authorised the test on %(number)s.")
                    if grant
                    else _("You refused to authorise the test on %(number)s.")
                )
                % {"number": record.custody_number},
            )
            return HttpResponseRedirect(reverse("custody:authorisations"))
    return render(
        request,
        "custody/authorisation_decide.html",
        {
            "authorisation": authorisation,
            "record": record,
            "form": form,
            "open": authorisation.state == InspectorAuthorisation.State.PENDING,
            "eligibility": eligibility_of(record),
            "rank": rules.authoriser_rank(user_of(request)),
            "crumbs": [
                (_("Authorisations waiting"), reverse("custody:authorisations")),
                (record.custody_number, None),
            ],
        },
    )


@permission_required("custody.authorise")
@require_POST
def authorisation_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The inspector confirms in writing the oral authorisation they gave (s63C(3))."""
    authorisation = _authorisation(request, pk)
    form = VersionOnlyForm(request.POST)
    try:
        services.authorisation_confirm_in_writing(
            context=context_of(request),
            actor=user_of(request),
            authorisation_id=authorisation.pk,
            expected_version=form.cleaned_data["version"] if form.is_valid() else None,
        )
    except ValidationError as error:
        audit_refusal(request, error, "confirmation", authorisation.record.person_id)
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The authorisation on %(number)s is confirmed in writing.")
            % {"number": authorisation.record.custody_number},
        )
    return HttpResponseRedirect(reverse("custody:authorisations"))
