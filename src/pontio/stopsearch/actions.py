"""What a user may do next with a search or a review: the buttons a page shows, and the
rule the services enforce (they call the same functions, so the two never disagree).

A search (``search_actions``):

- ``add_outcome``: a later outcome, on a search recorded in Pontio (police.uk rows have no
  officer to update them), by a user who may record searches and change this one (the
  officer who made it, or a supervisor of its area: ``policies``);
- ``refer``: refer the person searched to support, from a search recorded in Pontio, for a
  user who may make referrals;
- ``link_person``: find or add the person searched and link their record to the search, on
  a search of a person recorded in Pontio with no person linked yet, by a user who may
  change the search and read person records (then ``refer`` is one click);
- ``read_feedback``: the officer who made the search reads the reviewers' feedback, and
  opening the record marks it read (``services.feedback``);
- ``send_to_panel``: ask a panel member to review it, for those who run the audit
  (inspectors of its area, administrators).

The audit (``drawable_counties``): the counties whose monthly sample a user may draw on the
page: those who run the audit, for the counties of their area (force-wide inspectors and
administrators every county).

A review (``review_actions``):

- ``complete``: the review is open and the user may answer it: an inspector review by an
  inspector of its area, an independent or panel review by the reviewer assigned to it;
- ``send_to_panel``: as for the search reviewed.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from pontio.accounts.roles import Role
from pontio.core.models import County
from pontio.core.permissions import has_permission
from pontio.core.scopes import restrict
from pontio.stopsearch.models import SearchReview, Source, StopSearch
from pontio.stopsearch.vocab import SearchType

ADD_OUTCOME = "add_outcome"
REFER = "refer"
LINK_PERSON = "link_person"
READ_FEEDBACK = "read_feedback"
SEND_TO_PANEL = "send_to_panel"
COMPLETE = "complete"


def _in_scope(search: StopSearch, user: Any, action: str) -> bool:
    return restrict(StopSearch.objects.filter(pk=search.pk), user, action).exists()


def assignable_searches(user: Any) -> QuerySet[StopSearch]:
    """Searches the user may send to the panel: recorded in Pontio, in the reach the policy
    gives those who run the audit (``create``: new audit work attached to the search)."""
    if not has_permission(user, "stopsearch.manage_audit"):
        return StopSearch.objects.none()
    return restrict(StopSearch.objects.filter(source=Source.PONTIO), user, "create")


def may_send_to_panel(user: Any, search: StopSearch) -> bool:
    return (
        search.source == Source.PONTIO and assignable_searches(user).filter(pk=search.pk).exists()
    )


PERSON_SEARCHED = (SearchType.PERSON, SearchType.PERSON_AND_VEHICLE)


def search_actions(search: StopSearch, user: Any) -> frozenset[str]:
    actions = set()
    ours = search.source == Source.PONTIO
    changeable = (
        ours and has_permission(user, "stopsearch.record") and _in_scope(search, user, "change")
    )
    if changeable:
        actions.add(ADD_OUTCOME)
    if (
        changeable
        and search.person_id is None
        and search.search_type in PERSON_SEARCHED
        and has_permission(user, "people.view_person")
    ):
        actions.add(LINK_PERSON)
    if ours and has_permission(user, "referrals.create") and _in_scope(search, user, "view"):
        actions.add(REFER)
    if search.officer_id is not None and search.officer_id == getattr(user, "pk", None):
        actions.add(READ_FEEDBACK)
    if ours and may_send_to_panel(user, search):
        actions.add(SEND_TO_PANEL)
    return frozenset(actions)


def drawable_counties(user: Any) -> QuerySet[County]:
    """The counties in force whose monthly sample the user may draw on the audit page."""
    if not has_permission(user, "stopsearch.manage_audit"):
        return County.objects.none()
    counties = County.objects.effective().order_by("sort_order", "code")
    if user.has_role(Role.ADMINISTRATOR) or user.force_wide:
        return counties
    return counties.filter(pk__in=list(user.county_ids))


def may_complete(user: Any, review: SearchReview) -> bool:
    """Inspectors complete the inspector reviews of their area (their own or a colleague's);
    independent and panel reviews only by the panel member they are assigned to."""
    if review.kind == SearchReview.Kind.INSPECTOR:
        allowed = has_permission(user, "stopsearch.review")
    else:
        allowed = has_permission(
            user, "stopsearch.independent_review"
        ) and review.reviewer_id == getattr(user, "pk", None)
    return allowed and restrict(SearchReview.objects.filter(pk=review.pk), user, "change").exists()


def review_actions(review: SearchReview, user: Any) -> frozenset[str]:
    actions = set()
    if review.completed_at is None and may_complete(user, review):
        actions.add(COMPLETE)
    if may_send_to_panel(user, review.search):
        actions.add(SEND_TO_PANEL)
    return frozenset(actions)


def actions_for(obj: StopSearch | SearchReview, user: Any) -> frozenset[str]:
    """The actions open to the user on a search or a review."""
    if isinstance(obj, SearchReview):
        return review_actions(obj, user)
    return search_actions(obj, user)
