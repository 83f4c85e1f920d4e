"""Disproportionality: searches per 1,000 residents of each officer-defined ethnic group
(Census 2011 denominators), and each group's rate over the White group's rate."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy

from pontio.stopsearch import denominators
from pontio.stopsearch.analysis.query import weight
from pontio.stopsearch.analysis.stats import RateRatio, rate_ratio
from pontio.stopsearch.vocab import OfficerEthnicity

REFERENCE_GROUP = str(OfficerEthnicity.WHITE)

NO_RATIO_REASONS = {
    "reference": gettext_lazy("the group compared with"),
    "no_population": gettext_lazy("no ratio: no residents of this group in the Census"),
    "no_searches": gettext_lazy(
        "no ratio: no searches of this group (a ratio of 0 has no interval)"
    ),
    "no_reference_searches": gettext_lazy("no ratio: no searches of White people to compare with"),
}


@dataclass(frozen=True)
class GroupRate:
    group: str
    searches: int
    population: int
    reference_searches: int
    per_thousand: float | None
    ratio: RateRatio | None
    reason: str = ""  # a NO_RATIO_REASONS key when there is no ratio

    @property
    def is_reference(self) -> bool:
        return self.reason == "reference"


@dataclass(frozen=True)
class Disproportionality:
    population: denominators.Population
    groups: list[GroupRate] = field(default_factory=list)
    not_recorded: int = 0  # searches with no officer-defined ethnicity (in no group)


def disproportionality(
    rows: Iterable[Mapping[str, Any]], population: denominators.Population
) -> Disproportionality:
    """Searches per 1,000 residents of each officer-defined ethnic group, and the ratio of
    each group's rate to the White group's rate with its 95% confidence interval."""
    counts: Counter[str] = Counter()
    for row in rows:
        counts[row["officer_defined_ethnicity"] or ""] += weight(row)
    reference_searches = counts[REFERENCE_GROUP]
    reference_population = population.groups.get(REFERENCE_GROUP, 0)
    groups = []
    for group in denominators.GROUPS:
        searches = counts[group]
        residents = population.groups.get(group, 0)
        per_thousand = 1000 * searches / residents if residents else None
        ratio = None
        if group == REFERENCE_GROUP:
            reason = "reference"
        elif not residents:
            reason = "no_population"
        elif not searches:
            reason = "no_searches"
        elif not reference_searches or not reference_population:
            reason = "no_reference_searches"
        else:
            reason = ""
            ratio = rate_ratio(searches, residents, reference_searches, reference_population)
        groups.append(
            GroupRate(
                group=group,
                searches=searches,
                population=residents,
                reference_searches=reference_searches,
                per_thousand=per_thousand,
                ratio=ratio,
                reason=reason,
            )
        )
    return Disproportionality(population, groups, counts[""])
