"""Writes to person records: each in one transaction with its audit event (person id set).

- ``records``: create and update a person, the identity check of step 1, and what every
  person write shares (locking, snapshots, audited refusals);
- ``parts``: addresses with their history, phones, emails, other names, custody numbers,
  flags and consent;
- ``merges``: merging duplicates reversibly, and undoing a merge.

The rules of the values themselves (dates, PNC ID, postcode, phone, email) are in
``people.validation``; who may do what on a record is ``people.actions``. Police processing
of these records is law enforcement processing under DPA 2018 Part 3; see ``people.models``
for the lawful bases recorded per purpose.
"""

from pontio.people.services.merges import (
    FILLED_FIELDS,
    MERGED_RELATIONS,
    RESTORED_FIELDS,
    MergeResult,
    dates_compatible,
    merge_conflicts,
    person_merge,
    person_unmerge,
)
from pontio.people.services.parts import (
    AddressData,
    ConsentData,
    address_add,
    alias_add,
    consent_record,
    consent_record_for_referral,
    custody_number_add,
    email_add,
    flag_raise,
    flag_resolve,
    phone_add,
)
from pontio.people.services.records import (
    SNAPSHOT_EXCLUDE,
    CheckedIdentity,
    PersonData,
    identity_check,
    person_create,
    person_update,
    pnc_id_taken,
    snapshot,
)
from pontio.people.validation import (
    MAX_AGE_YEARS,
    check_pnc_format,
    clean_phone,
    clean_postcode,
    validate_date_of_birth,
)

__all__ = [
    "FILLED_FIELDS",
    "MAX_AGE_YEARS",
    "MERGED_RELATIONS",
    "RESTORED_FIELDS",
    "SNAPSHOT_EXCLUDE",
    "AddressData",
    "CheckedIdentity",
    "ConsentData",
    "MergeResult",
    "PersonData",
    "address_add",
    "alias_add",
    "check_pnc_format",
    "clean_phone",
    "clean_postcode",
    "consent_record",
    "consent_record_for_referral",
    "custody_number_add",
    "dates_compatible",
    "email_add",
    "flag_raise",
    "flag_resolve",
    "identity_check",
    "merge_conflicts",
    "person_create",
    "person_merge",
    "person_unmerge",
    "person_update",
    "phone_add",
    "pnc_id_taken",
    "snapshot",
    "validate_date_of_birth",
]
