"""The matching model (administrators) and the review queue of possible duplicates found by
de-duplication runs (those who merge records). Each merge goes through the reversible,
audited merge of ``services.merges``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pontio.audit.services import AuditContext, audit_request
from pontio.core.access import permission_required, scoped_get
from pontio.core.recording import AuditAction
from pontio.people import selectors, tasks
from pontio.people.forms import ClusterDecisionForm, ClusterMergeForm
from pontio.people.linkage.comparisons import COMPARISONS
from pontio.people.matching import LIKELY_THRESHOLD, REASON_LABELS, default_model
from pontio.people.models import DeduplicationRun, DuplicateCluster
from pontio.people.services import linkage, merge_conflicts
from pontio.people.views.common import crumbs, reason_labels, user_of

PAGE_SIZE = 25


def _weights_table(parameters: dict[str, Any]) -> list[dict[str, Any]]:
    import math

    rows = []
    for comparison in COMPARISONS:
        data = parameters["comparisons"][comparison.name]
        levels = []
        for code, m, u in zip(data["levels"], data["m"], data["u"], strict=True):
            levels.append(
                {
                    "label": str(REASON_LABELS.get(code, code)),
                    "m": m,
                    "u": u,
                    "bits": round(math.log2(m / u), 1),
                }
            )
        rows.append({"name": comparison.name, "levels": levels})
    return rows


@permission_required("people.manage_matching")
@require_http_methods(["GET"])
def matching_model(request: HttpRequest) -> HttpResponse:
    """The current model with its weights and evaluation, past models, and the runs."""
    user = user_of(request)
    models = list(selectors.match_models(user)[:10])
    current = next((m for m in models if m.is_current), None)
    parameters = current.parameters if current else default_model().to_json()
    return render(
        request,
        "people/matching_model.html",
        {
            "current": current,
            "parameters": parameters,
            "weights": _weights_table(parameters),
            "prior_one_in": round(1 / parameters["prior"]) if parameters["prior"] else None,
            "models": models,
            "runs": selectors.deduplication_runs(user)[:10],
            "outcomes": selectors.review_outcomes(user),
            "threshold": LIKELY_THRESHOLD,
            "running": DeduplicationRun.objects.filter(
                status=DeduplicationRun.Status.RUNNING
            ).exists(),
            "crumbs": [(_("Person matching"), None)],
        },
    )


@permission_required("people.manage_matching")
@require_POST
def matching_estimate(request: HttpRequest) -> HttpResponse:
    """Re-estimate the model now (in the worker); refused when the table is too small."""
    try:
        linkage.check_enough_records()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        transaction.on_commit(lambda: tasks.reestimate_match_model.enqueue())
        messages.success(
            request,
            _("The model is being estimated. Reload this page in a minute to see it."),
        )
    return HttpResponseRedirect(reverse("people:matching"))


@permission_required("people.manage_matching")
@require_POST
def deduplication_start(request: HttpRequest) -> HttpResponse:
    """Start a de-duplication of the whole table (one at a time), in the worker."""
    try:
        run = linkage.start_deduplication(
            context=AuditContext.from_request(request), actor=user_of(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        transaction.on_commit(lambda: tasks.deduplicate.enqueue(run_id=run.pk))
        messages.success(
            request,
            _("De-duplication has started. The groups it finds will wait in the review queue."),
        )
    return HttpResponseRedirect(reverse("people:matching"))


STATUS_TABS = (
    (DuplicateCluster.Status.OPEN, _("Waiting for review")),
    (DuplicateCluster.Status.MERGED, _("Merged")),
    (DuplicateCluster.Status.DISMISSED, _("Not the same person")),
    (DuplicateCluster.Status.UNDONE, _("Merge undone")),
)


@permission_required("people.merge_person")
@require_http_methods(["GET"])
def duplicate_list(request: HttpRequest) -> HttpResponse:
    """The review queue: groups of records that are probably one person, most likely first."""
    status = request.GET.get("status", DuplicateCluster.Status.OPEN)
    if status not in DuplicateCluster.Status.values:
        status = DuplicateCluster.Status.OPEN
    groups = selectors.duplicate_groups(user_of(request), status)
    page = Paginator(groups, PAGE_SIZE).get_page(request.GET.get("page"))
    last_run = (
        selectors.deduplication_runs(user_of(request))
        .filter(status=DeduplicationRun.Status.FINISHED)
        .first()
    )
    return render(
        request,
        "people/duplicate_list.html",
        {
            "page": page,
            "status": status,
            "tabs": [(value, str(label)) for value, label in STATUS_TABS],
            "last_run": last_run,
            "crumbs": crumbs((_("Possible duplicates"), None)),
        },
    )


def _member_rows(request: HttpRequest, cluster: DuplicateCluster) -> list[dict[str, Any]]:
    people = selectors.group_members(user_of(request), cluster)
    rows = []
    for person in people:
        audit_request(
            request, AuditAction.READ, obj=person, person_id=person.pk, reason="duplicate review"
        )
        addresses = sorted(person.addresses.all(), key=lambda a: a.valid_to is not None)
        rows.append(
            {
                "person": person,
                "addresses": addresses,
                "aliases": list(person.aliases.all()),
                "custody_numbers": [c.number for c in person.custody_numbers.all()],
            }
        )
    return rows


@permission_required("people.merge_person")
@require_http_methods(["GET", "POST"])
def duplicate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One group side by side: merge it into the record to keep, dismiss it, or undo it."""
    user = user_of(request)
    cluster = scoped_get(
        request,
        DuplicateCluster.objects.select_related("run", "decided_by"),
        pk,
        "change",
        audit_read=False,
    )
    members = _member_rows(request, cluster)
    names = {row["person"].pk: row["person"] for row in members}
    choices = [(pk_, f"{person} ({_('record')} {pk_})") for pk_, person in names.items()]
    action = request.POST.get("action", "")
    merge_form = ClusterMergeForm(
        request.POST if action == "merge" else None,
        members=choices,
        initial={"version": cluster.version, "survivor": choices[0][0] if choices else None},
        prefix="merge",
    )
    decision_form = ClusterDecisionForm(
        request.POST if action in {"dismiss", "undo"} else None,
        initial={"version": cluster.version},
        prefix="decision",
    )
    context = AuditContext.from_request(request)
    if request.method == "POST":
        form = merge_form if action == "merge" else decision_form
        if action in {"merge", "dismiss", "undo"} and form.is_valid():
            data = form.cleaned_data
            try:
                if action == "merge":
                    linkage.merge_cluster(
                        context=context,
                        actor=user,
                        cluster_id=cluster.pk,
                        survivor_id=data["survivor"],
                        reason=data["reason"],
                        version=data["version"],
                    )
                    messages.success(
                        request,
                        _("The records have been merged. You can undo this from this page."),
                    )
                elif action == "dismiss":
                    linkage.dismiss_cluster(
                        context=context,
                        actor=user,
                        cluster_id=cluster.pk,
                        reason=data["reason"],
                        version=data["version"],
                    )
                    messages.success(
                        request,
                        _(
                            "Recorded: these are different people. They will not be "
                            "offered as duplicates again."
                        ),
                    )
                else:
                    linkage.undo_cluster(
                        context=context,
                        actor=user,
                        cluster_id=cluster.pk,
                        reason=data["reason"],
                        version=data["version"],
                    )
                    messages.success(request, _("The merges of this group have been undone."))
            except ValidationError as error:
                form.add_validation_error(error)
            else:
                return HttpResponseRedirect(reverse("people:duplicate", args=[cluster.pk]))
    conflicts: list[str] = []
    if cluster.status == DuplicateCluster.Status.OPEN and len(members) > 1:
        first = members[0]["person"]
        for row in members[1:]:
            conflicts.extend(str(c) for c in merge_conflicts(first, row["person"]))
    pairs = [
        {
            "a": names.get(a),
            "b": names.get(b),
            "a_pk": a,
            "b_pk": b,
            "probability": probability,
            "reasons": reason_labels(tuple(codes)),
        }
        for a, b, probability, codes in cluster.pairs
    ]
    return render(
        request,
        "people/duplicate_detail.html",
        {
            "cluster": cluster,
            "members": members,
            "pairs": pairs,
            "conflicts": sorted(set(conflicts)),
            "merge_form": merge_form,
            "decision_form": decision_form,
            "stale": cluster.status == DuplicateCluster.Status.OPEN and linkage.is_stale(cluster),
            "crumbs": crumbs(
                (_("Possible duplicates"), reverse("people:duplicates")),
                (_("Group %(number)s") % {"number": cluster.pk}, None),
            ),
        },
    )
