"""Referrals: a police contact sent to a support provider, worked, and fed back.

The lifecycle follows the HL7 FHIR R4 ``Task`` status codes (requested, received, accepted,
rejected, in-progress, on-hold, completed, failed, cancelled); ``lifecycle.py`` holds the
allowed moves and the one function that makes them. Reasons for rejecting, holding,
cancelling and closing are coded (``ReferralCode``): closure codes are the Welsh national
(WNDSM/StatsWales) reasons for closure, see ../shared/DOMAIN.md §4.1.

What travels with a referral is a copy of the contact route the officer confirmed (phone,
address or custody release plan): the provider must be able to reach the person even if the
police record changes later, and the copy shows what was known when it was sent.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_stubs_ext import StrOrPromise

from pontio.core.models import County, ReferenceData, VersionedModel
from pontio.people.models import ConsentRecord, Language


class Pathway(models.TextChoices):
    """The police contact the referral comes from (DESIGN.md §2.3)."""

    TEST_ON_ARREST = "test_on_arrest", _("Arrest or drug test on arrest")
    CUSTODY = "custody", _("Custody")
    STOP_SEARCH = "stop_search", _("Stop and search")
    OOCD = "oocd", _("Out-of-court disposal condition")
    DIVERSION = "diversion", _("Diversion scheme")
    VOLUNTARY = "voluntary", _("Voluntary or welfare")


# Pathways where the person has been given a disposal that sends them to a diversion scheme.
DIVERSION_PATHWAYS = frozenset({Pathway.OOCD, Pathway.DIVERSION})
CRIMINAL_JUSTICE_PATHWAYS = frozenset(set(Pathway) - {Pathway.VOLUNTARY})


class Status(models.TextChoices):
    """FHIR R4 TaskStatus codes used by Pontio (draft and ready are not used)."""

    REQUESTED = "requested", _("Requested")
    RECEIVED = "received", _("Received")
    # Context: the directory uses "Accepted" for referrals a service takes, worded differently
    # in Welsh from this status.
    ACCEPTED = "accepted", pgettext_lazy("referral status", "Accepted")
    REJECTED = "rejected", _("Rejected")
    IN_PROGRESS = "in-progress", _("In progress")
    ON_HOLD = "on-hold", _("On hold")
    COMPLETED = "completed", _("Completed")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


FINISHED = frozenset({Status.REJECTED, Status.COMPLETED, Status.FAILED, Status.CANCELLED})
OPEN = frozenset(set(Status) - FINISHED)


class Party(models.TextChoices):
    POLICE = "police", _("Police")
    PROVIDER = "provider", _("Provider")
    NOBODY = "nobody", _("Nobody")


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    TEXT = "text", _("Text message")
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("Home visit")
    EMAIL = "email", _("Email")
    IN_PERSON = "in_person", _("In person")


class ReferralCode(ReferenceData):
    """A coded reason for a move (cla_backend's event codes, as DESIGN.md §5 asks).

    Each code says which move it explains (``kind``), which status it leads to, who may
    choose it, whether the service-level timer stops, and who must act next.
    """

    class Kind(models.TextChoices):
        REJECTION = "rejection", _("Rejection")
        HOLD = "hold", _("Hold")
        CANCELLATION = "cancellation", _("Cancellation")
        CLOSURE = "closure", _("Closure")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    leads_to = models.CharField(_("leads to status"), max_length=20, choices=Status.choices)
    chosen_by = models.CharField(_("chosen by"), max_length=10, choices=Party.choices)
    stops_timer = models.BooleanField(_("stops the service-level timer"), default=True)
    next_actor = models.CharField(_("who acts next"), max_length=10, choices=Party.choices)
    planned = models.BooleanField(
        _("planned closure"), default=False, help_text=_("Counts as a successful completion.")
    )

    class Evidence(models.TextChoices):
        NONE = "", _("Nothing")
        ASSESSMENT = "assessment", _("An assessment")
        TREATMENT_START = "treatment_start", _("A treatment start")

    # What must be recorded before the code can be chosen: a planned completion needs a
    # treatment start, unless the code is the exception that says otherwise (codes.py).
    evidence = models.CharField(
        _("needs"), max_length=20, choices=Evidence.choices, blank=True, default=""
    )

    class Meta(ReferenceData.Meta):
        verbose_name = _("referral reason code")
        verbose_name_plural = _("referral reason codes")


class OutcomeAgainstReason(models.TextChoices):
    """How far the support met the reason the police referred the person for."""

    ACHIEVED = "achieved", _("Achieved")
    PARTLY = "partly", _("Partly achieved")
    NOT_ACHIEVED = "not", _("Not achieved")


class Referral(VersionedModel):
    """One referral of one person to one provider's service."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="referrals")
    pathway = models.CharField(_("police contact"), max_length=20, choices=Pathway.choices)
    source_reference = models.CharField(
        _("contact reference"),
        max_length=40,
        blank=True,
        default="",
        help_text=_("For example a custody record number or a stop and search receipt."),
    )
    reason = models.TextField(_("reason for the referral"))
    substances = models.ManyToManyField(
        "directory.Substance", related_name="referrals", verbose_name=_("substances")
    )
    risk_notes = models.TextField(_("risks to the person or to staff"), blank=True, default="")
    safeguarding_notes = models.TextField(_("safeguarding"), blank=True, default="")
    # What was sent about consent (the provider's copy, like the contact route) ...
    consent_given = models.BooleanField(_("the person consents"))
    lawful_basis = models.CharField(
        _("lawful basis"), max_length=20, choices=ConsentRecord.Basis.choices
    )
    policy_reference = models.CharField(
        _("policy reference"), max_length=120, blank=True, default=""
    )
    # ... and the person's consent record it was recorded as, by the same service call: the
    # one record of the person's consent, on the person's page and on the referral.
    consent = models.ForeignKey(
        ConsentRecord,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consent record"),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices
    )
    contact_channels = models.JSONField(_("how to contact"), default=list)
    contact_times = models.CharField(_("when to contact"), max_length=200, blank=True, default="")
    contact_phone = models.CharField(_("phone number"), max_length=20, blank=True, default="")
    # The address the person gave, with their consent, for the "email" way (RFC 5321 length).
    contact_email = models.EmailField(_("email address"), max_length=254, blank=True, default="")
    address_line_1 = models.CharField(_("address line 1"), max_length=120, blank=True, default="")
    address_line_2 = models.CharField(_("address line 2"), max_length=120, blank=True, default="")
    address_town = models.CharField(_("town or city"), max_length=60, blank=True, default="")
    address_postcode = models.CharField(_("postcode"), max_length=8, blank=True, default="")
    release_plan = models.TextField(_("custody release plan"), blank=True, default="")
    # What a provider needs to reach and support the person well (amendable after sending).
    support_needs = models.TextField(_("what support the person needs"), blank=True, default="")
    interpreter_language = models.CharField(
        _("interpreter needed for"),
        max_length=60,
        blank=True,
        default="",
        help_text=_("The language the person needs an interpreter for, if any."),
    )
    accessibility_needs = models.TextField(
        _("accessibility or communication needs"), blank=True, default=""
    )
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    age_at_referral = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)

    service = models.ForeignKey(
        "directory.Service", on_delete=models.PROTECT, related_name="referrals"
    )
    provider = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("provider"),
    )
    proposed_service = models.ForeignKey(
        "directory.Service",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("proposed service"),
    )
    routing_reason = models.TextField(_("why this service"), blank=True, default="")
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_made"
    )
    referring_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="referrals_made"
    )
    allocated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="referrals_allocated",
        null=True,
        blank=True,
        verbose_name=_("caseworker"),
    )
    transferred_from = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        related_name="transferred_to",
        null=True,
        blank=True,
        verbose_name=_("re-sent from"),
    )
    idempotency_key = models.CharField(max_length=80, blank=True, default="")

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    status_code = models.ForeignKey(
        ReferralCode,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reason code"),
    )
    next_actor = models.CharField(
        _("who acts next"), max_length=10, choices=Party.choices, default=Party.PROVIDER
    )

    sent_at = models.DateTimeField(_("sent"))
    sent_on = models.DateField(_("date sent"), db_index=True)
    first_contact_on = models.DateField(_("first contact attempt"), null=True, blank=True)
    assessed_on = models.DateField(_("assessed"), null=True, blank=True)
    treatment_started_on = models.DateField(_("treatment started"), null=True, blank=True)
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    # Service-level targets (working days after sending); paused days push them back.
    first_contact_due = models.DateField(_("first contact due"))
    assessment_due = models.DateField(_("assessment due"))
    treatment_due = models.DateField(_("treatment start due"))
    timer_stopped_on = models.DateField(null=True, blank=True)
    held_since = models.DateField(null=True, blank=True)
    # The end-of-service summary for the police: the outcome against the reason for the
    # referral, in plain words and never clinical (services.summary).
    outcome_against_reason = models.CharField(
        _("outcome against the reason for referral"),
        max_length=10,
        choices=OutcomeAgainstReason.choices,
        blank=True,
        default="",
    )
    outcome_summary = models.TextField(_("summary for the police"), blank=True, default="")

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.UniqueConstraint(
                fields=["referred_by", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="referral_idempotency_key_unique",
            )
        ]
        indexes = [
            models.Index(fields=["provider", "status"]),
            # The caseload tabs: a caseworker's own, and the unassigned (allocated_to null).
            models.Index(fields=["provider", "allocated_to", "status"]),
            models.Index(fields=["referred_by", "status"]),
        ]

    def __str__(self) -> str:
        return str(self.reference)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def address_display(self) -> str:
        parts = (self.address_line_1, self.address_line_2, self.address_town, self.address_postcode)
        return ", ".join(p for p in parts if p)


