"""Oversight records: reviews, their recommendations and dated positions, the boards that
monitor them, and the Police and Crime Panel reports generated from them.

None of these holds personal data: a recommendation names an owner by organisation and
post, never by person. Free text is kept in English and in Welsh side by side (the force
publishes both); an empty Welsh text is shown as untranslated, never silently replaced.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pontio.core.i18n import in_active_language as in_language
from pontio.core.models import VersionedModel


class Board(VersionedModel):
    """A governance board that monitors recommendations (e.g. the Force Gold Operations
    Board, the Strategic Custody and Criminal Justice Board, the Policing Board)."""

    name_en = models.CharField(_("name (English)"), max_length=200, unique=True)
    name_cy = models.CharField(_("name (Welsh)"), max_length=200, blank=True)
    chair_en = models.CharField(_("chaired by (English)"), max_length=200, blank=True)
    chair_cy = models.CharField(_("chaired by (Welsh)"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="boards",
        verbose_name=_("organisation"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("board")
        verbose_name_plural = _("boards")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.name_en, self.name_cy)

    @property
    def chair(self) -> str:
        return in_language(self.chair_en, self.chair_cy)


class ReviewKind(models.TextChoices):
    DEEP_DIVE = "deep_dive", _("Scrutiny deep dive")
    INSPECTION = "inspection", _("Inspection")
    DEATH_REVIEW = "death_review", _("Drug-related death review")


# The sections of a Panel report kept as editable text with the review (the report's
# headings follow the Commissioner's progress reports to the Police and Crime Panel).
REPORT_SECTIONS: tuple[tuple[str, str], ...] = (
    ("purpose", "Purpose of the report"),
    ("executive_summary", "Executive summary"),
    ("outcome", "Outcome"),
    ("situation", "Situation"),
)


class Review(VersionedModel):
    kind = models.CharField(_("type of review"), max_length=20, choices=ReviewKind.choices)
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_cy = models.CharField(_("title (Welsh)"), max_length=300, blank=True)
    published_on = models.DateField(_("published"))
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="reviews",
        verbose_name=_("led by"),
    )
    purpose_en = models.TextField(_("purpose (English)"), blank=True)
    purpose_cy = models.TextField(_("purpose (Welsh)"), blank=True)
    executive_summary_en = models.TextField(_("executive summary (English)"), blank=True)
    executive_summary_cy = models.TextField(_("executive summary (Welsh)"), blank=True)
    outcome_en = models.TextField(_("outcome (English)"), blank=True)
    outcome_cy = models.TextField(_("outcome (Welsh)"), blank=True)
    situation_en = models.TextField(_("situation (English)"), blank=True)
    situation_cy = models.TextField(_("situation (Welsh)"), blank=True)

    class Meta:
        ordering = ["-published_on", "pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_language(self.title_en, self.title_cy)


class BackgroundPaper(models.Model):
    """A paper the report lists as background (the original review, the force's response)."""

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="papers", verbose_name=_("review")
    )
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_cy = models.CharField(_("title (Welsh)"), max_length=300, blank=True)
    url = models.URLField(_("web address"), max_length=500)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["review_id", "sort_order", "pk"]
        verbose_name = _("background paper")
        verbose_name_plural = _("background papers")

    def __str__(self) -> str:
        return self.title_en

    @property
    def title(self) -> str:
        return in_language(self.title_en, self.title_cy)


class Rag(models.TextChoices):
    """Red, amber, green, and complete (the blue of the BRAG scale boards use)."""

    RED = "red", _("Red: off track")
    AMBER = "amber", _("Amber: at risk")
    GREEN = "green", _("Green: on track")
    COMPLETE = "complete", _("Complete")


