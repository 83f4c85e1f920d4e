"""Boards: the recommendations each monitors, what is due, and a meeting pack (PDF)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from pontio.core.access import permission_required, scoped_get
from pontio.core.pdf import html_to_pdf, stylesheet, w3c
from pontio.core.permissions import has_permission
from pontio.oversight import selectors
from pontio.oversight.models import Board
from pontio.oversight.views.tracker import tracker_crumbs


def board_items(user: Any, board: Board, today: dt.date) -> list[dict[str, Any]]:
    recommendations = selectors.with_positions(
        selectors.recommendations(user).filter(board=board), user
    )
    items = []
    for r in recommendations:
        due = r.next_update_due()
        positions = list(r.positions.all())
        items.append(
            {
                "recommendation": r,
                "latest": positions[-1] if positions else None,
                "due": due,
                "overdue": bool(due and due < today),
                "due_soon": bool(due and due <= today + dt.timedelta(days=selectors.REMINDER_DAYS)),
            }
        )
    return items


@permission_required("oversight.view_tracker")
def board_list(request: HttpRequest) -> HttpResponse:
    boards = list(selectors.boards(request.user))
    recommendations = list(selectors.recommendations(request.user))
    for board in boards:
        board.counts = selectors.rag_counts(  # type: ignore[attr-defined]
            [r for r in recommendations if r.board_id == board.pk]
        )
    return render(
        request,
        "oversight/board_list.html",
        {
            "boards": boards,
            "crumbs": tracker_crumbs(),
            "may_manage": has_permission(request.user, "oversight.manage_reviews"),
        },
    )


@permission_required("oversight.view_tracker")
def board_detail(request: HttpRequest, pk: int) -> HttpResponse:
    board = scoped_get(request, selectors.boards(request.user), pk, audit_read=False)
    today = timezone.localdate()
    items = board_items(request.user, board, today)
    return render(
        request,
        "oversight/board_detail.html",
        {
            "board": board,
            "items": items,
            "counts": selectors.rag_counts([i["recommendation"] for i in items]),
            "today": today,
            "crumbs": tracker_crumbs(),
            "may_manage": has_permission(request.user, "oversight.manage_reviews"),
        },
    )


@permission_required("oversight.view_tracker")
def board_pack(request: HttpRequest, pk: int) -> HttpResponse:
    """The board's meeting pack, in the language of the page: every recommendation it
    monitors with its status, its latest position and when the next is due."""
    board = scoped_get(request, selectors.boards(request.user), pk, audit_read=False)
    today = timezone.localdate()
    items = board_items(request.user, board, today)
    html = render_to_string(
        "oversight/board_pack.html",
        {
            "board": board,
            "items": items,
            "counts": selectors.rag_counts([i["recommendation"] for i in items]),
            "today": today,
            "lang": (get_language() or "en")[:2],
            # The pack's date, not the clock's second: two downloads on a day are one file.
            "created": w3c(dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC)),
        },
    )
    pdf = html_to_pdf(html, stylesheet())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="board-pack-{board.pk}-{today.isoformat()}.pdf"'
    )
    return response
