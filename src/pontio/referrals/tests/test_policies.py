"""The scope policies of referrals: every model has one; who counts which rows (``aggregate``);
the provider's quarterly totals; the code registry."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from pontio.core.scopes import has_policy, restrict
from pontio.referrals import metrics, services
from pontio.referrals.models import ProviderReferralTotal, Referral, ReferralCode, TopEntry
from pontio.referrals.tests.helpers import CONTEXT, POWYS, accepted, refer


def test_every_model_of_the_app_has_a_scope_policy() -> None:
    for model in apps.get_app_config("referrals").get_models():
        assert has_policy(model), model.__name__


def _mixed(world: dict[str, Any]) -> dict[str, Referral]:
    return {
        "voluntary": refer(world["officer"], world["person"]),
        "stop_search": refer(world["officer"], world["person"], pathway="stop_search"),
        "custody": refer(world["custody.officer"], world["person"], pathway="custody"),
    }


def _counted(user: Any) -> set[int]:
    return set(restrict(Referral.objects.all(), user, "aggregate").values_list("pk", flat=True))


def test_the_analyst_counts_every_referral_but_opens_none(world: dict[str, Any]) -> None:
    made = _mixed(world)
    analyst = world["analyst"]
    assert _counted(analyst) == {r.pk for r in made.values()}
    assert not restrict(Referral.objects.all(), analyst, "view").exists()
    assert metrics.rows_for(analyst).count() == 3


@pytest.mark.parametrize("username", ["provider.manager", "custody.sergeant", "officer"])
def test_managers_and_supervisors_count_the_rows_they_may_open(
    world: dict[str, Any], username: str
) -> None:
    _mixed(world)
    user = world[username]
    viewable = set(restrict(Referral.objects.all(), user, "view").values_list("pk", flat=True))
    if username == "officer":
        # A referring officer sees no figures, so counts nothing either.
        assert viewable and _counted(user) == set()
    else:
        assert viewable and _counted(user) == viewable


def test_the_panel_counts_only_stop_and_search_referrals(world: dict[str, Any]) -> None:
    made = _mixed(world)
    assert _counted(world["panel"]) == {made["stop_search"].pk}
    assert not restrict(Referral.objects.all(), world["panel"], "view").exists()


def test_the_operations_lead_counts_the_referrals_of_their_area_but_opens_none(
    world: dict[str, Any],
) -> None:
    """The demand an operation creates comes from any contact (custody, stop and search,
    voluntary), so the lead counts every referral of their area; they never open one."""
    made = _mixed(world)
    lead = world["operations"]
    assert _counted(lead) == {
        r.pk for r in made.values() if lead.force_wide or r.county_id in lead.county_ids
    }
    assert _counted(lead)
    assert not restrict(Referral.objects.all(), lead, "view").exists()


@pytest.mark.parametrize("username", ["caseworker", "navigator", "auditor", "admin"])
def test_others_count_nothing(world: dict[str, Any], username: str) -> None:
    _mixed(world)
    assert _counted(world[username]) == set()


def test_outcome_profiles_are_counted_with_their_referrals_and_read_by_the_provider_only(
    world: dict[str, Any],
) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    services.top_record(
        context=CONTEXT,
        actor=world["caseworker"],
        referral_id=referral.pk,
        stage="start",
        interview_date=timezone.localdate(),
        main_substance="cocaine",
        values={"cocaine_days": 12},
    )
    for username in ("analyst", "provider.manager", "custody.sergeant"):
        assert restrict(TopEntry.objects.all(), world[username], "aggregate").count() == 1
    for username in ("analyst", "custody.sergeant"):
        assert not restrict(TopEntry.objects.all(), world[username], "view").exists()
    assert restrict(TopEntry.objects.all(), world["caseworker"], "view").count() == 1


def _total(world: dict[str, Any], manager: str = "provider.manager") -> ProviderReferralTotal:
    user = world[manager]
    return ProviderReferralTotal.objects.create(
        provider_id=user.organisation_id,
        quarter_start=dt.date(2025, 4, 1),
        total=40,
        entered_by=user,
        entered_at=timezone.now(),
    )


def test_provider_totals_are_their_managers_and_the_analysts(world: dict[str, Any]) -> None:
    from tests.factories import UserFactory

    from pontio.accounts.roles import Role

    ours = _total(world)
    powys_manager = UserFactory(
        roles=[Role.PROVIDER_MANAGER],
        counties=[POWYS],
        organisation=world["powys.caseworker"].organisation,
    )
    theirs = ProviderReferralTotal.objects.create(
        provider_id=powys_manager.organisation_id,
        quarter_start=dt.date(2025, 4, 1),
        total=12,
        entered_by=powys_manager,
        entered_at=timezone.now(),
    )

    def rows(user: Any, action: str) -> set[int]:
        queryset = restrict(ProviderReferralTotal.objects.all(), user, action)
        return set(queryset.values_list("pk", flat=True))

    manager = world["provider.manager"]
    assert rows(manager, "view") == rows(manager, "change") == {ours.pk}
    assert rows(powys_manager, "view") == {theirs.pk}
    analyst = world["analyst"]
    assert rows(analyst, "view") == rows(analyst, "aggregate") == {ours.pk, theirs.pk}
    assert rows(analyst, "change") == set()
    for username in ("caseworker", "custody.sergeant", "officer", "admin"):
        assert rows(world[username], "view") == set(), username


def test_the_police_share_is_shown_to_the_analyst_and_provider_managers_only(
    world: dict[str, Any],
) -> None:
    _total(world)
    assert metrics.totals_for(world["analyst"]) is not None
    assert metrics.totals_for(world["provider.manager"]) is not None
    assert metrics.totals_for(world["custody.sergeant"]) is None


def test_a_total_counts_the_managers_own_referrals_only(world: dict[str, Any]) -> None:
    from tests.factories import UserFactory

    from pontio.accounts.roles import Role

    last = metrics.total_quarters(timezone.localdate())[0]
    powys_officer = UserFactory(
        roles=[Role.OFFICER], counties=[POWYS], organisation=world["officer"].organisation
    )
    mine = refer(world["officer"], world["person"])
    theirs = refer(powys_officer, world["powys_person"])
    assert theirs.provider != mine.provider
    Referral.objects.filter(pk__in=[mine.pk, theirs.pk]).update(sent_on=last.start)
    # One referral reached this manager's organisation in the quarter: a total of 1 holds it.
    saved = services.provider_total_record(
        context=CONTEXT, actor=world["provider.manager"], quarter_start=last.start, total=1
    )
    assert saved.total == 1


def test_everyone_signed_in_reads_the_code_registry_and_nobody_changes_it(
    world: dict[str, Any],
) -> None:
    everything = ReferralCode.objects.count()
    for username in ("officer", "caseworker", "analyst", "panel", "admin", "auditor"):
        user = world[username]
        assert restrict(ReferralCode.objects.all(), user, "view").count() == everything
        for action in ("change", "create", "delete"):
            assert not restrict(ReferralCode.objects.all(), user, action).exists()
