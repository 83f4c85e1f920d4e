"""The partner API token's model and the rules of its form (see ``accounts.tokens``).

Kept apart from the services so that ``accounts.models`` can register the model without an
import cycle: this module imports nothing of accounts but the roles.
"""

from __future__ import annotations

import hashlib
import re

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy

from pontio.accounts.roles import ROLE_ORGANISATION_KINDS, Role
from pontio.core.recording import register_kinds

TOKEN_PREFIX = "pontio"  # noqa: S105  (the public start of every token, no secret)
# pontio_<8 hex>_<43 urlsafe base64 characters: 32 random bytes>
TOKEN_PATTERN = re.compile(r"^pontio_(?P<prefix>[0-9a-f]{8})_(?P<secret>[A-Za-z0-9_-]{43})$")
SECRET_BYTES = 32
MAX_LIFETIME_DAYS = 365
DEFAULT_LIFETIME_DAYS = 90


class TokenScopeName(models.TextChoices):
    """The closed set of API surfaces a token may be allowed (``core.api.TokenScope``)."""

    API = "api", gettext_lazy("REST API (/api/v1/)")
    FHIR = "fhir", gettext_lazy("FHIR interface (/fhir/R4/)")


SCOPES = frozenset(TokenScopeName.values)

# Tokens act for partner systems: never with the roles that administer accounts or read
# the whole audit log (a leaked token must not open the force area's user management).
NOT_FOR_TOKENS = frozenset({Role.ADMINISTRATOR, Role.AUDITOR})


class TokenEvent(models.TextChoices):
    """Audit event kinds of tokens (registered with the kernel below)."""

    CALL = "token_call", gettext_lazy("API call with a partner token")


# Registered on import: this module is imported by ``accounts.models`` (the model registry),
# so the kind is known before any request can be audited with it.
register_kinds(TokenEvent.choices)


def token_roles(kind: str) -> list[str]:
    """The roles a token of an organisation of this kind may act with."""
    return [
        role
        for role in Role.values
        if kind in ROLE_ORGANISATION_KINDS.get(role, frozenset()) and role not in NOT_FOR_TOKENS
    ]


def hash_token(token: str) -> str:
    """SHA-256 of the whole token, in hex.

    A fast hash is right here, unlike for passwords: the secret is 32 random bytes (256
    bits), so there is nothing to guess from a stolen hash, and a slow hash (PBKDF2, Argon2)
    would only make every API call slow. The prefix is hashed with the secret, so a hash
    cannot be moved to another token row.
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def parse_token(token: str) -> tuple[str, str] | None:
    """(prefix, secret) of a well-formed token, else None."""
    match = TOKEN_PATTERN.match(token)
    if match is None:
        return None
    return match.group("prefix"), match.group("secret")


class ApiToken(models.Model):
    """A partner API token of one organisation. Never changed after issue except revoked."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name=gettext_lazy("organisation"),
    )
    name = models.CharField(gettext_lazy("name"), max_length=100)
    prefix = models.CharField(gettext_lazy("token id"), max_length=8, unique=True)
    secret_hash = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField(gettext_lazy("scopes"), default=list)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_token",
        verbose_name=gettext_lazy("service account"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=gettext_lazy("issued by"),
    )
    created_at = models.DateTimeField(gettext_lazy("issued"), auto_now_add=True)
    expires_at = models.DateTimeField(gettext_lazy("expires"))
    revoked_at = models.DateTimeField(gettext_lazy("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("revoked by"),
    )

    # Read by the kernel (``core.api``), which does not import accounts: a request whose
    # ``request.auth`` says this was authenticated by a partner token.
    partner_token = True

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = gettext_lazy("API token")
        verbose_name_plural = gettext_lazy("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_live(self) -> bool:
        return not self.is_revoked and not self.is_expired

    @property
    def role(self) -> str:
        return next(iter(sorted(self.user.role_set)), "")

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role in Role.values else self.role

    @property
    def scope_labels(self) -> list[str]:
        return [str(TokenScopeName(s).label) if s in SCOPES else s for s in sorted(self.scopes)]
