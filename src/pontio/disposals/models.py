"""Out-of-court disposals (the two-tier model) and the diversion scheme (DOMAIN.md §2, §3).

Reference data (all dated, kept by administrators without code):

- ``DisposalType``: community resolution, adult conditional caution, and the prospective
  diversionary and community cautions (Police, Crime, Sentencing and Courts Act 2022 Part 6),
  each with its own rules (admission, evidence to charge, minimum age, who authorises, the
  condition kinds allowed and their caps, compliance period, excluded offences, breach route);
- ``GravityOffence``: the offences of the gravity matrix with their base score (1-4), the
  offence group used to match comparison groups, and whether the offence is indictable only;
- ``GravityFactor``: aggravating (+1) and mitigating (-1) factors;
- ``GravityOutcome``: which outcome the matrix suggests for each final score (configurable,
  because the national mapping was not found: DOMAIN.md §2.5);
- ``DiversionScheme``: the scheme's name (configurable; default the Offender Diversion
  Scheme), the navigator's organisation and service, and its eligibility rules.

Case records: ``Disposal`` (one decision on one offence by one person, from the gravity
score to authorisation, agreement, compliance and breach) with its ``DisposalCondition`` rows
and its ``DisposalEvent`` transitions; ``DiversionContract`` with its conditions, needs
assessments (start and end, one score per pathway), progress reviews and events; and the
scrutiny panel's quarterly ``DisposalSample`` and its ``PanelReview`` rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pontio.core.models import ReferenceData, VersionedModel

# --- vocabularies -----------------------------------------------------------------------------


class Tier(models.TextChoices):
    LOWER = "lower", _("Lower tier")
    UPPER = "upper", _("Upper tier")


class ConditionKind(models.TextChoices):
    """The objects of a condition (Criminal Justice Act 2003 s22(3); PCSC Act 2022 s101)."""

    REHABILITATIVE = "rehabilitative", _("Rehabilitative")
    REPARATIVE = "reparative", _("Reparative")
    RESTRICTIVE = "restrictive", _("Restrictive")
    PUNITIVE = "punitive", _("Punitive")


class ConditionCategory(models.TextChoices):
    """What a condition asks; each belongs to one kind (``CATEGORY_KIND``)."""

    DRUG_TREATMENT = "drug_treatment", _("Drug or alcohol assessment and treatment")
    DRUG_AWARENESS = "drug_awareness", _("Drug or alcohol awareness session")
    DIVERSION_SCHEME = "diversion_scheme", _("Take part in the diversion scheme")
    ATTENDANCE = "attendance", _("Attend a course or place")
    APOLOGY = "apology", _("Apology to the victim")
    REPAIR = "repair", _("Repair the damage")
    COMPENSATION = "compensation", _("Compensation to the victim")
    UNPAID_WORK = "unpaid_work", _("Unpaid work")
    KEEP_AWAY = "keep_away", _("Keep away from a place")
    NO_CONTACT = "no_contact", _("No contact with a named person")
    FINANCIAL_PENALTY = "financial_penalty", _("Financial penalty")


CATEGORY_KIND: dict[str, str] = {
    ConditionCategory.DRUG_TREATMENT: ConditionKind.REHABILITATIVE,
    ConditionCategory.DRUG_AWARENESS: ConditionKind.REHABILITATIVE,
    ConditionCategory.DIVERSION_SCHEME: ConditionKind.REHABILITATIVE,
    ConditionCategory.ATTENDANCE: ConditionKind.REHABILITATIVE,
    ConditionCategory.APOLOGY: ConditionKind.REPARATIVE,
    ConditionCategory.REPAIR: ConditionKind.REPARATIVE,
    ConditionCategory.COMPENSATION: ConditionKind.REPARATIVE,
    ConditionCategory.UNPAID_WORK: ConditionKind.REPARATIVE,
    ConditionCategory.KEEP_AWAY: ConditionKind.RESTRICTIVE,
    ConditionCategory.NO_CONTACT: ConditionKind.RESTRICTIVE,
    ConditionCategory.FINANCIAL_PENALTY: ConditionKind.PUNITIVE,
}

# Categories that send the person to a provider: the referral is made with the condition.
REFERRING_CATEGORIES = frozenset(
    {
        ConditionCategory.DRUG_TREATMENT,
        ConditionCategory.DRUG_AWARENESS,
        ConditionCategory.DIVERSION_SCHEME,
    }
)


class BreachRoute(models.TextChoices):
    NOT_ENFORCEABLE = "not_enforceable", _("Not enforceable: recorded only")
    PROSECUTION = "prosecution", _("Prosecution for the original offence")
    FINANCIAL_PENALTY = "financial_penalty", _("Financial penalty registered at court")


class Outcome(models.TextChoices):
    """What the matrix suggests and what the officer decides."""

    NO_FURTHER_ACTION = "nfa", _("No further action")
    DISPOSAL = "disposal", _("Out-of-court disposal")
    CHARGE = "charge", _("Charge")


class Admission(models.TextChoices):
    ADMITTED = "admitted", _("Admitted the offence")
    NO_REPLY = "no_reply", _("No reply in interview")
    DENIED = "denied", _("Denied the offence")
    NOT_INTERVIEWED = "not_interviewed", _("Not yet asked")


class VictimViews(models.TextChoices):
    NO_VICTIM = "no_victim", _("No identifiable victim")
    RECORDED = "recorded", _("Sought and recorded")
    NOT_OBTAINED = "not_obtained", _("Sought but could not be obtained")


class DisposalState(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    AWAITING_AUTHORISATION = "awaiting_authorisation", _("Awaiting authorisation")
    AUTHORISED = "authorised", _("Authorised: agreement to sign")
    ACTIVE = "active", _("Signed: conditions running")
    COMPLETED = "completed", _("Completed")
    BREACHED = "breached", _("Breached: breach route followed")
    CLOSED = "closed", _("Closed: no disposal given")


class ComplianceStatus(models.TextChoices):
    PENDING = "pending", _("Not yet due")
    COMPLIED = "complied", _("Complied")
    NOT_COMPLIED = "not_complied", _("Not complied with")
    EXCUSED = "excused", _("Reasonable excuse accepted")


class Responsible(models.TextChoices):
    """Who records compliance with a condition."""

    POLICE = "police", _("The police")
    PROVIDER = "provider", _("The provider")


class Pathway(models.TextChoices):
    """Checkpoint's nine offending pathways (DOMAIN.md §3), scored at the start and end."""

    ALCOHOL = "alcohol", _("Alcohol")
    DRUGS = "drugs", _("Drugs")
    HOUSING = "housing", _("Housing")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    EXPLOITATION = "exploitation", _("Sexual exploitation (as a victim)")
    PHYSICAL_HEALTH = "physical_health", _("Physical health")
    FINANCES = "finances", _("Finances and debt")
    EMPLOYMENT = "employment", _("Education, training and employment")
    RELATIONSHIPS = "relationships", _("Family and relationships")