class Recommendation(VersionedModel):
    review = models.ForeignKey(
        Review,
        on_delete=models.PROTECT,
        related_name="recommendations",
        verbose_name=_("review"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text_en = models.TextField(_("recommendation (English)"))
    text_cy = models.TextField(_("recommendation (Welsh)"), blank=True)
    owner_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="owned_recommendations",
        verbose_name=_("owner organisation"),
    )
    owner_post = models.CharField(_("owner's post"), max_length=200)
    board = models.ForeignKey(
        Board,
        on_delete=models.PROTECT,
        related_name="recommendations",
        verbose_name=_("monitored by"),
    )
    due_on = models.DateField(_("due"))
    # How often the owner reports a position (days); the next one is due this long after
    # the last position's date (or after the review was published, before the first).
    update_every_days = models.PositiveSmallIntegerField(_("update every (days)"), default=90)
    # The facts (oversight.facts keys) that show the recommendation's effect in a report.
    figure_keys = models.JSONField(_("key figures"), default=list, blank=True)
    # The current status, kept with the latest position (its history is the positions).
    rag = models.CharField(_("status"), max_length=10, choices=Rag.choices, default=Rag.AMBER)
    last_position_on = models.DateField(_("last position"), null=True, blank=True)
    # The due date the owner was last reminded of (so each due update is reminded once).
    reminded_for = models.DateField(_("reminded for"), null=True, blank=True)

    class Meta:
        ordering = ["review_id", "number"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "number"], name="recommendation_number_unique"
            )
        ]
        indexes = [models.Index(fields=["board", "rag"], name="recommendation_board_rag")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"

    @property
    def text(self) -> str:
        return in_language(self.text_en, self.text_cy)

    def next_update_due(self) -> dt.date | None:
        """When the owner's next position is due; none once the recommendation is complete."""
        if self.rag == Rag.COMPLETE:
            return None
        start = self.last_position_on or self.review.published_on
        return start + dt.timedelta(days=self.update_every_days)


class PositionUpdate(models.Model):
    """A dated position on a recommendation, as reported to a board; never edited, so the
    RAG history is the sequence of positions. A correction is a new position."""

    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.PROTECT,
        related_name="positions",
        verbose_name=_("recommendation"),
    )
    as_of = models.DateField(_("position as of"))
    text_en = models.TextField(_("position (English)"))
    text_cy = models.TextField(_("position (Welsh)"), blank=True)
    rag = models.CharField(_("status"), max_length=10, choices=Rag.choices)
    reported_to = models.ForeignKey(
        Board,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name=_("reported to"),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered"), auto_now_add=True)

    class Meta:
        ordering = ["recommendation_id", "as_of", "pk"]
        verbose_name = _("position update")
        verbose_name_plural = _("position updates")
        indexes = [models.Index(fields=["recommendation", "-as_of"], name="position_latest")]

    def __str__(self) -> str:
        return f"{self.recommendation_id} {self.as_of.isoformat()} {self.rag}"

    @property
    def text(self) -> str:
        return in_language(self.text_en, self.text_cy)


class EvidenceLink(models.Model):
    position = models.ForeignKey(
        PositionUpdate,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("position"),
    )
    label = models.CharField(_("what it is"), max_length=200)
    url = models.URLField(_("web address"), max_length=500)

    class Meta:
        ordering = ["position_id", "pk"]
        verbose_name = _("evidence link")
        verbose_name_plural = _("evidence links")

    def __str__(self) -> str:
        return self.label


class ReportLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    WELSH = "cy", _("Welsh")
    BOTH = "both", _("English and Welsh side by side")


class PanelReport(models.Model):
    """A generated Police and Crime Panel report, stored as produced: its PDF and HTML are
    downloaded again byte for byte, whatever has changed in the tracker since."""

    review = models.ForeignKey(
        Review, on_delete=models.PROTECT, related_name="reports", verbose_name=_("review")
    )
    as_of = models.DateField(_("positions as of"))
    language = models.CharField(_("language"), max_length=4, choices=ReportLanguage.choices)
    # What went in: the section texts, each recommendation's position at the date and the
    # figures (values, definitions, sources), so the report can be explained later.
    inputs = models.JSONField(_("inputs"), default=dict)
    html = models.TextField(_("web page"))
    pdf = models.BinaryField(_("PDF"))
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    produced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    produced_at = models.DateTimeField(_("produced"), auto_now_add=True)

    class Meta:
        ordering = ["-produced_at", "-pk"]
        verbose_name = _("Panel report")
        verbose_name_plural = _("Panel reports")

    def __str__(self) -> str:
        return f"{self.review_id} {self.as_of.isoformat()} {self.language}"


class AwardKind(models.TextChoices):
    CONTRACT = "contract", _("Contract")
    GRANT = "grant", _("Grant")


class AwardPurpose(models.TextChoices):
    TREATMENT = "treatment", _("Substance misuse treatment")
    DIVERSION = "diversion", _("Diversion from the justice system")
    PREVENTION = "prevention", _("Prevention and early intervention")
    HARM_REDUCTION = "harm_reduction", _("Harm reduction")
    OTHER = "other", _("Other")


class CommissioningAward(VersionedModel):
    """A contract or grant the Commissioner's office awards a provider: what the facts'
    "invested in treatment and diversion" adds up, record by record."""

    kind = models.CharField(_("type"), max_length=10, choices=AwardKind.choices)
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_cy = models.CharField(_("title (Welsh)"), max_length=300, blank=True)
    funder = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="awards_made",
        verbose_name=_("funder"),
    )
    provider = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="awards",
        verbose_name=_("provider"),
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=AwardPurpose.choices)
    # Pounds, to the penny; the value of the award over its whole period.
    value = models.DecimalField(_("value (£)"), max_digits=12, decimal_places=2)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    county = models.ForeignKey(
        "core.County",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("county (empty for force-wide)"),
    )

    class Meta:
        ordering = ["-starts_on", "reference"]
        verbose_name = _("commissioning award")
        verbose_name_plural = _("commissioning awards")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="award_period_ordered",
            ),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="award_value_positive"),
        ]

    @property
    def title(self) -> str:
        return in_language(self.title_en, self.title_cy)


