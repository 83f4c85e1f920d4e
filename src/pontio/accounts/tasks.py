"""Background work of accounts (django-tasks): invitations and password links by Notify."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from pontio.accounts.models import User
from pontio.core.models import Notification
from pontio.core.notify import notification_send


def password_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:set-password", kwargs={"uidb64": uid, "token": token})
    return settings.PONTIO_BASE_URL.rstrip("/") + path


def _queue(user: User, template: str) -> Notification:
    return Notification.objects.create(
        template=template,
        language=user.preferred_language,
        recipient_user_id=user.pk,
        email_address=user.email,
        link=password_link(user),
    )


@task()
def send_account_invitation(user_id: int) -> int:
    user = User.objects.get(pk=user_id)
    return notification_send(_queue(user, "account_invitation")).pk


@task()
def send_password_reset(user_id: int) -> int:
    user = User.objects.get(pk=user_id)
    return notification_send(_queue(user, "password_reset")).pk
