"""The disposal agreement the person signs, as a bilingual PDF (Welsh first, then English).

A conditional caution needs the person's signed agreement to its conditions, having been
told what happens if they are not complied with (Criminal Justice Act 2003 s23(3)-(5)); a
community resolution and the new cautions are agreed the same way. The document is drawn
from the disposal as it is: the values below, no other model read, nothing written (a
download is a read, audited by the page that serves it).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

from django.template import Context, Engine
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pontio.core.pdf import Bilingual, Both, html_to_pdf, stylesheet, w3c
from pontio.disposals.models import BreachRoute, Disposal

TEMPLATE_DIR = Path(__file__).resolve().parent / "printing_templates"
TITLE = Both(_("Out-of-court disposal agreement"))

BREACH_TEXT: dict[str, Promise] = {
    BreachRoute.PROSECUTION: _(
        "If you do not comply with a condition without a reasonable excuse, you may be "
        "prosecuted for the original offence."
    ),
    BreachRoute.FINANCIAL_PENALTY: _(
        "If you do not comply with a condition without a reasonable excuse, a financial "
        "penalty may be imposed and registered at court for enforcement."
    ),
    BreachRoute.NOT_ENFORCEABLE: _(
        "The conditions are agreed voluntarily. Not complying will be recorded and may be "
        "taken into account if you come to the attention of the police again."
    ),
}


@dataclass(frozen=True)
class Condition:
    text: str
    due: dt.date | None
    hours: int | None
    amount: str


@dataclass(frozen=True)
class AgreementData:
    reference: str
    person_name: str
    date_of_birth: dt.date | None
    offence: Bilingual
    offence_date: dt.date
    disposal_type: Bilingual
    statute: Bilingual
    compliance_due: dt.date | None
    conditions: tuple[Condition, ...]
    breach_route: str
    officer: str
    authorised_by: str
    created: dt.datetime


def agreement_data(disposal: Disposal) -> AgreementData:
    kind = disposal.disposal_type
    assert kind is not None  # noqa: S101 - only a disposal has an agreement
    conditions = tuple(
        Condition(
            text=c.description,
            due=c.due_date,
            hours=c.hours,
            amount=f"£{c.amount_pence / 100:,.2f}" if c.amount_pence else "",
        )
        for c in disposal.conditions.order_by("pk")
    )
    authoriser = disposal.authorised_by
    return AgreementData(
        reference=disposal.reference,
        person_name=str(disposal.person),
        date_of_birth=disposal.person.date_of_birth,
        offence=Bilingual(disposal.offence.label_en, disposal.offence.label_cy),
        offence_date=disposal.offence_date,
        disposal_type=Bilingual(kind.label_en, kind.label_cy),
        statute=Bilingual(kind.statute_en, kind.statute_cy),
        compliance_due=disposal.compliance_due,
        conditions=conditions,
        breach_route=kind.breach_route,
        officer=disposal.decided_by.get_full_name() if disposal.decided_by else "",
        authorised_by=authoriser.get_full_name() if authoriser else "",
        # The authorisation (or decision) time, never the clock: a reprint is the same file.
        created=disposal.authorised_at or disposal.decided_at or timezone.now(),
    )


@functools.cache
def _engine() -> Engine:
    return Engine(
        dirs=[str(TEMPLATE_DIR)],
        libraries={"i18n": "django.templatetags.i18n"},
        autoescape=True,
    )


def render_agreement(data: AgreementData) -> bytes:
    html = (
        _engine()
        .get_template("disposals/print/agreement.html")
        .render(
            Context(
                {
                    "data": data,
                    "title": TITLE,
                    "created": w3c(data.created),
                    "breach": BREACH_TEXT.get(data.breach_route, ""),
                }
            )
        )
    )
    return html_to_pdf(html, stylesheet())
