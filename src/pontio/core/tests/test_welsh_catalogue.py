"""The Welsh catalogue is complete and up to date with every string in the source."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "cy" / "LC_MESSAGES" / "django.po"


def test_every_message_is_translated_and_none_is_fuzzy() -> None:
    catalogue = polib.pofile(str(CATALOGUE))
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []


def test_placeholders_survive_translation() -> None:
    import re

    pattern = re.compile(r"%\(\w+\)[sd]")
    for entry in polib.pofile(str(CATALOGUE)).translated_entries():
        expected = sorted(pattern.findall(entry.msgid))
        if entry.msgid_plural:
            for text in entry.msgstr_plural.values():
                assert set(pattern.findall(text)) <= set(
                    pattern.findall(entry.msgid_plural) + expected
                ), entry.msgid
        else:
            assert sorted(pattern.findall(entry.msgstr)) == expected, entry.msgid


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_catalogue_contains_every_string_in_the_source(tmp_path: Path) -> None:
    """Extract messages from a copy of the source and compare with the committed catalogue."""
    source = Path(settings.SRC_DIR)
    copy = tmp_path / "pontio"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "tests"))
    (copy / "locale" / "cy" / "LC_MESSAGES" / "django.po").unlink()
    cwd = Path.cwd()
    os.chdir(copy)
    try:
        with override_settings(LOCALE_PATHS=[copy / "locale"]):
            call_command(
                "makemessages", locale=["cy"], verbosity=0, ignore_patterns=["static_src/*"]
            )
    finally:
        os.chdir(cwd)
    extracted = {e.msgid for e in polib.pofile(str(copy / "locale/cy/LC_MESSAGES/django.po"))}
    translated = {e.msgid for e in polib.pofile(str(CATALOGUE)).translated_entries()}
    missing = sorted(extracted - translated)
    assert missing == [], f"{len(missing)} strings need a Welsh translation: {missing[:10]}"


def test_welsh_is_served() -> None:
    with translation.override("cy"):
        assert translation.gettext("Sign in") != "Sign in"
