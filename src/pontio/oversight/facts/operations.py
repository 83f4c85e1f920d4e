"""Fact 7: "117 people convicted and £23.6m of Class A drugs disrupted".

The figures come from police operations against drug supply (county lines): people
convicted after an operation and the street value of the Class A drugs seized. Pontio does
not yet record operations, so the tile says what is missing; it is computed here (and so
appears on every page and report) to keep the gap visible rather than quietly dropped.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from pontio.oversight.facts.base import FactResult, Scope

KEY = "operations"
ANCHOR = "fact-operations"
SEED = "117 people convicted; £23.6m of Class A disrupted"


def compute(scope: Scope) -> FactResult:
    missing = _(
        "The operations capability has not landed: Pontio does not yet record police "
        "operations against drug supply, the people convicted after them or the value of "
        "the drugs seized."
    )
    return FactResult(
        key=KEY,
        title=_("Convictions and Class A drugs disrupted by operations"),
        value_text=None,
        explanation=missing,
        base_label=_("People convicted"),
        base_value=None,
        end_label=_("Class A drugs disrupted (street value, £)"),
        end_value=None,
        definition=_(
            "People convicted after the force's operations against drug supply in the period, "
            "and the estimated street value of the Class A drugs those operations seized."
        ),
        definition_anchor=ANCHOR,
        source=_("Pontio records (operations: not yet built)"),
        missing=missing,
        seed_value=SEED,
    )
