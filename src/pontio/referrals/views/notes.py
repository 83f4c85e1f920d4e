"""Case notes on a referral, both ways: the "Notes" section of both referral pages, the
page that adds a note, and acknowledging a concern (``services.notes``).

The provider's form says that a note is shared with the police and must not carry
clinical detail. A referral outside the user's scope is "not found" and audited
(``scoped_get``); a refusal is shown and audited as a denial.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pontio.accounts.models import User
from pontio.core.access import permission_required, scoped_get
from pontio.core.scopes import restrict
from pontio.referrals import lifecycle
from pontio.referrals.forms.notes import NoteForm
from pontio.referrals.forms.provider import VersionForm
from pontio.referrals.models import CaseNote, Party, Referral
from pontio.referrals.refusals import audit_refusal
from pontio.referrals.sections import ReferralSection, register_section
from pontio.referrals.services.notes import concern_acknowledge as acknowledge_service
from pontio.referrals.services.notes import may_write
from pontio.referrals.services.notes import note_add as note_add_service
from pontio.referrals.views.common import context_of, detail_url, user_of
from pontio.referrals.views.work import _work_page

CATEGORY_TAGS: dict[str, str] = {
    CaseNote.Category.GENERAL: "govuk-tag--grey",
    CaseNote.Category.CHANGE: "govuk-tag--blue",
    CaseNote.Category.CONCERN: "govuk-tag--red",
}


def notes_url(referral: Referral) -> str:
    return detail_url(referral) + "#notes"


# --- the section ---------------------------------------------------------------------------


def notes_section(user: User, referral: Referral, party: str) -> dict[str, Any] | None:
    """Every note of the referral, oldest first (one query), with the open concerns of the
    other side marked for acknowledging."""
    writes = may_write(user, party)
    notes = list(
        restrict(CaseNote.objects.filter(referral=referral), user, "view")
        .select_related("author", "author_organisation", "acknowledged_by__organisation")
        .order_by("created_at", "pk")
    )
    may_add = writes and referral.is_open
    if not notes and not may_add:
        return None
    rows = [
        {
            "pk": n.pk,
            "version": n.version,
            "at": n.created_at,
            "category": n.get_category_display(),
            "tag": CATEGORY_TAGS.get(n.category, ""),
            "is_concern": n.category == CaseNote.Category.CONCERN,
            "open": n.is_open_concern,
            "text": n.text,
            "who": str(n.author),
            "organisation": n.author_organisation.display_name,
            "mine": n.author_party == party,
            "may_acknowledge": n.is_open_concern and writes and n.author_party != party,
            "acknowledged_at": n.acknowledged_at,
            "acknowledged_by": (
                n.acknowledged_by.organisation.display_name
                if n.acknowledged_by is not None and n.acknowledged_by.organisation is not None
                else ""
            ),
        }
        for n in notes
    ]
    return {
        "notes": rows,
        "open_concerns": sum(1 for r in rows if r["may_acknowledge"]),
        "may_add": may_add,
        "referral": referral,
        "party": party,
    }


register_section(ReferralSection("notes", "referrals/_notes_section.html", notes_section, order=10))


# --- the pages ----------------------------------------------------------------------------


def _changeable(request: HttpRequest, pk: int) -> Referral:
    return scoped_get(request, Referral.objects.all(), pk, "change", audit_read=False)


@permission_required("referrals.view")
@require_http_methods(["GET", "POST"])
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _changeable(request, pk)
    party = lifecycle.party_of(user_of(request))
    chosen = request.GET.get("category", "")
    initial = {"category": chosen if chosen in CaseNote.Category.values else ""}
    form = NoteForm(request.POST or None, initial=initial, party=party)
    if party == Party.PROVIDER:
        hint = _(
            "Notes are shared with the police. Never write clinical detail in a note: "
            "clinical records stay in your organisation's records."
        )
    else:
        hint = _("Notes are shared with the provider's staff working on this referral.")
    return _work_page(
        request,
        referral,
        form,
        title=_("Add a note"),
        hint=hint,
        button=_("Save the note"),
        save=lambda f, c, u: note_add_service(
            context=c,
            actor=u,
            referral_id=referral.pk,
            category=f.cleaned_data["category"],
            text=f.cleaned_data["text"],
            notify_other_side=f.cleaned_data["notify_other_side"],
        ),
        done=_("The note has been saved."),
    )


@permission_required("referrals.view")
@require_POST
def concern_acknowledge(request: HttpRequest, pk: int, note_pk: int) -> HttpResponse:
    referral = _changeable(request, pk)
    note = scoped_get(
        request,
        CaseNote.objects.filter(referral_id=referral.pk),
        note_pk,
        "change",
        audit_read=False,
    )
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return HttpResponseRedirect(notes_url(referral))
    try:
        acknowledge_service(
            context=context_of(request),
            actor=user_of(request),
            note_id=note.pk,
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        audit_refusal(request, error, referral=referral)
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The concern has been acknowledged."))
    return HttpResponseRedirect(notes_url(referral))


urlpatterns: list[URLPattern] = [
    path("<int:pk>/notes/new/", note_add, name="note-add"),
    path(
        "<int:pk>/notes/<int:note_pk>/acknowledge/",
        concern_acknowledge,
        name="concern-acknowledge",
    ),
]
