"""People in the service navigation, and the home-page panel of open flags in the user's
area (each count worded with its plural form)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pontio.core.navigation import NavItem, Panel, register, register_panel
from pontio.core.permissions import has_permission
from pontio.core.recording import SubjectMatch, register_subject_finder
from pontio.core.scopes import restrict
from pontio.people.models import Flag, Person
from pontio.people.selectors import filter_people, open_flags_for


def flags_panel(user: Any) -> dict[str, Any]:
    url = reverse("people:list")
    safeguarding = open_flags_for(user, Flag.Kind.SAFEGUARDING).count()
    risk = open_flags_for(user, Flag.Kind.RISK_TO_STAFF).count()
    return {
        "title": _("People"),
        "items": [
            {
                "count": safeguarding,
                "label": ngettext(
                    "open safeguarding flag in your area",
                    "open safeguarding flags in your area",
                    safeguarding,
                ),
                "url": url,
            },
            {
                "count": risk,
                "label": ngettext(
                    "open risk-to-staff flag in your area",
                    "open risk-to-staff flags in your area",
                    risk,
                ),
                "url": url,
            },
        ],
    }


register(
    NavItem(
        gettext_lazy("People"),
        "people:list",
        "people.view_person",
        order=20,
        section_prefix="/people/",
    )
)
register_panel(Panel("people.view_person", flags_panel, order=20))


def duplicates_panel(user: Any) -> dict[str, Any] | None:
    """Groups of possible duplicates waiting for those who merge records."""
    from pontio.people.models import DuplicateCluster
    from pontio.people.selectors import duplicate_groups

    waiting = duplicate_groups(user, DuplicateCluster.Status.OPEN).count()
    if not waiting:
        return None
    return {
        "title": _("Possible duplicates"),
        "items": [
            {
                "count": waiting,
                "label": ngettext(
                    "group of records waiting for review",
                    "groups of records waiting for review",
                    waiting,
                ),
                "url": reverse("people:duplicates"),
            }
        ],
    }


register_panel(Panel("people.merge_person", duplicates_panel, order=21))
register(
    NavItem(
        gettext_lazy("Person matching"),
        "people:matching",
        "people.manage_matching",
        order=86,
        section_prefix="/people/matching/",
    )
)


def audit_subjects(user: Any, text: str, date_of_birth: Any) -> list[SubjectMatch]:
    """People an auditor finds by name (and date of birth), merged records included: their
    trail in the audit log (the audit page's "find a person")."""
    if not has_permission(user, "audit.view_log"):
        return []
    people = filter_people(restrict(Person.objects.all(), user, "audit"), text, date_of_birth)
    matches = []
    for person in people.order_by("family_name", "given_name", "pk")[:AUDIT_MATCHES]:
        values = {"name": str(person), "id": person.pk}
        if person.date_of_birth:
            values["born"] = formats.date_format(person.date_of_birth, "j F Y")
            label = _("%(name)s, born %(born)s (record %(id)s)") % values
        else:
            label = _("%(name)s (record %(id)s)") % values
        matches.append(SubjectMatch(str(person.pk), label))
    return matches


AUDIT_MATCHES = 20
register_subject_finder(audit_subjects)
