"""The law of drug testing and required assessment as plain functions (DOMAIN.md §1).

Each function returns a ``Decision``: ``eligible`` and every rule it applied, met or not,
with the rule's name, its section and a sentence in the user's language. A page shows all
the reasons (Pontio never hides a rule); a service refuses with the reasons not met
(``Decision.refuse``), so a page, the API and a crafted request meet the same rule.

The sections (PACE 1984 as amended by the Drugs Act 2005 s7; Drugs Act 2005 ss9-16; Bail
Act 1976 Sch 1 Pt I paras 6A-6C):

- arrest condition: s63B(1A): arrested, not yet charged, for a trigger offence, or an
  inspector has authorised the test (s63B(1A)(b));
- charge condition: s63B(2): charged with a trigger offence, or with any offence and an
  inspector has authorised the test (s63B(2)(b));
- age condition: s63B(3): 18 or over on the arrest condition, 14 or over on the charge
  condition (the age at arrest is used: detention is measured in hours);
- notification condition: s63B(1)(c), for the suite, the cohort and the age group, on the
  day (``SuiteNotification``);
- request condition: s63B(4); the warning before it, and for an authorised test the
  authorisation and its grounds told: s63B(5);
- appropriate adult for under-17s: s63B(5A);
- inspector rank: s63B(1A)(b), (2)(b); written confirmation of an oral authorisation:
  s63C(3); refusal without good cause: s63C(1);
- required assessment: Drugs Act 2005 s9 (positive test, 18 or over, arrangements notified);
  a disputed result does not prevent it (s16) but the appointment is set at least five
  working days after the sample, when the confirmatory result is back (Home Office
  operational guidance, DOMAIN.md §1.1);
- restriction on bail: Bail Act 1976 Sch 1 Pt I para 6B (who), para 6C (arrangements
  notified for the area).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from pontio.accounts.roles import Role
from pontio.core.working_days import add_working_days
from pontio.custody.models import (
    AgeGroup,
    AssessmentState,
    ChargeState,
    Cohort,
    CustodyRecord,
    CustodySuite,
    DrugResult,
    DrugTest,
    InspectorAuthorisation,
    RecordOffence,
    RequiredAssessment,
    Stage,
    SuiteNotification,
)

# The rule names (stable codes: shown with the section, used as ValidationError codes).
ARREST_CONDITION = "arrest_condition"
CHARGE_CONDITION = "charge_condition"
AGE_CONDITION = "age_condition"
NOTIFICATION_CONDITION = "notification_condition"
REQUEST_CONDITION = "request_condition"
WARNING = "warning"
APPROPRIATE_ADULT = "appropriate_adult"
INSPECTOR_RANK = "inspector_rank"
SAMPLE_TAKEN = "sample_taken"
DISPUTE_WINDOW = "dispute_window"
POSITIVE_TEST = "positive_test"
ASSESSMENT_AGE = "assessment_age"
ASSESSMENT_NOTIFICATION = "assessment_notification"
BAIL_AGE = "bail_age"
BAIL_POSITIVE = "bail_positive"
BAIL_CLASS_A = "bail_class_a"
BAIL_REFUSAL = "bail_refusal"
BAIL_NOTIFICATION = "bail_notification"

SECTIONS: dict[str, str] = {
    ARREST_CONDITION: "PACE s63B(1A)",
    CHARGE_CONDITION: "PACE s63B(2)",
    AGE_CONDITION: "PACE s63B(3)",
    NOTIFICATION_CONDITION: "PACE s63B(1)(c)",
    REQUEST_CONDITION: "PACE s63B(4)",
    WARNING: "PACE s63B(5)",
    APPROPRIATE_ADULT: "PACE s63B(5A)",
    INSPECTOR_RANK: "PACE s63B(1A)(b), (2)(b)",
    SAMPLE_TAKEN: "PACE s63B(1)",
    DISPUTE_WINDOW: "Drugs Act 2005 s16",
    POSITIVE_TEST: "Drugs Act 2005 s9",
    ASSESSMENT_AGE: "Drugs Act 2005 s9",
    ASSESSMENT_NOTIFICATION: "Drugs Act 2005 s9",
    BAIL_AGE: "Bail Act 1976 Sch 1 Pt I para 6B",
    BAIL_POSITIVE: "Bail Act 1976 Sch 1 Pt I para 6B",
    BAIL_CLASS_A: "Bail Act 1976 Sch 1 Pt I para 6B",
    BAIL_REFUSAL: "Bail Act 1976 Sch 1 Pt I para 6B",
    BAIL_NOTIFICATION: "Bail Act 1976 Sch 1 Pt I para 6C",
}

ADULT_AGE = 18
CHARGE_MIN_AGE = 14
APPROPRIATE_ADULT_UNDER = 17
DISPUTE_WORKING_DAYS = 5


@dataclass(frozen=True)
class Reason:
    """One rule applied: its name, its section, whether it is met and why (translated)."""

    rule: str
    met: bool
    message: str

    @property
    def section(self) -> str:
        return SECTIONS.get(self.rule, "")

    @property
    def text(self) -> str:
        """The sentence with its section, as a refusal shows it."""
        return f"{self.message} ({self.section})"


@dataclass
class Decision:
    eligible: bool
    reasons: list[Reason] = field(default_factory=list)

    @property
    def not_met(self) -> list[Reason]:
        return [r for r in self.reasons if not r.met]

    def refuse(self, field_name: str | None = None) -> None:
        """Raise a ValidationError with every rule not met (nothing if eligible)."""
        if self.eligible:
            return
        errors = [
            ValidationError(
                r.text,
                code=r.rule,
            )
            for r in self.not_met
        ]
        if field_name:
            raise ValidationError({field_name: errors})
        raise ValidationError(errors)


def _combine(*reasons: Reason) -> Decision:
    return Decision(eligible=all(r.met for r in reasons), reasons=list(reasons))


def _day(moment: dt.datetime | dt.date | None) -> dt.date:
    if moment is None:
        return timezone.localdate()
    if isinstance(moment, dt.datetime):
        return timezone.localtime(moment).date()
    return moment


def _shown(day: dt.date) -> str:
    return formats.date_format(day, "j F Y")


# --- offences ------------------------------------------------------------------------------


def is_trigger(item: RecordOffence, on: dt.date) -> bool:
    """A trigger offence on the day: in the Sch 6 list then, and, for the Misuse of Drugs Act
    offences, only with a specified Class A drug involved."""
    offence = item.offence
    if not offence.trigger or not offence.is_effective(on):
        return False
    return not offence.class_a_only or item.class_a_involved is True


def _offences(record: CustodyRecord, state: str) -> list[RecordOffence]:
    return [o for o in record.record_offences.all() if o.state == state]


def _granted(
    authorisation: InspectorAuthorisation | None, stage: str, record: CustodyRecord
) -> bool:
    return (
        authorisation is not None
        and authorisation.record_id == record.pk
        and authorisation.stage == stage
        and authorisation.state == InspectorAuthorisation.State.GRANTED
    )


def granted_authorisation(record: CustodyRecord, stage: str) -> InspectorAuthorisation | None:
    """The latest granted authorisation of the record for the stage, if any."""
    return (
        record.authorisations.filter(stage=stage, state=InspectorAuthorisation.State.GRANTED)
        .order_by("-authorised_at", "-pk")
        .first()
    )


def arrest_condition(
    record: CustodyRecord, authorisation: InspectorAuthorisation | None = None
) -> Reason:
    on = _day(record.arrested_at)
    uncharged = _offences(record, ChargeState.ARRESTED)
    if not uncharged:
        return Reason(
            ARREST_CONDITION,
            False,
            _(
                "The arrest condition needs an offence the person is arrested for and not yet "
                "charged with"
            ),
        )
    triggers = [o for o in uncharged if is_trigger(o, on)]
    if triggers:
        return Reason(
            ARREST_CONDITION,
            True,
            _("Arrested for a trigger offence: %(offence)s") % {"offence": triggers[0].offence},
        )
    if _granted(authorisation, Stage.ARREST, record):
        return Reason(
            ARREST_CONDITION,
            True,
            _("Not a trigger offence, but an inspector has authorised the test"),
        )
    unanswered = [o for o in uncharged if o.offence.class_a_only and o.class_a_involved is None]
    if unanswered:
        return Reason(
            ARREST_CONDITION,
            False,
            _(
                "Say whether a specified Class A drug is involved in %(offence)s: it is a "
                "trigger offence only if one is"
            )
            % {"offence": unanswered[0].offence},
        )
    return Reason(
        ARREST_CONDITION,
        False,
        _("None of the offences is a trigger offence and no inspector has authorised a test"),
    )


def charge_condition(
    record: CustodyRecord, authorisation: InspectorAuthorisation | None = None
) -> Reason:
    on = _day(record.arrested_at)
    charged = _offences(record, ChargeState.CHARGED)
    if not charged:
        return Reason(
            CHARGE_CONDITION,
            False,
            _("The charge condition needs an offence the person is charged with"),
        )
    triggers = [o for o in charged if is_trigger(o, on)]
    if triggers:
        return Reason(
            CHARGE_CONDITION,
            True,
            _("Charged with a trigger offence: %(offence)s") % {"offence": triggers[0].offence},
        )
    if _granted(authorisation, Stage.CHARGE, record):
        return Reason(
            CHARGE_CONDITION,
            True,
            _(
                "Charged with an offence that is not a trigger offence, and an inspector has "
                "authorised the test"
            ),
        )
    return Reason(
        CHARGE_CONDITION,
        False,
        _("None of the charges is a trigger offence and no inspector has authorised a test"),
    )


def age_condition(record: CustodyRecord, stage: str) -> Reason:
    age = record.age_at_arrest
    minimum = ADULT_AGE if stage == Stage.ARREST else CHARGE_MIN_AGE
    if age is None:
        return Reason(
            AGE_CONDITION,
            False,
            _("The person's age is not known: record their date of birth first"),
        )
    if age < minimum:
        if stage == Stage.ARREST:
            message = _("On arrest a person can be tested only from 18; this person is %(age)s")
        else:
            message = _("On charge a person can be tested only from 14; this person is %(age)s")
        return Reason(AGE_CONDITION, False, message % {"age": age})
    return Reason(AGE_CONDITION, True, _("Aged %(age)s: old enough for a test") % {"age": age})


def age_group(age: int | None) -> str:
    return AgeGroup.ADULT if age is not None and age >= ADULT_AGE else AgeGroup.UNDER_18


def is_notified(suite: CustodySuite, cohort: str, age: int | None, on: dt.date) -> bool:
    return (
        SuiteNotification.objects.effective(on)
        .filter(suite=suite, cohort=cohort, age_group=age_group(age))
        .exists()
    )


def notification_condition(record: CustodyRecord, stage: str, on: dt.date | None = None) -> Reason:
    day = _day(on)
    if is_notified(record.suite, stage, record.age_at_arrest, day):
        return Reason(
            NOTIFICATION_CONDITION,
            True,
            _("%(suite)s is notified for this test on %(date)s")
            % {"suite": record.suite, "date": _shown(day)},
        )
    return Reason(
        NOTIFICATION_CONDITION,
        False,
        _("%(suite)s is not notified for testing this person (%(cohort)s, %(group)s) on %(date)s")
        % {
            "suite": record.suite,
            "cohort": Cohort(stage).label,
            "group": AgeGroup(age_group(record.age_at_arrest)).label,
            "date": _shown(day),
        },
    )


def needs_appropriate_adult(record: CustodyRecord) -> bool:
    return record.age_at_arrest is None or record.age_at_arrest < APPROPRIATE_ADULT_UNDER


def appropriate_adult(record: CustodyRecord, present: bool | None = None) -> Reason:
    """Under 17: an appropriate adult is named, and (when asked about a request) present."""
    if not needs_appropriate_adult(record):
        return Reason(APPROPRIATE_ADULT, True, _("Aged 17 or over: no appropriate adult needed"))
    if not record.appropriate_adult_name.strip():
        return Reason(
            APPROPRIATE_ADULT,
            False,
            _("The person is under 17: record the appropriate adult first"),
        )
    if present is False:
        return Reason(
            APPROPRIATE_ADULT,
            False,
            _(
                "The person is under 17: the warning, the request and the sample must be in the "
                "presence of the appropriate adult"
            ),
        )
    return Reason(
        APPROPRIATE_ADULT,
        True,
        _("Appropriate adult: %(name)s") % {"name": record.appropriate_adult_name},
    )


# --- the test ------------------------------------------------------------------------------


def test_eligibility(
    record: CustodyRecord,
    stage: str,
    *,
    authorisation: InspectorAuthorisation | None = None,
    on: dt.date | None = None,
) -> Decision:
    """Whether the person may be tested on the stage's condition (without the request)."""
    if authorisation is None:
        authorisation = granted_authorisation(record, stage)
    condition = (
        arrest_condition(record, authorisation)
        if stage == Stage.ARREST
        else charge_condition(record, authorisation)
    )
    return _combine(
        condition,
        age_condition(record, stage),
        notification_condition(record, stage, on),
        appropriate_adult(record),
    )


