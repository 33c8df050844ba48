"""Writing a statement in a large conversation: how long the near-duplicate check takes against 5,000 statements.

    DATABASE_URL=sqlite:////tmp/bench-duplicates.sqlite3 .venv/bin/python bench/near_duplicates.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samskab_bench .venv/bin/python bench/near_duplicates.py

Builds (once) a conversation with 5,000 statements made from Danish phrases (more alike than real statements, so
more of them pass the cheap letter bounds and are compared word by word), then checks new statements against all
of them: first the comparison alone (`similarity.says_the_same`, once with nothing cached, as in a new worker
process, then again), then `services.find_near_duplicate`, which also reads the statements from the database. A
genuinely new statement is compared with every statement, so it is the slowest case; a duplicate stops at its match.
"""

import os
import random
import statistics
import sys
import time
from itertools import product
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("TASKS_BACKEND", "django.tasks.backends.dummy.DummyBackend")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

STATEMENTS, ROUNDS = 5_000, 20
QUESTION = "Benchmark: near-duplicates"
WHO = ["De unge", "De ældre", "Forældrene", "Kommunen", "Foreningerne", "Skolen", "Politiet", "Butikkerne", "Naboerne"]
DOES = [
    "mangler et sted at være", "skal tage mere ansvar", "har brug for flere voksne", "føler sig utrygge",
    "skal have mere at sige", "bruger for mange penge", "kommer for sjældent forbi", "skal lytte mere til borgerne",
    "har for lidt tid til de unge", "skal samarbejde bedre med hinanden",
]  # fmt: skip
WHERE = [
    "",
    " i Vollsmose",
    " på stationen",
    " ved skolen",
    " i hallen",
    " på pladsen",
    " i klubben",
    " på biblioteket",
]
WHEN = ["", " om aftenen", " i weekenden", " om sommeren", " efter skoletid", " om natten", " hver fredag"]
BECAUSE = ["", ", fordi der ikke er noget at lave", ", når det er mørkt", ", selvom kommunen har lovet det"]
LAST = "Der er for få voksne i gaderne om aftenen."  # written last, so its duplicates are found last
NEW = [
    "Om aftenen er der alt for faa voksne paa gaderne.",  # a duplicate of the last statement
    "Der er ikke for få voksne i gaderne om aftenen.",  # new: compared with all 5,000
    "Om aftenen mangler de ældre et sted at være i Vollsmose.",
    "Kommunen bør give de frivillige i hallen en bedre kaffemaskine.",
]


def texts() -> list[str]:
    every = [f"{w} {d}{p}{t}{b}." for w, d, p, t, b in product(WHO, DOES, WHERE, WHEN, BECAUSE)]
    return [*random.Random(1).sample(every, STATEMENTS - 1), LAST]


def build() -> int:
    from samskab.opinions.models import Conversation, Statement
    from samskab.opinions.similarity import normalise

    conversation = Conversation.objects.filter(question=QUESTION).first()
    if conversation is not None:
        return conversation.pk
    conversation = Conversation.objects.create(question=QUESTION, allow_anonymous=True)
    Statement.objects.bulk_create(
        (Statement(conversation=conversation, text=text, normalised=normalise(text)) for text in texts()),
        batch_size=1000,
    )
    return conversation.pk


def milliseconds(run: object) -> float:
    started = time.perf_counter()
    run()  # type: ignore[operator]
    return (time.perf_counter() - started) * 1000


def main() -> None:
    call_command("migrate", verbosity=0)
    from samskab.opinions.models import Conversation
    from samskab.opinions.services import find_near_duplicate
    from samskab.opinions.similarity import _compared, _letters, normalise, says_the_same

    conversation = Conversation.objects.get(pk=build())
    existing = list(conversation.statements.values_list("normalised", flat=True))
    for text in NEW:
        wanted = normalise(text)
        _compared.cache_clear()
        _letters.cache_clear()
        cold = milliseconds(lambda: [says_the_same(wanted, other) for other in existing])  # noqa: B023
        warm = statistics.median(
            milliseconds(lambda: [says_the_same(wanted, other) for other in existing])  # noqa: B023
            for _ in range(ROUNDS)
        )
        _compared.cache_clear()
        _letters.cache_clear()
        found = find_near_duplicate(conversation, text)
        _compared.cache_clear()
        _letters.cache_clear()
        page_cold = milliseconds(lambda: find_near_duplicate(conversation, text))  # noqa: B023
        page_warm = statistics.median(
            milliseconds(lambda: find_near_duplicate(conversation, text))  # noqa: B023
            for _ in range(ROUNDS)
        )
        print(
            f"{text[:60]!r:64} found: {'yes' if found else 'no ':3}"
            f" | compare {len(existing):,}: {cold:6.1f} ms cold, {warm:5.1f} ms warm"
            f" | {connection.vendor} find_near_duplicate: {page_cold:6.1f} ms cold, {page_warm:5.1f} ms warm"
        )


if __name__ == "__main__":
    main()
