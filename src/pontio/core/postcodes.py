"""UK postcodes: the shape Royal Mail uses (outward code, a space, inward code), shared by
every app that takes an address (people, the directory, referrals' contact routes).

The check is of the format only: Pontio has no copy of the Postcode Address File, so a
well-formed postcode that does not exist is taken.
"""

from __future__ import annotations

import re

POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


def normalise_postcode(value: str) -> str:
    """``"sa311aa"`` -> ``"SA31 1AA"``; unchanged (upper-cased) if it is not a postcode."""
    compact = re.sub(r"\s+", "", value or "").upper()
    match = POSTCODE_RE.match(compact)
    if not match:
        return compact
    return f"{match.group(1)} {match.group(2)}"


def is_postcode(value: str) -> bool:
    return bool(POSTCODE_RE.match(re.sub(r"\s+", "", value or "").upper()))