class NeedScore(models.IntegerChoices):
    """The stated scale of each pathway's score; 2 and above is a risk factor (metrics.md)."""

    NONE = 0, _("0: no need")
    LOW = 1, _("1: low need, managing")
    MODERATE = 2, _("2: moderate need, affects daily life")
    HIGH = 3, _("3: high need, linked to offending")
    CRITICAL = 4, _("4: critical need, immediate risk")


RISK_FACTOR_THRESHOLD = 2


class AssessmentStage(models.TextChoices):
    START = "start", _("Start of the contract")
    END = "end", _("End of the contract")


class ContractState(models.TextChoices):
    REFERRED = "referred", _("Referred: eligibility and needs to assess")
    ACTIVE = "active", _("Contract running")
    COMPLETED = "completed", _("Completed: no further action")
    FAILED = "failed", _("Failed: the failure route followed")
    DECLINED = "declined", _("Not eligible or declined")


class ContractConditionKind(models.TextChoices):
    NO_REOFFENDING = "no_reoffending", _("No reoffending")
    RESTORATIVE = "restorative", _("Victim or restorative action")
    PATHWAY = "pathway", _("Pathway intervention")
    VOLUNTARY_WORK = "voluntary_work", _("Voluntary work")


class FailureRoute(models.TextChoices):
    PROSECUTION = "prosecution", _("Prosecution for the original offence")
    OTHER_DISPOSAL = "other_disposal", _("Another out-of-court disposal")


