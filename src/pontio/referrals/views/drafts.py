"""The officer's referral drafts: "My drafts" (continue or discard each), and the link that
continues one. A draft is its author's alone: another user's draft is "not found", and the
attempt is audited (``core.access.scoped_get``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pontio.audit.services import audit_request
from pontio.core.access import permission_required, scoped_get
from pontio.core.concurrency import StaleVersionError
from pontio.core.recording import AuditAction
from pontio.referrals.models import ReferralDraft
from pontio.referrals.refusals import audit_refusal
from pontio.referrals.services import drafts
from pontio.referrals.views.common import context_of, user_of

PAGE_SIZE = 25


@permission_required("referrals.create")
@require_http_methods(["GET"])
def drafts_list(request: HttpRequest) -> HttpResponse:
    """The officer's drafts, last saved first: the person, when, continue and discard."""
    user = user_of(request)
    page = Paginator(drafts.drafts_of(user), PAGE_SIZE).get_page(request.GET.get("page"))
    if page.object_list:
        # The list shows the names of the people the drafts are about.
        audit_request(
            request,
            AuditAction.READ,
            object_type="referrals.referraldraft",
            reason=f"my drafts: {len(page.object_list)} shown"[:200],
        )
    return render(
        request,
        "referrals/drafts.html",
        {
            "page": page,
            "days": drafts.DRAFT_DAYS,
            "crumbs": [(_("Referrals"), reverse("referrals:inbox")), (_("My drafts"), None)],
        },
    )


@permission_required("referrals.create")
@require_http_methods(["GET"])
def draft_continue(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a draft where it was left: step 1 of the referral, filled in."""
    draft = scoped_get(request, ReferralDraft.objects.all(), pk, "view")
    return HttpResponseRedirect(reverse("referrals:create", args=[draft.person_id]))


@permission_required("referrals.create")
@require_POST
def draft_discard(request: HttpRequest, pk: int) -> HttpResponse:
    draft = scoped_get(request, ReferralDraft.objects.all(), pk, "change", audit_read=False)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        drafts.draft_discard(
            context=context_of(request),
            actor=user_of(request),
            draft_id=draft.pk,
            expected_version=version if version is not None else -1,
        )
    except StaleVersionError as error:
        audit_refusal(request, error, person_id=draft.person_id, what="draft")
        messages.error(
            request,
            _("The draft was saved again after you opened this page, so it was not discarded."),
        )
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(request, _("The draft has been discarded."))
    return HttpResponseRedirect(reverse("referrals:drafts"))


urlpatterns: list[URLPattern] = [
    path("drafts/", drafts_list, name="drafts"),
    path("drafts/<int:pk>/", draft_continue, name="draft"),
    path("drafts/<int:pk>/discard/", draft_discard, name="draft-discard"),
]
