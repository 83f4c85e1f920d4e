"""Writes that set the tracker up: reviews, their recommendations and background papers,
and the boards that monitor them (the OPCC analyst's, ``oversight.manage_reviews``).

The rules are here, not in the forms, so that a page, a command or a test gets the same
answers:

- names and texts are required in English; Welsh is optional (the pages and the Welsh
  report say "No Welsh yet" instead of silently showing English as if it were Welsh);
- a recommendation's number is unique within its review, its due date is on or after the
  review's publication, and its owner reports every 7 to 366 days (weekly at most, yearly
  at least: the board sees a position at least once a year);
- a review's publication cannot move after a recommendation's due date or a recorded
  position (positions are never dated before the review, ``tracker.check_position``);
- a background paper's address is https (the report links to it from a published PDF);
- a board still monitoring open recommendations cannot be closed (they would vanish from
  every board's pack).

Updates name the version the editor started from (``core.concurrency``) and every write is
audited with the values before and after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import Organisation, User
from pontio.accounts.roles import OrganisationKind
from pontio.audit.services import AuditContext, audit_record
from pontio.core.concurrency import check_version
from pontio.core.dates import long_date
from pontio.core.models import snapshot_fields
from pontio.core.permissions import require_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.oversight.facts import FACT_KEYS
from pontio.oversight.models import (
    BackgroundPaper,
    Board,
    PositionUpdate,
    Rag,
    Recommendation,
    Review,
    ReviewKind,
)

PERMISSION = "oversight.manage_reviews"
SNAPSHOT_EXCLUDE = {"created_at", "updated_at"}
# Who may lead a review, own a recommendation or run a board: the force and the OPCC.
OWNER_KINDS = (OrganisationKind.FORCE, OrganisationKind.OPCC)
MIN_INTERVAL, MAX_INTERVAL = 7, 366
MAX_NUMBER = 999


@dataclass(frozen=True)
class ReviewData:
    kind: str
    title_en: str
    published_on: dt.date
    organisation_id: int | None
    title_cy: str = ""


@dataclass(frozen=True)
class RecommendationData:
    number: int
    text_en: str
    owner_organisation_id: int | None
    owner_post: str
    board_id: int | None
    due_on: dt.date
    update_every_days: int = 90
    text_cy: str = ""
    figure_keys: Sequence[str] = field(default_factory=tuple)


@dataclass(frozen=True)
class PaperData:
    title_en: str
    url: str
    title_cy: str = ""


@dataclass(frozen=True)
class BoardData:
    name_en: str
    organisation_id: int | None
    name_cy: str = ""
    chair_en: str = ""
    chair_cy: str = ""
    is_active: bool = True


def owner_organisations() -> Any:
    """The organisations that may lead a review, own a recommendation or run a board.

    Not read through ``restrict``: the accounts policy shows a non-administrator only their
    own organisation, while the analyst must name the force as owner. Names and kinds of
    organisations are not case data (the commissioning forms list providers the same way).
    """
    return Organisation.objects.filter(kind__in=OWNER_KINDS, is_active=True).order_by("name")


def _valid_owner(organisation_id: int | None, *, keep: int | None = None) -> bool:
    """Active force or OPCC; an organisation already on the record may stay even if it has
    since closed (so an old review can be corrected without re-homing it)."""
    if organisation_id is None:
        return False
    if keep is not None and organisation_id == keep:
        return True
    return owner_organisations().filter(pk=organisation_id).exists()


def _raise(errors: dict[str, list[str]], code: str) -> None:
    if errors:
        raise ValidationError(errors, code=code)


def _add(errors: dict[str, list[str]], name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _locked(queryset: Any, actor: User, pk: int) -> Any:
    """The row the actor may change, locked until the transaction ends; PermissionDenied
    when it is missing or out of scope (the view has already answered 404 for those)."""
    obj = restrict(queryset, actor, "change").select_for_update(of=("self",)).filter(pk=pk).first()
    if obj is None:
        raise PermissionDenied
    return obj


# --- reviews --------------------------------------------------------------------------------


def _check_review(data: ReviewData, today: dt.date, review: Review | None = None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    if data.kind not in ReviewKind.values:
        _add(errors, "kind", _("Select the type of review"))
    title_en = data.title_en.strip()
    if not title_en:
        _add(errors, "title_en", _("Enter the title in English"))
    if data.published_on > today:
        _add(errors, "published_on", _("The publication date must be today or in the past"))
    elif review is not None and review.pk:
        earliest_due = review.recommendations.aggregate(first=Min("due_on"))["first"]
        if earliest_due is not None and data.published_on > earliest_due:
            _add(
                errors,
                "published_on",
                _(
                    "A recommendation of this review is due on %(date)s: the review must be "
                    "published on or before that date"
                )
                % {"date": long_date(earliest_due)},
            )
        earliest_position = PositionUpdate.objects.filter(recommendation__review=review).aggregate(
            first=Min("as_of")
        )["first"]
        if earliest_position is not None and data.published_on > earliest_position:
            _add(
                errors,
                "published_on",
                _(
                    "A position on this review is dated %(date)s: the review must be "
                    "published on or before that date"
                )
                % {"date": long_date(earliest_position)},
            )
    keep = review.organisation_id if review is not None else None
    if not _valid_owner(data.organisation_id, keep=keep):
        _add(errors, "organisation", _("Select who led the review from the list"))
    _raise(errors, "invalid_review")
    return {
        "kind": data.kind,
        "title_en": title_en,
        "title_cy": data.title_cy.strip(),
        "published_on": data.published_on,
        "organisation_id": data.organisation_id,
    }


@transaction.atomic
def review_create(
    *, context: AuditContext, actor: User, data: ReviewData, today: dt.date | None = None
) -> Review:
    """Record a new review (a deep dive, an inspection, a death review); its
    recommendations and papers are added next."""
    require_permission(actor, PERMISSION)
    values = _check_review(data, today or timezone.localdate())
    review = Review.objects.create(**values)
    audit_record(
        context=context,
        action=AuditAction.CREATE,
        obj=review,
        after=snapshot_fields(review, SNAPSHOT_EXCLUDE),
    )
    return review


@transaction.atomic
def review_update(
    *,
    context: AuditContext,
    actor: User,
    review_id: int,
    expected_version: int | None,
    data: ReviewData,
    today: dt.date | None = None,
) -> Review:
    """Correct a review's type, titles, publication date or lead organisation (the report's
    texts are ``tracker.review_sections_update``)."""
    require_permission(actor, PERMISSION)
    review = _locked(Review.objects.all(), actor, review_id)
    before = snapshot_fields(review, SNAPSHOT_EXCLUDE)
    check_version(review, expected_version)
    values = _check_review(data, today or timezone.localdate(), review)
    for name, value in values.items():
        setattr(review, name, value)
    review.save()
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=review,
        before=before,
        after=snapshot_fields(review, SNAPSHOT_EXCLUDE),
    )
    return review


# --- recommendations ------------------------------------------------------------------------


def _check_recommendation(
    actor: User,
    review: Review,
    data: RecommendationData,
    recommendation: Recommendation | None = None,
) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    exclude_pk = recommendation.pk if recommendation is not None else 0
    if not 1 <= data.number <= MAX_NUMBER:
        _add(errors, "number", _("Enter a number from 1 to 999"))
    elif (
        Recommendation.objects.filter(review=review, number=data.number)
        .exclude(pk=exclude_pk)
        .exists()
    ):
        _add(
            errors,
            "number",
            _("This review already has a recommendation %(number)s: enter another number")
            % {"number": data.number},
        )
    text_en = data.text_en.strip()
    if not text_en:
        _add(errors, "text_en", _("Enter the recommendation in English"))
    keep = recommendation.owner_organisation_id if recommendation is not None else None
    if not _valid_owner(data.owner_organisation_id, keep=keep):
        _add(errors, "owner_organisation", _("Select the owner organisation from the list"))
    owner_post = data.owner_post.strip()
    if not owner_post:
        _add(errors, "owner_post", _("Enter the owner's post, for example Head of Crime"))
    current_board = recommendation.board_id if recommendation is not None else None
    boards = restrict(Board.objects.all(), actor, "view")
    if data.board_id is None or not (
        data.board_id == current_board or boards.filter(pk=data.board_id, is_active=True).exists()
    ):
        _add(errors, "board", _("Select the board that monitors the recommendation"))
    if data.due_on < review.published_on:
        _add(
            errors,
            "due_on",
            _("The review was published on %(date)s: the due date must be on or after it")
            % {"date": long_date(review.published_on)},
        )
    if not MIN_INTERVAL <= data.update_every_days <= MAX_INTERVAL:
        _add(
            errors,
            "update_every_days",
            _("Enter a number of days from 7 to 366, for example 90 for every quarter"),
        )
    unknown = [key for key in data.figure_keys if key not in FACT_KEYS]
    if unknown:
        _add(errors, "figure_keys", _("Select key figures from the list"))
    _raise(errors, "invalid_recommendation")
    chosen = set(data.figure_keys)
    return {
        "number": data.number,
        "text_en": text_en,
        "text_cy": data.text_cy.strip(),
        "owner_organisation_id": data.owner_organisation_id,
        "owner_post": owner_post,
        "board_id": data.board_id,
        "due_on": data.due_on,
        "update_every_days": data.update_every_days,
        # In the facts' order, whatever order they were ticked in, each once.
        "figure_keys": [key for key in FACT_KEYS if key in chosen],
    }


def _number_taken(number: int) -> ValidationError:
    return ValidationError(
        {
            "number": [
                _("This review already has a recommendation %(number)s: enter another number")
                % {"number": number}
            ]
        },
        code="invalid_recommendation",
    )


@transaction.atomic
def recommendation_create(
    *, context: AuditContext, actor: User, review_id: int, data: RecommendationData
) -> Recommendation:
    """Add a recommendation to a review. It starts amber with no position; its first
    position falls due ``update_every_days`` after the review's publication."""
    require_permission(actor, PERMISSION)
    # Locking the review serialises numbering within it.
    review = _locked(Review.objects.all(), actor, review_id)
    values = _check_recommendation(actor, review, data)
    try:
        with transaction.atomic():
            recommendation = Recommendation.objects.create(review=review, rag=Rag.AMBER, **values)
    except IntegrityError:
        raise _number_taken(data.number) from None
    audit_record(
        context=context,
        action=AuditAction.CREATE,
        obj=recommendation,
        after=snapshot_fields(recommendation, SNAPSHOT_EXCLUDE),
    )
    return recommendation


