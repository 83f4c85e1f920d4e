"""Writes of the disposal decision: record, conditions, authorise, sign, comply, complete,
breach (rules: ``disposals.rules``; states: ``disposals.lifecycle``).

A condition that sends the person to a provider (``models.REFERRING_CATEGORIES``) makes the
referral in the same transaction, through ``referrals.services.referral_create``, with the
contact route and consent the condition form collected: no second form. A diversion-scheme
condition sends it to the scheme's service and opens the person's diversion contract
(``services.contracts.contract_open``). Every write re-reads the disposal through
``restrict(..., "change")`` with a row lock, checks the version the page was shown with and
audits the change in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_record
from pontio.core.concurrency import check_version
from pontio.core.models import County, snapshot_fields
from pontio.core.permissions import require_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.directory.models import Substance
from pontio.disposals import lifecycle, rules
from pontio.disposals.actions import actions_for
from pontio.disposals.models import (
    CATEGORY_KIND,
    REFERRING_CATEGORIES,
    ComplianceStatus,
    ConditionCategory,
    Disposal,
    DisposalCondition,
    DisposalType,
    GravityFactor,
    GravityOffence,
    GravityOutcome,
    Outcome,
    Responsible,
    VictimViews,
)
from pontio.disposals.models import DisposalState as S
from pontio.disposals.schemes import current_scheme
from pontio.people.models import Person
from pontio.referrals import services as referral_services
from pontio.referrals.contact import ContactRoute
from pontio.referrals.models import Pathway
from pontio.referrals.services.common import age_on

POSITIVE_OUTCOMES = (Outcome.DISPOSAL, Outcome.CHARGE)


@dataclass
class ConditionData:
    category: str
    description: str
    due_date: dt.date
    hours: int | None = None
    amount_pence: int | None = None
    # For a referring condition: how the provider reaches the person, and their consent.
    contact: ContactRoute | None = None
    consent_given: bool = True
    preferred_language: str = ""
    substances: tuple[Substance, ...] = ()


@dataclass
class DisposalData:
    offence: GravityOffence
    offence_date: dt.date
    offence_summary: str
    admission: str
    victim_views: str
    outcome: str
    decision_rationale: str
    county: County | None = None
    source_reference: str = ""
    evidence_to_charge: bool = False
    factors: list[GravityFactor] = field(default_factory=list)
    victim_views_text: str = ""
    victim_not_obtained_reason: str = ""
    disposal_type: DisposalType | None = None
    compliance_due: dt.date | None = None
    conditions: list[ConditionData] = field(default_factory=list)


@dataclass
class Preview:
    """What the officer sees before deciding: computed, nothing written."""

    base_score: int
    score: int
    recommendation: rules.Recommendation
    previous: list[Disposal]
    previous_count: int
    age: int | None
    errors: dict[str, list[str]]


def _snapshot(obj: models.Model) -> dict[str, Any]:
    return snapshot_fields(obj, exclude={"created_at", "updated_at"})


def _audit(
    context: AuditContext,
    obj: models.Model,
    person_id: int,
    *,
    before: dict[str, Any] | None = None,
    reason: str = "",
) -> None:
    audit_record(
        context=context,
        action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
        obj=obj,
        person_id=person_id,
        reason=reason,
        before=before,
        after=_snapshot(obj),
    )


def _person(actor: User, person_id: int) -> Person:
    person = restrict(Person.objects.all(), actor, "view").filter(pk=person_id).first()
    if person is None:
        raise PermissionDenied
    return person


def person_county(person: Person) -> County | None:
    address = (
        person.addresses.filter(valid_to__isnull=True)
        .select_related("county")
        .order_by("-valid_from", "-pk")
        .first()
    )
    return address.county if address is not None else None


def previous_disposals(person: Person, before: dt.datetime | None = None) -> models.QuerySet:
    """The person's earlier positive disposals recorded in Pontio (for the matrix).

    Read for the decision whatever the officer's own scope: the history is part of the
    gravity assessment (ACPO matrix: previous history), shown as type, offence and month."""
    rows = Disposal.objects.filter(person=person, outcome__in=POSITIVE_OUTCOMES).exclude(
        state=S.DRAFT
    )
    if before is not None:
        rows = rows.filter(decided_at__lt=before)
    return rows.select_related("offence", "disposal_type").order_by("-decided_at")


def victim_errors(views: str, text: str, reason: str) -> dict[str, list[str]]:
    """The victim's views are sought and recorded, or the reason they could not be (from
    20 October 2014 reasonable efforts must be made to obtain them: DOMAIN.md 2.3)."""
    if views not in VictimViews.values:
        return {"victim_views": [_("Select whether the victim's views were sought")]}
    if views == VictimViews.RECORDED and not text.strip():
        return {"victim_views_text": [_("Enter what the victim said")]}
    if views == VictimViews.NOT_OBTAINED and not reason.strip():
        return {
            "victim_not_obtained_reason": [_("Enter why the victim's views could not be obtained")]
        }
    return {}


def decision_errors(
    outcome: str,
    disposal_type: DisposalType | None,
    rationale: str,
    offence: GravityOffence,
    data: DisposalData,
    preview: Preview,
) -> dict[str, list[str]]:
    """The officer's decision: a rationale, and a disposal of a type whose rules it meets."""
    errors: dict[str, list[str]] = {}
    if not rationale.strip():
        errors["decision_rationale"] = [_("Enter the rationale for your decision")]
    if outcome not in Outcome.values:
        errors["outcome"] = [_("Select the decision")]
    elif outcome == Outcome.DISPOSAL and disposal_type is None:
        errors["disposal_type"] = [_("Select the disposal type")]
    elif outcome == Outcome.DISPOSAL and disposal_type is not None:
        found = rules.check_disposal(
            disposal_type=disposal_type,
            offence=offence,
            admission=data.admission,
            evidence_to_charge=data.evidence_to_charge,
            age=preview.age,
            on=timezone.localdate(),
        )
        for name, message in found.items():
            errors.setdefault("disposal_type" if name == "person" else name, []).append(message)
    return errors


