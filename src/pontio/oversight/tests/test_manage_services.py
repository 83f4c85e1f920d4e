"""Setting the tracker up: the rules of reviews, recommendations, papers and boards."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pontio.accounts.models import Organisation
from pontio.accounts.roles import OrganisationKind
from pontio.audit.models import AuditEvent
from pontio.audit.services import AuditContext
from pontio.core.concurrency import StaleVersionError
from pontio.oversight.demo import GOLD, POLICING
from pontio.oversight.models import BackgroundPaper, Board, Rag, Recommendation, Review
from pontio.oversight.services import reviews as services

TODAY = dt.date(2026, 12, 3)
CONTEXT = AuditContext.system("test")


def _org(kind: str) -> Organisation:
    return Organisation.objects.filter(kind=kind, is_active=True).order_by("pk").first()


def _review_data(**changes) -> services.ReviewData:
    values = {
        "kind": "inspection",
        "title_en": "Inspection of custody suites",
        "published_on": dt.date(2026, 6, 1),
        "organisation_id": _org(OrganisationKind.OPCC).pk,
    } | changes
    return services.ReviewData(**values)


def _rec_data(**changes) -> services.RecommendationData:
    values = {
        "number": 10,
        "text_en": "Publish the diversion scheme's outcomes every quarter.",
        "owner_organisation_id": _org(OrganisationKind.FORCE).pk,
        "owner_post": "Head of Criminal Justice",
        "board_id": Board.objects.get(name_en=GOLD).pk,
        "due_on": dt.date(2020, 3, 31),
        "update_every_days": 90,
    } | changes
    return services.RecommendationData(**values)


def _errors(excinfo) -> dict[str, list[str]]:
    return {name: [str(m) for m in e] for name, e in excinfo.value.message_dict.items()}


# --- reviews --------------------------------------------------------------------------------


def test_the_analyst_adds_a_review_without_welsh_and_it_is_audited(tracker):
    review = services.review_create(
        context=CONTEXT, actor=tracker["analyst"], data=_review_data(), today=TODAY
    )
    assert review.title_cy == ""
    assert review.title == "Inspection of custody suites"
    assert review.version == 1
    event = AuditEvent.objects.get(object_type="oversight.review", object_id=str(review.pk))
    assert event.action == "create"


def test_a_review_needs_an_english_title_a_past_date_and_a_force_or_opcc_lead(tracker):
    before = Review.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        services.review_create(
            context=CONTEXT,
            actor=tracker["analyst"],
            data=_review_data(
                title_en="  ",
                published_on=TODAY + dt.timedelta(days=1),
                organisation_id=_org(OrganisationKind.PROVIDER).pk,
                kind="rumour",
            ),
            today=TODAY,
        )
    errors = _errors(excinfo)
    assert errors == {
        "kind": ["Select the type of review"],
        "title_en": ["Enter the title in English"],
        "published_on": ["The publication date must be today or in the past"],
        "organisation": ["Select who led the review from the list"],
    }
    assert Review.objects.count() == before


@pytest.mark.parametrize("username", ["inspector", "admin", "officer"])
def test_only_the_analyst_manages_reviews(tracker, username):
    with pytest.raises(PermissionDenied):
        services.review_create(
            context=CONTEXT, actor=tracker[username], data=_review_data(), today=TODAY
        )


def test_a_review_cannot_be_published_after_its_first_position(tracker):
    review = tracker["deep_dive"]
    # The deep dive's first positions are dated July 2019; its recommendations are due later.
    with pytest.raises(ValidationError) as excinfo:
        services.review_update(
            context=CONTEXT,
            actor=tracker["analyst"],
            review_id=review.pk,
            expected_version=review.version,
            data=_review_data(
                kind=review.kind,
                title_en=review.title_en,
                published_on=dt.date(2019, 8, 1),
                organisation_id=review.organisation_id,
            ),
            today=TODAY,
        )
    assert "A position on this review is dated" in " ".join(_errors(excinfo)["published_on"])
    review.refresh_from_db()
    assert review.published_on == dt.date(2019, 4, 25)


def test_a_stale_review_is_refused_and_a_fresh_one_is_saved(tracker):
    review = tracker["deep_dive"]
    data = _review_data(
        kind=review.kind,
        title_en=review.title_en,
        title_cy="",
        published_on=review.published_on,
        organisation_id=review.organisation_id,
    )
    with pytest.raises(StaleVersionError):
        services.review_update(
            context=CONTEXT,
            actor=tracker["analyst"],
            review_id=review.pk,
            expected_version=review.version + 1,
            data=data,
            today=TODAY,
        )
    saved = services.review_update(
        context=CONTEXT,
        actor=tracker["analyst"],
        review_id=review.pk,
        expected_version=review.version,
        data=data,
        today=TODAY,
    )
    assert saved.version == review.version + 1
    assert saved.title_cy == ""
    event = AuditEvent.objects.filter(object_type="oversight.review", action="update").get()
    assert "title_cy" in event.fields


# --- recommendations ------------------------------------------------------------------------


def test_a_recommendation_is_added_amber_with_its_first_position_due_after_publication(tracker):
    review = tracker["deep_dive"]
    recommendation = services.recommendation_create(
        context=CONTEXT,
        actor=tracker["analyst"],
        review_id=review.pk,
        data=_rec_data(figure_keys=("operations", "drug_deaths", "operations")),
    )
    assert recommendation.rag == Rag.AMBER
    assert recommendation.last_position_on is None
    # Published 25 April 2019, every 90 days: 24 July 2019.
    assert recommendation.next_update_due() == dt.date(2019, 7, 24)
    # In the facts' order, each once.
    assert recommendation.figure_keys == ["drug_deaths", "operations"]
    assert AuditEvent.objects.filter(
        object_type="oversight.recommendation", object_id=str(recommendation.pk), action="create"
    ).exists()


def test_a_number_already_used_in_the_review_is_a_clear_error(tracker):
    review = tracker["deep_dive"]
    with pytest.raises(ValidationError) as excinfo:
        services.recommendation_create(
            context=CONTEXT, actor=tracker["analyst"], review_id=review.pk, data=_rec_data(number=3)
        )
    assert _errors(excinfo) == {
        "number": ["This review already has a recommendation 3: enter another number"]
    }
    assert review.recommendations.count() == 9


def test_the_same_number_in_another_review_is_allowed(tracker):
    other = services.review_create(
        context=CONTEXT, actor=tracker["analyst"], data=_review_data(), today=TODAY
    )
    recommendation = services.recommendation_create(
        context=CONTEXT,
        actor=tracker["analyst"],
        review_id=other.pk,
        data=_rec_data(number=3, due_on=dt.date(2026, 6, 1)),
    )
    assert recommendation.number == 3


def test_a_due_date_before_the_review_was_published_is_refused(tracker):
    with pytest.raises(ValidationError) as excinfo:
        services.recommendation_create(
            context=CONTEXT,
            actor=tracker["analyst"],
            review_id=tracker["deep_dive"].pk,
            data=_rec_data(due_on=dt.date(2019, 4, 24)),
        )
    assert _errors(excinfo) == {
        "due_on": ["The review was published on 25 April 2019: the due date must be on or after it"]
    }


@pytest.mark.parametrize(("days", "ok"), [(6, False), (7, True), (366, True), (367, False)])
def test_the_update_interval_is_from_a_week_to_a_year(tracker, days, ok):
    call = {
        "context": CONTEXT,
        "actor": tracker["analyst"],
        "review_id": tracker["deep_dive"].pk,
        "data": _rec_data(update_every_days=days),
    }
    if ok:
        assert services.recommendation_create(**call).update_every_days == days
    else:
        with pytest.raises(ValidationError) as excinfo:
            services.recommendation_create(**call)
        assert list(_errors(excinfo)) == ["update_every_days"]


def test_unknown_figures_a_closed_board_and_a_provider_owner_are_refused(tracker):
    board = Board.objects.get(name_en=POLICING)
    Board.objects.filter(pk=board.pk).update(is_active=False)
    with pytest.raises(ValidationError) as excinfo:
        services.recommendation_create(
            context=CONTEXT,
            actor=tracker["analyst"],
            review_id=tracker["deep_dive"].pk,
            data=_rec_data(
                figure_keys=("happiness",),
                board_id=board.pk,
                owner_organisation_id=_org(OrganisationKind.PROVIDER).pk,
                owner_post=" ",
                text_en="",
            ),
        )
    assert set(_errors(excinfo)) == {
        "figure_keys",
        "board",
        "owner_organisation",
        "owner_post",
        "text_en",
    }


def test_correcting_a_recommendation_keeps_its_status_and_refuses_a_stale_copy(tracker):
    recommendation = Recommendation.objects.get(review=tracker["deep_dive"], number=7)
    rag, last = recommendation.rag, recommendation.last_position_on
    data = _rec_data(
        number=7,
        text_en="Reworded.",
        board_id=recommendation.board_id,
        due_on=recommendation.due_on,
        update_every_days=30,
    )
    saved = services.recommendation_update(
        context=CONTEXT,
        actor=tracker["analyst"],
        recommendation_id=recommendation.pk,
        expected_version=recommendation.version,
        data=data,
    )
    assert (saved.text_en, saved.update_every_days) == ("Reworded.", 30)
    assert (saved.rag, saved.last_position_on) == (rag, last)
    assert saved.version == recommendation.version + 1
    with pytest.raises(StaleVersionError):
        services.recommendation_update(
            context=CONTEXT,
            actor=tracker["analyst"],
            recommendation_id=recommendation.pk,
            expected_version=recommendation.version,
            data=_rec_data(number=7, text_en="Overwritten."),
        )
    recommendation.refresh_from_db()
    assert recommendation.text_en == "Reworded."


def test_renumbering_onto_another_recommendation_is_refused(tracker):
    recommendation = Recommendation.objects.get(review=tracker["deep_dive"], number=7)
    with pytest.raises(ValidationError) as excinfo:
        services.recommendation_update(
            context=CONTEXT,
            actor=tracker["analyst"],
            recommendation_id=recommendation.pk,
            expected_version=recommendation.version,
            data=_rec_data(number=8, board_id=recommendation.board_id),
        )
    assert _errors(excinfo)["number"] == [
        "This review already has a recommendation 8: enter another number"
    ]


def test_an_inspector_who_owns_a_recommendation_still_cannot_rewrite_it(tracker):
    recommendation = Recommendation.objects.get(review=tracker["deep_dive"], number=7)
    with pytest.raises(PermissionDenied):
        services.recommendation_update(
            context=CONTEXT,
            actor=tracker["inspector"],
            recommendation_id=recommendation.pk,
            expected_version=recommendation.version,
            data=_rec_data(number=7),
        )


# --- papers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["http://example.org/paper", "ftp://example.org/paper", "https://", "example.org/paper"],
)
def test_a_paper_must_have_an_https_address(tracker, url):
    review = tracker["deep_dive"]
    before = review.papers.count()
    with pytest.raises(ValidationError) as excinfo:
        services.paper_add(
            context=CONTEXT,
            actor=tracker["analyst"],
            review_id=review.pk,
            data=services.PaperData(title_en="The force's response", url=url),
        )
    assert list(_errors(excinfo)) == ["url"]
    assert review.papers.count() == before


def test_a_paper_is_listed_after_the_others_and_its_removal_is_audited(tracker):
    review = tracker["deep_dive"]
    orders = list(review.papers.values_list("sort_order", flat=True))
    paper = services.paper_add(
        context=CONTEXT,
        actor=tracker["analyst"],
        review_id=review.pk,
        data=services.PaperData(
            title_en="The force's response", url=" https://example.org/response.pdf "
        ),
    )
    assert paper.url == "https://example.org/response.pdf"
    assert paper.sort_order == max(orders, default=-1) + 1
    assert list(review.papers.all())[-1] == paper
    services.paper_remove(context=CONTEXT, actor=tracker["analyst"], paper_id=paper.pk)
    assert not BackgroundPaper.objects.filter(pk=paper.pk).exists()
    event = AuditEvent.objects.get(
        object_type="oversight.backgroundpaper", object_id=str(paper.pk), action="delete"
    )
    assert "url" in event.fields


# --- boards ---------------------------------------------------------------------------------


def test_a_board_name_is_unique_whatever_its_case(tracker):
    with pytest.raises(ValidationError) as excinfo:
        services.board_create(
            context=CONTEXT,
            actor=tracker["analyst"],
            data=services.BoardData(
                name_en=GOLD.upper(), organisation_id=_org(OrganisationKind.FORCE).pk
            ),
        )
    assert _errors(excinfo) == {"name_en": ["Another board already has this name"]}


def test_a_board_is_added_and_a_board_with_open_recommendations_cannot_close(tracker):
    board = services.board_create(
        context=CONTEXT,
        actor=tracker["analyst"],
        data=services.BoardData(
            name_en="Drugs Partnership Board", organisation_id=_org(OrganisationKind.OPCC).pk
        ),
    )
    assert board.is_active and board.name_cy == ""
    gold = Board.objects.get(name_en=GOLD)
    assert gold.recommendations.exclude(rag=Rag.COMPLETE).exists()
    with pytest.raises(ValidationError) as excinfo:
        services.board_update(
            context=CONTEXT,
            actor=tracker["analyst"],
            board_id=gold.pk,
            expected_version=gold.version,
            data=services.BoardData(
                name_en=gold.name_en, organisation_id=gold.organisation_id, is_active=False
            ),
        )
    assert list(_errors(excinfo)) == ["is_active"]
    closed = services.board_update(
        context=CONTEXT,
        actor=tracker["analyst"],
        board_id=board.pk,
        expected_version=board.version,
        data=services.BoardData(
            name_en="Drugs Partnership Board",
            name_cy="Bwrdd Partneriaeth Cyffuriau",
            organisation_id=board.organisation_id,
            is_active=False,
        ),
    )
    assert not closed.is_active and closed.version == 2
    with pytest.raises(StaleVersionError):
        services.board_update(
            context=CONTEXT,
            actor=tracker["analyst"],
            board_id=board.pk,
            expected_version=1,
            data=services.BoardData(name_en="Renamed", organisation_id=board.organisation_id),
        )
