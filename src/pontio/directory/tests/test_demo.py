"""The demo directory (directory.demo): written through the directory services, idempotent."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from pontio.audit.models import AuditEvent, ChangeRecord
from pontio.core.recording import AuditAction
from pontio.directory.demo import SERVICES, seed_directory
from pontio.directory.models import DirectoryOrganisation, Service


def test_seed_is_idempotent_and_links_owners(directory: dict[str, Any]) -> None:
    count = Service.objects.count()
    versions = dict(Service.objects.values_list("pk", "version"))
    events = AuditEvent.objects.count()
    seed_directory()
    assert Service.objects.count() == count == len(SERVICES)
    # A second run finds everything as given: nothing is written, nothing audited.
    assert dict(Service.objects.values_list("pk", "version")) == versions
    assert AuditEvent.objects.count() == events
    ddas = DirectoryOrganisation.objects.get(name="Dyfed Drug and Alcohol Service")
    assert ddas.owner is not None and ddas.owner.name == ddas.name
    assert ddas.name_cy == "Gwasanaeth Cyffuriau ac Alcohol Dyfed"
    assert all(s.name_cy and s.description_cy for s in Service.objects.all())
    towns = set(Service.objects.values_list("service_at_locations__location__city", flat=True))
    assert {"Llanelli", "Carmarthen", "Aberystwyth", "Haverfordwest"} <= towns
    assert {"Newtown", "Brecon", "Llandrindod Wells"} <= towns
    pobl = Service.objects.get(organisation__name="Pobl diversion service")
    assert pobl.counties.count() == 4


def test_seed_command_runs_and_refuses_production(demo_users: Any) -> None:
    out = StringIO()
    call_command("seed_directory", stdout=out)
    assert f"{len(SERVICES)} services" in out.getvalue()
    with override_settings(PONTIO_ENV="production"), pytest.raises(CommandError):
        call_command("seed_directory")


def test_seed_puts_a_changed_service_back_through_the_service(directory: dict[str, Any]) -> None:
    Service.objects.filter(name="DDAS Llanelli").update(how_to_refer="Changed by hand.")
    seed_directory()
    llanelli = Service.objects.get(name="DDAS Llanelli")
    assert llanelli.how_to_refer.startswith("Send a referral through Pontio")
    assert llanelli.version == 2
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_id=str(llanelli.pk))
    assert event.view_name == "task:seed_directory" and "how_to_refer" in event.fields
    assert ChangeRecord.objects.get(event=event).before["how_to_refer"] == "Changed by hand."


def test_seed_brings_an_organisation_up_to_date_through_the_service(
    directory: dict[str, Any],
) -> None:
    DirectoryOrganisation.objects.filter(name="Kaleidoscope Powys").update(website="")
    seed_directory()
    org = DirectoryOrganisation.objects.get(name="Kaleidoscope Powys")
    assert org.website == "https://www.example.org/kaleidoscope-powys" and org.version == 2
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.UPDATE, object_type="directory.directoryorganisation"
        ).count()
        == 1
    )


def test_the_seeded_services_obey_the_services_rules(directory: dict[str, Any]) -> None:
    """What the seed writes passes the same validation a provider's edit does."""
    from pontio.directory.services import _validate, service_data_of

    for service in Service.objects.all():
        _validate(service_data_of(service))