def disposal_preview(*, actor: User, person_id: int, data: DisposalData) -> Preview:
    require_permission(actor, "disposals.decide")
    person = _person(actor, person_id)
    today = timezone.localdate()
    age = age_on(person.date_of_birth, today)
    earlier = previous_disposals(person)
    count = earlier.count()
    base = data.offence.base_score
    score = rules.gravity_score(base, [f.adjustment for f in data.factors])
    outcomes = list(GravityOutcome.objects.effective(today).select_related("disposal_type"))
    recommendation = rules.recommend(
        outcomes=outcomes,
        offence=data.offence,
        score=score,
        admission=data.admission,
        evidence_to_charge=data.evidence_to_charge,
        age=age,
        previous_disposals=count,
        on=today,
    )
    errors = victim_errors(
        data.victim_views, data.victim_views_text, data.victim_not_obtained_reason
    )
    return Preview(base, score, recommendation, list(earlier[:10]), count, age, errors)


def _summary_errors(data: DisposalData, today: dt.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not data.offence_summary.strip():
        errors["offence_summary"] = [_("Enter what happened")]
    if data.offence_date > today:
        errors["offence_date"] = [_("The date of the offence must be today or in the past")]
    return errors


def _next_reference(year: int) -> str:
    prefix = f"OOCD-{year}-"
    last = Disposal.objects.filter(reference__startswith=prefix).aggregate(m=Max("reference"))["m"]
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:05d}"


