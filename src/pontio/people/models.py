"""Person records: one record per person, with names, identifiers, contacts, flags and consent.

Data protection. Dyfed-Powys Police holds these records as a competent authority under the
Data Protection Act 2018 Part 3 (law enforcement processing, s31 purposes: prevention,
investigation, detection or prosecution of offences and safeguarding against threats to
public security). Health-related details (drug use, treatment) are sensitive processing under
s35 and need consent or strict necessity with a Schedule 8 condition, and an Appropriate
Policy Document (s42). Support providers that receive a referral process what they receive
under UK GDPR (Art 6, with an Art 9 condition such as DPA 2018 Sch 1 para 2 for health or
social care). ``ConsentRecord`` keeps, per purpose, which basis applies, when it was recorded
and by whom. See ../shared/DOMAIN.md §8.2.

History is kept, never overwritten: addresses are closed (``valid_to``) rather than deleted,
flags are resolved rather than removed, and a merge can be undone (``PersonMerge``).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pontio.core.models import County, VersionedModel

PNC_ID_RE = re.compile(r"^\d{2}/\d{1,7}[A-Z]$")


def normalise_pnc_id(value: str) -> str:
    """``" 12/345678x "`` -> ``"12/345678X"`` (format is checked separately)."""
    return re.sub(r"\s+", "", value or "").upper()


def _phonetic(name: str) -> str:
    from pontio.people.linkage.normalise import phonetic_key

    return phonetic_key(name) if name else ""


def given_key(given_name: str) -> str:
    """The stored key of the first given name (a middle name does not change it)."""
    words = (given_name or "").split()
    return _phonetic(words[0])[:40] if words else ""


class Gender(models.TextChoices):
    """The gender values published by police.uk, and "not stated"."""

    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    OTHER = "other", _("Other")
    NOT_STATED = "not_stated", _("Not stated")


class Ethnicity(models.TextChoices):
    """Self-defined ethnicity: the 2011 Census (18+1) categories as police.uk publishes them."""

    W1 = "W1", _("White - English/Welsh/Scottish/Northern Irish/British")
    W2 = "W2", _("White - Irish")
    W3 = "W3", _("White - Gypsy or Irish Traveller")
    W9 = "W9", _("White - Any other White background")
    M1 = "M1", _("Mixed/Multiple ethnic groups - White and Black Caribbean")
    M2 = "M2", _("Mixed/Multiple ethnic groups - White and Black African")
    M3 = "M3", _("Mixed/Multiple ethnic groups - White and Asian")
    M9 = "M9", _("Mixed/Multiple ethnic groups - Any other Mixed/Multiple ethnic background")
    A1 = "A1", _("Asian/Asian British - Indian")
    A2 = "A2", _("Asian/Asian British - Pakistani")
    A3 = "A3", _("Asian/Asian British - Bangladeshi")
    A4 = "A4", _("Asian/Asian British - Chinese")
    A9 = "A9", _("Asian/Asian British - Any other Asian background")
    B1 = "B1", _("Black/African/Caribbean/Black British - African")
    B2 = "B2", _("Black/African/Caribbean/Black British - Caribbean")
    B9 = (
        "B9",
        _("Black/African/Caribbean/Black British - Any other Black/African/Caribbean background"),
    )
    O1 = "O1", _("Other ethnic group - Arab")
    O9 = "O9", _("Other ethnic group - Any other ethnic group")
    NS = "NS", _("Other ethnic group - Not stated")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    WELSH = "cy", _("Welsh")


# The identity and language details of a person that staff enter and edit: the person
# form, the API and merge/unmerge all work on this one list.
IDENTITY_FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "gender",
    "self_defined_ethnicity",
    "pnc_id",
    "preferred_language",
    "needs_interpreter",
    "interpreter_language",
)


class Person(VersionedModel):
    """One person known to the force. Inactive rows were merged into ``merged_into``."""

    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True, db_index=True)
    gender = models.CharField(
        _("gender"), max_length=20, choices=Gender.choices, default=Gender.NOT_STATED
    )
    self_defined_ethnicity = models.CharField(
        _("self-defined ethnicity"), max_length=2, choices=Ethnicity.choices, default=Ethnicity.NS
    )
    pnc_id = models.CharField(_("PNC ID"), max_length=12, blank=True, default="", db_index=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    interpreter_language = models.CharField(
        _("interpreter language"), max_length=60, blank=True, default=""
    )
    # Phonetic keys from people.matching, kept up to date on save, for candidate retrieval.
    family_name_key = models.CharField(max_length=40, blank=True, default="", db_index=True)
    given_name_key = models.CharField(max_length=40, blank=True, default="", db_index=True)
    created_by_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_people",
        verbose_name=_("merged into"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["family_name", "given_name", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        # Candidate lookups of matching: both name keys, then the date of birth.
        indexes = [
            models.Index(
                fields=["family_name_key", "given_name_key"], name="people_person_names_key"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["pnc_id"],
                condition=Q(is_active=True) & ~Q(pnc_id=""),
                name="people_unique_active_pnc_id",
            )
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.pnc_id = normalise_pnc_id(self.pnc_id)
        self.family_name_key = _phonetic(self.family_name)[:40]
        self.given_name_key = given_key(self.given_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            fields = set(update_fields)  # type: ignore[call-overload]
            if fields & {"family_name", "given_name"}:
                fields |= {"family_name_key", "given_name_key"}
            kwargs["update_fields"] = fields
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def full_name(self) -> str:
        return str(self)


class PersonPart(models.Model):
    """A row that belongs to one person and moves with it on a merge."""

    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        abstract = True


class Alias(PersonPart):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="aliases")
    given_name = models.CharField(_("given name"), max_length=100, blank=True, default="")
    family_name = models.CharField(_("family name"), max_length=100)
    family_name_key = models.CharField(max_length=40, blank=True, default="", db_index=True)
    given_name_key = models.CharField(max_length=40, blank=True, default="")

    class Meta:
        ordering = ["family_name", "given_name", "pk"]
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    def save(self, *args: object, **kwargs: object) -> None:
        self.family_name_key = _phonetic(self.family_name)[:40]
        self.given_name_key = given_key(self.given_name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class CustodyNumber(PersonPart):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="custody_numbers")
    number = models.CharField(_("custody number"), max_length=30, unique=True)

    class Meta:
        ordering = ["-recorded_at", "pk"]
        verbose_name = _("custody number")

    def __str__(self) -> str:
        return self.number


class Address(PersonPart):
    """An address with the dates it applied. Never deleted: a new one closes the old one."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="addresses")
    line_1 = models.CharField(_("address line 1"), max_length=120)
    line_2 = models.CharField(_("address line 2"), max_length=120, blank=True, default="")
    town = models.CharField(_("town or city"), max_length=60)
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("county"),
        help_text=_("Empty for an address outside the force area."),
    )
    postcode = models.CharField(_("postcode"), max_length=8, db_index=True)
    valid_from = models.DateField(_("lived here from"))
    valid_to = models.DateField(_("lived here until"), null=True, blank=True)

    class Meta:
        ordering = ["-valid_from", "-pk"]
        verbose_name = _("address")
        verbose_name_plural = _("addresses")

    def __str__(self) -> str:
        return ", ".join(p for p in (self.line_1, self.line_2, self.town, self.postcode) if p)

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


