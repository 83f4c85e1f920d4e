"""Estimating the matching model, de-duplicating the whole people table, and the review
queue's decisions (merge a cluster, dismiss it, undo its merges).

Estimation and de-duplication are system jobs over every active person record (like the
monthly stop and search sample): they read the table directly, not through a user's scope,
and what they produce holds no personal data (model parameters) or is read back only through
``restrict`` (clusters are visible only to those who may change every member). Each merge of a
cluster goes through ``merges.person_merge``: the same checks, audit and undo as a merge made
from a person's page.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_record
from pontio.core.concurrency import check_version
from pontio.core.permissions import require_permission
from pontio.core.recording import AuditAction
from pontio.core.request_cache import forget
from pontio.core.scopes import restrict
from pontio.people.linkage import blocking
from pontio.people.linkage.estimate import MIN_RECORDS, TooFewRecords, estimate
from pontio.people.linkage.features import Record, Table, build_table
from pontio.people.linkage.model import (
    LinkageModel,
    ambiguous_links,
    identified_links,
    reasons,
)
from pontio.people.matching import LIKELY_THRESHOLD
from pontio.people.model_store import current_match_model, current_version
from pontio.people.models import (
    Address,
    Alias,
    ClusterMember,
    CustodyNumber,
    DeduplicationRun,
    DuplicateCluster,
    MatchModel,
    Person,
    PersonMerge,
)
from pontio.people.services.merges import person_merge, person_unmerge
from pontio.people.services.parts import MIN_EXPLANATION

#: Pairs scored per step of a run (bounds the memory of the comparison arrays).
CHUNK = 500_000
#: A cluster larger than this is not offered for merging in one go (a chain of weak links).
MAX_CLUSTER = 10


# --- reading the table --------------------------------------------------------------------


def load_people(people: QuerySet[Person] | None = None) -> tuple[np.ndarray, np.ndarray, Table]:
    """(person ids, their versions, the linkage table) of the active people."""
    people = Person.objects.filter(is_active=True) if people is None else people
    rows = list(
        people.order_by("pk").values_list(
            "pk", "version", "given_name", "family_name", "date_of_birth", "gender", "pnc_id"
        )
    )
    ids = [row[0] for row in rows]
    wanted = people.values("pk")
    addresses: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for person_id, postcode, line_1, town in (
        Address.objects.filter(person__in=wanted)
        .order_by("person_id", F("valid_to").desc(nulls_first=True), "-valid_from", "-pk")
        .values_list("person_id", "postcode", "line_1", "town")
        .iterator(chunk_size=20000)
    ):
        addresses[person_id].append((postcode, line_1, town))
    custody: dict[int, list[str]] = defaultdict(list)
    for person_id, number in (
        CustodyNumber.objects.filter(person__in=wanted)
        .order_by("person_id", "-pk")
        .values_list("person_id", "number")
        .iterator(chunk_size=20000)
    ):
        custody[person_id].append(number)
    aliases: dict[int, list[str]] = defaultdict(list)
    for person_id, family in (
        Alias.objects.filter(person__in=wanted)
        .values_list("person_id", "family_name")
        .iterator(chunk_size=20000)
    ):
        aliases[person_id].append(family)
    records = [
        Record(
            given_name=given,
            family_name=family,
            date_of_birth=born,
            sex=gender,
            pnc_id=pnc,
            addresses=tuple(addresses.get(pk, ())),
            custody_numbers=tuple(custody.get(pk, ())),
            previous_family_names=tuple(aliases.get(pk, ())),
        )
        for pk, _version, given, family, born, gender, pnc in rows
    ]
    versions = np.asarray([row[1] for row in rows], dtype=np.int64)
    return np.asarray(ids, dtype=np.int64), versions, build_table(records)


# --- the model ----------------------------------------------------------------------------


def _changed_decisions(old: LinkageModel, new: LinkageModel, t: Table) -> dict[str, int]:
    """How the new model would change what is offered as likely, on the blocked pairs."""
    pairs = blocking.sample_candidate_pairs(t, CHUNK, np.random.default_rng(0))
    if not len(pairs):
        return {"pairs": 0, "likely_before": 0, "likely_after": 0, "changed": 0}
    before = old.score(t, pairs[:, 0], pairs[:, 1]).probability >= LIKELY_THRESHOLD
    after = new.score(t, pairs[:, 0], pairs[:, 1]).probability >= LIKELY_THRESHOLD
    return {
        "pairs": len(pairs),
        "likely_before": int(before.sum()),
        "likely_after": int(after.sum()),
        "changed": int((before != after).sum()),
    }


def _too_few(count: int) -> ValidationError:
    return ValidationError(
        ngettext(
            "The people table holds %(count)s record; a model needs at least %(min)s. "
            "The current model is kept.",
            "The people table holds %(count)s records; a model needs at least %(min)s. "
            "The current model is kept.",
            count,
        )
        % {"count": count, "min": MIN_RECORDS},
        code="too_few_records",
    )


def check_enough_records() -> None:
    """Refuse early (before queueing the work) when a model cannot be estimated."""
    count = Person.objects.filter(is_active=True).count()
    if count < MIN_RECORDS:
        raise _too_few(count)


def estimate_model(*, context: AuditContext, actor: User | None) -> MatchModel:
    """Estimate a model from the active people and make it current.

    Refused (the current model is kept) when the table holds fewer than MIN_RECORDS people.
    """
    if actor is not None:
        require_permission(actor, "people.manage_matching")
    started = time.monotonic()
    _ids, _versions, table = load_people()
    try:
        model = estimate(table)
    except TooFewRecords:
        raise _too_few(table.n) from None
    evaluation = {
        "compared_with_version": current_version(),
        **_changed_decisions(current_match_model(), model, table),
        "seconds": round(time.monotonic() - started, 1),
    }
    with transaction.atomic():
        MatchModel.objects.filter(is_current=True).update(is_current=False)
        stored = MatchModel.objects.create(
            created_by=actor,
            records=table.n,
            parameters=model.to_json(),
            evaluation=evaluation,
            is_current=True,
        )
        audit_record(
            context=context,
            action=AuditAction.CREATE,
            obj=stored,
            after={"records": table.n, "prior": model.prior},
        )
    forget(lambda key: key == ("people.match_model",))
    return stored


# --- de-duplication -----------------------------------------------------------------------


def start_deduplication(*, context: AuditContext, actor: User | None) -> DeduplicationRun:
    """Open a run (refused while another runs); the work is ``run_deduplication``."""
    if actor is not None:
        require_permission(actor, "people.manage_matching")
    running = DeduplicationRun.objects.filter(status=DeduplicationRun.Status.RUNNING).first()
    refusal = ValidationError(
        _("A de-duplication is already running. Wait for it to finish, then start another."),
        code="running",
    )
    if running is not None:
        raise refusal
    try:
        with transaction.atomic():
            run = DeduplicationRun.objects.create(
                started_by=actor,
                model_id=current_version() or None,
            )
            audit_record(context=context, action=AuditAction.CREATE, obj=run)
    except IntegrityError:
        raise refusal from None
    return run


def _clusters(pairs: np.ndarray) -> list[list[int]]:
    """Connected components of the linked pairs (union-find), as lists of row indices."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    for a, b in pairs.tolist():
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = defaultdict(list)
    for node in {int(x) for x in pairs.ravel()}:
        groups[find(node)].append(node)
    return [sorted(members) for members in groups.values()]


