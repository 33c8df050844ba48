"""Danish search for actors, with the same results on PostgreSQL and SQLite.

An actor is found by its name, its description, what it offers (the titles and descriptions of its resources,
which are all public) and the themes it works with (their Danish names). Every query word must match, each
in any of these, so "ensomhed ældre" finds an actor with the theme "Ensomhed og fællesskab" that visits older
people. Actors whose name matches the whole query come first (`name_first`).

Words are stemmed with the Danish Snowball stemmer and matched as prefixes of the indexed words, so "unge"
(stem "ung") finds "ungdomsklub" and "fodbold" finds "Fodboldklubben". Stop words are the Snowball Danish
list, which is also PostgreSQL's. On PostgreSQL this is its full-text search with the `danish` configuration
over a stored vector with a GIN index, the name weighted A; resources and themes, which live in other tables,
are copied into the actor's row as text (`search_extra`) for the vector to include. On SQLite an FTS5 table
holds the same stems in two columns, the name and the rest. Signals keep both current (`index_actor`).

Danish joins words into compounds that whole-word search does not split: "klub" is not a prefix of any word
in "Nørreby Boldklub". So names that contain every query word anywhere match too, through trigram indexes on
both databases. When no actor matches, names are searched with typo tolerance: trigram similarity of each
query word to the words of the name (as PostgreSQL's pg_trgm computes it), decided in Python so both
databases agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer
from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db import connection
from django.db.models import BooleanField, F, QuerySet
from django.db.models.expressions import RawSQL

DANISH_STOP_WORDS = frozenset(
    [
        "og",
        "i",
        "jeg",
        "det",
        "at",
        "en",
        "den",
        "til",
        "er",
        "som",
        "på",
        "de",
        "med",
        "han",
        "af",
        "for",
        "ikke",
        "der",
        "var",
        "mig",
        "sig",
        "men",
        "et",
        "har",
        "om",
        "vi",
        "min",
        "havde",
        "ham",
        "hun",
        "nu",
        "over",
        "da",
        "fra",
        "du",
        "ud",
        "sin",
        "dem",
        "os",
        "op",
        "man",
        "hans",
        "hvor",
        "eller",
        "hvad",
        "skal",
        "selv",
        "her",
        "alle",
        "vil",
        "blev",
        "kunne",
        "ind",
        "når",
        "være",
        "dog",
        "noget",
        "ville",
        "jo",
        "deres",
        "efter",
        "ned",
        "skulle",
        "denne",
        "end",
        "dette",
        "mit",
        "også",
        "under",
        "have",
        "dig",
        "anden",
        "hende",
        "mine",
        "alt",
        "meget",
        "sit",
        "sine",
        "vor",
        "mod",
        "disse",
        "hvis",
        "din",
        "nogle",
        "hos",
        "blive",
        "mange",
        "ad",
        "bliver",
        "hendes",
        "været",
        "thi",
        "jer",
        "sådan",
    ]
)
FTS_TABLE = "actors_actor_fts"
NAME_TABLE = "actors_actor_names"
PAGE_BY_NAME_FROM = 500  # SQLite pages this many full-text matches or more through the name index
RANKED_UP_TO = 500  # fewer full-text matches than this come with name matches first (`page_of_matches`)
FUZZY_THRESHOLD = 0.4
FUZZY_CANDIDATES = 300
SQLITE_POOL_FACTOR = 3  # SQLite scores this many times the candidates (see fuzzy_names)
BATCH = 2000  # actors indexed per query
WORD = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("danish")


def words(text: str) -> list[str]:
    """Lower-cased words without the Danish stop words."""
    return [w for w in WORD.findall(text.lower()) if w not in DANISH_STOP_WORDS]


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """Cached: indexing many actors stems the same words again and again, and stemming dominates its time."""
    return _stemmer().stemWord(word)


def stems(text: str) -> list[str]:
    return [stem(word) for word in words(text)]


def document(*texts: str) -> str:
    """The stemmed words of the texts, as SQLite indexes them; PostgreSQL stems the same texts itself."""
    return " ".join(stems(" ".join(texts)))


def _sqlite_match(query_words: Iterable[str]) -> str:
    return " AND ".join(f'"{stem(word)}"*' for word in query_words)


def full_text[QS: QuerySet](qs: QS, q: str, *, by_name: bool = False) -> QS:
    """Actors of whom every query word (stemmed, as a prefix) begins a word of the name, the description, a
    resource's title or description or a theme's Danish name, or whose name contains every query word anywhere,
    inside compounds too: "klub" begins no word of "Nørreby Boldklub", but the name contains it. The second way
    needs words of three letters or more (trigram indexes); with a shorter word only the first applies.

    On PostgreSQL the `danish` full-text search and `ILIKE` through the name's trigram index (migration 0003);
    on SQLite the FTS5 table of stems and the FTS5 trigram table of lower-cased names.

    On SQLite the matches drive the query (each is looked up and filtered), which suits counting and few
    matches. With `by_name`, the same condition is only tested, so that the name index can drive a page
    ordered by name and stop after it: 10 ms rather than 40 for a page of 20 among 900 matches in 100,000
    actors, but a scan of every name when matches are rare (see `page_of_matches`).
    """
    query_words = list(dict.fromkeys(words(q)))
    if not query_words:
        return qs
    sql, params = _matching(query_words)
    if connection.vendor == "postgresql":
        return qs.filter(RawSQL(sql, params, output_field=BooleanField()))
    if by_name:
        # `id + 0` keeps SQLite from looking the matches up by id, so the condition is tested row by row.
        return qs.alias(fts_id=F("pk") + 0).filter(fts_id__in=RawSQL(sql, params))
    return qs.filter(pk__in=RawSQL(sql, params))


def _matching(query_words: list[str], *, in_name: bool = False) -> tuple[str, list[str]]:
    """The SQL of `full_text`'s condition (PostgreSQL) or of the ids it selects (SQLite), and its parameters.
    With `in_name`, every word must match the name (weight A of PostgreSQL's vector, SQLite's `name` column)."""
    inside = all(len(w) >= 3 for w in query_words)
    params: list[str]
    if connection.vendor == "postgresql":
        # search_document is a stored generated column with a GIN index (migration 0020); it is not a model
        # field, so that SQLite, which has no tsvector, shares the same model.
        weight = "A" if in_name else ""
        condition = '"actors_actor"."search_document" @@ to_tsquery(\'danish\'::regconfig, %s)'
        params = [" & ".join(f"{w}:*{weight}" for w in query_words)]
        if inside:
            condition += " OR (" + " AND ".join('"actors_actor"."name" ILIKE %s' for _ in query_words) + ")"
            params += [f"%{_like_escaped(w)}%" for w in query_words]
        return f"({condition})", params
    sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
    match = _sqlite_match(query_words)
    params = [f"name : ({match})" if in_name else match]
    if inside:
        sql += f" UNION SELECT rowid FROM {NAME_TABLE} WHERE {NAME_TABLE} MATCH %s"
        params.append(" AND ".join(f'"{w}"' for w in query_words))  # \w+ words: no quotes to escape
    return sql, params


def _like_escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def name_first[QS: QuerySet](qs: QS, q: str) -> QS:
    """`qs` with the actors whose name matches the whole query (`full_text` on the name alone) first, then those
    found by their description, resources or themes; by name within each."""
    query_words = list(dict.fromkeys(words(q)))
    sql, params = _matching(query_words, in_name=True)
    if connection.vendor == "sqlite":
        sql = f'"actors_actor"."id" IN ({sql})'
    return qs.order_by(RawSQL(f"CASE WHEN {sql} THEN 0 ELSE 1 END", params).asc(), "name")


def page_of_matches[QS: QuerySet](qs: QS, q: str, found: QS) -> QS:
    """`found = full_text(qs, q)` to page through, once `has_any` has counted it (`found.known_count`).

    Fewer than `RANKED_UP_TO` matches come with name matches first (`name_first`). More come by name only:
    ranking them means reading and sorting every match, where the name index gives the first page and stops,
    and that took two to three times as long (docs/benchmarks.md). On SQLite many matches are then paged by name
    (`full_text(by_name=True)`, the count carried over); PostgreSQL's planner makes that choice itself.
    """
    known = getattr(found, "known_count", None)
    if known is not None and known < RANKED_UP_TO:
        paged = name_first(found, q)
    elif connection.vendor != "sqlite" or known is None or known < PAGE_BY_NAME_FROM:
        return found
    else:
        paged = full_text(qs, q, by_name=True)
    paged.known_count = known  # type: ignore[attr-defined]
    return paged


def has_any(qs: QuerySet) -> bool:
    """Whether the full-text result is non-empty.

    A count, not EXISTS: the page counts the result anyway, so the count is kept on the queryset as
    `known_count` and the paginator does not count again (see samskab.lib.pagination). On PostgreSQL EXISTS
    would also be slow exactly when nothing matches: with LIMIT 1 the planner tends to scan the whole table
    hoping for an early match.
    """
    qs.known_count = qs.count()  # type: ignore[attr-defined]
    return qs.known_count > 0  # type: ignore[attr-defined]


def trigrams(word: str) -> set[str]:
    """pg_trgm's trigrams of one word: padded with two spaces in front and one behind."""
    padded = f"  {word.lower()} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb) if ta or tb else 0.0