def request_decision(
    record: CustodyRecord,
    stage: str,
    *,
    warning_given: bool,
    told_of_authorisation: bool,
    appropriate_adult_present: bool,
    authorisation: InspectorAuthorisation | None = None,
    on: dt.date | None = None,
) -> Decision:
    """Every condition of a lawful request: the eligibility, the warning, and (authorised
    tests) the authorisation told; the appropriate adult present for under-17s."""
    if authorisation is None:
        authorisation = granted_authorisation(record, stage)
    base = test_eligibility(record, stage, authorisation=authorisation, on=on)
    reasons = [r for r in base.reasons if r.rule != APPROPRIATE_ADULT]
    reasons.append(appropriate_adult(record, appropriate_adult_present))
    if warning_given:
        reasons.append(Reason(WARNING, True, _("Warned that refusing may lead to prosecution")))
    else:
        reasons.append(
            Reason(
                WARNING,
                False,
                _(
                    "Before asking, warn the person that failing without good cause to give a "
                    "sample may lead to prosecution"
                ),
            )
        )
    authorised = authorisation is not None and not trigger_for(record, stage)
    if authorised and not told_of_authorisation:
        reasons.append(
            Reason(
                WARNING,
                False,
                _("Tell the person that an inspector authorised the test, and the grounds"),
            )
        )
    reasons.append(Reason(REQUEST_CONDITION, True, _("A police officer asks for the sample")))
    return _combine(*reasons)