class PanelJudgement(models.TextChoices):
    APPROPRIATE = "appropriate", _("Appropriate")
    APPROPRIATE_WITH_CONCERNS = "concerns", _("Appropriate, with concerns")
    NOT_APPROPRIATE = "not_appropriate", _("Not appropriate")


# --- reference data ---------------------------------------------------------------------------


class GravityOffence(ReferenceData):
    """An offence of the gravity matrix: its base score and the group it is compared in."""

    offence_group = models.CharField(_("offence group"), max_length=40, db_index=True)
    base_score = models.PositiveSmallIntegerField(_("base gravity score"))
    indictable_only = models.BooleanField(_("indictable only"), default=False)

    class Meta(ReferenceData.Meta):
        verbose_name = _("gravity matrix offence")
        verbose_name_plural = _("gravity matrix offences")


class DisposalType(ReferenceData):
    """A kind of out-of-court disposal and its rules. A type not yet in force (the PCSC Act
    2022 cautions) has a ``valid_from`` in the future or none set and ``commenced`` false."""

    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices)
    commenced = models.BooleanField(
        _("in force"),
        default=True,
        help_text=_("Untick for a disposal the law provides for but that has not commenced."),
    )
    statute_en = models.CharField(_("legal basis (English)"), max_length=200, blank=True)
    statute_cy = models.CharField(_("legal basis (Welsh)"), max_length=200, blank=True)
    admission_required = models.BooleanField(_("admission required"), default=True)
    evidence_to_charge_required = models.BooleanField(
        _("sufficient evidence to charge required"), default=False
    )
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), default=18)
    authoriser_roles = models.JSONField(
        _("roles that may authorise"),
        default=list,
        help_text=_("Role codes, e.g. custody_sergeant."),
    )
    allowed_categories = models.JSONField(_("condition categories allowed"), default=list)
    unpaid_work_cap_hours = models.PositiveSmallIntegerField(
        _("unpaid work cap (hours)"), null=True, blank=True
    )
    attendance_cap_hours = models.PositiveSmallIntegerField(
        _("attendance cap (hours)"),
        null=True,
        blank=True,
        help_text=_("Non-rehabilitative attendance in total."),
    )
    financial_cap_pence = models.PositiveIntegerField(
        _("financial cap (pence)"), null=True, blank=True
    )
    default_compliance_weeks = models.PositiveSmallIntegerField(
        _("default compliance period (weeks)"), default=16
    )
    maximum_compliance_weeks = models.PositiveSmallIntegerField(
        _("maximum compliance period (weeks)"), default=20
    )
    excluded_offences = models.ManyToManyField(
        GravityOffence,
        blank=True,
        related_name="excluded_from",
        verbose_name=_("excluded offences"),
    )
    excludes_indictable_only = models.BooleanField(
        _("excludes indictable-only offences"), default=True
    )
    breach_route = models.CharField(_("breach route"), max_length=20, choices=BreachRoute.choices)

    class Meta(ReferenceData.Meta):
        verbose_name = _("disposal type")
        verbose_name_plural = _("disposal types")


