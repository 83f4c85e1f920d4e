"""The provider's page on a required assessment: the initial assessor's follow-up decision
(Drugs Act 2005 s13), reached from the referral the requirement made.

It needs ``custody.assessor`` and fetches the assessment for "change" through
``scoped_get``, so a requirement behind another provider's referral is "not found" (and the
attempt audited). It is open while ``actions.provider_followup_open`` says so; otherwise
the user is sent back to the referral. The service decides every rule; a refusal (no place,
a time outside the window, a stale version) is shown in the error summary and nothing is
saved.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pontio.core.access import permission_required, scoped_get
from pontio.custody import actions, services
from pontio.custody.forms.provider import ProviderFollowupForm
from pontio.custody.models import RequiredAssessment
from pontio.custody.views.common import audit_refusal, context_of, show_error, user_of

APPOINTMENT_RENAMES = {"appointment_at": "on"}


@permission_required("custody.assessor")
@require_http_methods(["GET", "POST"])
def provider_followup(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = scoped_get(
        request,
        RequiredAssessment.objects.select_related("referral", "record"),
        pk,
        "change",
        audit_read=False,
    )
    referral = assessment.referral
    referral_url = reverse("referrals:detail", args=[assessment.referral_id])
    if referral is None or not actions.provider_followup_open(assessment, user_of(request)):
        messages.info(request, _("The follow-up decision is not open now."))
        return HttpResponseRedirect(referral_url)
    title = _("Follow-up assessment (s13)")
    form = ProviderFollowupForm(request.POST or None, initial={"version": assessment.version})
    if request.method == "POST" and form.is_valid():
        required = form.is_required()
        try:
            services.assessment_followup(
                context=context_of(request),
                actor=user_of(request),
                assessment_id=assessment.pk,
                expected_version=form.cleaned_data["version"],
                required=required,
                appointment_at=form.appointment_at() if required else None,
                appointment_place=(form.cleaned_data.get("appointment_place") or "")
                if required
                else "",
                reason=form.cleaned_data.get("reason") or "",
            )
        except ValidationError as error:
            show_error(form, error, APPOINTMENT_RENAMES)
            audit_refusal(
                request, error, "followup", assessment.record.person_id, assessment.record_id
            )
        else:
            if required:
                messages.success(
                    request, _("The follow-up assessment is booked and the RA4 notice given.")
                )
            else:
                messages.success(
                    request,
                    _("The follow-up assessment is not required: the RA5 notice is given."),
                )
            return HttpResponseRedirect(referral_url)
    crumbs: list[tuple[str, str | None]] = [
        (_("Referrals"), reverse("referrals:inbox")),
        (str(referral.reference), referral_url),
        (title, None),
    ]
    return render(
        request,
        "custody/provider_followup.html",
        {
            "assessment": assessment,
            "referral": referral,
            "referral_url": referral_url,
            "form": form,
            "title": title,
            "crumbs": crumbs,
        },
    )
