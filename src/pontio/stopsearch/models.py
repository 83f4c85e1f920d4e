"""Stop and search records (PACE Code A), later outcomes, audit samples, reviews, imports.

A record made in Pontio holds what PACE Code A para 4.3 asks for (DOMAIN.md §5.4): the
object and grounds of the search, the power used, who was searched (self- and
officer-defined ethnicity, age, gender), when and where, whether more than outer clothing
was removed, the officer, and that GOWISELY was given (PACE s2(3)). Records imported from
police.uk carry only what police.uk publishes.

Outcomes are never overwritten: the outcome at the time is the first ``OutcomeUpdate`` and
every later result (drug analysis, charge, caution, no further action) is another, with its
date, who recorded it and why. The record keeps both the original and the current outcome.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pontio.core.models import County, VersionedModel
from pontio.people.models import Ethnicity
from pontio.stopsearch.vocab import (
    AgeRange,
    Found,
    Legislation,
    ObjectOfSearch,
    OfficerEthnicity,
    Outcome,
    SearchGender,
    SearchType,
)

# The force whose searches Pontio records: its figures, denominators and police.uk
# publication. Files of other forces can be imported (for example the City of London test
# files) but are left out of the force's figures and publication.
HOME_FORCE = "dyfed-powys"


class Source(models.TextChoices):
    PONTIO = "pontio", _("Recorded in Pontio")
    POLICE_UK = "policeuk", _("Imported from police.uk")


class ImportBatch(models.Model):
    """One police.uk CSV file imported (or refused), with its summary."""

    class Kind(models.TextChoices):
        STOP_SEARCH = "stop_search", _("Stop and search")
        STREET = "street", _("Street crime")

    class State(models.TextChoices):
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Refused")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    file_name = models.CharField(_("file"), max_length=200)
    sha256 = models.CharField(max_length=64)
    force = models.CharField(_("force"), max_length=60, blank=True, default="")
    month = models.DateField(_("month"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.RUNNING
    )
    total_rows = models.PositiveIntegerField(default=0)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    imported = models.PositiveIntegerField(_("imported"), default=0)
    already_present = models.PositiveIntegerField(_("already present"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    errors = models.JSONField(_("problems"), default=list)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name


class StopSearch(VersionedModel):
    reference = models.CharField(_("receipt reference"), max_length=24, unique=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.PONTIO)
    force = models.CharField(_("force"), max_length=60, default=HOME_FORCE)
    search_type = models.CharField(_("type"), max_length=20, choices=SearchType.choices)
    searched_at = models.DateTimeField(_("date and time"), db_index=True)
    month = models.DateField(_("month"), db_index=True)
    place = models.CharField(_("place"), max_length=200, blank=True, default="")
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    part_of_operation = models.BooleanField(_("part of a policing operation"), default=False)
    operation_name = models.CharField(_("operation"), max_length=120, blank=True, default="")
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stop_searches",
    )
    vehicle_registration = models.CharField(
        _("vehicle registration"), max_length=10, blank=True, default=""
    )
    gender = models.CharField(_("gender"), max_length=10, choices=SearchGender.choices, blank=True)
    age_range = models.CharField(
        _("age range"), max_length=10, choices=AgeRange.choices, blank=True
    )
    self_defined_ethnicity = models.CharField(
        _("self-defined ethnicity"), max_length=2, choices=Ethnicity.choices, blank=True
    )
    officer_defined_ethnicity = models.CharField(
        _("officer-defined ethnicity"), max_length=10, choices=OfficerEthnicity.choices, blank=True
    )
    legislation = models.CharField(
        _("legislation"), max_length=20, choices=Legislation.choices, blank=True
    )
    object_of_search = models.CharField(
        _("object of search"), max_length=30, choices=ObjectOfSearch.choices, blank=True
    )
    grounds = models.TextField(_("grounds for the search"), blank=True, default="")
    gowisely_given = models.BooleanField(_("GOWISELY information given"), default=False)
    removal_of_more_than_outer_clothing = models.BooleanField(
        _("more than outer clothing removed"), null=True, blank=True
    )
    body_worn_video = models.CharField(
        _("body-worn video reference"), max_length=60, blank=True, default=""
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stop_searches",
    )
    officer_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Whether anything was found, apart from what happened next (the outcome): asked on
    # every search recorded in Pontio; empty for a police.uk row whose vocabulary says nothing.
    found = models.CharField(
        _("anything found"), max_length=10, choices=Found.choices, blank=True, default=""
    )
    original_outcome = models.CharField(
        _("outcome at the time"), max_length=30, choices=Outcome.choices, blank=True
    )
    original_linked = models.BooleanField(
        _("outcome linked to object of search (at the time)"), null=True, blank=True
    )
    current_outcome = models.CharField(
        _("current outcome"), max_length=30, choices=Outcome.choices, blank=True
    )
    current_linked = models.BooleanField(
        _("outcome linked to object of search"), null=True, blank=True
    )
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="searches"
    )
    # police.uk rows have no id: (force, month, content hash, occurrence) identifies a row,
    # so re-importing a month changes nothing and two identical rows stay two searches.
    source_key = models.CharField(max_length=100, null=True, blank=True, unique=True)
    # Made when the record form is shown and kept with the record: posting the same form
    # twice returns the search already recorded instead of making a second one.
    idempotency_key = models.CharField(max_length=80, blank=True, default="")

    class Meta:
        ordering = ["-searched_at", "-pk"]
        verbose_name = _("stop and search record")
        indexes = [models.Index(fields=["force", "month"])]
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="stopsearch_idempotency_key_unique",
            )
        ]

    def __str__(self) -> str:
        return self.reference


class OutcomeUpdate(models.Model):
    """One outcome of a search: at the time, or a later result. Never edited or deleted."""

    class Kind(models.TextChoices):
        AT_THE_TIME = "at_time", _("Outcome at the time")
        DRUG_ANALYSIS = "drug_analysis", _("Drug analysis result")
        LATER_CHARGE = "later_charge", _("Later charge or summons")
        CAUTION = "caution", _("Caution or other out-of-court disposal")
        NO_FURTHER_ACTION = "nfa", _("No further action")
        OTHER = "other", _("Other later result")

    search = models.ForeignKey(StopSearch, on_delete=models.PROTECT, related_name="outcomes")
    kind = models.CharField(_("what happened"), max_length=20, choices=Kind.choices)
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices)
    linked_to_object = models.BooleanField(
        _("outcome linked to object of search"), null=True, blank=True
    )
    decided_on = models.DateField(_("date"))
    reason = models.TextField(_("reason"), blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_on", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.decided_on}"


class AuditSample(models.Model):
    """The monthly random sample of one county's searches (seeded, so it can be redrawn)."""

    month = models.DateField(_("month searched"))
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    rate_percent = models.PositiveSmallIntegerField(_("sample rate (%)"))
    seed = models.BigIntegerField(_("random seed"))
    population = models.PositiveIntegerField(_("searches in the month"))
    drawn_at = models.DateTimeField(auto_now_add=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-month", "county__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["month", "county"], name="one_sample_per_county_month")
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.county_id}"


