"""The rules of who may examine what, and of what a result may say, as plain functions the
services enforce and the pages ask (``actions``).

- **Trained for the level**: an examiner takes, or is assigned, a request only if their
  profile is active on the day and they are trained for its level (triage, logical, full).
- **Their area**: a local digital media investigator examines the devices of their county;
  the central unit any county's.
- **No extracted content**: a result records outcome categories, counts of items of interest,
  a short summary and the report reference. The summary is refused if it looks like content
  (a phone number, an email or web address), and the report reference may hold only letters,
  digits and / - . (a number in the forensic system, never a name).
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from pontio.examinations.models import ExaminationRequest, ExaminerProfile
from pontio.examinations.vocab import Unit

# Seven or more digits, allowing spaces, dots, dashes and a leading +: a phone number, an
# IMEI, an account number... what an extraction finds, never what a summary needs.
PHONE_LIKE = re.compile(r"\+?\d(?:[\s.\-()]*\d){6,}")
EMAIL_LIKE = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
WEB_LIKE = re.compile(r"(?i)\b(?:https?://|www\.)\S+|\b\S+\.(?:com|co\.uk|org|net|uk|io)\b")
REFERENCE_OK = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/.\- ]*$")
EXHIBIT_OK = REFERENCE_OK


def profile_active(profile: ExaminerProfile, on: dt.date) -> bool:
    return profile.active_from <= on and (profile.active_to is None or on < profile.active_to)


def examiner_refusals(
    profile: ExaminerProfile | None, request: ExaminationRequest, on: dt.date
) -> list[str]:
    """Why this examiner may not hold this request (empty: they may)."""
    if profile is None:
        return [_("You do not have an examiner profile: ask an administrator to set one up")]
    reasons: list[str] = []
    if not profile_active(profile, on):
        reasons.append(_("The examiner is not examining on this date"))
    if not profile.trained_for(request.level):
        reasons.append(
            _("The examiner is not trained for %(level)s examinations")
            % {"level": request.get_level_display().lower()}
        )
    if profile.unit == Unit.LOCAL and profile.county_id != request.county_id:
        reasons.append(_("A local investigator examines devices of their own county only"))
    return reasons


def content_refusal(summary: str) -> str | None:
    """A message if the summary looks like extracted content, else None."""
    if PHONE_LIKE.search(summary) or EMAIL_LIKE.search(summary) or WEB_LIKE.search(summary):
        return _(
            "The summary must not hold what was found: remove phone numbers, email addresses "
            "and web addresses (the examination report holds the content)"
        )
    return None