def trigger_for(record: CustodyRecord, stage: str) -> bool:
    on = _day(record.arrested_at)
    state = ChargeState.ARRESTED if stage == Stage.ARREST else ChargeState.CHARGED
    return any(is_trigger(o, on) for o in _offences(record, state))


def authoriser_rank(user: Any) -> Reason:
    """Only an officer of at least the rank of inspector may authorise a test."""
    if user.has_role(Role.INSPECTOR):
        return Reason(INSPECTOR_RANK, True, _("Authorised by an inspector"))
    return Reason(
        INSPECTOR_RANK,
        False,
        _("Only an officer of at least the rank of inspector may authorise a test"),
    )


def result_decision(test: DrugTest) -> Decision:
    """A result needs a sample."""
    if test.outcome == DrugTest.Outcome.SAMPLE_TAKEN and test.sample_taken_at is not None:
        return _combine(Reason(SAMPLE_TAKEN, True, _("A sample was taken")))
    return _combine(
        Reason(SAMPLE_TAKEN, False, _("No sample was taken: there is no result to record"))
    )


def earliest_appointment(test: DrugTest) -> dt.date | None:
    """For a disputed result, the first day an appointment may be on (five working days
    after the sample); None when any day will do."""
    if not test.disputed or test.sample_taken_at is None:
        return None
    return add_working_days(_day(test.sample_taken_at), DISPUTE_WORKING_DAYS)


