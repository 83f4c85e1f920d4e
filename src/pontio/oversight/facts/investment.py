"""Fact 3: "£435,000 invested by the Commissioner in treatment and diversion last year".

The sum of the commissioning awards (contracts and grants) whose purpose is treatment or
diversion and whose period overlaps the period asked for, each **apportioned** by days: an
award contributes its value times (days it shares with the period ÷ days it runs). A three-year
contract therefore counts a third in each of its years, not its whole value in each, so
consecutive years add up to what was actually awarded. An award that lies wholly within the
period counts in full. With a county chosen, only the awards made for that county count
(force-wide awards cannot be split by county; their sum is said beside the figure).
Money is not a count of people: nothing is suppressed.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pontio.core.charts import Bar, bar_chart
from pontio.core.i18n import in_active_language
from pontio.core.scopes import restrict
from pontio.oversight.facts.base import FactResult, Scope, money
from pontio.oversight.facts.periods import overlap_days
from pontio.oversight.models import AwardPurpose, CommissioningAward

KEY = "investment"
ANCHOR = "fact-investment"
SEED = "£435,000"
PURPOSES = (AwardPurpose.TREATMENT, AwardPurpose.DIVERSION)
PENNY = Decimal("0.01")


def apportioned(award: CommissioningAward, scope: Scope) -> Decimal:
    """The part of the award's value that falls in the period, by days, to the penny."""
    shared = overlap_days(scope.start, scope.end, award.starts_on, award.ends_on)
    runs = (award.ends_on - award.starts_on).days + 1
    if shared >= runs:
        return Decimal(award.value)
    share = Decimal(award.value) * Decimal(shared) / Decimal(runs)
    return share.quantize(PENNY, rounding=ROUND_HALF_UP)


def compute(scope: Scope) -> FactResult:
    title = _("Invested in treatment and diversion")
    definition = _(
        "The value of the Commissioner's contracts and grants for substance misuse treatment "
        "and for diversion that falls in the period, each award apportioned by the days it "
        "shares with the period."
    )
    source = _("commissioning records")
    awards = restrict(CommissioningAward.objects.all(), scope.user, "aggregate")
    if awards.query.is_empty():
        missing = _("Commissioning records are not open to your role.")
        return FactResult(
            key=KEY,
            title=title,
            value_text=None,
            explanation=missing,
            base_label="",
            base_value=None,
            end_label="",
            end_value=None,
            definition=definition,
            definition_anchor=ANCHOR,
            source=source,
            missing=missing,
            seed_value=SEED,
        )
    overlapping = awards.filter(
        purpose__in=PURPOSES, starts_on__lte=scope.end, ends_on__gte=scope.start
    ).select_related("provider")
    force_wide = Decimal(0)
    if scope.county is not None:
        force_wide = sum(
            (apportioned(a, scope) for a in overlapping.filter(county__isnull=True)), Decimal(0)
        )
        overlapping = overlapping.filter(Q(county=scope.county))
    order = {p.value: i for i, p in enumerate(PURPOSES)}
    chosen = sorted(overlapping, key=lambda a: (order[a.purpose], a.starts_on, a.reference))
    by_purpose: dict[str, Decimal] = {p.value: Decimal(0) for p in PURPOSES}
    headers = [
        _("Reference"),
        _("Provider"),
        _("Purpose"),
        _("Runs"),
        _("Award value"),
        _("Counted in the period"),
    ]
    rows: list[list[str]] = []
    for award in chosen:
        part = apportioned(award, scope)
        by_purpose[award.purpose] += part
        rows.append(
            [
                award.reference,
                in_active_language(award.provider.name, award.provider.name_cy),
                str(award.get_purpose_display()),
                _("%(start)s to %(end)s")
                % {"start": award.starts_on.isoformat(), "end": award.ends_on.isoformat()},
                money(award.value),
                money(part),
            ]
        )
    total = sum(by_purpose.values(), Decimal(0))
    if rows:
        rows.append([_("Total"), "", "", "", "", money(total)])
    explanation = ngettext(
        "%(total)s from %(count)s award for treatment or diversion overlapping %(start)s to "
        "%(end)s (treatment %(treatment)s, diversion %(diversion)s), apportioned by days.",
        "%(total)s from %(count)s awards for treatment or diversion overlapping %(start)s to "
        "%(end)s (treatment %(treatment)s, diversion %(diversion)s), apportioned by days.",
        len(chosen),
    ) % {
        "total": money(total),
        "count": len(chosen),
        "start": scope.start.isoformat(),
        "end": scope.end.isoformat(),
        "treatment": money(by_purpose[AwardPurpose.TREATMENT]),
        "diversion": money(by_purpose[AwardPurpose.DIVERSION]),
    }
    if scope.county is not None and force_wide:
        explanation += " " + _(
            "Force-wide awards worth %(amount)s in the period are not counted for one county."
        ) % {"amount": money(force_wide)}
    chart = bar_chart(
        [Bar(str(p.label), float(by_purpose[p.value])) for p in PURPOSES],
        title=_("Invested by purpose, %(start)s to %(end)s")
        % {"start": scope.start.isoformat(), "end": scope.end.isoformat()},
        value_format=lambda v: money(Decimal(str(v))),
    )
    return FactResult(
        key=KEY,
        title=title,
        value_text=money(total),
        explanation=explanation,
        base_label=_("Awards counted"),
        base_value=float(len(chosen)),
        end_label=_("Invested (£)"),
        end_value=float(total),
        definition=definition,
        definition_anchor=ANCHOR,
        source=source,
        missing=None,
        seed_value=SEED,
        chart=chart,
        table_headers=headers,
        table_rows=rows,
    )
