"""View-side access helpers: permission checks and scoped, audited object fetches."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase

from pontio.core import permissions
from pontio.core.recording import AuditAction, record_request, subject_of, subject_of_object
from pontio.core.scopes import may_break_glass, restrict

M = TypeVar("M", bound=models.Model)
ViewFunc = Callable[..., HttpResponseBase]


class BreakGlassRequired(Exception):
    """The record exists but is outside the user's scope; they may ask for access."""

    def __init__(self, model: type[models.Model], object_id: str) -> None:
        super().__init__(object_id)
        self.model = model
        self.object_id = object_id


def require_permission(request: HttpRequest, permission: str) -> None:
    """Raise PermissionDenied (a 403 page, audited by the handler) unless permitted."""
    permissions.require_permission(request.user, permission)


def permission_required(permission: str) -> Callable[[ViewFunc], ViewFunc]:
    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            require_permission(request, permission)
            return view(request, *args, **kwargs)

        wrapped.pontio_permission = permission  # type: ignore[attr-defined]
        return wrapped

    return decorator


def scoped_get(
    request: HttpRequest,
    queryset: QuerySet[M],
    pk: Any,
    action: str = "view",
    *,
    audit_read: bool = True,
    person_id: str = "",
) -> M:
    """Fetch one record the user may ``action``; otherwise audit the denial and 404.

    Out-of-scope and non-existent records look the same to the caller ("not found"), so
    nothing is disclosed. Where the user's role allows break-glass and the record exists,
    ``BreakGlassRequired`` sends them to the reason form instead.

    Both the read and the denial name the person the record is about (``person_id``, or
    the model's registered subject, ``core.recording.register_subject``), so an auditor
    searching one person's history finds the refused attempts on their records too.
    """
    model = queryset.model
    obj = restrict(queryset, request.user, action).filter(pk=pk).first()
    if obj is None:
        record_request(
            request,
            AuditAction.DENIED,
            object_type=model._meta.label_lower,
            object_id=str(pk)[:64],
            person_id=person_id or subject_of(model, pk),
            reason=f"out of scope: {action}",
        )
        if (
            action == "view"
            and may_break_glass(request.user, model)
            and queryset.filter(pk=pk).exists()
        ):
            raise BreakGlassRequired(model, str(pk))
        raise Http404
    if audit_read:
        record_request(
            request, AuditAction.READ, obj=obj, person_id=person_id or subject_of_object(obj)
        )
    return obj
