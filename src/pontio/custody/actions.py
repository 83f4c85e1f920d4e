"""What a user may do next on a custody record: the buttons a page shows, and the rule the
services enforce (they refuse by the same rules, ``rules`` and ``lifecycle``).

``actions_for(record, user)`` names the steps open now; the page shows the reasons of the
rules whatever the answer (``rules`` decisions), so a refused step is explained.
"""

from __future__ import annotations

from typing import Any

from pontio.core.permissions import has_permission
from pontio.core.scopes import restrict
from pontio.custody import lifecycle
from pontio.custody.models import (
    ChargeState,
    CustodyRecord,
    DrugResult,
    DrugTest,
    InspectorAuthorisation,
    RequiredAssessment,
)

CHANGE_RECORD = "change_record"
ADD_OFFENCE = "add_offence"
CHARGE = "charge"
REQUEST_AUTHORISATION = "request_authorisation"
AUTHORISE = "authorise"
REQUEST_TEST = "request_test"
RECORD_OUTCOME = "record_outcome"
RECORD_RESULT = "record_result"
DISPUTE = "dispute"
CONFIRMATORY = "confirmatory"
IMPOSE = "impose"
VARY = "vary"
FOLLOWUP = "followup"


def actions_for(record: CustodyRecord, user: Any) -> frozenset[str]:
    if not restrict(CustodyRecord.objects.filter(pk=record.pk), user, "change").exists():
        return frozenset()
    found: set[str] = set()
    if has_permission(user, "custody.book"):
        found |= {CHANGE_RECORD, ADD_OFFENCE}
        if record.record_offences.filter(state=ChargeState.ARRESTED).exists():
            found.add(CHARGE)
    pending = record.authorisations.filter(state=InspectorAuthorisation.State.PENDING).exists()
    if has_permission(user, "custody.request_authorisation") and not pending:
        found.add(REQUEST_AUTHORISATION)
    if has_permission(user, "custody.authorise"):
        found.add(AUTHORISE)
    test = DrugTest.objects.filter(record=record).first()
    assessment = RequiredAssessment.objects.filter(record=record).first()
    if has_permission(user, "custody.test"):
        if test is None:
            found.add(REQUEST_TEST)
        elif not test.outcome:
            found.add(RECORD_OUTCOME)
        elif test.outcome == DrugTest.Outcome.SAMPLE_TAKEN and not test.result:
            found.add(RECORD_RESULT)
        elif test.result and test.result != DrugResult.NEGATIVE:
            if not test.disputed and assessment is None:
                found.add(DISPUTE)
            if test.disputed and not test.confirmatory_result:
                found.add(CONFIRMATORY)
    if has_permission(user, "custody.assess"):
        if assessment is None and test is not None and test.positive:
            found.add(IMPOSE)
        if assessment is not None:
            if assessment.state in lifecycle.AWAITING_ATTENDANCE:
                found.add(VARY)
            if assessment.state == lifecycle.A.INITIAL_ATTENDED:
                found.add(FOLLOWUP)
    return frozenset(found)


def provider_followup_open(assessment: RequiredAssessment, user: Any) -> bool:
    """The provider's assessor may give the follow-up decision (Drugs Act 2005 s13, RA4 or
    RA5) on a requirement of their referral once the initial assessment is attended, and
    not yet decided (the service refuses by the same rule, ``lifecycle.check_move``)."""
    if not has_permission(user, "custody.assessor"):
        return False
    if assessment.state != lifecycle.A.INITIAL_ATTENDED:
        return False
    return restrict(RequiredAssessment.objects.filter(pk=assessment.pk), user, "change").exists()
