"""Pages of person matching: the search ranked by the matcher, the matching model page and
the review queue of possible duplicates (merge, dismiss, undo)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from tests.factories import CARMARTHENSHIRE, POWYS

from pontio.accounts.roles import Role
from pontio.audit.models import AuditEvent
from pontio.audit.services import AuditContext
from pontio.core.recording import AuditAction
from pontio.people.models import DeduplicationRun, DuplicateCluster, Person
from pontio.people.services import linkage
from pontio.people.tests.helpers import make_person, sign_in_as, text

pytestmark = pytest.mark.django_db


def _pair() -> tuple[Person, Person]:
    a = make_person(
        "Dafydd", "Prydderch", dt.date(1984, 3, 7), county_code=CARMARTHENSHIRE, gender="male"
    )
    b = make_person(
        "David", "Prydderch", dt.date(1984, 7, 3), county_code=CARMARTHENSHIRE, gender="male"
    )
    return a, b


def _run() -> DeduplicationRun:
    run = linkage.start_deduplication(context=AuditContext.system("test"), actor=None)
    return linkage.run_deduplication(run.pk)


def test_a_search_lists_the_likeliest_first_with_why() -> None:
    make_person("Dafydd", "Pridderch", dt.date(1950, 1, 1), county_code=CARMARTHENSHIRE)
    make_person("Dafydd", "Prydderch", dt.date(1984, 3, 7), county_code=CARMARTHENSHIRE)
    client = sign_in_as(Role.OFFICER, (CARMARTHENSHIRE,))
    response = client.post(reverse("people:list"), {"name": "Dafydd Prydderch"}, follow=True)
    page = text(response)
    assert "Why found" in page and "Same given name" in page
    # The exact spelling first, then the sound-alike (alphabetically it would be first).
    assert page.index("7 March 1984") < page.index("1 January 1950")
    assert "Same family name" in page and "Family name sounds the same" in page


def test_the_review_queue_merge_and_undo_through_the_pages() -> None:
    a, b = _pair()
    _run()
    cluster = DuplicateCluster.objects.get()
    client = sign_in_as(Role.CUSTODY_SERGEANT, (CARMARTHENSHIRE,))
    queue = text(client.get(reverse("people:duplicates")))
    assert f"Group {cluster.pk}" in queue
    url = reverse("people:duplicate", args=[cluster.pk])
    page = text(client.get(url))
    assert "Date of birth with day and month swapped" in page and "Prydderch" in page
    reads = AuditEvent.objects.filter(action=AuditAction.READ, person_id=str(b.pk)).count()
    assert reads >= 1
    refused = client.post(
        url, {"action": "merge", "merge-version": cluster.version, "merge-survivor": a.pk}
    )
    assert "Enter why these records are the same person" in text(refused)
    assert Person.objects.get(pk=b.pk).is_active
    done = client.post(
        url,
        {
            "action": "merge",
            "merge-version": cluster.version,
            "merge-survivor": a.pk,
            "merge-reason": "Same man: the date was typed month first",
        },
    )
    assert done.status_code == 302
    assert not Person.objects.get(pk=b.pk).is_active
    cluster.refresh_from_db()
    undone = client.post(
        url,
        {
            "action": "undo",
            "decision-version": cluster.version,
            "decision-reason": "Checked again: these are cousins",
        },
    )
    assert undone.status_code == 302
    assert Person.objects.get(pk=b.pk).is_active
    cluster.refresh_from_db()
    assert cluster.status == DuplicateCluster.Status.UNDONE
    # The administrator sees how the groups were judged (counts only, no person).
    admin_page = text(sign_in_as(Role.ADMINISTRATOR).get(reverse("people:matching")))
    assert "Share of reviewed groups that were one person" in admin_page
    assert "Prydderch" not in admin_page


def test_a_stale_group_shows_why_and_merges_nothing() -> None:
    a, b = _pair()
    _run()
    cluster = DuplicateCluster.objects.get()
    Person.objects.filter(pk=b.pk).update(version=3)
    client = sign_in_as(Role.CUSTODY_SERGEANT, (CARMARTHENSHIRE,))
    url = reverse("people:duplicate", args=[cluster.pk])
    assert "have changed since the de-duplication run" in text(client.get(url))
    response = client.post(
        url,
        {
            "action": "merge",
            "merge-version": cluster.version,
            "merge-survivor": a.pk,
            "merge-reason": "Same man: the date was typed month first",
        },
    )
    assert "have changed since the de-duplication run" in text(response)
    assert Person.objects.get(pk=b.pk).is_active


def test_the_queue_is_for_those_who_merge_in_their_area_only() -> None:
    _pair()
    _run()
    cluster = DuplicateCluster.objects.get()
    url = reverse("people:duplicate", args=[cluster.pk])
    assert sign_in_as(Role.CUSTODY_SERGEANT, (POWYS,)).get(url).status_code == 404
    assert sign_in_as(Role.OFFICER, (CARMARTHENSHIRE,)).get(url).status_code == 403
    assert sign_in_as(Role.ADMINISTRATOR).get(reverse("people:duplicates")).status_code == 403
    powys_queue = text(
        sign_in_as(Role.CUSTODY_SERGEANT, (POWYS,)).get(reverse("people:duplicates"))
    )
    assert f"Group {cluster.pk}" not in powys_queue


def test_the_matching_page_shows_the_model_and_refuses_a_second_run() -> None:
    client = sign_in_as(Role.ADMINISTRATOR)
    page = text(client.get(reverse("people:matching")))
    assert "The model shipped with Pontio" in page and "Weight (bits)" in page
    assert "None reviewed yet" in page
    first = client.post(reverse("people:deduplication-start"), follow=True)
    assert "De-duplication has started" in text(first)
    # The worker has not run it yet (tasks run on commit): the first run is still running.
    second = client.post(reverse("people:deduplication-start"), follow=True)
    assert "already running" in text(second)
    assert DeduplicationRun.objects.filter(status="running").count() == 1
    few = client.post(reverse("people:matching-estimate"), follow=True)
    assert "a model needs at least 1000" in text(few)
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    cy = text(client.get(reverse("people:matching")))
    assert "Paru pobl" in cy and "Pwysau (didau)" in cy
    assert sign_in_as(Role.INSPECTOR).get(reverse("people:matching")).status_code == 403
