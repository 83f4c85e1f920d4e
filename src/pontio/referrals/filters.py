"""The one filter of referral lists, shared by the inbox page, its CSV/XLSX exports and the
API list: status, county (ONS code), pathway, breached timer, sort and direction.

Filters travel in the query string as codes only, never a name or a date of birth. A value
that is not one of the choices is refused by field, in the user's language: the page shows
the message and leaves that filter out (the others still apply); the API answers 400 with
the same messages. The status counts of the inbox tabs are counted over every filter but
status (``without``), so each tab says what it holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import django_filters
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pontio.core.forms import GovukForm
from pontio.core.models import County
from pontio.referrals import sla
from pontio.referrals.models import Pathway, Referral, Status

SORTS: dict[str, tuple[str, ...]] = {
    "sent": ("sent_at", "pk"),
    "status": ("status", "sent_at", "pk"),
    "due": ("next_due", "sent_at", "pk"),
}
SORT_CHOICES = [
    ("sent", _("Date sent")),
    ("status", _("Status")),
    ("due", _("Next due date")),
]
ORDER_CHOICES = [("desc", _("Newest or latest first")), ("asc", _("Oldest or earliest first"))]
BREACH_CHOICES = [
    ("any", _("Any timer breached")),
    *((name, label) for name, (_due, _met, label) in sla.TIMERS.items()),
]


def county_choices() -> list[tuple[str, str]]:
    """The counties in use, by ONS code (read when the form is made: labels follow the
    user's language)."""
    return [(c.ons_code, str(c.label)) for c in County.objects.effective().defer("boundary")]


class FilterForm(GovukForm):
    """The filter form, drawn with the GOV.UK field templates."""


def _choice(
    label: Any, message: Any, *, everything: bool = True, **kwargs: Any
) -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(
        label=label,
        empty_label=_("All") if everything else None,
        error_messages={"invalid_choice": message},
        **kwargs,
    )


class ReferralFilterSet(django_filters.FilterSet):
    """Give it the referrals the user may see; ``qs`` is them filtered and sorted."""

    status = _choice(_("Status"), _("Choose a referral status"), choices=Status.choices)
    county = _choice(
        _("County"),
        _("Choose a county of the force area"),
        field_name="county__ons_code",
        choices=county_choices,
    )
    pathway = _choice(_("Police contact"), _("Choose a police contact"), choices=Pathway.choices)
    breach = _choice(
        _("Timer breached"),
        _("Choose any timer or one of the timers"),
        choices=BREACH_CHOICES,
        method="filter_breach",
    )
    sort = _choice(
        _("Sort by"),
        _("Choose how to sort"),
        everything=False,
        choices=SORT_CHOICES,
        method="sorted_later",
    )
    order = _choice(
        _("Order"),
        _("Choose the order"),
        everything=False,
        choices=ORDER_CHOICES,
        method="sorted_later",
    )

    class Meta:
        model = Referral
        fields: list[str] = []
        form = FilterForm

    def __init__(
        self,
        data: Any = None,
        queryset: QuerySet[Referral] | None = None,
        *,
        today: dt.date | None = None,
        **kwargs: Any,
    ) -> None:
        # Always bound: no query string means every filter empty, not "no filtering at all".
        super().__init__(data if data is not None else {}, queryset, **kwargs)
        self.today = today or timezone.localdate()

    def filter_breach(self, queryset: QuerySet[Referral], name: str, value: str) -> Any:
        timer = None if value == "any" else value
        return queryset.filter(sla.breach_q(self.today, timer))

    def sorted_later(self, queryset: QuerySet[Referral], name: str, value: str) -> Any:
        """Sort and order are applied once every filter has been (``filter_queryset``)."""
        return queryset

    # --- the chosen values ---------------------------------------------------------------

    def chosen(self) -> dict[str, str]:
        """The valid values chosen (an invalid one is left out), by filter name."""
        self.is_valid()
        return {name: value for name, value in self.form.cleaned_data.items() if value}

    def describe(self) -> str:
        """For audit reasons: which filters, never personal data (there is none here)."""
        chosen = self.chosen()
        parts = [
            f"{name}={chosen[name]}"
            for name in ("status", "county", "pathway", "breach")
            if name in chosen
        ]
        return "filters: " + (", ".join(parts) if parts else "none")

    def ordering(self) -> list[Any]:
        chosen = self.chosen()
        order = SORTS.get(chosen.get("sort", ""), SORTS["sent"])
        if chosen.get("order", "desc") == "desc":
            return [F(order[0]).desc(nulls_last=True), *(f"-{f}" for f in order[1:])]
        return [F(order[0]).asc(nulls_last=True), *order[1:]]

    # --- filtering -------------------------------------------------------------------------

    def without(self, names: Iterable[str]) -> QuerySet[Referral]:
        """The referrals filtered by every valid filter except ``names``, unsorted."""
        skip = set(names)
        self.is_valid()
        queryset = sla.annotated(self.queryset.all(), self.today)
        for name, value in self.form.cleaned_data.items():
            if name not in skip:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_queryset(self, queryset: QuerySet[Referral]) -> QuerySet[Referral]:
        queryset = sla.annotated(queryset, self.today)
        return super().filter_queryset(queryset).order_by(*self.ordering())
