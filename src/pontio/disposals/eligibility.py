"""The diversion scheme's eligibility check: each rule with its reason.

The rules follow the Durham Checkpoint criteria and the Dyfed-Powys Offender Diversion
Scheme (DOMAIN.md section 3): adults only (18+ by default, ``DiversionScheme.minimum_age``);
an offence under three months old (``offence_max_age_days``, 90 by default); only low-level
offences eligible for an out-of-court disposal, the highest-risk excluded (gravity score at
most ``maximum_gravity``; the scheme's ``excluded_groups`` of offences, hate crime for
instance); and an admission or a "no reply" interview (no denial). The check explains; the
navigator decides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from django.utils.translation import gettext as _

from pontio.disposals.models import Admission, DiversionScheme, GravityOffence

ACCEPTED_ADMISSIONS = frozenset({Admission.ADMITTED, Admission.NO_REPLY})


@dataclass(frozen=True)
class EligibilityCheck:
    passed: bool
    rule: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_eligibility(
    *,
    scheme: DiversionScheme,
    age: int | None,
    offence: GravityOffence,
    gravity_score: int,
    admission: str,
    offence_date: dt.date,
    on: dt.date,
) -> list[EligibilityCheck]:
    """Every rule of the scheme, passed or not, with its reason (translated)."""
    checks: list[EligibilityCheck] = []
    minimum = scheme.minimum_age
    if age is None:
        checks.append(
            EligibilityCheck(
                False,
                "minimum_age",
                _("Age not known: the scheme takes people aged %(minimum)s or over.")
                % {"minimum": minimum},
            )
        )
    else:
        checks.append(
            EligibilityCheck(
                age >= minimum,
                "minimum_age",
                _("Aged %(age)s: the scheme takes people aged %(minimum)s or over.")
                % {"age": age, "minimum": minimum},
            )
        )
    days = (on - offence_date).days
    checks.append(
        EligibilityCheck(
            0 <= days <= scheme.offence_max_age_days,
            "offence_age",
            _(
                "The offence is %(days)s days old: the scheme takes offences no older "
                "than %(max)s days."
            )
            % {"days": days, "max": scheme.offence_max_age_days},
        )
    )
    checks.append(
        EligibilityCheck(
            gravity_score <= scheme.maximum_gravity,
            "gravity",
            _("Gravity score %(score)s: the scheme takes scores up to %(max)s.")
            % {"score": gravity_score, "max": scheme.maximum_gravity},
        )
    )
    excluded = offence.offence_group in (scheme.excluded_groups or [])
    checks.append(
        EligibilityCheck(
            not excluded,
            "offence_group",
            (
                _("The scheme excludes offences of the group %(group)s.")
                if excluded
                else _("The offence group %(group)s is not excluded by the scheme.")
            )
            % {"group": offence.offence_group},
        )
    )
    admitted = admission in ACCEPTED_ADMISSIONS
    checks.append(
        EligibilityCheck(
            admitted,
            "admission",
            _("Admitted the offence or gave no reply in interview.")
            if admitted
            else _("The scheme needs an admission or a no reply interview, not a denial."),
        )
    )
    return checks
