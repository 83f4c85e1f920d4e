"""Stop and search vocabularies: police.uk values (current and legacy) and Pontio's codes.

Pontio stores codes; police.uk publishes labels. Each list maps the police.uk label (as it
appears in the monthly CSV) to our code, and the legacy labels used before the 2017-18
vocabulary change (seen in the Dyfed-Powys 2016-11 file) to the same codes. DOMAIN.md §5.3
lists the values. Legacy self-defined ethnicity labels carry 2001 Census codes in brackets
("Black or Black British - Caribbean (B1)"), which differ from the 2011 codes (B1 is African
in 2011): legacy labels are mapped by their words, never by the bracketed code.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


def _english_labels(choices: Iterable[models.Choices]) -> dict[str, str]:
    """police.uk label -> our code. police.uk labels are English, whatever language is active
    when this module is first imported."""
    with translation.override("en"):
        return {str(choice.label): str(choice.value) for choice in choices}


class SearchType(models.TextChoices):
    PERSON = "person", _("Person search")
    VEHICLE = "vehicle", _("Vehicle search")
    PERSON_AND_VEHICLE = "person_and_vehicle", _("Person and vehicle search")


SEARCH_TYPE_LABELS = {
    "Person search": SearchType.PERSON,
    "Vehicle search": SearchType.VEHICLE,
    "Person and Vehicle search": SearchType.PERSON_AND_VEHICLE,
}


class Legislation(models.TextChoices):
    MDA_S23 = "mda_s23", _("Misuse of Drugs Act 1971 (section 23)")
    PACE_S1 = "pace_s1", _("Police and Criminal Evidence Act 1984 (section 1)")
    CJPOA_S60 = "cjpoa_s60", _("Criminal Justice and Public Order Act 1994 (section 60)")
    FIREARMS_S47 = "firearms_s47", _("Firearms Act 1968 (section 47)")
    CJA_S139B = "cja_s139b", _("Criminal Justice Act 1988 (section 139B)")
    PSA_S36 = "psa_s36", _("Psychoactive Substances Act 2016 (s36(2))")
    PSA_S37 = "psa_s37", _("Psychoactive Substances Act 2016 (s37(2))")
    CEMA_S163 = "cema_s163", _("Customs and Excise Management Act 1979 (section 163)")
    WILDLIFE_S19 = "wildlife_s19", _("Wildlife and Countryside Act 1981 (section 19)")
    TA_S43 = "ta_s43", _("Terrorism Act 2000 (section 43)")
    TA_S47A = "ta_s47a", _("Terrorism Act 2000 (section 47A)")
    SPORTING_S7 = "sporting_s7", _("Sporting Events (Control of Alcohol etc.) Act 1985 (section 7)")
    # Seen in City of London 2018-19 files (statutory undertakers' constables, goods premises).
    PACE_S6 = "pace_s6", _("Police and Criminal Evidence Act 1984 (section 6)")


LEGISLATION_LABELS = _english_labels(Legislation)


class ObjectOfSearch(models.TextChoices):
    CONTROLLED_DRUGS = "controlled_drugs", _("Controlled drugs")
    STOLEN_GOODS = "stolen_goods", _("Stolen goods")
    OFFENSIVE_WEAPONS = "offensive_weapons", _("Offensive weapons")
    ARTICLE_THEFT = "article_theft", _("Article for use in theft")
    ARTICLE_DAMAGE = "article_damage", _("Articles for use in criminal damage")
    FIREARMS = "firearms", _("Firearms")
    FIREWORKS = "fireworks", _("Fireworks")
    THREATEN_HARM = "threaten_harm", _("Anything to threaten or harm anyone")
    EVIDENCE = "evidence", _("Evidence of offences under the Act")
    DUTY_UNPAID = "duty_unpaid", _("Goods on which duty has not been paid etc.")
    GAME = "game", _("Game or poaching equipment")
    WILDLIFE = "wildlife", _("Evidence of wildlife offences")
    PSYCHOACTIVE = "psychoactive", _("Psychoactive substances")
    CROSSBOWS = "crossbows", _("Crossbows")
    SEALS = "seals", _("Seals or hunting equipment")
    HUNTING = "hunting", _("Evidence of hunting any wild mammal with a dog")
    UNAVAILABLE = "unavailable", _("Detailed object of search unavailable")


OBJECT_LABELS = _english_labels(ObjectOfSearch)


class Outcome(models.TextChoices):
    """The current police.uk outcomes, and the legacy ones kept for imported history."""

    NFA = "nfa", _("A no further action disposal")
    ARREST = "arrest", _("Arrest")
    COMMUNITY_RESOLUTION = "community_resolution", _("Community resolution")
    DRUGS_WARNING = "drugs_warning", _("Khat or Cannabis warning")
    SUMMONS = "summons", _("Summons / charged by post")
    CAUTION = "caution", _("Caution (simple or conditional)")
    PND = "pnd", _("Penalty Notice for Disorder")
    # Legacy (before the 2017-18 vocabulary) outcomes with no exact current equivalent.
    ARTICLE_FOUND_UNAVAILABLE = (
        "article_found_unavailable",
        _("Article found - Detailed outcome unavailable"),
    )
    PSYCHOACTIVE_SEIZED = (
        "psychoactive_seized",
        _("Suspected psychoactive substances seized - No further action"),
    )


CURRENT_OUTCOMES = (
    Outcome.NFA,
    Outcome.ARREST,
    Outcome.COMMUNITY_RESOLUTION,
    Outcome.DRUGS_WARNING,
    Outcome.SUMMONS,
    Outcome.CAUTION,
    Outcome.PND,
)
OUTCOME_LABELS: dict[str, str] = {
    **_english_labels(Outcome),
    # Legacy labels -> codes.
    "Nothing found - no further action": Outcome.NFA,
    "Suspect arrested": Outcome.ARREST,
    "Offender given penalty notice": Outcome.PND,
    "Suspect summonsed to court": Outcome.SUMMONS,
    "Offender given drugs possession warning": Outcome.DRUGS_WARNING,
    "Local resolution": Outcome.COMMUNITY_RESOLUTION,
    "Offender cautioned": Outcome.CAUTION,
}
# The label written back out in police.uk CSV exports (current vocabulary).
EXPORT_OUTCOME = {code: label for label, code in _english_labels(Outcome).items()}

# What each outcome means, said plainly on the record and the form: an outcome says what the
# police did after the search, not whether anything was found (that is ``Found``).
OUTCOME_MEANINGS: dict[str, Any] = {
    Outcome.NFA: _(
        "No police action followed the search. It does not say whether anything was found: "
        "something may have been found and dealt with by words of advice."
    ),
    Outcome.ARREST: _("The person was arrested."),
    Outcome.COMMUNITY_RESOLUTION: _(
        "The matter was dealt with by a community resolution, without going to court."
    ),
    Outcome.DRUGS_WARNING: _(
        "A formal warning for possessing khat or a small amount of cannabis for personal use."
    ),
    Outcome.SUMMONS: _("The person was charged, or summonsed to court (for example by post)."),
    Outcome.CAUTION: _("A simple or conditional caution: the person admitted the offence."),
    Outcome.PND: _("A penalty notice for disorder (a fixed fine) was given."),
    Outcome.ARTICLE_FOUND_UNAVAILABLE: _(
        "Something was found; police.uk did not publish what happened next (records from "
        "before the 2017 vocabulary)."
    ),
    Outcome.PSYCHOACTIVE_SEIZED: _(
        "Suspected psychoactive substances were seized and no further action was taken."
    ),
}
LINKED_MEANING = _(
    "“Linked to the object of the search” means the outcome is for what the search was "
    "looking for: for example an arrest for possessing the drugs searched for."
)


class Found(models.TextChoices):
    """Whether anything was found: asked on every search recorded in Pontio. police.uk
    publishes no such column, so an imported row has it only where its vocabulary says
    (``found_from_policeuk``); otherwise it is not recorded (empty)."""

    OBJECT = "object", _("Yes, what the search was for")
    OTHER = "other", _("Yes, but only something else")
    NOTHING = "nothing", _("No, nothing was found")


def found_from_policeuk(outcome_label: str, linked: bool | None, object_code: str) -> str:
    """What a police.uk row says about a find, or "" when it says nothing.

    The legacy vocabulary said it in the outcome ("Nothing found - no further action",
    "Article found - Detailed outcome unavailable", "Suspected psychoactive substances
    seized"); in either vocabulary, an outcome linked to the object of the search means the
    object was found (police.uk's own find measure). A current outcome that is not linked
    (an arrest for something else, no further action) does not say either way.
    """
    if outcome_label == "Nothing found - no further action" and not linked:
        return Found.NOTHING
    if outcome_label == "Article found - Detailed outcome unavailable" or linked:
        return Found.OBJECT
    if outcome_label == "Suspected psychoactive substances seized - No further action":
        return Found.OBJECT if object_code == ObjectOfSearch.PSYCHOACTIVE else Found.OTHER
    return ""


def is_find(found: str, linked: bool | None) -> bool:
    """A search counts as a find in the figures when what it was for was found (asked on
    the record; for police.uk rows, what their vocabulary says), or when its current
    outcome is linked to the object of the search (a later result, such as a drug analysis,
    can make it so)."""
    return found == Found.OBJECT or linked is True


class AgeRange(models.TextChoices):
    UNDER_10 = "under 10", _("under 10")
    TEN_17 = "10-17", _("10-17")
    EIGHTEEN_24 = "18-24", _("18-24")
    TWENTY_FIVE_34 = "25-34", _("25-34")
    OVER_34 = "over 34", _("over 34")


class OfficerEthnicity(models.TextChoices):
    WHITE = "White", _("White")
    BLACK = "Black", _("Black")
    ASIAN = "Asian", _("Asian")
    MIXED = "Mixed", _("Mixed")
    OTHER = "Other", _("Other")


class SearchGender(models.TextChoices):
    MALE = "Male", _("Male")
    FEMALE = "Female", _("Female")
    OTHER = "Other", _("Other")


def age_range_for(age: int) -> str:
    if age < 10:
        return AgeRange.UNDER_10
    if age <= 17:
        return AgeRange.TEN_17
    if age <= 24:
        return AgeRange.EIGHTEEN_24
    if age <= 34:
        return AgeRange.TWENTY_FIVE_34
    return AgeRange.OVER_34


# Legacy (2001 Census wording) self-defined ethnicity labels -> 2011 codes, by their words.
LEGACY_ETHNICITY = {
    "White - White British (W1)": "W1",
    "White - White Irish (W2)": "W2",
    "White - Any other White ethnic background (W9)": "W9",
    "Mixed - White and Black Caribbean (M1)": "M1",
    "Mixed - White and Black African (M2)": "M2",
    "Mixed - White and Asian (M3)": "M3",
    "Mixed - Any other Mixed ethnic background (M9)": "M9",
    "Asian or Asian British - Indian (A1)": "A1",
    "Asian or Asian British - Pakistani (A2)": "A2",
    "Asian or Asian British - Bangladeshi (A3)": "A3",
    "Asian or Asian British - Any other Asian ethnic background (A9)": "A9",
    "Black or Black British - Caribbean (B1)": "B2",
    "Black or Black British - African (B2)": "B1",
    "Black or Black British - Any other Black ethnic background (B9)": "B9",
    "Chinese or other ethnic group - Chinese (O1)": "A4",
    "Chinese or other ethnic group - Any other ethnic group (O9)": "O9",
    "Not Stated (NS)": "NS",
}
