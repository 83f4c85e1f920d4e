"""Reads of person records, every one through ``restrict``: scoped lists, name search, the
rows of a person's page, and likely existing people (matching).

Which scope each read uses:

- ``view``: lists, search, a person's page and its parts, the API;
- ``change``: candidates offered for merging (a merge changes both records);
- ``create``: likely matches of a new or open record, from the whole force (see
  ``people.policies``), shown with minimal details only (``Candidate``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet

from pontio.core.postcodes import normalise_postcode
from pontio.core.scopes import restrict
from pontio.people.models import (
    Address,
    Alias,
    ConsentRecord,
    CustodyNumber,
    Email,
    Flag,
    Person,
    PersonMerge,
    Phone,
    normalise_pnc_id,
)

if TYPE_CHECKING:
    from pontio.people.matching import Identity, Match

MAX_CANDIDATES = 500


def current_addresses(user: Any, action: str = "view") -> Prefetch:
    """Each person's current addresses, as ``person.current_addresses``."""
    return Prefetch(
        "addresses",
        queryset=restrict(Address.objects.filter(valid_to=None), user, action),
        to_attr="current_addresses",
    )


def people_for(user: Any) -> QuerySet[Person]:
    """The active people the user may see, with their current addresses."""
    return restrict(Person.objects.filter(is_active=True), user, "view").prefetch_related(
        current_addresses(user)
    )


def filter_people(
    people: QuerySet[Person], name: str = "", date_of_birth: dt.date | None = None
) -> QuerySet[Person]:
    """``people`` whose name (spelling and sound-alike, aliases too) and date of birth match.

    Each word of ``name`` must match a given name, family name or alias (as typed, or by
    its phonetic key); ``people`` is already restricted by the caller."""
    from pontio.people.matching import phonetic_key

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
    if not condition:
        return people
    # Aliases join one row per alias: match on ids, so each person is listed once.
    ids = people.filter(condition).values("pk")
    return people.filter(pk__in=ids)


def search_people(user: Any, name: str, date_of_birth: dt.date | None = None) -> QuerySet[Person]:
    """Scoped search by name and date of birth (see ``filter_people``)."""
    return filter_people(people_for(user), name, date_of_birth)


# --- one person's page ---------------------------------------------------------------------


@dataclass(frozen=True)
class PersonPage:
    """The rows shown on a person's page, each read through ``restrict``."""

    aliases: QuerySet[Alias]
    custody_numbers: QuerySet[CustodyNumber]
    addresses: QuerySet[Address]
    phones: QuerySet[Phone]
    emails: QuerySet[Email]
    flags: QuerySet[Flag]
    consents: QuerySet[ConsentRecord]
    merges: QuerySet[PersonMerge]


def person_page(user: Any, person: Person) -> PersonPage:
    def rows(model: Any) -> Any:
        return restrict(model.objects.filter(person=person), user, "view")

    return PersonPage(
        aliases=rows(Alias),
        custody_numbers=rows(CustodyNumber),
        addresses=rows(Address).select_related("county"),
        phones=rows(Phone),
        emails=rows(Email),
        flags=rows(Flag).select_related("raised_by", "resolved_by"),
        consents=rows(ConsentRecord).select_related("recorded_by"),
        merges=merges_into(user, person).select_related("merged_by", "unmerged_by"),
    )


def merges_into(user: Any, person: Person, *, undoable: bool = False) -> QuerySet[PersonMerge]:
    """Merges of other records into ``person`` (only those not undone, if ``undoable``)."""
    action = "change" if undoable else "view"
    merges = restrict(PersonMerge.objects.filter(survivor=person), user, action)
    return merges.filter(unmerged_at=None) if undoable else merges


def merge_sides(user: Any, person: Person) -> dict[str, Any]:
    """What the merge page shows of one of the two records."""
    return {
        "person": person,
        "addresses": restrict(Address.objects.filter(person=person), user, "change"),
        "aliases": restrict(Alias.objects.filter(person=person), user, "change"),
    }