class ReferralEvent(models.Model):
    """One move of a referral: who, when, from and to, the code and why."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, related_name="+"
    )
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    code = models.ForeignKey(
        ReferralCode, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Seen by both sides (the police's own words, a provider's message with a rejection).
    reason = models.TextField(_("why"), blank=True, default="")
    # The provider's own note of a move (closing, holding, resuming): it may be clinical, so
    # it is never shown to the police (``lifecycle.reason_is_shared``).
    note = models.TextField(_("provider's note"), blank=True, default="")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M}"


class ContactAttempt(models.Model):
    class Outcome(models.TextChoices):
        NO_ANSWER = "no_answer", _("No answer")
        LEFT_MESSAGE = "left_message", _("Left a message")
        WRONG_NUMBER = "wrong_number", _("Wrong number or address")
        SPOKE = "spoke", _("Spoke to the person")
        DECLINED = "declined", _("The person declined support")
        SENT = "sent", _("Sent (letter, text or email)")

    SUCCESSFUL = frozenset({Outcome.SPOKE, Outcome.DECLINED})

    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="contact_attempts"
    )
    at = models.DateTimeField(_("when"))
    channel = models.CharField(_("how"), max_length=20, choices=ContactChannel.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    notes = models.TextField(_("notes"), blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M}"


class Appointment(VersionedModel):
    class Kind(models.TextChoices):
        ASSESSMENT = "assessment", _("Assessment")
        TREATMENT = "treatment", _("Treatment or key work")
        REVIEW = "review", _("Review")

    class Attendance(models.TextChoices):
        BOOKED = "booked", _("Booked")
        ATTENDED = "attended", _("Attended")
        DID_NOT_ATTEND = "dna", _("Did not attend")
        # Attended but did not stay for the whole appointment: for a required assessment
        # this is the failure to remain of Drugs Act 2005 s12 / s14.
        LEFT_EARLY = "left_early", _("Attended but left early")
        CANCELLED = "cancelled", _("Cancelled")

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="appointments")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    starts_at = models.DateTimeField(_("date and time"))

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("By phone")
        VIDEO = "video", _("By video")

    mode = models.CharField(_("how"), max_length=20, choices=Mode.choices, default=Mode.IN_PERSON)
    place = models.CharField(_("where"), max_length=200, blank=True, default="")
    attendance = models.CharField(
        _("attendance"), max_length=20, choices=Attendance.choices, default=Attendance.BOOKED
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.starts_at:%Y-%m-%d %H:%M}"


class ClinicalRecord(models.Model):
    """Assessment and treatment start: clinical, so never shown to the police."""

    class Kind(models.TextChoices):
        ASSESSMENT = "assessment", _("Comprehensive assessment")
        TREATMENT_START = "treatment_start", _("Treatment start")

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="clinical")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    on = models.DateField(_("date"))
    intervention = models.CharField(_("intervention"), max_length=120, blank=True, default="")
    notes = models.TextField(_("notes"), blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.on}"


class TopStage(models.TextChoices):
    START = "start", _("Treatment start")
    REVIEW = "review", _("Review")
    EXIT = "exit", _("Exit")
    POST_EXIT = "post_exit", _("Post-treatment exit")


# Substance-use items of the Treatment Outcomes Profile section 1 (days used in the past 28).
TOP_SUBSTANCES: dict[str, object] = {
    "alcohol": _("Alcohol"),
    "opiates": _("Opiates (illicit)"),
    "crack": _("Crack"),
    "cocaine": _("Cocaine"),
    "amphetamines": _("Amphetamines"),
    "cannabis": _("Cannabis"),
    "other": _("Other problem substance"),
}


def _days(label: StrOrPromise) -> models.PositiveSmallIntegerField:
    """Days in the past 28 (TOP's recall window); empty when not disclosed."""
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, validators=[MaxValueValidator(28)]
    )


