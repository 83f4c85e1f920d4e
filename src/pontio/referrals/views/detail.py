"""The referral page: one address for both sides, a different view of it for each.

Providers see the whole referral and their clinical work; the police (the referring
officer and their supervisors) see status, timers and outcome, never clinical detail.
Opening a new referral as its provider marks it received. Every opening is audited with
the person's id; a referral outside the user's scope is "not found", and the attempt is
audited (``scoped_get``).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from pontio.audit.services import audit_request
from pontio.core.access import permission_required, scoped_get
from pontio.core.recording import AuditAction
from pontio.referrals import services
from pontio.referrals.models import Party, Referral
from pontio.referrals.views.common import context_of, user_of
from pontio.referrals.views.police import police_detail
from pontio.referrals.views.provider import provider_detail


@permission_required("referrals.view")
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    referral = scoped_get(request, Referral.objects.all(), pk, audit_read=False)
    audit_request(request, AuditAction.READ, obj=referral, person_id=referral.person_id)
    services.mark_alerts_read(user, referral)
    if services.party_of(user) == Party.PROVIDER:
        services.referral_mark_received(
            context=context_of(request), actor=user, referral_id=referral.pk
        )
        referral.refresh_from_db()
        return provider_detail(request, referral)
    return police_detail(request, referral)
