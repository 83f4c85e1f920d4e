"""The outbox (administrators) and GOV.UK Notify's delivery callback.

The outbox shows what Pontio sent, or recorded in local mode, to referred people: the
bodies name appointment times, so every page read is audited (one event per person shown).
"""

from __future__ import annotations

import hmac
import json
import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from pontio.audit.services import audit_request
from pontio.core.access import permission_required
from pontio.core.recording import AuditAction
from pontio.reminders import callbacks, selectors

log = logging.getLogger(__name__)


# The outbox's tabs (links, so they work without JavaScript).
PEOPLE_TAB = "people"
STAFF_TAB = "staff"


def _tabs(current: str) -> list[dict[str, object]]:
    return [
        {
            "key": PEOPLE_TAB,
            "label": _("Messages to people"),
            "url": "?",
            "current": current == PEOPLE_TAB,
        },
        {
            "key": STAFF_TAB,
            "label": _("Staff notices"),
            "url": f"?show={STAFF_TAB}",
            "current": current == STAFF_TAB,
        },
    ]


def _staff_notices(request: HttpRequest) -> HttpResponse:
    """Staff link-only emails (``core.notify``): sent, or recorded here in local mode."""
    user = request.user
    page = Paginator(selectors.staff_notices(user), selectors.PAGE_SIZE).get_page(  # type: ignore[arg-type]
        request.GET.get("page")
    )
    audit_request(
        request,
        AuditAction.READ,
        object_type="core.notification",
        reason=f"outbox; staff notices; page {page.number}",
    )
    return render(
        request,
        "reminders/outbox_staff.html",
        {
            "page": page,
            "rows": selectors.staff_notice_rows(user, list(page)),  # type: ignore[arg-type]
            "tabs": _tabs(STAFF_TAB),
            "crumbs": [(_("Messages to people"), None)],
        },
    )


@permission_required("reminders.outbox")
def outbox(request: HttpRequest) -> HttpResponse:
    if request.GET.get("show") == STAFF_TAB:
        return _staff_notices(request)
    found = selectors.outbox(request.user, request.GET)  # type: ignore[arg-type]
    page = Paginator(found.rows.select_related("referral"), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    people = sorted({m.referral.person_id for m in page})
    for person_id in people:
        audit_request(
            request,
            AuditAction.READ,
            object_type="reminders.personmessage",
            person_id=person_id,
            reason=f"outbox; {found.filters.describe()}; page {page.number}",
        )
    return render(
        request,
        "reminders/outbox.html",
        {
            "page": page,
            "filters": found.filters,
            "tabs": _tabs(PEOPLE_TAB),
            "crumbs": [(_("Messages to people"), None)],
        },
    )


def _authorised(request: HttpRequest) -> bool:
    expected = getattr(settings, "NOTIFY_CALLBACK_TOKEN", "") or ""
    given = request.headers.get("Authorization", "")
    if not expected or not given.startswith("Bearer "):
        return False
    return hmac.compare_digest(given[len("Bearer ") :].encode(), expected.encode())


@csrf_exempt  # Notify cannot send a CSRF token: the bearer token authenticates it.
@login_not_required
@require_POST
def notify_callback(request: HttpRequest) -> HttpResponse:
    """GOV.UK Notify's delivery receipt (docs/api.md "Notify")."""
    if not _authorised(request):
        return JsonResponse({"error": "unauthorised"}, status=401)
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"error": "not JSON"}, status=400)
    if not isinstance(payload, dict):
        return JsonResponse({"error": "not a JSON object"}, status=400)
    outcome = callbacks.receive(payload)
    return JsonResponse({"result": outcome})
