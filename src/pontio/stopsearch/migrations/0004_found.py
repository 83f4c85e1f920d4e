"""Whether anything was found (``StopSearch.found``), asked on every search recorded in Pontio.

Rows already imported from police.uk get what the import now derives where it can: an
outcome linked to the object of the search means the object was found. Their legacy outcome
labels ("Nothing found", "Article found") were stored as codes, so those words are lost; a
file imported again keeps its rows (the find is left out of a row's identity). Searches
recorded before this change keep "not recorded": nobody was asked.
"""

from typing import Any

from django.db import migrations, models


def found_from_linked(apps: Any, schema_editor: Any) -> None:
    StopSearch = apps.get_model("stopsearch", "StopSearch")
    StopSearch.objects.filter(source="policeuk", original_linked=True, found="").update(
        found="object"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("stopsearch", "0003_idempotency_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="stopsearch",
            name="found",
            field=models.CharField(
                blank=True,
                choices=[
                    ("object", "Yes, what the search was for"),
                    ("other", "Yes, but only something else"),
                    ("nothing", "No, nothing was found"),
                ],
                default="",
                max_length=10,
                verbose_name="anything found",
            ),
        ),
        migrations.RunPython(found_from_linked, migrations.RunPython.noop),
    ]
