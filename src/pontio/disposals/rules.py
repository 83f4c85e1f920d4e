"""The rules of an out-of-court disposal decision and its conditions, as plain functions.

Pontio recommends and explains; the officer decides (DOMAIN.md 2.5). Every check returns a
dict field -> message (a ValidationError dict) naming the rule and the value entered, so the
caller raises ``ValidationError(errors)`` and saves nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from .models import Admission, ConditionCategory, ConditionKind, Outcome

SCORE_MIN = 1
SCORE_MAX = 4
# Two or more previous positive disposals move the recommendation one tier up.
ESCALATION_THRESHOLD = 2


def gravity_score(base: int, adjustments: Iterable[int]) -> int:
    """The final gravity score: the base score moves ONE level in the direction of the net sum
    of the factors' adjustments (aggravating +1, mitigating -1), clamped to 1..4.

    Source: DOMAIN.md 2.5, the ACPO adult gravity factor matrix (factors move the score by
    one level whatever their number; the youth matrix likewise moves one level).
    """
    net = sum(adjustments)
    step = (net > 0) - (net < 0)
    return max(SCORE_MIN, min(SCORE_MAX, base + step))


@dataclass
class Recommendation:
    outcome: str
    disposal_type: Any = None
    reasons: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return " ".join(self.reasons)


def _in_force(disposal_type: Any, on: dt.date) -> bool:
    return bool(disposal_type.commenced) and disposal_type.is_effective(on)


def _excluded(disposal_type: Any, offence: Any, excluded_ids: set[int] | None) -> bool:
    if disposal_type.excludes_indictable_only and offence.indictable_only:
        return True
    ids = (
        excluded_ids
        if excluded_ids is not None
        else set(disposal_type.excluded_offences.values_list("pk", flat=True))
    )
    return offence.pk in ids


def recommend(
    *,
    score: int,
    outcomes: Sequence[Any],
    offence: Any,
    admission: str,
    evidence_to_charge: bool,
    age: int | None,
    previous_disposals: int,
    on: dt.date,
) -> Recommendation:
    """What the matrix suggests for ``score`` (the GravityOutcome rows in force, by score),
    then each adjustment with its reason. The officer decides; this only explains."""
    by_score = {row.score: row for row in outcomes}
    reasons: list[str] = []
    effective = score
    if previous_disposals >= ESCALATION_THRESHOLD and score < SCORE_MAX:
        effective = score + 1
        reasons.append(
            _(
                "The person has %(count)s previous positive disposals in Pontio, so the "
                "recommendation moves one tier up (score %(score)s treated as %(effective)s)."
            )
            % {"count": previous_disposals, "score": score, "effective": effective}
        )
    row = by_score.get(effective)
    if row is None:
        reasons.append(
            _("No matrix outcome is in force for score %(score)s: charge is recommended.")
            % {"score": effective}
        )
        return Recommendation(Outcome.CHARGE, None, reasons)
    reasons.insert(0, row.reason_cy if _is_welsh() and row.reason_cy else row.reason_en)
    if row.outcome != Outcome.DISPOSAL:
        return Recommendation(row.outcome, None, reasons)
    # Candidate types: the suggested one first, then the others in force in the matrix order.
    candidates = [row.disposal_type] + [
        r.disposal_type
        for r in sorted(outcomes, key=lambda r: r.score)
        if r.disposal_type is not None and r.disposal_type != row.disposal_type
    ]
    for dtype in candidates:
        if dtype is None:
            continue
        if not _in_force(dtype, on):
            reasons.append(
                _("%(type)s is not in force, so it is not recommended.") % {"type": dtype.label}
            )
            continue
        if dtype.admission_required and admission != Admission.ADMITTED:
            if evidence_to_charge:
                reasons.append(
                    _(
                        "%(type)s needs an admission and there is none: with evidence to charge, "
                        "charge is recommended."
                    )
                    % {"type": dtype.label}
                )
                return Recommendation(Outcome.CHARGE, None, reasons)
            reasons.append(
                _(
                    "%(type)s needs an admission and there is none: without evidence to charge, "
                    "no further action is recommended."
                )
                % {"type": dtype.label}
            )
            return Recommendation(Outcome.NO_FURTHER_ACTION, None, reasons)
        if _excluded(dtype, offence, None):
            reasons.append(
                _("The offence is excluded from %(type)s: the next option is considered.")
                % {"type": dtype.label}
            )
            continue
        if age is not None and age < dtype.minimum_age:
            reasons.append(
                _("%(type)s is for people aged %(min)s or over (the person is %(age)s).")
                % {"type": dtype.label, "min": dtype.minimum_age, "age": age}
            )
            continue
        if dtype.evidence_to_charge_required and not evidence_to_charge:
            reasons.append(
                _("%(type)s needs sufficient evidence to charge, which is not recorded.")
                % {"type": dtype.label}
            )
            continue
        if dtype != row.disposal_type:
            reasons.append(_("%(type)s is recommended instead.") % {"type": dtype.label})
        return Recommendation(Outcome.DISPOSAL, dtype, reasons)
    reasons.append(_("No disposal type fits: charge is recommended."))
    return Recommendation(Outcome.CHARGE, None, reasons)


def _is_welsh() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "en").startswith("cy")


def check_disposal(
    *,
    disposal_type: Any,
    offence: Any,
    admission: str,
    evidence_to_charge: bool,
    age: int | None,
    on: dt.date,
    excluded_offence_ids: set[int] | None = None,
) -> dict[str, str]:
    """Every rule of the chosen disposal type that the decision breaks (field -> message)."""
    errors: dict[str, str] = {}
    label = disposal_type.label
    if not disposal_type.commenced or not disposal_type.is_effective(on):
        errors["disposal_type"] = _("%(type)s cannot be given: it is not in force on %(date)s") % {
            "type": label,
            "date": on.strftime("%d/%m/%Y"),
        }
        return errors
    if disposal_type.admission_required and admission != Admission.ADMITTED:
        errors["admission"] = _(
            "%(type)s needs an admission of the offence (recorded: %(value)s)"
        ) % {
            "type": label,
            "value": Admission(admission).label if admission in Admission.values else admission,
        }
    if disposal_type.evidence_to_charge_required and not evidence_to_charge:
        errors["evidence_to_charge"] = _("%(type)s needs sufficient evidence to charge") % {
            "type": label
        }
    if disposal_type.excludes_indictable_only and offence.indictable_only:
        errors["offence"] = _(
            "%(offence)s is indictable only and cannot be dealt with by this disposal (%(type)s)"
        ) % {"offence": offence.label, "type": label}
    elif _excluded(disposal_type, offence, excluded_offence_ids):
        errors["offence"] = _("%(offence)s is excluded from this disposal (%(type)s)") % {
            "offence": offence.label,
            "type": label,
        }
    if age is not None and age < disposal_type.minimum_age:
        errors["person"] = _(
            "%(type)s is for people aged %(min)s or over (the person is %(age)s)"
        ) % {"type": label, "min": disposal_type.minimum_age, "age": age}
    return errors


def check_authoriser(*, disposal_type: Any, roles: Iterable[str]) -> dict[str, str]:
    """The authoriser must hold one of the type's authoriser roles ("too junior" otherwise)."""
    if set(roles) & set(disposal_type.authoriser_roles):
        return {}
    return {
        "__all__": _("You cannot authorise this disposal (%(type)s): it needs one of %(roles)s")
        % {"type": disposal_type.label, "roles": ", ".join(disposal_type.authoriser_roles)}
    }


