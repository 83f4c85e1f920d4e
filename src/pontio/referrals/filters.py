"""The one filter of referral lists, shared by the inbox page, its CSV/XLSX exports, the
API list and the provider's home panel: the reference (``search``), status, open or
finished, county (ONS code), pathway, breached timer (or breaching soon), the timer the
referral waits for, allocation, sort and direction.

Filters travel in the query string as codes only, never a name or a date of birth: the only
free text is the referral reference, which names nobody. A value that is not one of the
choices is refused by field, in the user's language: the page shows the message and leaves
that filter out (the others still apply); the API answers 400 with the same messages. The
status counts of the inbox tabs are counted over every filter but status (``without``), so
each tab says what it holds.

Unless told otherwise, the list is sorted by what breaches first: the next due date of the
referrals whose timers run (open, not on hold), earliest first, then the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import django_filters
from django import forms
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pontio.core.forms import GovukForm
from pontio.core.models import County
from pontio.referrals import sla
from pontio.referrals.models import OPEN, Pathway, Referral, Status

SORTS: dict[str, tuple[str, ...]] = {
    "due": ("breaches_on", "sent_at", "pk"),
    "sent": ("sent_at", "pk"),
    "status": ("status", "sent_at", "pk"),
}
SORT_CHOICES = [
    ("due", _("What breaches first")),
    ("sent", _("Date sent")),
    ("status", _("Status")),
]
DEFAULT_SORT = "due"
# The natural direction of each sort: what breaches first, the newest sent.
DEFAULT_ORDER = {"due": "asc", "sent": "desc", "status": "asc"}
ORDER_CHOICES = [("asc", _("Oldest or earliest first")), ("desc", _("Newest or latest first"))]
BREACH_CHOICES = [
    ("any", _("Any timer breached")),
    *((name, label) for name, (_due, _met, label) in sla.TIMERS.items()),
    ("soon", _("Due by the next working day")),
]
AWAITING_CHOICES = [(name, label) for name, (_due, _met, label) in sla.TIMERS.items()]
STATE_CHOICES = [("open", _("Open")), ("finished", _("Finished"))]
ALLOCATED_CHOICES = [("me", _("Allocated to me")), ("nobody", _("Not allocated"))]
# A reference is "PR26-000123": letters, digits and a hyphen, never a name.
REFERENCE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")


def county_choices() -> list[tuple[str, str]]:
    """The counties in use, by ONS code (read when the form is made: labels follow the
    user's language)."""
    return [(c.ons_code, str(c.label)) for c in County.objects.effective().defer("boundary")]


def _check_reference(value: str) -> str:
    cleaned = (value or "").strip().upper()
    if cleaned and not set(cleaned) <= REFERENCE_CHARS:
        raise forms.ValidationError(
            _("Enter a referral reference, like PR26-000123: letters, numbers and hyphens only")
        )
    return cleaned


class FilterForm(GovukForm):
    """The filter form, drawn with the GOV.UK field templates."""

    def clean_search(self) -> str:
        return _check_reference(self.cleaned_data.get("search", ""))


def _choice(
    label: Any, message: Any, *, everything: bool = True, **kwargs: Any
) -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(
        label=label,
        empty_label=_("All") if everything else None,
        error_messages={"invalid_choice": message},
        **kwargs,
    )


class ReferenceFilter(django_filters.CharFilter):
    """Part of a referral reference (``PR26-0001``); anything else is refused."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Reference"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("help_text", _("All or part of the reference, for example PR26-000123"))
        super().__init__(field_name="reference", lookup_expr="icontains", **kwargs)

    def filter(self, qs: Any, value: Any) -> Any:
        return super().filter(qs, (value or "").strip())


class ReferralFilterSet(django_filters.FilterSet):
    """Give it the referrals the user may see; ``qs`` is them filtered and sorted."""

    search = ReferenceFilter()
    status = _choice(_("Status"), _("Choose a referral status"), choices=Status.choices)
    state = _choice(
        _("Open or finished"),
        _("Choose open or finished"),
        choices=STATE_CHOICES,
        method="filter_state",
    )
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
    awaiting = _choice(
        _("Waiting for"),
        _("Choose one of the timers"),
        choices=AWAITING_CHOICES,
        method="filter_awaiting",
    )
    allocated = _choice(
        _("Caseworker"),
        _("Choose allocated to me or not allocated"),
        choices=ALLOCATED_CHOICES,
        method="filter_allocated",
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
        user: Any = None,
        **kwargs: Any,
    ) -> None:
        # Always bound: no query string means every filter empty, not "no filtering at all";
        # and sorted by what breaches first unless another sort is chosen.
        values = dict(data.items()) if data is not None else {}
        values = {k: v for k, v in values.items() if v not in ("", None)}
        values.setdefault("sort", DEFAULT_SORT)
        sort = values["sort"] if values["sort"] in DEFAULT_ORDER else DEFAULT_SORT
        values.setdefault("order", DEFAULT_ORDER[sort])
        super().__init__(values, queryset, **kwargs)
        self.today = today or timezone.localdate()
        self.user = user if user is not None else getattr(self.request, "user", None)

    def filter_breach(self, queryset: QuerySet[Referral], name: str, value: str) -> Any:
        if value == "soon":
            return queryset.filter(sla.breaching_soon_q(self.today))
        timer = None if value == "any" else value
        return queryset.filter(sla.breach_q(self.today, timer))

    def filter_state(self, queryset: QuerySet[Referral], name: str, value: str) -> Any:
        if value == "open":
            return queryset.filter(status__in=OPEN)
        return queryset.exclude(status__in=OPEN)

    def filter_awaiting(self, queryset: QuerySet[Referral], name: str, value: str) -> Any:
        """Open referrals whose next timer to meet is ``value`` (they follow one another)."""
        order = list(sla.TIMERS)
        met_fields = [sla.TIMERS[t][1] for t in order[: order.index(value)]]
        waiting = Q(**{f"{sla.TIMERS[value][1]}__isnull": True})
        for met in met_fields:
            waiting &= Q(**{f"{met}__isnull": False})
        return queryset.filter(waiting, status__in=OPEN)

    def filter_allocated(self, queryset: QuerySet[Referral], name: str, value: str) -> Any:
        if value == "nobody":
            return queryset.filter(allocated_to__isnull=True)
        return queryset.filter(allocated_to_id=getattr(self.user, "pk", None))

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
            for name in (
                "search",
                "status",
                "state",
                "county",
                "pathway",
                "breach",
                "awaiting",
                "allocated",
            )
            if name in chosen
        ]
        return "filters: " + (", ".join(parts) if parts else "none")

    def ordering(self) -> list[Any]:
        chosen = self.chosen()
        sort = chosen.get("sort", DEFAULT_SORT)
        order = SORTS.get(sort, SORTS[DEFAULT_SORT])
        if chosen.get("order", DEFAULT_ORDER.get(sort, "asc")) == "desc":
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
