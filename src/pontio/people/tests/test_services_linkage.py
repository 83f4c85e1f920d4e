"""Estimating the matching model, de-duplication runs and the review queue's decisions."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from tests.factories import CARMARTHENSHIRE, POWYS

from pontio.accounts.roles import Role
from pontio.audit.models import AuditEvent
from pontio.audit.services import AuditContext
from pontio.core.concurrency import StaleVersionError
from pontio.core.scopes import restrict
from pontio.people.linkage.estimate import MIN_RECORDS
from pontio.people.models import (
    DeduplicationRun,
    DuplicateCluster,
    MatchModel,
    Person,
    PersonMerge,
)
from pontio.people.services import linkage
from pontio.people.tests.helpers import (
    linkage_duplicates,
    linkage_population,
    run_deduplication_now,
    user,
)

pytestmark = pytest.mark.django_db
SYSTEM = AuditContext.system("test")


def test_a_model_from_too_few_records_is_refused_and_the_current_one_kept() -> None:
    linkage_population(50)
    with pytest.raises(ValidationError) as refused:
        linkage.estimate_model(context=SYSTEM, actor=None)
    assert refused.value.code == "too_few_records"
    assert f"at least {MIN_RECORDS}" in refused.value.messages[0]
    assert not MatchModel.objects.exists()
    with pytest.raises(ValidationError):
        linkage.check_enough_records()


def test_estimating_stores_a_new_current_version_and_audits_it() -> None:
    linkage_population(MIN_RECORDS + 100)
    first = linkage.estimate_model(context=SYSTEM, actor=None)
    admin = user(Role.ADMINISTRATOR)
    second = linkage.estimate_model(context=SYSTEM, actor=admin)
    first.refresh_from_db()
    assert second.is_current and not first.is_current and second.pk > first.pk
    assert second.records == MIN_RECORDS + 100 and second.created_by == admin
    assert set(second.parameters["comparisons"]) >= {"given", "family", "dob", "pnc", "address"}
    assert second.evaluation["compared_with_version"] == first.pk
    # Rare names (held by fewer than five records) are not stored in the model.
    assert all(not name.startswith("prydderch-") for name in second.parameters["tf"]["family"])
    assert AuditEvent.objects.filter(object_type="people.matchmodel").count() == 2
    from pontio.people.model_store import current_match_model

    assert current_match_model().prior == pytest.approx(second.parameters["prior"])


def test_an_administrator_without_the_permission_cannot_estimate() -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        linkage.estimate_model(context=SYSTEM, actor=user(Role.OFFICER))


def _groups() -> list[set[int]]:
    return [
        set(c.members.values_list("person_id", flat=True))
        for c in DuplicateCluster.objects.filter(status=DuplicateCluster.Status.OPEN)
    ]


def test_a_run_groups_the_duplicates_and_never_the_twins_or_father_and_son() -> None:
    people = linkage_duplicates()
    run = run_deduplication_now()
    assert run.status == DeduplicationRun.Status.FINISHED
    assert run.records == 8 and run.pairs >= 2 and run.clusters == 2
    groups = _groups()
    assert {people["a1"].pk, people["a2"].pk} in groups
    assert {people["b1"].pk, people["b2"].pk} in groups
    cluster = DuplicateCluster.objects.filter(members__person=people["a1"]).get()
    assert cluster.probability >= 0.9
    ((a, b, _probability, reasons),) = cluster.pairs
    assert {a, b} == {people["a1"].pk, people["a2"].pk}
    assert "dob_transposed" in reasons and "given_nickname" in reasons


def test_a_second_run_is_refused_while_one_runs() -> None:
    first = linkage.start_deduplication(context=SYSTEM, actor=None)
    with pytest.raises(ValidationError) as refused:
        linkage.start_deduplication(context=SYSTEM, actor=None)
    assert refused.value.code == "running"
    assert DeduplicationRun.objects.count() == 1
    linkage.run_deduplication(first.pk)
    with pytest.raises(ValidationError):
        linkage.run_deduplication(first.pk)  # an ended run is not run again
    assert linkage.start_deduplication(context=SYSTEM, actor=None).pk != first.pk


def test_merge_a_group_then_undo_it() -> None:
    people = linkage_duplicates()
    run_deduplication_now()
    cluster = DuplicateCluster.objects.filter(members__person=people["a1"]).get()
    sergeant = user(Role.CUSTODY_SERGEANT, (CARMARTHENSHIRE,))
    linkage.merge_cluster(
        context=SYSTEM,
        actor=sergeant,
        cluster_id=cluster.pk,
        survivor_id=people["a1"].pk,
        reason="Same man, date typed the American way",
        version=cluster.version,
    )
    cluster.refresh_from_db()
    assert cluster.status == DuplicateCluster.Status.MERGED and cluster.survivor == people["a1"]
    duplicate = Person.objects.get(pk=people["a2"].pk)
    assert not duplicate.is_active and duplicate.merged_into_id == people["a1"].pk
    (merge_id,) = cluster.merges
    linkage.undo_cluster(
        context=SYSTEM,
        actor=sergeant,
        cluster_id=cluster.pk,
        reason="They turned out to be cousins",
        version=cluster.version,
    )
    cluster.refresh_from_db()
    assert cluster.status == DuplicateCluster.Status.UNDONE
    assert Person.objects.get(pk=people["a2"].pk).is_active
    assert PersonMerge.objects.get(pk=merge_id).unmerged_at is not None


def test_a_stale_group_is_refused_and_nothing_is_merged() -> None:
    people = linkage_duplicates()
    run_deduplication_now()
    cluster = DuplicateCluster.objects.filter(members__person=people["a1"]).get()
    Person.objects.filter(pk=people["a2"].pk).update(version=5)  # edited since the run
    sergeant = user(Role.CUSTODY_SERGEANT, (CARMARTHENSHIRE,))
    with pytest.raises(ValidationError) as refused:
        linkage.merge_cluster(
            context=SYSTEM,
            actor=sergeant,
            cluster_id=cluster.pk,
            survivor_id=people["a1"].pk,
            reason="Same man, date typed the American way",
            version=cluster.version,
        )
    assert refused.value.code == "stale_cluster"
    assert not PersonMerge.objects.exists()
    cluster.refresh_from_db()
    assert cluster.status == DuplicateCluster.Status.OPEN
    assert linkage.is_stale(cluster)


def test_two_reviewers_deciding_at_once_the_second_is_told() -> None:
    people = linkage_duplicates()
    run_deduplication_now()
    cluster = DuplicateCluster.objects.filter(members__person=people["a1"]).get()
    sergeant = user(Role.CUSTODY_SERGEANT, (CARMARTHENSHIRE,))
    linkage.dismiss_cluster(
        context=SYSTEM,
        actor=sergeant,
        cluster_id=cluster.pk,
        reason="Different people: checked with custody",
        version=cluster.version,
    )
    with pytest.raises(StaleVersionError):
        linkage.merge_cluster(
            context=SYSTEM,
            actor=sergeant,
            cluster_id=cluster.pk,
            survivor_id=people["a1"].pk,
            reason="Same man, date typed the American way",
            version=1,
        )
    # A dismissed pair is not proposed again by the next run.
    run_deduplication_now()
    assert {people["a1"].pk, people["a2"].pk} not in _groups()


def test_groups_are_seen_only_by_those_who_may_change_every_member() -> None:
    people = linkage_duplicates()
    run_deduplication_now()
    cluster = DuplicateCluster.objects.filter(members__person=people["a1"]).get()

    def visible(actor: object) -> bool:
        return (
            restrict(DuplicateCluster.objects.all(), actor, "view").filter(pk=cluster.pk).exists()
        )

    assert visible(user(Role.CUSTODY_SERGEANT, (CARMARTHENSHIRE,)))
    assert not visible(user(Role.CUSTODY_SERGEANT, (POWYS,)))
    assert not visible(user(Role.OFFICER, (CARMARTHENSHIRE,)))
    assert not visible(user(Role.ADMINISTRATOR))
    assert not visible(user(Role.PROVIDER_MANAGER))
