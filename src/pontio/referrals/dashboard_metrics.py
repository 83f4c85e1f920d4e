"""Home-page panel of referral metrics (OPCC analyst, provider managers, police supervisors).

Aggregates only, suppressed like the metrics page; a provider manager is also reminded to
enter last quarter's total referrals (the denominator of the police share).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.roles import has_permission
from pontio.referrals import metrics
from pontio.referrals.models import ProviderReferralTotal


def metrics_panel(user: Any) -> dict[str, Any]:
    today = timezone.localdate()
    period = metrics.quarter_of(today)
    last = metrics.previous_quarter(period)
    suppress = not metrics.sees_rows(user)
    queryset = metrics.rows_for(user)
    rows = metrics.referral_rows(queryset, period)
    last_rows = metrics.referral_rows(queryset, last)
    url = reverse("referrals:metrics")
    items: list[dict[str, Any]] = [
        {
            "count": metrics.show_count(len(rows), suppress),
            "label": _("referrals sent this quarter"),
            "url": url,
        },
        {
            "count": "",
            "label": _("treatment started within 20 working days last quarter: %(rate)s")
            % {"rate": metrics.show_rate(metrics.treatment_rate(last_rows, today), suppress)},
            "url": f"{url}?quarter={last.key}",
        },
    ]
    if (
        has_permission(user, "referrals.report_totals")
        and not ProviderReferralTotal.objects.filter(
            provider_id=user.organisation_id, quarter_start=last.start
        ).exists()
    ):
        items.append(
            {
                "count": "",
                "label": _("enter last quarter's total referrals"),
                "url": reverse("referrals:metrics-totals"),
            }
        )
    return {"title": _("Referral metrics"), "items": items}


def register() -> None:
    from pontio.core.navigation import Panel, register_panel

    register_panel(Panel("referrals.view_metrics", metrics_panel, order=60))
