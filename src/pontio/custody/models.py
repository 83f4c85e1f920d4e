"""Custody: drug testing on arrest or charge and the required assessment (DOMAIN.md §1).

- Reference data, dated and kept by administrators: custody suites (with their county and
  the notification condition of PACE s63B(1)(c) per cohort and age group, as
  ``SuiteNotification`` rows) and offences (with their Act and section, and whether they
  are trigger offences under the Criminal Justice and Court Services Act 2000 Sch 6).
- ``CustodyRecord``: one detention of one Pontio person at one suite, with the offences and
  their charge state (``RecordOffence``), the age at arrest and the appropriate adult that
  PACE s63B(5A) asks for under-17s.
- ``InspectorAuthorisation``: the authorisation of s63B(1A)(b) / (2)(b) by an inspector;
  an oral one is confirmed in writing (s63C(3)).
- ``DrugTest``: the warning and request (s63B(4), (5)), the sample or the refusal (the
  s63C(1) offence), the result and the dispute path (DT1, DT2).
- ``RequiredAssessment``: the requirement of Drugs Act 2005 ss9-14 as one lifecycle
  (``lifecycle.py``), each move an ``AssessmentEvent``, each notice (RA1-RA5) a ``Notice``
  with its PDF, and a failure to attend or remain a ``BreachTask`` for the police.

The rules are in ``rules.py``; every write is a service (``services``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pontio.core.models import County, ReferenceData, ReferenceDataQuerySet, VersionedModel

# --- reference data ------------------------------------------------------------------------


class CustodySuite(ReferenceData):
    """A designated custody suite (police station) of the force, named by its town.

    ``label_en`` / ``label_cy`` are its name in English and Welsh; ``valid_from`` /
    ``valid_to`` the dates it was in use (a suite that closes keeps its records).
    """

    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )

    class Meta(ReferenceData.Meta):
        verbose_name = _("custody suite")
        verbose_name_plural = _("custody suites")


class Cohort(models.TextChoices):
    """What a notification of arrangements covers (PACE s63B(1)(c); Drugs Act 2005 s9)."""

    ARREST = "arrest", _("Testing on arrest")
    CHARGE = "charge", _("Testing on charge")
    ASSESSMENT = "assessment", _("Required assessment")


class AgeGroup(models.TextChoices):
    UNDER_18 = "14_17", _("Aged 14 to 17")
    ADULT = "18_plus", _("Aged 18 and over")


class SuiteNotification(VersionedModel):
    """The Secretary of State's notification that arrangements exist, for one suite, one
    cohort and one age group, from ``valid_from`` until the day before ``valid_to``.

    PACE s63B(1)(c) makes a test lawful only where the chief officer has been notified that
    arrangements exist for the police area or the station, and the notice may name arrest,
    charge and age-group cohorts separately; Drugs Act 2005 s9 asks the same for the
    required assessment. DOMAIN.md §1.3 found no evidence that Dyfed-Powys suites are
    notified: the rows the demo loads (``reference.load_notifications``) are an assumption
    that MUST be confirmed with the force before live use.
    """

    suite = models.ForeignKey(CustodySuite, on_delete=models.PROTECT, related_name="notifications")
    cohort = models.CharField(_("cohort"), max_length=20, choices=Cohort.choices)
    age_group = models.CharField(_("age group"), max_length=10, choices=AgeGroup.choices)
    valid_from = models.DateField(_("notified from"))
    valid_to = models.DateField(
        _("notified until"),
        null=True,
        blank=True,
        help_text=_("The first day it no longer applies."),
    )
    reference = models.CharField(_("notice reference"), max_length=120, blank=True, default="")

    objects = ReferenceDataQuerySet.as_manager()

    class Meta:
        ordering = ["suite_id", "cohort", "age_group", "valid_from"]
        verbose_name = _("notification of arrangements")
        verbose_name_plural = _("notifications of arrangements")

    def __str__(self) -> str:
        return f"{self.suite_id} {self.cohort} {self.age_group} {self.valid_from}"


class Offence(ReferenceData):
    """An offence a person may be arrested or charged for, with its Act and section.

    ``trigger`` marks a trigger offence (Criminal Justice and Court Services Act 2000 Sch 6,
    as amended), ``class_a_only`` one that triggers only if a specified Class A drug is
    involved (Misuse of Drugs Act 1971 s4, s5(2), s5(3)). The list changes by order, so each
    row is dated; a record is judged against the rows in force on the day of arrest.
    """

    act = models.CharField(_("Act"), max_length=120)
    section = models.CharField(_("section"), max_length=40)
    trigger = models.BooleanField(_("trigger offence"), default=False)
    class_a_only = models.BooleanField(
        _("trigger only with a specified Class A drug"), default=False
    )

    class Meta(ReferenceData.Meta):
        verbose_name = _("offence")
        verbose_name_plural = _("offences")


# --- the custody record --------------------------------------------------------------------


class CustodyRecord(VersionedModel):
    """One detention of one person at one suite: the source of the test and assessment."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="custody_records"
    )
    custody_number = models.CharField(_("custody number"), max_length=30, unique=True)
    suite = models.ForeignKey(
        CustodySuite, on_delete=models.PROTECT, related_name="records", verbose_name=_("suite")
    )
    arrested_at = models.DateTimeField(_("arrested"), db_index=True)
    age_at_arrest = models.PositiveSmallIntegerField(_("age at arrest"), null=True, blank=True)
    offences = models.ManyToManyField(
        Offence, through="RecordOffence", related_name="+", verbose_name=_("offences")
    )
    # PACE s63B(5A): under-17s are warned, asked and sampled only with an appropriate adult.
    appropriate_adult_name = models.CharField(
        _("appropriate adult"), max_length=120, blank=True, default=""
    )
    appropriate_adult_relationship = models.CharField(
        _("relationship to the detainee"), max_length=60, blank=True, default=""
    )
    officer_in_case = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("officer in the case"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The API caller's Idempotency-Key: a retried booking returns the record it made.
    idempotency_key = models.CharField(max_length=80, blank=True, default="", db_index=True)

    class Meta:
        ordering = ["-arrested_at", "-pk"]
        verbose_name = _("custody record")
        verbose_name_plural = _("custody records")
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="custody_record_idempotency_key_unique",
            )
        ]

    def __str__(self) -> str:
        return self.custody_number

    @property
    def county_id(self) -> int:
        return self.suite.county_id


