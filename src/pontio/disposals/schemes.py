"""The diversion scheme in force and where it sends people.

The scheme's navigator organisation and directory service are set by an administrator (or
the demo seeding, ``link_scheme``); a scheme without them cannot take referrals, and the
eligibility check says so instead of sending a referral nowhere.
"""

from __future__ import annotations

import datetime as dt

from pontio.accounts.models import Organisation
from pontio.directory.models import Service
from pontio.disposals.models import DiversionScheme

DEFAULT_SCHEME = "offender_diversion"


def current_scheme(on: dt.date | None = None) -> DiversionScheme | None:
    """The scheme in force (the first by sort order, if an administrator added others)."""
    return (
        DiversionScheme.objects.effective(on)
        .select_related("navigator_organisation", "service")
        .order_by("sort_order", "pk")
        .first()
    )


def link_scheme(organisation_name: str = "Pobl diversion service") -> DiversionScheme | None:
    """Point the default scheme at the navigators' organisation and its diversion service
    (the demo and the tests; in production an administrator sets both)."""
    scheme = DiversionScheme.objects.filter(code=DEFAULT_SCHEME).first()
    organisation = Organisation.objects.filter(name=organisation_name).first()
    if scheme is None or organisation is None:
        return scheme
    service = (
        Service.objects.filter(diversion_scheme=True, organisation__owner=organisation)
        .order_by("pk")
        .first()
    )
    scheme.navigator_organisation = organisation
    scheme.service = service
    scheme.save(update_fields=["navigator_organisation", "service", "updated_at"])
    return scheme
