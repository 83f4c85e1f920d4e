"""Messages to the referred person about their appointments (GOV.UK Notify, SMS or email).

One row per message: the confirmation of a booking and the reminders two days and two hours
before it. The row is the outbox and the send log at once: it is what the worker sends,
what local mode records instead of sending, and what Notify's delivery callbacks update.

The unique key is (appointment, kind, channel, the appointment time it is for): a message
is never queued or sent twice for the same appointment time, and a rescheduled appointment
gets its own confirmation and reminders for its new time (the old unsent ones are
cancelled). The phone number or email address is kept only until the message reaches a
final status (data minimisation, UK GDPR Art. 5(1)(c)).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    CONFIRMATION = "appointment_confirmation", _("Appointment confirmation")
    REMINDER_2_DAYS = "reminder_2_days", _("Reminder two days before")
    REMINDER_2_HOURS = "reminder_2_hours", _("Reminder two hours before")


class Channel(models.TextChoices):
    SMS = "sms", _("Text message")
    EMAIL = "email", _("Email")
    # No channel the person agreed to: a row kept for the outbox and the measure, never sent.
    NONE = "none", _("None (no consent)")


class MessageStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent (accepted by Notify)")
    DELIVERED = "delivered", _("Delivered")
    PERMANENT_FAILURE = "permanent-failure", _("Not delivered: permanent failure")
    TEMPORARY_FAILURE = "temporary-failure", _("Not delivered: temporary failure")
    TECHNICAL_FAILURE = "technical-failure", _("Not delivered: technical failure")
    RECORDED_LOCALLY = "recorded_locally", _("Recorded locally (not sent)")
    CANCELLED = "cancelled", _("Cancelled")
    NOT_SENT_NO_CONSENT = "not_sent_no_consent", _("Not sent: no consent")


# Statuses after which nothing more happens to the message: the address is cleared.
FINAL = frozenset(
    {
        MessageStatus.DELIVERED,
        MessageStatus.PERMANENT_FAILURE,
        MessageStatus.TEMPORARY_FAILURE,
        MessageStatus.TECHNICAL_FAILURE,
        MessageStatus.RECORDED_LOCALLY,
        MessageStatus.CANCELLED,
        MessageStatus.NOT_SENT_NO_CONSENT,
    }
)
# The message reached the person, or would have (local mode): counts as "reminded".
REACHED = frozenset({MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.RECORDED_LOCALLY})


class PersonMessage(models.Model):
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="person_messages"
    )
    appointment = models.ForeignKey(
        "referrals.Appointment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="person_messages",
    )
    kind = models.CharField(_("message"), max_length=30, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=2, default="en")
    # The appointment time the message is about (part of the unique key, see the docstring).
    for_starts_at = models.DateTimeField(_("appointment time"))
    to = models.CharField(max_length=254, blank=True, default="")
    body = models.TextField(_("text"), blank=True, default="")
    status = models.CharField(
        _("status"), max_length=30, choices=MessageStatus.choices, default=MessageStatus.SCHEDULED
    )
    due_at = models.DateTimeField(_("due"))
    attempts = models.PositiveSmallIntegerField(default=0)
    # The last attempt may have reached Notify (a timeout, a 5xx): look it up before resending.
    uncertain = models.BooleanField(default=False)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True, default="")
    notify_id = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("message to a referred person")
        verbose_name_plural = _("messages to referred people")
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "kind", "channel", "for_starts_at"],
                name="reminders_one_message_per_appointment_time",
            )
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="reminders_due_idx")]

    def __str__(self) -> str:
        return f"message {self.pk} ({self.kind}, {self.channel})"

    @property
    def reference(self) -> str:
        return f"pontio-msg-{self.pk}"
