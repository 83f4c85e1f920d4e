"""Who may do what with messages to referred people. Which rows: ``reminders.policies``.

- read the outbox (every message, its text and status): administrators, who run the
  Notify integration (the bodies name appointment times: every read is audited), and the
  staff link-only emails (``core.view_notifications``, the staff notices tab);
- the measure "attendance with and without reminders" (``aggregate`` counts): the OPCC
  analyst (suppressed) and provider managers (their referrals, exact).
"""

from __future__ import annotations

from pontio.accounts.roles import Role

PERMISSIONS: dict[str, frozenset[str]] = {
    "reminders.outbox": frozenset({Role.ADMINISTRATOR}),
    "reminders.view_metrics": frozenset({Role.OPCC_ANALYST, Role.PROVIDER_MANAGER}),
    # Staff link-only emails (``core.Notification``), read in the outbox's "Staff notices".
    "core.view_notifications": frozenset({Role.ADMINISTRATOR}),
}
