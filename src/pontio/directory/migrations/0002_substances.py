"""Seed the substances services help with (English and Welsh labels)."""

from django.db import migrations

SUBSTANCES = [
    ("alcohol", "Alcohol", "Alcohol"),
    ("opioids", "Opioids (including heroin)", "Opioidau (gan gynnwys heroin)"),
    ("cocaine", "Cocaine", "Cocên"),
    ("crack", "Crack cocaine", "Cocên crac"),
    ("cannabis", "Cannabis", "Canabis"),
    ("benzodiazepines", "Benzodiazepines", "Bensodiasepinau"),
    ("amphetamines", "Amphetamines", "Amffetaminau"),
    ("nps", "New psychoactive substances", "Sylweddau seicoweithredol newydd"),
    ("other", "Other substances", "Sylweddau eraill"),
]


def seed(apps, schema_editor):
    Substance = apps.get_model("directory", "Substance")
    for order, (code, label_en, label_cy) in enumerate(SUBSTANCES, start=1):
        Substance.objects.update_or_create(
            code=code, defaults={"label_en": label_en, "label_cy": label_cy, "sort_order": order}
        )


def unseed(apps, schema_editor):
    apps.get_model("directory", "Substance").objects.filter(
        code__in=[code for code, _, _ in SUBSTANCES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
