"""Contributions of the decisions feature to other apps' pages: the navigation, the
supervisors' and providers' home panels, the button and section on a person's page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pontio.core.navigation import NavItem, Panel, register, register_panel
from pontio.core.permissions import has_permission
from pontio.core.scopes import restrict
from pontio.disposals.models import (
    ComplianceStatus,
    Disposal,
    DisposalCondition,
    DisposalState,
    Responsible,
)
from pontio.people.panels import PersonAction, PersonPanel
from pontio.people.panels import register_action as register_person_action
from pontio.people.panels import register_panel as register_person_panel


def authorise_panel(user: Any) -> dict[str, Any] | None:
    """Disposals waiting for a supervisor's authorisation, and the breaches to follow."""
    rows = restrict(Disposal.objects.all(), user, "view")
    waiting = rows.filter(state=DisposalState.AWAITING_AUTHORISATION).count()
    breached = (
        rows.filter(state=DisposalState.ACTIVE, conditions__status=ComplianceStatus.NOT_COMPLIED)
        .distinct()
        .count()
    )
    url = reverse("disposals:list")
    return {
        "title": _("Out-of-court disposals"),
        "items": [
            {
                "count": waiting,
                "label": _("awaiting your authorisation"),
                "url": f"{url}?state={DisposalState.AWAITING_AUTHORISATION}",
            },
            {
                "count": breached,
                "label": _("with a condition not complied with"),
                "url": f"{url}?state={DisposalState.ACTIVE}",
            },
        ],
    }


def provider_panel(user: Any) -> dict[str, Any] | None:
    """Conditions whose compliance the provider records (their referral's), still pending."""
    if user.organisation_kind != "provider":
        return None
    rows = list(
        restrict(DisposalCondition.objects.all(), user, "change")
        .filter(
            responsible=Responsible.PROVIDER,
            status=ComplianceStatus.PENDING,
            disposal__state=DisposalState.ACTIVE,
        )
        .order_by("due_date", "pk")
        .values_list("pk", "due_date")[:5]
    )
    if not rows:
        return None
    return {
        "title": _("Disposal conditions to record"),
        "items": [
            {
                "count": "",
                "label": _("condition due %(day)s") % {"day": due.strftime("%d/%m/%Y")},
                "url": reverse("disposals:condition-status", args=[pk]),
            }
            for pk, due in rows
        ],
    }


def person_disposals(user: Any, person: Any) -> dict[str, Any] | None:
    if not has_permission(user, "disposals.view"):
        return None
    disposals = list(
        restrict(Disposal.objects.filter(person=person), user, "view")
        .select_related("disposal_type", "offence")
        .order_by("-decided_at")[:10]
    )
    may_decide = person.is_active and has_permission(user, "disposals.decide")
    if not disposals and not may_decide:
        return None
    return {"disposals": disposals, "may_decide": may_decide}


register(
    NavItem(
        gettext_lazy("Disposals"),
        "disposals:list",
        "disposals.decide",
        order=61,
        section_prefix="/disposals/",
    )
)
register_panel(Panel("disposals.authorise", authorise_panel, order=30))
register_panel(Panel("disposals.record_compliance", provider_panel, order=31))
register_person_action(
    PersonAction(
        gettext_lazy("Record an out-of-court disposal"),
        "disposals.decide",
        lambda person: reverse("disposals:new", args=[person.pk]),
        order=30,
    )
)
register_person_panel(
    PersonPanel("disposals", "disposals/decisions/_person_panel.html", person_disposals, order=60)
)
