"""What custody contributes to pages it does not own, found at start-up (core.registry).

- the person page: a section listing the person's custody records, for those who may read
  them (``people.panels``; template ``custody/person_panel.html``);
- referrals: a referral may start from a custody record (``from_custody``), with the
  custody number as its reference; the provider's referral page shows the required
  assessment it came from (``referrals.panels``; ``custody/referral_panel.html``); and the
  attendance listener that moves a required assessment when the provider records
  attendance (``referrals.observers``);
- the audit log: a person found by a custody number.

Navigation items and home panels join when the custody pages exist (their URL names).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from pontio.core.permissions import has_permission
from pontio.core.recording import SubjectMatch, register_subject_finder
from pontio.core.scopes import restrict
from pontio.custody import selectors, services
from pontio.custody.models import CustodyRecord
from pontio.people.panels import PersonPanel, register_panel
from pontio.referrals.models import Pathway
from pontio.referrals.observers import register_attendance_listener
from pontio.referrals.sources import Source, register_source


def person_panel(user: Any, person: Any) -> dict[str, Any] | None:
    """The person's custody records the user may read (none: no section)."""
    if not has_permission(user, "custody.view"):
        return None
    rows = list(selectors.records_of_person(user, person)[:20])
    if not rows:
        return None
    return {"title": _("Custody records"), "custody_records": rows}


def referral_initial(user: Any, person: Any, record_id: int) -> dict[str, Any]:
    """Started from a custody record the user may read, of this person: the pathway and the
    custody number."""
    record = restrict(CustodyRecord.objects.all(), user, "view").filter(pk=record_id).first()
    if record is None or record.person_id != person.pk:
        return {}
    return {"pathway": Pathway.CUSTODY, "source_reference": record.custody_number}


def audit_subjects(user: Any, text: str, date_of_birth: Any) -> list[SubjectMatch]:
    """The person of a custody record, found by its custody number (the audit page)."""
    number = services.normalise_number(text)
    if not has_permission(user, "audit.view_log") or not number:
        return []
    found = restrict(CustodyRecord.objects.all(), user, "audit").filter(custody_number=number)
    return [
        SubjectMatch(
            str(person_id),
            _("The detainee of custody record %(number)s (record %(id)s)")
            % {"number": number, "id": person_id},
            reason=_("custody record %(number)s") % {"number": number},
        )
        for person_id in found.values_list("person_id", flat=True)
    ]


register_panel(PersonPanel("custody", "custody/person_panel.html", person_panel, order=40))
register_source(Source("from_custody", referral_initial))
register_subject_finder(audit_subjects)
register_attendance_listener(services.attendance_listener)


# --- helper D: the custody funnel's navigation item (issue 12 item 7) -----------------------
# The prefix "/custody/funnel" marks it current on the funnel and the records behind a step.
from django.utils.translation import gettext_lazy as _lazy  # noqa: E402

from pontio.core.navigation import NavItem  # noqa: E402
from pontio.core.navigation import register as register_navigation  # noqa: E402

register_navigation(
    NavItem(
        _lazy("Custody funnel"),
        "custody:funnel",
        "custody.funnel",
        order=44,
        section_prefix="/custody/funnel",
    )
)
# --- end helper D ---------------------------------------------------------------------------


# --- helper C: the custody pages' navigation items and home panels ---------------------------
from django.urls import reverse  # noqa: E402
from django.utils.translation import ngettext  # noqa: E402

from pontio.core.navigation import Panel  # noqa: E402
from pontio.core.navigation import register_panel as register_home_panel  # noqa: E402


def authorisations_panel(user: Any) -> dict[str, Any]:
    """Inspectors: the requests waiting for their decision and the oral authorisations they
    must confirm in writing (PACE s63C(3))."""
    waiting = list(selectors.authorisations_waiting(user))
    pending = sum(1 for a in waiting if a.state == "pending")
    to_confirm = len(waiting) - pending
    url = reverse("custody:authorisations")
    return {
        "title": _("Drug test authorisations"),
        "items": [
            {
                "count": pending,
                "label": ngettext(
                    "authorisation waiting for your decision",
                    "authorisations waiting for your decision",
                    pending,
                ),
                "url": url,
            },
            {
                "count": to_confirm,
                "label": ngettext(
                    "oral authorisation to confirm in writing",
                    "oral authorisations to confirm in writing",
                    to_confirm,
                ),
                "url": url,
            },
        ],
    }


def breach_panel(user: Any) -> dict[str, Any] | None:
    """The failures to attend or remain waiting for a police decision (none: no panel for
    an officer who has none)."""
    from django.utils import timezone

    tasks = selectors.breach_tasks(user)
    waiting = tasks.count()
    if not waiting and not has_permission(user, "custody.book"):
        return None
    overdue = selectors.overdue_breach_tasks(user, timezone.localdate()).count()
    url = reverse("custody:breach-list")
    return {
        "title": _("Failures to attend"),
        "items": [
            {
                "count": waiting,
                "label": ngettext(
                    "failure to attend waiting for a decision",
                    "failures to attend waiting for a decision",
                    waiting,
                ),
                "url": url,
            },
            {
                "count": overdue,
                "label": ngettext("of them overdue", "of them overdue", overdue),
                "url": url,
            },
        ],
    }


for _label, _url_name, _permission, _order, _prefix in (
    (_lazy("Custody"), "custody:list", "custody.book", 40, "/custody/"),
    (
        _lazy("Authorisations"),
        "custody:authorisations",
        "custody.authorise",
        41,
        "/custody/authorisations/",
    ),
    (
        _lazy("Failures to attend"),
        "custody:breach-list",
        "custody.decide_breach",
        42,
        "/custody/breaches/",
    ),
    (
        _lazy("Custody reference data"),
        "custody:reference",
        "custody.manage_reference",
        90,
        "/custody/reference/",
    ),
):
    register_navigation(
        NavItem(_label, _url_name, _permission, order=_order, section_prefix=_prefix)
    )
register_home_panel(Panel("custody.authorise", authorisations_panel, order=30))
register_home_panel(Panel("custody.decide_breach", breach_panel, order=31))
# --- end helper C ---------------------------------------------------------------------------


# --- helper E: the required assessment on the provider's referral page ----------------------
from pontio.custody import actions  # noqa: E402
from pontio.referrals.panels import ReferralPanel, register_referral_panel  # noqa: E402


def referral_panel(user: Any, referral: Any) -> dict[str, Any] | None:
    """On the provider's referral page: the required assessment the referral came from, its
    state, appointment and notices (never the police's statement: the notice policy), and
    the assessor's follow-up decision when it is open (none: no section)."""
    if not has_permission(user, "custody.read_assessment"):
        return None
    assessment = selectors.assessment_for_referral(user, referral.pk)
    if assessment is None:
        return None
    followup_url = ""
    if actions.provider_followup_open(assessment, user):
        followup_url = reverse("custody:provider-followup", args=[assessment.pk])
    return {
        "title": _("Required assessment"),
        "assessment": assessment,
        "notices": list(selectors.notices_of(user, assessment).exclude(kind="statement")),
        "followup_url": followup_url,
    }


register_referral_panel(
    ReferralPanel("custody", "custody/referral_panel.html", referral_panel, order=20)
)
# --- end helper E ---------------------------------------------------------------------------
from pontio.custody import dashboard_tiles  # noqa: E402, F401