def _dismissed_pairs() -> set[tuple[int, int]]:
    """Pairs a reviewer has said are different people: never proposed again."""
    out: set[tuple[int, int]] = set()
    for pairs in DuplicateCluster.objects.filter(
        status=DuplicateCluster.Status.DISMISSED
    ).values_list("pairs", flat=True):
        for a, b, *_rest in pairs:
            out.add((min(a, b), max(a, b)))
    return out


def run_deduplication(run_id: int) -> DeduplicationRun:
    """Score every candidate pair of the active people and replace the open clusters."""
    run = DeduplicationRun.objects.get(pk=run_id)
    if run.status != DeduplicationRun.Status.RUNNING:
        raise ValidationError(_("This de-duplication run has already ended."), code="ended")
    started = time.monotonic()
    try:
        stats: dict[str, Any] = {}
        model = current_match_model()
        ids, versions, table = load_people()
        stats["load_seconds"] = round(time.monotonic() - started, 1)
        pairs, counts = blocking.candidate_pairs(table)
        stats["blocking"] = counts
        stats["block_seconds"] = round(time.monotonic() - started - stats["load_seconds"], 1)
        linked: list[np.ndarray] = []
        probabilities: list[np.ndarray] = []
        reason_rows: list[tuple[str, ...]] = []
        identified: list[np.ndarray] = []
        for start in range(0, len(pairs), CHUNK):
            chunk = pairs[start : start + CHUNK]
            scores = model.score(table, chunk[:, 0], chunk[:, 1])
            keep = np.flatnonzero(scores.probability >= LIKELY_THRESHOLD)
            linked.append(chunk[keep])
            probabilities.append(scores.probability[keep])
            identified.append(identified_links(scores)[keep])
            reason_rows.extend(reasons(model, scores, int(row)) for row in keep)
        edges = np.concatenate(linked) if linked else np.zeros((0, 2), dtype=np.int64)
        edge_p = np.concatenate(probabilities) if probabilities else np.zeros(0)
        if len(edges):
            ambiguous = ambiguous_links(model, table, edges, np.concatenate(identified))
            stats["ambiguous_links"] = int(ambiguous.sum())
            edges, edge_p = edges[~ambiguous], edge_p[~ambiguous]
            reason_rows = [r for r, a in zip(reason_rows, ambiguous, strict=True) if not a]
        dismissed = _dismissed_pairs()
        keep_edge = [
            k
            for k, (a, b) in enumerate(edges.tolist())
            if (min(ids[a], ids[b]), max(ids[a], ids[b])) not in dismissed
        ]
        edges, edge_p = edges[keep_edge], edge_p[keep_edge]
        reason_rows = [reason_rows[k] for k in keep_edge]
        by_node: dict[int, list[int]] = defaultdict(list)
        for k, (a, _b) in enumerate(edges.tolist()):
            by_node[a].append(k)
        groups = _clusters(edges)
        stats["oversized_clusters"] = sum(1 for g in groups if len(g) > MAX_CLUSTER)
        with transaction.atomic():
            DuplicateCluster.objects.filter(status=DuplicateCluster.Status.OPEN).delete()
            made = _store_clusters(run, groups, edges, edge_p, reason_rows, by_node, ids, versions)
            run.status = DeduplicationRun.Status.FINISHED
            run.records, run.pairs, run.clusters = table.n, len(pairs), made
            run.finished_at = timezone.now()
            run.seconds = round(time.monotonic() - started, 1)
            run.stats = stats
            run.save()
    except Exception as error:
        DeduplicationRun.objects.filter(pk=run.pk).update(
            status=DeduplicationRun.Status.FAILED,
            finished_at=timezone.now(),
            seconds=round(time.monotonic() - started, 1),
            error=type(error).__name__,
        )
        raise
    return run


