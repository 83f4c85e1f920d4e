"""Who may use the FHIR interface: treatment providers' staff (and their systems' tokens).

Which referrals they reach is the referrals' scope policy (``restrict``): the provider's
own, as on the pages. The CapabilityStatement (``metadata``) is public (``views``).
"""

from __future__ import annotations

from pontio.accounts.roles import PROVIDER_ROLES

PERMISSIONS: dict[str, frozenset[str]] = {
    "interop.fhir": frozenset(PROVIDER_ROLES),
}
