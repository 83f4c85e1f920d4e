"""Person pages. Views parse input and render; rules live in ``services``, reads in
``selectors`` and who may do what in ``actions``.

- ``records``: the list and search, a person's record, "add a person", changing details;
- ``parts``: adding an address, phone, email, other name, custody number, flag or consent,
  and resolving a flag;
- ``merges``: merging a duplicate and undoing a merge;
- ``linkage``: the matching model and the review queue of possible duplicates.
"""

from pontio.people.views.linkage import (
    deduplication_start,
    duplicate_detail,
    duplicate_list,
    matching_estimate,
    matching_model,
)
from pontio.people.views.merges import person_merge, person_unmerge
from pontio.people.views.parts import (
    address_add,
    alias_add,
    consent_add,
    custody_number_add,
    email_add,
    flag_raise,
    flag_resolve,
    phone_add,
)
from pontio.people.views.records import (
    person_create,
    person_create_details,
    person_create_matches,
    person_detail,
    person_edit,
    person_list,
)

__all__ = [
    "address_add",
    "alias_add",
    "consent_add",
    "custody_number_add",
    "deduplication_start",
    "duplicate_detail",
    "duplicate_list",
    "email_add",
    "flag_raise",
    "flag_resolve",
    "matching_estimate",
    "matching_model",
    "person_create",
    "person_create_details",
    "person_create_matches",
    "person_detail",
    "person_edit",
    "person_list",
    "person_merge",
    "person_unmerge",
    "phone_add",
]
