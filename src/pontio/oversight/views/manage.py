"""Setting the tracker up (OPCC analyst, ``oversight.manage_reviews``): add and correct
reviews, their recommendations and background papers, and boards. Thin: the rules are in
``services.reviews``; records are fetched through the user's ``change`` scope."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pontio.accounts.models import User
from pontio.audit.services import AuditContext
from pontio.core.access import permission_required, scoped_get
from pontio.oversight import selectors
from pontio.oversight.forms_manage import (
    FACT_TITLES,
    BoardEditForm,
    BoardForm,
    PaperForm,
    RecommendationEditForm,
    RecommendationForm,
    ReviewEditForm,
    ReviewForm,
)
from pontio.oversight.models import BackgroundPaper, Board, Recommendation, Review
from pontio.oversight.services import reviews as services
from pontio.oversight.views.tracker import tracker_crumbs

PERMISSION = "oversight.manage_reviews"
FORM_METHODS = require_http_methods(["GET", "POST"])


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - the permission check signed them in
    return user


def _review(request: HttpRequest, pk: int) -> Review:
    return scoped_get(
        request, Review.objects.select_related("organisation"), pk, "change", audit_read=False
    )


def _review_crumbs(review: Review, *extra: tuple[str, str | None]) -> list[Any]:
    return tracker_crumbs((review.title, reverse("oversight:review", args=[review.pk])), *extra)


def _board_crumbs(*extra: tuple[str, str | None]) -> list[Any]:
    return tracker_crumbs((_("Boards"), reverse("oversight:boards")), *extra)


def _saved(request: HttpRequest, message: str, welsh_missing: bool) -> None:
    messages.success(request, message)
    if welsh_missing:
        messages.info(request, _("There is no Welsh yet: the Welsh pages will say so."))


def _status(request: HttpRequest) -> int:
    return 400 if request.method == "POST" else 200


# --- reviews --------------------------------------------------------------------------------


@permission_required(PERMISSION)
@FORM_METHODS
def review_create(request: HttpRequest) -> HttpResponse:
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_create(
                context=AuditContext.from_request(request),
                actor=_user(request),
                data=form.data_of(),
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            _saved(request, _("The review has been added"), not review.title_cy)
            return HttpResponseRedirect(reverse("oversight:review", args=[review.pk]))
    title = _("Add a review")
    return render(
        request,
        "oversight/manage/review_form.html",
        {"form": form, "title": title, "crumbs": tracker_crumbs((title, None))},
        status=_status(request),
    )


@permission_required(PERMISSION)
@FORM_METHODS
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    if request.method == "POST":
        form = ReviewEditForm(request.POST, review=review)
        if form.is_valid():
            try:
                saved = services.review_update(
                    context=AuditContext.from_request(request),
                    actor=_user(request),
                    review_id=review.pk,
                    expected_version=form.cleaned_data["version"],
                    data=form.data_of(),
                )
            except ValidationError as error:
                form.add_validation_error(error)
            else:
                _saved(request, _("The review has been saved"), not saved.title_cy)
                return HttpResponseRedirect(reverse("oversight:review", args=[review.pk]))
    else:
        form = ReviewEditForm(initial=ReviewForm.initial_of(review), review=review)
    title = _("Change the review")
    return render(
        request,
        "oversight/manage/review_form.html",
        {
            "form": form,
            "title": title,
            "review": review,
            "papers": review.papers.all(),
            "recommendations": review.recommendations.select_related("board"),
            "crumbs": _review_crumbs(review, (title, None)),
        },
        status=_status(request),
    )


# --- recommendations ------------------------------------------------------------------------


def _figure_titles(keys: list[str]) -> list[str]:
    return [str(FACT_TITLES.get(key, key)) for key in keys]


@permission_required(PERMISSION)
@FORM_METHODS
def recommendation_create(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    boards = selectors.boards(request.user)
    if request.method == "POST":
        form = RecommendationForm(request.POST, boards=boards)
        if form.is_valid():
            try:
                recommendation = services.recommendation_create(
                    context=AuditContext.from_request(request),
                    actor=_user(request),
                    review_id=review.pk,
                    data=form.data_of(),
                )
            except ValidationError as error:
                form.add_validation_error(error)
            else:
                _saved(
                    request,
                    _("Recommendation %(number)s has been added")
                    % {"number": recommendation.number},
                    not recommendation.text_cy,
                )
                return HttpResponseRedirect(
                    reverse("oversight:recommendation", args=[recommendation.pk])
                )
    else:
        numbers = list(review.recommendations.values_list("number", flat=True))
        form = RecommendationForm(
            initial={"number": max(numbers, default=0) + 1, "update_every_days": 90},
            boards=boards,
        )
    title = _("Add a recommendation")
    return render(
        request,
        "oversight/manage/recommendation_form.html",
        {
            "form": form,
            "title": title,
            "review": review,
            "crumbs": _review_crumbs(review, (title, None)),
        },
        status=_status(request),
    )


@permission_required(PERMISSION)
@FORM_METHODS
def recommendation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = scoped_get(
        request,
        Recommendation.objects.select_related("review", "board", "owner_organisation"),
        pk,
        "change",
        audit_read=False,
    )
    boards = selectors.boards(request.user)
    if request.method == "POST":
        form = RecommendationEditForm(request.POST, boards=boards, recommendation=recommendation)
        if form.is_valid():
            try:
                saved = services.recommendation_update(
                    context=AuditContext.from_request(request),
                    actor=_user(request),
                    recommendation_id=recommendation.pk,
                    expected_version=form.cleaned_data["version"],
                    data=form.data_of(),
                )
            except ValidationError as error:
                form.add_validation_error(error)
            else:
                _saved(
                    request,
                    _("Recommendation %(number)s has been saved") % {"number": saved.number},
                    not saved.text_cy,
                )
                return HttpResponseRedirect(reverse("oversight:recommendation", args=[saved.pk]))
    else:
        form = RecommendationEditForm(
            initial=RecommendationForm.initial_of(recommendation),
            boards=boards,
            recommendation=recommendation,
        )
    review = recommendation.review
    title = _("Change recommendation %(number)s") % {"number": recommendation.number}
    return render(
        request,
        "oversight/manage/recommendation_form.html",
        {
            "form": form,
            "title": title,
            "review": review,
            "recommendation": recommendation,
            "figures": _figure_titles(recommendation.figure_keys),
            "crumbs": _review_crumbs(
                review,
                (
                    _("Recommendation %(number)s") % {"number": recommendation.number},
                    reverse("oversight:recommendation", args=[recommendation.pk]),
                ),
                (title, None),
            ),
        },
        status=_status(request),
    )


# --- background papers ----------------------------------------------------------------------


@permission_required(PERMISSION)
@FORM_METHODS
def paper_add(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    form = PaperForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            paper = services.paper_add(
                context=AuditContext.from_request(request),
                actor=_user(request),
                review_id=review.pk,
                data=form.data_of(),
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            _saved(request, _("The background paper has been added"), not paper.title_cy)
            return HttpResponseRedirect(reverse("oversight:review-edit", args=[review.pk]))
    title = _("Add a background paper")
    return render(
        request,
        "oversight/manage/paper_form.html",
        {
            "form": form,
            "title": title,
            "review": review,
            "crumbs": _review_crumbs(review, (title, None)),
        },
        status=_status(request),
    )


@permission_required(PERMISSION)
@require_POST
def paper_remove(request: HttpRequest, pk: int) -> HttpResponse:
    paper = scoped_get(request, BackgroundPaper.objects.all(), pk, "change", audit_read=False)
    review = services.paper_remove(
        context=AuditContext.from_request(request), actor=_user(request), paper_id=paper.pk
    )
    messages.success(
        request,
        _("“%(title)s” is no longer a background paper of this review") % {"title": paper.title},
    )
    return HttpResponseRedirect(reverse("oversight:review-edit", args=[review.pk]))


# --- boards ---------------------------------------------------------------------------------


def _board_url(board: Board) -> str:
    if board.is_active:
        return reverse("oversight:board", args=[board.pk])
    return reverse("oversight:boards")


@permission_required(PERMISSION)
@FORM_METHODS
def board_create(request: HttpRequest) -> HttpResponse:
    form = BoardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            board = services.board_create(
                context=AuditContext.from_request(request),
                actor=_user(request),
                data=form.data_of(),
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            _saved(request, _("The board has been added"), not board.name_cy)
            return HttpResponseRedirect(_board_url(board))
    title = _("Add a board")
    return render(
        request,
        "oversight/manage/board_form.html",
        {"form": form, "title": title, "crumbs": _board_crumbs((title, None))},
        status=_status(request),
    )


@permission_required(PERMISSION)
@FORM_METHODS
def board_edit(request: HttpRequest, pk: int) -> HttpResponse:
    board = scoped_get(
        request, Board.objects.select_related("organisation"), pk, "change", audit_read=False
    )
    if request.method == "POST":
        form = BoardEditForm(request.POST, board=board)
        if form.is_valid():
            try:
                saved = services.board_update(
                    context=AuditContext.from_request(request),
                    actor=_user(request),
                    board_id=board.pk,
                    expected_version=form.cleaned_data["version"],
                    data=form.data_of(),
                )
            except ValidationError as error:
                form.add_validation_error(error)
            else:
                _saved(request, _("The board has been saved"), not saved.name_cy)
                return HttpResponseRedirect(_board_url(saved))
    else:
        form = BoardEditForm(initial=BoardForm.initial_of(board), board=board)
    title = _("Change the board")
    crumbs = (
        _board_crumbs((board.name, reverse("oversight:board", args=[board.pk])), (title, None))
        if board.is_active
        else _board_crumbs((title, None))
    )
    return render(
        request,
        "oversight/manage/board_form.html",
        {"form": form, "title": title, "board": board, "crumbs": crumbs},
        status=_status(request),
    )