@transaction.atomic
def disposal_record(
    *, context: AuditContext, actor: User, person_id: int, data: DisposalData
) -> Disposal:
    """Record the decision with the matrix's recommendation and its reasons; a disposal
    then awaits authorisation, a charge or no further action is closed."""
    preview = disposal_preview(actor=actor, person_id=person_id, data=data)
    person = _person(actor, person_id)
    now = timezone.now()
    today = timezone.localdate(now)
    chosen = data.disposal_type if data.outcome == Outcome.DISPOSAL else None
    errors = {**_summary_errors(data, today), **preview.errors}
    errors.update(
        decision_errors(
            data.outcome, data.disposal_type, data.decision_rationale, data.offence, data, preview
        )
    )
    county = data.county or person_county(person)
    if county is None:
        errors.setdefault("county", []).append(_("Select the county where the offence happened"))
    due = None
    if chosen is not None:
        due = data.compliance_due or today + dt.timedelta(weeks=chosen.default_compliance_weeks)
        latest = today + dt.timedelta(weeks=chosen.maximum_compliance_weeks)
        if due > latest or due < today:
            errors["compliance_due"] = [
                _(
                    "The conditions of this disposal (%(type)s) must be complied with within "
                    "%(weeks)s weeks: enter a date from %(today)s to %(latest)s"
                )
                % {
                    "type": chosen.label,
                    "weeks": chosen.maximum_compliance_weeks,
                    "today": today.isoformat(),
                    "latest": latest.isoformat(),
                }
            ]
    if errors:
        raise ValidationError(errors)
    disposal = Disposal(
        reference=_next_reference(today.year),
        person=person,
        county=county,
        offence=data.offence,
        offence_date=data.offence_date,
        offence_summary=data.offence_summary.strip(),
        source_reference=data.source_reference.strip(),
        age_at_decision=preview.age,
        admission=data.admission,
        evidence_to_charge=data.evidence_to_charge,
        previous_disposals=preview.previous_count,
        base_score=preview.base_score,
        gravity_score=preview.score,
        victim_views=data.victim_views,
        victim_views_text=data.victim_views_text.strip(),
        victim_not_obtained_reason=data.victim_not_obtained_reason.strip(),
        recommended_outcome=preview.recommendation.outcome,
        recommended_type=preview.recommendation.disposal_type,
        recommendation_reason=preview.recommendation.reason,
        outcome=data.outcome,
        disposal_type=chosen,
        decision_rationale=data.decision_rationale.strip(),
        decided_by=actor,
        decided_at=now,
        compliance_due=due,
    )
    target = S.AWAITING_AUTHORISATION if chosen is not None else S.CLOSED
    event = lifecycle.transition(disposal, target, actor=actor, at=now, reason="decision")
    if target == S.CLOSED:
        disposal.closed_at = now
    disposal.save()
    disposal.factors.set(data.factors)
    event.disposal = disposal
    event.save()
    _audit(context, disposal, person.pk, reason="out-of-court disposal decision")
    for condition in data.conditions:
        _condition_create(context, actor, disposal, condition)
    return disposal


def _lock(actor: User, disposal_id: int, permission: str) -> Disposal:
    require_permission(actor, permission)
    disposal = (
        restrict(Disposal.objects.select_for_update(of=("self",)), actor, "change")
        .filter(pk=disposal_id)
        .select_related("disposal_type", "person", "offence", "county")
        .first()
    )
    if disposal is None:
        raise PermissionDenied
    return disposal


def _save(
    context: AuditContext, disposal: Disposal, before: dict[str, Any], reason: str
) -> Disposal:
    disposal.save()
    _audit(context, disposal, disposal.person_id, before=before, reason=reason)
    return disposal


def _move(
    context: AuditContext,
    actor: User,
    disposal: Disposal,
    target: str,
    before: dict[str, Any],
    reason: str,
) -> Disposal:
    now = timezone.now()
    event = lifecycle.transition(disposal, target, actor=actor, at=now, reason=reason)
    if target in (S.COMPLETED, S.BREACHED, S.CLOSED):
        disposal.closed_at = now
    _save(context, disposal, before, reason or target)
    event.save()
    return disposal


def _referral_for(
    context: AuditContext, actor: User, disposal: Disposal, condition: ConditionData
) -> tuple[Any, bool]:
    """The referral a referring condition makes (and whether it is the diversion scheme's)."""
    diversion = condition.category == ConditionCategory.DIVERSION_SCHEME
    service_id = None
    if diversion:
        scheme = current_scheme()
        if scheme is None or scheme.service_id is None or scheme.navigator_organisation_id is None:
            raise ValidationError(
                {
                    "category": [
                        _(
                            "The diversion scheme has no navigators' service set: ask an "
                            "administrator to set it before referring to the scheme"
                        )
                    ]
                }
            )
        service_id = scheme.service_id
    data = referral_services.ReferralData(
        pathway=Pathway.DIVERSION if diversion else Pathway.OOCD,
        reason=_("Condition of %(type)s %(reference)s: %(condition)s")
        % {
            "type": disposal.disposal_type.label if disposal.disposal_type else "",
            "reference": disposal.reference,
            "condition": condition.description.strip(),
        },
        substances=tuple(condition.substances),
        consent_given=condition.consent_given,
        preferred_language=condition.preferred_language,
        contact=condition.contact or ContactRoute(),
        source_reference=disposal.reference,
        county=disposal.county,
    )
    if not diversion:
        service_id = _treatment_service(disposal, data)
    referral, _created = referral_services.referral_create(
        context=context,
        actor=actor,
        person_id=disposal.person_id,
        data=data,
        service_id=service_id,
    )
    return referral, diversion


