"""Small-number suppression, primary and secondary (core.figures)."""

from __future__ import annotations

from pontio.core.figures import Rate, rate_suppressed, show_count, suppressed_cells


def test_counts_from_one_to_four_are_hidden_from_aggregate_viewers() -> None:
    assert [show_count(n, True) for n in (0, 1, 4, 5)] == ["0", "fewer than 5", "fewer than 5", "5"]
    assert show_count(3, False) == "3"


def test_a_rate_is_hidden_when_its_numerator_or_the_rest_is_small() -> None:
    assert rate_suppressed(Rate(3, 40))
    assert rate_suppressed(Rate(37, 40))  # 3 did not
    assert rate_suppressed(Rate(0, 4))
    assert not rate_suppressed(Rate(0, 40))
    assert not rate_suppressed(Rate(20, 40))


def test_one_hidden_cell_beside_a_shown_total_takes_the_smallest_other_with_it() -> None:
    # Carmarthenshire 3, Ceredigion 12, Pembrokeshire 20, total 35: the 3 is the total minus
    # the others, so the next smallest (12) is hidden as well.
    cells = {"carms": 3, "cered": 12, "pembs": 20, "total": 35}
    hidden = suppressed_cells(cells, [("total", ["carms", "cered", "pembs"])])
    assert hidden == {"carms", "cered"}


def test_a_shown_zero_is_not_chosen_while_a_non_zero_cell_is_left() -> None:
    cells = {"a": 2, "b": 0, "c": 9, "total": 11}
    assert suppressed_cells(cells, [("total", ["a", "b", "c"])]) == {"a", "c"}


def test_two_hidden_cells_protect_each_other() -> None:
    cells = {"a": 2, "b": 3, "c": 30, "total": 35}
    assert suppressed_cells(cells, [("total", ["a", "b", "c"])]) == {"a", "b"}


def test_a_small_total_takes_its_parts_with_it() -> None:
    cells = {"a": 2, "b": 0, "total": 2}
    assert suppressed_cells(cells, [("total", ["a", "b"])]) == {"a", "total"}


def test_hiding_spreads_across_rows_and_columns_until_nothing_can_be_subtracted() -> None:
    # Two counties by two outcomes, with row and column totals and the grand total.
    cells = {
        ("carms", "find"): 3, ("carms", "none"): 40, ("carms", "all"): 43,
        ("powys", "find"): 10, ("powys", "none"): 50, ("powys", "all"): 60,
        ("all", "find"): 13, ("all", "none"): 90, ("all", "all"): 103,
    }  # fmt: skip
    groups = [
        (("carms", "all"), [("carms", "find"), ("carms", "none")]),
        (("powys", "all"), [("powys", "find"), ("powys", "none")]),
        (("all", "find"), [("carms", "find"), ("powys", "find")]),
        (("all", "none"), [("carms", "none"), ("powys", "none")]),
        (("all", "all"), [("all", "find"), ("all", "none")]),
    ]
    hidden = suppressed_cells(cells, groups)
    for total, parts in groups:
        assert sum(1 for key in (total, *parts) if key in hidden) != 1, total
    assert ("carms", "find") in hidden


def test_a_group_whose_total_is_not_shown_needs_no_second_cell() -> None:
    cells = {"a": 2, "b": 30}
    assert suppressed_cells(cells, [("total", ["a", "b"])]) == {"a"}