class GravityFactor(ReferenceData):
    """An aggravating (+1) or mitigating (-1) factor of the gravity matrix."""

    adjustment = models.SmallIntegerField(_("adjustment"))

    class Meta(ReferenceData.Meta):
        verbose_name = _("gravity factor")
        verbose_name_plural = _("gravity factors")


class GravityOutcome(ReferenceData):
    """What the matrix suggests for a final score (one row per score in force)."""

    score = models.PositiveSmallIntegerField(_("final score"))
    outcome = models.CharField(_("suggested outcome"), max_length=10, choices=Outcome.choices)
    disposal_type = models.ForeignKey(
        DisposalType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suggested disposal type"),
    )
    reason_en = models.TextField(_("reason (English)"))
    reason_cy = models.TextField(_("reason (Welsh)"))

    class Meta(ReferenceData.Meta):
        verbose_name = _("gravity matrix outcome")
        verbose_name_plural = _("gravity matrix outcomes")


class DiversionScheme(ReferenceData):
    """The diversion scheme (its label is its name) and its eligibility rules."""

    navigator_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("navigator organisation"),
    )
    service = models.ForeignKey(
        "directory.Service",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service in the directory"),
    )
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), default=18)
    offence_max_age_days = models.PositiveSmallIntegerField(
        _("offence no older than (days)"), default=90
    )
    maximum_gravity = models.PositiveSmallIntegerField(_("highest gravity score"), default=3)
    excluded_groups = models.JSONField(_("excluded offence groups"), default=list, blank=True)
    contract_months = models.PositiveSmallIntegerField(_("contract length (months)"), default=4)
    maximum_conditions = models.PositiveSmallIntegerField(_("most conditions"), default=5)
    review_interval_days = models.PositiveSmallIntegerField(
        _("progress review every (days)"), default=28
    )

    class Meta(ReferenceData.Meta):
        verbose_name = _("diversion scheme")
        verbose_name_plural = _("diversion schemes")


# --- the disposal -----------------------------------------------------------------------------


