"""Countries sort by an accent-free key, so "Côte d'Ivoire" comes before "Czechia"."""

import unicodedata

from django.db import migrations, models


def sort_key(name: str) -> str:
    # A copy of casestudies.models.reference.sort_key as it was when this migration was
    # written: migrations must not change when the model code does.
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def fill_sort_names(apps, schema_editor):
    Country = apps.get_model("casestudies", "Country")
    countries = list(Country.objects.only("pk", "name"))
    for country in countries:
        country.sort_name = sort_key(country.name)
    Country.objects.bulk_update(countries, ["sort_name"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("casestudies", "0003_membership_full_text_reform_records"),
    ]

    operations = [
        migrations.AddField(
            model_name="country",
            name="sort_name",
            field=models.CharField(
                db_index=True,
                default="",
                editable=False,
                help_text="The name as lists sort it.",
                max_length=100,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_sort_names, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="country",
            options={"ordering": ["sort_name"], "verbose_name_plural": "countries"},
        ),
        migrations.AlterModelOptions(
            name="commitment",
            options={"ordering": ["country__sort_name", "plan_start_year", "identifier"]},
        ),
        migrations.AlterModelOptions(
            name="reformrecord",
            options={"ordering": ["country__sort_name", "theme__name", "title"]},
        ),
    ]
