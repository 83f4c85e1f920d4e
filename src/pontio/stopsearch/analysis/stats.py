"""Intervals of the analysis: the Wilson score interval of a proportion, and the rate
ratio of two groups with its log-scale 95% confidence interval."""

from __future__ import annotations

import math
from dataclasses import dataclass

# The two-sided 95% point of the standard normal distribution.
Z95 = 1.959963984540054


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


def wilson(successes: int, trials: int, z: float = Z95) -> Interval | None:
    """The Wilson score interval of a proportion (Wilson 1927, JASA 22:209-212).

    Unlike the normal ("Wald") interval it stays inside 0 to 1 and behaves with few
    trials and with 0 or all successes. None when there is nothing to count.
    """
    if trials <= 0:
        return None
    p = successes / trials
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denominator
    return Interval(max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class RateRatio:
    ratio: float
    interval: Interval | None


def rate_ratio(a: int, n1: int, b: int, n2: int, z: float = Z95) -> RateRatio | None:
    """The ratio of two rates, a/n1 ÷ b/n2, with its 95% confidence interval.

    The interval is the standard epidemiological one for a ratio of two proportions on the
    log scale (Katz, Baptista, Azen and Pike 1978, "Obtaining confidence intervals for the
    risk ratio in cohort studies", Biometrics 34:469-474; Rothman, Greenland and Lash,
    Modern Epidemiology, 3rd ed., ch. 14):

        SE(ln RR) = sqrt(1/a + 1/b - 1/n1 - 1/n2)
        RR * exp(-z * SE) to RR * exp(z * SE)

    where a and b are the searches of the two groups and n1 and n2 their populations.
    It needs a > 0 and b > 0 (the log of 0 has no value): None otherwise, and the caller
    says why. A person can be searched more than once, so a "rate" is searches per
    resident rather than a proportion of people; the formula is the usual approximation.
    """
    if a <= 0 or b <= 0 or n1 <= 0 or n2 <= 0:
        return None
    ratio = (a / n1) / (b / n2)
    variance = 1 / a + 1 / b - 1 / n1 - 1 / n2
    if variance < 0:
        # More searches than residents in both groups: no meaningful interval.
        return RateRatio(ratio, None)
    spread = z * math.sqrt(variance)
    return RateRatio(ratio, Interval(ratio * math.exp(-spread), ratio * math.exp(spread)))
