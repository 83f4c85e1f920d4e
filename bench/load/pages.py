"""The key pages and API calls that bench/run measures. Each capability adds its own here.

A page names the demo user who opens it. Paths with an id are found at run time: the bench
opens ``discover`` as that user and takes the first link matching ``pattern`` (so the record
is one the user may see, whatever data set is loaded).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Page:
    name: str
    user: str
    path: str
    method: str = "GET"
    # For a POST: a JSON body with PERSON where a person id goes (the bench fills in ids of
    # people in the user's scope, one after another) and an Idempotency-Key per request.
    body: str = ""
    discover: str = ""
    pattern: str = ""
    floor: bool = False
    tags: tuple[str, ...] = field(default_factory=tuple)
    # Run the worker's warm_figures before measuring, as its cron would have (D79).
    warm: bool = False


REFERRAL_BODY = (
    '{"person": PERSON, "pathway": "voluntary", "reason": "Asked for help with cocaine use '
    'after a welfare check.", "substances": ["cocaine"], "consent_given": true, '
    '"preferred_language": "en", "contact": {"phone": "07912 345678", '
    '"channels": ["phone", "text"], "times": "Mornings"}}'
)

FLOORS = [
    Page("health (floor)", "", "/health/", floor=True),
    Page("signed-in base layout (floor)", "officer", "/accessibility/", floor=True),
]

PAGES = [
    Page("officer inbox", "officer", "/referrals/"),
    Page("officer inbox, filtered", "officer", "/referrals/?status=requested"),
    Page("provider inbox", "caseworker", "/referrals/"),
    Page("provider inbox, filtered", "caseworker", "/referrals/?breached=1"),
    Page("people list", "officer", "/people/"),
    Page("person search", "officer", "/people/?name=Jones"),
    Page("stop-search list", "officer", "/stop-search/"),
    Page(
        "stop-search record",
        "officer",
        "",
        discover="/stop-search/",
        pattern=r'href="(/stop-search/\d+/)"',
    ),
    Page("custody funnel", "analyst", "/custody/funnel/"),
    Page("referral figures", "analyst", "/referrals/metrics/"),
    Page("stop-search figures", "analyst", "/stop-search/analysis/"),
    Page("API referral list", "officer", "/api/v1/referrals/"),
    Page("referral create (API POST)", "officer", "/api/v1/referrals/", "POST", REFERRAL_BODY),
    Page("API disposal list", "custody.sergeant", "/api/v1/disposals/"),
    Page("disposal list", "custody.sergeant", "/disposals/"),
    Page("disposal outcomes", "analyst", "/disposals/outcomes/"),
    # Issue 17: the dashboards (thirteen tiles; rendered tiles cached per scope, D78, and the
    # opening view built ahead by the worker into the shared cache, D79), the deep dive's
    # facts (likewise), the tracker and a recommendation's page.
    Page("oversight dashboards", "analyst", "/oversight/dashboards/", warm=True),
    Page("oversight facts", "analyst", "/oversight/facts/", warm=True),
    Page("recommendations tracker", "analyst", "/oversight/"),
    Page(
        "recommendation",
        "analyst",
        "",
        discover="/oversight/",
        pattern=r'href="(/oversight/reviews/\d+/)"',
    ),
    # Issue 18: the drug market picture, the public intelligence form (signed out), the
    # intelligence officer's queue, the operations list and the device examinations' queue
    # and capacity page. A data set generated before these apps has their tables empty.
    Page("drug market picture", "analyst", "/oversight/market/"),
    Page("public intelligence form", "", "/intelligence/report/"),
    Page("intelligence queue", "intelligence", "/intelligence/"),
    Page("operations list", "operations", "/operations/"),
    Page("examination queue", "examiner", "/examinations/"),
    Page("examination capacity", "operations", "/examinations/capacity/"),
    # Issue 19: what a provider's system polls (new Tasks, a page of 50), one Task, the
    # administrators' outbox of messages to people and the partner tokens list.
    Page("FHIR task poll", "caseworker", "/fhir/R4/Task?status=requested&_count=50"),
    Page(
        "FHIR task",
        "caseworker",
        "",
        discover="/fhir/R4/Task?_count=1",
        pattern=r'"fullUrl": ?"[^"]*(/fhir/R4/Task/\d+)"',
    ),
    Page("messages outbox", "admin", "/reminders/outbox/"),
    Page("partner tokens", "admin", "/tokens/"),
]