def name_matches(query_words: list[str], name: str) -> float:
    """The weakest best match of any query word among the name's words (0 when some word has no match)."""
    name_words = WORD.findall(name.lower()) or [""]
    return min(max(similarity(q, n) for n in name_words) for q in query_words)


def fuzzy_names(qs: QuerySet, q: str) -> list[int]:
    """Ids of actors whose name is close to the query despite typos, best first."""
    query_words = [w for w in words(q) if len(w) >= 3]
    if not query_words:
        return []
    # The candidate pool is cut to size among the actors `qs` selects (its filters, if any, run inside the
    # pool's query), so a filter never leaves out close names that a nationwide pool had no room for.
    filtered = bool(qs.query.where)
    if connection.vendor == "postgresql":
        # `word <% name` (pg_trgm.word_similarity_threshold, 0.6 by default) is looser than the final test
        # below, which decides the same way on both databases; `word <<-> name` orders by the same word
        # similarity, nearest first, through the GiST trigram index (migration 0009), so the candidates are
        # the closest names, not merely the first found.
        within_sql, within_params = qs.order_by().values("pk").query.sql_with_params() if filtered else ("", ())
        inside = f"id IN ({within_sql}) AND " if filtered else ""
        similar = (
            f"SELECT id FROM actors_actor WHERE {inside}%s <%% name ORDER BY %s <<-> name LIMIT {FUZZY_CANDIDATES}"
        )
        pool_sql = RawSQL(similar, [*within_params, query_words[0], query_words[0]])
    else:
        grams = sorted({g for w in query_words for g in trigrams(w) if g.strip() and len(g.strip()) == 3})
        if not grams:
            return []
        # FTS5's bm25 favours short names over close ones, so a wider pool is scored below and cut to size.
        match = " OR ".join(f'"{g}"' for g in grams)
        pool = FUZZY_CANDIDATES * SQLITE_POOL_FACTOR
        # With filters, the matches are found first (MATERIALIZED) and then narrowed to `qs`, whose filters
        # run only on the matched actors (FTS5 given `rowid IN (...)` would run the match once per actor).
        narrowed, narrowed_params = (
            qs.filter(pk__in=RawSQL("SELECT rowid FROM matched", [])).order_by().values("pk").query.sql_with_params()
            if filtered
            else ("", ())
        )
        pool_sql = RawSQL(
            f"WITH matched AS MATERIALIZED (SELECT rowid, rank FROM {NAME_TABLE} WHERE {NAME_TABLE} MATCH %s) "
            f"SELECT rowid FROM matched WHERE rowid IN ({narrowed}) ORDER BY rank LIMIT {pool}"
            if filtered
            else f"SELECT rowid FROM {NAME_TABLE} WHERE {NAME_TABLE} MATCH %s ORDER BY rank LIMIT {pool}",
            [match, *narrowed_params],
        )
    candidates = qs.model._default_manager.filter(pk__in=pool_sql)
    scored = sorted(
        (
            (-score, pk)
            for pk, name in candidates.values_list("pk", "name")
            if (score := name_matches(query_words, name))
        )
    )[:FUZZY_CANDIDATES]
    return [pk for negative, pk in scored if -negative >= FUZZY_THRESHOLD]


