"""Reviews of sampled searches, panel reviews, escalation, and what each reviewer may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demo_sign_in
from tests.factories import UserFactory, county

from pontio.accounts.roles import Role
from pontio.audit.models import AuditEvent
from pontio.audit.services import AuditContext
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.stopsearch import quarters, sampling, services
from pontio.stopsearch.models import AuditSample, SearchReview, StopSearch
from pontio.stopsearch.services import ReviewAnswers
from pontio.stopsearch.tests.helpers import record

CONTEXT = AuditContext.system("test")
CERED = "W06000008"
PLACE = "Great Darkgate Street, Aberystwyth"
REGISTRATION = "CY15ABC"
BWV = "BWV-4471-2026"


def recorded_search(world: dict[str, Any]) -> StopSearch:
    """A search in Ceredigion (the demo inspector's area) of a named person and a vehicle."""
    return record(
        world["officer"],
        search_type="person_and_vehicle",
        county=county(CERED),
        place=PLACE,
        vehicle_registration=REGISTRATION,
        person=world["person"],
        body_worn_video=BWV,
    )


def sampled(world: dict[str, Any]) -> tuple[StopSearch, SearchReview, SearchReview]:
    """The search, sampled: (search, inspector review, independent review)."""
    search = recorded_search(world)
    sampling.draw_sample(
        month=search.month, county=county(CERED), rate_percent=100, context=CONTEXT
    )
    inspector = search.reviews.get(kind=SearchReview.Kind.INSPECTOR)
    independent = search.reviews.get(kind=SearchReview.Kind.INDEPENDENT)
    return search, inspector, independent


def all_yes(**changes: Any) -> ReviewAnswers:
    values: dict[str, Any] = {
        "grounds_reasonable": True,
        "record_complete": True,
        "conduct_proportionate": True,
    }
    values.update(changes)
    return ReviewAnswers(**values)


def complete(review: SearchReview, actor: Any, answers: ReviewAnswers) -> SearchReview:
    return services.review_complete(
        context=CONTEXT,
        actor=actor,
        review_id=review.pk,
        expected_version=review.version,
        answers=answers,
    )


def panel_review(world: dict[str, Any]) -> tuple[StopSearch, SearchReview]:
    search = recorded_search(world)
    review = services.panel_assign(
        context=CONTEXT,
        actor=world["inspector"],
        reference=search.reference,
        panel_member_id=world["panel"].pk,
    )
    return search, review


def denials() -> int:
    return AuditEvent.objects.filter(action=AuditAction.DENIED).count()


# --- completing a review ----------------------------------------------------------------------


def test_the_inspector_completes_a_review_and_it_is_audited(world: dict[str, Any]) -> None:
    _search, review, _independent = sampled(world)
    done = complete(review, world["inspector"], all_yes())
    assert done.completed_at is not None
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type="stopsearch.searchreview", object_id=str(review.pk)
    ).exists()


def test_learning_is_required_when_any_answer_is_no(world: dict[str, Any]) -> None:
    _search, review, _independent = sampled(world)
    with pytest.raises(ValidationError) as error:
        complete(review, world["inspector"], all_yes(record_complete=False))
    assert error.value.message_dict["learning"] == [
        "Enter the learning for the officer: at least one answer is no"
    ]


def test_every_question_must_be_answered(world: dict[str, Any]) -> None:
    _search, review, _independent = sampled(world)
    with pytest.raises(ValidationError) as error:
        complete(review, world["inspector"], ReviewAnswers())
    assert set(error.value.message_dict) == {
        "grounds_reasonable",
        "record_complete",
        "conduct_proportionate",
    }


def test_a_completed_review_cannot_be_changed(world: dict[str, Any]) -> None:
    _search, review, _independent = sampled(world)
    done = complete(review, world["inspector"], all_yes())
    with pytest.raises(ValidationError) as error:
        complete(done, world["inspector"], all_yes(grounds_reasonable=False, learning="x"))
    assert error.value.code == "review_completed"
    assert "can no longer be changed" in error.value.messages[0]


def test_a_review_from_a_stale_version_is_refused(world: dict[str, Any]) -> None:
    _search, review, _independent = sampled(world)
    with pytest.raises(ValidationError) as error:
        services.review_complete(
            context=CONTEXT,
            actor=world["inspector"],
            review_id=review.pk,
            expected_version=review.version + 1,
            answers=all_yes(),
        )
    assert error.value.code == "stale_version"


def test_an_inspector_of_another_area_cannot_complete_the_review(world: dict[str, Any]) -> None:
    _search, review, _independent = sampled(world)
    other = UserFactory(roles=[Role.INSPECTOR], counties=["W06000023"])
    with pytest.raises(PermissionDenied):
        complete(review, other, all_yes())


