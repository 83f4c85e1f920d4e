"""Shared base models: versioning for optimistic concurrency, reference data, areas."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any, ClassVar, Self

from django.db import models
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from pontio.core.i18n import in_active_language


@functools.cache
def _choice_labels(field: models.Field[Any, Any]) -> dict[Any, Any]:
    """A field's value -> label table, built once per field (the labels stay lazy)."""
    return dict(field.flatchoices)


class ChoiceLabelsMixin:
    """``get_FOO_display()`` from a table built once per field.

    Django's own builds the table on every call, hashing (and so translating) every label:
    in a list of 25 rows with three coded columns that was a third of the page's time.
    """

    def _get_FIELD_display(self, field: models.Field[Any, Any]) -> Any:
        value = getattr(self, field.attname)
        try:
            label = _choice_labels(field).get(value, value)
        except TypeError:  # an unhashable value: Django's way copes with it
            return super()._get_FIELD_display(field)  # type: ignore[misc]
        return force_str(label, strings_only=True)


class VersionedModel(ChoiceLabelsMixin, models.Model):
    """A row that is edited by people: every update must name the version it started from.

    The check lives in ``pontio.core.concurrency.bump_version``; services call it so that a
    second editor working from a stale copy is told, instead of silently overwriting.
    """

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class ReferenceDataQuerySet(models.QuerySet):
    def effective(self, on: dt.date | None = None) -> Self:
        """Rows in force on a date (today by default): valid_from <= on < valid_to."""
        on = on or timezone.localdate()
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=on),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=on),
        )


class ReferenceData(VersionedModel):
    """Coded reference data with English and Welsh labels and effective dates.

    Codes are never reused or deleted: a code that stops applying gets a ``valid_to`` so
    that historic records still resolve to the label they were made with.
    """

    code = models.CharField(_("code"), max_length=40, unique=True)
    label_en = models.CharField(_("label (English)"), max_length=200)
    label_cy = models.CharField(_("label (Welsh)"), max_length=200)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("The first day it no longer applies.")
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    objects = ReferenceDataQuerySet.as_manager()

    class Meta(VersionedModel.Meta):
        abstract = True
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The label in the active language, falling back to English if Welsh is missing."""
        return in_active_language(self.label_en, self.label_cy)

    def is_effective(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or on < self.valid_to
        )

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.valid_from and self.valid_to and self.valid_to <= self.valid_from:
            raise ValidationError({"valid_to": _("The end date must be after the start date.")})


class CountyManager(models.Manager["County"]):
    """Counties without their boundary unless asked (``.defer(None)``): the GeoJSON is
    about 80 kB a county, and parsing it for every list that names a county cost more
    than the rest of such a page."""

    def get_queryset(self) -> ReferenceDataQuerySet:
        return ReferenceDataQuerySet(self.model, using=self._db).defer("boundary")

    def effective(self, on: dt.date | None = None) -> ReferenceDataQuerySet:
        return self.get_queryset().effective(on)


class County(ReferenceData):
    """A principal area (county) of the force area, identified by its ONS code (W06…).

    The boundary is the ONS generalised local-authority boundary (GeoJSON geometry,
    WGS84), kept for maps and for placing a point in a county.
    """

    ons_code = models.CharField(_("ONS code"), max_length=9, unique=True)
    boundary = models.JSONField(_("boundary"), default=dict, blank=True)

    objects: ClassVar[CountyManager] = CountyManager()  # type: ignore[assignment]

    class Meta(ReferenceData.Meta):
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def natural_key(self) -> tuple[str]:
        return (self.ons_code,)


def snapshot_fields(instance: models.Model, exclude: set[str] | None = None) -> dict[str, Any]:
    """The concrete field values of a row, JSON-ready, for before/after change records."""
    exclude = exclude or set()
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude:
            continue
        value = field.value_from_object(instance)
        data[field.name] = value
    return data


class Notification(models.Model):
    """An outgoing GOV.UK Notify message. It carries a link, never personal data.

    The recipient address is needed to send it; it is kept here (not in logs) and cleared
    once the message is delivered or abandoned.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        NOT_CONFIGURED = "not_configured", _("Not sent: Notify is not configured")
        # Local mode (no key, or PONTIO_NOTIFY_MODE=local): nothing leaves Pontio by design.
        RECORDED_LOCALLY = "recorded_locally", _("Recorded locally")
        FAILED = "failed", _("Failed")

    template = models.CharField(_("template"), max_length=60)
    language = models.CharField(_("language"), max_length=2, default="en")
    recipient_user_id = models.BigIntegerField(null=True, blank=True)
    email_address = models.EmailField(blank=True)
    link = models.URLField(max_length=500)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    notify_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"notification {self.pk} ({self.template})"
