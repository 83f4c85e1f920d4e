"""The service directory, modelled on Open Referral UK / HSDS 3.

HSDS objects keep their public identifier in ``hsds_id`` (a UUID, used in the export and
the API); the integer primary key stays internal. Users edit organisations, services and
locations (versioned rows); service-at-location links, phones and schedules are edited as
part of their service and covered by the service's version.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from pontio.core.i18n import in_active_language
from pontio.core.models import County, ReferenceData, VersionedModel


class Substance(ReferenceData):
    """A substance a service helps with (the "need" officers search by)."""

    class Meta(ReferenceData.Meta):
        verbose_name = _("substance")
        verbose_name_plural = _("substances")


class DirectoryOrganisation(VersionedModel):
    """An organisation that delivers services (HSDS ``organization``)."""

    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name (English)"), max_length=200, unique=True)
    name_cy = models.CharField(_("name (Welsh)"), max_length=200, blank=True)
    description = models.TextField(_("description (English)"))
    description_cy = models.TextField(_("description (Welsh)"), blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("email address"), blank=True)
    owner = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="directory_organisations",
        verbose_name=_("maintained by"),
        help_text=_("The Pontio organisation whose managers keep these services up to date."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("directory organisation")
        verbose_name_plural = _("directory organisations")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return in_active_language(self.name, self.name_cy)

    @property
    def display_description(self) -> str:
        return in_active_language(self.description, self.description_cy)


class Service(VersionedModel):
    """A service people can be referred to (HSDS ``service``), with its eligibility."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")

    class Genders(models.TextChoices):
        ALL = "all", _("Everyone")
        WOMEN = "women", _("Women only")
        MEN = "men", _("Men only")

    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        DirectoryOrganisation,
        on_delete=models.PROTECT,
        related_name="services",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name (English)"), max_length=200)
    name_cy = models.CharField(_("name (Welsh)"), max_length=200, blank=True)
    description = models.TextField(_("description (English)"))
    description_cy = models.TextField(_("description (Welsh)"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    email = models.EmailField(_("email address"), blank=True)
    url = models.URLField(_("web page"), blank=True)
    how_to_refer = models.TextField(_("how to refer (English)"), blank=True)
    how_to_refer_cy = models.TextField(_("how to refer (Welsh)"), blank=True)
    accepts_pontio_referrals = models.BooleanField(
        _("accepts referrals through Pontio"), default=False
    )
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    substances = models.ManyToManyField(
        Substance, blank=True, related_name="services", verbose_name=_("substances")
    )
    genders = models.CharField(
        _("who the service is for"), max_length=10, choices=Genders.choices, default=Genders.ALL
    )
    accepts_criminal_justice_referrals = models.BooleanField(
        _("accepts criminal justice referrals"), default=False
    )
    # A diversion scheme takes only people given a diversion or out-of-court disposal;
    # referral routing prefers it for them and offers it to nobody else.
    diversion_scheme = models.BooleanField(_("diversion scheme"), default=False)
    counties = models.ManyToManyField(
        County, blank=True, related_name="directory_services", verbose_name=_("counties served")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return in_active_language(self.name, self.name_cy)

    @property
    def display_description(self) -> str:
        return in_active_language(self.description, self.description_cy)

    @property
    def display_how_to_refer(self) -> str:
        return in_active_language(self.how_to_refer, self.how_to_refer_cy)

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class Location(VersionedModel):
    """A place where services are delivered (HSDS ``location`` with its one address)."""

    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True, editable=False)
    address_hsds_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        DirectoryOrganisation,
        on_delete=models.PROTECT,
        related_name="locations",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name (English)"), max_length=200)
    name_cy = models.CharField(_("name (Welsh)"), max_length=200, blank=True)
    address_1 = models.CharField(_("address line 1"), max_length=200)
    city = models.CharField(_("town or city"), max_length=100)
    postcode = models.CharField(_("postcode"), max_length=10)
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        related_name="directory_locations",
        verbose_name=_("county"),
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return in_active_language(self.name, self.name_cy)


class ServiceAtLocation(models.Model):
    """A service delivered at a location (HSDS ``service_at_location``)."""

    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="service_at_locations"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="directory_sal_unique")
        ]

    def __str__(self) -> str:
        return f"{self.service} @ {self.location}"


class Phone(models.Model):
    """A telephone number of a service (HSDS ``phone``), stored in E.164 form."""

    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(_("telephone number"), max_length=20)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.national

    @property
    def national(self) -> str:
        from pontio.core.phones import national_format

        return national_format(self.number)


class Contact(models.Model):
    """Who to ask at a service (HSDS ``contact``): a team or a post, not a private person."""

    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("contact name"), max_length=200)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    email = models.EmailField(_("contact email address"), blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name}, {self.title}" if self.title else self.name


class Schedule(models.Model):
    """Weekly opening hours (HSDS ``schedule``: one weekday, opens and closes)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 1, _("Monday")
        TUESDAY = 2, _("Tuesday")
        WEDNESDAY = 3, _("Wednesday")
        THURSDAY = 4, _("Thursday")
        FRIDAY = 5, _("Friday")
        SATURDAY = 6, _("Saturday")
        SUNDAY = 7, _("Sunday")

    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    service_at_location = models.ForeignKey(
        ServiceAtLocation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="schedules",
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))

    class Meta:
        ordering = ["weekday", "opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="directory_schedule_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}-{self.closes_at:%H:%M}"
