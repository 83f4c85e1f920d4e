"""The scrutiny panel's pages: the member's reviews, the review form, the force's feedback,
the hand draw, and the scheduled draw (task and command)."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demo_sign_in as _demo_sign_in
from tests.factories import ALL_COUNTIES

from pontio.accounts.roles import Role
from pontio.disposals import panel
from pontio.disposals.models import DisposalSample, PanelReview
from pontio.disposals.services.panel import review_submit
from pontio.disposals.tasks import draw_previous_quarter
from pontio.disposals.tests.helpers import CONTEXT, make_person, record
from pontio.disposals.views.panel import feedback_by_quarter


def demo_sign_in(username: str) -> Any:
    """Signed in and reading English (some demo users read Pontio in Welsh by default)."""
    from django.conf import settings

    client = _demo_sign_in(username)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


pytestmark = pytest.mark.django_db


def _previous() -> dt.date:
    return panel.previous_quarter(timezone.localdate())


def _disposals(sergeant: Any, count: int) -> list[Any]:
    """``count`` disposals decided in the middle of the quarter last ended."""
    moment = dt.datetime.combine(_previous() + dt.timedelta(days=40), dt.time(10), tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=False):
        return [record(sergeant, make_person(f"Person{n}", "Panelpage")) for n in range(count)]


def _drawn(world: dict[str, Any], count: int) -> DisposalSample:
    _disposals(world["custody.sergeant"], count)
    sample, created = panel.draw_sample(
        quarter=_previous(), context=CONTEXT, rate_percent=100, seed=5
    )
    assert created
    return sample


def _snapshot() -> list[tuple[Any, ...]]:
    return list(
        PanelReview.objects.order_by("pk").values_list(
            "pk", "version", "judgement", "feedback", "reviewed_at", "reviewer_id"
        )
    ) + list(DisposalSample.objects.order_by("pk").values_list("pk", "seed", "population"))


@pytest.fixture
def second_member(make_user: Any) -> Any:
    return make_user(roles=[Role.PANEL_MEMBER], counties=list(ALL_COUNTIES))


def test_a_member_sees_only_their_own_reviews_and_another_members_is_not_found(
    world, second_member, sign_in
):
    sample = _drawn(world, 4)
    own = set(
        PanelReview.objects.filter(sample=sample, reviewer=world["panel"]).values_list(
            "pk", flat=True
        )
    )
    other = set(
        PanelReview.objects.filter(sample=sample, reviewer=second_member).values_list(
            "pk", flat=True
        )
    )
    assert len(own) == 2 and len(other) == 2  # round robin between the two members
    client = demo_sign_in("panel")
    before = _snapshot()
    page = client.get(reverse("disposals:panel"))
    assert page.status_code == 200
    shown = {r.pk for r in page.context["to_do"]}
    assert shown == own
    for pk in other:
        assert client.get(reverse("disposals:panel-review", args=[pk])).status_code == 404
        posted = client.post(
            reverse("disposals:panel-review", args=[pk]),
            {"version": 1, "judgement": "appropriate", "feedback": ""},
        )
        assert posted.status_code == 404
    mine = next(iter(own))
    review_page = client.get(reverse("disposals:panel-review", args=[mine]))
    assert review_page.status_code == 200
    text = review_page.content.decode()
    assert "Panelpage" not in text and "Person" not in text.split("<main", 1)[-1]
    assert _snapshot() == before  # GET writes nothing
    other_client = sign_in(second_member)
    assert {r.pk for r in other_client.get(reverse("disposals:panel")).context["to_do"]} == other


def test_a_valid_judgement_is_saved_and_redirects(world):
    sample = _drawn(world, 1)
    review = PanelReview.objects.get(sample=sample)
    client = demo_sign_in("panel")
    response = client.post(
        reverse("disposals:panel-review", args=[review.pk]),
        {"version": review.version, "judgement": "concerns", "feedback": "Victim not asked."},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("disposals:panel")
    review.refresh_from_db()
    assert review.judgement == "concerns" and review.feedback == "Victim not asked."
    assert review.reviewed_at is not None
    listing = client.get(reverse("disposals:panel"))
    assert [r.pk for r in listing.context["done"]] == [review.pk]
    assert listing.context["to_do"] == []
    # A completed review is final: the page shows no form, a second post is refused.
    assert client.get(reverse("disposals:panel-review", args=[review.pk])).context["form"] is None
    again = client.post(
        reverse("disposals:panel-review", args=[review.pk]),
        {"version": review.version, "judgement": "appropriate", "feedback": ""},
    )
    assert again.status_code == 400
    review.refresh_from_db()
    assert review.judgement == "concerns"


@pytest.mark.parametrize(
    "data",
    [
        {"judgement": "not_appropriate", "feedback": "  "},  # feedback required
        {"judgement": "", "feedback": "Something"},  # no judgement
        {"judgement": "wrong", "feedback": "Something"},  # not a choice
    ],
)
def test_an_invalid_judgement_is_refused_with_the_error_summary_and_nothing_saved(world, data):
    sample = _drawn(world, 1)
    review = PanelReview.objects.get(sample=sample)
    client = demo_sign_in("panel")
    before = _snapshot()
    response = client.post(
        reverse("disposals:panel-review", args=[review.pk]), {"version": review.version, **data}
    )
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert _snapshot() == before


def test_a_stale_version_is_refused(world):
    sample = _drawn(world, 1)
    review = PanelReview.objects.get(sample=sample)
    response = demo_sign_in("panel").post(
        reverse("disposals:panel-review", args=[review.pk]),
        {"version": review.version + 3, "judgement": "appropriate", "feedback": ""},
    )
    assert response.status_code == 400
    review.refresh_from_db()
    assert review.reviewed_at is None


@pytest.mark.parametrize(
    ("username", "name", "args"),
    [
        ("officer", "disposals:panel", []),
        ("officer", "disposals:panel-review", [1]),
        ("officer", "disposals:panel-feedback", []),
        ("officer", "disposals:panel-draw", []),
        ("panel", "disposals:panel-feedback", []),
        ("panel", "disposals:panel-draw", []),
        ("custody.sergeant", "disposals:panel", []),
        ("custody.sergeant", "disposals:panel-draw", []),
        ("inspector", "disposals:panel-review", [1]),
    ],
)
def test_pages_refuse_those_without_the_permission(world, username, name, args):
    client = demo_sign_in(username)
    assert client.get(reverse(name, args=args)).status_code == 403
    assert client.post(reverse(name, args=args), {}).status_code == 403


def test_the_force_reads_the_judgements_with_small_counts_suppressed(world):
    sample = _drawn(world, 6)
    reviews = list(PanelReview.objects.filter(sample=sample).order_by("pk"))
    assert len(reviews) == 6
    judgements = ["appropriate"] * 5 + ["not_appropriate"]
    for review, judgement in zip(reviews, judgements, strict=True):
        review_submit(
            context=CONTEXT,
            actor=world["panel"],
            review_id=review.pk,
            judgement=judgement,
            feedback="Planted-feedback: not proportionate" if judgement != "appropriate" else "",
            expected_version=review.version,
        )
    sergeant = world["custody.sergeant"]
    found = feedback_by_quarter(sergeant)
    assert len(found) == 1
    counts = {c.label: (c.count, c.shown) for c in found[0].counts}
    assert counts["Appropriate"][0] == 5
    assert counts["Not appropriate"] == (1, "fewer than 5")
    assert counts["Appropriate, with concerns"] == (0, "0")
    # One hidden cell of a group with its total shown: a second is hidden (secondary).
    assert counts["Appropriate"][1] == "not shown (small numbers)"
    assert found[0].total.count == 6
    assert [r.pk for r in found[0].reviews] == [reviews[-1].pk]

    client = demo_sign_in("custody.sergeant")
    before = _snapshot()
    page = client.get(reverse("disposals:panel-feedback"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Planted-feedback" in text and reviews[-1].disposal.reference in text
    assert "fewer than 5" in text and panel.quarter_label(_previous()) in text
    assert f'href="{reverse("disposals:detail", args=[reviews[-1].disposal_id])}"' in text
    assert _snapshot() == before


def test_the_draw_page_draws_a_quarter_once(world, settings):
    settings.PONTIO_DISPOSAL_SAMPLE_PERCENT = 50
    made = _disposals(world["custody.sergeant"], 4)
    client = demo_sign_in("inspector")
    before = _snapshot()
    assert client.get(reverse("disposals:panel-draw")).status_code == 200
    assert _snapshot() == before  # GET writes nothing
    url = reverse("disposals:panel-draw")
    first = client.post(url, {"quarter": _previous().isoformat(), "seed": ""})
    assert first.status_code == 302
    sample = DisposalSample.objects.get(quarter=_previous())
    assert sample.population == 4 and sample.rate_percent == 50
    assert sample.seed == panel.default_seed(_previous())
    chosen = set(sample.reviews.values_list("disposal_id", flat=True))
    assert len(chosen) == 2 and chosen <= {d.pk for d in made}
    after_first = _snapshot()
    second = client.post(url, {"quarter": _previous().isoformat(), "seed": "99"})
    assert second.status_code == 400
    assert "already been drawn" in second.content.decode()
    assert _snapshot() == after_first
    page = client.get(url)
    [row] = page.context["samples"]
    assert row.verification.matches and row.reviews == 2


def test_the_draw_page_refuses_a_quarter_not_ended(world):
    client = demo_sign_in("admin")
    current = panel.quarter_start(timezone.localdate())
    response = client.post(reverse("disposals:panel-draw"), {"quarter": current.isoformat()})
    assert response.status_code == 400
    assert not DisposalSample.objects.exists()


def test_the_command_and_the_task_draw_the_previous_quarter_once(world):
    _disposals(world["custody.sergeant"], 3)
    out = StringIO()
    call_command("draw_disposal_sample", "--quarter", _previous().isoformat(), stdout=out)
    assert "drawn;" in out.getvalue() and "already" not in out.getvalue()
    sample = DisposalSample.objects.get()
    assert sample.population == 3 and sample.quarter == _previous()
    again = StringIO()
    call_command("draw_disposal_sample", stdout=again)
    assert "already drawn" in again.getvalue()
    assert draw_previous_quarter.call() is False
    assert DisposalSample.objects.count() == 1
    with pytest.raises(CommandError):
        call_command(
            "draw_disposal_sample", "--quarter", timezone.localdate().isoformat(), stdout=out
        )


def test_the_task_draws_when_not_drawn_yet(world):
    _disposals(world["custody.sergeant"], 2)
    assert draw_previous_quarter.call() is True
    assert DisposalSample.objects.filter(quarter=_previous()).count() == 1


def test_the_home_panel_counts_the_reviews_waiting_and_the_navigation_links(world):
    sample = _drawn(world, 3)
    first = PanelReview.objects.filter(sample=sample).order_by("pk").first()
    review_submit(
        context=CONTEXT,
        actor=world["panel"],
        review_id=first.pk,
        judgement="appropriate",
        feedback="",
        expected_version=first.version,
    )
    client = demo_sign_in("panel")
    home = client.get(reverse("core:home"))
    [card] = [p for p in home.context["panels"] if p["title"] == "Scrutiny panel"]
    assert [i["count"] for i in card["items"]] == [2]
    assert card["items"][0]["url"] == reverse("disposals:panel")
    text = home.content.decode()
    assert f'href="{reverse("disposals:panel")}"' in text
    assert reverse("disposals:panel-feedback") not in text
    sergeant_home = demo_sign_in("custody.sergeant").get(reverse("core:home")).content.decode()
    assert reverse("disposals:panel-feedback") in sergeant_home
    assert f'href="{reverse("disposals:panel")}"' not in sergeant_home
