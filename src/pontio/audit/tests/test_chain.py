"""The audit log: hash chain, tamper detection, append-only rules, no personal data."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO
from itertools import pairwise
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from pontio.audit.chain import GENESIS_HASH, digest, event_hash, verify_chain
from pontio.audit.models import AppendOnlyError, AuditEvent, ChainHead, ChangeRecord
from pontio.audit.services import REDACTED, AuditContext, audit_record, changed_fields
from pontio.core.recording import AuditAction

pytestmark = pytest.mark.django_db

CONTEXT = AuditContext(
    actor_id=7,
    actor_organisation_id=3,
    ip_address="198.51.100.4",
    request_id="r" * 32,
    view_name="test:view",
)


def record(n: int = 1, **kwargs: Any) -> list[AuditEvent]:
    return [
        audit_record(context=CONTEXT, action=kwargs.pop("action", AuditAction.READ), **kwargs)
        for _ in range(n)
    ]


@contextmanager
def append_only_triggers_off() -> Iterator[None]:
    """Switch the database's append-only triggers off (inside the test's transaction),
    as someone with direct database access could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE waits for no deferred foreign-key checks: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
            cursor.execute(
                "ALTER TABLE audit_changerecord DISABLE TRIGGER audit_change_append_only"
            )
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        elif connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_change_no_update")
    yield


