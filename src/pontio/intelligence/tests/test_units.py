"""Unit tests: grading codes, the actionable checks, sanitising and the form's protection."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from pontio.intelligence import actionable, protection
from pontio.intelligence.grading import validate_grading
from pontio.intelligence.sanitising import identifying_patterns, neutralise


def _report(**kw: str) -> SimpleNamespace:
    base = {
        "scheme": "3x5x2",
        "source_code": "2",
        "information_code": "B",
        "handling_code": "P",
        "sanitised_text": "Supply reported in a town centre.",
        "priority": "medium",
        "priority_reason": "Time-critical.",
    }
    base.update(kw)
    return SimpleNamespace(**base)


def test_a_3x5x2_grade_of_its_own_codes_is_accepted() -> None:
    validate_grading("3x5x2", "2", "B", "P")


def test_a_5x5x5_grade_is_accepted_with_its_own_codes() -> None:
    validate_grading("5x5x5", "B", "2", "4")


@pytest.mark.parametrize(
    ("scheme", "codes", "field"),
    [
        ("3x5x2", ("4", "B", "P"), "source_code"),
        ("3x5x2", ("2", "F", "P"), "information_code"),
        ("3x5x2", ("2", "B", "4"), "handling_code"),
        ("5x5x5", ("2", "B", "P"), "source_code"),
    ],
)
def test_a_code_of_the_other_scheme_is_refused_on_its_field(
    scheme: str, codes: tuple[str, str, str], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_grading(scheme, *codes)
    assert field in caught.value.message_dict


def test_an_unknown_scheme_is_refused() -> None:
    with pytest.raises(ValidationError):
        validate_grading("4x4", "1", "A", "P")


def test_a_complete_3x5x2_report_is_actionable() -> None:
    assert actionable.is_actionable(_report())
    assert all(c.met for c in actionable.checks(_report()))


def test_a_legacy_5x5x5_grade_is_not_actionable_until_regraded() -> None:
    checks = {
        c.key: c.met
        for c in actionable.checks(
            _report(scheme="5x5x5", source_code="B", information_code="2", handling_code="1")
        )
    }
    assert checks["graded"] is False
    assert checks["handling"] is False


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"sanitised_text": "  "}, "sanitised"),
        ({"priority": ""}, "prioritised"),
        ({"priority_reason": ""}, "prioritised"),
        ({"information_code": "E"}, "not_false"),
        ({"source_code": ""}, "graded"),
    ],
)
def test_each_missing_piece_fails_its_own_check(change: dict[str, str], key: str) -> None:
    checks = {c.key: c.met for c in actionable.checks(_report(**change))}
    assert checks[key] is False
    assert not actionable.is_actionable(_report(**change))


def test_a_c_coded_item_needs_a_condition_for_a_recipient() -> None:
    report = _report(handling_code="C")
    assert not actionable.is_actionable(report, recipient_condition="")
    assert actionable.is_actionable(report, recipient_condition="Not to be passed on.")


def test_scripts_and_tags_are_removed_and_the_text_kept() -> None:
    text, changed = neutralise(
        'Dealing <script>alert("x")</script>at <b>the park</b><img src=x onerror=alert(1)>'
    )
    assert "<" not in text and "script" not in text and "alert" not in text
    assert "Dealing" in text and "the park" in text
    assert changed


def test_plain_text_is_unchanged() -> None:
    assert neutralise("Dealing at the park.\nEvery night.") == (
        "Dealing at the park.\nEvery night.",
        False,
    )


def test_control_characters_are_removed() -> None:
    assert neutralise("a\x00b\u202ec")[0] == "abc"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Call 07700 900123", "phone"),
        ("ring 01267 123456", "phone"),
        ("mail me a.b@example.com", "email"),
        ("lives at SA31 1AB", "postcode"),
        ("on 12/03/2026", "date"),
        ("on 2026-03-12", "date"),
        ("on 12 March", "date"),
        ("ar 12 Mawrth", "date"),
    ],
)
def test_identifying_patterns_are_found(text: str, kind: str) -> None:
    assert kind in identifying_patterns(text)


def test_a_month_alone_is_not_an_exact_date() -> None:
    assert identifying_patterns("In March 2026 you told us about dealing in a town centre.") == []


def test_the_rate_limit_allows_the_count_then_refuses() -> None:
    limit = protection.Limit("t", 3, 60)
    results = [protection.hit(limit, "192.0.2.1", now=1000.0) for _ in range(5)]
    assert results == [True, True, True, False, False]
    assert protection.hit(limit, "192.0.2.2", now=1000.0)


def test_the_rate_limit_window_resets() -> None:
    limit = protection.Limit("t", 1, 60)
    assert protection.hit(limit, "192.0.2.1", now=1000.0)
    assert not protection.hit(limit, "192.0.2.1", now=1001.0)
    assert protection.hit(limit, "192.0.2.1", now=1080.0)


def test_the_counter_key_never_holds_the_address() -> None:
    key = protection.address_key("192.0.2.44")
    assert "192" not in key and len(key) == 32


def test_a_token_is_good_once() -> None:
    token = protection.form_token(issued_at=1000.0)
    assert protection.check_token(token, now=1010.0) == ""
    assert protection.check_token(token, now=1011.0) == "replayed"


def test_a_token_used_too_fast_or_too_late_or_forged_is_refused() -> None:
    assert protection.check_token(protection.form_token(issued_at=1000.0), now=1001.0) == "too_fast"
    assert (
        protection.check_token(protection.form_token(issued_at=1000.0), now=1000.0 + 3 * 3600)
        == "expired_token"
    )
    assert protection.check_token("nonsense", now=1000.0) == "bad_token"


def test_the_secret_is_checked_by_its_hash_and_bound_to_the_reference() -> None:
    secret = protection.new_secret()
    digest = protection.secret_hash("INT-2026-000001", secret)
    assert secret not in digest
    assert digest == protection.secret_hash("INT-2026-000001", secret.lower().replace("-", ""))
    assert digest != protection.secret_hash("INT-2026-000002", secret)
