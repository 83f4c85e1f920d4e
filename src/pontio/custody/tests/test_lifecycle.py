"""The required-assessment table: every allowed move, every other move refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from pontio.custody import lifecycle
from pontio.custody.models import AssessmentState

A = AssessmentState
STATES = ["", *A.values]


def test_the_table_names_every_state() -> None:
    assert set(lifecycle.ALLOWED) == set(STATES)


@pytest.mark.parametrize(
    ("from_state", "to_state"),
    [(f, t) for f in STATES for t in A.values if t in lifecycle.ALLOWED[f]],
)
def test_allowed_moves_pass(from_state: str, to_state: str) -> None:
    lifecycle.check_move(from_state, to_state)


@pytest.mark.parametrize(
    ("from_state", "to_state"),
    [(f, t) for f in STATES for t in A.values if t not in lifecycle.ALLOWED[f]],
)
def test_other_moves_are_refused(from_state: str, to_state: str) -> None:
    with pytest.raises(ValidationError) as error:
        lifecycle.check_move(from_state, to_state)
    assert error.value.code == "transition_not_allowed"


def test_expected_moves() -> None:
    assert lifecycle.ALLOWED[""] == {A.INITIAL_REQUIRED}
    assert lifecycle.ALLOWED[A.INITIAL_ATTENDED] == {A.FOLLOWUP_REQUIRED, A.FOLLOWUP_NOT_REQUIRED}
    for final in lifecycle.FINISHED:
        assert lifecycle.ALLOWED[final] == frozenset()


def test_unknown_state_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        lifecycle.check_move(A.INITIAL_REQUIRED, "teleported")
    assert error.value.code == "unknown_state"


def test_notices_by_state() -> None:
    assert lifecycle.NOTICE_OF[A.INITIAL_REQUIRED] == "RA1"
    assert lifecycle.NOTICE_OF[A.INITIAL_VARIED] == "RA2"
    assert lifecycle.NOTICE_OF[A.FOLLOWUP_VARIED] == "RA2"
    assert lifecycle.NOTICE_OF[A.INITIAL_ATTENDED] == "RA3"
    assert lifecycle.NOTICE_OF[A.FOLLOWUP_ATTENDED] == "RA3"
    assert lifecycle.NOTICE_OF[A.FOLLOWUP_REQUIRED] == "RA4"
    assert lifecycle.NOTICE_OF[A.FOLLOWUP_NOT_REQUIRED] == "RA5"
    assert not set(lifecycle.NOTICE_OF) & lifecycle.FAILURES