def _treatment_service(disposal: Disposal, data: Any) -> int | None:
    """The service a treatment or awareness condition goes to: the routing's best eligible
    option that is not the diversion scheme's own service (the scheme is its own condition;
    routing ranks diversion services first for out-of-court referrals). None lets the
    referral service propose, and refuse when nothing can take it."""
    scheme = current_scheme()
    excluded = scheme.service_id if scheme is not None else None
    options, _proposed = referral_services.service_options(disposal.person, data)
    for option in options:
        if option.eligible and option.service.pk != excluded:
            return int(option.service.pk)
    return None


def _condition_create(
    context: AuditContext, actor: User, disposal: Disposal, condition: ConditionData
) -> DisposalCondition:
    disposal_type = disposal.disposal_type
    if disposal_type is None:
        raise ValidationError(_("Only a disposal has conditions"))
    existing = [
        rules.ConditionInput(category=c, hours=h, amount_pence=a)
        for c, h, a in disposal.conditions.values_list("category", "hours", "amount_pence")
    ]
    found = rules.check_condition(
        disposal_type=disposal_type,
        decided_on=timezone.localdate(disposal.decided_at),
        condition=rules.ConditionInput(
            category=condition.category,
            hours=condition.hours,
            amount_pence=condition.amount_pence,
            due_date=condition.due_date,
        ),
        existing=existing,
    )
    errors = {name: [message] for name, message in found.items()}
    if not condition.description.strip():
        errors["description"] = [_("Enter what the person must do")]
    if condition.category not in CATEGORY_KIND:
        errors["category"] = [_("Select the condition")]
    if errors:
        raise ValidationError(errors)
    referring = condition.category in REFERRING_CATEGORIES
    row = DisposalCondition(
        disposal=disposal,
        kind=CATEGORY_KIND[condition.category],
        category=condition.category,
        description=condition.description.strip(),
        hours=condition.hours,
        amount_pence=condition.amount_pence,
        due_date=condition.due_date,
        responsible=Responsible.PROVIDER if referring else Responsible.POLICE,
    )
    contract = None
    if referring:
        referral, diversion = _referral_for(context, actor, disposal, condition)
        row.referral = referral
        if diversion:
            from pontio.disposals.services.contracts import contract_open

            contract = contract_open(
                context=context,
                actor=actor,
                disposal=disposal,
                referral=referral,
                person_id=disposal.person_id,
            )
    row.save()
    _audit(context, row, disposal.person_id, reason="disposal condition")
    del contract
    return row


@transaction.atomic
def condition_add(
    *,
    context: AuditContext,
    actor: User,
    disposal_id: int,
    expected_version: int | None,
    condition: ConditionData,
) -> DisposalCondition:
    disposal = _lock(actor, disposal_id, "disposals.decide")
    if "add_condition" not in actions_for(disposal, actor):
        raise ValidationError(
            _("Conditions are set before the agreement is signed"), code="not_allowed"
        )
    before = _snapshot(disposal)
    check_version(disposal, expected_version)
    row = _condition_create(context, actor, disposal, condition)
    _save(context, disposal, before, "condition added")
    return row


@transaction.atomic
def disposal_authorise(
    *, context: AuditContext, actor: User, disposal_id: int, expected_version: int | None
) -> Disposal:
    """A sergeant or above (the roles the type names) authorises; never the decider alone
    below that rank."""
    disposal = _lock(actor, disposal_id, "disposals.authorise")
    if disposal.state != S.AWAITING_AUTHORISATION or disposal.disposal_type is None:
        raise ValidationError(_("This disposal is not awaiting authorisation"))
    errors = rules.check_authoriser(disposal_type=disposal.disposal_type, roles=actor.role_set)
    if errors:
        raise ValidationError({name: [message] for name, message in errors.items()})
    before = _snapshot(disposal)
    check_version(disposal, expected_version)
    disposal.authorised_by = actor
    disposal.authorised_at = timezone.now()
    return _move(context, actor, disposal, S.AUTHORISED, before, "authorised")


