"""How the referral figures are shown to aggregate viewers: small counts suppressed, and
secondary suppression so that none of them can be worked out from the totals (``metrics.tables``).
The rows are built by hand, as in ``test_metrics``."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from tests.conftest import demo_sign_in

from pontio.core.models import County
from pontio.referrals import metrics
from pontio.referrals.tests.helpers import CARMS, CERED, PEMBS, refer
from pontio.referrals.tests.test_metrics import AS_OF, Q2, D, row

# --- secondary suppression ----------------------------------------------------------------------


def _by_county(rows: list[dict[str, Any]]) -> list[metrics.Group]:
    counties = sorted({r["county__ons_code"] for r in rows})
    return [
        metrics.Group(
            code,
            code,
            metrics.summarise([r for r in rows if r["county__ons_code"] == code], [], Q2, AS_OF),
        )
        for code in counties
    ]


def _county_row(code: str, **changes: Any) -> dict[str, Any]:
    made = row(D(2025, 5, 2), **changes)
    made["county__ons_code"] = code
    return made


def test_a_small_county_cannot_be_worked_out_from_the_total(world: dict[str, Any]) -> None:
    # Seven referrals in Carmarthenshire and three in Ceredigion: 10 in all.
    rows = [_county_row(CARMS) for _ in range(7)] + [_county_row(CERED) for _ in range(3)]
    summary = metrics.summarise(rows, [], Q2, AS_OF)
    groups = _by_county(rows)
    # With small counts alone hidden, the total (10) less Carmarthenshire (7) gives the 3.
    assert metrics.show_count(summary.referrals, True) == "10"
    assert metrics.show_count(7, True) == "7" and metrics.show_count(3, True) == "fewer than 5"
    shown = metrics.shown_figures(summary, {"county": groups}, None, suppress=True)
    cells = {r["label"]: r["cells"] for r in shown.breakdowns["county"]}
    assert cells[CERED][0] == "fewer than 5"
    assert cells[CARMS][0] == metrics.protected()
    assert shown.figures[0]["value"] == "10"
    # Their assessment rates (0 of 7, 0 of 3) would give the 3 away the same way.
    assert cells[CARMS][3] == metrics.protected()
    assert cells[CERED][3] == "not shown: too few referrals"


def test_people_who_may_open_the_rows_see_every_count(world: dict[str, Any]) -> None:
    rows = [_county_row(CARMS) for _ in range(7)] + [_county_row(CERED) for _ in range(3)]
    summary = metrics.summarise(rows, [], Q2, AS_OF)
    shown = metrics.shown_figures(summary, {"county": _by_county(rows)}, None, suppress=False)
    cells = {r["label"]: r["cells"] for r in shown.breakdowns["county"]}
    assert (cells[CARMS][0], cells[CERED][0]) == ("7", "3")


def test_no_hidden_cell_is_left_alone_in_a_group_that_adds_up(world: dict[str, Any]) -> None:
    rows = (
        [_county_row(CARMS, assessed=D(2025, 5, 9)) for _ in range(9)]
        + [_county_row(CERED) for _ in range(6)]
        + [_county_row(PEMBS, assessed=D(2025, 5, 9)) for _ in range(2)]
    )
    summary = metrics.summarise(rows, [], Q2, AS_OF)
    layout = metrics.layout_of(summary, {"county": _by_county(rows)}, None)
    hidden = metrics.protect(layout)
    for total, parts in layout.groups:
        assert sum(1 for cell in (total, *parts) if cell in hidden) != 1, (total, parts)
    for cells in layout.linked:
        assert not hidden & set(cells) or set(cells) <= hidden
    # Pembrokeshire's 2 are hidden, and so is the next smallest county.
    assert ("county", PEMBS, "referrals") in hidden
    assert ("county", CERED, "referrals") in hidden
    assert ("county", CARMS, "referrals") not in hidden


def test_the_metrics_page_hides_a_county_that_would_reveal_a_small_one(
    world: dict[str, Any],
) -> None:
    from pontio.referrals.tests.helpers import make_person

    ceredigion = make_person(
        "Elin", "Owen", county_code=CERED, postcode="SA46 0AA", town="Aberaeron"
    )
    for _ in range(7):
        refer(world["officer"], world["person"])
    for _ in range(3):
        refer(world["inspector"], ceredigion)
    page = demo_sign_in("analyst").get(reverse("referrals:metrics"))
    rows = {r["label"]: r["cells"] for r in page.context["by_county"]}
    carms, cered = County.objects.get(ons_code=CARMS), County.objects.get(ons_code=CERED)
    assert page.context["figures"][0]["value"] == "10"
    assert rows[cered.label][0] == "fewer than 5"
    assert rows[carms.label][0] == metrics.protected()
    assert metrics.protected() in page.content.decode()
    manager = demo_sign_in("provider.manager").get(reverse("referrals:metrics"))
    exact = {r["label"]: r["cells"][0] for r in manager.context["by_county"]}
    assert exact == {carms.label: "7", cered.label: "3"}
