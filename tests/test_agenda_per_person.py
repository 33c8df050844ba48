"""In Anne's involvement process the whole staff of Nørreby Skole is one member actor, yet each colleague spreads
five priority points of their own over the agenda, and the totals add up everyone's: Omar saving his points leaves
Camilla's as they are, even when both press "save" at the same moment. In co-creation an actor keeps one budget,
shared by its people."""

import importlib
import json
from functools import partial

import pytest
from django.test import Client
from django.urls import reverse

from samskab.actors.models import Membership
from samskab.partnerships.models import AgendaItem, AgendaPriority, Partnership

from .conftest import Persona, at_the_same_instant, make_user


def colleague(anne: Persona, name: str) -> Persona:
    return Persona(Membership.objects.get(user__email=f"{name}@skole.dk").user, anne.actor)


def add_items(persona: Persona, partnership: Partnership, *titles: str) -> list[AgendaItem]:
    """Items added through the agenda page, as a member would."""
    client = persona.client()
    url = reverse("partnerships:agenda", args=[partnership.pk])
    for title in titles:
        assert client.post(url, {"title": title, "description": ""}).status_code == 302
    return [AgendaItem.objects.get(partnership=partnership, title=title) for title in titles]


def give(persona: Persona, partnership: Partnership, points: dict[AgendaItem, int]) -> Client:
    client = persona.client()
    client.post(
        reverse("partnerships:agenda_priorities", args=[partnership.pk]),
        {f"points-{item.pk}": str(n) for item, n in points.items()},
    )
    return client


def totals(client: Client, partnership: Partnership) -> dict[str, int]:
    """The points the agenda's API gives each item: everyone's added up."""
    listed = client.get(f"/api/v1/partnerships/{partnership.pk}/agenda").json()
    return {entry["title"]: entry["points"] for entry in listed}


def page(client: Client, partnership: Partnership) -> str:
    return " ".join(client.get(reverse("partnerships:agenda", args=[partnership.pk])).content.decode().split())


def test_each_colleague_spreads_five_points_of_their_own_and_the_totals_count_everyone(
    involvement: Partnership, anne: Persona, omar: Persona
) -> None:
    camilla = colleague(anne, "camilla")
    blocks, rooms = add_items(anne, involvement, "Forløb i blokke", "Lokaler til praksisfag")

    give(anne, involvement, {blocks: 5})
    give(omar, involvement, {blocks: 2, rooms: 3})
    client = give(camilla, involvement, {rooms: 5})

    # Each has the whole budget: no save replaced a colleague's points.
    assert totals(client, involvement) == {"Forløb i blokke": 7, "Lokaler til praksisfag": 8}
    mine = dict(AgendaPriority.objects.filter(user=omar.user).values_list("item__title", "points"))
    assert mine == {"Forløb i blokke": 2, "Lokaler til praksisfag": 3}
    # The page puts the most points first, and shows each person their own points, not the school's.
    html = page(client, involvement)
    assert html.index("Lokaler til praksisfag") < html.index("Forløb i blokke")
    assert f'name="points-{rooms.pk}" value="5"' in html and f'name="points-{blocks.pk}"' in html
    assert f'name="points-{blocks.pk}" value=' not in html  # Camilla gave the blocks none; Anne's 5 are not hers
    assert "Dine point" in html and "Point fra Nørreby Skole" not in html
    assert "Hver af jer fordeler 5 point" in html and "alles point lægges sammen" in html
    assert "Hver medlemsaktør" not in html
    omars = page(omar.client(), involvement)
    assert f'name="points-{blocks.pk}" value="2"' in omars and f'name="points-{rooms.pk}" value="3"' in omars

    # Omar moves his points; only his change.
    saved = give(omar, involvement, {blocks: 5}).get(reverse("partnerships:agenda", args=[involvement.pk]))
    assert "Dine prioriteringer er gemt." in saved.content.decode()
    assert totals(client, involvement) == {"Forløb i blokke": 10, "Lokaler til praksisfag": 5}


def test_a_colleague_who_gives_more_than_five_is_refused_with_the_numbers_kept(
    involvement: Partnership, anne: Persona, omar: Persona
) -> None:
    blocks, rooms = add_items(anne, involvement, "Forløb i blokke", "Lokaler til praksisfag")
    give(anne, involvement, {blocks: 5})

    response = omar.client().post(
        reverse("partnerships:agenda_priorities", args=[involvement.pk]),
        {f"points-{blocks.pk}": "4", f"points-{rooms.pk}": "2"},
    )

    assert response.status_code == 200
    html = " ".join(response.content.decode().split())
    assert "Hver person har 5 point at fordele; du gav 6." in html and "Hver aktør" not in html
    assert f'name="points-{blocks.pk}" value="4"' in html and f'name="points-{rooms.pk}" value="2"' in html
    assert not AgendaPriority.objects.filter(user=omar.user).exists()
    assert totals(omar.client(), involvement) == {"Forløb i blokke": 5, "Lokaler til praksisfag": 0}


