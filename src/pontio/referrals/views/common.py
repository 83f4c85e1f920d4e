"""What the referral pages share: the signed-in user, links back and breadcrumbs."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import AuditContext
from pontio.referrals.models import Referral

Crumbs = list[tuple[str, str | None]]


def user_of(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def context_of(request: HttpRequest) -> AuditContext:
    return AuditContext.from_request(request)


def inbox_url() -> str | None:
    try:
        return reverse("referrals:inbox")
    except NoReverseMatch:
        return None


def detail_url(referral: Referral) -> str:
    return reverse("referrals:detail", args=[referral.pk])


def referral_crumbs(referral: Referral, title: str | None = None) -> Crumbs:
    """Referrals > the referral (> the page, when ``title``)."""
    if title is None:
        return [(_("Referrals"), inbox_url()), (str(referral.reference), None)]
    return [
        (_("Referrals"), inbox_url()),
        (str(referral.reference), detail_url(referral)),
        (title, None),
    ]
