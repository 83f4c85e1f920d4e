"""The public's pages: the anonymous form, the status lookup and "you said, we did".

None needs a sign-in or JavaScript. Refusals (a file, an oversized body, the honeypot, a form
token too fast, expired or replayed, a flood from one address) change nothing and are logged
by kind only: never the content, never the address (the rate limit counts an HMAC of it).
"""

from __future__ import annotations

import logging
from itertools import groupby
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from pontio.audit.services import AuditContext
from pontio.core.http import client_ip
from pontio.core.i18n import in_active_language
from pontio.core.models import County
from pontio.intelligence import protection, selectors, services
from pontio.intelligence.forms import PublicSubmissionForm, StatusForm, month_label
from pontio.intelligence.models import ReportStatus

logger = logging.getLogger("pontio.intelligence")

# A generous ceiling on the whole urlencoded body (the text itself is capped at MAX_TEXT
# characters; Welsh letters and percent-encoding make a character up to 9 bytes).
MAX_BODY_BYTES = 64 * 1024


def _refuse(
    request: HttpRequest, kind: str, template: str, status: int, **context: Any
) -> HttpResponse:
    logger.warning("intelligence public refusal: %s", kind)
    return render(request, template, {"refusal": kind, **context}, status=status)


def _form_page(request: HttpRequest, form: PublicSubmissionForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "intelligence/public/report.html",
        {"form": form, "token": protection.form_token(), "fields": form.visible_fields_for_page()},
        status=status,
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    """The anonymous form. GET shows it; POST refuses or stores, then shows the reference
    and the one-time secret (on this response only: never in a URL, a session or a log)."""
    if request.method == "GET":
        return _form_page(request, PublicSubmissionForm())

    address = client_ip(request)
    # Files first, before anything reads the body as a form: this form takes none.
    if (request.content_type or "").startswith("multipart/") or request.FILES:
        return _refuse(request, "file", "intelligence/public/refused.html", 400)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        return _refuse(request, "too_large", "intelligence/public/refused.html", 413)
    if not protection.hit(protection.submission_limit(), address):
        return _refuse(request, "rate_limited", "intelligence/public/limited.html", 429)
    if request.POST.get(protection.HONEYPOT_FIELD):
        return _refuse(request, "honeypot", "intelligence/public/refused.html", 400)
    token_problem = protection.check_token(request.POST.get("token", ""))
    if token_problem:
        return _refuse(request, token_problem, "intelligence/public/refused.html", 400)

    form = PublicSubmissionForm(request.POST)
    if not form.is_valid():
        logger.info("intelligence public submission: form errors %s", sorted(form.errors))
        return _form_page(request, form, status=400)
    data = form.cleaned_data
    try:
        report_row, secret = services.report_submit_public(
            context=AuditContext.from_request(request),
            county=data["county"],
            area=data["area"],
            what=data["what"],
            when_seen=data["when_seen"],
            how_known=data["how_known"],
        )
    except ValidationError as error:
        fields = sorted(error.message_dict) if hasattr(error, "error_dict") else ["__all__"]
        logger.info("intelligence public submission refused: fields %s", fields)
        form.add_validation_error(error)
        return _form_page(request, form, status=400)
    logger.info("intelligence public submission stored: report %s", report_row.pk)
    return render(
        request,
        "intelligence/public/sent.html",
        {"reference": report_row.reference, "secret": secret},
    )


STATUS_TEXT: dict[str, str] = {
    ReportStatus.RECEIVED: "received",
    ReportStatus.ASSESSED: "assessed",
    ReportStatus.ACTIONED: "actioned",
}


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    """Reference and secret -> "received", "assessed" or "actioned"; anything wrong -> the
    same "not found" answer, so a reference cannot be probed. POST only: the secret stays out
    of URLs and logs."""
    if request.method == "GET":
        return render(request, "intelligence/public/status.html", {"form": StatusForm()})
    if not protection.hit(protection.lookup_limit(), client_ip(request)):
        return _refuse(
            request, "status_rate_limited", "intelligence/public/limited.html", 429, lookup=True
        )
    form = StatusForm(request.POST)
    if not form.is_valid():
        return render(request, "intelligence/public/status.html", {"form": form}, status=400)
    found = services.public_status(form.cleaned_data["reference"], form.cleaned_data["secret"])
    if found is None:
        logger.info("intelligence status lookup: not found")
        return render(
            request,
            "intelligence/public/status.html",
            {"form": StatusForm(), "not_found": True},
            status=404,
        )
    return render(
        request,
        "intelligence/public/status.html",
        {
            "form": StatusForm(),
            "status": STATUS_TEXT[found],
            "reference": form.cleaned_data["reference"].strip().upper(),
        },
    )


@login_not_required
@require_GET
def community_index(request: HttpRequest) -> HttpResponse:
    counties = [
        {
            "county": c,
            "url": reverse("intelligence:community-county", args=[selectors.county_slug(c)]),
        }
        for c in County.objects.effective().order_by("sort_order", "code")
    ]
    return render(request, "intelligence/public/community_index.html", {"counties": counties})


@login_not_required
@require_GET
def community_county(request: HttpRequest, slug: str) -> HttpResponse:
    """A county's approved lines by month ("March 2026"): the text and the month, nothing else."""
    county = selectors.county_by_slug(slug)
    if county is None:
        raise Http404
    lines = [
        {
            "month": s.month,
            "you_said": in_active_language(s.you_said_en, s.you_said_cy),
            "we_did": in_active_language(s.we_did_en, s.we_did_cy),
        }
        for s in selectors.published_summaries(county)
    ]
    months = [
        {"label": month_label(month), "lines": list(items)}
        for month, items in groupby(lines, key=lambda line: line["month"])
    ]
    return render(
        request,
        "intelligence/public/community_county.html",
        {"county": county, "months": months, "report_url": reverse("intelligence:report")},
    )
