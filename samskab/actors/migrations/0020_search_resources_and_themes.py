"""Actors are found by what they offer and the themes they work with, as well as by name and description.

PostgreSQL: the resources' and themes' text is kept in the actor's row (`search_extra`, not a model field, like
`search_document`), and the stored vector is generated from it too, the name weighted A so that name matches can
come first. SQLite: the FTS5 table gets two columns, the name's stems and the rest's. Both are filled for the
actors there are (`search.rebuild_index`).
"""

from django.db import migrations

from samskab.actors.search import FTS_TABLE, document, rebuild_index

PG_FORWARD = [
    "DROP INDEX IF EXISTS actors_actor_search_document_idx",
    "ALTER TABLE actors_actor DROP COLUMN IF EXISTS search_document",
    "ALTER TABLE actors_actor ADD COLUMN search_document tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('danish'::regconfig, COALESCE(name, '')), 'A') || "
    "to_tsvector('danish'::regconfig, COALESCE(description, '') || ' ' || search_extra)) STORED",
    "CREATE INDEX actors_actor_search_document_idx ON actors_actor USING gin (search_document)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS actors_actor_search_document_idx",
    "ALTER TABLE actors_actor DROP COLUMN IF EXISTS search_document",
    "ALTER TABLE actors_actor DROP COLUMN IF EXISTS search_extra",
    "ALTER TABLE actors_actor ADD COLUMN search_document tsvector GENERATED ALWAYS AS "
    "(to_tsvector('danish'::regconfig, COALESCE(name, '') || ' ' || COALESCE(description, ''))) STORED",
    "CREATE INDEX actors_actor_search_document_idx ON actors_actor USING gin (search_document)",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # The text first, while the old vector ignores it; then the vector is generated once, from all of it.
        schema_editor.execute("ALTER TABLE actors_actor ADD COLUMN IF NOT EXISTS search_extra text NOT NULL DEFAULT ''")
        rebuild_index(apps)
        for sql in PG_FORWARD:
            schema_editor.execute(sql)
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        schema_editor.execute(f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(name, body)")
        rebuild_index(apps)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for sql in PG_BACKWARD:
            schema_editor.execute(sql)
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        schema_editor.execute(f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(document)")
        Actor = apps.get_model("actors", "Actor")
        with schema_editor.connection.cursor() as cursor:
            for pk, name, description in Actor.objects.values_list("pk", "name", "description").iterator():
                cursor.execute(
                    f"INSERT INTO {FTS_TABLE}(rowid, document) VALUES (%s, %s)", [pk, document(name, description)]
                )


class Migration(migrations.Migration):
    dependencies = [("actors", "0019_membership_colleague")]
    operations = [migrations.RunPython(forward, backward)]
