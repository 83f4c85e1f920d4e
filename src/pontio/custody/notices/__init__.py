"""Printable custody documents: the bilingual RA1-RA5 notices, the evidential statement for a
failure to attend or remain, and the record of a drug test (Drugs Act 2005 ss9-14;
PACE ss63B-63C). Built from plain dataclasses, independent of the custody models.
"""

from .data import (
    Appointment,
    DrugTestData,
    Failure,
    NoticeData,
    NoticeKind,
    Officer,
    Stage,
    StatementData,
    TestCondition,
    TestResult,
)
from .render import (
    NoticeError,
    render_notice,
    render_statement,
    render_test_record,
)

NOTICE_KINDS = tuple(NoticeKind)

__all__ = [
    "NOTICE_KINDS",
    "Appointment",
    "DrugTestData",
    "Failure",
    "NoticeData",
    "NoticeError",
    "NoticeKind",
    "Officer",
    "Stage",
    "StatementData",
    "TestCondition",
    "TestResult",
    "render_notice",
    "render_statement",
    "render_test_record",
]
