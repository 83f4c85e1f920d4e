"""The stored given-name key is now the key of the first given name (linkage compares first
given names; a middle name is its own comparison level)."""

from django.db import migrations


def recompute(apps, schema_editor):
    from pontio.people.models import given_key

    for model_name in ("Person", "Alias"):
        model = apps.get_model("people", model_name)
        changed = []
        for row in model.objects.only("pk", "given_name", "given_name_key").iterator():
            key = given_key(row.given_name)
            if key != row.given_name_key:
                row.given_name_key = key
                changed.append(row)
        model.objects.bulk_update(changed, ["given_name_key"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("people", "0003_linkage")]
    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