def appointment_window(test: DrugTest, appointment_at: dt.datetime) -> Decision:
    earliest = earliest_appointment(test)
    if earliest is None:
        return _combine(Reason(DISPUTE_WINDOW, True, _("The result is not disputed")))
    if _day(appointment_at) < earliest:
        return _combine(
            Reason(
                DISPUTE_WINDOW,
                False,
                _(
                    "The result is disputed: the appointment must be on or after %(date)s, five "
                    "working days after the sample, when the confirmatory result is back"
                )
                % {"date": _shown(earliest)},
            )
        )
    return _combine(
        Reason(
            DISPUTE_WINDOW,
            True,
            _("The result is disputed and the appointment is on or after %(date)s")
            % {"date": _shown(earliest)},
        )
    )


# --- the required assessment ---------------------------------------------------------------


def positive_test(test: DrugTest | None) -> Reason:
    if test is None or test.outcome != DrugTest.Outcome.SAMPLE_TAKEN:
        return Reason(POSITIVE_TEST, False, _("An assessment can be required only after a test"))
    result = test.effective_result
    if not result:
        return Reason(POSITIVE_TEST, False, _("Record the test result first"))
    if result == DrugResult.NEGATIVE:
        return Reason(
            POSITIVE_TEST, False, _("The test was negative: no assessment can be required")
        )
    return Reason(
        POSITIVE_TEST, True, _("Positive test: %(result)s") % {"result": DrugResult(result).label}
    )


