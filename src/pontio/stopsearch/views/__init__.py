"""Stop and search pages, one module per feature: ``records`` (list, record, outcomes),
``person`` (finding or adding the person searched),
``reviews`` (the inspector's), ``panel`` (independent and panel reviewers), ``audit``
(running the audit), ``imports`` (police.uk files), ``export`` (the police.uk CSV of our
searches) and ``analysis`` (figures). ``urls`` lists every page."""