def raw(sql: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


# --- the chain --------------------------------------------------------------------------------


def test_each_event_links_to_the_one_before() -> None:
    events = record(5)
    assert [e.sequence for e in events] == [1, 2, 3, 4, 5]
    assert events[0].previous_hash == GENESIS_HASH
    for earlier, later in pairwise(events):
        assert later.previous_hash == earlier.hash
    assert len({e.hash for e in events}) == 5
    head = ChainHead.objects.get(pk=1)
    assert (head.sequence, head.hash) == (5, events[-1].hash)


def test_stored_hashes_can_be_recomputed_from_the_stored_rows() -> None:
    record(3, object_type="accounts.user", object_id=12, person_id="P-1", reason='é ✓ quotes "x"')
    previous = GENESIS_HASH
    for event in AuditEvent.objects.order_by("sequence"):
        content = {
            f: getattr(event, f)
            for f in (
                "sequence",
                "occurred_at",
                "actor_id",
                "actor_organisation_id",
                "action",
                "object_type",
                "object_id",
                "person_id",
                "fields",
                "change_digest",
                "reason",
                "ip_address",
                "request_id",
                "view_name",
            )
        }
        assert event_hash(previous, content) == event.hash
        previous = event.hash


def test_event_carries_the_context() -> None:
    (event,) = record(object_type="accounts.user", object_id=42, person_id=99, reason="why")
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.actor_id == 7
    assert event.actor_organisation_id == 3
    assert event.ip_address == "198.51.100.4"
    assert event.view_name == "test:view"
    assert (event.object_type, event.object_id, event.person_id) == ("accounts.user", "42", "99")


def test_unknown_action_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown audit action"):
        audit_record(context=CONTEXT, action="tickle")
    assert not AuditEvent.objects.exists()


def test_change_values_live_in_a_change_record_covered_by_the_digest() -> None:
    (event,) = record(
        action=AuditAction.UPDATE,
        before={"first_name": "Old", "same": 1, "password": "hash-before"},
        after={"first_name": "New", "same": 1, "password": "hash-after"},
    )
    assert event.fields == ["first_name", "password"]  # unchanged values are left out
    change = ChangeRecord.objects.get(event=event)
    assert change.before == {"first_name": "Old", "password": REDACTED}
    assert change.after == {"first_name": "New", "password": REDACTED}
    assert event.change_digest == digest({"before": change.before, "after": change.after})
    assert "Old" not in event.reason and "New" not in str(event.fields)


@pytest.mark.parametrize("secret_field", ["password", "session_salt", "key", "token", "bin_key"])
def test_secrets_are_never_copied(secret_field: str) -> None:
    (event,) = record(
        action=AuditAction.UPDATE,
        before={secret_field: "s3cret-old"},
        after={secret_field: "s3cret-new"},
    )
    change = ChangeRecord.objects.get(event=event)
    assert change.before == {secret_field: REDACTED}
    assert change.after == {secret_field: REDACTED}


def test_changed_fields() -> None:
    assert changed_fields({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == ["b", "c"]
    assert changed_fields({}, {}) == []


def test_intact_chain_verifies() -> None:
    record(7, action=AuditAction.UPDATE, before={"x": 1}, after={"x": 2})
    report = verify_chain(batch_size=3)  # across several batches
    assert report.intact
    assert report.checked == 7
    assert report.broken_at is None


def test_empty_log_verifies() -> None:
    report = verify_chain()
    assert report.intact
    assert report.checked == 0


# --- append-only ------------------------------------------------------------------------------


def test_events_cannot_be_changed_or_deleted_through_the_model() -> None:
    (event,) = record()
    event.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_the_database_refuses_a_raw_update_of_an_event() -> None:
    (event,) = record()
    with pytest.raises(DatabaseError), transaction.atomic():
        raw("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["rewritten", event.pk])
    assert AuditEvent.objects.get(pk=event.pk).reason == ""
    assert verify_chain().intact


def test_the_database_refuses_a_queryset_update_of_an_event() -> None:
    record(2)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.update(reason="rewritten")
    assert not AuditEvent.objects.filter(reason="rewritten").exists()


def test_the_database_refuses_a_raw_update_of_change_values() -> None:
    (event,) = record(action=AuditAction.UPDATE, before={"x": 1}, after={"x": 2})
    with pytest.raises(DatabaseError), transaction.atomic():
        ChangeRecord.objects.filter(event=event).update(after={"x": 3})
    assert ChangeRecord.objects.get(event=event).after == {"x": 2}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL refuses DELETE too")
def test_postgresql_refuses_a_raw_delete_of_an_event() -> None:
    (event,) = record()
    with pytest.raises(DatabaseError), transaction.atomic():
        raw("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


# --- tampering is detected --------------------------------------------------------------------


def test_changed_event_content_is_detected() -> None:
    events = record(5)
    with append_only_triggers_off():
        raw("UPDATE audit_auditevent SET reason = %s WHERE sequence = %s", ["edited", 3])
    assert AuditEvent.objects.get(sequence=3).reason == "edited"
    report = verify_chain()
    assert not report.intact
    assert report.broken_at == 3
    assert report.problem == "content"
    assert report.checked == 2
    assert events[2].sequence == 3


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("actor_id", 999),
        ("action", "delete"),
        ("object_id", "other"),
        ("ip_address", "203.0.113.9"),
    ],
)
def test_any_changed_column_is_detected(column: str, value: Any) -> None:
    record(4)
    with append_only_triggers_off():
        raw(f"UPDATE audit_auditevent SET {column} = %s WHERE sequence = %s", [value, 2])  # noqa: S608 - column from the list above
    report = verify_chain()
    assert (report.broken_at, report.problem) == (2, "content")


def test_rehashed_event_breaks_the_next_link() -> None:
    """Someone who recomputes the hash of the event they changed breaks the next one."""
    record(4)
    event = AuditEvent.objects.get(sequence=2)
    content = {f.name: getattr(event, f.name) for f in AuditEvent._meta.concrete_fields}
    content["reason"] = "edited"
    new_hash = event_hash(event.previous_hash, content)
    with append_only_triggers_off():
        raw(
            "UPDATE audit_auditevent SET reason = %s, hash = %s WHERE sequence = %s",
            ["edited", new_hash, 2],
        )
    report = verify_chain()
    assert (report.broken_at, report.problem) == (3, "previous-hash")


def test_deleting_the_last_events_is_detected() -> None:
    record(6, action=AuditAction.UPDATE, before={"x": 1}, after={"x": 2})
    with append_only_triggers_off():
        raw(
            "DELETE FROM audit_changerecord WHERE event_id IN "
            "(SELECT id FROM audit_auditevent WHERE sequence > 4)"
        )
        raw("DELETE FROM audit_auditevent WHERE sequence > %s", [4])
    assert AuditEvent.objects.count() == 4
    report = verify_chain()
    assert not report.intact
    assert report.broken_at == 5
    assert report.problem == "missing"


def test_deleting_an_event_in_the_middle_is_detected() -> None:
    record(5)
    with append_only_triggers_off():
        raw("DELETE FROM audit_auditevent WHERE sequence = %s", [2])
    report = verify_chain()
    assert (report.broken_at, report.problem) == (2, "missing")


def test_changed_change_values_are_detected() -> None:
    record(3, action=AuditAction.UPDATE, before={"role": "officer"}, after={"role": "inspector"})
    event = AuditEvent.objects.get(sequence=2)
    with append_only_triggers_off():
        ChangeRecord.objects.filter(event=event).update(after={"role": "administrator"})
    report = verify_chain()
    assert (report.broken_at, report.problem) == (2, "change-values")


def test_erased_change_values_do_not_break_the_chain() -> None:
    """Change values may be erased under the retention schedule; the chain still holds."""
    record(3, action=AuditAction.UPDATE, before={"x": 1}, after={"x": 2})
    raw(
        "DELETE FROM audit_changerecord WHERE event_id = "
        "(SELECT id FROM audit_auditevent WHERE sequence = 2)"
    )
    assert ChangeRecord.objects.count() == 2
    assert verify_chain().intact


# --- the management command -------------------------------------------------------------------


def test_audit_verify_command_succeeds_on_an_intact_log() -> None:
    record(3)
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "intact: 3 events checked" in out.getvalue()


def test_audit_verify_command_fails_naming_the_broken_event() -> None:
    record(4)
    with append_only_triggers_off():
        raw("UPDATE audit_auditevent SET reason = %s WHERE sequence = %s", ["edited", 3])
    with pytest.raises(CommandError) as info:
        call_command("audit_verify", stdout=StringIO())
    assert "broken at sequence 3 (content)" in str(info.value)


def test_audit_verify_command_exit_status() -> None:
    """Run as a program, a broken log gives a non-zero exit status."""
    from django.core.management import ManagementUtility

    record(2)
    with append_only_triggers_off():
        raw("UPDATE audit_auditevent SET reason = %s WHERE sequence = %s", ["edited", 1])
    with pytest.raises(SystemExit) as info:
        ManagementUtility(["manage.py", "audit_verify"]).execute()
    assert info.value.code == 1


# --- addresses --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    ["192.0.2.1", "2001:db8::1", "2001:DB8::1", "2001:0db8:0000:0000:0000:0000:0000:0001"],
)
def test_addresses_in_any_notation_keep_the_chain_intact(address: str) -> None:
    """The database stores an IPv6 address in its canonical form; the hash must cover what
    is stored, or verification reports tampering that never happened."""
    audit_record(context=AuditContext(ip_address=address), action=AuditAction.READ)
    audit_record(context=CONTEXT, action=AuditAction.READ)
    report = verify_chain()
    assert report.intact, (address, report)
