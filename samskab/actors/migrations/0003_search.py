"""Search indexes: PostgreSQL's Danish full-text and trigram indexes; SQLite's FTS5 tables of stems and names."""

from django.db import migrations

from samskab.actors.search import FTS_TABLE, NAME_TABLE, document

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS actors_actor_fts_idx ON actors_actor USING gin "
    "(to_tsvector('danish'::regconfig, COALESCE(name, '') || ' ' || COALESCE(description, '')))",
    "CREATE INDEX IF NOT EXISTS actors_actor_name_trgm_idx ON actors_actor USING gin (name gin_trgm_ops)",
]
PG_BACKWARD = ["DROP INDEX IF EXISTS actors_actor_fts_idx", "DROP INDEX IF EXISTS actors_actor_name_trgm_idx"]


def forward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        for sql in PG_FORWARD:
            schema_editor.execute(sql)
    elif connection.vendor == "sqlite":
        schema_editor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(document)")
        schema_editor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {NAME_TABLE} USING fts5(name, tokenize='trigram')")
        Actor = apps.get_model("actors", "Actor")
        with connection.cursor() as cursor:
            for pk, name, description in Actor.objects.values_list("pk", "name", "description").iterator():
                cursor.execute(f"INSERT INTO {FTS_TABLE}(rowid, document) VALUES (%s, %s)", [pk, document(name, description)])
                cursor.execute(f"INSERT INTO {NAME_TABLE}(rowid, name) VALUES (%s, %s)", [pk, name.lower()])


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in PG_BACKWARD:
            schema_editor.execute(sql)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {NAME_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("actors", "0002_reference_data")]
    operations = [migrations.RunPython(forward, backward)]
