"""The webhooks app's rows for tests/system/test_access_matrix.py, as plain dicts of the
``Route`` fields, and the function that builds their records in the matrix's world. The
lead turns each into ``Route(**row)``.

Every page is the administrator's alone (everybody else: 403). The world's records
(``build_world``): a subscription of DDAS to every event ("matrix-hooks.example.org"), and
one delivery about the world's referral (never sent: the matrix's transaction never commits).
Needs ``world.referral_pk`` (built before).
"""

from __future__ import annotations

from typing import Any

from pontio.accounts.roles import Role

ADMIN = frozenset({Role.ADMINISTRATOR})
MATRIX_URL = "https://matrix-hooks.example.org/pontio"


def subscription(world: Any) -> dict[str, Any]:
    return {"pk": world.webhook_subscription_pk}


def delivery(world: Any) -> dict[str, Any]:
    return {"pk": world.webhook_delivery_pk}


def url_marker(world: Any) -> tuple[str, ...]:
    return ("matrix-hooks.example.org",)


def event_marker(world: Any) -> tuple[str, ...]:
    return (world.webhook_event_id,)


ROUTES: dict[str, dict[str, Any]] = {
    "webhooks:subscription-list": {"roles": ADMIN, "marker": url_marker},
    "webhooks:subscription-new": {"roles": ADMIN},
    "webhooks:subscription-detail": {"roles": ADMIN, "kwargs": subscription, "marker": url_marker},
    # Shows a secret only right after it is made, in the same session: here "already shown".
    "webhooks:subscription-secret": {"roles": ADMIN, "kwargs": subscription},
    "webhooks:subscription-rotate": {
        "roles": ADMIN,
        "kwargs": subscription,
        "status": 405,
        "post_only": True,
    },
    "webhooks:subscription-disable": {
        "roles": ADMIN,
        "kwargs": subscription,
        "status": 405,
        "post_only": True,
    },
    "webhooks:delivery-list": {"roles": ADMIN},
    "webhooks:delivery-detail": {"roles": ADMIN, "kwargs": delivery, "marker": event_marker},
    "webhooks:delivery-replay": {
        "roles": ADMIN,
        "kwargs": delivery,
        "status": 405,
        "post_only": True,
    },
}

# The World fields these rows read (add them to ``World``, ``0`` / ``""`` by default).
WORLD_FIELDS = {
    "webhook_subscription_pk": 0,
    "webhook_delivery_pk": 0,
    "webhook_event_id": "",
}


def build_world(world: Any, users: dict[str, Any]) -> None:
    """The records of the rows above, through the services (call from ``_build_world``)."""
    from django.utils import timezone

    from pontio.accounts.models import Organisation
    from pontio.audit.services import AuditContext
    from pontio.referrals.models import Referral
    from pontio.webhooks import services
    from pontio.webhooks.events import EVENT_TYPES, EventType

    ddas = Organisation.objects.get(name="Dyfed Drug and Alcohol Service")
    made, _secret = services.subscription_create(
        context=AuditContext.system("access-matrix"),
        actor=users["admin"],
        organisation_id=ddas.pk,
        url=MATRIX_URL,
        events=sorted(EVENT_TYPES),
    )
    referral = Referral.objects.get(pk=world.referral_pk)
    deliveries = services.event_publish(
        event_type=EventType.REFERRAL_AMENDED, referral=referral, created=timezone.now()
    )
    mine = next(d for d in deliveries if d.subscription_id == made.pk)
    world.webhook_subscription_pk = made.pk
    world.webhook_delivery_pk = mine.pk
    world.webhook_event_id = str(mine.event_id)
