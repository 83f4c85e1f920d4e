"""What operations contributes to pages it does not own (found at start-up, imported by
nobody): the service navigation, and home panels for

- providers: the forecast shared with their organisation, by county and week only (never
  a code name, a reference, a target or a place finer than a county);
- partners briefed: the evaluation of a closed operation, once per organisation;
- operations leads: their operations by phase, and forecasts not yet shared;

and the "Operations" section of an intelligence report's assessment screen
(``intelligence.panels``), where an intelligence officer links the report to an operation.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pontio.core.navigation import NavItem, Panel, register, register_panel
from pontio.core.permissions import has_permission
from pontio.core.scopes import restrict
from pontio.intelligence.panels import register_section as register_intelligence_section
from pontio.operations import selectors
from pontio.operations.forms import IntelligenceLinkForm
from pontio.operations.models import IntelligenceLink, Phase


def forecast_panel(user: Any) -> dict[str, Any] | None:
    rows = selectors.provider_forecast(user)
    if not rows:
        return None
    items = []
    for row in rows:
        label = _(
            "Expected referrals from a police operation: %(county)s, week of %(week)s: about %(n)s"
        ) % {
            "county": row.county,
            "week": _week(row.week_starting),
            "n": row.expected_referrals,
        }
        if row.expected_safeguarding:
            label += " " + ngettext(
                "(about %(n)s needing a safeguarding referral)",
                "(about %(n)s needing a safeguarding referral)",
                row.expected_safeguarding,
            ) % {"n": row.expected_safeguarding}
        items.append({"count": "", "label": label, "url": None})
    return {"title": _("Expected referrals from police operations"), "items": items}


def _week(day: Any) -> str:
    return date_format(day, "j F Y")


def evaluation_panel(user: Any) -> dict[str, Any] | None:
    due = list(selectors.evaluations_due(user))
    if not due:
        return None
    items = []
    for evaluation in due:
        counties = ", ".join(selectors.evaluation_counties(evaluation))
        items.append(
            {
                "count": "",
                "label": _("Evaluate the police operation in %(counties)s")
                % {"counties": counties},
                "url": reverse("operations:evaluation", args=[evaluation.pk]),
            }
        )
    return {"title": _("Tell the police how an operation went"), "items": items}


def lead_panel(user: Any) -> dict[str, Any] | None:
    operations = list(selectors.operations_for(user).exclude(phase=Phase.CLOSED))
    if not operations:
        return None
    url = reverse("operations:list")
    items = []
    for phase in (Phase.PLANNING, Phase.COVERT, Phase.ENFORCEMENT, Phase.AFTERCARE):
        n = sum(1 for o in operations if o.phase == phase)
        if n:
            items.append(
                {
                    "count": n,
                    "label": ngettext(
                        "operation in its %(phase)s phase",
                        "operations in their %(phase)s phase",
                        n,
                    )
                    % {"phase": Phase(phase).label.lower()},
                    "url": f"{url}?phase={phase}",
                }
            )
    unshared = sum(
        1
        for o in operations
        if o.phase in (Phase.PLANNING, Phase.COVERT) and o.forecast_shared_at is None
    )
    if unshared:
        items.append(
            {
                "count": unshared,
                "label": ngettext(
                    "forecast not yet shared with the providers",
                    "forecasts not yet shared with the providers",
                    unshared,
                ),
                "url": url,
            }
        )
    return {"title": _("Drug-disruption operations"), "items": items}


def intelligence_section(user: Any, report: Any) -> dict[str, Any] | None:
    """The "Operations" section of an intelligence report's assessment screen: the
    operations it is linked to, and a form to link it to another."""
    if not has_permission(user, "operations.link_intelligence"):
        return None
    links = (
        restrict(IntelligenceLink.objects.all(), user, "view")
        .filter(report_id=report.pk)
        .select_related("operation")
    )
    linked = {link.operation_id for link in links}
    choices = [c for c in selectors.operation_choices(user) if c[0] not in linked]
    return {
        "links": list(links),
        "form": IntelligenceLinkForm(choices=choices, auto_id="id_operations_%s")
        if choices
        else None,
    }


register_intelligence_section(
    "operations",
    gettext_lazy("Operations"),
    "operations/_intel_section.html",
    intelligence_section,
    order=50,
)
register(
    NavItem(
        gettext_lazy("Operations"),
        "operations:list",
        "operations.view",
        order=70,
        section_prefix="/operations/",
    )
)
register_panel(Panel("operations.forecast", forecast_panel, order=40))
register_panel(Panel("operations.evaluate", evaluation_panel, order=41))
register_panel(Panel("operations.manage", lead_panel, order=40))

from pontio.operations import dashboard_tiles  # noqa: E402, F401  # isort: skip
