"""Table versions bumped by triggers on every table the published layers read.

The trigger is statement-level (one bump per statement, not per row, so a bulk
import costs one extra row update) and runs in the writer's transaction: the
new version becomes visible exactly when the data does. The value is drawn
from a sequence *inside* ``ON CONFLICT DO UPDATE``, i.e. after the row lock is
held, so each table's version strictly grows in commit order and a layer's
version (the sum over its tables, ``ogc.versions``) strictly grows too.
"""

from django.db import migrations, models

#: Every table a published layer reads (its own table and the joined ones).
#: ``tests/test_tiles.py`` checks this list against ``layers.registry``.
TABLES = (
    "layers_agency",
    "layers_facility",
    "layers_kecamatan",
    "layers_kelurahan",
    "layers_projectsite",
)

FUNCTION = """
CREATE SEQUENCE ogc_data_version_seq;
CREATE FUNCTION ogc_bump_table_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ogc_table_version (table_name, version, changed_at)
    VALUES (TG_TABLE_NAME, nextval('ogc_data_version_seq'), now())
    ON CONFLICT (table_name) DO UPDATE
        SET version = nextval('ogc_data_version_seq'), changed_at = now();
    RETURN NULL;
END;
$$;
"""
DROP_FUNCTION = "DROP FUNCTION ogc_bump_table_version(); DROP SEQUENCE ogc_data_version_seq;"


def _trigger_sql(table: str) -> str:
    return (
        f"CREATE TRIGGER ogc_version_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
        f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION ogc_bump_table_version();"
        f"INSERT INTO ogc_table_version (table_name, version, changed_at) "
        f"VALUES ('{table}', nextval('ogc_data_version_seq'), now()) "
        f"ON CONFLICT (table_name) DO NOTHING;"
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("layers", "0002_project_geometry_types"),
    ]

    operations = [
        migrations.CreateModel(
            name="TableVersion",
            fields=[
                ("table_name", models.CharField(max_length=63, primary_key=True, serialize=False)),
                ("version", models.BigIntegerField()),
                ("changed_at", models.DateTimeField()),
            ],
            options={"db_table": "ogc_table_version", "managed": True},
        ),
        migrations.RunSQL(FUNCTION, DROP_FUNCTION),
        *(
            migrations.RunSQL(
                _trigger_sql(table), f"DROP TRIGGER ogc_version_bump ON {table};"
            )
            for table in TABLES
        ),
    ]
