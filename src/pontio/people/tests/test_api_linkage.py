"""People API of person matching (the model, re-estimating, de-duplication runs) and the
review queue of possible duplicates (list, one group, merge, dismiss, undo)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from tests.factories import CARMARTHENSHIRE, POWYS

from pontio.accounts.roles import Role
from pontio.audit.models import AuditEvent
from pontio.audit.services import AuditContext
from pontio.core.recording import AuditAction
from pontio.people.linkage.estimate import MIN_RECORDS
from pontio.people.model_store import default_model
from pontio.people.models import (
    DeduplicationRun,
    DuplicateCluster,
    MatchModel,
    Person,
    PersonMerge,
)
from pontio.people.tests.helpers import (
    denials,
    linkage_duplicates,
    linkage_population,
    make_person,
    run_deduplication_now,
    sign_in_as,
)

pytestmark = pytest.mark.django_db
SYSTEM = AuditContext.system("test")

REASON = "Same man, date typed the American way"


# --- fixtures (after test_services_linkage) -------------------------------------------------


def _group_of(person: Person) -> DuplicateCluster:
    return DuplicateCluster.objects.filter(members__person=person).get()


def _post(client: Client, url: str, body: Any = None) -> Any:
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def _sergeant(counties: tuple[str, ...] = (CARMARTHENSHIRE,)) -> Client:
    return sign_in_as(Role.CUSTODY_SERGEANT, counties)


@pytest.fixture
def group() -> tuple[dict[str, Person], DuplicateCluster]:
    people = linkage_duplicates()
    run_deduplication_now()
    return people, _group_of(people["a1"])


# --- who may call each endpoint -------------------------------------------------------------

OUTSIDERS = [
    (Role.OFFICER, (CARMARTHENSHIRE,)),
    (Role.PROVIDER_MANAGER, (CARMARTHENSHIRE,)),
]


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("api-matching-model", "get"),
        ("api-matching-model-estimate", "post"),
        ("api-deduplication-run-list", "get"),
        ("api-deduplication-run-list", "post"),
    ],
)
@pytest.mark.parametrize(
    ("role", "counties"), [*OUTSIDERS, (Role.CUSTODY_SERGEANT, (CARMARTHENSHIRE,))]
)
def test_matching_is_refused_to_all_but_administrators(
    name: str, method: str, role: str, counties: tuple[str, ...]
) -> None:
    client = sign_in_as(role, counties)
    before = denials()
    response = getattr(client, method)(reverse(name))
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert denials() == before + 1
    assert not DeduplicationRun.objects.exists()


GROUP_ROUTES = [
    ("api-duplicate-group-list", "get", False),
    ("api-duplicate-group-detail", "get", True),
    ("api-duplicate-group-merge", "post", True),
    ("api-duplicate-group-dismiss", "post", True),
    ("api-duplicate-group-undo", "post", True),
]


@pytest.mark.parametrize(("name", "method", "on_group"), GROUP_ROUTES)
@pytest.mark.parametrize(("role", "counties"), [*OUTSIDERS, (Role.ADMINISTRATOR, ())])
def test_the_review_queue_is_refused_to_all_but_those_who_merge(
    group: tuple[dict[str, Person], DuplicateCluster],
    name: str,
    method: str,
    on_group: bool,
    role: str,
    counties: tuple[str, ...],
) -> None:
    people, cluster = group
    client = sign_in_as(role, counties)
    url = reverse(name, args=[cluster.pk] if on_group else [])
    before = denials()
    if method == "get":
        response = client.get(url)
    else:
        response = _post(client, url, {"survivor": people["a1"].pk, "reason": REASON, "version": 1})
    assert response.status_code == 403
    assert denials() == before + 1
    assert "Prydderch" not in response.content.decode()
    cluster.refresh_from_db()
    assert cluster.status == DuplicateCluster.Status.OPEN and not PersonMerge.objects.exists()


@pytest.mark.parametrize(("name", "method", "on_group"), GROUP_ROUTES[1:])
def test_a_group_outside_the_sergeants_area_is_not_found(
    group: tuple[dict[str, Person], DuplicateCluster], name: str, method: str, on_group: bool
) -> None:
    people, cluster = group
    client = _sergeant((POWYS,))
    url = reverse(name, args=[cluster.pk])
    before = denials()
    if method == "get":
        response = client.get(url)
    else:
        response = _post(client, url, {"survivor": people["a1"].pk, "reason": REASON, "version": 1})
    assert response.status_code == 404
    assert denials() == before + 1
    assert "Prydderch" not in response.content.decode()
    assert not PersonMerge.objects.exists()
    listing = client.get(reverse("api-duplicate-group-list")).json()
    assert cluster.pk not in {row["id"] for row in listing["results"]}


# --- the model and estimating it -----------------------------------------------------------


def test_the_model_is_the_shipped_one_until_one_is_estimated() -> None:
    client = sign_in_as(Role.ADMINISTRATOR)
    body = client.get(reverse("api-matching-model")).json()
    shipped = default_model().to_json()
    assert body["version"] == 0 and body["estimated_at"] is None
    assert body["prior"] == pytest.approx(shipped["prior"])
    assert body["records"] == shipped["diagnostics"]["records"]
    dob = next(c for c in body["comparisons"] if c["name"] == "dob")
    exact = dob["levels"][0]
    assert exact["code"] == "dob_exact" and exact["label"] == "Same date of birth"
    assert exact["bits"] > 0 and 0 < exact["m"] <= 1 and 0 < exact["u"] <= 1
    assert dob["levels"][-1]["bits"] < 0

    stored = MatchModel.objects.create(
        records=1234,
        parameters=shipped,
        evaluation={"compared_with_version": 0, "pairs": 10, "changed": 1},
        is_current=True,
    )
    body = client.get(reverse("api-matching-model")).json()
    assert body["version"] == stored.pk and body["records"] == 1234
    assert body["estimated_at"] is not None
    assert body["evaluation"]["changed"] == 1


def test_estimating_with_too_few_records_is_refused(
    django_capture_on_commit_callbacks: Any,
) -> None:
    make_person()
    client = sign_in_as(Role.ADMINISTRATOR)
    with django_capture_on_commit_callbacks() as queued:
        response = _post(client, reverse("api-matching-model-estimate"))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "too_few_records"
    assert f"at least {MIN_RECORDS}" in body["non_field_errors"][0]
    assert queued == []
    assert not MatchModel.objects.exists()


def test_estimating_is_queued_for_the_worker(django_capture_on_commit_callbacks: Any) -> None:
    linkage_population(MIN_RECORDS)
    client = sign_in_as(Role.ADMINISTRATOR)
    with django_capture_on_commit_callbacks() as queued:
        response = _post(client, reverse("api-matching-model-estimate"))
    assert response.status_code == 202
    assert response.json() == {"status": "queued"}
    assert len(queued) == 1


# --- de-duplication runs --------------------------------------------------------------------


def test_a_run_is_started_then_listed_and_a_second_is_refused(
    django_capture_on_commit_callbacks: Any,
) -> None:
    linkage_duplicates()
    client = sign_in_as(Role.ADMINISTRATOR)
    url = reverse("api-deduplication-run-list")
    with django_capture_on_commit_callbacks() as queued:
        started = _post(client, url)
    assert started.status_code == 202
    run = started.json()
    assert run["status"] == "running" and run["model"] is None
    assert len(queued) == 1

    second = _post(client, url)
    assert second.status_code == 409
    assert second.json()["code"] == "running"
    assert "already running" in second.json()["detail"]
    assert DeduplicationRun.objects.count() == 1

    queued[0]()  # the worker's turn
    listing = client.get(url)
    assert listing.status_code == 200
    (row,) = listing.json()["results"]
    assert row["id"] == run["id"] and row["status"] == "finished"
    assert row["records"] == 8 and row["clusters"] == 2
    assert "Prydderch" not in listing.content.decode()  # counts only


# --- the review queue -----------------------------------------------------------------------


def test_the_list_names_people_by_record_id_with_the_reasons(
    group: tuple[dict[str, Person], DuplicateCluster],
) -> None:
    people, cluster = group
    client = _sergeant()
    response = client.get(reverse("api-duplicate-group-list"))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2 and {"next", "previous"} <= set(body)
    row = next(r for r in body["results"] if r["id"] == cluster.pk)
    assert set(row["members"]) == {people["a1"].pk, people["a2"].pk}
    assert row["status"] == "open" and row["version"] == cluster.version
    ((pair),) = row["pairs"]
    assert {pair["a"], pair["b"]} == {people["a1"].pk, people["a2"].pk}
    codes = {reason["code"]: reason["label"] for reason in pair["reasons"]}
    assert codes["dob_transposed"] == "Date of birth with day and month swapped"
    assert "Prydderch" not in response.content.decode()

    merged = client.get(reverse("api-duplicate-group-list"), {"status": "merged"}).json()
    assert merged["count"] == 0
    wrong = client.get(reverse("api-duplicate-group-list"), {"status": "closed"})
    assert wrong.status_code == 400 and "status" in wrong.json()


def test_one_group_shows_its_members_and_audits_each_read(
    group: tuple[dict[str, Person], DuplicateCluster],
) -> None:
    people, cluster = group
    client = _sergeant()
    response = client.get(reverse("api-duplicate-group-detail", args=[cluster.pk]))
    assert response.status_code == 200
    body = response.json()
    assert body["stale"] is False
    members = {m["id"]: m for m in body["members"]}
    assert set(members) == {people["a1"].pk, people["a2"].pk}
    assert members[people["a2"].pk]["given_name"] == "David"
    assert members[people["a2"].pk]["date_of_birth"] == "1984-07-03"
    assert set(members[people["a1"].pk]) == {
        "id",
        "given_name",
        "family_name",
        "date_of_birth",
        "gender",
        "pnc_id",
        "version",
        "is_active",
    }
    reads = AuditEvent.objects.filter(action=AuditAction.READ, reason="api: duplicate review")
    assert set(reads.values_list("person_id", flat=True)) == {
        str(people["a1"].pk),
        str(people["a2"].pk),
    }


def test_merge_then_undo_through_the_api(
    group: tuple[dict[str, Person], DuplicateCluster],
) -> None:
    people, cluster = group
    client = _sergeant()
    merge_url = reverse("api-duplicate-group-merge", args=[cluster.pk])
    merged = _post(
        client,
        merge_url,
        {"survivor": people["a1"].pk, "reason": REASON, "version": cluster.version},
    )
    assert merged.status_code == 200, merged.content
    body = merged.json()
    assert body["status"] == "merged" and body["survivor"] == people["a1"].pk
    assert body["version"] == cluster.version + 1
    (merge_id,) = body["merges"]
    duplicate = Person.objects.get(pk=people["a2"].pk)
    assert not duplicate.is_active and duplicate.merged_into_id == people["a1"].pk

    # Decided: merging again is refused, and an old version is stale (409).
    again = _post(
        client,
        merge_url,
        {"survivor": people["a1"].pk, "reason": REASON, "version": body["version"]},
    )
    assert again.status_code == 400 and again.json()["code"] == "decided"
    undo_url = reverse("api-duplicate-group-undo", args=[cluster.pk])
    stale = _post(client, undo_url, {"reason": "They turned out to be cousins", "version": 1})
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version" and stale.json()["version"] == body["version"]
    assert "version 2" in stale.json()["detail"]

    undone = _post(
        client, undo_url, {"reason": "They turned out to be cousins", "version": body["version"]}
    )
    assert undone.status_code == 200, undone.content
    assert undone.json()["status"] == "undone"
    assert Person.objects.get(pk=people["a2"].pk).is_active
    assert PersonMerge.objects.get(pk=merge_id).unmerged_at is not None
    listing = client.get(reverse("api-duplicate-group-list"), {"status": "undone"}).json()
    assert [row["id"] for row in listing["results"]] == [cluster.pk]


def test_a_stale_group_is_refused_and_nothing_is_merged(
    group: tuple[dict[str, Person], DuplicateCluster],
) -> None:
    people, cluster = group
    Person.objects.filter(pk=people["a2"].pk).update(version=5)  # edited since the run
    client = _sergeant()
    assert client.get(reverse("api-duplicate-group-detail", args=[cluster.pk])).json()["stale"]
    before = denials()
    response = _post(
        client,
        reverse("api-duplicate-group-merge", args=[cluster.pk]),
        {"survivor": people["a1"].pk, "reason": REASON, "version": cluster.version},
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "stale_cluster"
    assert "nothing has been merged" in body["non_field_errors"][0]
    assert denials() == before + 1
    assert not PersonMerge.objects.exists()
    cluster.refresh_from_db()
    assert cluster.status == DuplicateCluster.Status.OPEN


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"reason": REASON, "version": 1}, "survivor", "Choose which record to keep"),
        ({"survivor": 0, "reason": REASON, "version": 1}, "survivor", ""),
        ({"survivor": "x", "reason": REASON, "version": 1}, "survivor", ""),
        ({"version": 1}, "reason", "Enter why these records are the same person"),
        ({"reason": "Same man", "version": 1}, "reason", "at least 10 characters"),
        ({"reason": REASON}, "version", ""),
        ({"reason": "x" * 2001, "version": 1}, "reason", ""),
    ],
)
def test_a_merge_is_refused_by_field(
    group: tuple[dict[str, Person], DuplicateCluster],
    body: dict[str, Any],
    field: str,
    message: str,
) -> None:
    people, cluster = group
    body = {"survivor": people["a1"].pk, **body} if field != "survivor" else body
    response = _post(_sergeant(), reverse("api-duplicate-group-merge", args=[cluster.pk]), body)
    assert response.status_code == 400
    errors = response.json()[field]
    assert any(message in error for error in errors)
    assert not PersonMerge.objects.exists()


def test_a_survivor_outside_the_group_is_refused(
    group: tuple[dict[str, Person], DuplicateCluster],
) -> None:
    people, cluster = group
    response = _post(
        _sergeant(),
        reverse("api-duplicate-group-merge", args=[cluster.pk]),
        {"survivor": people["b1"].pk, "reason": REASON, "version": cluster.version},
    )
    assert response.status_code == 400
    assert "Choose which record to keep" in response.json()["survivor"][0]
    assert not PersonMerge.objects.exists()


def test_a_dismissed_group_is_not_offered_again(
    group: tuple[dict[str, Person], DuplicateCluster],
) -> None:
    people, cluster = group
    client = _sergeant()
    url = reverse("api-duplicate-group-dismiss", args=[cluster.pk])
    short = _post(client, url, {"reason": "No", "version": cluster.version})
    assert short.status_code == 400 and "reason" in short.json()
    response = _post(
        client,
        url,
        {"reason": "Different people: checked with custody", "version": cluster.version},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "dismissed"
    undo = _post(
        client,
        reverse("api-duplicate-group-undo", args=[cluster.pk]),
        {"reason": "Changed my mind about it", "version": response.json()["version"]},
    )
    assert undo.status_code == 400 and undo.json()["code"] == "not_merged"
    run_deduplication_now()
    open_groups = client.get(reverse("api-duplicate-group-list")).json()["results"]
    assert all(people["a1"].pk not in row["members"] for row in open_groups)


# --- the OpenAPI description ----------------------------------------------------------------


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def test_the_operations_are_described_with_their_refusals(schema: dict[str, Any]) -> None:
    paths = schema["paths"]
    assert {"200", "403"} <= set(paths["/api/v1/people/matching/model/"]["get"]["responses"])
    estimate = paths["/api/v1/people/matching/model/estimate/"]["post"]["responses"]
    assert {"202", "400", "403"} <= set(estimate)
    runs = paths["/api/v1/people/matching/runs/"]
    assert {"202", "403", "409"} <= set(runs["post"]["responses"])
    assert {"200", "403"} <= set(paths["/api/v1/people/duplicate-groups/"]["get"]["responses"])
    detail = paths["/api/v1/people/duplicate-groups/{id}/"]["get"]["responses"]
    assert {"200", "403", "404"} <= set(detail)
    for action in ("merge", "dismiss", "undo"):
        operation = paths[f"/api/v1/people/duplicate-groups/{{id}}/{action}/"]["post"]
        assert {"200", "400", "403", "404", "409"} <= set(operation["responses"]), action


def test_the_merge_has_a_request_and_a_response_example(schema: dict[str, Any]) -> None:
    merge = schema["paths"]["/api/v1/people/duplicate-groups/{id}/merge/"]["post"]
    request = merge["requestBody"]["content"]["application/json"]
    (example,) = request["examples"].values()
    assert set(example["value"]) == {"survivor", "reason", "version"}
    ref = request["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][ref]["properties"]) == {
        "survivor",
        "reason",
        "version",
    }
    answered = merge["responses"]["200"]["content"]["application/json"]["examples"]
    assert any(e["value"]["status"] == "merged" for e in answered.values())
    assert "examples" in merge["responses"]["409"]["content"]["application/json"]
