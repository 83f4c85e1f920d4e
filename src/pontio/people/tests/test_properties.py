"""Properties of the person create and update services, over generated input (Hypothesis).

- valid identity details always make exactly one person, with one audit event, and read
  back as entered (normalised as the rules say);
- details that break one rule are always refused with that field's error, and nothing is
  written (not the person, not an audit event);
- an update naming a version that is not the record's is always refused, and changes
  nothing;
- an update reads back as sent, one version later, with one audit event.

Each example runs in a savepoint rolled back at its end, so examples never see each other's
people (a PNC ID drawn twice would otherwise be "already taken").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from tests.factories import UserFactory
from tests.properties import ci_settings, rolled_back

from pontio.accounts.roles import Role
from pontio.audit.models import AuditEvent, ChangeRecord
from pontio.core.concurrency import StaleVersionError
from pontio.core.recording import AuditAction
from pontio.people import services
from pontio.people.models import Ethnicity, Gender, Language, Person, normalise_pnc_id
from pontio.people.services import PersonData
from pontio.people.tests.helpers import CONTEXT

pytestmark = pytest.mark.django_db

CI = ci_settings(max_examples=30)

# Names as people write them: letters of any script, combining marks (Welsh accents),
# spaces, hyphens and apostrophes; within the form's 100 characters.
NAME_CHARACTERS = st.characters(categories=("L", "M", "Zs"), include_characters="-'")
names = st.text(NAME_CHARACTERS, min_size=1, max_size=100).filter(lambda s: s.strip() != "")
long_names = st.text(NAME_CHARACTERS, min_size=101, max_size=300).filter(
    lambda s: len(s.strip()) > 100
)
pnc_ids = st.from_regex(r"\A\d{2}/\d{1,7}[A-Z]\Z").map(
    lambda pnc: f" {pnc.lower()} " if pnc.endswith("X") else pnc  # typed loosely sometimes
)


def _births() -> st.SearchStrategy[dt.date | None]:
    today = timezone.localdate()
    earliest = max(dt.date(1900, 1, 1), today.replace(year=today.year - 119))
    return st.none() | st.dates(min_value=earliest, max_value=today)


@st.composite
def valid_people(draw: st.DrawFn) -> PersonData:
    needs_interpreter = draw(st.booleans())
    return PersonData(
        given_name=draw(names),
        family_name=draw(names),
        date_of_birth=draw(_births()),
        gender=draw(st.sampled_from(Gender.values)),
        self_defined_ethnicity=draw(st.sampled_from(Ethnicity.values)),
        pnc_id=draw(st.just("") | pnc_ids),
        preferred_language=draw(st.sampled_from(Language.values)),
        needs_interpreter=needs_interpreter,
        interpreter_language=draw(st.sampled_from(["", "Polish", "Arabic", " Romanian "])),
    )


def _defects() -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    """One broken rule: the field it is reported on and the change that breaks it."""
    today = timezone.localdate()
    blank = st.sampled_from(["", " ", "\t\n"])
    return st.one_of(
        blank.map(lambda v: ("given_name", {"given_name": v})),
        blank.map(lambda v: ("family_name", {"family_name": v})),
        st.dates(min_value=today + dt.timedelta(days=1)).map(
            lambda d: ("date_of_birth", {"date_of_birth": d})
        ),
        st.dates(max_value=dt.date(1899, 12, 31)).map(
            lambda d: ("date_of_birth", {"date_of_birth": d})
        ),
        st.from_regex(r"\A\d{3,}[A-Z]?\Z|\A\d{2}/\d{8,9}[A-Z]\Z|\A[A-Z]{2}/\d{4}\Z").map(
            lambda v: ("pnc_id", {"pnc_id": v})
        ),
        st.just(("interpreter_language", {"needs_interpreter": True, "interpreter_language": ""})),
        # longer than the columns: PostgreSQL would refuse the row with a server error
        long_names.map(lambda v: ("given_name", {"given_name": v})),
        long_names.map(lambda v: ("family_name", {"family_name": v})),
        st.text("abc ", min_size=61, max_size=80)
        .filter(lambda v: len(v.strip()) > 60)
        .map(
            lambda v: (
                "interpreter_language",
                {"needs_interpreter": True, "interpreter_language": v},
            )
        ),
    )


@pytest.fixture
def officer() -> Any:
    return UserFactory(roles=[Role.OFFICER], force_wide=True)


def _counts() -> tuple[int, int]:
    return Person.objects.count(), AuditEvent.objects.count()


def _read_back(person: Person) -> dict[str, Any]:
    person.refresh_from_db()
    return {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth": person.date_of_birth,
        "gender": person.gender,
        "self_defined_ethnicity": person.self_defined_ethnicity,
        "pnc_id": person.pnc_id,
        "preferred_language": person.preferred_language,
        "needs_interpreter": person.needs_interpreter,
        "interpreter_language": person.interpreter_language,
    }


def _as_stored(data: PersonData) -> dict[str, Any]:
    """What the rules say is kept of ``data``: names trimmed, the PNC ID normalised, the
    interpreter's language only when one is needed."""
    return {
        "given_name": data.given_name.strip(),
        "family_name": data.family_name.strip(),
        "date_of_birth": data.date_of_birth,
        "gender": data.gender,
        "self_defined_ethnicity": data.self_defined_ethnicity,
        "pnc_id": normalise_pnc_id(data.pnc_id),
        "preferred_language": data.preferred_language,
        "needs_interpreter": data.needs_interpreter,
        "interpreter_language": data.interpreter_language.strip() if data.needs_interpreter else "",
    }


