"""Demo stop and search records: four months of searches, outcomes, samples and reviews.

Everything goes through the real services at the time it would have happened
(``time_machine.travel(moment, tick=False)``, so ``timezone.now()`` is that moment and each
record, audit event and due date is dated as in real life):

- searches are recorded through ``services.search_record`` by the demo police users who work
  in the county (force-wide users anywhere), shortly after the search, so every record
  passes PACE Code A's checks and has its receipt reference, outcome at the time and audit
  events. The mix follows what the Dyfed-Powys police.uk files show: mostly Misuse of Drugs
  Act searches for controlled drugs, mostly young men, mostly no further action. Some are
  linked to a demo person living in the county;
- about one in ten gets a later outcome (drug analysis, a charge, a caution) through
  ``services.outcome_update``, on the day it was decided;
- on the 1st of each month that has ended, the monthly audit sample is drawn
  (``sampling.draw_month``), and the reviewers complete most of their reviews before they
  are due (``services.review_complete``); a few searches go to the panel
  (``services.panel_assign``) and the panel member records a judgement.

Each search carries its demo key as its idempotency key, so seeding again makes nothing
twice: the service returns the search already made, samples are drawn once per month, and
a review is completed once. Demo and tests only, never production.

Modules: ``searches`` (searches and later outcomes), ``audit`` (samples, reviews, the
panel), ``common`` (the demo key and the clock).
"""

from pontio.stopsearch.demo.common import KEY
from pontio.stopsearch.demo.searches import SeedResult, seed_stopsearch

__all__ = ["KEY", "SeedResult", "seed_stopsearch"]
