"""police.uk monthly CSV files: import (stop and search, street crime) and export.

What happens to a file (DOMAIN.md §5.2, issue 5 "bad input"):

- The whole file is refused, and nothing imported, when it is not UTF-8 (a byte order mark
  is allowed), when its header is not exactly the police.uk one (the message names the
  expected and the found columns), or when its force and month are unknown (they come from
  the file name ``YYYY-MM-<force>-stop-and-search.csv`` / ``…-street.csv`` or the form).
- Otherwise each row is checked on its own. A row with broken quoting, the wrong number of
  columns, a value outside the police.uk vocabularies (current or legacy), a date that is
  not a date, a date outside the file's month (in UK time: police.uk writes UTC, so a
  search at 00:13 BST on 1 September reads "2018-08-31T23:13:35+00:00"), or a date before
  2000 or in the future (the rule of a search recorded on the page) is rejected and listed
  with its row number (spreadsheet numbering: the header is row 1), column and value.
  Every other row is imported.
- All the rows of one file are written in ONE transaction: if anything unexpected fails
  while writing, nothing of the file is saved and the batch says so.
- Rows carry no id, so a row is known by ``force:month:sha1(normalised row):occurrence``,
  where the occurrence counts identical rows within the file: re-importing a month finds
  every row "already present", and two identical rows stay two searches. The row is
  normalised to our codes, so a month republished with the newer vocabulary (or our own
  export of it) is recognised too. Street crimes use the Crime ID (which police.uk repeats
  for some crimes) or, for anti-social behaviour rows without one, the row's hash.

Progress: checking the rows (the slow part of a big file) happens before the data
transaction, and ``ImportBatch.rows_read`` is saved every ``PROGRESS_EVERY`` rows in its
own short autocommit update, so the batch page can show a progress bar from any process
(web or worker) without a shared cache. Writing the valid rows then happens in the one
transaction. The progress counter is bookkeeping on the batch, never data.

An uploaded file waits on disk for the worker only while it may still be imported: once
imported, refused or failed, it is removed (``uploads``).

Speed (issue 15): the rules are checked in Python, in one place (``rows``), with what a
row needs looked up once per file (vocabularies, time zone, "now", the county of each map
point); the checked rows are then written with one PostgreSQL ``COPY`` (``insert``), not
through the ORM. ``bench/bench_import.py`` measures it against ``COPY`` of the raw file.

Modules: ``formats`` (names, headers, encoding), ``rows`` (checking a row), ``counties``
(the county of a point), ``importer`` (a file into a batch), ``insert`` (writing many rows:
``COPY`` on PostgreSQL), ``uploads`` (files waiting for the worker), ``export`` (our
searches in the police.uk format).
"""

from pontio.stopsearch.policeuk.counties import CountyFinder
from pontio.stopsearch.policeuk.export import export_csv, export_row
from pontio.stopsearch.policeuk.formats import (
    FORCE,
    HEADERS,
    STOP_SEARCH_HEADER,
    STREET_HEADER,
    FileName,
    FileRefused,
    parse_file_name,
    parse_month,
)
from pontio.stopsearch.policeuk.importer import (
    import_file,
    import_upload,
    new_batch,
    parse,
    run_import,
)
from pontio.stopsearch.policeuk.rows import Problem, RowRejected, parse_stop_search, row_hash
from pontio.stopsearch.policeuk.uploads import (
    discard,
    max_upload_bytes,
    remove_upload,
    remove_uploads_of,
    save_upload,
    upload_dir,
    upload_path,
)

__all__ = [
    "FORCE",
    "HEADERS",
    "STOP_SEARCH_HEADER",
    "STREET_HEADER",
    "CountyFinder",
    "FileName",
    "FileRefused",
    "Problem",
    "RowRejected",
    "discard",
    "export_csv",
    "export_row",
    "import_file",
    "import_upload",
    "max_upload_bytes",
    "new_batch",
    "parse",
    "parse_file_name",
    "parse_month",
    "parse_stop_search",
    "remove_upload",
    "remove_uploads_of",
    "row_hash",
    "run_import",
    "save_upload",
    "upload_dir",
    "upload_path",
]
