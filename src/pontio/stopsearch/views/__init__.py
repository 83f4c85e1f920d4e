"""Stop and search pages, one module per feature: ``records`` (list, record, outcomes),
``reviews`` (the inspector's), ``panel`` (independent and panel reviewers), ``audit``
(running the audit), ``imports`` (police.uk files), ``export`` (the police.uk CSV of our
searches) and ``analysis`` (figures). ``urls`` lists every page."""
