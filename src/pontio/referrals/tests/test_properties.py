"""Properties of sending and amending a referral, over generated input (Hypothesis).

Sending (``referral_create``):

- what an officer may send always makes exactly one referral, with its first event, its
  consent record and its audit event, and reads back as the rules clean it;
- the same Idempotency-Key sent again always returns that referral and writes nothing;
- a referral breaking one rule is always refused on that field, and nothing is written.

Amending (``referral_amend``):

- a correction always reads back as sent, one version later, with its changelog entry
  and its audit events;
- an amendment naming a version that is not the referral's is always refused, and changes
  nothing.

Each example runs in a savepoint rolled back at its end: examples never see each other's
referrals or keys.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from tests.properties import ci_settings, rolled_back

from pontio.audit.models import AuditEvent
from pontio.core.concurrency import StaleVersionError
from pontio.core.phones import normalise_uk_phone
from pontio.people.models import ConsentRecord
from pontio.referrals import services
from pontio.referrals.contact import ContactRoute
from pontio.referrals.models import Referral, ReferralAmendment, ReferralEvent
from pontio.referrals.services import amend
from pontio.referrals.tests.helpers import CONTEXT, referral_data, service_named, substances

pytestmark = pytest.mark.django_db

CI = ci_settings(max_examples=25)

# Free text as officers type it (any script, punctuation, new lines), within the limits.
TEXT = st.characters(categories=("L", "M", "N", "P", "Zs"), include_characters="\n")
texts = st.text(TEXT, max_size=300)
reasons = st.text(TEXT, min_size=1, max_size=500).filter(lambda s: s.strip() != "")
phones = st.sampled_from(
    ["07700 900123", "+44 7700 900982", "01267 226000", "(01970) 612125", "029 2087 4000"]
)
postcodes = st.sampled_from(["SA15 1AA", "sa31 1ab", "SA48 7ED", "SY23 1JH"])
SUBSTANCES = ("cocaine", "opioids", "crack", "cannabis", "alcohol")


@st.composite
def routes(draw: st.DrawFn) -> ContactRoute:
    """A working contact route: a phone, a full address or a release plan (or several),
    and ways to contact that each of them makes possible."""
    parts = draw(st.sets(st.sampled_from(["phone", "address", "plan"]), min_size=1))
    route = ContactRoute()
    channels: list[str] = []
    if "phone" in parts:
        route.phone = draw(phones)
        channels += draw(st.sets(st.sampled_from(["phone", "text"]), min_size=1))
    if "address" in parts:
        route.address_line_1 = draw(st.sampled_from(["1 Heol y Bryn", "Fflat 2, Tŷ Gwyn"]))
        route.address_line_2 = draw(st.sampled_from(["", "Felinfoel"]))
        route.address_town = draw(st.sampled_from(["Llanelli", "Carmarthen", " Aberystwyth "]))
        route.address_postcode = draw(postcodes)
        channels += draw(st.sets(st.sampled_from(["letter", "visit"]), min_size=1))
    if "plan" in parts:
        route.release_plan = draw(
            st.sampled_from(["Released at 14:00 to his mother's address in Llanelli."])
        )
        channels.append("in_person")
    route.channels = channels
    return route


@st.composite
def valid_referrals(draw: st.DrawFn) -> services.ReferralData:
    consent = draw(st.booleans())
    return referral_data(
        pathway="voluntary",
        reason=draw(reasons),
        substances=substances(*draw(st.sets(st.sampled_from(SUBSTANCES), min_size=1))),
        consent_given=consent,
        lawful_basis="" if consent else draw(st.sampled_from(["law_enforcement", "safeguarding"])),
        policy_reference="" if consent else draw(st.sampled_from(["WASPI ISP 12", " DPP-ISP-3 "])),
        preferred_language=draw(st.sampled_from(["", "en", "cy"])),
        contact=draw(routes()),
        contact_times=draw(st.text(TEXT, max_size=200)),
        risk_notes=draw(texts),
        safeguarding_notes=draw(texts),
        support_needs=draw(texts),
        interpreter_language=draw(st.sampled_from(["", "Polish", " Arabic "])),
        accessibility_needs=draw(texts),
        source_reference=draw(st.text("ABC0123456789/-", max_size=40)),
    )


def _defects() -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    """One broken rule: the field it is reported on and the change that breaks it."""
    too_long = st.integers(4001, 4200).map(lambda n: "x" * n)
    return st.one_of(
        st.sampled_from(["", "  ", "\n"]).map(lambda v: ("reason", {"reason": v})),
        st.sampled_from(["", "arrest", "Voluntary"]).map(lambda v: ("pathway", {"pathway": v})),
        st.just(("substances", {"substances": ()})),
        too_long.map(lambda v: ("risk_notes", {"risk_notes": v})),
        too_long.map(lambda v: ("reason", {"reason": v})),
        st.integers(201, 300).map(lambda n: ("contact_times", {"contact_times": "y" * n})),
        st.integers(41, 60).map(lambda n: ("source_reference", {"source_reference": "7" * n})),
        st.sampled_from(["", "consent", "because"]).map(
            lambda v: ("lawful_basis", {"consent_given": False, "lawful_basis": v})
        ),
        st.just(
            (
                "policy_reference",
                {"consent_given": False, "lawful_basis": "law_enforcement", "policy_reference": ""},
            )
        ),
        st.sampled_from(["fr", "EN", "welsh"]).map(
            lambda v: ("preferred_language", {"preferred_language": v})
        ),
        st.sampled_from(["12345", "not a number", "+33 1 42 68 53 00"]).map(
            lambda v: (
                "contact_phone",
                {"contact": ContactRoute(phone=v, channels=["phone"])},
            )
        ),
        st.just(("contact_channels", {"contact": ContactRoute(phone="07700 900123")})),
    )


def _counts() -> tuple[int, int, int, int]:
    return (
        Referral.objects.count(),
        ReferralEvent.objects.count(),
        ConsentRecord.objects.count(),
        AuditEvent.objects.count(),
    )


def _send(world: dict[str, Any], data: services.ReferralData, key: str = "") -> tuple[Any, bool]:
    return services.referral_create(
        context=CONTEXT,
        actor=world["officer"],
        person_id=world["person"].pk,
        data=data,
        service_id=service_named("DDAS Llanelli").pk,
        idempotency_key=key,
    )


def _comparable(data: services.ReferralData) -> dict[str, Any]:
    values = data.flat()
    values["substances"] = sorted(s.code for s in data.substances)
    values["county"] = data.county.pk if data.county else None
    values["contact_channels"] = list(values["contact_channels"])
    return values


@CI
@given(data=valid_referrals())
def test_a_valid_referral_is_sent_once_with_its_event_consent_and_audit(
    world: dict[str, Any], data: services.ReferralData
) -> None:
    with rolled_back():
        before = _counts()
        referral, created = _send(world, data)
        assert created
        # one referral, its first event, its consent record; audited: the consent and it
        assert _counts() == (before[0] + 1, before[1] + 1, before[2] + 1, before[3] + 2)
        assert AuditEvent.objects.filter(
            object_type="referrals.referral", object_id=str(referral.pk)
        ).exists()
        referral = Referral.objects.get(pk=referral.pk)
        cleaned = services.check_referral_data(data, world["person"])
        assert _comparable(services.data_of(referral)) == _comparable(cleaned)
        assert referral.contact_phone == (
            normalise_uk_phone(data.contact.phone) if data.contact.phone else ""
        )


@CI
@given(data=valid_referrals(), key=st.text("abcdef0123456789-", min_size=1, max_size=80))
def test_the_same_key_sent_again_returns_the_referral_and_writes_nothing(
    world: dict[str, Any], data: services.ReferralData, key: str
) -> None:
    with rolled_back():
        first, created = _send(world, data, key)
        assert created
        after_first = _counts()
        again, created_again = _send(world, data, key)
        assert (again.pk, created_again) == (first.pk, False)
        assert _counts() == after_first


@CI
@given(data=valid_referrals(), defect=_defects())
def test_a_referral_breaking_a_rule_is_refused_on_that_field_and_nothing_is_written(
    world: dict[str, Any], data: services.ReferralData, defect: tuple[str, dict[str, Any]]
) -> None:
    field, change = defect
    broken = dataclasses.replace(data, **change)
    with rolled_back():
        before = _counts()
        with pytest.raises(ValidationError) as caught:
            _send(world, broken)
        assert field in caught.value.message_dict, caught.value.message_dict
        assert _counts() == before


@st.composite
def corrections(draw: st.DrawFn) -> dict[str, Any]:
    """A change to what a referral carries that keeps a way to contact the person."""
    route = draw(routes())
    changes: dict[str, Any] = {
        "contact_phone": route.phone,
        "address_line_1": route.address_line_1,
        "address_line_2": route.address_line_2,
        "address_town": route.address_town,
        "address_postcode": route.address_postcode,
        "release_plan": route.release_plan,
        "contact_channels": route.channels,
    }
    for name in ("risk_notes", "safeguarding_notes", "support_needs", "accessibility_needs"):
        if draw(st.booleans()):
            changes[name] = draw(texts)
    if draw(st.booleans()):
        changes["contact_times"] = draw(st.text(TEXT, max_size=200))
    return changes


def _amend(world: dict[str, Any], referral: Referral, version: int, changes: dict[str, Any]) -> Any:
    return amend.referral_amend(
        context=CONTEXT,
        actor=world["officer"],
        referral_id=referral.pk,
        expected_version=version,
        changes=changes,
        reason="Corrected after speaking to the person.",
    )


def _carried(referral: Referral) -> dict[str, Any]:
    referral.refresh_from_db()
    return {name: getattr(referral, name) for name in amend.AMENDABLE}


@CI
@given(first=valid_referrals(), changes=corrections())
def test_a_correction_reads_back_as_sent_one_version_later_with_its_changelog(
    world: dict[str, Any], first: services.ReferralData, changes: dict[str, Any]
) -> None:
    with rolled_back():
        referral, _ = _send(world, first)
        before, version = _carried(referral), referral.version
        try:
            amendment = _amend(world, referral, version, changes)
        except ValidationError as error:
            # the one refusal a correct change can meet: the same values again
            assert error.code == "nothing_changed"
            assert _carried(referral) == before
            return
        now = _carried(referral)
        cleaned = amend._cleaned_changes(Referral(**before), changes)
        assert now == cleaned
        assert referral.version == version + 1
        assert sorted(e["field"] for e in amendment.changes) == sorted(
            name for name in amend.AMENDABLE if before[name] != now[name]
        )
        assert ReferralAmendment.objects.filter(referral=referral).count() == 1


@CI
@given(first=valid_referrals(), changes=corrections(), wrong=st.integers(-2, 40))
def test_an_amendment_naming_another_version_is_refused_and_changes_nothing(
    world: dict[str, Any],
    first: services.ReferralData,
    changes: dict[str, Any],
    wrong: int,
) -> None:
    with rolled_back():
        referral, _ = _send(world, first)
        if wrong == referral.version:
            wrong += 1
        before, counts = _carried(referral), AuditEvent.objects.count()
        with pytest.raises(StaleVersionError):
            _amend(world, referral, wrong, changes)
        assert _carried(referral) == before
        assert AuditEvent.objects.count() == counts
        assert not ReferralAmendment.objects.filter(referral=referral).exists()
