"""Each figure's query against the best hand-written SQL for the same number.

Pontio computes some figures by fetching the cohort's rows and counting in Python (so
that one definition serves every breakdown); the hand-written SQL aggregates in the
database over the very same rows (the app's own scoped query, as a CTE). Both must give
the same numbers; the bench reports the time of each and the ratio.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def _setup(database_url: str) -> None:
    os.environ.update(
        PONTIO_ENV="test",
        DJANGO_SETTINGS_MODULE="pontio.settings",
        DATABASE_URL=database_url,
        ALLOWED_HOSTS="127.0.0.1",
    )
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def _best_of(fn: Callable[[], Any], repeat: int = 5) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _sql(queryset: Any, select: str) -> Any:
    from django.db import connection

    inner, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"WITH scoped AS ({inner}) {select}", params)
        return cursor.fetchone()


def _compare(name: str, app: Callable[[], Any], hand: Callable[[], Any]) -> dict[str, Any]:
    app_s, app_value = _best_of(app)
    sql_s, sql_value = _best_of(hand)
    same = tuple(app_value) == tuple(sql_value)
    print(
        f"  {name:<44} app {app_s * 1000:8.1f} ms  SQL {sql_s * 1000:8.1f} ms  "
        f"ratio {app_s / sql_s if sql_s else 0:5.2f}  {'same' if same else 'DIFFERENT'}",
        flush=True,
    )
    return {
        "app_ms": round(app_s * 1000, 2),
        "sql_ms": round(sql_s * 1000, 2),
        "ratio": round(app_s / sql_s, 2) if sql_s else None,
        "same_numbers": same,
        "value": list(app_value),
    }


def measure_figures(database_url: str) -> dict[str, Any]:
    _setup(database_url)
    from django.utils import timezone

    from pontio.accounts.models import User
    from pontio.referrals import metrics
    from pontio.referrals.metrics import measures
    from pontio.stopsearch.analysis import query as ss_query
    from pontio.stopsearch.analysis.figures import figures as search_figures
    from pontio.stopsearch.vocab import Found, Outcome

    analyst = User.objects.get(username="analyst")
    today = timezone.localdate()
    print("Figures against hand-written SQL (median of 5):", flush=True)
    results: dict[str, Any] = {}

    # Referral figures: the referrals sent in a quarter, those without a first contact, and
    # the assessed rate (police withdrawals before an assessment left out).
    period = metrics.recent_quarters(today)[1]  # the last full quarter
    cohort = metrics.cohort_for(analyst)
    in_period = cohort.referrals.filter(sent_on__gte=period.start, sent_on__lte=period.end)

    def referral_app() -> tuple[int, int, int, int]:
        rows = measures.referral_rows(cohort.referrals, period)
        assessed = measures.assessed_rate(rows)
        no_contact = sum(1 for r in rows if r["first_contact_on"] is None)
        return (len(rows), no_contact, assessed.numerator, assessed.denominator)

    withdrawn = (
        "s.assessed_on IS NULL AND s.status = 'cancelled' AND c.chosen_by = 'police' "
        "AND c.kind = 'cancellation'"
    )
    scoped = in_period.order_by().values(
        "id", "first_contact_on", "assessed_on", "status", "status_code_id"
    )

    def referral_sql() -> tuple[int, int, int, int]:
        row = _sql(
            scoped,
            "SELECT count(*), count(*) FILTER (WHERE s.first_contact_on IS NULL), "
            f"count(*) FILTER (WHERE s.assessed_on IS NOT NULL), "
            f"count(*) FILTER (WHERE NOT ({withdrawn})) "
            "FROM scoped s LEFT JOIN referrals_referralcode c ON c.id = s.status_code_id",
        )
        return tuple(int(x or 0) for x in row)  # type: ignore[return-value]

    results["referral figures: sent, no first contact, assessed rate"] = _compare(
        "referral figures: sent, no contact, assessed", referral_app, referral_sql
    )

    # Stop-search figures: searches, finds and arrests over the analyst's whole scope.
    filters = ss_query.Filters()
    searches = ss_query.apply_filters(ss_query.rows_for(analyst), filters)

    def search_app() -> tuple[int, int, int]:
        f = search_figures(ss_query.search_rows(searches))
        return (f.searches, f.find.numerator, f.arrest.numerator)

    def search_sql() -> tuple[int, int, int]:
        row = _sql(
            searches.order_by().values("found", "current_linked", "current_outcome"),
            "SELECT count(*), "
            f"count(*) FILTER (WHERE s.found = '{Found.OBJECT}' OR s.current_linked), "
            f"count(*) FILTER (WHERE s.current_outcome = '{Outcome.ARREST}') FROM scoped s",
        )
        return tuple(int(x or 0) for x in row)  # type: ignore[return-value]

    results["stop-search figures: searches, finds, arrests"] = _compare(
        "stop-search figures: searches, finds, arrests", search_app, search_sql
    )
    results["period"] = f"{period.start.isoformat()}..{period.end.isoformat()}"
    results["as_of"] = today.isoformat()
    return results