def _score(label: StrOrPromise) -> models.PositiveSmallIntegerField:
    """A TOP self-rating from 0 (poor) to 20 (good); empty when not disclosed."""
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, validators=[MaxValueValidator(20)]
    )


class TopEntry(models.Model):
    """A Treatment Outcomes Profile interview (DOMAIN.md §4.2): past-28-day counts, 0-20 scores.

    ``None`` means "not disclosed" (TOP's NA).
    """

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="top_entries")
    stage = models.CharField(_("stage"), max_length=20, choices=TopStage.choices)
    interview_date = models.DateField(_("interview date"))
    main_substance = models.CharField(
        _("main problem substance"), max_length=20, choices=list(TOP_SUBSTANCES.items())
    )
    alcohol_days = _days(_("alcohol"))
    opiates_days = _days(_("opiates (illicit)"))
    crack_days = _days(_("crack"))
    cocaine_days = _days(_("cocaine"))
    amphetamines_days = _days(_("amphetamines"))
    cannabis_days = _days(_("cannabis"))
    other_days = _days(_("other problem substance"))
    injecting_days = _days(_("days injected"))
    shared_equipment = models.BooleanField(_("shared needles or equipment"), null=True, blank=True)
    shoplifting_days = _days(_("shoplifting"))
    drug_selling_days = _days(_("drug selling"))
    vehicle_theft_days = _days(_("theft from or of a vehicle"))
    other_theft_days = _days(_("other theft or burglary"))
    assault_days = _days(_("assault or violence"))
    psychological_health = _score(_("psychological health"))
    physical_health = _score(_("physical health"))
    quality_of_life = _score(_("overall quality of life"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["interview_date", "pk"]

    def __str__(self) -> str:
        return f"TOP {self.stage} {self.interview_date}"

    def main_substance_days(self) -> int | None:
        return getattr(self, f"{self.main_substance}_days")


class Alert(models.Model):
    """An in-app alert to a police user about a referral they made or supervise."""

    class Kind(models.TextChoices):
        DID_NOT_ATTEND = "dna", _("Did not attend an appointment")
        CLOSED = "closed", _("Referral closed")
        REJECTED = "rejected", _("Referral rejected")
        CONCERN = "concern", _("Concern raised")
        NOTE = "note", _("New case note")
        INFO_REQUESTED = "info_requested", _("Information requested")
        TRANSFERRED = "transferred", _("Referral transferred")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referral_alerts"
    )
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} alert {self.pk}"