class ProviderReturn(models.Model):
    """A provider's quarterly return to the commissioner: the counts behind the treatment
    outcome facts, for everyone the provider treated (not only Pontio's referrals). The
    quarter's total referrals stay in ``referrals.ProviderReferralTotal``."""

    provider = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="quarterly_returns",
        verbose_name=_("provider"),
    )
    quarter_start = models.DateField(_("first day of the quarter"))
    in_treatment = models.PositiveIntegerField(_("people in treatment"))
    reviewed = models.PositiveIntegerField(
        _("people with a review or exit outcome profile in the quarter")
    )
    reduced_use = models.PositiveIntegerField(
        _("of those, people who reduced or stopped their use")
    )
    completed = models.PositiveIntegerField(_("people who completed treatment"), default=0)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered"))

    class Meta:
        ordering = ["-quarter_start", "provider_id"]
        verbose_name = _("provider quarterly return")
        verbose_name_plural = _("provider quarterly returns")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "quarter_start"], name="provider_return_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(reduced_use__lte=models.F("reviewed")),
                name="return_reduced_within_reviewed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider_id} {self.quarter_start.isoformat()}"


class CrimeCount(models.Model):
    """Street-level crimes of one type in one month and county, counted from a police.uk
    street CSV (data.police.uk, Open Government Licence): the drug crime trend's source.
    police.uk publishes one row per crime with its LSOA; Pontio keeps only the counts."""

    month = models.DateField(_("month"))
    force = models.CharField(_("police force"), max_length=100)
    county = models.ForeignKey(
        "core.County",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("county"),
    )
    # The local authority of the crimes' LSOA when it is not one of Pontio's counties.
    area_name = models.CharField(_("local authority"), max_length=100, blank=True)
    crime_type = models.CharField(_("crime type"), max_length=60)
    count = models.PositiveIntegerField(_("crimes"))
    source_file = models.CharField(_("file"), max_length=200)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        ordering = ["month", "force", "crime_type"]
        verbose_name = _("police.uk crime count")
        verbose_name_plural = _("police.uk crime counts")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "force", "area_name", "crime_type"],
                name="crime_count_unique",
            )
        ]
        indexes = [models.Index(fields=["crime_type", "month"], name="crime_count_type_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.force} {self.area_name} {self.crime_type}: {self.count}"
