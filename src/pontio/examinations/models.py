"""Digital media examination (issue 18 part 5): requests to examine seized devices, the
examiners who take them, and their results recorded without the extracted content.

- ``ExaminerProfile``: a user of the digital media examiner role, in a unit (a local digital
  media investigator of one county, or the central unit), trained for some levels, from a
  date (so the capacity page can show when local capacity was added); a supervisor assigns
  requests to others.
- ``ExaminationRequest``: one request, from exactly one source (an operation, an
  intelligence report or a custody record: one foreign key each, a check constraint keeps
  exactly one), with its legal basis (``vocab.LegalBasis``), its
  level, priority and reason, the county it is examined for, its status, who holds it, the
  working-day due date and, once done, the result: a short summary that is not content, and
  the report reference. The examination report itself stays in the forensic system.
- ``Device``: one seized device of a request, by its exhibit reference, with its outcome
  category and the count of items of interest (a number, never the items).
- ``StatusChange``: every move of a request (who, when, from, to), DESIGN.md §4.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pontio.core.models import County, VersionedModel
from pontio.examinations.vocab import (
    DeviceKind,
    LegalBasis,
    Level,
    Outcome,
    Priority,
    SourceKind,
    Status,
    Unit,
)


class ExaminerProfile(VersionedModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="examiner_profile",
        verbose_name=_("examiner"),
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    # A local investigator examines the devices of one county; the central unit any.
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("county"),
    )
    trained_triage = models.BooleanField(_("trained for triage"), default=True)
    trained_logical = models.BooleanField(_("trained for logical extraction"), default=False)
    trained_full = models.BooleanField(_("trained for full extraction"), default=False)
    supervisor = models.BooleanField(_("assigns work to others"), default=False)
    active_from = models.DateField(_("examining from"))
    active_to = models.DateField(_("examining until"), null=True, blank=True)

    class Meta:
        ordering = ["unit", "county_id", "user_id"]
        verbose_name = _("examiner profile")
        verbose_name_plural = _("examiner profiles")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(unit="local", county__isnull=False))
                | models.Q(unit="central", county__isnull=True),
                name="examiner_local_has_county",
            )
        ]

    def __str__(self) -> str:
        return str(self.user)

    def trained_for(self, level: str) -> bool:
        trained: dict[str, bool] = {
            Level.TRIAGE: self.trained_triage,
            Level.LOGICAL: self.trained_logical,
            Level.FULL: self.trained_full,
        }
        return trained.get(level, False)


class ExaminationRequest(VersionedModel):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    source_kind = models.CharField(_("source"), max_length=15, choices=SourceKind.choices)
    custody_record = models.ForeignKey(
        "custody.CustodyRecord",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("custody record"),
    )
    operation = models.ForeignKey(
        "operations.Operation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("operation"),
    )
    intelligence_report = models.ForeignKey(
        "intelligence.IntelligenceReport",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("intelligence report"),
    )
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    legal_basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis.choices)
    # The warrant's or consent form's number, where the basis is such a document.
    legal_basis_reference = models.CharField(
        _("warrant or consent reference"), max_length=40, blank=True, default=""
    )
    level = models.CharField(_("examination level"), max_length=10, choices=Level.choices)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices)
    priority_rank = models.PositiveSmallIntegerField(default=2, editable=False)
    priority_reason = models.CharField(_("reason for the priority"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), db_index=True)
    requested_on = models.DateField(_("requested on"), db_index=True)
    due_on = models.DateField(_("due"))
    assigned_to = models.ForeignKey(
        ExaminerProfile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("examiner"),
    )
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    completed_on = models.DateField(_("result recorded on"), null=True, blank=True)
    # Working days from the request to the result (stored: the capacity page's medians).
    working_days_taken = models.PositiveIntegerField(null=True, blank=True)
    result_summary = models.CharField(_("summary of the result"), max_length=300, blank=True)
    report_reference = models.CharField(_("report reference"), max_length=40, blank=True)
    withdrawn_reason = models.CharField(_("reason for withdrawing"), max_length=200, blank=True)

    class Meta:
        ordering = ["priority_rank", "due_on", "requested_at", "pk"]
        verbose_name = _("examination request")
        verbose_name_plural = _("examination requests")
        constraints = [
            # Exactly one source, the one its kind names.
            models.CheckConstraint(
                condition=models.Q(
                    source_kind="custody",
                    custody_record__isnull=False,
                    operation__isnull=True,
                    intelligence_report__isnull=True,
                )
                | models.Q(
                    source_kind="operation",
                    operation__isnull=False,
                    custody_record__isnull=True,
                    intelligence_report__isnull=True,
                )
                | models.Q(
                    source_kind="intelligence",
                    intelligence_report__isnull=False,
                    custody_record__isnull=True,
                    operation__isnull=True,
                ),
                name="examination_one_source",
            ),
        ]
        indexes = [models.Index(fields=["status", "county"], name="exam_status_county")]

    def __str__(self) -> str:
        return self.reference


class Device(models.Model):
    request = models.ForeignKey(
        ExaminationRequest, on_delete=models.CASCADE, related_name="devices"
    )
    kind = models.CharField(_("type of device"), max_length=10, choices=DeviceKind.choices)
    exhibit_reference = models.CharField(_("exhibit reference"), max_length=30)
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices, blank=True)
    items_of_interest = models.PositiveIntegerField(
        _("number of items of interest"), null=True, blank=True
    )

    class Meta:
        ordering = ["request_id", "pk"]
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "exhibit_reference"], name="exam_device_exhibit_unique"
            )
        ]

    def __str__(self) -> str:
        return self.exhibit_reference


class StatusChange(models.Model):
    request = models.ForeignKey(
        ExaminationRequest, on_delete=models.CASCADE, related_name="changes"
    )
    from_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["request_id", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_status} -> {self.to_status}"
