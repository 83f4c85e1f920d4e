"""Writes of stop and search: records and outcomes, reviews, the officer reading feedback.

Feature modules (``records``, ``person``, ``reviews``, ``feedback``, ``samples``) import each
other directly; other modules import the public names from here.
"""

from pontio.stopsearch.services.feedback import feedback_read
from pontio.stopsearch.services.person import search_person_add, search_person_link
from pontio.stopsearch.services.records import (
    SearchData,
    already_recorded,
    check_linked,
    check_outcome_date,
    check_search_data,
    check_searched_at,
    outcome_update,
    search_record,
)
from pontio.stopsearch.services.reviews import (
    ReviewAnswers,
    check_answers,
    completed_message,
    escalate_overdue,
    overdue,
    panel_assign,
    review_complete,
)
from pontio.stopsearch.services.samples import sample_draw

__all__ = [
    "ReviewAnswers",
    "SearchData",
    "already_recorded",
    "check_answers",
    "check_linked",
    "check_outcome_date",
    "check_search_data",
    "check_searched_at",
    "completed_message",
    "escalate_overdue",
    "feedback_read",
    "outcome_update",
    "overdue",
    "panel_assign",
    "review_complete",
    "sample_draw",
    "search_person_add",
    "search_person_link",
    "search_record",
]
