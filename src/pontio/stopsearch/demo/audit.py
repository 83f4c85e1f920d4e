"""The demo audit: the monthly samples of the months that have ended, drawn on the 1st;
the reviewers' answers, mostly before they are due; escalation as the daily task does it;
and a few panel reviews, of searches with body-worn video.

So that journey 5 can be walked by hand, every sample of the demo inspector's county has
reviews in a known state whatever the random draw: the first sampled search's inspector
review completed with learning for the officer and its independent review completed
without, the second's two reviews left open (for the inspector and the panel member to
complete). Escalation runs the morning after each due date, except the latest one passed:
those reviews are still "Overdue", for the escalation task (or the command) to escalate
while someone watches. With the latest sample not yet due, the inspector's county then has
reviews waiting, overdue, escalated, and completed with and without learning.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from pontio.accounts.models import User
from pontio.audit.services import AuditContext
from pontio.stopsearch import sampling, services
from pontio.stopsearch.demo.common import KEY, at, travel
from pontio.stopsearch.models import AUDIT_KINDS, SearchReview, StopSearch

LEARNING = (
    "Record what you saw before the search, not only the smell: where, when and how strong.",
    "The grounds name a previous conviction; say what the person was doing at the time.",
    "Write down that you told the person the power used and where to get a copy.",
    "Record why more than outer clothing was removed and where the search took place.",
)
VIDEO_NOTES = (
    "Calm exchange; the officer explains the grounds and GOWISELY before searching.",
    "The video starts after the search began; the grounds are given on camera later.",
    "Polite throughout; the person is told how to get a copy of the record.",
)
# One search in this many is sent to the panel for a review with its body-worn video.
PANEL_EVERY = 25


def _months_ended(now: dt.datetime) -> list[dt.date]:
    """The months of demo searches whose sample is due (the 1st of the next month has come)."""
    first = StopSearch.objects.filter(idempotency_key__startswith=KEY).order_by("month").first()
    if first is None:
        return []
    months = []
    month = first.month
    this_month = sampling.first_of_month(timezone.localdate(now))
    while month < this_month:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def audit(now: dt.datetime, context: AuditContext) -> tuple[int, int]:
    """Draw the samples of the months that have ended (on the 1st, as the task does), let
    the reviewers complete their reviews, escalate as the daily task would have, and send a
    few searches to the panel."""
    drawn = 0
    for month in _months_ended(now):
        drawn_on = (month + dt.timedelta(days=32)).replace(day=1)
        # Seeded before 06:00 on the 1st, the task has just run.
        with travel(min(at(drawn_on, 6), now)):
            drawn += sum(1 for _s, made in sampling.draw_month(month, context=context) if made)
    completed = _complete_reviews(now, context)
    _escalate(now, context)
    completed += _panel_reviews(now, context)
    return drawn, completed


def _escalate(now: dt.datetime, context: AuditContext) -> None:
    """The daily escalation task, run on the morning after each due date that has passed,
    except the latest (see the module docstring)."""
    due_dates = sorted(
        set(
            SearchReview.objects.filter(
                sample__isnull=False, search__idempotency_key__startswith=KEY
            ).values_list("due_on", flat=True)
        )
    )
    mornings = [at(due + dt.timedelta(days=1), 7) for due in due_dates]
    for morning in [m for m in mornings if m <= now][:-1]:
        with travel(morning):
            services.escalate_overdue(timezone.localdate(morning), context=context)


def _inspector_counties() -> set[int]:
    """The counties of the demo inspector (not force-wide), whose samples are planned."""
    inspector = User.objects.filter(username="inspector", is_active=True).first()
    if inspector is None or inspector.force_wide:
        return set()
    return set(inspector.county_ids)


def _plans(counties: set[int]) -> dict[int, str]:
    """Review pk -> its planned state, for the samples of the given counties: the first
    sampled search's reviews completed (with learning, then without), the second's open."""
    plans: dict[int, str] = {}
    reviews = SearchReview.objects.filter(
        sample__county_id__in=counties, search__idempotency_key__startswith=KEY
    ).order_by("sample_id", "pk")
    by_sample: dict[int | None, list[int]] = {}
    for review_pk, sample_pk in reviews.values_list("pk", "sample_id"):
        by_sample.setdefault(sample_pk, []).append(review_pk)
    for pks in by_sample.values():
        # A sample of one search: its inspector review with learning, its independent open.
        order = ("learning", "clean", "open", "open") if len(pks) >= 4 else ("learning", "open")
        for review_pk, plan in zip(pks, order, strict=False):
            plans[review_pk] = plan
    return plans


def _review_rng(review: SearchReview) -> random.Random:
    # Seeded by the search's demo key and the kind of review: the same choice every run.
    seed = f"{review.search.idempotency_key}:{review.kind}"
    return random.Random(seed)  # noqa: S311 - demo data, not security


def _answer_moment(rng: random.Random, start: dt.datetime, due: dt.date) -> dt.datetime:
    """A working-hours moment between ``start`` and the due date."""
    first = timezone.localtime(start).date() + dt.timedelta(days=1)
    span = max((due - first).days, 0)
    day = first + dt.timedelta(days=rng.randint(0, span))
    return at(day, rng.randint(9, 16), rng.randrange(0, 60, 5))


def _audit_answers(rng: random.Random, plan: str = "") -> services.ReviewAnswers:
    if plan == "clean" or (not plan and rng.random() < 0.8):
        return services.ReviewAnswers(
            grounds_reasonable=True, record_complete=True, conduct_proportionate=True
        )
    answers = [True, True, True]
    answers[rng.randrange(3)] = False
    return services.ReviewAnswers(
        grounds_reasonable=answers[0],
        record_complete=answers[1],
        conduct_proportionate=answers[2],
        learning=rng.choice(LEARNING),
    )


def _complete_reviews(now: dt.datetime, context: AuditContext) -> int:
    """Most reviews are answered before they are due; some are late or not started."""
    reviews = (
        SearchReview.objects.filter(
            kind__in=AUDIT_KINDS,
            completed_at__isnull=True,
            reviewer__isnull=False,
            search__idempotency_key__startswith=KEY,
        )
        .select_related("search", "sample", "reviewer")
        .order_by("pk")
    )
    plans = _plans(_inspector_counties())
    completed = 0
    for review in reviews:
        rng = _review_rng(review)
        reviewer = review.reviewer
        plan = plans.get(review.pk, "")
        left_open = plan == "open" or (not plan and rng.random() < 0.15)
        if reviewer is None or review.sample is None or left_open:
            continue  # left open: overdue, waiting, or nobody to do it
        moment = _answer_moment(rng, review.sample.drawn_at, review.due_on)
        if moment > now and plan:
            # A planned answer of a sample drawn today: some time since the draw.
            moment = review.sample.drawn_at + (now - review.sample.drawn_at) / 2
        if moment > now or moment <= review.sample.drawn_at:
            continue
        with travel(moment):
            services.review_complete(
                context=context,
                actor=reviewer,
                review_id=review.pk,
                expected_version=review.version,
                answers=_audit_answers(rng, plan),
            )
        completed += 1
    return completed


def _panel_reviews(now: dt.datetime, context: AuditContext) -> int:
    """Every ``PANEL_EVERY``-th demo search with body-worn video is sent to the panel a week
    after it was made (by the administrator, who runs the audit), and the panel member
    reviews it."""
    admin = User.objects.filter(username="admin", is_active=True).first()
    member = sampling.panel_members().order_by("pk").first()
    if admin is None or member is None:
        return 0
    keys = [f"{KEY}{i}" for i in range(3, 10_000, PANEL_EVERY)]
    searches = (
        StopSearch.objects.filter(idempotency_key__in=keys)
        # The panel watches the footage: only searches with a body-worn video reference.
        .exclude(body_worn_video="")
        .exclude(reviews__kind=SearchReview.Kind.PANEL)
        .order_by("pk")
    )
    completed = 0
    for search in searches:
        assigned_at = at(timezone.localtime(search.created_at).date() + dt.timedelta(days=7), 10)
        if assigned_at > now:
            continue
        with travel(assigned_at):
            review = services.panel_assign(
                context=context,
                actor=admin,
                reference=search.reference,
                panel_member_id=member.pk,
            )
        rng = _review_rng(review)
        moment = _answer_moment(rng, assigned_at, review.due_on)
        if moment > now or rng.random() < 0.2:
            continue
        judgement = rng.choices(list(SearchReview.Judgement.values), weights=[70, 22, 8])[0]
        answers = services.ReviewAnswers(
            judgement=judgement,
            video_notes=rng.choice(VIDEO_NOTES),
            learning=""
            if judgement == SearchReview.Judgement.APPROPRIATE
            else rng.choice(LEARNING),
        )
        with travel(moment):
            services.review_complete(
                context=context,
                actor=member,
                review_id=review.pk,
                expected_version=review.version,
                answers=answers,
            )
        completed += 1
    return completed
