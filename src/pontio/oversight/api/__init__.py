"""The oversight API (v1): the tracker, its boards and Panel reports, the facts and the
dashboards. Mounted by ``pontio.api_urls`` with a string include (no app imports oversight)."""