def person_detail_queryset(user: Any) -> QuerySet[Person]:
    """People with the other names, address history and open flags the user may see (the
    API); fetch one with ``scoped_get``, which restricts the person and audits the read."""
    return Person.objects.prefetch_related(
        Prefetch("aliases", queryset=restrict(Alias.objects.all(), user, "view")),
        Prefetch(
            "addresses",
            queryset=restrict(Address.objects.all(), user, "view").select_related("county"),
        ),
        Prefetch(
            "flags",
            queryset=restrict(Flag.objects.filter(resolved_at=None), user, "view"),
            to_attr="open_flags",
        ),
    )


def open_flags_for(user: Any, kind: str | None = None) -> QuerySet[Flag]:
    flags = restrict(Flag.objects.filter(resolved_at=None, person__is_active=True), user, "view")
    return flags.filter(kind=kind) if kind else flags


# --- likely existing people ----------------------------------------------------------------


def _swapped(value: dt.date) -> dt.date | None:
    try:
        return value.replace(day=value.month, month=value.day)
    except ValueError:
        return None


def identity_of(person: Person) -> Identity:
    """The matcher's view of a person (names, date of birth, sex, PNC ID, address history,
    custody numbers, aliases), from the person's prefetched (restricted) rows."""
    from pontio.people.matching import Identity

    addresses = sorted(
        person.addresses.all(),
        key=lambda a: (a.valid_to is not None, -(a.valid_from.toordinal() if a.valid_from else 0)),
    )
    current = [a for a in addresses if a.valid_to is None]
    return Identity(
        given_name=person.given_name,
        family_name=person.family_name,
        date_of_birth=person.date_of_birth,
        pnc_id=person.pnc_id,
        postcode=current[0].postcode if current else "",
        aliases=tuple((a.given_name, a.family_name) for a in person.aliases.all()),
        sex=person.gender,
        addresses=tuple((a.postcode, a.line_1, a.town) for a in addresses),
        custody_numbers=tuple(c.number for c in person.custody_numbers.all()),
    )


def _with_identity(people: QuerySet[Person], user: Any, action: str) -> QuerySet[Person]:
    return people.prefetch_related(
        Prefetch("aliases", queryset=restrict(Alias.objects.all(), user, action)),
        Prefetch("addresses", queryset=restrict(Address.objects.all(), user, action)),
        Prefetch("custody_numbers", queryset=restrict(CustodyNumber.objects.all(), user, action)),
    )


def _lookups(identity: Identity) -> list[Q]:
    """The candidate lookups of an identity, strongest first: the batch's blocking rules
    (``linkage.blocking``) as indexed queries, each on its own so that every one can use its
    index (one query ORing them across joined tables would scan the table)."""
    from pontio.people.matching import phonetic_key

    lookups: list[Q] = []
    pnc_id = normalise_pnc_id(identity.pnc_id)
    if pnc_id:
        lookups.append(Q(pnc_id=pnc_id))
    numbers = [n.strip().upper() for n in identity.custody_numbers if n.strip()]
    if numbers:
        held = CustodyNumber.objects.filter(number__in=numbers).values("person_id")
        lookups.append(Q(pk__in=held))
    dates: list[dt.date] = []
    if identity.date_of_birth:
        dates = [identity.date_of_birth]
        swapped = _swapped(identity.date_of_birth)
        if swapped:
            dates.append(swapped)
        lookups.append(Q(date_of_birth__in=dates))
    family_keys = {phonetic_key(identity.family_name)} | {
        phonetic_key(family) for _given, family in identity.aliases
    }
    family_keys.discard("")
    given_key = phonetic_key(identity.given_name.split()[0] if identity.given_name else "")
    postcodes = {normalise_postcode(identity.postcode)} | {
        normalise_postcode(a[0]) for a in identity.addresses
    }
    postcodes.discard("")
    at_postcodes = Address.objects.filter(postcode__in=postcodes).values("person_id")
    if family_keys and given_key:
        names = Q(family_name_key__in=family_keys, given_name_key=given_key)
        born = identity.date_of_birth
        if born:
            # A typing slip in the year, or in the day or month.
            lookups.append(names & Q(date_of_birth__year=born.year))
            lookups.append(names & Q(date_of_birth__month=born.month, date_of_birth__day=born.day))
        if postcodes:
            lookups.append(names & Q(pk__in=at_postcodes))
        # Given and family names entered the wrong way round.
        lookups.append(Q(family_name_key=given_key, given_name_key__in=family_keys))
        previous = Alias.objects.filter(family_name_key__in=family_keys).values("person_id")
        lookups.append(Q(given_name_key=given_key, pk__in=previous))
        if not born and not postcodes:
            # Nothing narrower is known: everyone of that name (capped below).
            lookups.append(names)
    if postcodes and given_key:
        # A changed family name (marriage) with the same given name and a shared postcode.
        lookups.append(Q(given_name_key=given_key, pk__in=at_postcodes))
    if postcodes and family_keys:
        lookups.append(Q(family_name_key__in=family_keys, pk__in=at_postcodes))
    return lookups


