"""What the operations pages share: the signed-in user, the scoped operation, breadcrumbs."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.core.access import scoped_get
from pontio.operations.actions import actions_for
from pontio.operations.models import Operation


def user_of(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - the permission check signed them in
    return user


def operation_of(request: HttpRequest, pk: int, action: str = "view") -> Operation:
    """The operation if the user's scope holds it (a 404 otherwise, audited). An operation
    is not a person's record: reading it writes nothing."""
    return scoped_get(
        request,
        Operation.objects.prefetch_related("counties").select_related("lead"),
        pk,
        action,
        audit_read=False,
    )


def require_action(operation: Operation, request: HttpRequest, name: str) -> None:
    if name not in actions_for(operation, user_of(request)):
        raise PermissionDenied


def crumbs(operation: Operation | None = None, *more: tuple[str, str | None]) -> list[Any]:
    trail: list[tuple[str, str | None]] = [(_("Operations"), reverse("operations:list"))]
    if operation is not None:
        trail.append((operation.reference, reverse("operations:detail", args=[operation.pk])))
    trail.extend(more)
    if not more:
        trail[-1] = (trail[-1][0], None)
    return trail


def form_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    form = context.get("form")
    status = 400 if form is not None and form.errors else 200
    return render(request, template, context, status=status)
