"""Reviews of stop and search records: completing them, assigning panel reviews, escalating.

Three kinds of review (``SearchReview.Kind``):

- the local inspector's and the independent reviewer's, made for the monthly sample
  (``sampling``): were the grounds reasonable, is the record complete, was the conduct
  proportionate, and what should the officer learn (required as soon as one answer is no);
- the panel's: a panel member watches the body-worn video of a search an inspector or
  administrator assigned to them and records notes, a judgement and comments (``learning``).

A completed review is final: it is evidence of the audit, so it is never edited. Independent
reviewers and panel members only ever see the anonymised record (``anonymised_rows``).
Every write is in one transaction with its audit event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.accounts.roles import Role
from pontio.audit.services import AuditContext, audit_record
from pontio.core.concurrency import check_version
from pontio.core.models import snapshot_fields
from pontio.core.permissions import has_permission, require_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.core.working_days import add_working_days
from pontio.stopsearch.models import SearchReview, Source, StopSearch
from pontio.stopsearch.sampling import panel_members

SNAPSHOT_EXCLUDE = {"created_at", "updated_at"}
AUDIT_KINDS = (SearchReview.Kind.INSPECTOR, SearchReview.Kind.INDEPENDENT)
# Reviews made by someone outside the police: they see the anonymised record only.
INDEPENDENT_KINDS = (SearchReview.Kind.INDEPENDENT, SearchReview.Kind.PANEL)
NONE = "\N{EN DASH}"


def snapshot(review: SearchReview) -> dict[str, Any]:
    return snapshot_fields(review, exclude=SNAPSHOT_EXCLUDE)


@dataclass
class ReviewAnswers:
    grounds_reasonable: bool | None = None
    record_complete: bool | None = None
    conduct_proportionate: bool | None = None
    learning: str = ""
    judgement: str = ""
    video_notes: str = ""


def check_answers(kind: str, answers: ReviewAnswers) -> ReviewAnswers:
    """Every problem at once, by field, or the answers cleaned for the kind of review."""
    errors: dict[str, list[str]] = {}
    learning = answers.learning.strip()
    if kind in AUDIT_KINDS:
        questions = {
            "grounds_reasonable": _("Say whether the grounds for the search were reasonable"),
            "record_complete": _("Say whether the record is complete"),
            "conduct_proportionate": _("Say whether the officer's conduct was proportionate"),
        }
        for field, message in questions.items():
            if getattr(answers, field) is None:
                errors[field] = [message]
        if (
            False
            in (
                answers.grounds_reasonable,
                answers.record_complete,
                answers.conduct_proportionate,
            )
            and not learning
        ):
            errors["learning"] = [
                _("Enter the learning for the officer: at least one answer is no")
            ]
        return _or_raise(
            errors,
            ReviewAnswers(
                grounds_reasonable=answers.grounds_reasonable,
                record_complete=answers.record_complete,
                conduct_proportionate=answers.conduct_proportionate,
                learning=learning,
            ),
        )
    if answers.judgement not in SearchReview.Judgement.values:
        errors["judgement"] = [_("Choose the panel's judgement of the search")]
    notes = answers.video_notes.strip()
    if not notes:
        errors["video_notes"] = [
            _("Enter your notes of the body-worn video (or say why there was none to watch)")
        ]
    if (
        answers.judgement in SearchReview.Judgement.values
        and answers.judgement != SearchReview.Judgement.APPROPRIATE
        and not learning
    ):
        errors["learning"] = [_("Enter the panel's comments: say what caused concern")]
    return _or_raise(
        errors, ReviewAnswers(judgement=answers.judgement, video_notes=notes, learning=learning)
    )


def _or_raise(errors: dict[str, list[str]], cleaned: ReviewAnswers) -> ReviewAnswers:
    if errors:
        raise ValidationError(errors, code="invalid_review")
    return cleaned


def may_complete(user: User, review: SearchReview) -> bool:
    """Inspectors complete the inspector reviews of their area (their own or a colleague's);
    independent and panel reviews only by the panel member they are assigned to."""
    if review.kind == SearchReview.Kind.INSPECTOR:
        return has_permission(user, "stopsearch.review")
    return has_permission(user, "stopsearch.independent_review") and review.reviewer_id == user.pk


def completed_message(review: SearchReview) -> str:
    when = timezone.localtime(review.completed_at) if review.completed_at else timezone.now()
    return _(
        "This review was completed on %(date)s and can no longer be changed. "
        "A completed review is part of the audit record."
    ) % {"date": formats.date_format(when, "j F Y")}


@transaction.atomic
def review_complete(
    *,
    context: AuditContext,
    actor: User,
    review_id: int,
    expected_version: int | None,
    answers: ReviewAnswers,
) -> SearchReview:
    """Record the reviewer's answers; the review is then final."""
    review = (
        restrict(SearchReview.objects.select_for_update(), actor, "change")
        .filter(pk=review_id)
        .first()
    )
    if review is None or not may_complete(actor, review):
        raise PermissionDenied
    if review.completed_at is not None:
        raise ValidationError(completed_message(review), code="review_completed")
    cleaned = check_answers(review.kind, answers)
    before = snapshot(review)
    check_version(review, expected_version)
    review.grounds_reasonable = cleaned.grounds_reasonable
    review.record_complete = cleaned.record_complete
    review.conduct_proportionate = cleaned.conduct_proportionate
    review.judgement = cleaned.judgement
    review.video_notes = cleaned.video_notes
    review.learning = cleaned.learning
    # An area inspector may take over a colleague's review: the one who answered is recorded.
    review.reviewer = actor
    review.completed_at = timezone.now()
    review.save()
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=review,
        reason=f"{review.kind} review completed",
        before=before,
        after=snapshot(review),
    )
    return review