def extras(pks: Iterable[int], *, apps: Apps = global_apps) -> dict[int, str]:
    """What the actors offer and work with, as text to search: the title and description of each resource, in the
    order they were registered, then the Danish name of each theme. Resources have no private part (the actor
    form says so); a deleted resource is gone from here. `apps` lets a migration use its own models."""
    actor_model = apps.get_model("actors", "Actor")
    resource_model = apps.get_model("actors", "Resource")
    through = actor_model.themes.through
    texts: dict[int, list[str]] = {pk: [] for pk in pks}
    for chunk in _chunks(list(texts), BATCH):
        resources = resource_model.objects.filter(actor_id__in=chunk).order_by("actor_id", "pk")
        for actor_id, title, description in resources.values_list("actor_id", "title", "description"):
            texts[actor_id] += [title, description]
        themes = through.objects.filter(actor_id__in=chunk).order_by("actor_id", "theme__position", "theme__slug")
        for actor_id, name in themes.values_list("actor_id", "theme__name_da"):
            texts[actor_id].append(name)
    return {pk: " ".join(text for text in found if text) for pk, found in texts.items()}


def _chunks(items: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _write(rows: list[tuple[int, str, str, str]], *, fresh: bool = False) -> None:
    """Index (pk, name, description, extras) rows. On PostgreSQL only the extras are written (the vector is
    generated from the row), and only where they changed; `fresh` says SQLite's tables hold none of the rows."""
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for start in range(0, len(rows), BATCH):
                batch = rows[start : start + BATCH]
                values = ", ".join("(%s, %s)" for _ in batch)
                cursor.execute(
                    f"UPDATE actors_actor SET search_extra = v.extra FROM (VALUES {values}) AS v(id, extra) "
                    "WHERE actors_actor.id = v.id AND actors_actor.search_extra IS DISTINCT FROM v.extra",
                    [value for pk, _name, _description, extra in batch for value in (pk, extra)],
                )
        elif connection.vendor == "sqlite":
            if not fresh:
                cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(pk,) for pk, *_rest in rows])
                cursor.executemany(f"DELETE FROM {NAME_TABLE} WHERE rowid = %s", [(pk,) for pk, *_rest in rows])
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE}(rowid, name, body) VALUES (%s, %s, %s)",
                [(pk, document(name), document(description, extra)) for pk, name, description, extra in rows],
            )
            cursor.executemany(
                f"INSERT INTO {NAME_TABLE}(rowid, name) VALUES (%s, %s)",
                [(pk, name.lower()) for pk, name, _description, _extra in rows],
            )