class ChargeState(models.TextChoices):
    ARRESTED = "arrested", _("Arrested, not charged")
    CHARGED = "charged", _("Charged")
    NO_FURTHER_ACTION = "nfa", _("No further action")


class RecordOffence(models.Model):
    """One offence of a custody record and where it stands (arrested, charged, NFA)."""

    record = models.ForeignKey(
        CustodyRecord, on_delete=models.PROTECT, related_name="record_offences"
    )
    offence = models.ForeignKey(Offence, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("charge state"), max_length=10, choices=ChargeState.choices, default=ChargeState.ARRESTED
    )
    # Asked only for the offences that trigger only with a specified Class A drug (MDA s4,
    # s5(2), s5(3)); None where the question does not apply or is not answered yet.
    class_a_involved = models.BooleanField(
        _("a specified Class A drug is involved"), null=True, blank=True
    )
    charged_at = models.DateTimeField(_("charged"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["record", "offence"], name="custody_offence_once")
        ]

    def __str__(self) -> str:
        return f"{self.record_id}:{self.offence_id} {self.state}"


class Stage(models.TextChoices):
    """Which condition of PACE s63B a test (and an authorisation) rests on."""

    ARREST = "arrest", _("Arrest condition")
    CHARGE = "charge", _("Charge condition")