def _candidates(
    identity: Identity, user: Any, action: str, exclude: Iterable[int] = ()
) -> QuerySet[Person]:
    """Active people in the user's ``action`` scope who might be this identity (at most
    MAX_CANDIDATES, from the strongest lookups first)."""
    scope = restrict(Person.objects.filter(is_active=True), user, action)
    excluded = set(exclude)
    found: dict[int, None] = {}
    for lookup in _lookups(identity):
        room = MAX_CANDIDATES - len(found)
        if room <= 0:
            break
        # No ordering: the people's default order (by name) would sort every match first.
        rows = scope.filter(lookup).order_by().values_list("pk", flat=True)[: room + len(excluded)]
        found.update((pk, None) for pk in rows if pk not in excluded)
    ids = list(found)[:MAX_CANDIDATES]
    return _with_identity(scope.filter(pk__in=ids), user, action)


@dataclass(frozen=True)
class Candidate:
    """What a match result may show before the record is opened: minimal details."""

    pk: int
    name: str
    year_of_birth: int | None
    town: str


def _ranked(
    identity: Identity, user: Any, action: str, exclude: Iterable[int], limit: int
) -> list[tuple[Person, Match]]:
    from pontio.people.matching import rank

    people = {p.pk: p for p in _candidates(identity, user, action, exclude)}
    ranked = rank(identity, [(pk, identity_of(p)) for pk, p in people.items()], limit=limit)
    return [(people[pk], match) for pk, match in ranked]


def likely_matches(
    user: Any, identity: Identity, *, exclude: Iterable[int] = (), limit: int = 10
) -> list[tuple[Person, Match]]:
    """Likely existing people for an identity, best first, from the whole force.

    Candidates are read in the ``create`` scope (the whole force for police roles), so an
    officer in one county does not create a duplicate of someone known in another; the
    results show only minimal details (see ``Candidate``) and opening a record goes through
    ``scoped_get`` (break-glass for a record outside the user's area).
    """
    return _ranked(identity, user, "create", exclude, limit)


def candidate_summary(person: Person) -> Candidate:
    current = [a for a in person.addresses.all() if a.valid_to is None]
    return Candidate(
        pk=person.pk,
        name=str(person),
        year_of_birth=person.date_of_birth.year if person.date_of_birth else None,
        town=current[0].town if current else "",
    )


def _identity_in(user: Any, person: Person, action: str) -> Identity:
    """``person`` as the matcher sees it, from the rows the user may ``action``."""
    return identity_of(_with_identity(Person.objects.filter(pk=person.pk), user, action).get())


def possible_duplicates(user: Any, person: Person) -> list[tuple[Person, Match]]:
    """Other active people who look like this one, from the whole force (the person page)."""
    return likely_matches(user, _identity_in(user, person, "view"), exclude=[person.pk], limit=5)


