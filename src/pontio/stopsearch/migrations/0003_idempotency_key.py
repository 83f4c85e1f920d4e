"""The record form's idempotency key; demo searches keep their demo key there.

Demo searches used to carry their demo key in ``source_key`` (set after the service made
them); the demo now passes it to the service as the idempotency key, so existing demo rows
move theirs across and seeding again still skips them.
"""

from typing import Any

from django.conf import settings
from django.db import migrations, models

DEMO_KEY = "demo-stopsearch-"


def move_demo_keys(apps: Any, schema_editor: Any) -> None:
    StopSearch = apps.get_model("stopsearch", "StopSearch")
    for search in StopSearch.objects.filter(source_key__startswith=DEMO_KEY).only("source_key"):
        StopSearch.objects.filter(pk=search.pk).update(
            idempotency_key=search.source_key, source_key=None
        )


def restore_demo_keys(apps: Any, schema_editor: Any) -> None:
    StopSearch = apps.get_model("stopsearch", "StopSearch")
    for search in StopSearch.objects.filter(idempotency_key__startswith=DEMO_KEY).only(
        "idempotency_key"
    ):
        StopSearch.objects.filter(pk=search.pk).update(
            source_key=search.idempotency_key, idempotency_key=""
        )


class Migration(migrations.Migration):
    dependencies = [
        ("stopsearch", "0002_legislation_pace_s6"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="stopsearch",
            name="idempotency_key",
            field=models.CharField(blank=True, default="", max_length=80),
        ),
        migrations.AddConstraint(
            model_name="stopsearch",
            constraint=models.UniqueConstraint(
                condition=models.Q(("idempotency_key", ""), _negated=True),
                fields=("officer", "idempotency_key"),
                name="stopsearch_idempotency_key_unique",
            ),
        ),
        migrations.RunPython(move_demo_keys, restore_demo_keys),
    ]