# --- panel review assignment ------------------------------------------------------------------


def assignable_searches(actor: User) -> QuerySet[StopSearch]:
    """Searches the actor may send to the panel: an inspector's area (their search scope);
    an administrator, who runs the audit force-wide but reads no record, any search."""
    searches = StopSearch.objects.filter(source=Source.PONTIO)
    if actor.has_role(Role.ADMINISTRATOR):
        return searches
    return restrict(searches, actor, "view")


@transaction.atomic
def panel_assign(
    *,
    context: AuditContext,
    actor: User,
    reference: str,
    panel_member_id: int | None,
    today: dt.date | None = None,
) -> SearchReview:
    """Ask a panel member to review a search (with its body-worn video)."""
    require_permission(actor, "stopsearch.manage_audit")
    errors: dict[str, list[str]] = {}
    reference = reference.strip().upper()
    search = assignable_searches(actor).filter(reference=reference).first() if reference else None
    if not reference:
        errors["reference"] = [_("Enter the receipt reference of the search")]
    elif search is None:
        errors["reference"] = [
            _("There is no search recorded in Pontio with that reference that you can assign")
        ]
    member = panel_members().filter(pk=panel_member_id).first() if panel_member_id else None
    if member is None:
        errors["panel_member"] = [_("Choose the panel member who will review the search")]
    if search is not None and member is not None:
        already = SearchReview.objects.filter(
            search=search, kind=SearchReview.Kind.PANEL, reviewer=member, completed_at__isnull=True
        ).exists()
        if already:
            errors["reference"] = [
                _("This search is already waiting for a panel review by %(name)s")
                % {"name": member}
            ]
    if errors or search is None or member is None:
        raise ValidationError(errors, code="invalid_assignment")
    review = SearchReview.objects.create(
        search=search,
        kind=SearchReview.Kind.PANEL,
        reviewer=member,
        due_on=add_working_days(
            today or timezone.localdate(), settings.PONTIO_STOPSEARCH_REVIEW_DAYS
        ),
    )
    audit_record(
        context=context,
        action=AuditAction.CREATE,
        obj=review,
        reason="panel review assigned",
        after=snapshot(review),
    )
    return review


# --- escalation -------------------------------------------------------------------------------


def overdue(today: dt.date) -> QuerySet[SearchReview]:
    return SearchReview.objects.filter(due_on__lt=today, completed_at__isnull=True)


@transaction.atomic
def escalate_overdue(today: dt.date, *, context: AuditContext) -> int:
    """Mark every review past its due date and not completed as escalated (once).

    Escalated reviews show as "Overdue, escalated" on the reviewers' lists and are counted
    on the home panel of inspectors and administrators (``dashboard``).
    """
    now = timezone.now()
    escalated = 0
    for review in overdue(today).filter(escalated_at__isnull=True).select_for_update():
        before = snapshot(review)
        review.escalated_at = now
        review.save(update_fields=["escalated_at", "updated_at"])
        audit_record(
            context=context,
            action=AuditAction.UPDATE,
            obj=review,
            reason=f"review overdue since {review.due_on:%Y-%m-%d}: escalated",
            before=before,
            after=snapshot(review),
        )
        escalated += 1
    return escalated


# --- what independent reviewers see -----------------------------------------------------------


def _yes_no(value: bool | None) -> str:
    if value is None:
        return NONE
    return _("Yes") if value else _("No")