class Phone(PersonPart):
    class Kind(models.TextChoices):
        MOBILE = "mobile", _("Mobile")
        LANDLINE = "landline", _("Landline")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="phones")
    number = models.CharField(_("phone number"), max_length=20, help_text=_("E.164"))
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    is_current = models.BooleanField(_("current"), default=True)

    class Meta:
        ordering = ["-is_current", "-recorded_at", "-pk"]
        verbose_name = _("phone number")

    def __str__(self) -> str:
        return self.display

    @property
    def display(self) -> str:
        import phonenumbers

        try:
            parsed = phonenumbers.parse(self.number, "GB")
        except phonenumbers.NumberParseException:
            return self.number
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)


class Email(PersonPart):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="emails")
    address = models.EmailField(_("email address"))
    is_current = models.BooleanField(_("current"), default=True)

    class Meta:
        ordering = ["-is_current", "-recorded_at", "-pk"]
        verbose_name = _("email address")

    def __str__(self) -> str:
        return self.address


class Flag(VersionedModel):
    """A safeguarding or risk warning: who raised it, when and why, and how it was resolved."""

    class Kind(models.TextChoices):
        SAFEGUARDING = "safeguarding", _("Safeguarding")
        RISK_TO_STAFF = "risk_to_staff", _("Risk to staff")
        RISK_TO_SELF = "risk_to_self", _("Risk to self")
        VULNERABILITY = "vulnerability", _("Vulnerability")
        OTHER = "other", _("Other risk")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="flags")
    kind = models.CharField(_("type of flag"), max_length=20, choices=Kind.choices)
    reason = models.TextField(_("reason"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    raised_at = models.DateTimeField(_("raised"))
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution = models.TextField(_("resolution"), blank=True, default="")

    class Meta:
        ordering = ["resolved_at", "-raised_at", "-pk"]
        verbose_name = _("flag")

    def __str__(self) -> str:
        return str(self.get_kind_display())

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class ConsentRecord(PersonPart):
    """Consent or another lawful basis for one purpose, with the date and who recorded it.

    Police processing rests on DPA 2018 Part 3: consent, or necessity for a law enforcement
    purpose (s31; with s35 for sensitive processing such as health data), or a Schedule 8
    condition such as vital interests or safeguarding. Providers rely on UK GDPR. A record is
    never edited: a change of mind is a new record, so the history shows both.
    """

    class Purpose(models.TextChoices):
        REFERRAL = "referral_to_treatment", _("Referral to treatment or support")
        SHARING = "sharing_with_provider", _("Sharing information with a support provider")
        PHONE = "contact_by_phone", _("Contact by phone")
        LETTER = "contact_by_letter", _("Contact by letter")

    class Basis(models.TextChoices):
        CONSENT = "consent", _("Consent")
        LAW_ENFORCEMENT = (
            "law_enforcement",
            _("Law enforcement purpose (DPA 2018 s31, with s35 for sensitive processing)"),
        )
        VITAL_INTERESTS = "vital_interests", _("Vital interests")
        SAFEGUARDING = "safeguarding", _("Safeguarding of children or individuals at risk")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    basis = models.CharField(_("lawful basis"), max_length=20, choices=Basis.choices)
    given = models.BooleanField(_("consent given"))
    date = models.DateField(_("date"))
    notes = models.TextField(_("notes"), blank=True, default="")
    # Sharing without consent rests on the force's policy (its Appropriate Policy Document
    # or information sharing protocol): its reference is kept with the basis.
    policy_reference = models.CharField(
        _("policy reference"), max_length=120, blank=True, default=""
    )

    class Meta:
        ordering = ["purpose", "-date", "-pk"]
        verbose_name = _("consent record")

    def __str__(self) -> str:
        return str(self.get_purpose_display())


class PersonMerge(models.Model):
    """A merge of a duplicate into a survivor, with what moved, so that it can be undone."""

    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_received")
    duplicate = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_given")
    reason = models.TextField(_("reason"))
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    merged_at = models.DateTimeField(_("merged"), auto_now_add=True)
    # {"aliases": [ids], "addresses": [...], ..., "created_alias": id|None}
    moved = models.JSONField(default=dict)
    duplicate_before = models.JSONField(default=dict)
    survivor_before = models.JSONField(default=dict)
    unmerged_at = models.DateTimeField(_("undone"), null=True, blank=True)
    unmerged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unmerge_reason = models.TextField(_("reason for undoing"), blank=True, default="")

    class Meta:
        ordering = ["-merged_at", "-pk"]
        verbose_name = _("merge")

    def __str__(self) -> str:
        return f"merge {self.pk}"

    @property
    def is_undone(self) -> bool:
        return self.unmerged_at is not None


# --- record linkage: the estimated model and batch de-duplication ---------------------------


class MatchModel(models.Model):
    """One estimated linkage model (``people.linkage``): parameters and how it was estimated.

    Its primary key is its version. Exactly one is current; a model estimated from too few
    records is never stored (``services.linkage.estimate_model``). The parameters hold no
    personal data: name frequencies are kept only for names held by at least five records.
    """

    created_at = models.DateTimeField(_("estimated"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("estimated by"),
    )
    records = models.PositiveIntegerField(_("records"))
    parameters = models.JSONField()
    evaluation = models.JSONField(default=dict)
    is_current = models.BooleanField(_("current"), default=False)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("matching model")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_match_model"
            )
        ]

    def __str__(self) -> str:
        return f"matching model {self.pk}"


class DeduplicationRun(models.Model):
    """A de-duplication of the whole people table; at most one runs at a time."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Failed")

    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    model = models.ForeignKey(
        MatchModel, on_delete=models.PROTECT, null=True, blank=True, related_name="runs"
    )
    records = models.PositiveIntegerField(_("records"), default=0)
    pairs = models.PositiveBigIntegerField(_("pairs compared"), default=0)
    clusters = models.PositiveIntegerField(_("clusters"), default=0)
    seconds = models.FloatField(_("seconds"), default=0)
    stats = models.JSONField(default=dict)
    error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("de-duplication run")
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="running"), name="one_running_dedup"
            )
        ]

    def __str__(self) -> str:
        return f"de-duplication run {self.pk}"


class DuplicateCluster(VersionedModel):
    """People a de-duplication run found to be probably one person, waiting for review.

    ``pairs`` holds the linked pairs: ``[person_a, person_b, probability, [reason codes]]``.
    The members' versions at the run are kept on ``ClusterMember``: a cluster whose members
    changed since is stale and cannot be merged from the queue.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for review")
        MERGED = "merged", _("Merged")
        DISMISSED = "dismissed", _("Not the same person")
        UNDONE = "undone", _("Merge undone")

    run = models.ForeignKey(DeduplicationRun, on_delete=models.CASCADE, related_name="cluster_set")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    probability = models.FloatField(_("match probability"))
    pairs = models.JSONField(default=list)
    survivor = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    merges = models.JSONField(default=list)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True, default="")

    class Meta:
        ordering = ["-probability", "pk"]
        verbose_name = _("possible duplicate group")
        # The review queue: one status, most likely first.
        indexes = [
            models.Index(fields=["status", "-probability", "id"], name="people_cluster_queue")
        ]

    def __str__(self) -> str:
        return f"possible duplicate group {self.pk}"


class ClusterMember(models.Model):
    cluster = models.ForeignKey(DuplicateCluster, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    person_version = models.PositiveIntegerField()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "person"], name="one_membership_per_cluster")
        ]

    def __str__(self) -> str:
        return f"member {self.pk}"
