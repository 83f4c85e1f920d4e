"""The custody suites (with the demo's assumed notifications) and the offences."""

from django.db import migrations

from pontio.custody.reference import load_offences, load_suites


def noop(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Reference rows are never deleted (records point to them)."""


class Migration(migrations.Migration):
    dependencies = [("custody", "0001_initial"), ("core", "0002_counties")]

    operations = [
        migrations.RunPython(load_suites, noop),
        migrations.RunPython(load_offences, noop),
    ]
