"""Journeys 5 and 6 as a person walks them: drawing the month's sample on the audit page,
the reviewers' judgements (the panel's too) back on the record, the body-worn video
reference on the panel's page, the audit pages in Welsh, one date format, plural forms."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats, timezone, translation
from tests.conftest import demo_sign_in
from tests.factories import county

from pontio.stopsearch import sampling, services
from pontio.stopsearch.models import AuditSample, SearchReview, StopSearch
from pontio.stopsearch.services import ReviewAnswers
from pontio.stopsearch.tests.helpers import CARMS, CERED, CONTEXT, record
from pontio.stopsearch.tests.test_reviews import (
    BWV,
    all_yes,
    complete,
    panel_review,
    recorded_search,
    sampled,
)


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def last_month_search(world: dict[str, Any], ons_code: str = CERED, **changes: Any) -> StopSearch:
    month = sampling.previous_month(timezone.localdate())
    when = timezone.make_aware(dt.datetime.combine(month.replace(day=10), dt.time(14, 30)))
    return record(world["officer"], county=county(ons_code), searched_at=when, **changes)


def draw(client: Any, ons_code: str = CERED, month: dt.date | None = None) -> Any:
    month = month or sampling.previous_month(timezone.localdate())
    return client.post(
        reverse("stopsearch:audit"),
        {"step": "draw", "county": county(ons_code).pk, "month": f"{month:%Y-%m}"},
        follow=True,
    )


# --- drawing the sample on the page --------------------------------------------------------------


def test_the_inspector_draws_last_months_sample_on_the_page_with_its_seed_and_rate(
    world: dict[str, Any],
) -> None:
    for _ in range(4):
        last_month_search(world)
    client = demo_sign_in("inspector")
    content = text(draw(client))
    sample = AuditSample.objects.get()
    assert (sample.county.ons_code, sample.rate_percent, sample.population) == (CERED, 25, 4)
    assert sample.drawn_by == world["inspector"]
    assert sample.reviews.filter(kind=SearchReview.Kind.INSPECTOR).count() == 1
    assert "Sample drawn for Ceredigion" in content
    assert f"seed {sample.seed}" in content and "rate 25%" in content
    assert sample.seed == sampling.default_seed(sample.month, "W06000008")  # redrawable


def test_drawing_again_shows_the_sample_drawn_and_changes_nothing(world: dict[str, Any]) -> None:
    last_month_search(world)
    client = demo_sign_in("inspector")
    draw(client)
    sample = AuditSample.objects.get()
    reviews = set(sample.reviews.values_list("pk", flat=True))
    last_month_search(world)  # recorded late: not in the sample drawn
    content = text(draw(client))
    assert AuditSample.objects.count() == 1
    assert set(sample.reviews.values_list("pk", flat=True)) == reviews
    assert "was already drawn on" in content and "Drawing again changes nothing" in content
    assert f"seed {sample.seed}" in content


def test_an_inspector_draws_only_the_counties_of_their_area(world: dict[str, Any]) -> None:
    client = demo_sign_in("inspector")
    form = client.get(reverse("stopsearch:audit")).context["draw_form"]
    assert [c.ons_code for c in form.fields["county"].queryset] == [CERED]
    response = draw(client, CARMS)
    assert response.context["draw_form"].errors["county"] == ["Choose a county of your area"]
    assert not AuditSample.objects.exists()


def test_the_administrator_draws_any_county(world: dict[str, Any]) -> None:
    last_month_search(world, CARMS)
    draw(demo_sign_in("admin"), CARMS)
    assert AuditSample.objects.get().county.ons_code == CARMS


def test_a_month_that_has_not_ended_cannot_be_drawn(world: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as error:
        services.sample_draw(
            context=CONTEXT,
            actor=world["inspector"],
            month=timezone.localdate().replace(day=1),
            county_id=county(CERED).pk,
        )
    assert error.value.message_dict["month"] == ["Choose a month that has ended"]


def test_the_page_explains_the_rate_and_the_seed(world: dict[str, Any]) -> None:
    content = text(demo_sign_in("inspector").get(reverse("stopsearch:audit")))
    assert "Draw the sample" in content
    assert "25% of the county's searches recorded in Pontio" in content


def test_those_who_do_not_run_the_audit_cannot_draw(world: dict[str, Any]) -> None:
    response = demo_sign_in("officer").post(
        reverse("stopsearch:audit"), {"step": "draw", "county": county(CARMS).pk}
    )
    assert response.status_code == 403
    assert not AuditSample.objects.exists()


# --- the reviewers' judgements on the record -----------------------------------------------------


def _record_page(username: str, search: StopSearch) -> str:
    return text(demo_sign_in(username).get(reverse("stopsearch:detail", args=[search.pk])))


def test_a_completed_panel_review_is_on_the_record_for_the_officer_and_marked_read(
    world: dict[str, Any],
) -> None:
    search, review = panel_review(world)
    complete(
        review,
        world["panel"],
        ReviewAnswers(
            judgement="concerns",
            video_notes="The grounds are given only after the search starts.",
            learning="Explain the grounds before you search.",
        ),
    )
    content = _record_page("officer", search)
    assert "Panel review" in content
    assert "Appropriate with concerns" in content
    assert "The grounds are given only after the search starts." in content
    assert "Explain the grounds before you search." in content
    assert "No completed reviews of this search." not in content
    review.refresh_from_db()
    assert review.officer_read_at is not None


def test_an_unfinished_panel_review_is_not_on_the_record(world: dict[str, Any]) -> None:
    search, _review = panel_review(world)
    assert "No completed reviews of this search." in _record_page("officer", search)


def test_the_supervisors_read_every_completed_review_on_the_record(world: dict[str, Any]) -> None:
    search, inspector_review, independent = sampled(world)
    complete(inspector_review, world["inspector"], all_yes())
    complete(
        independent,
        world["panel"],
        all_yes(record_complete=False, learning="Record the time the search ended."),
    )
    _search, panel = panel_review(world)
    complete(
        panel,
        world["panel"],
        ReviewAnswers(judgement="appropriate", video_notes="Calm and polite throughout."),
    )
    for username in ("inspector", "intelligence"):  # the county's inspector; force-wide
        content = _record_page(username, search)
        assert "Record the time the search ended." in content, username
        assert "Calm and polite throughout." not in content  # another search's review
    sergeant = text(
        demo_sign_in("custody.sergeant").get(
            reverse("stopsearch:detail", args=[record(world["officer"]).pk])
        )
    )
    assert "No completed reviews of this search." in sergeant
    # The sergeant's area is Carmarthenshire and Pembrokeshire: a review there is theirs.
    carms = record(world["officer"])
    carms_panel = services.panel_assign(
        context=CONTEXT,
        actor=world["admin"],
        reference=carms.reference,
        panel_member_id=world["panel"].pk,
    )
    complete(
        carms_panel,
        world["panel"],
        ReviewAnswers(judgement="appropriate", video_notes="GOWISELY given on camera."),
    )
    assert "GOWISELY given on camera." in _record_page("custody.sergeant", carms)
    assert "GOWISELY given on camera." not in _record_page("custody.officer", carms)


# --- the body-worn video on the panel's page -----------------------------------------------------


def test_the_panel_page_shows_the_body_worn_video_reference_to_find_the_footage(
    world: dict[str, Any],
) -> None:
    _search, review = panel_review(world)
    content = text(demo_sign_in("panel").get(reverse("stopsearch:panel-review", args=[review.pk])))
    assert f'id="body-worn-video">{BWV}<' in content
    assert "Watch the body-worn video with the reference above" in content


def test_the_panel_page_says_plainly_when_there_is_no_video_reference(
    world: dict[str, Any],
) -> None:
    search = recorded_search(world)
    StopSearch.objects.filter(pk=search.pk).update(body_worn_video="")
    review = services.panel_assign(
        context=CONTEXT,
        actor=world["inspector"],
        reference=search.reference,
        panel_member_id=world["panel"].pk,
    )
    content = text(demo_sign_in("panel").get(reverse("stopsearch:panel-review", args=[review.pk])))
    assert "No body-worn video reference was recorded for this search" in content
    assert "with the reference above" not in content
    assert ("Body-worn video reference", "None recorded") in [
        (label, value) for label, value in _rows(review)
    ]


def _rows(review: SearchReview) -> list[tuple[str, str]]:
    from pontio.stopsearch.anonymised import anonymised_rows

    return anonymised_rows(StopSearch.objects.get(pk=review.search_id))


# --- Welsh ---------------------------------------------------------------------------------------


def test_the_welsh_audit_pages_translate_every_answer_label(world: dict[str, Any]) -> None:
    _search, review, independent = sampled(world)
    complete(review, world["inspector"], all_yes())
    complete(independent, world["panel"], all_yes())
    client = demo_sign_in("inspector")
    client.get("/language/cy/")
    english = ("Grounds reasonable", "Record complete", "Conduct proportionate")
    with translation.override("cy"):
        welsh = [translation.gettext(label) for label in english]
    assert welsh != list(english)  # the catalogue has them
    for url in (
        reverse("stopsearch:audit"),
        reverse("stopsearch:review-detail", args=[review.pk]),
        reverse("stopsearch:review-detail", args=[independent.pk]),
    ):
        content = text(client.get(url))
        assert 'lang="cy"' in content
        for label, translated in zip(english, welsh, strict=True):
            assert label not in content, (url, label)
            assert translated in content, (url, translated)


# --- one date format -----------------------------------------------------------------------------


def test_a_panel_assignment_says_when_it_is_due_in_the_one_date_format(
    world: dict[str, Any],
) -> None:
    search = recorded_search(world)
    response = demo_sign_in("inspector").post(
        reverse("stopsearch:panel-assign"),
        {"reference": search.reference, "panel_member": world["panel"].pk},
        follow=True,
    )
    review = SearchReview.objects.get(search=search, kind=SearchReview.Kind.PANEL)
    content = text(response)
    assert f"due {formats.date_format(review.due_on, 'j F Y')}." in content
    assert review.due_on.strftime("%d/%m/%Y") not in content


def test_the_review_page_and_lists_use_the_one_date_format(world: dict[str, Any]) -> None:
    search, review, _independent = sampled(world)
    client = demo_sign_in("inspector")
    detail = text(client.get(reverse("stopsearch:review-detail", args=[review.pk])))
    local = timezone.localtime(search.searched_at)
    assert formats.date_format(local, "j F Y H:i") in detail
    assert local.strftime("%d/%m/%Y") not in detail
    listing = text(client.get(reverse("stopsearch:review-list")))
    assert formats.date_format(review.due_on, "j F Y") in listing


# --- plural forms on the home panels -------------------------------------------------------------


def _home(username: str) -> str:
    return " ".join(text(demo_sign_in(username).get(reverse("core:home"))).split())


def test_the_audit_panel_says_one_review_and_two_reviews(world: dict[str, Any]) -> None:
    _search, review, _independent = sampled(world)
    SearchReview.objects.filter(pk=review.pk).update(due_on=dt.date(2020, 1, 2))
    home = _home("inspector")
    assert "stop and search review waiting for you<" in home
    assert "stop and search review overdue<" in home
    assert "audit sample drawn this month<" in home
    sampled_again(world)
    home = _home("inspector")
    assert "stop and search reviews waiting for you<" in home
    assert "audit samples drawn this month<" in home


def sampled_again(world: dict[str, Any]) -> None:
    """A second sampled search in the inspector's county, a month earlier."""
    search = recorded_search(world)
    month = sampling.previous_month(search.month)
    when = timezone.make_aware(dt.datetime.combine(month.replace(day=12), dt.time(11, 0)))
    StopSearch.objects.filter(pk=search.pk).update(searched_at=when, month=month)
    sampling.draw_sample(month=month, county=county(CERED), rate_percent=100, context=CONTEXT)


def test_the_reviewer_panel_says_one_review_waiting(world: dict[str, Any]) -> None:
    panel_review(world)
    assert "review waiting for you<" in _home("panel")
    panel_review(world)
    assert "reviews waiting for you<" in _home("panel")