@dataclass
class ConditionInput:
    category: str
    hours: int | None = None
    amount_pence: int | None = None
    due_date: dt.date | None = None


def check_condition(
    *,
    disposal_type: Any,
    decided_on: dt.date,
    condition: ConditionInput,
    existing: Sequence[ConditionInput] = (),
) -> dict[str, str]:
    """Every rule of the disposal type that a new condition breaks (field -> message).
    ``existing`` are the disposal's other conditions, counted towards the caps."""
    from .models import CATEGORY_KIND

    errors: dict[str, str] = {}
    label = disposal_type.label
    cat = condition.category
    if cat not in disposal_type.allowed_categories:
        errors["category"] = _("%(type)s cannot have the condition %(category)s") % {
            "type": label,
            "category": ConditionCategory(cat).label if cat in ConditionCategory.values else cat,
        }
        return errors
    everything = [*existing, condition]
    if cat == ConditionCategory.UNPAID_WORK and disposal_type.unpaid_work_cap_hours is not None:
        total = sum(c.hours or 0 for c in everything if c.category == ConditionCategory.UNPAID_WORK)
        if total > disposal_type.unpaid_work_cap_hours:
            errors["hours"] = _(
                "Unpaid work is capped at %(cap)s hours for an %(type)s (you entered %(value)s)"
            ) % {"cap": disposal_type.unpaid_work_cap_hours, "type": label, "value": total}
    if (
        disposal_type.attendance_cap_hours is not None
        and condition.hours
        and CATEGORY_KIND.get(cat) != ConditionKind.REHABILITATIVE
        and cat != ConditionCategory.UNPAID_WORK
    ):
        total = sum(
            c.hours or 0
            for c in everything
            if CATEGORY_KIND.get(c.category) != ConditionKind.REHABILITATIVE
            and c.category != ConditionCategory.UNPAID_WORK
        )
        if total > disposal_type.attendance_cap_hours:
            errors["hours"] = _(
                "Non-rehabilitative attendance is capped at %(cap)s hours in total for an "
                "%(type)s (you entered %(value)s)"
            ) % {"cap": disposal_type.attendance_cap_hours, "type": label, "value": total}
    if disposal_type.financial_cap_pence is not None and condition.amount_pence:
        total = sum(c.amount_pence or 0 for c in everything)
        if total > disposal_type.financial_cap_pence:
            errors["amount_pence"] = _(
                "Financial conditions are capped at GBP %(cap)s for an %(type)s "
                "(you entered GBP %(value)s)"
            ) % {
                "cap": _pounds(disposal_type.financial_cap_pence),
                "type": label,
                "value": _pounds(total),
            }
    if condition.due_date is not None:
        latest = decided_on + dt.timedelta(weeks=disposal_type.maximum_compliance_weeks)
        if condition.due_date > latest:
            errors["due_date"] = _(
                "Conditions of an %(type)s must be complied with within %(weeks)s weeks, by "
                "%(latest)s (you entered %(value)s)"
            ) % {
                "type": label,
                "weeks": disposal_type.maximum_compliance_weeks,
                "latest": latest.strftime("%d/%m/%Y"),
                "value": condition.due_date.strftime("%d/%m/%Y"),
            }
        elif condition.due_date < decided_on:
            errors["due_date"] = _("The due date cannot be before the decision")
    return errors


def _pounds(pence: int) -> str:
    return f"{pence // 100}.{pence % 100:02d}"