def merge_candidates(user: Any, person: Person) -> list[tuple[Person, Match]]:
    """Other active people who look like this one and that the user may merge into it: both
    records of a merge must be in the user's change scope."""
    identity = _identity_in(user, person, "change")
    return _ranked(identity, user, "change", [person.pk], 5)


# --- matching model and the de-duplication review queue -------------------------------------


def match_models(user: Any) -> QuerySet[Any]:
    from pontio.people.models import MatchModel

    return restrict(MatchModel.objects.all(), user, "view").select_related("created_by")


def deduplication_runs(user: Any) -> QuerySet[Any]:
    from pontio.people.models import DeduplicationRun

    return restrict(DeduplicationRun.objects.all(), user, "view").select_related("started_by")


def duplicate_groups(user: Any, status: str) -> QuerySet[Any]:
    """Groups of possible duplicates in a status, that the user may change every member of."""
    from django.db.models import Count, OuterRef, Subquery

    from pontio.people.models import ClusterMember, DuplicateCluster

    groups = restrict(DuplicateCluster.objects.filter(status=status), user, "view")
    # The size as a correlated count, so the page is read in the order of the index on
    # (status, probability) rather than grouping every group first.
    size = (
        ClusterMember.objects.filter(cluster_id=OuterRef("pk"))
        .order_by()
        .values("cluster_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return groups.annotate(size=Subquery(size)).order_by("-probability", "pk")


def group_members(user: Any, cluster: Any) -> list[Person]:
    """The people of a group (in the user's change scope), with what the page compares."""
    ids = list(cluster.members.values_list("person_id", flat=True))
    people = restrict(Person.objects.filter(pk__in=ids), user, "change")
    people = _with_identity(people, user, "change").select_related("merged_into")
    found = {p.pk: p for p in people}
    return [found[pk] for pk in ids if pk in found]


#: A search with more results than this is listed alphabetically, not scored.
SCORED_SEARCH_LIMIT = 200


def search_identity(name: str, date_of_birth: dt.date | None) -> Identity:
    """What a search typed, as the matcher sees it: "Dafydd Jones" is given then family
    names; one word is taken as a family name."""
    from pontio.people.matching import Identity

    words = name.split()
    if len(words) >= 2:
        return Identity(words[0], " ".join(words[1:]), date_of_birth)
    return Identity("", words[0] if words else "", date_of_birth)


def scored_search(
    user: Any, rows: QuerySet[Person], name: str, date_of_birth: dt.date | None
) -> list[tuple[Person, Match]] | None:
    """The results of a search, most likely first, each with its match and reasons; None
    when there are too many to score (the page then lists them alphabetically)."""
    from pontio.people.matching import score_many

    ids = list(rows.values_list("pk", flat=True)[: SCORED_SEARCH_LIMIT + 1])
    if len(ids) > SCORED_SEARCH_LIMIT:
        return None
    people = list(_with_identity(Person.objects.filter(pk__in=ids), user, "view"))
    query = search_identity(name, date_of_birth)
    matches = score_many(query, [identity_of(p) for p in people])
    ranked = sorted(
        zip(people, matches, strict=True),
        key=lambda pm: (-pm[1].score, pm[0].family_name, pm[0].given_name, pm[0].pk),
    )
    return ranked


def review_outcomes(user: Any) -> dict[str, Any]:
    """How reviewers judged the groups the runs found (counts only): the model's evaluation
    on this force's own data, as far as people have checked it."""
    from django.db.models import Count

    from pontio.people.models import DuplicateCluster

    counts = dict(
        restrict(DuplicateCluster.objects.all(), user, "aggregate")
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    merged = counts.get(DuplicateCluster.Status.MERGED, 0)
    different = counts.get(DuplicateCluster.Status.DISMISSED, 0)
    undone = counts.get(DuplicateCluster.Status.UNDONE, 0)
    reviewed = merged + different + undone
    return {
        "waiting": counts.get(DuplicateCluster.Status.OPEN, 0),
        "merged": merged,
        "different": different,
        "undone": undone,
        "reviewed": reviewed,
        "confirmed": round(merged / reviewed, 3) if reviewed else None,
    }
