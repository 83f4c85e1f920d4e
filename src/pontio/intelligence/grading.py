"""The grading schemes as data (DOMAIN.md §6; College of Policing APP, intelligence management).

3x5x2 is current: source 1-3, information A-E, handling P or C. 5x5x5 is legacy and still on
historic records: source A-E, information 1-5, handling 1-5. A 5x5x5 grade is kept exactly as
recorded: nothing here maps one scheme to the other, because the scales do not align (a 5x5x5
"B" source is not a 3x5x2 "1" or "2").
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pontio.intelligence.models import Scheme


@dataclass(frozen=True)
class SchemeCodes:
    source: dict[str, Promise]
    information: dict[str, Promise]
    handling: dict[str, Promise]


SCHEMES: dict[str, SchemeCodes] = {
    Scheme.THREE_FIVE_TWO: SchemeCodes(
        source={"1": _("1: reliable"), "2": _("2: untested"), "3": _("3: not reliable")},
        information={
            "A": _("A: known directly to the source"),
            "B": _("B: known indirectly to the source but corroborated"),
            "C": _("C: known indirectly to the source"),
            "D": _("D: not known"),
            "E": _("E: suspected to be false or malicious"),
        },
        handling={
            "P": _("P: lawful sharing permitted"),
            "C": _("C: lawful sharing permitted with conditions"),
        },
    ),
    Scheme.FIVE_FIVE_FIVE: SchemeCodes(
        source={
            "A": _("A: always reliable"),
            "B": _("B: mostly reliable"),
            "C": _("C: sometimes reliable"),
            "D": _("D: unreliable"),
            "E": _("E: untested source"),
        },
        information={
            "1": _("1: known to be true without reservation"),
            "2": _("2: known personally to the source but not to the officer"),
            "3": _("3: not personally known to the source but corroborated"),
            "4": _("4: cannot be judged"),
            "5": _("5: suspected to be false or malicious"),
        },
        handling={
            "1": _("1: may go to other law enforcement and prosecuting agencies"),
            "2": _("2: UK non-prosecuting parties, with authorisation and a record"),
            "3": _("3: non-EEA law enforcement, with special conditions"),
            "4": _("4: originating agency only"),
            "5": _("5: no further dissemination: refer to the originator"),
        },
    ),
}

# The 3x5x2 handling code that lets an item go only with its conditions.
WITH_CONDITIONS = "C"


def validate_grading(scheme: str, source: str, information: str, handling: str) -> None:
    """Refuse a code that does not belong to its scheme (field-specific messages)."""
    codes = SCHEMES.get(scheme)
    if codes is None:
        raise ValidationError({"scheme": _("Choose the grading scheme.")})
    errors: dict[str, str] = {}
    if source not in codes.source:
        errors["source_code"] = str(_("Choose a source evaluation of this scheme."))
    if information not in codes.information:
        errors["information_code"] = str(_("Choose an information assessment of this scheme."))
    if handling not in codes.handling:
        errors["handling_code"] = str(_("Choose a handling code of this scheme."))
    if errors:
        raise ValidationError(errors)


def label_of(scheme: str, part: str, code: str) -> str:
    """The label of one recorded code, in the active language ("" if not graded)."""
    codes = SCHEMES.get(scheme)
    if codes is None or not code:
        return ""
    return str(getattr(codes, part).get(code, code))
