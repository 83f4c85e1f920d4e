"""Journey 10 (an operation) in the browser, in English and in Welsh, with axe and the
375 px check on every page (``check_page``):

1. the operations lead starts an operation, moves it to its covert phase, records a
   sensitive briefing of the Dyfed Drug and Alcohol Service and the expected referrals for
   Carmarthenshire; enforcement is refused until the forecast is shared; the lead shares it;
2. the DDAS caseworker (Carmarthenshire) sees the forecast on the home page, with no
   operational detail (no code name, no reference);
3. the lead starts enforcement; a referral is made in Carmarthenshire; the lead links it
   from the suggested list, and the operation page compares the forecast (12) with the
   referrals made (1);
4. the OPCC analyst's dashboards show the operations tiles.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect
from tests.e2e.conftest import follow, sign_in

pytestmark = pytest.mark.e2e

CODE_NAME = "Kingfisher"


def _sign_in_as(page: Page, username: str, language: str) -> None:
    page.context.clear_cookies()
    sign_in(page, username)
    page.goto(f"/language/{language}/")
    expect(page.locator("html")).to_have_attribute("lang", language)


def _date(page: Page, prefix: str, day: dt.date) -> None:
    page.locator(f"#id_{prefix}_0").fill(str(day.day))
    page.locator(f"#id_{prefix}_1").fill(str(day.month))
    page.locator(f"#id_{prefix}_2").fill(str(day.year))


def _submit(page: Page, action: str) -> None:
    follow(page, page.locator(f'main form[action="{action}"] button[type=submit]').first)


def _refer_in_carmarthenshire() -> Any:
    from django.apps import apps as django_apps
    from tests.factories import make_person

    from pontio.accounts.models import User
    from pontio.referrals.codes import load_codes
    from pontio.referrals.tests.helpers import refer

    load_codes(django_apps, None)
    person = make_person(
        given="Gethin", family="Rees", dob=dt.date(1991, 5, 14), county_code="W06000010"
    )
    return refer(User.objects.get(username="officer"), person, pathway="stop_search")


@pytest.mark.parametrize("language", ["en", "cy"])
def test_journey_10_forecast_shared_before_enforcement_and_compared_after(
    page: Page, demo_users: Any, check_page: Any, language: str
) -> None:
    from pontio.core.models import County
    from pontio.directory.demo import seed_directory
    from pontio.operations.models import Operation, Phase

    seed_directory()
    carms = County.objects.get(ons_code="W06000010")
    today = timezone.localdate()

    # 1. The lead: a new operation, covert, a briefing, the forecast, then shared.
    _sign_in_as(page, "operations", language)
    page.goto(reverse("operations:list"))
    check_page()
    follow(page, page.locator(f'main a[href="{reverse("operations:new")}"]'))
    check_page()
    _submit(page, reverse("operations:new"))  # nothing entered: refused
    check_page()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    page.locator("#id_code_name").fill(CODE_NAME)
    page.locator(f"input[name=counties][value='{carms.pk}']").check()
    _submit(page, reverse("operations:new"))
    check_page()
    operation = Operation.objects.get(code_name=CODE_NAME)
    detail = reverse("operations:detail", args=[operation.pk])
    assert page.url.endswith(detail)

    move = reverse("operations:move", args=[operation.pk])
    page.goto(move)
    check_page()
    _submit(page, move)
    check_page()
    assert Operation.objects.get(pk=operation.pk).phase == Phase.COVERT

    briefing = reverse("operations:briefing", args=[operation.pk])
    page.goto(briefing)
    check_page()
    from pontio.accounts.models import Organisation

    ddas = Organisation.objects.get(name="Dyfed Drug and Alcohol Service")
    page.locator("#id_organisation").select_option(str(ddas.pk))
    page.locator("#id_recipient").fill("Head of Service")
    _date(page, "briefed_on", today)
    page.locator("#id_briefed_time").fill("00:05")
    page.locator("input[name=level][value=sensitive]").check()
    page.locator("#id_shared").fill("Expected referral demand by week; no names or places.")
    _submit(page, briefing)
    check_page()

    forecast = reverse("operations:forecast", args=[operation.pk])
    page.goto(forecast)
    check_page()
    page.locator(f"input[name=county][value='{carms.pk}']").check()
    _date(page, "week_starting", today)
    page.locator("#id_expected_referrals").fill("12")
    page.locator("#id_expected_safeguarding").fill("3")
    _submit(page, forecast)
    check_page()
    expect(page.locator("main table")).to_contain_text("12")

    # Enforcement before sharing: refused, with the reason.
    page.goto(move)
    check_page()
    _submit(page, move)
    check_page()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert Operation.objects.get(pk=operation.pk).phase == Phase.COVERT

    share = reverse("operations:forecast-share", args=[operation.pk])
    page.goto(share)
    check_page()
    expect(page.locator("main")).to_contain_text("Dyfed")
    _submit(page, share)
    check_page()
    assert Operation.objects.get(pk=operation.pk).forecast_shared_at is not None

    # 2. The provider's caseworker: the forecast on the home page, no operational detail.
    _sign_in_as(page, "caseworker", language)
    page.goto("/")
    check_page()
    main = page.locator("main")
    expect(main).to_contain_text(str(carms.label_cy if language == "cy" else carms.label_en))
    expect(main).to_contain_text("12")
    text = main.inner_text()
    assert CODE_NAME not in text and operation.reference not in text

    # 3. Enforcement, a referral made, linked; the page compares forecast and demand.
    _sign_in_as(page, "operations", language)
    page.goto(move)
    check_page()
    _submit(page, move)
    check_page()
    assert Operation.objects.get(pk=operation.pk).phase == Phase.ENFORCEMENT
    referral = _refer_in_carmarthenshire()
    link = reverse("operations:referrals", args=[operation.pk])
    page.goto(link)
    check_page()
    page.locator(f"input[name=referrals][value='{referral.pk}']").check()
    _submit(page, link)
    check_page()
    assert page.url.split("#")[0].endswith(detail)
    demand = page.locator("#demand ~ table").first
    expect(demand).to_contain_text("12")
    expect(demand).to_contain_text("1")
    assert operation.referral_links.count() == 1

    # 4. The analyst's dashboards hold the operations tiles.
    _sign_in_as(page, "analyst", language)
    page.goto(reverse("oversight:dashboards"))
    check_page()
    expect(page.locator("#tile-operations-demand")).to_be_visible()
    expect(page.locator("#tile-operations-results")).to_be_visible()


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_operation_pages_with_results_and_evaluations(
    page: Page, demo_users: Any, check_page: Any, language: str
) -> None:
    """The demo operations: a closed one's page (results, seizures, evaluation), the forms
    of the engagement plan and results with their errors, and the partner's evaluation."""
    from pontio.operations.demo import seed_operations
    from pontio.operations.models import Evaluation, Operation

    seed_operations()
    heron = Operation.objects.get(code_name="Heron")
    merlin = Operation.objects.get(code_name="Merlin")

    _sign_in_as(page, "operations", language)
    page.goto("/")
    check_page()
    page.goto(reverse("operations:detail", args=[heron.pk]))
    check_page()
    expect(page.locator("#results ~ dl").first).to_contain_text("25")
    page.goto(reverse("operations:detail", args=[merlin.pk]))
    check_page()
    for name, operation in (
        ("meeting", merlin),
        ("briefing", merlin),
        ("edit", merlin),
        ("forecast-share", merlin),
        ("result", heron),
        ("seizure", heron),
        ("referrals", heron),
    ):
        url = reverse(f"operations:{name}", args=[operation.pk])
        page.goto(url)
        check_page()
    # A seizure with nothing entered: the errors, in the page's language.
    seizure = reverse("operations:seizure", args=[heron.pk])
    page.goto(seizure)
    _submit(page, seizure)
    check_page()
    expect(page.locator(".govuk-error-summary")).to_be_visible()

    # The partner: the evaluation of the closed operation (DDAS answered already).
    evaluation = Evaluation.objects.get(operation=heron, organisation__name__startswith="Dyfed")
    _sign_in_as(page, "caseworker", language)
    page.goto(reverse("operations:evaluation", args=[evaluation.pk]))
    check_page()
    assert "Heron" not in page.locator("main").inner_text()
