"""Referral lists as CSV or XLSX for managers: which columns each side gets, and safe cells.

The police (supervisors) get status and outcome, never clinical detail: no assessment or
treatment dates. Provider managers also get the timer dates; nobody gets notes, reasons
in words, names or dates of birth: an export leaves Pontio, so it carries the reference
(to look the person up in Pontio) rather than who they are. Cells that a spreadsheet would
run as a formula are neutralised (decision D16).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.core.tabular import safe_cell, to_csv, to_xlsx
from pontio.referrals import sla

__all__ = ["safe_cell", "table", "to_csv", "to_xlsx"]
from pontio.referrals.models import Party, Referral


@dataclass(frozen=True)
class Column:
    heading: Callable[[], str]
    value: Callable[[Referral], Any]


def _label(obj: Any) -> str:
    return "" if obj is None else str(obj)


def _yes(value: Any) -> str:
    return _("Yes") if value else _("No")


COMMON = [
    Column(lambda: _("Reference"), lambda r: r.reference),
    Column(lambda: _("Date sent"), lambda r: timezone.localtime(r.sent_at).date()),
    Column(lambda: _("Police contact"), lambda r: r.get_pathway_display()),
    Column(lambda: _("County"), lambda r: _label(r.county)),
    Column(lambda: _("Provider"), lambda r: _label(r.provider)),
    Column(lambda: _("Service"), lambda r: _label(r.service)),
    Column(lambda: _("Status"), lambda r: r.get_status_display()),
    Column(lambda: _("Reason code"), lambda r: r.status_code.code if r.status_code else ""),
    Column(lambda: _("Reason"), lambda r: _label(r.status_code)),
    Column(lambda: _("Who acts next"), lambda r: r.get_next_actor_display()),
    Column(lambda: _("First contact attempt"), lambda r: r.first_contact_on),
    Column(lambda: _("Closed"), lambda r: r.closed_on),
]


def _breach_column(name: str, label: Any) -> Column:
    return Column(
        lambda: _("%(timer)s breached") % {"timer": label},
        lambda r: _yes(getattr(r, f"breached_{name}")),
    )


BREACHES = [_breach_column(name, label) for name, (_due, _met, label) in sla.TIMERS.items()]
POLICE = [
    *COMMON,
    Column(lambda: _("Referring officer"), lambda r: _label(r.referred_by)),
    *BREACHES,
]
PROVIDER = [
    *COMMON,
    Column(lambda: _("Age at referral"), lambda r: r.age_at_referral),
    Column(lambda: _("Referred by"), lambda r: _label(r.referring_organisation)),
    Column(lambda: _("Caseworker"), lambda r: _label(r.allocated_to)),
    Column(lambda: _("First contact due"), lambda r: r.first_contact_due),
    Column(lambda: _("Assessment due"), lambda r: r.assessment_due),
    Column(lambda: _("Assessed"), lambda r: r.assessed_on),
    Column(lambda: _("Treatment start due"), lambda r: r.treatment_due),
    Column(lambda: _("Treatment started"), lambda r: r.treatment_started_on),
    *BREACHES,
]


def columns_for(party: str) -> list[Column]:
    return PROVIDER if party == Party.PROVIDER else POLICE


def table(referrals: Iterable[Referral], columns: list[Column]) -> Iterator[list[Any]]:
    """The heading row, then one row per referral, every cell made safe."""
    yield [safe_cell(c.heading()) for c in columns]
    for referral in referrals:
        yield [safe_cell(c.value(referral)) for c in columns]