class ProviderReferralTotal(models.Model):
    """How many referrals a provider received from every source in a quarter, as it reports.

    Pontio only sees the referrals made through it (all from the police), so the police share
    of a provider's referrals needs the provider's own total as the denominator (docs/metrics.md).
    One row per provider and quarter; a new entry replaces the figure and is audited.
    """

    provider = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="referral_totals",
        verbose_name=_("provider"),
    )
    quarter_start = models.DateField(_("first day of the quarter"))
    total = models.PositiveIntegerField(_("referrals received from every source"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered"))

    class Meta:
        ordering = ["-quarter_start", "provider_id"]
        verbose_name = _("provider referral total")
        verbose_name_plural = _("provider referral totals")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "quarter_start"], name="provider_referral_total_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider_id} {self.quarter_start}: {self.total}"


class AppointmentChange(models.Model):
    """A rescheduled appointment: what it was, what it became, who moved it and why."""

    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT, related_name="changes")
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_starts_at = models.DateTimeField(_("was"))
    to_starts_at = models.DateTimeField(_("now"))
    from_mode = models.CharField(max_length=20, choices=Appointment.Mode.choices)
    to_mode = models.CharField(max_length=20, choices=Appointment.Mode.choices)
    from_place = models.CharField(max_length=200, blank=True, default="")
    to_place = models.CharField(max_length=200, blank=True, default="")
    reason = models.TextField(_("why"))

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"appointment {self.appointment_id} moved {self.at:%Y-%m-%d}"


