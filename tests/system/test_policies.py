"""Every model of every Pontio app has a scope policy (access is closed unless one opens it).

A model without a policy cannot be queried through ``restrict`` at all, but it could still be
read around it; this test makes the rule "every new model gets a policy" fail loudly when a
capability adds a model and forgets.
"""

from __future__ import annotations

from django.apps import apps

from pontio.core.scopes import has_policy, registered_models


def pontio_models() -> list[type]:
    return [m for m in apps.get_models() if m.__module__.startswith("pontio.")]


def test_every_pontio_model_has_a_scope_policy() -> None:
    missing = sorted(m._meta.label for m in pontio_models() if not has_policy(m))
    assert missing == [], f"Give these models a policy (@scope_policy): {missing}"


def test_the_registry_knows_only_installed_models() -> None:
    installed = set(apps.get_models())
    assert set(registered_models()) <= installed


def test_there_are_models_to_check() -> None:
    assert len(pontio_models()) > 30