class SearchReview(VersionedModel):
    """A review of one search: the local inspector's, the independent reviewer's (monthly
    audit), or a panel member's (anonymised, with the body-worn video notes)."""

    class Kind(models.TextChoices):
        INSPECTOR = "inspector", _("Inspector review")
        INDEPENDENT = "independent", _("Independent review")
        PANEL = "panel", _("Panel review")

    class Judgement(models.TextChoices):
        APPROPRIATE = "appropriate", _("Appropriate")
        CONCERNS = "concerns", _("Appropriate with concerns")
        INAPPROPRIATE = "inappropriate", _("Inappropriate")

    search = models.ForeignKey(StopSearch, on_delete=models.PROTECT, related_name="reviews")
    sample = models.ForeignKey(
        AuditSample, on_delete=models.PROTECT, null=True, blank=True, related_name="reviews"
    )
    kind = models.CharField(_("review"), max_length=20, choices=Kind.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(_("due"))
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    grounds_reasonable = models.BooleanField(_("grounds reasonable"), null=True, blank=True)
    record_complete = models.BooleanField(_("record complete"), null=True, blank=True)
    conduct_proportionate = models.BooleanField(_("conduct proportionate"), null=True, blank=True)
    judgement = models.CharField(
        _("judgement"), max_length=20, choices=Judgement.choices, blank=True
    )
    video_notes = models.TextField(_("body-worn video notes"), blank=True, default="")
    learning = models.TextField(_("learning for the officer"), blank=True, default="")
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    officer_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} review of {self.search_id}"


# The reviews of the monthly audit sample (``sampling``), and the reviews made by someone
# outside the police, who see the anonymised record only (``anonymised``).
AUDIT_KINDS = (SearchReview.Kind.INSPECTOR, SearchReview.Kind.INDEPENDENT)
INDEPENDENT_KINDS = (SearchReview.Kind.INDEPENDENT, SearchReview.Kind.PANEL)


class StreetCrime(models.Model):
    """A police.uk street-level crime row (for the "Drugs" crime trend)."""

    crime_id = models.CharField(max_length=64, blank=True, default="")
    month = models.DateField(db_index=True)
    reported_by = models.CharField(max_length=100)
    falls_within = models.CharField(max_length=100)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    location = models.CharField(max_length=200, blank=True, default="")
    lsoa_code = models.CharField(max_length=9, blank=True, default="")
    lsoa_name = models.CharField(max_length=100, blank=True, default="")
    crime_type = models.CharField(max_length=60, db_index=True)
    last_outcome = models.CharField(max_length=200, blank=True, default="")
    context = models.TextField(blank=True, default="")
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="crimes")
    source_key = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["-month", "pk"]

    def __str__(self) -> str:
        return f"{self.crime_type} {self.month:%Y-%m}"
