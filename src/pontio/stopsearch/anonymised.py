"""What independent reviewers and panel members see of a search: the anonymised record.

County and month only: no person, no exact place or time, no vehicle registration, no
officer, no free-text reasons of later outcomes (they may name people). The grounds are
shown as written, because judging them is the point of the review, and so is the body-worn
video reference: the panel needs it to find the footage, and it names nobody.
"""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _

from pontio.stopsearch.models import StopSearch

NONE = "\N{EN DASH}"


def _yes_no(value: bool | None) -> str:
    if value is None:
        return NONE
    return _("Yes") if value else _("No")


def anonymised_rows(search: StopSearch) -> list[tuple[str, str]]:
    """The record as an independent reviewer or panel member sees it: county and month only,
    no person, no exact place or time, no vehicle registration, no officer, no free-text
    reasons of later outcomes (they may name people); the grounds are shown as written,
    because judging them is the point of the review."""
    outcomes = [
        f"{update.get_kind_display()}: {update.get_outcome_display()}"
        for update in search.outcomes.all()
    ]
    return [
        (_("County"), str(search.county) if search.county else NONE),
        (_("Month"), formats.date_format(search.month, "F Y")),
        (_("Type of search"), search.get_search_type_display()),
        (_("Power used (legislation)"), search.get_legislation_display() or NONE),
        (_("Object of search"), search.get_object_of_search_display() or NONE),
        (_("Grounds for the search"), search.grounds or NONE),
        (_("GOWISELY information given"), _yes_no(search.gowisely_given)),
        (_("Anything found"), search.get_found_display() or _("Not recorded")),
        (_("Outcome at the time"), search.get_original_outcome_display() or NONE),
        (_("Current outcome"), search.get_current_outcome_display() or NONE),
        (_("Outcome linked to object of search"), _yes_no(search.current_linked)),
        (_("Outcomes recorded"), "; ".join(outcomes) or NONE),
        (_("Gender"), search.get_gender_display() or NONE),
        (_("Age range"), search.get_age_range_display() or NONE),
        (_("Self-defined ethnicity"), search.get_self_defined_ethnicity_display() or NONE),
        (_("Officer-defined ethnicity"), search.get_officer_defined_ethnicity_display() or NONE),
        (
            _("More than outer clothing removed"),
            _yes_no(search.removal_of_more_than_outer_clothing),
        ),
        (_("Part of a policing operation"), _yes_no(search.part_of_operation)),
        # The reference finds the footage and names nobody; its absence is said plainly.
        (_("Body-worn video reference"), search.body_worn_video or _("None recorded")),
    ]
