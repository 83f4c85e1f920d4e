"""Caseload pages: the user's referrals in tabs, a search, and bulk allocation.

The tabs are links (``?tab=unassigned``): they work without JavaScript and each says how
many referrals it holds. The search (reference, name or date of birth) is a POST form kept
in the session, so no name or date of birth is ever in a URL; it applies to every tab until
cleared. A provider manager allocates from "Unassigned" and "Open": each row has a checkbox
and carries its version; the allocation is POSTed to ``referrals:bulk-allocate``
(``services.caseload.referrals_allocate``), which reports what was allocated and what had
been changed by someone else in the meantime.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from pontio.accounts.models import User
from pontio.audit.services import audit_request
from pontio.core.access import permission_required
from pontio.core.forms import GovukForm
from pontio.core.permissions import has_permission
from pontio.core.recording import AuditAction
from pontio.referrals import caseload as reads
from pontio.referrals import selectors, sla
from pontio.referrals.models import Party, Referral
from pontio.referrals.refusals import audit_refusal
from pontio.referrals.services.caseload import referrals_allocate
from pontio.referrals.views.common import context_of, user_of

SESSION_SEARCH = "pontio_caseload_search"


class CaseloadSearchForm(GovukForm):
    q = forms.CharField(
        label=gettext_lazy("Reference, name or date of birth"),
        help_text=gettext_lazy(
            "For example PR26-000123, Dafydd Jones, or 27/03/1990 (day/month/year)"
        ),
        max_length=reads.MAX_QUERY,
        required=False,
    )

    def clean_q(self) -> str:
        value = self.cleaned_data.get("q", "")
        try:
            reads.parse_search(value)
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict["q"]) from error
        return str(value).strip()


class BulkAllocateForm(GovukForm):
    """The caseworker chosen for the ticked rows (the rows are read from the POST)."""

    caseworker = forms.ChoiceField(
        label=gettext_lazy("Allocate the chosen referrals to"),
        error_messages={"required": gettext_lazy("Choose a caseworker")},
    )

    def __init__(self, *args: Any, caseworkers: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["caseworker"]
        field.choices = [
            ("", _("Choose a caseworker")),
            *((str(u.pk), str(u)) for u in caseworkers),
        ]


def organisation_caseworkers(user: User) -> list[User]:
    """The caseworkers of the user's organisation (who a referral of it may go to)."""
    if user.organisation_id is None:
        return []
    return selectors.caseworkers_of(Referral(provider_id=user.organisation_id))


def _saved_search(request: HttpRequest) -> reads.Search:
    try:
        return reads.parse_search(request.session.get(SESSION_SEARCH, ""))
    except ValidationError:
        request.session.pop(SESSION_SEARCH, None)
        return reads.Search()


def _tab_url(tab: str) -> str:
    return reverse("referrals:caseload") + "?" + urlencode({"tab": tab})


