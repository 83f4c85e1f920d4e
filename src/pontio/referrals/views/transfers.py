"""Provider-to-provider transfer pages: propose (the sending provider), decide (the receiving
provider, seeing only what it needs to decide), the list of incoming and outgoing transfers,
the section on both referral pages and (``dashboard_transfers``) the home panel."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pontio.accounts.models import User
from pontio.audit.services import audit_request
from pontio.core.access import permission_required, scoped_get
from pontio.core.permissions import has_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.referrals.forms.transfers import (
    TransferDecideForm,
    TransferProposeForm,
    TransferWithdrawForm,
)
from pontio.referrals.models import ContactAttempt, ContactChannel, Party, Referral, Transfer
from pontio.referrals.refusals import audit_refusal
from pontio.referrals.sections import ReferralSection, register_section
from pontio.referrals.services import transfers as service
from pontio.referrals.services.common import age_on
from pontio.referrals.views.common import (
    context_of,
    detail_url,
    inbox_url,
    referral_crumbs,
    user_of,
)
from pontio.referrals.views.create import option_rows

STATE_TAGS: dict[str, str] = {
    Transfer.State.PROPOSED: "govuk-tag--blue",
    Transfer.State.ACCEPTED: "govuk-tag--green",
    Transfer.State.DECLINED: "govuk-tag--red",
    Transfer.State.WITHDRAWN: "govuk-tag--grey",
}


def _transfers_crumbs(title: str | None = None) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = [(_("Referrals"), inbox_url())]
    if title is None:
        return [*crumbs, (_("Transfers"), None)]
    return [*crumbs, (_("Transfers"), reverse("referrals:transfers")), (title, None)]


# --- propose --------------------------------------------------------------------------


@permission_required("referrals.work")
@require_http_methods(["GET", "POST"])
def transfer_propose(request: HttpRequest, pk: int) -> HttpResponse:
    """The directory services that can take the person and why the others cannot; propose."""
    referral = scoped_get(
        request,
        Referral.objects.select_related("person", "service", "provider", "county"),
        pk,
        "change",
        audit_read=False,
    )
    audit_request(request, AuditAction.READ, obj=referral, person_id=referral.person_id)
    try:
        options = [option for option, _county in service.transfer_options(referral)]
    except ValidationError:
        options = []
    form = TransferProposeForm(request.POST or None, initial={"version": referral.version})
    if request.method == "POST" and form.is_valid():
        try:
            transfer = service.transfer_propose(
                context=context_of(request),
                actor=user_of(request),
                referral_id=referral.pk,
                expected_version=form.cleaned_data["version"],
                service_id=form.cleaned_data["service"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_validation_error(error)
            audit_refusal(request, error, referral=referral, what="transfer")
        else:
            messages.success(
                request,
                _("The transfer to %(service)s has been proposed. %(provider)s will decide.")
                % {
                    "service": transfer.to_service.display_name,
                    "provider": transfer.to_provider.display_name,
                },
            )
            return HttpResponseRedirect(detail_url(referral))
    chosen = form["service"].value()
    return render(
        request,
        "referrals/transfer_propose.html",
        {
            "form": form,
            "referral": referral,
            "transferable": referral.status in service.TRANSFERABLE,
            "eligible": option_rows([o for o in options if o.eligible]),
            "ineligible": option_rows([o for o in options if not o.eligible]),
            "chosen": str(chosen) if chosen else "",
            "crumbs": referral_crumbs(referral, _("Transfer to another provider")),
        },
    )


# --- decide (or withdraw) -----------------------------------------------------------------


def _linked(user: User, referral: Referral | None) -> Referral | None:
    """The referral if the user may open it (for a link), else None."""
    if referral is None:
        return None
    return (
        restrict(Referral.objects.filter(pk=referral.pk), user, "view")
        .only("pk", "reference")
        .first()
    )


@permission_required("referrals.work")
@require_http_methods(["GET", "POST"])
def transfer_decide(request: HttpRequest, transfer_pk: int) -> HttpResponse:
    """What the receiving provider needs to decide: name, age, county, the reasons, risks."""
    user = user_of(request)
    transfer = scoped_get(
        request,
        Transfer.objects.select_related(
            "referral__person",
            "referral__county",
            "referral__service",
            "referral__provider",
            "to_service",
            "to_provider",
            "proposed_by",
            "decided_by",
            "new_referral",
        ),
        transfer_pk,
        "view",
        audit_read=False,
    )
    referral = transfer.referral
    audit_request(request, AuditAction.READ, obj=transfer, person_id=referral.person_id)
    county = service.target_county(transfer)
    proposed = transfer.state == Transfer.State.PROPOSED
    may_decide = proposed and service.may_decide(user, transfer, county.pk)
    may_withdraw = proposed and user.organisation_id == referral.provider_id
    data = request.POST if request.method == "POST" else None
    action = request.POST.get("action", "") if data else ""
    form = TransferDecideForm(
        data if action == "decide" else None, initial={"version": transfer.version}
    )
    withdraw = TransferWithdrawForm(
        data if action == "withdraw" else None, initial={"version": transfer.version}
    )
    if data is not None:
        if action == "withdraw" and may_withdraw and withdraw.is_valid():
            try:
                service.transfer_withdraw(
                    context=context_of(request),
                    actor=user,
                    transfer_id=transfer.pk,
                    expected_version=withdraw.cleaned_data["version"],
                )
            except ValidationError as error:
                withdraw.add_validation_error(error)
                audit_refusal(request, error, referral=referral, what="transfer withdrawal")
            else:
                messages.success(request, _("The transfer has been withdrawn."))
                return HttpResponseRedirect(detail_url(referral))
        elif action == "decide" and may_decide and form.is_valid():
            accept = form.cleaned_data["decision"] == "accept"
            try:
                transfer = service.transfer_decide(
                    context=context_of(request),
                    actor=user,
                    transfer_id=transfer.pk,
                    expected_version=form.cleaned_data["version"],
                    accept=accept,
                    reason=form.cleaned_data.get("reason", ""),
                )
            except ValidationError as error:
                form.add_validation_error(error)
                audit_refusal(request, error, referral=referral, what="transfer decision")
            except PermissionDenied as denied:
                raise Http404 from denied
            else:
                if accept and transfer.new_referral is not None:
                    messages.success(
                        request,
                        _("You have accepted the transfer. The new referral is %(reference)s.")
                        % {"reference": transfer.new_referral.reference},
                    )
                    return HttpResponseRedirect(detail_url(transfer.new_referral))
                messages.success(request, _("You have declined the transfer."))
                return HttpResponseRedirect(reverse("referrals:transfers"))
        elif action not in ("decide", "withdraw") or not (may_decide or may_withdraw):
            raise Http404
    person = referral.person
    return render(
        request,
        "referrals/transfer_decide.html",
        {
            "transfer": transfer,
            "referral": referral,
            "tag": STATE_TAGS.get(transfer.state, ""),
            "name": str(person),
            "age": age_on(person.date_of_birth, timezone.localdate()),
            "county": county,
            "substances": [s.label for s in referral.substances.all()],
            "form": form,
            "withdraw": withdraw,
            "may_decide": may_decide,
            "may_withdraw": may_withdraw,
            "proposed": proposed,
            "old_link": _linked(user, referral),
            "new_link": _linked(user, transfer.new_referral),
            "crumbs": _transfers_crumbs(
                _("Transfer of %(reference)s") % {"reference": referral.reference}
            ),
        },
    )


# --- the list -----------------------------------------------------------------------------


def _rows(transfers: Any) -> list[dict[str, Any]]:
    return [
        {
            "pk": t.pk,
            "reference": t.referral.reference,
            "from_service": t.referral.service.display_name,
            "from_provider": t.referral.provider.display_name,
            "to_service": t.to_service.display_name,
            "to_provider": t.to_provider.display_name,
            "proposed_at": t.proposed_at,
            "state": t.get_state_display(),
            "tag": STATE_TAGS.get(t.state, ""),
        }
        for t in transfers
    ]


def incoming_transfers(user: User) -> Any:
    return restrict(Transfer.objects.all(), user, "view").filter(
        to_provider_id=user.organisation_id
    )


@permission_required("referrals.work")
def transfer_list(request: HttpRequest) -> HttpResponse:
    """Incoming proposals (to decide) and outgoing ones (this provider's), newest first."""
    user = user_of(request)
    related = ("referral__service", "referral__provider", "to_service", "to_provider")
    mine = restrict(Transfer.objects.select_related(*related), user, "view")
    incoming = mine.filter(to_provider_id=user.organisation_id).order_by("state", "-proposed_at")
    outgoing = mine.filter(referral__provider_id=user.organisation_id)
    return render(
        request,
        "referrals/transfers.html",
        {
            "incoming": _rows(incoming[:50]),
            "outgoing": _rows(outgoing[:50]),
            "crumbs": _transfers_crumbs(),
        },
    )


# --- the section on both referral pages ----------------------------------------------------


def transfer_section(user: Any, referral: Referral, party: str) -> dict[str, Any] | None:
    """This referral's transfers (both sides), the one that made it, and, for the receiving
    provider, the contact attempts made before the transfer."""
    visible = restrict(Transfer.objects.select_related("to_service", "new_referral"), user, "view")
    out = [
        {
            "pk": t.pk,
            "to_service": t.to_service.display_name,
            "state": t.get_state_display(),
            "waiting": t.state == Transfer.State.PROPOSED,
            "tag": STATE_TAGS.get(t.state, ""),
            "proposed_at": t.proposed_at,
            "decided_at": t.decided_at,
            "new": _linked(user, t.new_referral),
        }
        for t in visible.filter(referral=referral)
    ]
    came = visible.filter(new_referral=referral).select_related("referral__service").first()
    before: list[dict[str, Any]] = []
    if came is not None and party == Party.PROVIDER:
        # The receiving provider sees when and how the person was contacted before (never the
        # sending provider's notes): the attempts stay on the old referral.
        before = [
            {
                "at": a["at"],
                "channel": ContactChannel(a["channel"]).label,
                "outcome": ContactAttempt.Outcome(a["outcome"]).label,
            }
            for a in ContactAttempt.objects.filter(referral_id=came.referral_id).values(
                "at", "channel", "outcome"
            )
        ]
    may_propose = (
        party == Party.PROVIDER
        and has_permission(user, "referrals.work")
        and referral.status in service.TRANSFERABLE
        and not any(t["waiting"] for t in out)
    )
    if not out and came is None and not may_propose:
        return None
    return {
        "out": out,
        "came": (
            {
                "pk": came.pk,
                "from_service": came.referral.service.display_name,
                "reference": came.referral.reference,
                "decided_at": came.decided_at,
                "old": _linked(user, came.referral),
            }
            if came is not None
            else None
        ),
        "before": before,
        "party": party,
        "may_propose": may_propose,
        "propose_url": reverse("referrals:transfer-propose", args=[referral.pk]),
    }


register_section(
    ReferralSection("transfers", "referrals/_transfers_section.html", transfer_section, order=60)
)

urlpatterns: list[URLPattern] = [
    path("<int:pk>/transfer/", transfer_propose, name="transfer-propose"),
    path("transfers/", transfer_list, name="transfers"),
    path("transfers/<int:transfer_pk>/", transfer_decide, name="transfer-decide"),
]
