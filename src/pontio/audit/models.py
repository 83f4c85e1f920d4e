"""The append-only, hash-chained audit log.

An event says who did what to which record, when, from where and why. It holds ids, never
names or other personal data. The before/after values of a change are personal data, so
they live in ``ChangeRecord`` (auditors only), and the event carries the SHA-256 digest of
that record: the values are covered by the chain, yet can be erased under a retention
decision without breaking it. See docs/decisions.md (D4).
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.utils.translation import gettext_lazy as _

from pontio.core.recording import kind_choices


class LogEvent(models.TextChoices):
    """The audit log's own event kind. Every other kind is registered by the app that
    records it (``core.recording.register_kinds``): the log stores kinds it does not know."""

    VERIFY = "verify", _("Log verified")


class AppendOnlyError(RuntimeError):
    pass


class AuditEvent(models.Model):
    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True)
    occurred_at = models.DateTimeField(_("when"), db_index=True)
    actor_id = models.BigIntegerField(_("user id"), null=True, blank=True, db_index=True)
    actor_organisation_id = models.BigIntegerField(_("organisation id"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=30, choices=kind_choices)
    object_type = models.CharField(_("record type"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("record id"), max_length=64, blank=True, db_index=True)
    person_id = models.CharField(
        _("person id"),
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_("The person whose record this is about, when there is one."),
    )
    fields = models.JSONField(_("fields changed"), default=list, blank=True)
    change_digest = models.CharField(max_length=64, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=32, blank=True)
    view_name = models.CharField(_("page or endpoint"), max_length=100, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-sequence"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"audit {self.sequence}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be deleted.")


class ChangeRecord(models.Model):
    """Before/after values of one change event (personal data: auditors only)."""

    event = models.OneToOneField(AuditEvent, on_delete=models.PROTECT, related_name="change")
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"change {self.event_id}"


class ChainHead(models.Model):
    """A single row: the last sequence and hash. Locking it serialises appends."""

    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"head {self.sequence}"
