"""PostgreSQL: keep the Danish tsvector in a stored generated column with its own GIN index.

A stored vector makes a full scan cheap when the planner chooses one (with a LIMIT it sometimes does), where
the expression index alone left it recomputing to_tsvector for every row. SQLite is unaffected.
"""

from django.db import migrations

from samskab.lib.migrations import postgresql_only

FORWARD = [
    "ALTER TABLE actors_actor ADD COLUMN IF NOT EXISTS search_document tsvector GENERATED ALWAYS AS "
    "(to_tsvector('danish'::regconfig, COALESCE(name, '') || ' ' || COALESCE(description, ''))) STORED",
    "CREATE INDEX IF NOT EXISTS actors_actor_search_document_idx ON actors_actor USING gin (search_document)",
    "DROP INDEX IF EXISTS actors_actor_fts_idx",
]
BACKWARD = [
    "CREATE INDEX IF NOT EXISTS actors_actor_fts_idx ON actors_actor USING gin "
    "(to_tsvector('danish'::regconfig, COALESCE(name, '') || ' ' || COALESCE(description, '')))",
    "DROP INDEX IF EXISTS actors_actor_search_document_idx",
    "ALTER TABLE actors_actor DROP COLUMN IF EXISTS search_document",
]


class Migration(migrations.Migration):
    dependencies = [("actors", "0007_search_indexes")]
    operations = [migrations.RunPython(postgresql_only(FORWARD), postgresql_only(BACKWARD))]
