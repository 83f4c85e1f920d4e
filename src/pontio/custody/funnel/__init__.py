"""The custody funnel (issue 12 item 7): ``selectors`` count the steps, ``filters`` read the
period, suite and county from the query string, ``views`` draw the page, the CSV and the
records behind a step. Definitions: docs/metrics.md, "Custody funnel"."""