def test_an_inspector_cannot_complete_the_independent_review(world: dict[str, Any]) -> None:
    _search, _review, independent = sampled(world)
    with pytest.raises(PermissionDenied):
        complete(independent, world["inspector"], all_yes())


def test_the_independent_reviewer_completes_their_review(world: dict[str, Any]) -> None:
    _search, _review, independent = sampled(world)
    done = complete(
        independent,
        world["panel"],
        all_yes(conduct_proportionate=False, learning="Explain the search"),
    )
    assert (done.conduct_proportionate, done.learning) == (False, "Explain the search")


def test_the_officer_sees_completed_reviews_of_their_search_only(world: dict[str, Any]) -> None:
    search, review, _independent = sampled(world)
    visible = restrict(search.reviews.all(), world["officer"], "view")
    assert not visible.exists()
    complete(review, world["inspector"], all_yes())
    assert list(restrict(search.reviews.all(), world["officer"], "view")) == [review]


# --- the inspector's pages --------------------------------------------------------------------


def test_the_inspector_lists_their_reviews_in_few_queries(
    world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    sampled(world)
    client = demo_sign_in("inspector")
    with django_assert_max_num_queries(20):
        response = client.get(reverse("stopsearch:review-list"))
    assert response.status_code == 200
    assert "Inspector review" in response.content.decode()


def test_the_inspector_reviews_through_the_form(world: dict[str, Any]) -> None:
    _search, review, _independent = sampled(world)
    client = demo_sign_in("inspector")
    url = reverse("stopsearch:review-detail", args=[review.pk])
    page = client.get(url).content.decode()
    assert PLACE in page and REGISTRATION in page  # the full record
    response = client.post(
        url,
        {
            "grounds_reasonable": "yes",
            "record_complete": "no",
            "conduct_proportionate": "yes",
            "learning": "",
            "version": review.version,
        },
    )
    assert response.status_code == 200
    assert "Enter the learning for the officer" in response.content.decode()
    response = client.post(
        url,
        {
            "grounds_reasonable": "yes",
            "record_complete": "no",
            "conduct_proportionate": "yes",
            "learning": "Record the vehicle's make.",
            "version": review.version,
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.record_complete is False


def test_posting_to_a_completed_review_says_it_is_final(world: dict[str, Any]) -> None:
    _search, review, _independent = sampled(world)
    done = complete(review, world["inspector"], all_yes())
    client = demo_sign_in("inspector")
    url = reverse("stopsearch:review-detail", args=[review.pk])
    response = client.post(url, {"grounds_reasonable": "no", "version": done.version}, follow=True)
    assert "can no longer be changed" in response.content.decode()
    done.refresh_from_db()
    assert done.grounds_reasonable is True


def test_an_inspector_of_another_area_gets_not_found_and_is_audited(
    world: dict[str, Any], sign_in: Any
) -> None:
    _search, review, _independent = sampled(world)
    other = UserFactory(roles=[Role.INSPECTOR], counties=["W06000023"], with_device=True)
    client = sign_in(other)
    before = denials()
    response = client.get(reverse("stopsearch:review-detail", args=[review.pk]))
    assert response.status_code == 404
    assert denials() == before + 1


def test_the_read_of_a_review_is_audited_with_the_person_searched(world: dict[str, Any]) -> None:
    _search, review, _independent = sampled(world)
    demo_sign_in("inspector").get(reverse("stopsearch:review-detail", args=[review.pk]))
    event = AuditEvent.objects.filter(
        action=AuditAction.READ, object_type="stopsearch.searchreview", object_id=str(review.pk)
    ).get()
    assert event.person_id == str(world["person"].pk)


def test_an_out_of_scope_review_is_not_read_before_the_scope_check(
    world: dict[str, Any], sign_in: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _search, review, _independent = sampled(world)
    other = UserFactory(roles=[Role.INSPECTOR], counties=["W06000023"], with_device=True)
    client = sign_in(other)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("stopsearch:review-detail", args=[review.pk]))
    assert response.status_code == 404
    reads = [q["sql"] for q in queries if 'FROM "stopsearch_searchreview"' in q["sql"]]
    # The scoped fetch first; after the refusal, only the person's id is read, for the audit
    # log's denial (core.recording.subject_of), never shown.
    assert len(reads) == 2, reads
    assert '"stopsearch_searchreview"."kind"' in reads[0]
    assert reads[1].startswith('SELECT "stopsearch_stopsearch"."person_id"'), reads[1]


def test_an_officer_cannot_open_the_review_pages(world: dict[str, Any]) -> None:
    _search, review, _independent = sampled(world)
    client = demo_sign_in("officer")
    before = denials()
    assert client.get(reverse("stopsearch:review-detail", args=[review.pk])).status_code == 403
    assert denials() == before + 1


# --- the anonymised record --------------------------------------------------------------------


def _assert_anonymised(html: str, search: StopSearch, world: dict[str, Any]) -> None:
    person = world["person"]
    officer = world["officer"]
    for secret in (
        person.given_name,
        person.family_name,
        PLACE,
        "Aberystwyth",
        REGISTRATION,
        search.reference,
        officer.last_name,
        officer.staff_number,
        reverse("people:detail", args=[person.pk]),
    ):
        assert secret not in html, secret
    assert BWV in html
    assert "Ceredigion" in html


def test_the_independent_reviewer_sees_the_anonymised_record(world: dict[str, Any]) -> None:
    search, _review, independent = sampled(world)
    client = demo_sign_in("panel")
    response = client.get(reverse("stopsearch:panel-review", args=[independent.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    _assert_anonymised(html, search, world)
    assert search.grounds in html


def test_the_reviewer_list_shows_no_names_or_references(world: dict[str, Any]) -> None:
    search, _review, _independent = sampled(world)
    panel_review(world)
    html = demo_sign_in("panel").get(reverse("stopsearch:panel-list")).content.decode()
    for secret in (world["person"].family_name, PLACE, REGISTRATION, search.reference):
        assert secret not in html


def test_a_panel_member_cannot_open_a_named_record(world: dict[str, Any]) -> None:
    search, _review = panel_review(world)
    client = demo_sign_in("panel")
    before = denials()
    assert client.get(reverse("stopsearch:detail", args=[search.pk])).status_code in (403, 404)
    assert client.get(reverse("people:detail", args=[world["person"].pk])).status_code in (
        403,
        404,
    )
    assert denials() == before + 2


def test_a_panel_member_cannot_open_the_inspector_review(world: dict[str, Any]) -> None:
    _search, review, _independent = sampled(world)
    client = demo_sign_in("panel")
    assert client.get(reverse("stopsearch:review-detail", args=[review.pk])).status_code == 403


def test_a_panel_member_cannot_open_another_members_review(
    world: dict[str, Any], sign_in: Any
) -> None:
    _search, review = panel_review(world)
    other = UserFactory(roles=[Role.PANEL_MEMBER], with_device=True)
    before = denials()
    response = sign_in(other).get(reverse("stopsearch:panel-review", args=[review.pk]))
    assert response.status_code == 404
    assert denials() == before + 1


# --- panel reviews ----------------------------------------------------------------------------


def test_an_inspector_assigns_a_search_to_the_panel(world: dict[str, Any]) -> None:
    search = recorded_search(world)
    client = demo_sign_in("inspector")
    response = client.post(
        reverse("stopsearch:panel-assign"),
        {"reference": search.reference.lower(), "panel_member": world["panel"].pk},
    )
    assert response.status_code == 302
    review = SearchReview.objects.get(search=search, kind=SearchReview.Kind.PANEL)
    assert review.reviewer == world["panel"]
    assert review.sample is None


def test_the_review_page_offers_to_send_the_search_to_the_panel(world: dict[str, Any]) -> None:
    search, review, _independent = sampled(world)
    client = demo_sign_in("inspector")
    page = client.get(reverse("stopsearch:review-detail", args=[review.pk])).content.decode()
    link = f"{reverse('stopsearch:panel-assign')}?reference={search.reference}"
    assert f'href="{link}"' in page
    form = client.get(link).context["form"]
    assert form["reference"].value() == search.reference


def test_the_panel_member_is_not_offered_to_send_anything(world: dict[str, Any]) -> None:
    _search, _review, independent = sampled(world)
    page = demo_sign_in("panel").get(reverse("stopsearch:panel-review", args=[independent.pk]))
    assert reverse("stopsearch:panel-assign") not in page.content.decode()


def test_a_search_outside_the_inspectors_area_cannot_be_assigned(world: dict[str, Any]) -> None:
    search = record(world["officer"])
    with pytest.raises(ValidationError) as error:
        services.panel_assign(
            context=CONTEXT,
            actor=world["inspector"],
            reference=search.reference,
            panel_member_id=world["panel"].pk,
        )
    assert "reference" in error.value.message_dict


def test_the_panel_member_must_be_a_panel_member(world: dict[str, Any]) -> None:
    search = recorded_search(world)
    with pytest.raises(ValidationError) as error:
        services.panel_assign(
            context=CONTEXT,
            actor=world["admin"],
            reference=search.reference,
            panel_member_id=world["officer"].pk,
        )
    assert "panel_member" in error.value.message_dict


def test_the_panel_member_records_video_notes_and_a_judgement(world: dict[str, Any]) -> None:
    search, review = panel_review(world)
    client = demo_sign_in("panel")
    url = reverse("stopsearch:panel-review", args=[review.pk])
    html = client.get(url).content.decode()
    _assert_anonymised(html, search, world)
    response = client.post(url, {"judgement": "concerns", "video_notes": "Calm", "version": 1})
    assert "Enter the panel&#x27;s comments" in response.content.decode()
    response = client.post(
        url,
        {
            "judgement": "concerns",
            "video_notes": "Calm and polite; GOWISELY given on camera.",
            "learning": "Grounds were thin.",
            "version": 1,
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.judgement, review.learning) == ("concerns", "Grounds were thin.")


def test_a_panel_review_needs_a_judgement_and_notes(world: dict[str, Any]) -> None:
    _search, review = panel_review(world)
    with pytest.raises(ValidationError) as error:
        complete(review, world["panel"], ReviewAnswers())
    assert set(error.value.message_dict) == {"judgement", "video_notes"}


def test_the_quarterly_summary_counts_judgements_without_links(world: dict[str, Any]) -> None:
    _search, review = panel_review(world)
    complete(
        review,
        world["panel"],
        ReviewAnswers(judgement="inappropriate", video_notes="No grounds", learning="x"),
    )
    quarter = quarters.quarter_of(timezone.localdate())
    summary = quarters.quarter_summary(world["panel"], quarter)
    assert dict(summary.judgements)["Inappropriate"] == 1
    assert summary.panel_total == 1
    client = demo_sign_in("panel")
    html = client.get(reverse("stopsearch:panel-summary") + f"?quarter={quarter.key}")
    page = html.content.decode()
    assert reverse("stopsearch:panel-review", args=[review.pk]) not in page
    assert 'Inappropriate</th><td class="govuk-table__cell govuk-table__cell--numeric">1<' in page


def test_quarters_parse_and_fall_back_to_the_current_one() -> None:
    today = dt.date(2026, 8, 14)
    assert quarters.parse_quarter("2026q3", today).start == dt.date(2026, 7, 1)
    assert quarters.parse_quarter("2026Q4", today).end == dt.date(2027, 1, 1)
    assert quarters.parse_quarter("<script>", today).key == "2026Q3"


# --- escalation -------------------------------------------------------------------------------


def test_overdue_reviews_are_escalated_once_and_audited(world: dict[str, Any]) -> None:
    _search, review, independent = sampled(world)
    complete(independent, world["panel"], all_yes())
    later = review.due_on + dt.timedelta(days=1)
    assert services.escalate_overdue(review.due_on, context=CONTEXT) == 0
    assert services.escalate_overdue(later, context=CONTEXT) == 1
    assert services.escalate_overdue(later, context=CONTEXT) == 0
    review.refresh_from_db()
    independent.refresh_from_db()
    assert review.escalated_at is not None and independent.escalated_at is None
    assert AuditEvent.objects.filter(
        object_id=str(review.pk), reason__contains="escalated"
    ).exists()


def test_an_escalated_review_shows_on_the_list_and_the_home_panel(world: dict[str, Any]) -> None:
    _search, review, _independent = sampled(world)
    SearchReview.objects.filter(pk=review.pk).update(due_on=dt.date(2020, 1, 2))
    services.escalate_overdue(timezone.localdate(), context=CONTEXT)
    client = demo_sign_in("inspector")
    listing = client.get(reverse("stopsearch:review-list") + "?show=overdue").content.decode()
    assert "Overdue: escalated" in listing
    home = client.get(reverse("core:home")).content.decode()
    assert "stop and search review overdue" in home  # one: the singular
    admin_home = demo_sign_in("admin").get(reverse("core:home")).content.decode()
    assert "stop and search review overdue" in admin_home


def test_the_escalation_command_runs(world: dict[str, Any]) -> None:
    from io import StringIO

    from django.core.management import call_command

    _search, review, _independent = sampled(world)
    SearchReview.objects.filter(pk=review.pk).update(due_on=dt.date(2020, 1, 2))
    out = StringIO()
    call_command("escalate_stopsearch_reviews", stdout=out)
    assert "Escalated 1 overdue review(s)." in out.getvalue()


def test_the_audit_overview_lists_samples(world: dict[str, Any]) -> None:
    sampled(world)
    sample = AuditSample.objects.get()
    html = demo_sign_in("admin").get(reverse("stopsearch:audit")).content.decode()
    assert str(sample.seed) in html
