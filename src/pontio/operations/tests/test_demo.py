"""The demo operations: made through the services, idempotent, and what a tester walks."""

from __future__ import annotations

import pytest
from django.utils import timezone
from tests.conftest import demo_sign_in

from pontio.operations import selectors
from pontio.operations.demo import seed_operations
from pontio.operations.models import Evaluation, Operation, Phase

pytestmark = pytest.mark.django_db


def test_seed_operations(world):
    first = seed_operations()
    assert first.created == 2
    assert seed_operations().skipped == 2
    heron = Operation.objects.get(code_name="Heron")
    merlin = Operation.objects.get(code_name="Merlin")
    assert heron.phase == Phase.CLOSED and merlin.phase == Phase.COVERT
    assert (
        Evaluation.objects.filter(operation=heron, answered_at__isnull=False).count() == 1
    )  # Hywel Dda has no demo user
    today = timezone.localdate()
    totals = selectors.results_totals(world["analyst"], today.replace(year=today.year - 1), today)
    assert totals.convictions == 25 and totals.street_value_pence == 31_900_000
    page = demo_sign_in("caseworker").get("/").content.decode()
    assert "Expected referrals from a police operation: Carmarthenshire, week of" in page
    assert "about 12" in page and "Merlin" not in page