def _interpretable(data: PersonData) -> PersonData:
    """A valid draw may say an interpreter is needed without the language: name one."""
    if data.needs_interpreter and not data.interpreter_language.strip():
        return replace(data, interpreter_language="Polish")
    return data


@CI
@given(data=valid_people())
def test_valid_details_make_exactly_one_person_with_its_audit_event(
    officer: Any, data: PersonData
) -> None:
    data = _interpretable(data)
    with rolled_back():
        people, events = _counts()
        person = services.person_create(context=CONTEXT, actor=officer, data=data)
        assert _counts() == (people + 1, events + 1)
        event = AuditEvent.objects.get(action=AuditAction.CREATE, object_id=str(person.pk))
        assert event.person_id == str(person.pk)
        assert ChangeRecord.objects.get(event=event).after["pnc_id"] == person.pnc_id
        assert _read_back(person) == _as_stored(data)
        assert person.version == 1


@CI
@given(data=valid_people(), defect=_defects())
def test_details_breaking_a_rule_are_refused_on_that_field_and_nothing_is_written(
    officer: Any, data: PersonData, defect: tuple[str, dict[str, Any]]
) -> None:
    field, change = defect
    broken = replace(_interpretable(data), **change)
    with rolled_back():
        before = _counts()
        with pytest.raises(ValidationError) as caught:
            services.person_create(context=CONTEXT, actor=officer, data=broken)
        assert field in caught.value.message_dict
        assert _counts() == before


@CI
@given(first=valid_people(), change=valid_people(), wrong=st.integers(-3, 50))
def test_an_update_naming_another_version_is_refused_and_changes_nothing(
    officer: Any, first: PersonData, change: PersonData, wrong: int
) -> None:
    with rolled_back():
        person = services.person_create(context=CONTEXT, actor=officer, data=_interpretable(first))
        if wrong == person.version:
            wrong += 1
        kept, events = _read_back(person), AuditEvent.objects.count()
        with pytest.raises(StaleVersionError):
            services.person_update(
                context=CONTEXT,
                actor=officer,
                person_id=person.pk,
                expected_version=wrong,
                data=_interpretable(change),
            )
        assert _read_back(person) == kept
        assert person.version == 1
        assert AuditEvent.objects.count() == events


@CI
@given(first=valid_people(), change=valid_people())
def test_an_update_reads_back_as_sent_one_version_later_with_its_audit_event(
    officer: Any, first: PersonData, change: PersonData
) -> None:
    change = _interpretable(change)
    with rolled_back():
        person = services.person_create(context=CONTEXT, actor=officer, data=_interpretable(first))
        events, kept = AuditEvent.objects.count(), _read_back(person)
        services.person_update(
            context=CONTEXT,
            actor=officer,
            person_id=person.pk,
            expected_version=person.version,
            data=change,
        )
        assert _read_back(person) == _as_stored(change)
        assert person.version == 2
        assert AuditEvent.objects.count() == events + 1
        update = AuditEvent.objects.get(action=AuditAction.UPDATE, object_id=str(person.pk))
        after = ChangeRecord.objects.get(event=update).after
        # The change record keeps what changed: each changed name, as now stored.
        for name in ("given_name", "family_name", "pnc_id"):
            if kept[name] != getattr(person, name):
                assert after[name] == getattr(person, name)
