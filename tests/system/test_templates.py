"""Templates say nothing to the user that was meant for the developer.

Django's ``{# … #}`` comment must start and end on one line: written across lines, it is
printed as text. A multi-line comment once showed above "Lawful basis" on the referral form.
Every template is read, and every page the access matrix renders is checked too (its
rendered text must not contain a comment's opening).
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

TEMPLATE_DIRS = [Path(settings.SRC_DIR)]
ONE_LINE_COMMENT = re.compile(r"\{#.*?#\}")


def templates() -> list[Path]:
    return sorted(p for root in TEMPLATE_DIRS for p in root.rglob("templates/**/*.html"))


def test_there_are_templates_to_read() -> None:
    assert len(templates()) > 50


def test_no_template_comment_runs_across_lines() -> None:
    broken = []
    for path in templates():
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if "{#" in ONE_LINE_COMMENT.sub("", line):
                broken.append(f"{path.relative_to(TEMPLATE_DIRS[0])}:{number}")
    assert broken == [], "Use {% comment %} for comments over several lines: " + ", ".join(broken)
