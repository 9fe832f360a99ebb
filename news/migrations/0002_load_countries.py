import csv
from pathlib import Path

from django.db import migrations

COUNTRIES_CSV = Path(__file__).resolve().parent.parent / "data" / "countries.csv"


def load_countries(apps, schema_editor):
    Country = apps.get_model("news", "Country")
    with COUNTRIES_CSV.open(encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows):
            Country.objects.update_or_create(
                code=row["code"], defaults={"name": row["name"], "slug": row["slug"]}
            )


class Migration(migrations.Migration):
    dependencies = [("news", "0001_initial")]

    operations = [migrations.RunPython(load_countries, migrations.RunPython.noop)]
