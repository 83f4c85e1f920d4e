"""The referral tiles break down by the counties of the dashboards' area: referrals elsewhere
in the user's scope count under "Other areas", so the parts still add up to the total."""

from __future__ import annotations

from pontio.referrals.dashboard_tiles import OTHER, _by_county, _county_label


def test_referrals_outside_the_area_go_to_other_areas() -> None:
    labels = {"W06000010": "Carmarthenshire", "W06000023": "Powys"}
    rows = [
        {"county__ons_code": "W06000010"},
        {"county__ons_code": "E06000001"},
        {"county__ons_code": "E06000002"},
        {"county__ons_code": None},
    ]
    grouped = _by_county(rows, labels)
    assert list(grouped) == ["W06000010", "W06000023", OTHER, ""]
    assert [len(grouped[k]) for k in grouped] == [1, 0, 2, 1]
    assert sum(len(group) for group in grouped.values()) == len(rows)
    assert _county_label(OTHER, labels) == "Other areas"
    assert _county_label("", labels) == "County not recorded"
