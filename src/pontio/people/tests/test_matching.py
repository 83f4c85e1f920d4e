"""The person matcher (pure Python, no database)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from django.utils.translation import override

from pontio.people import matching
from pontio.people.matching import (
    LIKELY_THRESHOLD,
    REASON_LABELS,
    Identity,
    Match,
    canonical_given_names,
    compare,
    normalise_name,
    normalise_pnc,
    normalise_postcode,
    phonetic_key,
    rank,
)
from pontio.people.names import GIVEN_NAME_GROUPS


@pytest.fixture(autouse=True)
def _shipped_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """No database here: score with the model shipped with the code."""
    monkeypatch.setattr("pontio.people.model_store.current_match_model", matching.default_model)


DOB = dt.date(1985, 3, 7)


def person(given: str = "Dafydd", family: str = "Jones", **kwargs: object) -> Identity:
    kwargs.setdefault("date_of_birth", DOB)
    return Identity(given_name=given, family_name=family, **kwargs)  # type: ignore[arg-type]


# --- normalisation and keys -------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Siân", "sian"),
        ("  SIÔN  ", "sion"),
        ("O'Brien", "obrien"),
        ("O\u2019Brien", "obrien"),
        ("Llewellyn-Jones", "llewellyn jones"),
        ("Llewellyn -  Jones", "llewellyn jones"),
        ("Ffion   Haf", "ffion haf"),
        ("Gwenllïan", "gwenllian"),
        ("Łukasz", "lukasz"),
        ("", ""),
    ],
)
def test_normalise_name(raw: str, expected: str) -> None:
    assert normalise_name(raw) == expected


@pytest.mark.parametrize(
    "group",
    [
        ["Llewellyn", "Llywelyn", "Llewelyn", "Lewellyn"],
        ["Lloyd", "Llwyd", "Loyd"],
        ["Griffiths", "Griffith", "Gruffydd", "Gruffudd"],
        ["Rhys", "Rees"],
        ["Price", "Pryce"],
        ["Meredith", "Meredydd"],
        ["Vaughan", "Vaughn"],
        ["Hughes", "Hughs"],
        ["Davies", "Davis"],
        ["Williams", "William"],
        ["MacDonald", "McDonald", "Mac Donald"],
    ],
)
def test_phonetic_key_groups_welsh_and_english_spellings(group: list[str]) -> None:
    keys = {phonetic_key(name) for name in group}
    assert len(keys) == 1, keys
    assert keys != {""}


def test_phonetic_key_separates_different_names_and_is_stable() -> None:
    assert phonetic_key("Jones") != phonetic_key("Evans")
    assert phonetic_key("Thomas") != phonetic_key("Morgan")
    assert phonetic_key("Jones") == phonetic_key("  JONES ") == "JNS"
    assert phonetic_key("") == ""
    assert len(phonetic_key("Llewellyn-Jones-Pritchard-Vaughan-Rees-Davies-Williams")) <= 40


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Dafydd", "David"),
        ("Dai", "David"),
        ("Dave", "Dafydd"),
        ("Siân", "Sian"),
        ("Sian", "Shan"),
        ("Llywelyn", "Llewellyn"),
        ("Llew", "Llywelyn"),
        ("Rhys", "Reece"),
        ("Gwilym", "William"),
        ("Bill", "Gwilym"),
        ("Ioan", "John"),
        ("Siôn", "John"),
        ("Huw", "Hugh"),
        ("Owain", "Owen"),
        ("Gruffudd", "Griffith"),
        ("Elis", "Ellis"),
        ("Catrin", "Catherine"),
        ("Kate", "Catrin"),
        ("Megan", "Margaret"),
        ("Peggy", "Meg"),
        ("Mair", "Mary"),
        ("Tomos", "Thomas"),
        ("Iwan", "Evan"),
        ("Bob", "Robert"),
        ("Liz", "Elizabeth"),
        ("Betty", "Beth"),
        ("Mick", "Michael"),
        ("Dick", "Richard"),
        ("Tony", "Anthony"),
        ("Chris", "Christopher"),
        ("Steve", "Stephen"),
        ("Steven", "Stephen"),
        ("Jon", "Jonathan"),
        ("Becky", "Rebecca"),
        ("Sam", "Samantha"),
        ("Danny", "Daniel"),
        ("Matt", "Matthew"),
        ("Joe", "Joseph"),
        ("Jenny", "Jennifer"),
        ("Kathryn", "Katherine"),
        ("Katie", "Katherine"),
        ("Alex", "Alexander"),
        ("Nick", "Nicholas"),
    ],
)
def test_canonical_given_names_link_variants(a: str, b: str) -> None:
    assert canonical_given_names(a) & canonical_given_names(b)


def test_canonical_given_names_do_not_chain_through_shared_forms() -> None:
    # Ieuan is a Welsh form of both John and Evan, but John is not Evan.
    assert canonical_given_names("Ieuan") & canonical_given_names("John")
    assert canonical_given_names("Ieuan") & canonical_given_names("Evan")
    assert not canonical_given_names("John") & canonical_given_names("Evan")
    assert not canonical_given_names("Mair") & canonical_given_names("Megan")
    assert canonical_given_names("Zebedee") == frozenset({"zebedee"})
    assert canonical_given_names("") == frozenset()


def test_name_table_is_normalised() -> None:
    for group in GIVEN_NAME_GROUPS:
        for name in group:
            assert normalise_name(name) == name, name


@pytest.mark.parametrize(
    "raw",
    ["19/123456A", "19/0123456A", "2019/123456a", " 19 / 123456 A ", "190123456A"],
)
def test_normalise_pnc(raw: str) -> None:
    assert normalise_pnc(raw) == "19/123456A"


def test_normalise_postcode() -> None:
    assert normalise_postcode("sa31 1aa") == ("SA311AA", "SA31")
    assert normalise_postcode("SA311AA") == ("SA311AA", "SA31")
    assert normalise_postcode("LD1 5AB") == ("LD15AB", "LD1")
    assert normalise_postcode("SA31") == ("", "SA31")
    assert normalise_postcode("not a postcode") == ("", "")


# --- comparisons from the issue ---------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "candidate", "reason"),
    [
        (person("Dafydd"), person("David"), "given_nickname"),
        (person("Siân"), person("Sian"), "given_exact"),
        (person("Sian", "Llywelyn"), person("Sian", "Llewellyn"), "family_phonetic"),
        (
            person(date_of_birth=dt.date(1985, 7, 3), postcode="SA31 1AA"),
            person(postcode="SA31 1AA"),
            "dob_transposed",
        ),
        (
            person(date_of_birth=dt.date(1986, 3, 7), postcode="SA31 1AA"),
            person(postcode="sa311aa"),
            "dob_typo",
        ),
        (
            person("Dai", "Gruffudd", postcode="SY23 1AA"),
            person("David", "Griffiths", postcode="SY23 1AA"),
            "family_variant",
        ),
        (person("Rhian", "Jemkins"), person("Rhian", "Jenkins"), "family_typo"),
        (
            person("Dafydd", "Jones", postcode="SA31 1AA"),
            person("Dafydd", "Llewellyn-Jones", postcode="SA31 1AA"),
            "given_exact",
        ),
        (
            person("Sarah", "Price"),
            person("Sarah", "Jones", aliases=(("Sarah", "Price"),)),
            "alias",
        ),
        (
            person(date_of_birth=None, pnc_id="19/0123456a"),
            person(pnc_id="19/123456A"),
            "pnc_exact",
        ),
    ],
)
def test_variant_pairs_match_with_reasons(
    query: Identity, candidate: Identity, reason: str
) -> None:
    match = compare(query, candidate)
    assert match.likely, match
    assert match.score >= LIKELY_THRESHOLD
    assert reason in match.reasons


def test_conflicting_pnc_pushes_the_score_down() -> None:
    same = person(pnc_id="19/123456A", postcode="SA31 1AA")
    other = person(pnc_id="20/654321B", postcode="SA31 1AA")
    match = compare(same, other)
    assert "pnc_conflict" in match.reasons
    without_pnc = compare(same, person(postcode="SA31 1AA"))
    assert without_pnc.likely
    assert match.score < without_pnc.score


def test_same_name_different_dob_is_not_likely() -> None:
    match = compare(
        person("David", "Jones", postcode="SA31 1AA"),
        person("David", "Jones", date_of_birth=dt.date(1961, 11, 23), postcode="SA31 1AA"),
    )
    assert not match.likely
    assert "dob_different" in match.reasons


def test_twins_are_not_likely() -> None:
    match = compare(
        person("Rhodri", "Bevan", postcode="SA61 1AA"),
        person("Gethin", "Bevan", postcode="SA61 1AA"),
    )
    assert not match.likely
    assert match.reasons[-1] == "given_different"


def test_reasons_are_in_order_of_strength() -> None:
    match = compare(
        person("Dai", "Jones", pnc_id="19/1A", postcode="SA31 1AA"),
        person("David", "Jones", pnc_id="19/1A", postcode="SA31 3BB"),
    )
    assert match.reasons == (
        "pnc_exact",
        "dob_exact",
        "given_nickname",
        "family_exact",
        "postcode_area",
    )
    conflict = compare(person(pnc_id="19/1A"), person("Gareth", pnc_id="19/2B"))
    # Disagreements last, the most damaging first (a different given name weighs more than a
    # different PNC ID in the estimated model: PNC IDs are mistyped more often than names).
    assert set(conflict.reasons[-2:]) == {"pnc_conflict", "given_different"}
    assert conflict.reasons.index("given_different") < conflict.reasons.index("pnc_conflict")


def test_every_reason_has_an_english_label() -> None:
    from pontio.people.linkage.comparisons import COMPARISONS

    codes = {code for c in COMPARISONS for code in c.levels}
    codes |= {"possible_twin", "possible_parent_child", "ambiguous_relative", "names_different"}
    assert codes <= set(REASON_LABELS)
    with override("en"):
        assert str(REASON_LABELS["dob_exact"]) == "Same date of birth"


def test_missing_fields_are_no_evidence() -> None:
    bare = compare(Identity("Dafydd", "Jones"), Identity("Dafydd", "Jones"))
    assert bare.reasons == ("given_exact", "family_exact")
    assert not bare.likely
    empty = compare(Identity("", ""), Identity("", ""))
    assert empty.reasons == ()
    assert 0 <= empty.score < 0.01


def test_middle_name_counts_less_than_first_name() -> None:
    first = compare(person("Dafydd Wyn"), person("Dafydd"))
    middle = compare(person("Wyn"), person("Dafydd Wyn"))
    assert "given_exact" in first.reasons
    assert "given_other_name" in middle.reasons
    assert middle.score < first.score


# --- rank -------------------------------------------------------------------------------


def test_rank_orders_best_first_and_drops_the_useless() -> None:
    query = person("Dai", "Llewellyn", postcode="SA31 1AA")
    candidates = [
        ("sibling", person("Gethin", "Llewellyn", date_of_birth=dt.date(1990, 1, 1))),
        ("same", person("Dafydd", "Llywelyn", postcode="SA31 1AA")),
        ("stranger", person("Sarah", "Smith", date_of_birth=dt.date(1960, 5, 5))),
        ("swapped", person("David", "Llewellyn", date_of_birth=dt.date(1985, 7, 3))),
    ]
    ranked = rank(query, candidates)
    keys = [key for key, _match in ranked]
    assert keys[:2] == ["same", "swapped"]
    assert "stranger" not in keys
    assert all(isinstance(m, Match) for _k, m in ranked)
    scores = [m.score for _k, m in ranked]
    assert scores == sorted(scores, reverse=True)
    assert rank(query, candidates, limit=1) == ranked[:1]
    assert rank(query, []) == []


# --- evaluation in miniature ------------------------------------------------------------


def _load_eval() -> ModuleType:
    path = Path(__file__).resolve().parents[4] / "bench" / "match_eval.py"
    spec = importlib.util.spec_from_file_location("match_eval", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["match_eval"] = module
    spec.loader.exec_module(module)
    return module


def test_evaluation_in_miniature_keeps_precision_and_recall() -> None:
    match_eval = _load_eval()
    result = match_eval.evaluate(seed=2026, people=800, queries=300)
    _t, precision, recall, _f1, _tp, _fp = match_eval.at_threshold(result)
    assert precision >= 0.9, match_eval.report(result)
    assert recall >= 0.8, match_eval.report(result)
    assert result.top1 >= 0.8
