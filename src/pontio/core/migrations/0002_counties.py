"""Load the four counties of Dyfed-Powys with their ONS codes and boundaries.

Boundaries: ONS local authority district boundaries (generalised), via ../shared/data/geo,
simplified and stored in core/data (see core/data/LICENCE.md for the attribution).
"""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "dyfed_powys_counties.geojson"
ORDER = ["W06000010", "W06000008", "W06000009", "W06000023"]


def as_multipolygon(geometry):
    """One geometry type for every county, so map and point-in-area code has one case."""
    if geometry["type"] == "Polygon":
        return {"type": "MultiPolygon", "coordinates": [geometry["coordinates"]]}
    return geometry


def load(apps, schema_editor):
    County = apps.get_model("core", "County")
    features = json.loads(DATA.read_text(encoding="utf-8"))["features"]
    for feature in features:
        props = feature["properties"]
        County.objects.update_or_create(
            ons_code=props["ons_code"],
            defaults={
                "code": props["name_en"].lower(),
                "label_en": props["name_en"],
                "label_cy": props["name_cy"],
                "boundary": as_multipolygon(feature["geometry"]),
                "sort_order": ORDER.index(props["ons_code"]) + 1,
            },
        )


def unload(apps, schema_editor):
    apps.get_model("core", "County").objects.filter(ons_code__in=ORDER).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
