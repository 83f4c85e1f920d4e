"""Optimistic concurrency: an edit names the version it started from."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pontio.core.models import VersionedModel


class StaleVersionError(ValidationError):
    """Someone else saved the record after this editor opened it."""


def check_version(instance: VersionedModel, expected_version: int | None) -> None:
    """Refuse an update made from a stale copy; on success the caller saves with version+1.

    The check runs on a row locked with ``select_for_update`` by the caller, so two
    concurrent saves of the same version cannot both pass.
    """
    if expected_version is None or int(expected_version) != instance.version:
        raise StaleVersionError(
            _(
                "Someone else changed this record while you were editing it. "
                "Your changes have not been saved. Reload the page to see their changes, "
                "then make yours again."
            ),
            code="stale_version",
        )
    instance.version += 1
