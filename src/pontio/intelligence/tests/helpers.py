"""Helpers of the intelligence tests: the public form's data and a report made to order."""

from __future__ import annotations

import time
from typing import Any

from pontio.audit.services import AuditContext
from pontio.core.models import County
from pontio.intelligence import protection, services
from pontio.intelligence.models import IntelligenceReport

CARMS, CERED, PEMBS, POWYS = "W06000010", "W06000008", "W06000009", "W06000023"
CONTEXT = AuditContext(view_name="test")


def county(code: str = CARMS) -> County:
    return County.objects.get(ons_code=code)


def public_data(**overrides: Any) -> dict[str, Any]:
    """A valid public post, with a form token shown 10 seconds ago."""
    data = {
        "token": protection.form_token(issued_at=time.time() - 10),
        "county": str(county().pk),
        "area": "Near the park on Station Road",
        "when_seen": "this_week",
        "how_known": "saw",
        "what": "People selling drugs from a car most evenings.",
        "website": "",
    }
    data.update(overrides)
    return data


def public_report(
    what: str = "Dealing outside the shop every night.", **kwargs: Any
) -> tuple[IntelligenceReport, str]:
    return services.report_submit_public(
        context=CONTEXT,
        county=kwargs.pop("county", None) or county(),
        area=kwargs.pop("area", "Town centre"),
        what=what,
        when_seen=kwargs.pop("when_seen", "this_week"),
        how_known=kwargs.pop("how_known", "saw"),
        **kwargs,
    )


def graded_report(
    officer: Any, *, handling: str = "P", what: str = "Dealing at the bus station."
) -> IntelligenceReport:
    report, _secret = public_report(what)
    report = services.report_grade(
        actor=officer,
        context=CONTEXT,
        report_id=report.pk,
        version=report.version,
        scheme="3x5x2",
        source_code="2",
        information_code="B",
        handling_code=handling,
    )
    report = services.report_sanitise(
        actor=officer,
        context=CONTEXT,
        report_id=report.pk,
        version=report.version,
        text="Drug supply reported at a transport hub.",
    )
    return services.report_prioritise(
        actor=officer,
        context=CONTEXT,
        report_id=report.pk,
        version=report.version,
        priority="medium",
        reason="Time-critical: regular pattern.",
    )