def anonymised_rows(search: StopSearch) -> list[tuple[str, str]]:
    """The record as an independent reviewer or panel member sees it: county and month only,
    no person, no exact place or time, no vehicle registration, no officer, no free-text
    reasons of later outcomes (they may name people); the grounds are shown as written,
    because judging them is the point of the review."""
    outcomes = [
        f"{update.get_kind_display()}: {update.get_outcome_display()}"
        for update in search.outcomes.all()
    ]
    return [
        (_("County"), str(search.county) if search.county else NONE),
        (_("Month"), formats.date_format(search.month, "F Y")),
        (_("Type of search"), search.get_search_type_display()),
        (_("Power used (legislation)"), search.get_legislation_display() or NONE),
        (_("Object of search"), search.get_object_of_search_display() or NONE),
        (_("Grounds for the search"), search.grounds or NONE),
        (_("GOWISELY information given"), _yes_no(search.gowisely_given)),
        (_("Outcome at the time"), search.get_original_outcome_display() or NONE),
        (_("Current outcome"), search.get_current_outcome_display() or NONE),
        (_("Outcome linked to object of search"), _yes_no(search.current_linked)),
        (_("Outcomes recorded"), "; ".join(outcomes) or NONE),
        (_("Gender"), search.get_gender_display() or NONE),
        (_("Age range"), search.get_age_range_display() or NONE),
        (_("Self-defined ethnicity"), search.get_self_defined_ethnicity_display() or NONE),
        (_("Officer-defined ethnicity"), search.get_officer_defined_ethnicity_display() or NONE),
        (
            _("More than outer clothing removed"),
            _yes_no(search.removal_of_more_than_outer_clothing),
        ),
        (_("Part of a policing operation"), _yes_no(search.part_of_operation)),
        (_("Body-worn video reference"), search.body_worn_video or NONE),
    ]


# --- the quarterly summary --------------------------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    """A calendar quarter (Q1 is January to March), written ``2026Q3``."""

    year: int
    number: int

    @property
    def key(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        """The first day after the quarter."""
        return Quarter(self.year + self.number // 4, self.number % 4 + 1).start

    @property
    def label(self) -> str:
        return _("%(year)s quarter %(number)s (%(first)s to %(last)s)") % {
            "year": self.year,
            "number": self.number,
            "first": formats.date_format(self.start, "F"),
            "last": formats.date_format(self.end - dt.timedelta(days=1), "F"),
        }

    def previous(self) -> Quarter:
        return Quarter(self.year, self.number - 1) if self.number > 1 else Quarter(self.year - 1, 4)

    def next(self) -> Quarter:
        return Quarter(self.year, self.number + 1) if self.number < 4 else Quarter(self.year + 1, 1)


def quarter_of(day: dt.date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def parse_quarter(value: str | None, today: dt.date) -> Quarter:
    """``2026Q3`` (case-insensitive), or the current quarter for anything else."""
    text = (value or "").strip().upper()
    year, sep, number = text.partition("Q")
    if sep and year.isdigit() and number in {"1", "2", "3", "4"} and 2000 <= int(year) <= 2100:
        return Quarter(int(year), int(number))
    return quarter_of(today)


@dataclass(frozen=True)
class AnswerCount:
    label: str
    yes: int
    no: int


@dataclass(frozen=True)
class QuarterSummary:
    quarter: Quarter
    judgements: list[tuple[str, int]]
    panel_total: int
    answers: dict[str, list[AnswerCount]]
    reviews_completed: dict[str, int]


QUESTIONS = (
    ("grounds_reasonable", _("Grounds reasonable")),
    ("record_complete", _("Record complete")),
    ("conduct_proportionate", _("Conduct proportionate")),
)


def quarter_summary(quarter: Quarter) -> QuarterSummary:
    """Counts of the reviews completed in the quarter: the panel's judgements and the
    audit reviewers' answers. Exact counts, no records: the panel sees its own findings."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(quarter.start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(quarter.end, dt.time.min, tzinfo=tz)
    rows = list(
        SearchReview.objects.filter(completed_at__gte=start, completed_at__lt=end).values(
            "kind", "judgement", *(field for field, _label in QUESTIONS)
        )
    )
    panel = [r for r in rows if r["kind"] == SearchReview.Kind.PANEL]
    judgements = [
        (str(label), sum(1 for r in panel if r["judgement"] == value))
        for value, label in SearchReview.Judgement.choices
    ]
    answers: dict[str, list[AnswerCount]] = {}
    completed: dict[str, int] = {}
    for kind in AUDIT_KINDS:
        of_kind = [r for r in rows if r["kind"] == kind]
        completed[kind] = len(of_kind)
        answers[kind] = [
            AnswerCount(
                label=str(label),
                yes=sum(1 for r in of_kind if r[field] is True),
                no=sum(1 for r in of_kind if r[field] is False),
            )
            for field, label in QUESTIONS
        ]
    return QuarterSummary(
        quarter=quarter,
        judgements=judgements,
        panel_total=len(panel),
        answers=answers,
        reviews_completed=completed,
    )
