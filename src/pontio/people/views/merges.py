"""Merging a duplicate into a record (choose, then confirm side by side) and undoing a merge.

Both records of a merge must be in the user's change scope, so the candidates offered here
are read in that scope (``selectors.merge_candidates``), unlike the possible duplicates of a
person's page, which come from the whole force.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pontio.audit.services import AuditContext, audit_request
from pontio.core.access import permission_required
from pontio.core.recording import AuditAction
from pontio.people import selectors, services
from pontio.people.actions import MERGE, UNMERGE
from pontio.people.forms import ChooseDuplicateForm, MergeForm, UnmergeForm
from pontio.people.views.common import (
    changeable,
    person_crumbs,
    record_number,
    shown_matches,
    user_of,
)


@permission_required("people.merge_person")
@require_http_methods(["GET", "POST"])
def person_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose the duplicate (by record number), then confirm with both records side by side."""
    survivor = changeable(request, pk, MERGE)
    user = user_of(request)
    crumbs = person_crumbs(survivor, (_("Merge a duplicate"), None))
    duplicate_id = record_number(request.GET.get("duplicate"))
    if duplicate_id is None:
        choose = ChooseDuplicateForm(request.GET if "duplicate" in request.GET else None)
        choose.is_valid()
        candidates = shown_matches(
            request, selectors.merge_candidates(user, survivor), "possible duplicate"
        )
        return render(
            request,
            "people/merge_choose.html",
            {"form": choose, "person": survivor, "candidates": candidates, "crumbs": crumbs},
        )
    duplicate = changeable(request, duplicate_id, MERGE)
    if duplicate.pk == survivor.pk:
        messages.info(request, _("Choose two different records to merge."))
        return HttpResponseRedirect(reverse("people:merge", args=[survivor.pk]))
    audit_request(request, AuditAction.READ, obj=duplicate, person_id=duplicate.pk)
    form = MergeForm(
        request.POST or None,
        initial={"survivor_version": survivor.version, "duplicate_version": duplicate.version},
    )
    conflicts = services.merge_conflicts(survivor, duplicate)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_merge(
                context=AuditContext.from_request(request),
                actor=user,
                survivor_id=survivor.pk,
                duplicate_id=duplicate.pk,
                reason=form.cleaned_data["reason"],
                survivor_version=form.cleaned_data["survivor_version"],
                duplicate_version=form.cleaned_data["duplicate_version"],
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(
                request,
                _("The records have been merged. The merge can be undone from the record."),
            )
            return HttpResponseRedirect(reverse("people:detail", args=[survivor.pk]))
    sides = [selectors.merge_sides(user, p) for p in (survivor, duplicate)]
    sides[0]["label"] = _("Record to keep")
    sides[1]["label"] = _("Duplicate to merge into it")
    return render(
        request,
        "people/merge_confirm.html",
        {
            "form": form,
            "person": survivor,
            "duplicate": duplicate,
            "sides": sides,
            "conflicts": conflicts,
            "crumbs": crumbs,
        },
    )


@permission_required("people.merge_person")
@require_http_methods(["GET", "POST"])
def person_unmerge(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo a merge of this record, chosen from its merge history, with a reason."""
    survivor = changeable(request, pk, UNMERGE)
    merges = selectors.merges_into(user_of(request), survivor, undoable=True).select_related(
        "duplicate", "merged_by"
    )
    chosen = record_number(request.POST.get("merge") or request.GET.get("merge"))
    merge = merges.filter(pk=chosen).first() if chosen is not None else None
    form = UnmergeForm(request.POST or None, initial={"merge": merge.pk if merge else None})
    if request.method == "POST":
        if merge is None:
            messages.info(request, _("Choose a merge to undo from the record's merge history."))
            return HttpResponseRedirect(reverse("people:detail", args=[survivor.pk]))
        if form.is_valid():
            try:
                services.person_unmerge(
                    context=AuditContext.from_request(request),
                    actor=user_of(request),
                    merge_id=merge.pk,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                form.add_validation_error(error)
            else:
                messages.success(request, _("The merge has been undone."))
                return HttpResponseRedirect(reverse("people:detail", args=[survivor.pk]))
    return render(
        request,
        "people/unmerge.html",
        {
            "form": form,
            "person": survivor,
            "merge": merge,
            "merges": merges,
            "crumbs": person_crumbs(survivor, (_("Undo a merge"), None)),
        },
    )
