"""factory_boy factories for organisations, users (with roles and counties) and authenticators.

``UserFactory(roles=[Role.ADMINISTRATOR], counties=["W06000010"])`` gives a user of a force
organisation with that role and county; ``with_device=True`` also gives a confirmed TOTP
authenticator (see ``confirmed_device``). Every factory user's password is ``PASSWORD``.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

import factory
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from pontio.accounts.models import Organisation, RoleGrant, User
from pontio.accounts.roles import ROLE_ORGANISATION_KINDS, OrganisationKind
from pontio.core.models import County

PASSWORD = "Correct-horse-battery-27"  # long enough for the validators

CARMARTHENSHIRE = "W06000010"
CEREDIGION = "W06000008"
PEMBROKESHIRE = "W06000009"
POWYS = "W06000023"
ALL_COUNTIES = (CARMARTHENSHIRE, CEREDIGION, PEMBROKESHIRE, POWYS)


def county(ons_code: str) -> County:
    return County.objects.get(ons_code=ons_code)


def _counties(values: Iterable[County | str]) -> list[County]:
    return [value if isinstance(value, County) else county(value) for value in values]


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organisation {n}")
    name_cy = factory.LazyAttribute(lambda o: f"Sefydliad {o.name}")
    kind = OrganisationKind.FORCE
    is_active = True

    @factory.post_generation
    def counties(self, create: bool, extracted: Iterable[County | str] | None, **kwargs: Any):
        if create and extracted:
            self.counties.set(_counties(extracted))


def _organisation_for(roles: Iterable[str]) -> Organisation:
    """An organisation of a kind that may hold every one of the roles."""
    kinds = [ROLE_ORGANISATION_KINDS[r] for r in roles]
    allowed = frozenset.intersection(*kinds) if kinds else frozenset({OrganisationKind.FORCE})
    kind = OrganisationKind.FORCE if OrganisationKind.FORCE in allowed else sorted(allowed)[0]
    return OrganisationFactory(kind=kind)


class UserFactory(factory.django.DjangoModelFactory):
    """A user with ``roles`` (list of Role values) and ``counties`` (ONS codes or County)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    # Not a model field: _create turns it into RoleGrant rows.
    roles: Any = ()
    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"Firstname{n}")
    last_name = factory.Sequence(lambda n: f"Lastname{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    organisation = factory.LazyAttribute(lambda u: _organisation_for(u.roles))
    force_wide = False
    preferred_language = "en"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def counties(self, create: bool, extracted: Iterable[County | str] | None, **kwargs: Any):
        if create and extracted:
            self.counties.set(_counties(extracted))
            self.__dict__.pop("county_ids", None)

    @factory.post_generation
    def with_device(self, create: bool, extracted: bool | None, **kwargs: Any) -> None:
        if create and extracted:
            confirmed_device(self)

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        roles = kwargs.pop("roles", ())
        user = super()._create(model_class, *args, **kwargs)
        for role in roles:
            RoleGrant.objects.create(user=user, role=role)
        user.__dict__.pop("role_set", None)
        return user

    @classmethod
    def _build(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        kwargs.pop("roles", None)  # an unsaved user cannot hold role grants
        return super()._build(model_class, *args, **kwargs)


def confirmed_device(user: User, key: str | None = None) -> TOTPDevice:
    """A confirmed TOTP authenticator for ``user`` (a new random key unless given)."""
    return TOTPDevice.objects.create(
        user=user, name="Test authenticator", key=key or secrets.token_hex(20), confirmed=True
    )


def current_code(device: TOTPDevice) -> str:
    """The device's code for now, after resetting its replay and throttling state.

    django-otp refuses a code from a time step it already accepted (``last_t``) and slows
    down repeated failures; tests sign in many times within one 30-second step.
    """
    TOTPDevice.objects.filter(pk=device.pk).update(
        last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
    )
    device.refresh_from_db()
    return f"{totp(bytes.fromhex(device.key)):06d}"


DEFAULT_DOB: Any = object()


def make_person(
    given: str = "Dafydd",
    family: str = "Jones",
    dob: Any = DEFAULT_DOB,
    county_code: str | None = None,
    postcode: str = "SA15 1AA",
    town: str = "Llanelli",
    **fields: Any,
) -> Any:
    """A person record (made directly: tests of the people services use the services),
    born on 27 March 1990 unless ``dob`` says otherwise (``None``: unknown), living in
    ``county_code`` since 2020 if one is given. The apps' test helpers give it their own
    defaults (``functools.partial``)."""
    import datetime as dt

    from pontio.people.models import Address, Person

    if dob is DEFAULT_DOB:
        dob = dt.date(1990, 3, 27)
    person = Person.objects.create(
        given_name=given, family_name=family, date_of_birth=dob, **fields
    )
    if county_code:
        Address.objects.create(
            person=person,
            line_1="1 Heol y Bryn",
            town=town,
            county=county(county_code),
            postcode=postcode,
            valid_from=dt.date(2020, 1, 1),
        )
    return person
