"""Scope policies of the directory (directory.policies): everyone reads, owners write."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps

from pontio.core.scopes import has_policy, restrict
from pontio.directory.models import (
    Contact,
    DirectoryOrganisation,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    Substance,
)

SERVICE_ROWS = (Service, Location, ServiceAtLocation, Phone, Contact, Schedule)


def test_every_directory_model_has_a_policy() -> None:
    models = apps.get_app_config("directory").get_models()
    assert [m.__name__ for m in models if not has_policy(m)] == []


@pytest.mark.parametrize("username", ["officer", "caseworker", "analyst", "panel", "admin"])
@pytest.mark.parametrize("model", [*SERVICE_ROWS, DirectoryOrganisation, Substance])
def test_everyone_reads_and_exports_the_directory(
    directory: dict[str, Any], username: str, model: Any
) -> None:
    everything = model.objects.count()
    assert everything
    for action in ("view", "export"):
        assert restrict(model.objects.all(), directory[username], action).count() == everything


@pytest.mark.parametrize("model", SERVICE_ROWS)
def test_a_provider_manager_changes_the_rows_of_their_own_services_only(
    directory: dict[str, Any], model: Any
) -> None:
    manager = directory["provider.manager"]
    changeable = restrict(model.objects.all(), manager, "change")
    owner = (
        "organisation__owner" if model in (Service, Location) else "service__organisation__owner"
    )
    assert changeable.exists()
    assert set(changeable) == set(model.objects.filter(**{owner: manager.organisation}))


@pytest.mark.parametrize("model", [*SERVICE_ROWS, Substance])
def test_officers_and_caseworkers_change_nothing(directory: dict[str, Any], model: Any) -> None:
    for username in ("officer", "caseworker"):
        assert not restrict(model.objects.all(), directory[username], "change").exists()


def test_only_administrators_add_directory_organisations(directory: dict[str, Any]) -> None:
    def closed(username: str) -> bool:
        return restrict(
            DirectoryOrganisation.objects.all(), directory[username], "create"
        ).query.is_empty()

    assert not closed("admin")
    assert closed("provider.manager") and closed("officer")


@pytest.mark.parametrize("model", [*SERVICE_ROWS, DirectoryOrganisation, Substance])
def test_nothing_is_counted_through_an_aggregate_scope(
    directory: dict[str, Any], model: Any
) -> None:
    assert not restrict(model.objects.all(), directory["analyst"], "aggregate").exists()
