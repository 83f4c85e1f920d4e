"""The audit event kinds of accounts: sign-in, sign-out, second factor, break-glass.

Registered with the kernel when the app starts (``AccountsConfig.ready``), so the audit log
stores and labels them without knowing what they mean.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountEvent(models.TextChoices):
    BREAK_GLASS = "break_glass", _("Break-glass access")
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
    LOCKED_OUT = "locked_out", _("Locked out")
    SIGN_OUT = "sign_out", _("Signed out")
    SIGN_OUT_EVERYWHERE = "sign_out_everywhere", _("Signed out everywhere")
    MFA_ENROLLED = "mfa_enrolled", _("Two-factor set up")
    MFA_FAILED = "mfa_failed", _("Wrong security code")
    SESSION_EXPIRED = "session_expired", _("Session expired")
