"""Drug-disruption operations (journey 10, issue 18 part 4).

An ``Operation`` runs through four phases, planning -> covert -> enforcement -> aftercare,
and is then closed (``lifecycle.py`` holds the rules; every transition is an
``OperationEvent``). Around it:

- the partner engagement plan: ``PartnerMeeting`` (strategic and tactical meetings) and
  ``Briefing`` (who was told what, when and at what level): append-only records;
- the demand forecast: ``ForecastRow`` (county, week, expected referrals and safeguarding)
  and ``ForecastShare`` (which provider organisation it was shared with and when);
- results: ``ResultEntry`` (arrests, charges, convictions) and ``Seizure`` (drug type,
  quantity, estimated street value in pence): append-only;
- ``Evaluation``: the short survey asked of each briefed partner organisation when the
  operation closes, with its one answer;
- ``OperationReferral``: referrals made during the operation, linked by the lead;
- ``IntelligenceLink``: intelligence reports linked to the operation (from the report's
  assessment screen).

What a provider sees of an operation is only the shared forecast by county and week: never
the code name, the reference, targets, places finer than a county or the results.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pontio.core.models import VersionedModel


class Phase(models.TextChoices):
    PLANNING = "planning", _("Planning")
    COVERT = "covert", _("Covert")
    ENFORCEMENT = "enforcement", _("Enforcement")
    AFTERCARE = "aftercare", _("Aftercare")
    CLOSED = "closed", _("Closed")


class MeetingLevel(models.TextChoices):
    STRATEGIC = "strategic", _("Strategic")
    TACTICAL = "tactical", _("Tactical")


class BriefingLevel(models.TextChoices):
    STRATEGIC = "strategic", _("Strategic")
    TACTICAL = "tactical", _("Tactical")
    SENSITIVE = "sensitive", _("Sensitive")


class DrugType(models.TextChoices):
    CANNABIS = "cannabis", _("Cannabis")
    COCAINE = "cocaine", _("Cocaine")
    CRACK_COCAINE = "crack_cocaine", _("Crack cocaine")
    HEROIN = "heroin", _("Heroin")
    MDMA = "mdma", _("MDMA")
    KETAMINE = "ketamine", _("Ketamine")
    SPICE = "spice", _("Spice")
    OTHER = "other", _("Other")


class QuantityUnit(models.TextChoices):
    GRAMS = "g", _("grams")
    KILOGRAMS = "kg", _("kilograms")
    TABLETS = "tablets", _("tablets")
    PLANTS = "plants", _("plants")
    WRAPS = "wraps", _("wraps")


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class DemandAnswer(models.TextChoices):
    AS_FORECAST = "as_forecast", _("About as forecast")
    HIGHER = "higher", _("Higher than forecast")
    LOWER = "lower", _("Lower than forecast")
    NOT_SURE = "not_sure", _("Not sure")


class Operation(VersionedModel):
    """A drug-disruption operation led by an operations lead."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    code_name = models.CharField(_("code name"), max_length=60)
    objective = models.TextField(_("objective"), blank=True, default="")
    counties = models.ManyToManyField("core.County", related_name="+", verbose_name=_("counties"))
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("operation lead"),
    )
    phase = models.CharField(
        _("phase"), max_length=20, choices=Phase.choices, default=Phase.PLANNING, db_index=True
    )
    planning_started_at = models.DateTimeField(_("planning started"))
    covert_started_at = models.DateTimeField(_("covert phase started"), null=True, blank=True)
    enforcement_started_at = models.DateTimeField(_("enforcement started"), null=True, blank=True)
    aftercare_started_at = models.DateTimeField(_("aftercare started"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Set when the forecast is shared with every provider serving its counties; cleared when
    # a forecast row changes afterwards, so what providers plan on is never stale.
    forecast_shared_at = models.DateTimeField(_("forecast shared"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-planning_started_at", "-pk"]
        verbose_name = _("operation")
        verbose_name_plural = _("operations")

    def __str__(self) -> str:
        return self.reference


class OperationEvent(models.Model):
    """One phase transition: who, when, from, to, why."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="events")
    from_phase = models.CharField(max_length=20, choices=Phase.choices, blank=True, default="")
    to_phase = models.CharField(max_length=20, choices=Phase.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_phase} -> {self.to_phase}"


class PartnerMeeting(models.Model):
    """A strategic or tactical partnership meeting (append-only)."""

    operation = models.ForeignKey(Operation, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField(_("date of the meeting"))
    level = models.CharField(_("level"), max_length=20, choices=MeetingLevel.choices)
    organisations = models.ManyToManyField(
        "accounts.Organisation", blank=True, related_name="+", verbose_name=_("organisations")
    )
    other_attendees = models.CharField(
        _("other organisations attending"), max_length=500, blank=True, default=""
    )
    summary = models.TextField(_("summary"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("partnership meeting")
        verbose_name_plural = _("partnership meetings")

    def __str__(self) -> str:
        return f"{self.level} {self.held_on}"


class Briefing(models.Model):
    """Who was told what about the operation, when, and at what level (append-only)."""

    operation = models.ForeignKey(Operation, on_delete=models.PROTECT, related_name="briefings")
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    recipient = models.CharField(_("name or post of the person told"), max_length=200)
    briefed_at = models.DateTimeField(_("when they were told"))
    level = models.CharField(_("level"), max_length=20, choices=BriefingLevel.choices)
    shared = models.TextField(_("what was shared"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        ordering = ["briefed_at", "pk"]
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")

    def __str__(self) -> str:
        return f"{self.level} {self.briefed_at:%Y-%m-%d}"


class ForecastRow(VersionedModel):
    """Expected demand for one county in one week (the week starts on a Monday)."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="forecast")
    county = models.ForeignKey(
        "core.County", on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    week_starting = models.DateField(_("week starting"))
    expected_referrals = models.PositiveIntegerField(_("expected referrals"))
    expected_safeguarding = models.PositiveIntegerField(_("expected safeguarding referrals"))

    class Meta:
        ordering = ["week_starting", "county__sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "county", "week_starting"], name="forecast_one_row_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.county_id} {self.week_starting}"


class ForecastShare(models.Model):
    """The forecast shared with one provider organisation (one row per sharing)."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    shared_at = models.DateTimeField()
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["shared_at", "pk"]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.shared_at:%Y-%m-%d}"


class ResultEntry(models.Model):
    """Arrests, charges and convictions recorded for an operation (append-only)."""

    operation = models.ForeignKey(Operation, on_delete=models.PROTECT, related_name="results")
    county = models.ForeignKey(
        "core.County", on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    recorded_on = models.DateField(_("date"))
    arrests = models.PositiveIntegerField(_("arrests"), default=0)
    charges = models.PositiveIntegerField(_("charges"), default=0)
    convictions = models.PositiveIntegerField(_("convictions"), default=0)
    note = models.CharField(_("note"), max_length=500, blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_on", "pk"]

    def __str__(self) -> str:
        return f"{self.recorded_on}"


class Seizure(models.Model):
    """Drugs seized: type, quantity and estimated street value in pence (append-only)."""

    operation = models.ForeignKey(Operation, on_delete=models.PROTECT, related_name="seizures")
    county = models.ForeignKey(
        "core.County", on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    seized_on = models.DateField(_("date seized"))
    drug = models.CharField(_("drug"), max_length=20, choices=DrugType.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=10, choices=QuantityUnit.choices)
    street_value_pence = models.PositiveBigIntegerField(_("estimated street value (pence)"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["seized_on", "pk"]

    def __str__(self) -> str:
        return f"{self.drug} {self.quantity}{self.unit}"


class Evaluation(models.Model):
    """The partner evaluation asked of one briefed organisation when the operation closes,
    and its one answer (the answer fields stay blank until someone of the organisation
    answers; an answer is final)."""

    operation = models.ForeignKey(Operation, on_delete=models.PROTECT, related_name="evaluations")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField()
    briefed_in_time = models.CharField(
        _("briefed in time"), max_length=10, choices=Answer.choices, blank=True, default=""
    )
    enough_detail = models.CharField(
        _("enough detail to plan"), max_length=10, choices=Answer.choices, blank=True, default=""
    )
    demand = models.CharField(
        _("demand compared with the forecast"),
        max_length=20,
        choices=DemandAnswer.choices,
        blank=True,
        default="",
    )
    comment = models.TextField(_("comment"), blank=True, default="")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "organisation"], name="evaluation_one_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.operation_id}/{self.organisation_id}"


class OperationReferral(models.Model):
    """A referral made during the operation, linked to it by the operations lead."""

    operation = models.ForeignKey(
        Operation, on_delete=models.PROTECT, related_name="referral_links"
    )
    referral = models.ForeignKey("referrals.Referral", on_delete=models.PROTECT, related_name="+")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField()

    class Meta:
        ordering = ["linked_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "referral"], name="operation_referral_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.operation_id}/{self.referral_id}"


class IntelligenceLink(models.Model):
    """An intelligence report linked to the operation (made from the report's assessment
    screen by an intelligence officer)."""

    operation = models.ForeignKey(
        Operation, on_delete=models.PROTECT, related_name="intelligence_links"
    )
    report = models.ForeignKey(
        "intelligence.IntelligenceReport", on_delete=models.PROTECT, related_name="+"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField()

    class Meta:
        ordering = ["linked_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "report"], name="operation_intelligence_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.operation_id}/{self.report_id}"
