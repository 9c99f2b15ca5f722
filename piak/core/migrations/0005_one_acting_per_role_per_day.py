"""On PostgreSQL, at most one Plt/Plh (pending or confirmed; a rejected one does not count) for a role on any
day, enforced by the database even against concurrent requests. SQLite relies on `role_holding_validate`."""

from django.db import migrations

CONSTRAINT = "roleholding_one_acting_per_role_per_day"
CREATE = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    f"""ALTER TABLE core_roleholding ADD CONSTRAINT {CONSTRAINT}
        EXCLUDE USING gist (role_id WITH =, daterange(mulai, selesai, '[]') WITH &&)
        WHERE (capacity <> 'definitif' AND ditolak_pada IS NULL)""",
]
DROP = [f"ALTER TABLE core_roleholding DROP CONSTRAINT IF EXISTS {CONSTRAINT}"]


def _on_postgresql(statements: list[str]):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0004_roleholding_sk_and_confirmation")]
    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