class CaseNote(VersionedModel):
    """A note between the police and the provider on a referral, seen by both sides.

    Notes are shared with the police, so they never carry clinical detail (the provider's
    clinical records stay in ``ClinicalRecord``). A concern (a risk or safeguarding worry)
    alerts the referring officer's team at once and stays on both home pages until someone
    on the other side acknowledges it.
    """

    class Category(models.TextChoices):
        GENERAL = "general", _("General")
        CHANGE = "change", _("Change of circumstances")
        CONCERN = "concern", _("Concern (risk or safeguarding)")

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="notes")
    category = models.CharField(_("type of note"), max_length=10, choices=Category.choices)
    text = models.TextField(_("note"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    author_party = models.CharField(max_length=10, choices=Party.choices)
    notify_other_side = models.BooleanField(_("email the other side"), default=False)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            # Concerns waiting to be acknowledged, on the home pages.
            models.Index(
                fields=["referral"],
                condition=models.Q(category="concern", acknowledged_at__isnull=True),
                name="casenote_open_concern",
            )
        ]

    def __str__(self) -> str:
        return f"{self.category} note {self.pk}"

    @property
    def is_open_concern(self) -> bool:
        return self.category == self.Category.CONCERN and self.acknowledged_at is None


class ReferralAmendment(models.Model):
    """One correction of a sent referral by the police: who, when, and each field's before
    and after (``changes``: a list of {"field", "before", "after"})."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="amendments")
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actor_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    changes = models.JSONField(default=list)
    reason = models.TextField(_("why"), blank=True, default="")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"amendment {self.pk} of referral {self.referral_id}"


class InformationRequest(VersionedModel):
    """The provider asks the referrer for something missing. Its code (a hold code whose
    next actor is the police) says whether the first-contact clock stops while it waits."""

    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="information_requests"
    )
    code = models.ForeignKey(
        ReferralCode, on_delete=models.PROTECT, related_name="+", verbose_name=_("reason")
    )
    question = models.TextField(_("what is needed"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(_("asked"))
    answer = models.TextField(_("answer"), blank=True, default="")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "pk"]
        constraints = [
            # One question waits at a time; a second is added to the first.
            models.UniqueConstraint(
                fields=["referral"],
                condition=models.Q(answered_at__isnull=True),
                name="one_open_information_request",
            )
        ]

    def __str__(self) -> str:
        return f"information request {self.pk}"


class Transfer(VersionedModel):
    """A provider proposes to move a referral to another service in the directory; the
    receiving provider accepts (a new referral there, pointing back) or declines."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", pgettext_lazy("transfer state", "Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="transfers")
    to_service = models.ForeignKey(
        "directory.Service", on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    to_provider = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="transfers_in"
    )
    reason = models.TextField(_("why"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True, default="")
    new_referral = models.OneToOneField(
        Referral,
        on_delete=models.PROTECT,
        related_name="transfer_in",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral"],
                condition=models.Q(state="proposed"),
                name="one_proposed_transfer",
            )
        ]
        indexes = [models.Index(fields=["to_provider", "state"])]

    def __str__(self) -> str:
        return f"transfer {self.pk} ({self.state})"


class ReferralDraft(VersionedModel):
    """A referral being written, saved on the server as the officer goes, so it survives
    the idle timeout, signing out and another device. Only its author opens it; drafts are
    deleted 30 days after their last change (``scheduled.delete_old_drafts``)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referral_drafts"
    )
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict)
    idempotency_key = models.CharField(max_length=80, blank=True, default="")

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "person"], name="one_draft_per_person")
        ]

    def __str__(self) -> str:
        return f"draft {self.pk}"


class WorkDigestSubscription(models.Model):
    """A user who asked for the daily email of work coming due (a link, nothing else)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="work_digest"
    )
    daily = models.BooleanField(_("email me a daily list of work coming due"), default=True)
    last_sent_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"digest of user {self.user_id}"