def _page(
    request: HttpRequest,
    *,
    tab: str | None,
    search_form: CaseloadSearchForm | None = None,
    allocate_form: BulkAllocateForm | None = None,
    chosen: set[int] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = user_of(request)
    today = timezone.localdate()
    search = _saved_search(request)
    found = reads.caseload(user, tab, search, today=today)
    audit_request(
        request,
        AuditAction.READ,
        object_type="referrals.referral",
        reason=f"caseload: tab={found.tab}, search={found.search.kind or 'none'}",
    )
    page = Paginator(found.rows, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    for referral in page:
        referral.tag_class = selectors.STATUS_TAGS.get(referral.status, "")  # type: ignore[attr-defined]
        left = sla.days_left(referral.breaches_on, today)  # type: ignore[attr-defined]
        referral.days_left = left  # type: ignore[attr-defined]
        referral.overdue_by = -left if left is not None and left < 0 else 0  # type: ignore[attr-defined]
        referral.chosen = referral.pk in (chosen or set())  # type: ignore[attr-defined]
    is_provider = found.party == Party.PROVIDER
    may_allocate = (
        is_provider
        and found.tab in reads.ALLOCATING_TABS
        and has_permission(user, "referrals.allocate")
    )
    if may_allocate and allocate_form is None:
        allocate_form = BulkAllocateForm(caseworkers=organisation_caseworkers(user))
    tabs = [
        {
            "key": key,
            "label": label,
            "count": found.counts.get(key, 0),
            "url": _tab_url(key),
            "current": key == found.tab,
        }
        for key, label in found.tabs.items()
    ]
    current_label = found.tabs[found.tab]
    context: dict[str, Any] = {
        "title": _("Caseload"),
        "intro": (
            _("The referrals of your organisation, by who is working on them.")
            if is_provider
            else _("The referrals you made, and for supervisors those of your team.")
        ),
        "tabs": tabs,
        "tab": found.tab,
        "tab_label": current_label,
        "page": page,
        "is_provider": is_provider,
        "search_form": search_form or CaseloadSearchForm(initial={"q": found.search.text}),
        "searching": bool(found.search.kind),
        "search_text": found.search.text,
        "may_allocate": may_allocate,
        "allocate_form": allocate_form,
        "form": search_form if search_form is not None and search_form.errors else allocate_form,
        "crumbs": [(_("Referrals"), reverse("referrals:inbox")), (_("Caseload"), None)],
    }
    return render(request, "referrals/caseload.html", context, status=status)


@permission_required("referrals.view")
@require_http_methods(["GET", "POST"])
def caseload(request: HttpRequest) -> HttpResponse:
    """The tabs; a POST sets or clears the search (kept in the session)."""
    tab = request.GET.get("tab") or request.POST.get("tab") or None
    if request.method == "POST":
        if "clear" in request.POST:
            request.session.pop(SESSION_SEARCH, None)
            return HttpResponseRedirect(_tab_url(tab or "mine"))
        form = CaseloadSearchForm(request.POST)
        if form.is_valid():
            request.session[SESSION_SEARCH] = form.cleaned_data["q"]
            return HttpResponseRedirect(_tab_url(tab or "mine"))
        return _page(request, tab=tab, search_form=form)
    return _page(request, tab=tab)


def _chosen_items(request: HttpRequest) -> list[tuple[int, int | None]]:
    items: list[tuple[int, int | None]] = []
    for value in request.POST.getlist("referral"):
        if not value.isdigit():
            continue
        version = request.POST.get(f"version-{value}", "")
        items.append((int(value), int(version) if version.isdigit() else None))
    return items


def summary(result: Any, references: dict[int, str]) -> list[tuple[int, str]]:
    """The messages saying what happened (level, text)."""
    said: list[tuple[int, str]] = []
    if result.allocated:
        said.append(
            (
                messages.SUCCESS,
                ngettext(
                    "%(count)s referral allocated.",
                    "%(count)s referrals allocated.",
                    len(result.allocated),
                )
                % {"count": len(result.allocated)},
            )
        )
    if result.stale:
        said.append(
            (
                messages.WARNING,
                ngettext(
                    "%(count)s had been changed by someone else, so it was not allocated: "
                    "reload and try again (%(references)s).",
                    "%(count)s had been changed by someone else, so they were not allocated: "
                    "reload and try again (%(references)s).",
                    len(result.stale),
                )
                % {
                    "count": len(result.stale),
                    "references": ", ".join(references.get(i, str(i)) for i in result.stale),
                },
            )
        )
    for referral_id, errors in result.refused.items():
        said.append(
            (
                messages.WARNING,
                _("%(reference)s was not allocated: %(reason)s")
                % {
                    "reference": references.get(referral_id, str(referral_id)),
                    "reason": " ".join(errors),
                },
            )
        )
    if result.not_found:
        said.append(
            (
                messages.WARNING,
                ngettext(
                    "%(count)s referral was not found among those you may allocate.",
                    "%(count)s referrals were not found among those you may allocate.",
                    len(result.not_found),
                )
                % {"count": len(result.not_found)},
            )
        )
    return said


@permission_required("referrals.allocate")
@require_POST
def bulk_allocate(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    tab = request.POST.get("tab") or "unassigned"
    items = _chosen_items(request)
    form = BulkAllocateForm(request.POST, caseworkers=organisation_caseworkers(user))
    if form.is_valid() and not items:
        form.add_error(None, _("Choose at least one referral to allocate"))
    if not form.is_valid():
        return _page(
            request, tab=tab, allocate_form=form, chosen={i for i, _v in items}, status=400
        )
    try:
        result = referrals_allocate(
            context=context_of(request),
            actor=user,
            items=items,
            caseworker_id=int(form.cleaned_data["caseworker"]),
        )
    except ValidationError as error:
        audit_refusal(request, error)
        form.add_validation_error(error)
        return _page(request, tab=tab, allocate_form=form, status=400)
    for referral_id in [*result.stale, *result.refused, *result.not_found]:
        audit_request(
            request,
            AuditAction.DENIED,
            object_type="referrals.referral",
            object_id=str(referral_id),
            reason="bulk allocation refused: "
            + ("stale_version" if referral_id in result.stale else "refused"),
        )
    references = dict(
        selectors.referrals_for(user)
        .filter(pk__in=[i for i, _v in items])
        .values_list("pk", "reference")
    )
    for level, text in summary(result, references):
        messages.add_message(request, level, text)
    return HttpResponseRedirect(_tab_url(tab))


urlpatterns: list[URLPattern] = [
    path("caseload/", caseload, name="caseload"),
    path("caseload/allocate/", bulk_allocate, name="bulk-allocate"),
]
