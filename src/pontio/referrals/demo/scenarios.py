"""What the demo referrals are made of: the police contacts, reasons and substances, and the
scenarios a referral follows (with the sent dates that leave each time to happen)."""

from __future__ import annotations

from pontio.referrals.models import Pathway, Status

SEED = 4
KEY = "demo-referral-"
PATHWAY_WEIGHTS = {
    Pathway.TEST_ON_ARREST: 22,
    Pathway.CUSTODY: 25,
    Pathway.STOP_SEARCH: 12,
    Pathway.OOCD: 10,
    Pathway.DIVERSION: 8,
    Pathway.VOLUNTARY: 23,
}
REASONS = {
    Pathway.TEST_ON_ARREST: (
        "Tested positive for cocaine on arrest for shoplifting; agreed to see a worker."
    ),
    Pathway.CUSTODY: "Disclosed daily heroin use to the custody nurse; wants help with a script.",
    Pathway.STOP_SEARCH: "Found with a small amount of cannabis; asked about support for his use.",
    Pathway.OOCD: "Conditional caution with a rehabilitative condition to attend an assessment.",
    Pathway.DIVERSION: "Possession of cocaine for personal use; diverted to the education session.",
    Pathway.VOLUNTARY: "Welfare check after a call from family; drinking heavily and using pills.",
}
SUBSTANCES = {
    Pathway.TEST_ON_ARREST: ("cocaine",),
    Pathway.CUSTODY: ("opioids", "crack"),
    Pathway.STOP_SEARCH: ("cannabis",),
    Pathway.OOCD: ("cocaine", "alcohol"),
    Pathway.DIVERSION: ("cocaine",),
    Pathway.VOLUNTARY: ("alcohol", "benzodiazepines"),
}
TOP_MAIN = {"opioids": "opiates", "crack": "crack", "cocaine": "cocaine", "cannabis": "cannabis"}
INTERVENTIONS = (
    "Psychosocial key work",
    "Structured psychosocial intervention",
    "Opioid substitution therapy",
    "Alcohol brief intervention and key work",
)

# scenario -> (weight among the referrals after the first ones, days ago it may be sent)
SCENARIOS: dict[str, tuple[int, tuple[int, int]]] = {
    "new": (8, (1, 3)),
    "received": (6, (2, 5)),
    "accepted": (8, (5, 8)),
    "rejected": (12, (5, 170)),
    "in_progress": (60, (12, 170)),
    "on_hold": (6, (40, 120)),
    "completed": (14, (150, 180)),
    "failed": (18, (60, 175)),
    "cancelled": (8, (4, 160)),
}
# The status each scenario ends in (the first referrals take each in turn).
ENDS = {
    "new": Status.REQUESTED,
    "received": Status.RECEIVED,
    "accepted": Status.ACCEPTED,
    "rejected": Status.REJECTED,
    "in_progress": Status.IN_PROGRESS,
    "on_hold": Status.ON_HOLD,
    "completed": Status.COMPLETED,
    "failed": Status.FAILED,
    "cancelled": Status.CANCELLED,
}
