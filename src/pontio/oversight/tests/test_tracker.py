"""The recommendations tracker: positions and their rules, the RAG history, reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pontio.audit.models import AuditEvent
from pontio.audit.services import AuditContext
from pontio.core.concurrency import StaleVersionError
from pontio.core.models import Notification
from pontio.oversight import selectors
from pontio.oversight.models import PositionUpdate, Rag, Recommendation
from pontio.oversight.services.reminders import remind_due
from pontio.oversight.services.tracker import PositionData, position_record

TODAY = dt.date(2026, 12, 3)
CONTEXT = AuditContext.system("test")


def _rec(tracker, number: int) -> Recommendation:
    return Recommendation.objects.get(review=tracker["deep_dive"], number=number)


def _record(user, recommendation, version=None, **changes):
    data = {"as_of": dt.date(2019, 10, 25), "rag": Rag.GREEN, "text_en": "Done."} | changes
    return position_record(
        context=CONTEXT,
        actor=user,
        recommendation_id=recommendation.pk,
        expected_version=recommendation.version if version is None else version,
        data=PositionData(**data),
        today=TODAY,
    )


def test_the_demo_deep_dive_has_nine_recommendations_with_july_and_september_positions(tracker):
    recommendations = list(tracker["deep_dive"].recommendations.all())
    assert [r.number for r in recommendations] == list(range(1, 10))
    dates = set(
        PositionUpdate.objects.filter(recommendation__in=recommendations).values_list(
            "as_of", flat=True
        )
    )
    assert dates == {dt.date(2019, 7, 15), dt.date(2019, 9, 30)}
    assert all(r.last_position_on == dt.date(2019, 9, 30) for r in recommendations)


def test_a_position_becomes_the_current_status_and_joins_the_history(tracker):
    recommendation = _rec(tracker, 3)
    assert recommendation.rag == Rag.AMBER
    _record(tracker["analyst"], recommendation, rag=Rag.COMPLETE, text_cy="Wedi'i wneud.")
    recommendation.refresh_from_db()
    assert recommendation.rag == Rag.COMPLETE
    assert recommendation.last_position_on == dt.date(2019, 10, 25)
    assert recommendation.version == 2
    history = [p.rag for p in recommendation.positions.order_by("as_of", "pk")]
    assert history == [Rag.RED, Rag.AMBER, Rag.COMPLETE]
    assert AuditEvent.objects.filter(object_type="oversight.positionupdate").count() == 1


def test_a_position_dated_before_the_previous_one_is_refused_and_nothing_changes(tracker):
    recommendation = _rec(tracker, 1)
    with pytest.raises(ValidationError) as error:
        _record(tracker["analyst"], recommendation, as_of=dt.date(2019, 9, 29))
    assert "30 September 2019" in str(error.value.message_dict["as_of"])
    recommendation.refresh_from_db()
    assert recommendation.positions.count() == 2
    assert recommendation.version == 1


def test_a_correction_on_the_same_date_is_a_new_position(tracker):
    recommendation = _rec(tracker, 1)
    _record(tracker["analyst"], recommendation, as_of=dt.date(2019, 9, 30), rag=Rag.AMBER)
    recommendation = Recommendation.objects.get(pk=recommendation.pk)
    standing = selectors.position_at(
        selectors.with_positions(
            Recommendation.objects.filter(pk=recommendation.pk), tracker["analyst"]
        )[0],
        dt.date(2019, 9, 30),
    )
    assert standing.rag == Rag.AMBER


@pytest.mark.parametrize(
    ("as_of", "field_error"),
    [
        (dt.date(2027, 1, 1), "today or in the past"),
        (dt.date(2019, 1, 1), "published on 25 April 2019"),
    ],
)
def test_a_position_in_the_future_or_before_the_review_is_refused(tracker, as_of, field_error):
    with pytest.raises(ValidationError) as error:
        _record(tracker["analyst"], _rec(tracker, 2), as_of=as_of)
    assert field_error in " ".join(error.value.message_dict["as_of"])


def test_a_stale_version_is_refused(tracker):
    recommendation = _rec(tracker, 2)
    _record(tracker["analyst"], recommendation)
    with pytest.raises(StaleVersionError):
        _record(tracker["analyst"], recommendation, as_of=dt.date(2019, 11, 1), version=1)


def test_an_inspector_reports_on_their_own_organisations_recommendations_only(tracker, make_user):
    recommendation = _rec(tracker, 4)
    _record(tracker["inspector"], recommendation)  # the force owns it
    outsider = make_user(roles=["inspector"])
    with pytest.raises(PermissionDenied):
        _record(outsider, recommendation, as_of=dt.date(2019, 11, 2))
    with pytest.raises(PermissionDenied):
        _record(tracker["officer"], recommendation, as_of=dt.date(2019, 11, 2))


def test_position_at_a_date_is_the_latest_on_or_before_it(tracker):
    recommendation = selectors.with_positions(
        Recommendation.objects.filter(pk=_rec(tracker, 7).pk), tracker["analyst"]
    )[0]
    assert selectors.position_at(recommendation, dt.date(2019, 7, 14)) is None
    assert selectors.position_at(recommendation, dt.date(2019, 8, 1)).rag == Rag.AMBER
    assert selectors.position_at(recommendation, dt.date(2020, 1, 1)).rag == Rag.RED


def test_updates_fall_due_after_the_interval_and_complete_ones_never(tracker):
    recommendation = _rec(tracker, 5)
    assert recommendation.next_update_due() == dt.date(2019, 12, 29)
    recommendation.rag = Rag.COMPLETE
    assert recommendation.next_update_due() is None


def test_owners_are_reminded_once_per_due_date(tracker):
    inspection = [
        r
        for r in Recommendation.objects.exclude(review=tracker["deep_dive"])
        if r.update_every_days == 210
    ]
    assert inspection and all(
        r.next_update_due() == TODAY + dt.timedelta(days=10) for r in inspection
    )
    first = remind_due(TODAY)
    # The nine deep dive recommendations are overdue, the death review's late, the
    # inspection's due in ten days: all within the reminder window.
    assert first == Recommendation.objects.exclude(rag=Rag.COMPLETE).count()
    sent = Notification.objects.filter(template="recommendation_update_due").count()
    assert sent >= first  # one email per owner reachable by email
    assert remind_due(TODAY) == 0
    assert Notification.objects.filter(template="recommendation_update_due").count() == sent


def test_a_new_position_re_arms_the_reminder(tracker):
    recommendation = _rec(tracker, 6)
    remind_due(TODAY)
    _record(tracker["analyst"], recommendation, as_of=dt.date(2026, 11, 30))
    recommendation.refresh_from_db()
    assert recommendation.reminded_for is None
    assert recommendation.next_update_due() == dt.date(2027, 2, 28)
    assert remind_due(TODAY) == 0  # not due for another 87 days
    assert remind_due(dt.date(2027, 2, 20)) >= 1


def test_due_updates_list_the_users_own_recommendations_soonest_first(tracker):
    due = selectors.due_updates(tracker["inspector"], TODAY)
    assert due[0].recommendation.review == tracker["deep_dive"]
    assert all(item.overdue for item in due if item.recommendation.review == tracker["deep_dive"])
    assert selectors.due_updates(tracker["officer"], TODAY) == []
