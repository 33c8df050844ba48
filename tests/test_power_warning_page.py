"""The power-balance warning is on the partnership's own page, for everyone who may read it (BRIEF: the monitor is
always visible to all members, not only to the municipality), so that nobody has to look for it."""

from typing import Any

import pytest
from django.test import Client

from samskab.partnerships import services
from samskab.partnerships.models import Partnership

from .conftest import Persona

pytestmark = pytest.mark.django_db

WARNING = "Kommunen dominerer initiativet"


def raise_items(persona: Persona, partnership: Partnership, n: int) -> None:
    assert persona.actor is not None
    start = partnership.agenda_items.count()  # a new title each: the same item twice is refused
    for i in range(start, start + n):
        services.add_agenda_item(user=persona.user, partnership=partnership, by_actor=persona.actor, title=f"Punkt {i}")


def test_the_partnership_page_warns_everyone_when_the_municipality_dominates(
    partnership: Partnership, personas: dict[str, Persona], django_assert_max_num_queries: Any
) -> None:
    mette, lars, sofie = personas["mette"], personas["lars"], personas["sofie"]
    raise_items(lars, partnership, 2)
    raise_items(mette, partnership, 1)  # a third: not above twice a fifth
    assert WARNING not in sofie.client().get(partnership.get_absolute_url()).content.decode()
    # Five member actors, one of them municipal: a fair share of 20 %. Six of eight items is 75 %.
    raise_items(mette, partnership, 5)
    for client in (sofie.client(), lars.client(), Client()):
        page = client.get(partnership.get_absolute_url()).content.decode()
        assert WARNING in page and "75 % af initiativet" in page and "20 %" in page
        assert f'href="/partnerskaber/{partnership.pk}/magtbalance/"' in page
    raise_items(sofie, partnership, 2)  # 6 of 10: still more than twice 20 %
    raise_items(lars, partnership, 4)  # 6 of 14 = 43 %: more than 40 %
    assert WARNING in Client().get(partnership.get_absolute_url()).content.decode()
    raise_items(sofie, partnership, 2)  # 6 of 16 = 38 %
    assert WARNING not in Client().get(partnership.get_absolute_url()).content.decode()


def test_no_warning_where_the_staff_are_one_sector(involvement: Partnership, anne: Persona) -> None:
    raise_items(anne, involvement, 3)
    assert WARNING not in anne.client().get(involvement.get_absolute_url()).content.decode()
