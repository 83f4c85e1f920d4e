"""Custody API (v1, issue 12 item 8): custody records and their required-assessment states,
read and write, scoped like the pages (``custody.policies`` through ``selectors``); the
view classes are re-exported for ``api_urls``."""

from pontio.custody.api.views import (
    AssessmentDetail,
    AssessmentTransition,
    CustodyRecordDetail,
    CustodyRecordList,
)

__all__ = ["AssessmentDetail", "AssessmentTransition", "CustodyRecordDetail", "CustodyRecordList"]
