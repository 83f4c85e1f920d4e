"""Writes of the operations app (keyword-only, typed, atomic, audited). Feature modules:
``operations`` (create, edit, phases), ``engagement`` (meetings, briefings), ``forecast``,
``results``, ``evaluation``, ``links``."""

from pontio.operations.services.engagement import briefing_record, meeting_record
from pontio.operations.services.evaluation import evaluation_answer
from pontio.operations.services.forecast import (
    forecast_row_remove,
    forecast_row_set,
    forecast_share,
    providers_for,
)
from pontio.operations.services.links import intelligence_link, referrals_link
from pontio.operations.services.operations import (
    operation_create,
    operation_move,
    operation_update,
)
from pontio.operations.services.results import result_record, seizure_record

__all__ = [
    "briefing_record",
    "evaluation_answer",
    "forecast_row_remove",
    "forecast_row_set",
    "forecast_share",
    "intelligence_link",
    "meeting_record",
    "operation_create",
    "operation_move",
    "operation_update",
    "providers_for",
    "referrals_link",
    "result_record",
    "seizure_record",
]
