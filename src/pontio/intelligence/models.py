"""Drug intelligence: submissions, assessment, sharing and "you said, we did" (DOMAIN.md §6).

- ``IntelligenceReport``: one submission (public, officer or partner) and its assessment:
  the grading as separate coded fields with the scheme (3x5x2, or legacy 5x5x5 kept as
  recorded and never converted), the sanitised text, the priority and its reason, the
  links to people, places and other reports, and the public status (received -> assessed
  -> actioned).
- ``ReportOriginal``: the text as submitted, apart from the report so that its own scope
  policy lets only intelligence officers read it.
- ``ReportAction``: actions taken and their results (append-only).
- ``ReportShare``: a share with an organisation; a C-coded item is pending until the
  recipient accepts the recorded condition.
- ``ReportPersonLink``: a link to a person record (through ``restrict``).
- ``ReportEvent``: each status move (who, when, from, to).
- ``CommunitySummary``: an approved "you said, we did" line, by county and month.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pontio.core.models import ChoiceLabelsMixin, VersionedModel


class Channel(models.TextChoices):
    PUBLIC = "public", _("Member of the public")
    OFFICER = "officer", _("Police officer or staff")
    PARTNER = "partner", _("Partner organisation")


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSESSED = "assessed", _("Assessed")
    ACTIONED = "actioned", _("Actioned")


class WhenSeen(models.TextChoices):
    """Approximate only: the public is never asked for an exact date or time."""

    TODAY = "today", _("Today")
    THIS_WEEK = "this_week", _("In the last week")
    THIS_MONTH = "this_month", _("In the last month")
    LONGER = "longer", _("More than a month ago")
    ONGOING = "ongoing", _("It is still happening")


class HowKnown(models.TextChoices):
    SAW = "saw", _("I saw or heard it myself")
    TOLD = "told", _("Someone told me")
    SUSPECT = "suspect", _("I suspect it")
    OTHER = "other", _("Another way")


class Scheme(models.TextChoices):
    THREE_FIVE_TWO = "3x5x2", _("3x5x2 (current)")
    FIVE_FIVE_FIVE = "5x5x5", _("5x5x5 (legacy)")


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class IntelligenceReport(VersionedModel):
    """A piece of intelligence from its submission to its actions.

    The grading is three coded fields whose meaning depends on ``scheme`` (see
    ``grading.py``); a 5x5x5 record keeps its own codes and is never mapped to 3x5x2, because
    the two scales do not align (College of Policing APP, intelligence management).
    """

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    channel = models.CharField(_("submitted by"), max_length=10, choices=Channel.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intelligence_submitted",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intelligence_submitted",
        verbose_name=_("submitting organisation"),
    )
    received_at = models.DateTimeField(_("received"))
    county = models.ForeignKey(
        "core.County", on_delete=models.PROTECT, related_name="intelligence_reports"
    )
    area = models.CharField(_("area or place"), max_length=200, blank=True, default="")
    when_seen = models.CharField(
        _("when"), max_length=12, choices=WhenSeen.choices, default=WhenSeen.THIS_MONTH
    )
    how_known = models.CharField(
        _("how they know"), max_length=10, choices=HowKnown.choices, default=HowKnown.OTHER
    )
    # The hash of the one-time secret given to a public submitter (never the secret).
    secret_hash = models.CharField(max_length=128, blank=True, default="", editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.RECEIVED
    )

    # Grading: separate coded fields, meaning given by the scheme.
    scheme = models.CharField(
        _("grading scheme"), max_length=5, choices=Scheme.choices, blank=True, default=""
    )
    source_code = models.CharField(_("source evaluation"), max_length=1, blank=True, default="")
    information_code = models.CharField(
        _("information assessment"), max_length=1, blank=True, default=""
    )
    handling_code = models.CharField(_("handling code"), max_length=1, blank=True, default="")
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    graded_at = models.DateTimeField(_("graded"), null=True, blank=True)

    sanitised_text = models.TextField(_("sanitised text"), blank=True, default="")
    sanitised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sanitised_at = models.DateTimeField(_("sanitised"), null=True, blank=True)

    priority = models.CharField(
        _("priority"), max_length=6, choices=Priority.choices, blank=True, default=""
    )
    priority_reason = models.TextField(_("reason for the priority"), blank=True, default="")

    linked_reports = models.ManyToManyField(
        "self", symmetrical=True, blank=True, verbose_name=_("linked reports")
    )

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("intelligence report")
        verbose_name_plural = _("intelligence reports")
        indexes = [
            models.Index(fields=["status", "priority"]),
            models.Index(fields=["county", "received_at"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_graded(self) -> bool:
        return bool(self.scheme and self.source_code and self.information_code)

    @property
    def grading(self) -> str:
        """The grade as written on the record: "2/B/P" (3x5x2) or "B/2/4" (5x5x5)."""
        if not self.is_graded:
            return ""
        return f"{self.source_code}/{self.information_code}/{self.handling_code}"


class ReportOriginal(models.Model):
    """The text as submitted. Apart from the report: only intelligence officers read it."""

    report = models.OneToOneField(
        IntelligenceReport, on_delete=models.CASCADE, related_name="original"
    )
    text = models.TextField(_("what was reported"))

    class Meta:
        verbose_name = _("original submission")

    def __str__(self) -> str:
        return f"original of {self.report_id}"


class ReportPersonLink(models.Model):
    report = models.ForeignKey(
        IntelligenceReport, on_delete=models.CASCADE, related_name="person_links"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="intelligence_links"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "person"], name="intel_unique_person_link")
        ]

    def __str__(self) -> str:
        return f"{self.report_id}->{self.person_id}"


class ReportAction(ChoiceLabelsMixin, models.Model):
    """An action taken on a report, with its result (append-only)."""

    report = models.ForeignKey(IntelligenceReport, on_delete=models.CASCADE, related_name="actions")
    action = models.TextField(_("action taken"))
    result = models.TextField(_("result"), blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"action {self.pk} on {self.report_id}"


class ShareStatus(models.TextChoices):
    PENDING = "pending", _("Pending acceptance")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class ReportShare(ChoiceLabelsMixin, models.Model):
    """A share of the sanitised report with an organisation.

    Handling code C (3x5x2: lawful sharing with conditions) needs its condition recorded, and
    the share stays pending until someone for the recipient accepts it.
    """

    report = models.ForeignKey(IntelligenceReport, on_delete=models.CASCADE, related_name="shares")
    recipient = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="intelligence_received",
        verbose_name=_("recipient organisation"),
    )
    handling_code = models.CharField(_("handling code"), max_length=1)
    condition = models.TextField(_("handling condition"), blank=True, default="")
    status = models.CharField(
        _("status"), max_length=10, choices=ShareStatus.choices, default=ShareStatus.PENDING
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shared_at = models.DateTimeField(_("shared"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("accepted or declined"), null=True, blank=True)

    class Meta:
        ordering = ["-shared_at", "-pk"]

    def __str__(self) -> str:
        return f"share {self.pk} of {self.report_id}"


class ReportEvent(ChoiceLabelsMixin, models.Model):
    report = models.ForeignKey(IntelligenceReport, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=ReportStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_status}->{self.to_status}"


class SummaryStatus(models.TextChoices):
    DRAFT = "draft", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CommunitySummary(VersionedModel):
    """A "you said, we did" line for a county's public page.

    Built only from sanitised text an intelligence officer approves; the page shows the
    month, never a finer date, and never the source, a person or an address.
    """

    county = models.ForeignKey("core.County", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    report = models.ForeignKey(
        IntelligenceReport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="summaries",
    )
    you_said_en = models.TextField(_("you said (English)"))
    you_said_cy = models.TextField(_("you said (Welsh)"))
    we_did_en = models.TextField(_("we did (English)"))
    we_did_cy = models.TextField(_("we did (Welsh)"))
    status = models.CharField(
        _("status"), max_length=10, choices=SummaryStatus.choices, default=SummaryStatus.DRAFT
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    class Meta:
        ordering = ["-month", "-pk"]
        verbose_name = _("you said, we did line")
        verbose_name_plural = _("you said, we did lines")

    def __str__(self) -> str:
        return f"summary {self.pk}"