@transaction.atomic
def recommendation_update(
    *,
    context: AuditContext,
    actor: User,
    recommendation_id: int,
    expected_version: int | None,
    data: RecommendationData,
) -> Recommendation:
    """Correct a recommendation's wording, owner, board, due date, interval or figures.
    Its status and positions are untouched: they change only with a new position."""
    require_permission(actor, PERMISSION)
    recommendation = _locked(
        Recommendation.objects.select_related("review"), actor, recommendation_id
    )
    # The same lock as a create, so a renumbering cannot race a new recommendation.
    Review.objects.select_for_update().filter(pk=recommendation.review_id).first()
    before = snapshot_fields(recommendation, SNAPSHOT_EXCLUDE)
    check_version(recommendation, expected_version)
    values = _check_recommendation(actor, recommendation.review, data, recommendation)
    for name, value in values.items():
        setattr(recommendation, name, value)
    try:
        with transaction.atomic():
            recommendation.save()
    except IntegrityError:
        raise _number_taken(data.number) from None
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=recommendation,
        before=before,
        after=snapshot_fields(recommendation, SNAPSHOT_EXCLUDE),
    )
    return recommendation


# --- background papers ----------------------------------------------------------------------


def is_https(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "https" and bool(parts.hostname) and " " not in url


def _check_paper(data: PaperData) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    title_en = data.title_en.strip()
    if not title_en:
        _add(errors, "title_en", _("Enter the title in English"))
    url = data.url.strip()
    if not url:
        _add(errors, "url", _("Enter the web address of the paper"))
    elif len(url) > 500 or not is_https(url):
        _add(
            errors,
            "url",
            _("Enter a web address starting with https://, for example https://example.org/paper"),
        )
    _raise(errors, "invalid_paper")
    return {"title_en": title_en, "title_cy": data.title_cy.strip(), "url": url}


@transaction.atomic
def paper_add(
    *, context: AuditContext, actor: User, review_id: int, data: PaperData
) -> BackgroundPaper:
    """List a paper as background to the review's reports, after the papers it has."""
    require_permission(actor, PERMISSION)
    review = _locked(Review.objects.all(), actor, review_id)
    values = _check_paper(data)
    last = review.papers.aggregate(last=Max("sort_order"))["last"]
    paper = BackgroundPaper.objects.create(
        review=review, sort_order=0 if last is None else last + 1, **values
    )
    audit_record(
        context=context,
        action=AuditAction.CREATE,
        obj=paper,
        after=snapshot_fields(paper),
    )
    return paper


@transaction.atomic
def paper_remove(*, context: AuditContext, actor: User, paper_id: int) -> Review:
    """Take a paper off the review's list (reports already produced keep it: they are
    stored as produced). The audit event keeps what it was."""
    require_permission(actor, PERMISSION)
    paper = _locked(BackgroundPaper.objects.select_related("review"), actor, paper_id)
    review = paper.review
    before = snapshot_fields(paper)
    audit_record(context=context, action=AuditAction.DELETE, obj=paper, before=before)
    paper.delete()
    return review


# --- boards ---------------------------------------------------------------------------------


def _check_board(data: BoardData, board: Board | None = None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    name_en = data.name_en.strip()
    if not name_en:
        _add(errors, "name_en", _("Enter the board's name in English"))
    elif (
        Board.objects.filter(name_en__iexact=name_en)
        .exclude(pk=board.pk if board is not None else 0)
        .exists()
    ):
        _add(errors, "name_en", _("Another board already has this name"))
    keep = board.organisation_id if board is not None else None
    if not _valid_owner(data.organisation_id, keep=keep):
        _add(errors, "organisation", _("Select the organisation that runs the board"))
    if board is not None and board.is_active and not data.is_active:
        open_count = board.recommendations.exclude(rag=Rag.COMPLETE).count()
        if open_count:
            _add(
                errors,
                "is_active",
                _(
                    "This board still monitors recommendations that are not complete: give "
                    "them to another board before closing this one"
                ),
            )
    _raise(errors, "invalid_board")
    return {
        "name_en": name_en,
        "name_cy": data.name_cy.strip(),
        "chair_en": data.chair_en.strip(),
        "chair_cy": data.chair_cy.strip(),
        "organisation_id": data.organisation_id,
        "is_active": data.is_active,
    }


def _name_taken() -> ValidationError:
    return ValidationError(
        {"name_en": [_("Another board already has this name")]}, code="invalid_board"
    )


@transaction.atomic
def board_create(*, context: AuditContext, actor: User, data: BoardData) -> Board:
    """Record a board that recommendations can be given to."""
    require_permission(actor, PERMISSION)
    values = _check_board(data)
    try:
        with transaction.atomic():
            board = Board.objects.create(**values)
    except IntegrityError:
        raise _name_taken() from None
    audit_record(
        context=context,
        action=AuditAction.CREATE,
        obj=board,
        after=snapshot_fields(board, SNAPSHOT_EXCLUDE),
    )
    return board


@transaction.atomic
def board_update(
    *,
    context: AuditContext,
    actor: User,
    board_id: int,
    expected_version: int | None,
    data: BoardData,
) -> Board:
    """Rename a board, change its chair or organisation, or close it."""
    require_permission(actor, PERMISSION)
    board = _locked(Board.objects.all(), actor, board_id)
    before = snapshot_fields(board, SNAPSHOT_EXCLUDE)
    check_version(board, expected_version)
    values = _check_board(data, board)
    for name, value in values.items():
        setattr(board, name, value)
    try:
        with transaction.atomic():
            board.save()
    except IntegrityError:
        raise _name_taken() from None
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=board,
        after=snapshot_fields(board, SNAPSHOT_EXCLUDE),
        before=before,
    )
    return board
