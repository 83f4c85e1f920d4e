"""Whether anything was found: asked on the record apart from the outcome, shown with what
the outcome means, derived for police.uk rows where their vocabulary says, and the basis
of the find rate (``vocab.Found``, ``vocab.is_find``)."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from tests.conftest import demo_sign_in

from pontio.stopsearch import analysis, policeuk, services
from pontio.stopsearch.anonymised import anonymised_rows
from pontio.stopsearch.models import StopSearch
from pontio.stopsearch.policeuk.rows import Vocabularies, parse_stop_search
from pontio.stopsearch.tests.helpers import CONTEXT, NOV_2016, record, search_data
from pontio.stopsearch.tests.test_policeuk import HEADER, csv_text, row
from pontio.stopsearch.vocab import Found, found_from_policeuk, is_find


def test_a_search_without_saying_whether_anything_was_found_is_refused(
    world: dict[str, Any],
) -> None:
    with pytest.raises(ValidationError) as error:
        services.search_record(context=CONTEXT, actor=world["officer"], data=search_data(found=""))
    assert error.value.message_dict["found"] == ["Say whether anything was found"]
    assert not StopSearch.objects.exists()


def test_the_form_asks_whether_anything_was_found(world: dict[str, Any]) -> None:
    content = demo_sign_in("officer").get(reverse("stopsearch:create")).content.decode()
    assert "Did you find anything?" in content
    for value in Found.values:
        assert f'name="found" type="radio" value="{value}"' in content


def test_the_record_shows_what_was_found_and_what_the_outcome_means(
    world: dict[str, Any],
) -> None:
    search = record(world["officer"], found="object")
    content = html.unescape(
        demo_sign_in("officer").get(reverse("stopsearch:detail", args=[search.pk])).content.decode()
    )
    assert "Anything found" in content
    assert "Yes, what the search was for" in content
    assert "What the outcome means" in content
    assert "It does not say whether anything was found" in content


def test_reviewers_see_whether_anything_was_found(world: dict[str, Any]) -> None:
    search = record(world["officer"], found="nothing")
    assert ("Anything found", "No, nothing was found") in anonymised_rows(search)


# --- police.uk rows ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "linked", "found"),
    [
        ("Nothing found - no further action", None, Found.NOTHING),
        ("Article found - Detailed outcome unavailable", True, Found.OBJECT),
        ("Article found - Detailed outcome unavailable", None, Found.OBJECT),
        ("Suspect arrested", True, Found.OBJECT),
        ("Arrest", True, Found.OBJECT),
        ("Arrest", False, ""),
        ("A no further action disposal", None, ""),
    ],
)
def test_a_police_uk_outcome_says_what_was_found_where_its_vocabulary_does(
    label: str, linked: bool | None, found: str
) -> None:
    assert found_from_policeuk(label, linked, "controlled_drugs") == found


def test_psychoactive_substances_seized_is_a_find_only_on_a_search_for_them() -> None:
    label = "Suspected psychoactive substances seized - No further action"
    assert found_from_policeuk(label, None, "psychoactive") == Found.OBJECT
    assert found_from_policeuk(label, None, "controlled_drugs") == Found.OTHER


def test_the_find_is_derived_but_left_out_of_the_rows_identity() -> None:
    vocab = Vocabularies.build()
    legacy = next(iter(csv_text(row()).splitlines()[1:]))
    current = next(iter(csv_text(row(outcome="A no further action disposal")).splitlines()[1:]))
    legacy_values = parse_stop_search(legacy.split(","), NOV_2016, vocab)
    current_values = parse_stop_search(current.split(","), NOV_2016, vocab)
    assert (legacy_values["found"], current_values["found"]) == (Found.NOTHING, "")
    # The same search published in either vocabulary is one row.
    assert policeuk.row_hash(legacy_values) == policeuk.row_hash(current_values)


@pytest.mark.django_db
def test_an_imported_legacy_file_records_what_was_found() -> None:
    text = csv_text(
        row(),
        row(outcome="Article found - Detailed outcome unavailable", linked="True"),
        row(outcome="Arrest", linked="False"),
    )
    assert HEADER in text
    policeuk.import_file("2016-11-dyfed-powys-stop-and-search.csv", text.encode())
    found = sorted(StopSearch.objects.values_list("found", flat=True))
    assert found == sorted(["nothing", "object", ""])


# --- the find rate -------------------------------------------------------------------------------


def test_a_find_is_what_the_search_was_for_found_or_a_linked_outcome() -> None:
    assert is_find(Found.OBJECT, None)  # found and dealt with by words of advice
    assert is_find(Found.NOTHING, True)  # a later drug analysis, linked
    assert is_find("", True)  # police.uk's measure, for rows that say nothing else
    assert not is_find(Found.OTHER, False)
    assert not is_find(Found.NOTHING, None)
    assert not is_find("", None)


def test_the_find_rate_counts_a_find_with_no_further_action() -> None:
    base = {
        "county__ons_code": "W06000010",
        "month": NOV_2016,
        "legislation": "mda_s23",
        "object_of_search": "controlled_drugs",
        "officer_defined_ethnicity": "White",
        "original_outcome": "nfa",
        "current_outcome": "nfa",
        "current_linked": None,
    }
    rows = [
        {**base, "found": "object"},
        {**base, "found": "nothing"},
        {**base, "found": "other"},
        {**base, "found": ""},
    ]
    result = analysis.figures(rows)
    assert (result.find.numerator, result.find.denominator) == (1, 4)


def test_the_figures_read_the_find_of_each_search(world: dict[str, Any]) -> None:
    record(world["officer"], found="object")
    record(world["officer"], found="nothing")
    rows = analysis.search_rows(StopSearch.objects.all())
    assert analysis.figures(rows).find.numerator == 1