def index_actor(pk: int, name: str, description: str) -> None:
    """Index the actor as saved now, with its resources and themes as they are in the database. Call it in the
    transaction that changed them (signals do, and bulk writes that send none)."""
    _write([(pk, name, description, extras([pk])[pk])])


def reindex(pks: Iterable[int]) -> None:
    """Index these actors again, as they are in the database (their resources or themes changed)."""
    from .models import Actor

    rows = Actor.objects.filter(pk__in=list(pks)).values_list("pk", "name", "description")
    found = {pk: (name, description) for pk, name, description in rows}
    offered = extras(found)
    _write([(pk, name, description, offered[pk]) for pk, (name, description) in found.items()])


def rebuild_index(apps: Apps = global_apps) -> int:
    """Index every actor from scratch, in batches; the number indexed. Migrations pass their `apps`."""
    actor_model = apps.get_model("actors", "Actor")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
            cursor.execute(f"DELETE FROM {NAME_TABLE}")
    pks = list(actor_model.objects.order_by("pk").values_list("pk", flat=True))
    for chunk in _chunks(pks, BATCH):
        rows = actor_model.objects.filter(pk__in=chunk).order_by("pk").values_list("pk", "name", "description")
        offered = extras(chunk, apps=apps)
        _write([(pk, name, description, offered[pk]) for pk, name, description in rows], fresh=True)
    return len(pks)


def unindex_actor(pk: int) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [pk])
        cursor.execute(f"DELETE FROM {NAME_TABLE} WHERE rowid = %s", [pk])
