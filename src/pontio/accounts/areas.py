"""The area a user works in, as counties: what a page breaks down by and offers to choose.

A page of figures or a filter of counties lists the counties the user's organisation serves
(the Commissioner's office and the force serve the force area), else the user's own
counties, else every county held. A deployment that holds other forces' areas too (the
national bench data holds every local authority) then shows one force's users their own
four counties, not hundreds.
"""

from __future__ import annotations

from typing import Any

from pontio.core.models import County
from pontio.core.request_cache import cached


def area_counties(user: Any) -> tuple[County, ...]:
    def compute() -> tuple[County, ...]:
        served = list(
            County.objects.filter(organisations=user.organisation_id).order_by("sort_order", "code")
        )
        if served:
            return tuple(served)
        if not user.force_wide and user.county_ids:
            return tuple(
                County.objects.filter(pk__in=user.county_ids).order_by("sort_order", "code")
            )
        return tuple(County.objects.order_by("sort_order", "code"))

    return cached(("accounts.area_counties", getattr(user, "pk", None)), compute)