class InspectorAuthorisation(VersionedModel):
    """An inspector's authorisation to test (PACE s63B(1A)(b) on arrest, (2)(b) on charge).

    A custody sergeant may ask an inspector (``PENDING``, ``requested_of``); the inspector
    grants or refuses. An inspector may also record one without a request. An oral
    authorisation must be confirmed in writing as soon as practicable (s63C(3)): until
    ``confirmed_in_writing_at`` it is "awaiting written confirmation" on the inspector's list.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the inspector")
        GRANTED = "granted", _("Authorised")
        REFUSED = "refused", _("Refused")

    record = models.ForeignKey(
        CustodyRecord, on_delete=models.PROTECT, related_name="authorisations"
    )
    stage = models.CharField(_("condition"), max_length=10, choices=Stage.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("asked"), null=True, blank=True)
    requested_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="custody_authorisations_asked",
        verbose_name=_("inspector asked"),
    )
    request_note = models.TextField(_("why the sergeant asks"), blank=True, default="")
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inspector"),
    )
    grounds = models.TextField(_("grounds"), blank=True, default="")
    authorised_at = models.DateTimeField(_("decided"), null=True, blank=True)
    oral = models.BooleanField(_("given orally"), default=False)
    confirmed_in_writing_at = models.DateTimeField(_("confirmed in writing"), null=True, blank=True)
    refusal_reason = models.TextField(_("why refused"), blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("inspector's authorisation")

    def __str__(self) -> str:
        return f"{self.record_id} {self.stage} {self.state}"

    @property
    def awaiting_written_confirmation(self) -> bool:
        return (
            self.state == self.State.GRANTED and self.oral and self.confirmed_in_writing_at is None
        )


class DrugResult(models.TextChoices):
    OPIATES = "opiates", _("Opiates (heroin)")
    COCAINE = "cocaine", _("Cocaine (including crack)")
    BOTH = "both", _("Opiates and cocaine")
    NEGATIVE = "negative", _("Negative")


POSITIVE_RESULTS = frozenset({DrugResult.OPIATES, DrugResult.COCAINE, DrugResult.BOTH})


class DrugTest(VersionedModel):
    """The test of one detention: warning, request, sample or refusal, result, dispute."""

    class Outcome(models.TextChoices):
        REQUESTED = "", _("Requested")
        SAMPLE_TAKEN = "sample_taken", _("Sample taken")
        REFUSED = "refused", _("Refused without good cause")

    record = models.OneToOneField(CustodyRecord, on_delete=models.PROTECT, related_name="test")
    stage = models.CharField(_("condition"), max_length=10, choices=Stage.choices)
    authorisation = models.ForeignKey(
        InspectorAuthorisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inspector's authorisation"),
    )
    # PACE s63B(5): the warning before the request, and (if authorised) the authorisation
    # and its grounds told.
    warning_given = models.BooleanField(_("warning given"), default=False)
    warning_given_at = models.DateTimeField(_("warned"), null=True, blank=True)
    told_of_authorisation = models.BooleanField(
        _("told of the authorisation and its grounds"), default=False
    )
    appropriate_adult_present = models.BooleanField(_("appropriate adult present"), default=False)
    requested_at = models.DateTimeField(_("requested"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, blank=True, default=""
    )
    refused_at = models.DateTimeField(_("refused"), null=True, blank=True)
    sample_taken_at = models.DateTimeField(_("sample taken"), null=True, blank=True)
    result = models.CharField(
        _("result"), max_length=10, choices=DrugResult.choices, blank=True, default=""
    )
    result_recorded_at = models.DateTimeField(null=True, blank=True)
    disputed = models.BooleanField(_("result disputed"), default=False)
    disputed_at = models.DateTimeField(_("disputed"), null=True, blank=True)
    # The Home Office dispute forms: DT1 (copy to the drug intervention team) and DT2 (copy
    # to the Crown Prosecution Service).
    dt1_recorded_at = models.DateTimeField(_("DT1 completed"), null=True, blank=True)
    dt2_recorded_at = models.DateTimeField(_("DT2 completed"), null=True, blank=True)
    confirmatory_result = models.CharField(
        _("confirmatory result"), max_length=10, choices=DrugResult.choices, blank=True, default=""
    )
    confirmatory_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("drug test")

    def __str__(self) -> str:
        return f"test of {self.record_id}"

    @property
    def refusal_offence(self) -> bool:
        """A refusal without good cause is the PACE s63C(1) offence (shown when charging)."""
        return self.outcome == self.Outcome.REFUSED

    @property
    def effective_result(self) -> str:
        """The confirmatory result once there is one, else the first result."""
        return self.confirmatory_result or self.result

    @property
    def positive(self) -> bool:
        return self.effective_result in POSITIVE_RESULTS


# --- the required assessment ---------------------------------------------------------------


class AssessmentState(models.TextChoices):
    INITIAL_REQUIRED = "initial_required", _("Initial assessment required (RA1)")
    INITIAL_VARIED = "initial_varied", _("Initial assessment appointment changed (RA2)")
    INITIAL_ATTENDED = "initial_attended", _("Attended and remained for the initial assessment")
    INITIAL_FAILED_TO_ATTEND = "initial_failed", _("Failed to attend the initial assessment")
    INITIAL_LEFT_EARLY = "initial_left_early", _("Left the initial assessment early")
    FOLLOWUP_REQUIRED = "followup_required", _("Follow-up assessment required (RA4)")
    FOLLOWUP_NOT_REQUIRED = "followup_not_required", _("Follow-up assessment not required (RA5)")
    FOLLOWUP_VARIED = "followup_varied", _("Follow-up appointment changed (RA2)")
    FOLLOWUP_ATTENDED = "followup_attended", _("Attended and remained for the follow-up")
    FOLLOWUP_FAILED_TO_ATTEND = "followup_failed", _("Failed to attend the follow-up assessment")
    FOLLOWUP_LEFT_EARLY = "followup_left_early", _("Left the follow-up assessment early")


class NoticeKind(models.TextChoices):
    RA1 = "RA1", _("RA1: notice of the initial assessment")
    RA2 = "RA2", _("RA2: notice changing the appointment")
    RA3 = "RA3", _("RA3: record of attendance")
    RA4 = "RA4", _("RA4: notice of the follow-up assessment")
    RA5 = "RA5", _("RA5: follow-up assessment not required")
    STATEMENT = "statement", _("Evidential statement: failure to attend or remain")


class RequiredAssessment(VersionedModel):
    """The requirement to attend an initial (and a follow-up) assessment, Drugs Act 2005
    ss9-14, after a positive test. ``state`` changes only through ``lifecycle.transition``.

    The referral to the provider is made when the requirement is imposed (pathway "test on
    arrest"); ``appointment`` is the current appointment booked on that referral, and
    ``appointment_at`` / ``appointment_place`` the time and place the notice gave.
    """

    record = models.OneToOneField(
        CustodyRecord, on_delete=models.PROTECT, related_name="assessment"
    )
    test = models.OneToOneField(DrugTest, on_delete=models.PROTECT, related_name="assessment")
    state = models.CharField(_("state"), max_length=30, choices=AssessmentState.choices)
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referral"),
    )
    appointment = models.ForeignKey(
        "referrals.Appointment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    appointment_at = models.DateTimeField(_("appointment"))
    appointment_place = models.CharField(_("place"), max_length=200)
    imposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imposed_at = models.DateTimeField(_("imposed"))

    class Meta:
        ordering = ["-imposed_at", "-pk"]
        verbose_name = _("required assessment")

    def __str__(self) -> str:
        return f"assessment of {self.record_id} ({self.state})"


class AssessmentEvent(models.Model):
    """One move of a required assessment: who, when, from, to, the notice and why."""

    assessment = models.ForeignKey(
        RequiredAssessment, on_delete=models.PROTECT, related_name="events"
    )
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    from_state = models.CharField(
        max_length=30, choices=AssessmentState.choices, blank=True, default=""
    )
    to_state = models.CharField(max_length=30, choices=AssessmentState.choices)
    notice_kind = models.CharField(
        max_length=10, choices=NoticeKind.choices, blank=True, default=""
    )
    reason = models.TextField(_("why"), blank=True, default="")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_state} -> {self.to_state}"


class Notice(models.Model):
    """A notice given (RA1-RA5) or an evidential statement: the values printed on it
    (``content``, ``notices.snapshot``) and the PDF drawn from them.

    Both are kept in the row (not a file) so the record is self-contained and the very
    notice given can be printed again. The PDF is drawn when the notice is given; where it
    was not (the demo seed defers drawing: ``printing.deferred_rendering``), it is drawn from
    ``content`` when downloaded, and is the same document, as rendering is deterministic.
    """

    assessment = models.ForeignKey(
        RequiredAssessment, on_delete=models.PROTECT, related_name="notices"
    )
    event = models.ForeignKey(
        AssessmentEvent, on_delete=models.PROTECT, null=True, blank=True, related_name="notices"
    )
    kind = models.CharField(_("notice"), max_length=10, choices=NoticeKind.choices)
    languages = models.CharField(_("languages"), max_length=10, default="cy+en")
    content = models.JSONField(_("what the notice says"), default=dict, editable=False)
    pdf = models.BinaryField(default=b"", blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("notice")

    def __str__(self) -> str:
        return f"{self.kind} of {self.assessment_id}"


class BreachTask(VersionedModel):
    """The police's task after a failure to attend or remain (Drugs Act 2005 s12, s14).

    The provider reports it (attendance on its referral); the task says what evidence is
    needed (the evidential statement, the appointment notice), who must act (the custody
    sergeants and officer in the case of the suite's county) and by when, and holds the
    decision: prosecute or no further action, with the reason.
    """

    class Failure(models.TextChoices):
        FAILED_TO_ATTEND = "failed_to_attend", _("Failed to attend")
        LEFT_EARLY = "left_early", _("Attended but did not remain for the whole assessment")

    class Decision(models.TextChoices):
        PENDING = "", _("Waiting for a decision")
        PROSECUTE = "prosecute", _("Prosecute")
        NO_FURTHER_ACTION = "nfa", _("No further action")

    assessment = models.ForeignKey(
        RequiredAssessment, on_delete=models.PROTECT, related_name="breach_tasks"
    )
    stage = models.CharField(_("assessment"), max_length=10)  # "initial" or "followup"
    failure = models.CharField(_("failure"), max_length=20, choices=Failure.choices)
    appointment_at = models.DateTimeField(_("appointment"))
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("decision due"))
    statement = models.ForeignKey(
        Notice, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, blank=True, default=""
    )
    decision_reason = models.TextField(_("reason"), blank=True, default="")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("failure to attend task")

    def __str__(self) -> str:
        return f"breach task {self.pk}"

    @property
    def is_open(self) -> bool:
        return not self.decision
