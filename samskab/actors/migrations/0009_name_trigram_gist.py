"""PostgreSQL: a GiST trigram index on the actor's name, so the typo-tolerant search can take the names
closest to the query first (`ORDER BY word <<-> name` walks the index nearest first). SQLite is unaffected."""

from django.db import migrations

from samskab.lib.migrations import postgresql_only

FORWARD = ["CREATE INDEX IF NOT EXISTS actors_actor_name_trgm_gist_idx ON actors_actor USING gist (name gist_trgm_ops)"]
BACKWARD = ["DROP INDEX IF EXISTS actors_actor_name_trgm_gist_idx"]


class Migration(migrations.Migration):
    dependencies = [("actors", "0008_search_document")]
    operations = [migrations.RunPython(postgresql_only(FORWARD), postgresql_only(BACKWARD))]
