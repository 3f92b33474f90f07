"""The table of the shared cache (Django's DatabaseCache), created by `migrate`.

A migration rather than a separate `createcachetable` step: every way this site gets a
database (`make run`, `make bench`, the test databases, a production deploy) already runs
`migrate`, so none can forget it. It is created whatever CACHES says, so an installation
that drops Redis later finds its table ready (and an unused empty table costs nothing).
The name must stay that of CACHES["default"]["LOCATION"] in settings/base.py.
"""

from django.core.management import call_command
from django.db import migrations

TABLE = "exchange_cache"


def create_table(apps, schema_editor):
    # The command skips a table that exists, so this is safe on any database.
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_table, drop_table),
    ]
