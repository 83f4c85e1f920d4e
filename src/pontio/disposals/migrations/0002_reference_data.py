"""The disposal types, the gravity matrix and the default diversion scheme."""

from django.db import migrations

from pontio.disposals.reference import load_all


def noop(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Reference rows are never deleted (records point to them)."""


class Migration(migrations.Migration):
    dependencies = [("disposals", "0001_initial")]

    operations = [migrations.RunPython(load_all, noop)]