def assessment_eligibility(
    record: CustodyRecord, test: DrugTest | None, on: dt.date | None = None
) -> Decision:
    """Whether an initial assessment may be required (Drugs Act 2005 s9)."""
    age = record.age_at_arrest
    if age is not None and age >= ADULT_AGE:
        adult = Reason(ASSESSMENT_AGE, True, _("Aged 18 or over"))
    else:
        adult = Reason(
            ASSESSMENT_AGE,
            False,
            _("An assessment can be required only of someone aged 18 or over"),
        )
    day = _day(on)
    if is_notified(record.suite, Cohort.ASSESSMENT, ADULT_AGE, day):
        notified = Reason(
            ASSESSMENT_NOTIFICATION,
            True,
            _("Arrangements for required assessment are notified for %(suite)s")
            % {"suite": record.suite},
        )
    else:
        notified = Reason(
            ASSESSMENT_NOTIFICATION,
            False,
            _("Arrangements for required assessment are not notified for %(suite)s on %(date)s")
            % {"suite": record.suite, "date": _shown(day)},
        )
    return _combine(positive_test(test), adult, notified)


# --- restriction on bail -------------------------------------------------------------------

FAILED_STATES = frozenset(
    {
        AssessmentState.INITIAL_FAILED_TO_ATTEND,
        AssessmentState.INITIAL_LEFT_EARLY,
        AssessmentState.FOLLOWUP_FAILED_TO_ATTEND,
        AssessmentState.FOLLOWUP_LEFT_EARLY,
    }
)


def bail_restriction(record: CustodyRecord, on: dt.date | None = None) -> Decision:
    """Whether the restriction on bail for drug users may apply (Bail Act 1976 Sch 1 Pt I
    paras 6A-6C), for the custody record and the charge screen to say so.

    What Pontio knows: the age, a positive sample, a Class A possession charge (MDA s5(2)
    or (3)) or an inspector's recorded grounds that Class A misuse contributed, a failure to
    attend or remain for the required assessment (which the court may treat as a refusal)
    and the arrangements notified for the area. Whether there are substantial grounds, and
    whether the failure is a refusal, is for the court: ``eligible`` here means "the court
    should be told the restriction may apply".
    """
    age = record.age_at_arrest
    reasons = [
        Reason(BAIL_AGE, True, _("Aged 18 or over"))
        if age is not None and age >= ADULT_AGE
        else Reason(BAIL_AGE, False, _("Under 18 (or age unknown): the restriction does not apply"))
    ]
    test = getattr(record, "test", None) if _has_test(record) else None
    if test is not None and test.positive:
        reasons.append(Reason(BAIL_POSITIVE, True, _("A positive sample was given")))
    else:
        reasons.append(Reason(BAIL_POSITIVE, False, _("No positive sample")))
    class_a_charge = any(
        o.offence.code in ("MDA1971_S5_2", "MDA1971_S5_3") and o.class_a_involved is True
        for o in _offences(record, ChargeState.CHARGED)
    )
    grounds = record.authorisations.filter(state=InspectorAuthorisation.State.GRANTED).exists()
    if class_a_charge:
        reasons.append(
            Reason(BAIL_CLASS_A, True, _("Charged with possessing a specified Class A drug"))
        )
    elif grounds:
        reasons.append(
            Reason(
                BAIL_CLASS_A,
                True,
                _("An inspector recorded grounds that Class A misuse contributed to the offence"),
            )
        )
    else:
        reasons.append(
            Reason(
                BAIL_CLASS_A,
                False,
                _(
                    "No Class A possession charge and no recorded grounds that Class A misuse "
                    "contributed"
                ),
            )
        )
    assessment = getattr(record, "assessment", None) if _has_assessment(record) else None
    if assessment is not None and assessment.state in FAILED_STATES:
        reasons.append(
            Reason(
                BAIL_REFUSAL,
                True,
                _("Failed to attend or remain for the required assessment"),
            )
        )
    else:
        reasons.append(
            Reason(BAIL_REFUSAL, False, _("No refusal of an assessment or follow-up is recorded"))
        )
    day = _day(on)
    if is_notified(record.suite, Cohort.ASSESSMENT, ADULT_AGE, day):
        reasons.append(Reason(BAIL_NOTIFICATION, True, _("Assessment arrangements are notified")))
    else:
        reasons.append(
            Reason(BAIL_NOTIFICATION, False, _("Assessment arrangements are not notified"))
        )
    return _combine(*reasons)


def _has_test(record: CustodyRecord) -> bool:
    return DrugTest.objects.filter(record_id=record.pk).exists()


def _has_assessment(record: CustodyRecord) -> bool:
    return RequiredAssessment.objects.filter(record_id=record.pk).exists()
