"""Reads of person records: scoped lists, name search and likely existing people (matching)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet

from pontio.core.scopes import restrict
from pontio.people.models import Address, Alias, Flag, Person, normalise_pnc_id, normalise_postcode

if TYPE_CHECKING:
    from pontio.people.matching import Identity, Match

MAX_CANDIDATES = 500


def people_for(user: Any) -> QuerySet[Person]:
    """The active people the user may see, newest changes first within name order."""
    return restrict(Person.objects.filter(is_active=True), user, "view").prefetch_related(
        Prefetch(
            "addresses", queryset=Address.objects.filter(valid_to=None), to_attr="current_addresses"
        )
    )


def search_people(user: Any, name: str, date_of_birth: dt.date | None = None) -> QuerySet[Person]:
    """Scoped search by name (spelling and sound-alike, aliases too) and date of birth."""
    from pontio.people.matching import phonetic_key

    people = people_for(user)
    condition = Q()
    for word in name.split():
        key = phonetic_key(word)
        word_q = (
            Q(given_name__icontains=word)
            | Q(family_name__icontains=word)
            | Q(aliases__family_name__icontains=word)
            | Q(aliases__given_name__icontains=word)
        )
        if key:
            word_q |= (
                Q(family_name_key=key) | Q(given_name_key=key) | Q(aliases__family_name_key=key)
            )
        condition &= word_q
    if date_of_birth is not None:
        condition &= Q(date_of_birth=date_of_birth)
    ids = people.filter(condition).values("pk")
    return people.filter(pk__in=ids)


def _swapped(value: dt.date) -> dt.date | None:
    try:
        return value.replace(day=value.month, month=value.day)
    except ValueError:
        return None


def identity_of(person: Person) -> Identity:
    """The matcher's view of a stored person (names, date of birth, PNC ID, postcode, aliases)."""
    from pontio.people.matching import Identity

    current = [a for a in person.addresses.all() if a.valid_to is None]
    return Identity(
        given_name=person.given_name,
        family_name=person.family_name,
        date_of_birth=person.date_of_birth,
        pnc_id=person.pnc_id,
        postcode=current[0].postcode if current else "",
        aliases=tuple((a.given_name, a.family_name) for a in person.aliases.all()),
    )


def _candidates(identity: Identity, exclude: Iterable[int] = ()) -> QuerySet[Person]:
    """People anywhere in the force who might be this identity (not limited to a scope)."""
    from pontio.people.matching import phonetic_key

    condition = Q(pk__in=[])
    pnc_id = normalise_pnc_id(identity.pnc_id)
    if pnc_id:
        condition |= Q(pnc_id=pnc_id)
    if identity.date_of_birth:
        dates = [identity.date_of_birth]
        swapped = _swapped(identity.date_of_birth)
        if swapped:
            dates.append(swapped)
        condition |= Q(date_of_birth__in=dates)
    family_keys = {phonetic_key(identity.family_name)} | {
        phonetic_key(family) for _given, family in identity.aliases
    }
    family_keys.discard("")
    if family_keys:
        condition |= Q(family_name_key__in=family_keys) | Q(
            aliases__family_name_key__in=family_keys
        )
        given_key = phonetic_key(identity.given_name)
        if given_key:
            # A changed family name (marriage) with the same given name and postcode.
            postcode = normalise_postcode(identity.postcode)
            if postcode:
                condition |= Q(given_name_key=given_key, addresses__postcode=postcode)
    ids = (
        Person.objects.filter(condition, is_active=True)
        .exclude(pk__in=list(exclude))
        .values_list("pk", flat=True)
        .distinct()[:MAX_CANDIDATES]
    )
    return Person.objects.filter(pk__in=list(ids)).prefetch_related("aliases", "addresses")


@dataclass(frozen=True)
class Candidate:
    """What a match result may show before the record is opened: minimal details."""

    pk: int
    name: str
    year_of_birth: int | None
    town: str


def likely_matches(
    user: Any, identity: Identity, *, exclude: Iterable[int] = (), limit: int = 10
) -> list[tuple[Person, Match]]:
    """Likely existing people for an identity, best first, from the whole force.

    Candidates are not limited to the user's scope, so an officer in one county does not
    create a duplicate of someone known in another; the results page shows only minimal
    details (see ``Candidate``) and opening a record goes through ``scoped_get`` (break-glass
    for a record outside the user's area).
    """
    from pontio.people.matching import rank

    people = {p.pk: p for p in _candidates(identity, exclude)}
    ranked = rank(identity, [(pk, identity_of(p)) for pk, p in people.items()], limit=limit)
    return [(people[pk], match) for pk, match in ranked]


def candidate_summary(person: Person) -> Candidate:
    current = [a for a in person.addresses.all() if a.valid_to is None]
    return Candidate(
        pk=person.pk,
        name=str(person),
        year_of_birth=person.date_of_birth.year if person.date_of_birth else None,
        town=current[0].town if current else "",
    )


def possible_duplicates(user: Any, person: Person) -> list[tuple[Person, Match]]:
    """Other active people who look like this one (for the detail page and merging)."""
    return likely_matches(user, identity_of(person), exclude=[person.pk], limit=5)


def open_flags_for(user: Any, kind: str | None = None) -> QuerySet[Flag]:
    flags = restrict(Flag.objects.filter(resolved_at=None, person__is_active=True), user, "view")
    return flags.filter(kind=kind) if kind else flags


def aliases_of(person: Person) -> QuerySet[Alias]:
    return person.aliases.all()