def _store_clusters(
    run: DeduplicationRun,
    groups: list[list[int]],
    edges: np.ndarray,
    edge_p: np.ndarray,
    reason_rows: list[tuple[str, ...]],
    by_node: dict[int, list[int]],
    ids: np.ndarray,
    versions: np.ndarray,
) -> int:
    clusters: list[tuple[DuplicateCluster, list[int]]] = []
    member_rows: list[ClusterMember] = []
    for group in groups:
        if len(group) > MAX_CLUSTER:
            continue
        members = set(group)
        edge_ids = [k for node in group for k in by_node.get(node, ()) if edges[k][1] in members]
        pairs: list[list[Any]] = [
            [
                int(ids[edges[k][0]]),
                int(ids[edges[k][1]]),
                round(float(edge_p[k]), 4),
                list(reason_rows[k]),
            ]
            for k in edge_ids
        ]
        clusters.append(
            (
                DuplicateCluster(run=run, probability=min(float(p[2]) for p in pairs), pairs=pairs),
                group,
            )
        )
    DuplicateCluster.objects.bulk_create([c for c, _g in clusters], batch_size=2000)
    for cluster, group in clusters:
        member_rows.extend(
            ClusterMember(cluster=cluster, person_id=int(ids[n]), person_version=int(versions[n]))
            for n in group
        )
    ClusterMember.objects.bulk_create(member_rows, batch_size=5000)
    return len(clusters)


# --- the review queue's decisions ----------------------------------------------------------


def _locked_cluster(actor: User, cluster_id: int, version: int | None) -> DuplicateCluster:
    require_permission(actor, "people.merge_person")
    cluster = (
        restrict(DuplicateCluster.objects.select_for_update(), actor, "change")
        .filter(pk=cluster_id)
        .first()
    )
    if cluster is None:
        raise PermissionDenied
    check_version(cluster, version)
    return cluster


