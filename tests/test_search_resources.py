"""The directory finds actors by what they offer and the themes they work with, not only by name and description.

Jens's grocery lends a meeting room behind the shop; someone looking for "mødelokale" should find it. A person
looking for help against loneliness among older people types "ensomhed ældre" and should find the associations
working with both, whichever of name, description, resources or themes says so. The index follows every change:
a resource withdrawn or a theme dropped no longer finds the actor. The same on SQLite and PostgreSQL.
"""

import re
from collections.abc import Callable
from html import unescape

from django.test import Client
from django.urls import reverse

from samskab.actors import search
from samskab.actors.models import Actor, ActorImport, Resource, Theme

from . import test_import
from .conftest import Persona
from .test_actor_edits_and_repeats import opened
from .test_import import GOOD_ROWS, register

dry_run, confirm = test_import.dry_run, test_import.confirm  # the import tests' fixtures, used here too


def found(q: str, client: Client | None = None) -> list[str]:
    """The names the directory lists for the search, in its order (one page)."""
    response = (client or Client()).get(reverse("actors:directory"), {"q": q})
    assert response.status_code == 200
    return [unescape(name) for name in re.findall(r'<h3><a href="[^"]*">([^<]*)</a></h3>', response.content.decode())]


def offer(persona: Persona, title: str, description: str = "", kind: str = "premises") -> Resource:
    assert persona.actor is not None
    url = reverse("actors:resource_create", args=[persona.actor.slug])
    response = persona.client().post(url, {"kind": kind, "title": title, "description": description})
    assert response.status_code == 302, response.context["form"].errors
    return Resource.objects.get(actor=persona.actor, title=title)


def choose_themes(persona: Persona, *slugs: str) -> None:
    assert persona.actor is not None
    url = reverse("actors:edit", args=[persona.actor.slug])
    client = persona.client()
    data = opened(client, url)
    data["themes"] = list(slugs)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors


def test_jens_is_found_by_the_meeting_room_he_offers_until_he_withdraws_it(jens: Persona, lars: Persona) -> None:
    """Jens registers the meeting room behind the shop. Anyone searching for a meeting room, or for what its
    description says, finds the grocery; when he renames it the old words no longer find it, and when he deletes
    it nothing of it does."""
    assert found("mødelokale") == []
    room = offer(jens, "Mødelokale bag butikken", "Plads til tolv ved et langt bord")
    offer(lars, "Hallen tirsdag aften")

    assert found("mødelokale") == ["Købmand Madsen"]
    assert found("MØDELOKALER") == ["Købmand Madsen"]  # the stem, any case
    assert found("langt bord") == ["Købmand Madsen"]  # the resource's description
    assert found("hal") == ["Vollsmose Boldklub"]  # "Hallen" stems to "hal"

    assert jens.actor is not None
    edit = reverse("actors:resource_edit", args=[jens.actor.slug, room.pk])
    data = opened(jens.client(), edit)
    data["title"], data["description"] = "Kaffe til møder", ""
    assert jens.client().post(edit, data).status_code == 302
    assert found("mødelokale") == []
    assert found("bord") == []
    assert found("kaffe") == ["Købmand Madsen"]

    delete = reverse("actors:resource_delete", args=[jens.actor.slug, room.pk])
    assert jens.client().post(delete).status_code == 302
    assert found("kaffe") == []
    assert found("købmand") == ["Købmand Madsen"]  # still found by name


def test_themes_find_actors_and_every_word_may_match_in_a_different_place(
    fie: Persona, nora: Persona, lars: Persona
) -> None:
    """Fie's volunteer centre works with loneliness and visits older people; Nora's garden association works with
    loneliness too. "ensomhed" finds both by their theme; "ensomhed ældre" only Fie's, whose theme has one word
    and description the other. When Nora drops the theme, "ensomhed" no longer finds her association."""
    assert fie.actor is not None
    fie.actor.description = "Besøgsvenner for ældre i hele byen"
    fie.actor.save()
    choose_themes(fie, "ensomhed")
    choose_themes(nora, "ensomhed", "miljoe")

    assert found("ensomhed") == ["Frivilligcenter Odense", "Haveforeningen Solsikken"]
    assert found("ensomhed ældre") == ["Frivilligcenter Odense"]
    assert found("fællesskab natur") == ["Haveforeningen Solsikken"]  # two themes' names
    assert found("idræt") == ["Vollsmose Boldklub"]  # the themes the fixture gave the club

    choose_themes(nora, "miljoe")
    assert found("ensomhed") == ["Frivilligcenter Odense"]
    assert found("natur") == ["Haveforeningen Solsikken"]


def test_a_theme_deleted_from_the_catalogue_no_longer_finds_its_actors(lars: Persona) -> None:
    assert found("idræt") == ["Vollsmose Boldklub"]
    Theme.objects.filter(slug="idraet").delete()
    assert found("idræt") == []
    assert found("børn") == ["Vollsmose Boldklub"]


def test_actors_whose_name_matches_come_before_those_found_by_what_they_offer(jens: Persona, lars: Persona) -> None:
    """Jens sells the "Vollsmose-kassen" of local produce. Searching "vollsmose" finds it, but the club that has
    Vollsmose in its name comes first, although "Købmand" comes before "Vollsmose" in the alphabet."""
    offer(jens, "Vollsmose-kassen", "Grøntsager fra haverne", kind="equipment")

    assert found("vollsmose") == ["Vollsmose Boldklub", "Købmand Madsen"]
    assert found("vollsmose boldklub") == ["Vollsmose Boldklub"]
    # The API lists the same actors in the same order.
    api = Client().get("/api/v1/actors/", {"q": "vollsmose"}).json()
    assert [actor["name"] for actor in api["items"]] == ["Vollsmose Boldklub", "Købmand Madsen"]


def test_rebuilding_the_index_finds_what_was_written_without_signals(jens: Persona) -> None:
    """Resources written in bulk (as a data migration or a script would) send no signals; rebuilding the index,
    as the migration that brought resources and themes into it does, finds them."""
    assert jens.actor is not None
    Resource.objects.bulk_create([Resource(actor=jens.actor, kind="jobs", title="Praktik for unge")])
    assert found("praktik") == []

    assert search.rebuild_index() == Actor.objects.count()
    assert found("praktik") == ["Købmand Madsen"]
    assert found("købmand praktik") == ["Købmand Madsen"]


def test_an_imported_register_is_found_by_its_themes_and_again_after_they_change(
    mette: Persona, dry_run: Callable[..., ActorImport], confirm: Callable[..., ActorImport]
) -> None:
    """Mette imports the municipality's register; the apple association's themes find it. Imported again with
    other themes, it is found by the new ones only."""
    assert confirm(mette, dry_run(mette, register(*GOOD_ROWS))).status == ActorImport.Status.DONE
    assert found("natur miljø") == ["Bøgeskovens Æbleforening"]
    assert found("kultur") == ["Vollsmose Skakklub"]

    changed = GOOD_ROWS[1].replace("ældre, miljoe", "kultur")
    assert confirm(mette, dry_run(mette, register(GOOD_ROWS[0], changed))).status == ActorImport.Status.DONE
    assert found("natur") == []
    assert found("kultur") == ["Bøgeskovens Æbleforening", "Vollsmose Skakklub"]
