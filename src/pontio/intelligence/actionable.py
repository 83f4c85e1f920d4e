"""When a report is "actionable" (docs: /work/notes/doc-intel.md).

No formal definition exists (DOMAIN.md §6); the College of Policing APP calls intelligence
"information developed for action". We derive one from that: a report is actionable when
each of these checks is met --

1. graded under the current scheme (3x5x2), all three codes recorded;
2. not graded as suspected false or malicious (information E);
3. sanitised: a sanitised text is written, apart from the original;
4. prioritised: high, medium or low, with its reason;
5. the handling code allows the intended recipient: P, or C with its condition recorded
   for a share (a share of a C item without a condition is refused by the services).

A legacy 5x5x5 grade does not pass check 1 and is never converted: the report must be
re-graded under 3x5x2 by an intelligence officer before it is acted on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pontio.intelligence.grading import SCHEMES, WITH_CONDITIONS
from pontio.intelligence.models import Scheme


@dataclass(frozen=True)
class Check:
    key: str
    label: Promise
    met: bool


def checks(report: Any, *, recipient_condition: str | None = None) -> list[Check]:
    """The checks of ``report`` (an ``IntelligenceReport`` or anything with its fields).

    ``recipient_condition``: the condition that would go with a share (``None`` when the
    handling check is about the report alone: a C item then needs a condition to be shared,
    which the share form asks for, so the check is met).
    """
    current = report.scheme == Scheme.THREE_FIVE_TWO
    codes = SCHEMES[Scheme.THREE_FIVE_TWO]
    graded = (
        current
        and report.source_code in codes.source
        and report.information_code in codes.information
        and report.handling_code in codes.handling
    )
    not_false = graded and report.information_code != "E"
    sanitised = bool((report.sanitised_text or "").strip())
    prioritised = bool(report.priority) and bool((report.priority_reason or "").strip())
    if not graded:
        handling = False
    elif report.handling_code == WITH_CONDITIONS and recipient_condition is not None:
        handling = bool(recipient_condition.strip())
    else:
        handling = True
    return [
        Check("graded", _("Graded under 3x5x2 (source, information and handling)"), graded),
        Check("not_false", _("Not assessed as suspected false or malicious"), not_false),
        Check("sanitised", _("Sanitised text written, apart from the original"), sanitised),
        Check("prioritised", _("Priority set, with its reason"), prioritised),
        Check(
            "handling",
            _("Handling code allows the intended recipient (condition recorded if C)"),
            handling,
        ),
    ]


def is_actionable(report: Any, *, recipient_condition: str | None = None) -> bool:
    return all(c.met for c in checks(report, recipient_condition=recipient_condition))
