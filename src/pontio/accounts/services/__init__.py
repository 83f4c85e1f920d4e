"""Writes of accounts, each audited: sign-in steps and sessions, user and organisation
administration, break-glass grants, password links."""

from __future__ import annotations

from pontio.accounts.services.break_glass import break_glass_grant
from pontio.accounts.services.organisations import (
    OrganisationData,
    organisation_create,
    organisation_update,
)
from pontio.accounts.services.sign_in import (
    SESSION_SIGNED_IN_AT,
    PasswordCheck,
    account_set_language,
    confirmed_device,
    mfa_enrolment_confirm,
    mfa_enrolment_device,
    mfa_verify,
    password_reset_request,
    sign_in_begin_second_step,
    sign_in_check_password,
    sign_in_complete,
    sign_in_pending_user,
    sign_out,
    sign_out_everywhere,
)
from pontio.accounts.services.users import (
    UserData,
    user_create,
    user_is_locked_out,
    user_reset_mfa,
    user_set_active,
    user_unlock,
    user_update,
)

__all__ = [
    "SESSION_SIGNED_IN_AT",
    "OrganisationData",
    "PasswordCheck",
    "UserData",
    "account_set_language",
    "break_glass_grant",
    "confirmed_device",
    "mfa_enrolment_confirm",
    "mfa_enrolment_device",
    "mfa_verify",
    "organisation_create",
    "organisation_update",
    "password_reset_request",
    "sign_in_begin_second_step",
    "sign_in_check_password",
    "sign_in_complete",
    "sign_in_pending_user",
    "sign_out",
    "sign_out_everywhere",
    "user_create",
    "user_is_locked_out",
    "user_reset_mfa",
    "user_set_active",
    "user_unlock",
    "user_update",
]
