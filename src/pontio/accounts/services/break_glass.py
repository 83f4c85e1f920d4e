"""Break-glass: a time-limited, audited grant to open one record outside a user's scope."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.events import AccountEvent
from pontio.accounts.models import (
    BREAK_GLASS_DURATION,
    BreakGlassGrant,
)
from pontio.audit.services import audit_request, object_type_of
from pontio.core.scopes import may_break_glass


@transaction.atomic
def break_glass_grant(
    *, request: HttpRequest, model: type[models.Model], object_id: str, reason: str
) -> BreakGlassGrant:
    """Open one out-of-scope record for a few hours, for a reason that auditors review."""
    user = request.user
    reason = reason.strip()
    if len(reason) < 10:
        raise ValidationError(
            {"reason": [_("Explain in at least 10 characters why you need this record.")]}
        )
    try:
        pk = model._meta.pk.to_python(object_id)
    except ValidationError:
        raise PermissionDenied from None
    if not may_break_glass(user, model) or not model._default_manager.filter(pk=pk).exists():
        raise PermissionDenied
    grant = BreakGlassGrant.objects.create(
        user=user,  # type: ignore[misc]
        content_type=ContentType.objects.get_for_model(model),
        object_id=str(object_id),
        reason=reason,
        expires_at=timezone.now() + BREAK_GLASS_DURATION,
    )
    audit_request(
        request,
        AccountEvent.BREAK_GLASS,
        object_type=object_type_of(model),
        object_id=str(object_id),
        reason=reason,
    )
    return grant
