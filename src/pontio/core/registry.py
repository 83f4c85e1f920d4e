"""Start-up discovery of what each app contributes to the whole.

An app never needs another app to know about it: the kernel imports, by name, each Pontio
app's

- ``permissions.py``: its rows of the permission table (``PERMISSIONS``, see
  ``core.permissions``);
- ``policies.py``: the scope policy of each of its models (``core.scopes``);
- ``dashboard.py``: what it shows on pages it does not own: service navigation items and
  home-page panels (``core.navigation``), and panels or sources in other apps' registries
  (a person page's panels, a referral's pre-fill sources).

Nothing imports a ``dashboard`` module (an import-linter contract says so): it is found here,
so a lower app never depends on the pages built above it, and removing an app removes its
contributions with it.
"""

from __future__ import annotations

import importlib
import importlib.util

from django.apps import apps

from pontio.core.permissions import register_permissions

CONTRIBUTIONS = ("permissions", "policies", "dashboard")
_done: list[bool] = []


def pontio_apps() -> list[str]:
    return [c.name for c in apps.get_app_configs() if c.name.startswith("pontio.")]


def autodiscover() -> None:
    """Import every app's contribution modules once (called from ``CoreConfig.ready``)."""
    if _done:
        return
    _done.append(True)
    for app in pontio_apps():
        for name in CONTRIBUTIONS:
            dotted = f"{app}.{name}"
            if importlib.util.find_spec(dotted) is None:
                continue
            module = importlib.import_module(dotted)
            # (The kernel's own ``core.permissions`` is the table itself: it contributes no rows.)
            if name == "permissions" and app != "pontio.core":
                register_permissions(module.PERMISSIONS)
