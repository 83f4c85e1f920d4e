"""What a user may do on a person's record: one rule, asked by pages and enforced by services.

``actions_for(person, user)`` is the set of actions open to the user on that record. The
person page shows a link or button only for an action in the set; every service that makes
the change calls ``require_action`` with the same rule, so a page can never offer what the
service would refuse, nor a hand-made request do what the page does not offer.

- ``CHANGE``: edit the identity details (police operational roles, record in their area);
- ``ADD_PARTS``: add an address, phone, email, other name, custody number, flag or consent;
- ``RESOLVE_FLAG``: resolve an open flag of the record;
- ``MERGE`` / ``UNMERGE``: merge a duplicate into the record, or undo such a merge
  (supervisors: ``people.merge_person``).

A merged (inactive) record is history: no action is open on it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from pontio.core.permissions import has_permission
from pontio.core.scopes import restrict
from pontio.people.models import Person

CHANGE = "change"
ADD_PARTS = "add_parts"
RESOLVE_FLAG = "resolve_flag"
MERGE = "merge"
UNMERGE = "unmerge"

EDITING = frozenset({CHANGE, ADD_PARTS, RESOLVE_FLAG})
MERGING = frozenset({MERGE, UNMERGE})


def actions_for(person: Person, user: Any) -> frozenset[str]:
    """The actions open to ``user`` on ``person`` (empty when none is)."""
    if not person.is_active or not has_permission(user, "people.change_person"):
        return frozenset()
    if not restrict(Person.objects.filter(pk=person.pk), user, "change").exists():
        return frozenset()
    if has_permission(user, "people.merge_person"):
        return EDITING | MERGING
    return EDITING


def require_action(person: Person, user: Any, action: str) -> None:
    """PermissionDenied unless ``action`` is open to ``user`` on ``person``."""
    if action not in actions_for(person, user):
        raise PermissionDenied
