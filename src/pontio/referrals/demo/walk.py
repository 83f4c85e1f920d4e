"""One demo referral walked along its lifecycle through the services, each step at its time
(``time_machine.travel(moment, tick=False)``, so ``timezone.now()`` is the step's moment)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import time_machine
from django.utils import timezone

from pontio.accounts.models import User
from pontio.audit.services import AuditContext
from pontio.core.working_days import add_working_days
from pontio.referrals import services
from pontio.referrals.demo.scenarios import INTERVENTIONS
from pontio.referrals.models import (
    Appointment,
    ClinicalRecord,
    ContactAttempt,
    Referral,
    Status,
    TopStage,
)

T = TypeVar("T")


class Later(Exception):
    """The next step of a walk would be in the future: the referral stays as it is."""


@dataclass
class Walk:
    """One referral walked along its lifecycle through the services, each step at its time."""

    referral: Referral
    officer: User
    worker: User
    manager: User | None
    context: AuditContext
    rng: random.Random
    now: dt.datetime
    main: str
    last: dt.datetime = field(init=False)

    def __post_init__(self) -> None:
        self.last = self.referral.sent_at

    @property
    def today(self) -> dt.date:
        return timezone.localtime(self.now).date()

    @property
    def last_day(self) -> dt.date:
        return timezone.localtime(self.last).date()

    def at(self, day: dt.date, hour_from: int = 9, hour_to: int = 17) -> dt.datetime:
        """A moment on ``day`` in working hours, after the last step."""
        naive = dt.datetime.combine(
            day, dt.time(self.rng.randint(hour_from, hour_to - 1), self.rng.choice((0, 15, 30)))
        )
        return max(timezone.make_aware(naive), self.last + dt.timedelta(minutes=5))

    def step(self, moment: dt.datetime, call: Callable[[], T]) -> T:
        """Run a service call at ``moment`` (``timezone.now()`` is that moment inside)."""
        if moment >= self.now:
            raise Later
        with time_machine.travel(moment, tick=False):
            result = call()
        self.last = moment
        return result

    @property
    def version(self) -> int:
        return self.referral.version

    def _keep(self, referral: Any) -> None:
        if referral is not None:
            self.referral = referral

    # --- the steps -------------------------------------------------------------------

    def received(self) -> None:
        moment = self.at(self.referral.sent_on, 9, 18)
        self._keep(
            self.step(
                moment,
                lambda: services.referral_mark_received(
                    context=self.context, actor=self.worker, referral_id=self.referral.pk
                ),
            )
        )

    def move(
        self,
        day: dt.date,
        to_status: str,
        code: str | None = None,
        reason: str = "",
        actor: User | None = None,
    ) -> None:
        self._keep(
            self.step(
                self.at(day),
                lambda: services.referral_transition(
                    context=self.context,
                    actor=actor or self.worker,
                    referral_id=self.referral.pk,
                    expected_version=self.version,
                    to_status=to_status,
                    code=code,
                    reason=reason,
                ),
            )
        )

    def allocate(self) -> None:
        """The manager allocates the worker, unless accepting already did (a caseworker who
        accepts a referral takes it) or the manager is the worker."""
        manager = self.manager
        if manager is None or manager == self.worker or self.rng.random() < 0.3:
            return
        if self.referral.allocated_to_id is not None:
            return
        self._keep(
            self.step(
                self.last + dt.timedelta(minutes=10),
                lambda: services.referral_allocate(
                    context=self.context,
                    actor=manager,
                    referral_id=self.referral.pk,
                    expected_version=self.version,
                    caseworker_id=self.worker.pk,
                ),
            )
        )

    def attempt(self, day: dt.date, outcome: str) -> None:
        moment = self.at(day)
        made = self.step(
            moment,
            lambda: services.contact_attempt_add(
                context=self.context,
                actor=self.worker,
                referral_id=self.referral.pk,
                at=moment,
                channel="phone" if self.referral.contact_phone else "letter",
                outcome=outcome,
            ),
        )
        self._keep(made.referral)

    def appointment(self, day: dt.date, attended: bool) -> bool:
        """Book an assessment on ``day`` (booked now) and record attendance after it."""
        starts = timezone.make_aware(
            dt.datetime.combine(day, dt.time(self.rng.randint(10, 15), self.rng.choice((0, 30))))
        )
        booked = self.step(
            self.last + dt.timedelta(minutes=10),
            lambda: services.appointment_book(
                context=self.context,
                actor=self.worker,
                referral_id=self.referral.pk,
                kind=Appointment.Kind.ASSESSMENT,
                starts_at=starts,
                place="Drop-in centre",
            ),
        )
        self.last = max(self.last, starts)
        attendance = (
            Appointment.Attendance.ATTENDED if attended else Appointment.Attendance.DID_NOT_ATTEND
        )
        recorded = self.step(
            starts + dt.timedelta(hours=1),
            lambda: services.appointment_record_attendance(
                context=self.context,
                actor=self.worker,
                appointment_id=booked.pk,
                expected_version=booked.version,
                attendance=attendance,
            ),
        )
        self._keep(recorded.referral)
        return attended

    def clinical(self, day: dt.date, kind: str, intervention: str = "") -> None:
        made = self.step(
            self.at(day),
            lambda: services.clinical_record_add(
                context=self.context,
                actor=self.worker,
                referral_id=self.referral.pk,
                kind=kind,
                on=day,
                intervention=intervention,
            ),
        )
        self._keep(made.referral)

    def top(self, day: dt.date, stage: str, days: int, qol: int) -> None:
        main = self.main
        values: dict[str, Any] = {
            f"{main}_days": days,
            "injecting_days": 0 if main != "opiates" else max(days - 8, 0),
            "shoplifting_days": max(days // 4 - 1, 0),
            "psychological_health": max(qol - 2, 0),
            "physical_health": qol,
            "quality_of_life": qol,
        }
        made = self.step(
            self.at(day),
            lambda: services.top_record(
                context=self.context,
                actor=self.worker,
                referral_id=self.referral.pk,
                stage=stage,
                interview_date=day,
                main_substance=main,
                values=values,
            ),
        )
        self._keep(made.referral)

    # --- the parts of a scenario -------------------------------------------------------

    def accept(self) -> None:
        sent = self.referral.sent_on
        self.received()
        day = add_working_days(sent, self.rng.choice((0, 1, 1, 2)))
        self.move(min(day, self.today), Status.ACCEPTED)
        self.allocate()

    def contact(self) -> dt.date:
        """Attempts until the person answers; the day they did."""
        sent = self.referral.sent_on
        day = add_working_days(sent, self.rng.choice((1, 1, 2, 2, 3, 5)))
        tries = self.rng.choice((1, 1, 2, 3))
        for n in range(tries):
            last = n == tries - 1
            self.attempt(
                day, ContactAttempt.Outcome.SPOKE if last else ContactAttempt.Outcome.NO_ANSWER
            )
            if not last:
                day = add_working_days(day, 1)
        return day

    def assessed(self, contacted: dt.date, dna_chance: float = 0.18) -> dt.date | None:
        """Assessment appointments until one is attended (a did-not-attend alerts the police
        and is booked again once); the day attended, or None."""
        day = max(
            add_working_days(self.referral.sent_on, self.rng.randint(3, 14)),
            add_working_days(contacted, 1),
        )
        for _try in range(2):
            if self.appointment(day, attended=self.rng.random() > dna_chance):
                self.clinical(day, ClinicalRecord.Kind.ASSESSMENT)
                return day
            day = add_working_days(day, 5)
        return None

    def treatment(self, assessed_on: dt.date) -> tuple[dt.date, int]:
        start = add_working_days(assessed_on, self.rng.randint(1, 12))
        self.clinical(start, ClinicalRecord.Kind.TREATMENT_START, self.rng.choice(INTERVENTIONS))
        days = self.rng.randint(12, 28)
        self.top(start, TopStage.START, days, self.rng.randint(5, 11))
        return start, days

    def review(self, start: dt.date, days: int, latest: dt.date) -> tuple[dt.date, int]:
        review = min(start + dt.timedelta(days=self.rng.randint(80, 100)), latest)
        later = min(max(days - self.rng.randint(-3, 20), 0), 28)  # TOP counts up to 28 days
        self.top(max(review, start), TopStage.REVIEW, later, self.rng.randint(8, 16))
        return review, later

    def close(self, day: dt.date, code: str, to_status: str) -> None:
        self.move(day, to_status, code=code)


def walk_through(walk: Walk, scenario: str, plain: bool = False) -> None:
    """Walk the referral through its scenario. ``plain``: the simplest way to the scenario's
    status (no missed appointment, no other ending), so that it is reached whatever today is."""
    rng, today = walk.rng, walk.today
    sent = walk.referral.sent_on
    if scenario == "new":
        return
    if scenario == "received":
        walk.received()
        return
    if scenario == "rejected":
        walk.received()
        code = rng.choice(["REJ_NEEDS_NOT_MET", "REJ_ALREADY_OPEN", "REJ_OUT_OF_AREA"])
        walk.move(add_working_days(sent, 1), Status.REJECTED, code=code)
        return
    if scenario == "cancelled" and (plain or rng.random() < 0.6):
        # The police withdraw it before the work starts.
        if rng.random() < 0.5:
            walk.received()
        code = rng.choice(["CAN_CONSENT_WITHDRAWN", "CAN_NO_LONGER_NEEDED", "CAN_SENT_IN_ERROR"])
        walk.move(add_working_days(sent, 1), Status.CANCELLED, code=code, actor=walk.officer)
        return
    walk.accept()
    if scenario == "accepted":
        if rng.random() < 0.5:
            walk.attempt(min(add_working_days(sent, 1), today), ContactAttempt.Outcome.NO_ANSWER)
        return
    contacted = walk.contact()
    if scenario == "failed" and (plain or rng.random() < 0.25):
        walk.close(
            add_working_days(contacted, rng.randint(2, 8)), "CLO_CLIENT_DECLINED", Status.FAILED
        )
        return
    dna_chance = 0.0 if plain else 0.9 if scenario == "failed" else 0.18
    assessed = walk.assessed(contacted, dna_chance)
    if assessed is None:
        if scenario in ("failed", "completed", "cancelled", "on_hold"):
            walk.close(
                add_working_days(walk.last_day, 10), "CLO_DNA_BEFORE_ASSESSMENT", Status.FAILED
            )
        return
    if scenario == "on_hold":
        hold = walk.last_day + dt.timedelta(days=rng.randint(1, 10))
        code = rng.choice(["HOLD_HOSPITAL", "HOLD_CUSTODY", "HOLD_PERSON_ASKED"])
        walk.move(min(hold, today - dt.timedelta(days=1)), Status.ON_HOLD, code=code)
        return
    start, days = walk.treatment(assessed)
    if scenario == "cancelled":
        code = rng.choice(["CLO_MOVED_AWAY", "CLO_PRISON"])
        walk.close(start + dt.timedelta(days=rng.randint(10, 40)), code, Status.CANCELLED)
        return
    if scenario == "failed":
        end = start + dt.timedelta(days=rng.randint(15, 60))
        walk.close(end, "CLO_DNA_DURING_TREATMENT", Status.FAILED)
        return
    review_by = today - dt.timedelta(days=12) if scenario == "completed" else today
    if start + dt.timedelta(days=80) > review_by:
        return  # in progress: the review is not due yet
    review, later = walk.review(start, days, review_by)
    if scenario != "completed":
        return
    end = min(review + dt.timedelta(days=rng.randint(10, 40)), today - dt.timedelta(days=1))
    walk.top(max(end, review), TopStage.EXIT, max(later - rng.randint(0, 6), 0), rng.randint(9, 17))
    code = rng.choice(
        ["CLO_PLANNED_COMPLETE", "CLO_PLANNED_SUBSTANCE_FREE", "CLO_PLANNED_REFERRED_ON"]
    )
    walk.close(max(end, review), code, Status.COMPLETED)