class Disposal(VersionedModel):
    """One outcome decision on one offence by one person."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="disposals")
    county = models.ForeignKey(
        "core.County", on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    offence = models.ForeignKey(
        GravityOffence,
        on_delete=models.PROTECT,
        related_name="disposals",
        verbose_name=_("offence"),
    )
    offence_date = models.DateField(_("date of the offence"))
    offence_summary = models.TextField(_("what happened"))
    source_reference = models.CharField(
        _("custody or crime number"), max_length=30, blank=True, default=""
    )
    age_at_decision = models.PositiveSmallIntegerField(_("age at decision"), null=True, blank=True)
    admission = models.CharField(_("admission"), max_length=20, choices=Admission.choices)
    evidence_to_charge = models.BooleanField(_("sufficient evidence to charge"), default=False)
    previous_disposals = models.PositiveSmallIntegerField(
        _("previous positive disposals in Pontio"), default=0
    )
    # The matrix: base score, factors, final score, and the suggestion with its reason.
    base_score = models.PositiveSmallIntegerField(_("base gravity score"))
    factors = models.ManyToManyField(
        GravityFactor, blank=True, related_name="+", verbose_name=_("gravity factors")
    )
    gravity_score = models.PositiveSmallIntegerField(_("gravity score"))
    victim_views = models.CharField(_("victim's views"), max_length=20, choices=VictimViews.choices)
    victim_views_text = models.TextField(_("what the victim said"), blank=True, default="")
    victim_not_obtained_reason = models.TextField(
        _("why the views could not be obtained"), blank=True, default=""
    )
    recommended_outcome = models.CharField(
        _("recommended outcome"), max_length=10, choices=Outcome.choices
    )
    recommended_type = models.ForeignKey(
        DisposalType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recommended disposal type"),
    )
    recommendation_reason = models.TextField(_("why it is recommended"))
    # The officer's decision: Pontio recommends, the officer decides, the sergeant authorises.
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome.choices)
    disposal_type = models.ForeignKey(
        DisposalType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disposals",
        verbose_name=_("disposal type"),
    )
    decision_rationale = models.TextField(_("rationale for the decision"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), db_index=True)
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("authorised by"),
    )
    authorised_at = models.DateTimeField(_("authorised"), null=True, blank=True)
    signed_at = models.DateTimeField(_("agreement signed"), null=True, blank=True)
    compliance_due = models.DateField(_("conditions to be complied with by"), null=True, blank=True)
    state = models.CharField(
        _("state"),
        max_length=30,
        choices=DisposalState.choices,
        default=DisposalState.DRAFT,
        db_index=True,
    )
    breach_route = models.CharField(
        _("breach route followed"),
        max_length=20,
        choices=BreachRoute.choices,
        blank=True,
        default="",
    )
    breach_reason = models.TextField(_("breach details"), blank=True, default="")
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    idempotency_key = models.CharField(max_length=80, blank=True, default="", db_index=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        verbose_name = _("out-of-court disposal")
        verbose_name_plural = _("out-of-court disposals")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(gravity_score__gte=1, gravity_score__lte=4),
                name="disposal_gravity_1_to_4",
            ),
            models.UniqueConstraint(
                fields=["decided_by", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="disposal_idempotency_key_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class DisposalCondition(VersionedModel):
    disposal = models.ForeignKey(Disposal, on_delete=models.CASCADE, related_name="conditions")
    kind = models.CharField(_("kind"), max_length=20, choices=ConditionKind.choices)
    category = models.CharField(_("condition"), max_length=30, choices=ConditionCategory.choices)
    description = models.TextField(_("what the person must do"))
    hours = models.PositiveSmallIntegerField(_("hours"), null=True, blank=True)
    amount_pence = models.PositiveIntegerField(_("amount (pence)"), null=True, blank=True)
    due_date = models.DateField(_("due by"))
    responsible = models.CharField(
        _("compliance recorded by"), max_length=10, choices=Responsible.choices
    )
    status = models.CharField(
        _("compliance"),
        max_length=20,
        choices=ComplianceStatus.choices,
        default=ComplianceStatus.PENDING,
    )
    evidence = models.TextField(_("evidence"), blank=True, default="")
    status_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status_recorded_at = models.DateTimeField(null=True, blank=True)
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referral made"),
    )

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("disposal condition")
        verbose_name_plural = _("disposal conditions")


class DisposalEvent(models.Model):
    """One transition of a disposal: who, when, from, to, why."""

    disposal = models.ForeignKey(Disposal, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=30, blank=True, default="")
    to_state = models.CharField(max_length=30)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_state} -> {self.to_state}"


# --- the diversion contract -------------------------------------------------------------------


class DiversionContract(VersionedModel):
    """A person's place on the diversion scheme: eligibility, needs, contract, outcome."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    scheme = models.ForeignKey(DiversionScheme, on_delete=models.PROTECT, related_name="contracts")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="diversion_contracts"
    )
    county = models.ForeignKey("core.County", on_delete=models.PROTECT, related_name="+")
    disposal = models.ForeignKey(
        Disposal, on_delete=models.PROTECT, null=True, blank=True, related_name="contracts"
    )
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("navigator organisation"),
    )
    navigator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("navigator"),
    )
    eligibility = models.JSONField(_("eligibility checks"), default=list, blank=True)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=ContractState.choices,
        default=ContractState.REFERRED,
        db_index=True,
    )
    referred_at = models.DateTimeField(_("referred"), db_index=True)
    starts_on = models.DateField(_("contract starts"), null=True, blank=True)
    ends_on = models.DateField(_("contract ends"), null=True, blank=True)
    next_review_due = models.DateField(_("next review due"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    failure_route = models.CharField(
        _("route after failure"),
        max_length=20,
        choices=FailureRoute.choices,
        blank=True,
        default="",
    )
    outcome_reason = models.TextField(_("outcome details"), blank=True, default="")

    class Meta:
        ordering = ["-referred_at", "-pk"]
        verbose_name = _("diversion contract")
        verbose_name_plural = _("diversion contracts")

    def __str__(self) -> str:
        return self.reference


class ContractCondition(VersionedModel):
    contract = models.ForeignKey(
        DiversionContract, on_delete=models.CASCADE, related_name="conditions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ContractConditionKind.choices)
    pathway = models.CharField(
        _("pathway"), max_length=20, choices=Pathway.choices, blank=True, default=""
    )
    description = models.TextField(_("what the person agrees to do"))
    hours = models.PositiveSmallIntegerField(_("hours"), null=True, blank=True)
    status = models.CharField(
        _("compliance"),
        max_length=20,
        choices=ComplianceStatus.choices,
        default=ComplianceStatus.PENDING,
    )
    evidence = models.TextField(_("evidence"), blank=True, default="")

    class Meta:
        ordering = ["pk"]
        verbose_name = _("contract condition")
        verbose_name_plural = _("contract conditions")


class NeedsAssessment(models.Model):
    contract = models.ForeignKey(
        DiversionContract, on_delete=models.CASCADE, related_name="assessments"
    )
    stage = models.CharField(_("stage"), max_length=10, choices=AssessmentStage.choices)
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(_("notes"), blank=True, default="")

    class Meta:
        ordering = ["assessed_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "stage"], name="needs_one_per_stage")
        ]

    def __str__(self) -> str:
        return f"{self.stage} {self.assessed_on}"


class PathwayScore(models.Model):
    assessment = models.ForeignKey(NeedsAssessment, on_delete=models.CASCADE, related_name="scores")
    pathway = models.CharField(_("pathway"), max_length=20, choices=Pathway.choices)
    score = models.PositiveSmallIntegerField(_("score"), choices=NeedScore.choices)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "pathway"], name="one_score_per_pathway"),
            models.CheckConstraint(condition=models.Q(score__lte=4), name="score_0_to_4"),
        ]

    def __str__(self) -> str:
        return f"{self.pathway}={self.score}"


