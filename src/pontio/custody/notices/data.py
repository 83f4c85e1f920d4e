"""What a printed custody document says, as plain frozen dataclasses.

The notices never read a model: the custody services build these values from their records
and pass them in, so a reprint made from the same values is the same document. Datetimes
must be aware (they are printed in Europe/London time, as the rest of Pontio shows them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class NoticeKind(StrEnum):
    """The required-assessment notices (Drugs Act 2005 ss9-14; the Home Office RA forms)."""

    RA1 = "RA1"  # requirement to attend an initial assessment (s9) and a follow-up (s10)
    RA2 = "RA2"  # the appointment's time or place is changed
    RA3 = "RA3"  # record that the person attended and remained
    RA4 = "RA4"  # follow-up assessment required: its time and place in writing (s13)
    RA5 = "RA5"  # follow-up requirement ceases (s13)


class Stage(StrEnum):
    INITIAL = "initial"  # Drugs Act 2005 s9, failure an offence under s12
    FOLLOW_UP = "followup"  # Drugs Act 2005 s10, failure an offence under s14

    @classmethod
    def parse(cls, value: str) -> Stage:
        """The stage, also from "follow_up" (either spelling reaches the notices)."""
        return cls(value.replace("_", "")) if value.startswith("follow") else cls(value)


class Failure(StrEnum):
    """What the assessor reported to the police (Drugs Act 2005 ss12, 14)."""

    FAILED_TO_ATTEND = "failed_to_attend"
    LEFT_EARLY = "left_early"  # attended but did not remain for the whole assessment


class TestResult(StrEnum):
    """Specified Class A drugs found by the test on arrest or charge (PACE s63B)."""

    __test__ = False  # not a pytest test class, whatever its name

    OPIATES = "opiates"
    COCAINE = "cocaine"
    BOTH = "both"
    NEGATIVE = "negative"


class TestCondition(StrEnum):
    __test__ = False

    ARREST = "arrest"
    CHARGE = "charge"


@dataclass(frozen=True)
class Officer:
    name: str
    collar_number: str
    rank: str = ""


@dataclass(frozen=True)
class Appointment:
    start: dt.datetime
    place_lines: tuple[str, ...]
    provider_name_en: str
    provider_name_cy: str = ""
    phone: str = ""


@dataclass(frozen=True)
class NoticeData:
    """One RA notice.

    ``appointment`` is the appointment the notice gives (RA1, RA2, RA4) or the assessment
    that took place (RA3, RA5); ``previous_appointment`` is the one an RA2 replaces.
    ``officer`` is the officer imposing the requirement (RA1, RA2 at the initial stage);
    ``assessor_name`` the assessor who gives RA3-RA5 or an RA2 at the follow-up stage.
    """

    reference: str  # the custody number
    person_name: str
    date_of_birth: dt.date | None
    address_lines: tuple[str, ...]
    suite_name_en: str
    suite_name_cy: str
    officer: Officer
    issued_at: dt.datetime  # also the PDF's creation date, so that reprints are identical
    stage: Stage = Stage.INITIAL
    appointment: Appointment | None = None
    previous_appointment: Appointment | None = None
    reason: str = ""
    test_result: TestResult | str = ""
    sample_taken_at: dt.datetime | None = None
    attended_at: dt.datetime | None = None
    left_at: dt.datetime | None = None
    assessor_name: str = ""


@dataclass(frozen=True)
class StatementData:
    """The evidential statement for a failure to attend or remain (Drugs Act 2005 ss12, 14).

    The headings are in Welsh and English; the facts are written in ``language`` ("en" or
    "cy"), the language in which the witness makes the statement.
    """

    reference: str
    person_name: str
    date_of_birth: dt.date | None
    address_lines: tuple[str, ...]
    witness_name: str
    witness_occupation: str
    requirement_imposed_at: dt.datetime
    imposing_officer: Officer
    stage: Stage
    appointment: Appointment
    failure: Failure | str
    failure_reported_at: dt.datetime
    reported_by: str
    prepared_at: dt.datetime  # the PDF's creation date
    suite_name_en: str = ""
    suite_name_cy: str = ""
    notice_kind: NoticeKind | str = NoticeKind.RA1
    language: str = "en"


@dataclass(frozen=True)
class DrugTestData:
    """The record of a test for specified Class A drugs in police detention (PACE s63B)."""

    reference: str
    person_name: str
    date_of_birth: dt.date | None
    suite_name_en: str
    suite_name_cy: str
    condition: TestCondition | str
    trigger_offence: str  # the offence as recorded; "" when an inspector authorised
    inspector_authorisation: str  # who, when and on what grounds; "" for a trigger offence
    appropriate_adult: str  # name of the appropriate adult for under-17s, else ""
    warning_given_at: dt.datetime
    requested_by: Officer
    sample_taken_at: dt.datetime | None
    refused: bool
    result: TestResult | str  # "" when no sample was given
    disputed: bool
    confirmatory_sent_at: dt.datetime | None
    earliest_appointment: dt.date | None  # 5 working days after the sample, when disputed
    recorded_at: dt.datetime  # the PDF's creation date