@pytest.mark.django_db(transaction=True)
def test_colleagues_saving_at_the_same_instant_both_count(
    involvement: Partnership, anne: Persona, omar: Persona
) -> None:
    camilla, thomas = colleague(anne, "camilla"), colleague(anne, "thomas")
    blocks, rooms = add_items(anne, involvement, "Forløb i blokke", "Lokaler til praksisfag")
    url = reverse("partnerships:agenda_priorities", args=[involvement.pk])
    posts = [
        (omar, {f"points-{blocks.pk}": "5"}),
        (camilla, {f"points-{blocks.pk}": "2", f"points-{rooms.pk}": "3"}),
        (thomas, {f"points-{rooms.pk}": "4"}),
        # Thomas in a second tab, the same instant: one of his two entries stands, whole, never both.
        (thomas, {f"points-{blocks.pk}": "1"}),
    ]
    clients = [persona.client() for persona, _points in posts]

    def save(client: Client, data: dict[str, str]) -> int:
        return client.post(url, data).status_code

    outcomes = at_the_same_instant(
        [partial(save, client, data) for client, (_persona, data) in zip(clients, posts, strict=True)]
    )

    assert outcomes == [302, 302, 302, 302]
    thomas_gave = dict(AgendaPriority.objects.filter(user=thomas.user).values_list("item__title", "points"))
    assert thomas_gave in ({"Lokaler til praksisfag": 4}, {"Forløb i blokke": 1})
    expected = {"Forløb i blokke": 7 + thomas_gave.get("Forløb i blokke", 0)}
    expected["Lokaler til praksisfag"] = 3 + thomas_gave.get("Lokaler til praksisfag", 0)
    assert totals(omar.client(), involvement) == expected


def test_people_of_one_actor_share_its_five_points_in_co_creation(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    lars = personas["lars"]
    assert lars.actor is not None
    coach = Persona(make_user("kim@boldklub.dk", "Kim Træner"), lars.actor)
    Membership.objects.create(actor=lars.actor, user=coach.user, role=Membership.Role.MEMBER)
    hall, jobs = add_items(personas["sofie"], partnership, "Fredagsåben hal", "Fritidsjob")

    give(lars, partnership, {hall: 3})
    client = give(coach, partnership, {jobs: 5})

    # The club has one budget: Kim's save is the club's points, and Lars's 3 are gone.
    assert totals(client, partnership) == {"Fritidsjob": 5, "Fredagsåben hal": 0}
    assert list(AgendaPriority.objects.values_list("actor__name", "user", "points")) == [
        ("Vollsmose Boldklub", None, 5)
    ]
    html = page(lars.client(), partnership)
    assert f'name="points-{jobs.pk}" value="5"' in html and "Point fra Vollsmose Boldklub" in html
    assert "Hver medlemsaktør fordeler 5 point" in html and "Hver af jer" not in html
    refused = lars.client().post(
        reverse("partnerships:agenda_priorities", args=[partnership.pk]),
        {f"points-{hall.pk}": "4", f"points-{jobs.pk}": "2"},
    )
    assert "Hver aktør har 5 point at fordele; du gav 6." in refused.content.decode()
    assert AgendaPriority.objects.get().points == 5


def test_a_colleagues_points_are_in_her_data_download_and_go_with_her_account(
    involvement: Partnership, anne: Persona, omar: Persona
) -> None:
    camilla = colleague(anne, "camilla")
    blocks, rooms = add_items(anne, involvement, "Forløb i blokke", "Lokaler til praksisfag")
    give(omar, involvement, {blocks: 3})
    client = give(camilla, involvement, {blocks: 1, rooms: 4})

    data = json.loads(client.get(reverse("accounts:download_data")).content)["partnerships"]["agenda_priorities"]
    assert data == [
        {"item__partnership__title": involvement.title, "item__title": "Forløb i blokke", "points": 1},
        {"item__partnership__title": involvement.title, "item__title": "Lokaler til praksisfag", "points": 4},
    ]

    deleted = client.post(reverse("accounts:delete_account"), {"password": "en-god-adgangskode-42"})
    assert deleted.status_code == 302
    # Her wish goes with her; Omar's stays.
    assert totals(omar.client(), involvement) == {"Forløb i blokke": 3, "Lokaler til praksisfag": 0}


def test_outsiders_and_readers_set_no_points(involvement: Partnership, anne: Persona, nora: Persona) -> None:
    (blocks,) = add_items(anne, involvement, "Forløb i blokke")
    url = reverse("partnerships:agenda_priorities", args=[involvement.pk])
    assert nora.client().post(url, {f"points-{blocks.pk}": "5"}).status_code in (403, 404)
    assert Client().post(url, {f"points-{blocks.pk}": "5"}).status_code == 302  # to the login
    assert not AgendaPriority.objects.exists()


def test_points_an_involvement_process_held_per_actor_are_dropped_on_upgrade(
    involvement: Partnership, partnership: Partnership, anne: Persona, fie: Persona
) -> None:
    """Before each person had points of their own, a process's points were the school's. Nobody could change those
    any more, so the upgrade drops them; a co-creation partnership's points per actor stay."""
    from django.apps import apps

    drop = importlib.import_module("samskab.partnerships.migrations.0011_shared_points_leave_involvement")
    (process_item,) = add_items(anne, involvement, "Forløb i blokke")
    (partnership_item,) = add_items(fie, partnership, "Lys på torvet")
    AgendaPriority.objects.create(item=process_item, actor=anne.actor, points=5)  # as saved before
    AgendaPriority.objects.create(item=partnership_item, actor=fie.actor, points=3)
    give(anne, involvement, {process_item: 2})

    drop.drop_shared_points_in_involvement(apps, None)

    assert sorted(AgendaPriority.objects.values_list("item__title", "user__email", "points")) == [
        ("Forløb i blokke", "anne@skole.dk", 2),
        ("Lys på torvet", None, 3),
    ]
