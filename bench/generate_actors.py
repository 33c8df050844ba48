"""Fill a database with synthetic actors, resources and needs for the search benchmark (bench/search.py).

Actors are spread over all 98 municipalities, placed around their region's centre (Bornholm on Bornholm),
with Danish-looking names and descriptions built from word lists, themes, neighbourhoods and resources.
Rows go in with bulk_create in batches, which sends no signals, so the search index is then rebuilt as a whole
(`samskab.actors.search.rebuild_index`: SQLite's FTS5 tables; on PostgreSQL the resources' and themes' text that
the stored vector includes, then VACUUM FULL of the actors, whose rows that wrote twice). Finally ANALYZE, so the
planner knows the tables' sizes. Use an empty, migrated database:

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 DJANGO_SETTINGS_MODULE=config.settings \\
        .venv/bin/python bench/generate_actors.py --actors 100000 --resources 300000 --needs 100000
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils.text import slugify  # noqa: E402

from samskab.actors import search  # noqa: E402
from samskab.actors.models import Actor, Municipality, Need, Resource, ResourceKind, Sector, Theme  # noqa: E402
from samskab.lib.text import transliterate  # noqa: E402

BATCH = 2000
REGION_CENTRES = {
    "Region Hovedstaden": (55.75, 12.35),
    "Region Sjælland": (55.45, 11.75),
    "Region Syddanmark": (55.40, 9.75),
    "Region Midtjylland": (56.20, 9.55),
    "Region Nordjylland": (57.05, 9.90),
}
BORNHOLM = (55.13, 14.92)
SECTORS = [Sector.ASSOCIATION] * 45 + [Sector.CITIZEN] * 30 + [Sector.BUSINESS] * 15 + [Sector.MUNICIPALITY] * 10
PLACES = [
    "Vollsmose",
    "Bøgeskov",
    "Egebjerg",
    "Lindholm",
    "Højby",
    "Tarup",
    "Dalum",
    "Hjallerup",
    "Nørrebro",
    "Vesterbro",
    "Østerbro",
    "Valby",
    "Brønshøj",
    "Gellerup",
    "Hasle",
    "Viby",
    "Risskov",
    "Skovby",
    "Strandby",
    "Kirkeby",
    "Søndermark",
    "Nørremark",
    "Engholm",
    "Vestergård",
    "Rosenhøj",
    "Fredensborg",
    "Åbyhøj",
    "Ølstykke",
    "Ærøskøbing",
    "Marslev",
    "Bellinge",
    "Tommerup",
    "Korsløkke",
    "Sanderum",
    "Munkebo",
    "Kerteminde",
    "Holluf",
    "Fraugde",
    "Ejby",
    "Haarby",
    "Tved",
    "Åløkke",
    "Hunderup",
    "Bolbro",
    "Agedrup",
]
NEIGHBOURHOODS = [*PLACES[:30], "Centrum", "Havnen", "Stationsbyen", "Landsbyen", "Skovkvarteret"]
ASSOCIATION_KINDS = [
    "Boldklub",
    "Idrætsforening",
    "Skakklub",
    "Roklub",
    "Svømmeklub",
    "Håndboldklub",
    "Gymnastikforening",
    "Spejdergruppe",
    "Kor",
    "Beboerforening",
    "Grundejerforening",
    "Lokalhistoriske",
    "Forening",
    "Frivilligcenter",
    "Ungdomsklub",
    "Seniorklub",
    "Madklub",
    "Haveforening",
    "Kulturforening",
    "Musikforening",
    "Teaterforening",
    "Cykelklub",
    "Løbeklub",
    "Naturklub",
    "Vennekreds",
    "Menighedsråd",
    "Kvindenetværk",
    "Lektiecafé",
    "Fællesskabsforening",
]
BUSINESS_KINDS = [
    "Købmand",
    "Bageri",
    "Tømrerfirma",
    "Cykelværksted",
    "Frisør",
    "Blomsterhandel",
    "Malerfirma",
    "Elektriker",
    "VVS",
    "Pizzeria",
    "Boghandel",
    "Kaffebar",
    "Revisionsfirma",
    "Fitnesscenter",
    "Tandlæge",
    "Apotek",
    "Byggemarked",
    "Bilværksted",
]
MUNICIPAL_KINDS = [
    "Skole",
    "Bibliotek",
    "Plejecenter",
    "Fritidscenter",
    "Jobcenter",
    "Sundhedshus",
    "Ungdomsskole",
    "Børnehus",
    "Kulturhus",
    "Aktivitetscenter",
    "Familiehus",
    "Musikskole",
]
FIRST_NAMES = [
    "Mette",
    "Lars",
    "Sofie",
    "Jens",
    "Anne",
    "Omar",
    "Karin",
    "Fie",
    "Nora",
    "Ida",
    "Mads",
    "Emil",
    "Freja",
    "Noah",
    "Aisha",
    "Mikkel",
    "Line",
    "Søren",
    "Birgitte",
    "Ahmed",
    "Henrik",
    "Camilla",
    "Jonas",
    "Rasmus",
    "Louise",
    "Morten",
    "Signe",
    "Hanne",
    "Peter",
    "Mia",
    "Zainab",
    "Bo",
    "Lene",
    "Kasper",
    "Astrid",
]
LAST_NAMES = [
    "Nielsen",
    "Jensen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Poulsen",
    "Johansen",
    "Møller",
    "Mortensen",
    "Holm",
    "Vestergaard",
    "Berg",
    "Lund",
    "Østergaard",
    "Ali",
]
TOPICS = [
    "fodbold for børn og unge",
    "skak og brætspil",
    "rytmisk musik og sang",
    "fællesspisning hver torsdag",
    "lektiehjælp til skolebørn",
    "gåture for ældre",
    "cykelreparation og værkstedsdage",
    "natur og miljø i bydelen",
    "integration og sprogcafé",
    "teater og drama for alle aldre",
    "svømning og vandgymnastik",
    "ensomhed og fællesskab",
    "job og praktik til unge",
    "mødelokaler til udlejning",
    "frivillige besøgsvenner",
    "genbrug og reparation",
    "løb og motion i naturen",
    "madlavning og sundhed",
    "kultur og historie i lokalområdet",
    "tryghed i boligområdet",
    "håndbold og idræt",
    "kunst og kreative værksteder",
    "hjælp til nye borgere",
    "psykisk trivsel og samtalegrupper",
]
OPENINGS = [
    "Vi samler folk om {t}.",
    "Vi tilbyder {t} i {p}.",
    "Vores fokus er {t} og et stærkt lokalt fællesskab.",
    "Siden 1987 har vi arbejdet med {t}.",
    "Vi er en lille gruppe, der brænder for {t}.",
]
CLOSINGS = [
    "Alle er velkomne.",
    "Vi søger flere frivillige.",
    "Vi låner gerne vores lokaler ud.",
    "Kontakt os, hvis I vil samarbejde.",
    "Vi mødes hver uge i {p}.",
    "",
]
RESOURCE_TITLES = {
    ResourceKind.VOLUNTEER_HOURS: ["Frivillige timer", "Trænere tirsdag aften", "Besøgsvenner", "Lektiehjælpere"],
    ResourceKind.PREMISES: ["Mødelokale", "Hallen om aftenen", "Klubhus", "Køkken til fællesspisning"],
    ResourceKind.EQUIPMENT: ["Bolde og mål", "Lydanlæg", "Trailer", "Værktøj", "Kanoer"],
    ResourceKind.EXPERTISE: ["Regnskab", "Projektledelse", "Sprogundervisning", "Coaching", "Førstehjælp"],
    ResourceKind.NETWORK: ["Netværk i bydelen", "Kontakt til erhvervslivet", "Forældrenetværk"],
    ResourceKind.FUNDING: ["Lille pulje", "Sponsorat", "Fondsmidler"],
    ResourceKind.JOBS: ["Studiejob", "Praktikplads", "Fritidsjob", "Skånejob"],
}


def actor_name(rnd: random.Random, sector: str) -> str:
    if sector == Sector.CITIZEN:
        return f"{rnd.choice(FIRST_NAMES)} {rnd.choice(LAST_NAMES)}"
    place = rnd.choice(PLACES)
    if sector == Sector.BUSINESS:
        return rnd.choice(
            [f"{rnd.choice(BUSINESS_KINDS)} {rnd.choice(LAST_NAMES)}", f"{place} {rnd.choice(BUSINESS_KINDS)}"]
        )
    if sector == Sector.MUNICIPALITY:
        return f"{place} {rnd.choice(MUNICIPAL_KINDS)}"
    return f"{place} {rnd.choice(ASSOCIATION_KINDS)}"


def description(rnd: random.Random, place: str) -> str:
    topic, other = rnd.sample(TOPICS, 2)
    first = rnd.choice(OPENINGS).format(t=topic, p=place)
    second = rnd.choice(["Vi arbejder også med {t}.", "Desuden {t}.", ""]).format(t=other)
    return " ".join(s for s in (first, second, rnd.choice(CLOSINGS).format(p=place)) if s)


def generate(n_actors: int, n_resources: int, n_needs: int, seed: int) -> None:
    rnd = random.Random(seed)
    municipalities = list(Municipality.objects.all())
    assert len(municipalities) == 98, "migrate first: the municipalities come from a data migration"
    weights = [8 if m.code in {"0101", "0751", "0461", "0851"} else 1 for m in municipalities]
    themes = list(Theme.objects.values_list("pk", flat=True))
    start = time.perf_counter()

    first_pk = (Actor.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    with transaction.atomic():
        for offset in range(0, n_actors, BATCH):
            batch = []
            for i in range(offset, min(offset + BATCH, n_actors)):
                municipality = rnd.choices(municipalities, weights)[0]
                lat0, lon0 = BORNHOLM if municipality.code == "0400" else REGION_CENTRES[municipality.region]
                spread = 0.08 if municipality.code == "0400" else 0.2
                sector = rnd.choice(SECTORS)
                name = actor_name(rnd, sector)
                located = rnd.random() < 0.85
                batch.append(
                    Actor(
                        sector=sector,
                        name=name,
                        slug=f"{slugify(transliterate(name))[:60]}-{first_pk + i}",
                        description=description(rnd, rnd.choice(PLACES)),
                        municipality=municipality,
                        neighbourhood=rnd.choice(NEIGHBOURHOODS) if rnd.random() < 0.7 else "",
                        latitude=min(max(rnd.gauss(lat0, spread), 54.56), 57.75) if located else None,
                        longitude=min(max(rnd.gauss(lon0, spread * 1.6), 8.08), 15.19) if located else None,
                        external_id=f"B{first_pk + i:08d}",
                        # Organisations show their address; citizens keep theirs, and so their position, private.
                        public_fields=[] if sector == Sector.CITIZEN or not located else ["address", "contact_email"],
                    )
                )
            Actor.objects.bulk_create(batch, batch_size=BATCH)
        actor_ids = list(Actor.objects.filter(pk__gte=first_pk).values_list("pk", flat=True))
        print(f"{len(actor_ids):,} actors in {time.perf_counter() - start:.1f} s", flush=True)

        through = Actor.themes.through
        links = [
            through(actor_id=pk, theme_id=theme_id)
            for pk in actor_ids
            for theme_id in rnd.sample(themes, rnd.choice([0, 1, 1, 2, 2, 3]))
        ]
        through.objects.bulk_create(links, batch_size=BATCH * 2)
        print(f"{len(links):,} theme links in {time.perf_counter() - start:.1f} s", flush=True)

        kinds = list(RESOURCE_TITLES)
        for offset in range(0, n_resources, BATCH * 2):
            batch = []
            for _ in range(offset, min(offset + BATCH * 2, n_resources)):
                kind = rnd.choice(kinds)
                batch.append(
                    Resource(
                        actor_id=rnd.choice(actor_ids),
                        kind=kind,
                        title=rnd.choice(RESOURCE_TITLES[kind]),
                        quantity=rnd.choice([None, 1, 2, 4, 10, 20]),
                        unit=rnd.choice(["", "timer om ugen", "pladser", "stk."]),
                    )
                )
            Resource.objects.bulk_create(batch, batch_size=BATCH * 2)
        print(f"{n_resources:,} resources in {time.perf_counter() - start:.1f} s", flush=True)

        for offset in range(0, n_needs, BATCH * 2):
            needs = []
            for _ in range(offset, min(offset + BATCH * 2, n_needs)):
                kind = rnd.choice(kinds)
                needs.append(
                    Need(actor_id=rnd.choice(actor_ids), kind=kind, description=rnd.choice(RESOURCE_TITLES[kind]))
                )
            Need.objects.bulk_create(needs, batch_size=BATCH * 2)
        print(f"{n_needs:,} needs in {time.perf_counter() - start:.1f} s", flush=True)

        # What the signals do one actor at a time, for every actor.
        search.rebuild_index()
        print(f"search index in {time.perf_counter() - start:.1f} s", flush=True)

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Writing the index updated every actor row once more; a migrated database has its rows written once.
            cursor.execute("VACUUM FULL actors_actor")
        cursor.execute("ANALYZE")
    print(f"done in {time.perf_counter() - start:.1f} s ({connection.vendor})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=100_000)
    parser.add_argument("--resources", type=int, default=300_000)
    parser.add_argument("--needs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.actors, args.resources, args.needs, args.seed)


if __name__ == "__main__":
    main()
