"""Organisations, users, their roles and area scope."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from pontio.accounts.roles import OrganisationKind, Role
from pontio.core.i18n import in_active_language
from pontio.core.models import County, VersionedModel
from pontio.core.request_cache import cached, forget


class Organisation(VersionedModel):
    """A force, provider, OPCC or panel. Users belong to exactly one."""

    name = models.CharField(_("name (English)"), max_length=200, unique=True)
    name_cy = models.CharField(_("name (Welsh)"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=OrganisationKind.choices)
    counties = models.ManyToManyField(
        County, blank=True, related_name="organisations", verbose_name=_("counties served")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return in_active_language(self.name, self.name_cy)


def new_session_salt() -> str:
    return secrets.token_hex(16)


class User(AbstractUser):
    """A member of staff of one organisation, with roles and an area scope.

    ``force_wide`` users see records anywhere in the force area; others only records in
    their ``counties``.
    """

    class Language(models.TextChoices):
        ENGLISH = "en", "English"
        WELSH = "cy", "Cymraeg"

    email = models.EmailField(_("email address"), unique=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        related_name="users",
        verbose_name=_("organisation"),
    )
    staff_number = models.CharField(
        _("staff or collar number"), max_length=20, blank=True, default=""
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    force_wide = models.BooleanField(_("whole force area"), default=False)
    counties = models.ManyToManyField(
        County, blank=True, related_name="users", verbose_name=_("counties")
    )
    # Changing this invalidates every session of the user ("sign out everywhere").
    session_salt = models.CharField(max_length=32, default=new_session_salt, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        key_salt = "pontio.accounts.User.get_session_auth_hash"
        return salted_hmac(
            key_salt, self.password + self.session_salt, secret=secret, algorithm="sha256"
        ).hexdigest()

    @cached_property
    def role_set(self) -> frozenset[str]:
        return frozenset(self.role_grants.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set & set(roles))

    @cached_property
    def county_ids(self) -> frozenset[int]:
        return frozenset(self.counties.values_list("pk", flat=True))

    @property
    def organisation_kind(self) -> str | None:
        return self.organisation.kind if self.organisation_id and self.organisation else None


class RoleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="unique_role_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.role}"


class BreakGlassGrant(models.Model):
    """Time-limited access to one record outside the user's scope, with the reason given.

    Created only through ``services.break_glass_grant``, which audits it; auditors review
    every grant.
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="break_glass_grants")
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    reason = models.TextField(_("reason"))
    granted_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "content_type", "expires_at"])]

    def __str__(self) -> str:
        return f"break-glass {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        forget_grants(self.user_id)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        forget_grants(self.user_id)
        return super().delete(*args, **kwargs)


BREAK_GLASS_DURATION = timedelta(hours=8)


def active_grant_ids(user: Any, model: type[models.Model]) -> list[str]:
    """Ids of the records of ``model`` the user holds a live break-glass grant to (the
    kernel's ``restrict`` asks through ``core.scopes.register_grant_source``). A page
    restricts many models: the user's live grants are read once per request (a grant made
    during the request clears them: ``forget_grants``)."""
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(model)
    grants = cached(("break_glass_grants", user.pk), lambda: _live_grants(user))
    return grants.get(content_type.pk, [])


def _live_grants(user: Any) -> dict[int, list[str]]:
    by_type: dict[int, list[str]] = {}
    rows = BreakGlassGrant.objects.filter(user=user, expires_at__gt=timezone.now())
    for content_type_id, object_id in rows.values_list("content_type_id", "object_id"):
        by_type.setdefault(content_type_id, []).append(object_id)
    return by_type


def forget_grants(user_id: int) -> None:
    forget(lambda key: key == ("break_glass_grants", user_id))


from pontio.accounts.tokens_models import ApiToken  # noqa: E402, F401  (partner API tokens)
