"""Inspectors' authorisations: asked, granted or refused, oral ones confirmed in writing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from pontio.custody import rules, selectors, services
from pontio.custody.models import InspectorAuthorisation
from pontio.custody.tests.helpers import CONTEXT, book, fresh, request

pytestmark = pytest.mark.django_db
GROUNDS = "Says he stole the phone to pay a crack cocaine debt; needle marks seen."


def _ask(world, record):  # type: ignore[no-untyped-def]
    return services.authorisation_request(
        context=CONTEXT,
        actor=world["custody.sergeant"],
        record_id=record.pk,
        expected_version=fresh(record).version,
        stage="arrest",
        inspector=world["carms_inspector"],
        note="Non-trigger offence, admits crack use.",
    )


def test_a_sergeant_asks_and_the_inspector_grants_orally(world):  # type: ignore[no-untyped-def]
    sergeant, inspector = world["custody.sergeant"], world["carms_inspector"]
    record = book(sergeant, world["person"], "CDA1971_S1")
    asked = _ask(world, record)
    assert list(selectors.authorisations_waiting(inspector)) == [asked]
    assert list(selectors.authorisations_waiting(world["inspector"])) == []
    granted = services.authorisation_decide(
        context=CONTEXT,
        actor=inspector,
        authorisation_id=asked.pk,
        expected_version=asked.version,
        grant=True,
        grounds=GROUNDS,
        oral=True,
    )
    assert granted.state == "granted" and granted.awaiting_written_confirmation
    assert list(selectors.authorisations_waiting(inspector)) == [granted]
    decision = rules.test_eligibility(fresh(record), "arrest")
    assert decision.eligible
    # The person must be told of the authorisation and its grounds (s63B(5)).
    with pytest.raises(ValidationError) as error:
        request(sergeant, record)
    assert "PACE s63B(5)" in " ".join(error.value.messages)
    test = request(sergeant, record, told_of_authorisation=True)
    assert test.authorisation_id == granted.pk and test.told_of_authorisation
    confirmed = services.authorisation_confirm_in_writing(
        context=CONTEXT,
        actor=inspector,
        authorisation_id=granted.pk,
        expected_version=granted.version,
    )
    assert confirmed.confirmed_in_writing_at is not None
    assert list(selectors.authorisations_waiting(inspector)) == []


def test_the_inspector_refuses_with_a_reason(world):  # type: ignore[no-untyped-def]
    record = book(world["custody.sergeant"], world["person"], "CDA1971_S1")
    asked = _ask(world, record)
    with pytest.raises(ValidationError):
        services.authorisation_decide(
            context=CONTEXT,
            actor=world["carms_inspector"],
            authorisation_id=asked.pk,
            expected_version=asked.version,
            grant=False,
        )
    refused = services.authorisation_decide(
        context=CONTEXT,
        actor=world["carms_inspector"],
        authorisation_id=asked.pk,
        expected_version=asked.version,
        grant=False,
        reason="Nothing suggests Class A misuse.",
    )
    assert refused.state == "refused"
    assert not rules.test_eligibility(fresh(record), "arrest").eligible


def test_a_sergeant_cannot_decide_a_request(world):  # type: ignore[no-untyped-def]
    record = book(world["custody.sergeant"], world["person"], "CDA1971_S1")
    asked = _ask(world, record)
    with pytest.raises(ValidationError) as error:
        services.authorisation_decide(
            context=CONTEXT,
            actor=world["custody.sergeant"],
            authorisation_id=asked.pk,
            expected_version=asked.version,
            grant=True,
            grounds=GROUNDS,
        )
    assert error.value.error_list[0].code == rules.INSPECTOR_RANK
    assert InspectorAuthorisation.objects.get(pk=asked.pk).state == "pending"


def test_an_inspector_may_authorise_directly_in_writing(world):  # type: ignore[no-untyped-def]
    record = book(world["custody.sergeant"], world["person"], "CDA1971_S1")
    given = services.authorisation_give(
        context=CONTEXT,
        actor=world["carms_inspector"],
        record_id=record.pk,
        expected_version=fresh(record).version,
        stage="arrest",
        grounds=GROUNDS,
    )
    assert given.state == "granted" and not given.awaiting_written_confirmation
    with pytest.raises(ValidationError) as error:
        services.authorisation_give(
            context=CONTEXT,
            actor=world["carms_inspector"],
            record_id=record.pk,
            expected_version=fresh(record).version,
            stage="arrest",
            grounds="too short",
        )
    assert "grounds" in error.value.message_dict