class ProgressReview(models.Model):
    contract = models.ForeignKey(
        DiversionContract, on_delete=models.CASCADE, related_name="reviews"
    )
    reviewed_on = models.DateField(_("reviewed on"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    on_track = models.BooleanField(_("on track"))
    summary = models.TextField(_("summary"))

    class Meta:
        ordering = ["reviewed_on", "pk"]

    def __str__(self) -> str:
        return str(self.reviewed_on)


class ContractEvent(models.Model):
    contract = models.ForeignKey(DiversionContract, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=20, blank=True, default="")
    to_state = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_state} -> {self.to_state}"


# --- the scrutiny panel -----------------------------------------------------------------------


class DisposalSample(models.Model):
    """A quarter's seeded random sample of disposals for the scrutiny panel."""

    quarter = models.DateField(_("quarter starting"), unique=True)
    seed = models.BigIntegerField(_("seed"))
    rate_percent = models.PositiveSmallIntegerField(_("share sampled (%)"))
    population = models.PositiveIntegerField(_("disposals in the quarter"))
    drawn_at = models.DateTimeField(_("drawn"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-quarter"]

    def __str__(self) -> str:
        return f"{self.quarter:%Y-%m}"


class PanelReview(VersionedModel):
    sample = models.ForeignKey(DisposalSample, on_delete=models.CASCADE, related_name="reviews")
    disposal = models.ForeignKey(Disposal, on_delete=models.PROTECT, related_name="panel_reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    judgement = models.CharField(
        _("judgement"), max_length=20, choices=PanelJudgement.choices, blank=True, default=""
    )
    feedback = models.TextField(_("feedback to the force"), blank=True, default="")
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "disposal"], name="one_panel_review_each")
        ]
