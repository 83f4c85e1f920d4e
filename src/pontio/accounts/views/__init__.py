"""Pages of accounts: sign-in with a security code, your account, user and organisation
administration, break-glass. Views parse input and render; the rules live in ``services``."""

from __future__ import annotations

from pontio.accounts.views.account import account, sign_out_everywhere
from pontio.accounts.views.break_glass import break_glass, break_glass_list
from pontio.accounts.views.organisations import (
    organisation_create,
    organisation_edit,
    organisation_list,
)
from pontio.accounts.views.sign_in import (
    SetPasswordView,
    forgot_password,
    lockout_response,
    set_up_code,
    sign_in,
    sign_in_code,
    sign_out,
)
from pontio.accounts.views.users import user_action, user_create, user_detail, user_edit, user_list

__all__ = [
    "SetPasswordView",
    "account",
    "break_glass",
    "break_glass_list",
    "forgot_password",
    "lockout_response",
    "organisation_create",
    "organisation_edit",
    "organisation_list",
    "set_up_code",
    "sign_in",
    "sign_in_code",
    "sign_out",
    "sign_out_everywhere",
    "user_action",
    "user_create",
    "user_detail",
    "user_edit",
    "user_list",
]
