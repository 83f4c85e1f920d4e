"""The referral page: one address for both sides, a different view of it for each.

Providers see the whole referral and their clinical work; the police (the referring
officer and their supervisors) see status, timers and outcome, never clinical detail.
Opening a new referral as its provider marks it received. Every opening is audited with
the person's id; a referral outside the user's scope is "not found", and the attempt is
audited (``scoped_get``).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_request
from pontio.core.access import permission_required, scoped_get
from pontio.core.recording import AuditAction
from pontio.referrals import services
from pontio.referrals.models import Party, Referral


@permission_required("referrals.view")
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from pontio.referrals import views_police, views_provider

    user: User = request.user  # type: ignore[assignment]
    referral = scoped_get(request, Referral.objects.all(), pk, audit_read=False)
    audit_request(request, AuditAction.READ, obj=referral, person_id=referral.person_id)
    services.mark_alerts_read(user, referral)
    if services.party_of(user) == Party.PROVIDER:
        services.referral_mark_received(
            context=AuditContext.from_request(request), actor=user, referral_id=referral.pk
        )
        referral.refresh_from_db()
        return views_provider.provider_detail(request, referral)
    return views_police.police_detail(request, referral)