def is_stale(cluster: DuplicateCluster) -> bool:
    members = list(cluster.members.values_list("person_id", "person_version"))
    current = dict(
        Person.objects.filter(pk__in=[p for p, _v in members], is_active=True).values_list(
            "pk", "version"
        )
    )
    return any(current.get(person_id) != version for person_id, version in members)


STALE_MESSAGE = (
    "These records have changed since the de-duplication run found them: nothing has been "
    "merged. Run the de-duplication again, or merge from a person's page."
)


@transaction.atomic
def merge_cluster(
    *,
    context: AuditContext,
    actor: User,
    cluster_id: int,
    survivor_id: int,
    reason: str,
    version: int | None,
) -> DuplicateCluster:
    """Merge every other member of an open cluster into ``survivor`` (one ``PersonMerge``
    each, undoable). Refused, with nothing merged, if any member changed since the run."""
    cluster = _locked_cluster(actor, cluster_id, version)
    if cluster.status != DuplicateCluster.Status.OPEN:
        raise ValidationError(_("This group has already been decided."), code="decided")
    member_ids = list(cluster.members.values_list("person_id", flat=True))
    if survivor_id not in member_ids:
        raise ValidationError(
            {"survivor": [_("Choose which record to keep from the records in this group")]}
        )
    if len(reason.strip()) < MIN_EXPLANATION:
        raise ValidationError(
            {"reason": [_("Explain in at least 10 characters why these are the same person")]}
        )
    if is_stale(cluster):
        raise ValidationError(_(STALE_MESSAGE), code="stale_cluster")
    merges = []
    for duplicate_id in member_ids:
        if duplicate_id == survivor_id:
            continue
        survivor_version = Person.objects.values_list("version", flat=True).get(pk=survivor_id)
        duplicate_version = Person.objects.values_list("version", flat=True).get(pk=duplicate_id)
        merge = person_merge(
            context=context,
            actor=actor,
            survivor_id=survivor_id,
            duplicate_id=duplicate_id,
            reason=reason,
            survivor_version=survivor_version,
            duplicate_version=duplicate_version,
        )
        merges.append(merge.pk)
    _decide(context, actor, cluster, DuplicateCluster.Status.MERGED, reason, survivor_id, merges)
    return cluster


@transaction.atomic
def dismiss_cluster(
    *, context: AuditContext, actor: User, cluster_id: int, reason: str, version: int | None
) -> DuplicateCluster:
    """Record that the group is not one person: its pairs are not proposed again."""
    cluster = _locked_cluster(actor, cluster_id, version)
    if cluster.status != DuplicateCluster.Status.OPEN:
        raise ValidationError(_("This group has already been decided."), code="decided")
    if len(reason.strip()) < MIN_EXPLANATION:
        raise ValidationError(
            {"reason": [_("Explain in at least 10 characters why these are different people")]}
        )
    _decide(context, actor, cluster, DuplicateCluster.Status.DISMISSED, reason, None, [])
    return cluster


@transaction.atomic
def undo_cluster(
    *, context: AuditContext, actor: User, cluster_id: int, reason: str, version: int | None
) -> DuplicateCluster:
    """Undo every merge a cluster made (most recent first), through ``person_unmerge``."""
    cluster = _locked_cluster(actor, cluster_id, version)
    if cluster.status != DuplicateCluster.Status.MERGED:
        raise ValidationError(_("Only a merged group can be undone."), code="not_merged")
    for merge_id in reversed(cluster.merges):
        if PersonMerge.objects.filter(pk=merge_id, unmerged_at=None).exists():
            person_unmerge(context=context, actor=actor, merge_id=merge_id, reason=reason)
    _decide(
        context,
        actor,
        cluster,
        DuplicateCluster.Status.UNDONE,
        reason,
        cluster.survivor_id,
        cluster.merges,
    )
    return cluster


def _decide(
    context: AuditContext,
    actor: User,
    cluster: DuplicateCluster,
    status: str,
    reason: str,
    survivor_id: int | None,
    merges: Iterable[int],
) -> None:
    before = {"status": cluster.status}
    cluster.status = status
    cluster.survivor_id = survivor_id
    cluster.merges = list(merges)
    cluster.decided_by = actor
    cluster.decided_at = timezone.now()
    cluster.decision_reason = reason.strip()
    cluster.save()
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=cluster,
        person_id=survivor_id or "",
        before=before,
        after={"status": status, "merges": cluster.merges},
    )
