"""Which rows a user's referral figures count, and whether the user sees them exactly.

Figures read ``restrict(..., "aggregate")``: provider managers count their organisation's
referrals and police supervisors their area's (the rows they may open anyway, so they see
exact counts); the OPCC analyst counts every referral but may open none, so small counts
are suppressed (``tables``). The policies say who counts what (``referrals.policies``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from pontio.accounts.models import User
from pontio.core.permissions import has_permission
from pontio.core.scopes import restrict
from pontio.referrals.models import ProviderReferralTotal, Referral, TopEntry


@dataclass(frozen=True)
class Cohort:
    """The rows a set of figures counts: referrals and their outcome profiles (TOP)."""

    referrals: QuerySet[Referral]
    profiles: QuerySet[TopEntry]


def cohort_for(user: User) -> Cohort:
    """The referrals and outcome profiles a user's figures count (the caller checks
    ``referrals.view_metrics``)."""
    return Cohort(
        referrals=restrict(Referral.objects.all(), user, "aggregate"),
        profiles=restrict(TopEntry.objects.all(), user, "aggregate"),
    )


def rows_for(user: User) -> QuerySet[Referral]:
    """The referrals a user's figures count."""
    return cohort_for(user).referrals


def sees_rows(user: User) -> bool:
    """People who may open the referrals behind the figures see exact counts."""
    return has_permission(user, "referrals.view")


def totals_for(user: User) -> QuerySet[ProviderReferralTotal] | None:
    """The provider totals behind the police share, or None where the share is not shown.

    The share is per provider, so it is shown where the figures cover whole providers (the
    policy of ``ProviderReferralTotal``): to the OPCC analyst (all of them) and to a
    provider manager (their own organisation).
    """
    totals = restrict(ProviderReferralTotal.objects.select_related("provider"), user, "aggregate")
    return None if totals.query.is_empty() else totals
