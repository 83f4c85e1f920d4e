"""The vocabularies of a device examination request: devices, levels, priorities, the legal
basis, result outcomes, and the turnaround targets.

The legal basis (``LegalBasis``) is the power under which the police hold the device and may
examine what is on it. It is a choice from a list, never free text, so a request without one
can be refused and the capacity figures can be read by basis. The entries paraphrase:

- Police and Criminal Evidence Act 1984 (PACE) s.19: the general power to seize evidence
  found by an officer lawfully on premises, with s.20 extending it to information held in
  electronic form (that it be produced in a form that can be taken away);
- PACE s.18: search of premises occupied or controlled by an arrested person;
- PACE s.32: search of an arrested person, and of premises where they were, on arrest;
- Misuse of Drugs Act 1971 s.23: search of a person or vehicle suspected of having a
  controlled drug, and seizure of anything that appears to be evidence (s.23(2)); a search
  warrant under s.23(3) is the separate "warrant" entry;
- a search warrant (PACE s.8, or Misuse of Drugs Act 1971 s.23(3)), with its reference;
- the device user's consent, recorded with its reference (the consent form);
- Criminal Justice and Police Act 2001 s.50: seize-and-sift, where a device cannot be
  examined on the premises;
- Criminal Procedure and Investigations Act 1996 (CPIA) and its Code of Practice: the duty to
  pursue reasonable lines of enquiry, for a device already lawfully held (for example one
  handed over by a witness), which is a duty, not a power of seizure.

DOMAIN.md names the Misuse of Drugs Act 1971 s.23 and PACE s.1 (stop and search, §5.3) but
none of the other powers: the list is an assumption to confirm with the force's digital
forensics unit and legal services before live use (docs: examinations, "Legal basis").

Turnaround targets are in working days (``core.working_days``), counted from the day the
request is made: triage 2, logical extraction 10, full extraction 30. They are Pontio's
defaults, not a national standard (the NPCC digital forensics strategy sets no numbers);
the force sets its own in ``TARGET_WORKING_DAYS``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeviceKind(models.TextChoices):
    PHONE = "phone", _("Mobile phone")
    COMPUTER = "computer", _("Computer or laptop")
    STORAGE = "storage", _("Storage (USB drive, memory card, hard drive)")
    OTHER = "other", _("Other device")


class Level(models.TextChoices):
    """How deep the examination goes (the order is the order of depth)."""

    TRIAGE = "triage", _("Triage")
    LOGICAL = "logical", _("Logical extraction")
    FULL = "full", _("Full extraction")


TARGET_WORKING_DAYS: dict[str, int] = {Level.TRIAGE: 2, Level.LOGICAL: 10, Level.FULL: 30}


class Priority(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")


PRIORITY_RANK: dict[str, int] = {Priority.URGENT: 0, Priority.HIGH: 1, Priority.NORMAL: 2}


class LegalBasis(models.TextChoices):
    PACE_S19_S20 = (
        "pace_s19_s20",
        _("PACE 1984 s.19 and s.20: seized on premises, including information held electronically"),
    )
    PACE_S18 = "pace_s18", _("PACE 1984 s.18: search of premises after arrest")
    PACE_S32 = "pace_s32", _("PACE 1984 s.32: search on arrest")
    MDA_S23 = "mda_s23", _("Misuse of Drugs Act 1971 s.23(2): search and seizure for drugs")
    WARRANT = "warrant", _("Search warrant (PACE s.8 or Misuse of Drugs Act 1971 s.23(3))")
    CONSENT = "consent", _("Consent of the device user")
    CJPA_S50 = "cjpa_s50", _("Criminal Justice and Police Act 2001 s.50: seize and sift")
    CPIA = "cpia", _("CPIA 1996: reasonable lines of enquiry, for a device already lawfully held")


# The bases that are a document with a number: the request names it.
BASIS_NEEDS_REFERENCE = frozenset({LegalBasis.WARRANT, LegalBasis.CONSENT})


class SourceKind(models.TextChoices):
    OPERATION = "operation", _("An operation")
    INTELLIGENCE = "intelligence", _("An intelligence report")
    CUSTODY = "custody", _("A custody record")


class Status(models.TextChoices):
    REQUESTED = "requested", _("In the queue")
    ASSIGNED = "assigned", _("Assigned")
    COMPLETED = "completed", _("Result recorded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = frozenset({Status.REQUESTED, Status.ASSIGNED})


class Unit(models.TextChoices):
    LOCAL = "local", _("Local digital media investigator")
    CENTRAL = "central", _("Central digital forensics unit")


class Outcome(models.TextChoices):
    """What the examination of one device came to: a category, never what was found."""

    ITEMS_FOUND = "items_found", _("Examined: items of interest found")
    NOTHING_FOUND = "nothing_found", _("Examined: nothing of interest")
    PARTIAL = "partial", _("Partly examined")
    LOCKED = "locked", _("Not examined: locked or encrypted")
    DAMAGED = "damaged", _("Not examined: damaged")


EXAMINED_OUTCOMES = frozenset({Outcome.ITEMS_FOUND, Outcome.NOTHING_FOUND, Outcome.PARTIAL})
