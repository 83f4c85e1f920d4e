"""What a user may do with a directory service (directory.actions): pages and services agree."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from tests.conftest import demo_sign_in

from pontio.audit.services import AuditContext
from pontio.directory import actions, services
from pontio.directory.actions import CHANGE_STATUS, EDIT, actions_for
from pontio.directory.models import DirectoryOrganisation, Service


@pytest.mark.parametrize(
    ("username", "service", "expected"),
    [
        ("provider.manager", "DDAS Llanelli", {EDIT, CHANGE_STATUS}),
        ("provider.manager", "Kaleidoscope Brecon", set()),
        ("admin", "Kaleidoscope Brecon", {EDIT, CHANGE_STATUS}),
        ("caseworker", "DDAS Llanelli", set()),
        ("officer", "DDAS Llanelli", set()),
    ],
)
def test_the_actions_on_a_service_follow_role_and_owner(
    directory: dict[str, Any], username: str, service: str, expected: set[str]
) -> None:
    assert actions_for(Service.objects.get(name=service), directory[username]) == expected


def test_new_services_go_to_the_managers_own_organisations(directory: dict[str, Any]) -> None:
    mine = actions.organisations_for_new_services(directory["provider.manager"])
    assert [o.name for o in mine] == ["Dyfed Drug and Alcohol Service"]
    assert not actions.organisations_for_new_services(directory["caseworker"]).exists()
    assert actions.organisations_for_new_services(directory["admin"]).count() == (
        DirectoryOrganisation.objects.count()
    )


def test_the_service_page_shows_the_buttons_of_the_open_actions(
    directory: dict[str, Any],
) -> None:
    ours = Service.objects.get(name="DDAS Llanelli")
    url = f"/directory/services/{ours.pk}/"
    manager = demo_sign_in("provider.manager").get(url).content.decode()
    assert "Change this service" in manager and "Deactivate this service" in manager
    officer = demo_sign_in("officer").get(url).content.decode()
    assert "Change this service" not in officer and "Deactivate this service" not in officer


def test_the_services_refuse_what_the_rule_refuses(
    directory: dict[str, Any], monkeypatch: Any
) -> None:
    manager = directory["provider.manager"]
    ours = Service.objects.get(name="DDAS Llanelli")
    monkeypatch.setattr(services, "actions_for", lambda service, user: frozenset({EDIT}))
    with pytest.raises(PermissionDenied):
        services.service_set_status(
            context=AuditContext(actor_id=manager.pk),
            actor=manager,
            service_id=ours.pk,
            expected_version=1,
            status="inactive",
        )
    ours.refresh_from_db()
    assert ours.status == "active"


def test_the_pages_refuse_what_the_rule_refuses(
    directory: dict[str, Any], monkeypatch: Any
) -> None:
    from pontio.directory import views

    ours = Service.objects.get(name="DDAS Llanelli")
    client = demo_sign_in("provider.manager")
    monkeypatch.setattr(views, "actions_for", lambda service, user: frozenset({CHANGE_STATUS}))
    assert client.get(f"/directory/manage/{ours.pk}/edit/").status_code == 403