@transaction.atomic
def agreement_sign(
    *, context: AuditContext, actor: User, disposal_id: int, expected_version: int | None
) -> Disposal:
    """The person signed the agreement (CJA 2003 s23(5)): the conditions start running."""
    disposal = _lock(actor, disposal_id, "disposals.decide")
    if disposal.state != S.AUTHORISED:
        raise ValidationError(_("The agreement is signed after authorisation"))
    if not disposal.conditions.exists():
        raise ValidationError(_("Set at least one condition before the agreement is signed"))
    before = _snapshot(disposal)
    check_version(disposal, expected_version)
    disposal.signed_at = timezone.now()
    return _move(context, actor, disposal, S.ACTIVE, before, "agreement signed")


@transaction.atomic
def condition_status_set(
    *,
    context: AuditContext,
    actor: User,
    condition_id: int,
    status: str,
    evidence: str,
    expected_version: int | None = None,
) -> DisposalCondition:
    """Compliance with one condition, by the party responsible for it: the provider for the
    condition its referral carries, the police for the others. ``expected_version`` is
    checked when given (a page); the diversion contract's close passes none."""
    require_permission(actor, "disposals.record_compliance")
    row = (
        restrict(DisposalCondition.objects.select_for_update(of=("self",)), actor, "change")
        .filter(pk=condition_id)
        .select_related("disposal")
        .first()
    )
    if row is None:
        raise PermissionDenied
    if status not in ComplianceStatus.values:
        raise ValidationError({"status": [_("Select whether the condition was complied with")]})
    if row.disposal.state != S.ACTIVE:
        raise ValidationError(_("Compliance is recorded once the agreement is signed"))
    is_provider = actor.organisation_kind == "provider"
    if is_provider != (row.responsible == Responsible.PROVIDER):
        raise ValidationError(
            _("Compliance with this condition is recorded by %(party)s")
            % {"party": Responsible(row.responsible).label.lower()}
        )
    if status != ComplianceStatus.PENDING and not evidence.strip():
        raise ValidationError({"evidence": [_("Enter the evidence of compliance")]})
    before = _snapshot(row)
    if expected_version is not None:
        check_version(row, expected_version)
    else:
        row.version += 1
    row.status = status
    row.evidence = evidence.strip()
    row.status_recorded_by = actor
    row.status_recorded_at = timezone.now()
    row.save()
    _audit(context, row, row.disposal.person_id, before=before, reason="condition compliance")
    return row


@transaction.atomic
def disposal_complete(
    *, context: AuditContext, actor: User, disposal_id: int, expected_version: int | None
) -> Disposal:
    disposal = _lock(actor, disposal_id, "disposals.decide")
    if "complete" not in actions_for(disposal, actor):
        raise ValidationError(
            _("A disposal is completed when every condition has been complied with")
        )
    before = _snapshot(disposal)
    check_version(disposal, expected_version)
    return _move(context, actor, disposal, S.COMPLETED, before, "conditions complied with")


@transaction.atomic
def breach_follow(
    *,
    context: AuditContext,
    actor: User,
    disposal_id: int,
    expected_version: int | None,
    reason: str,
) -> Disposal:
    """A condition not complied with: the type's breach route (a conditional caution:
    prosecution for the original offence, CJA 2003 s24; a community caution: a financial
    penalty, never prosecution; a community resolution: recorded only)."""
    disposal = _lock(actor, disposal_id, "disposals.breach")
    if "breach" not in actions_for(disposal, actor):
        raise ValidationError(
            _("The breach route is followed when a condition has not been complied with")
        )
    if not reason.strip():
        raise ValidationError({"reason": [_("Enter what was not complied with and why")]})
    before = _snapshot(disposal)
    check_version(disposal, expected_version)
    assert disposal.disposal_type is not None  # noqa: S101 (actions_for checked a type)
    disposal.breach_route = disposal.disposal_type.breach_route
    disposal.breach_reason = reason.strip()
    return _move(context, actor, disposal, S.BREACHED, before, "breach route followed")
