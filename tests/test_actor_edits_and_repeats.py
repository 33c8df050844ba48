"""Editing an actor, its resources and needs from two windows at once, and sending a creation form twice.

Two administrators (or one in two tabs) each save what they opened: the later save must not put back what the
earlier one changed. And the browser's Back button must not leave a person with two copies of what they made.
"""

import re
from functools import partial
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from samskab.actors import services
from samskab.actors.models import Actor, Membership, Municipality, Need, Resource, Sector

from .conftest import Persona, at_the_same_instant, make_user

MEANWHILE = "Der blev gemt ændringer i et andet vindue eller af en anden administrator, mens du redigerede."


def opened(client: Client, url: str) -> dict[str, object]:
    """The form as the browser sends it back unchanged: every field's value as the page shows it."""
    response = client.get(url)
    assert response.status_code == 200, url
    return sent_back(response.context["form"])


def sent_back(form: BaseForm) -> dict[str, object]:
    data: dict[str, object] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if value is True:
            data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            data[name] = str(value)
    return data


def words(response: HttpResponse) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def co_admin(persona: Persona) -> Client:
    """Bo, a second administrator of the persona's actor, signed in."""
    bo = make_user("bo@example.dk", "Bo Holm")
    Membership.objects.create(actor=persona.actor, user=bo, role=Membership.Role.ADMIN)
    client = Client()
    client.force_login(bo)
    return client


def test_a_phone_number_saved_from_an_old_form_does_not_erase_the_new_description(lars: Persona) -> None:
    """Lars and Bo both open the club's edit page. Bo writes a new description and saves; Lars, in his window, only
    adds a phone number and saves. Lars is told in Danish that Bo's change came first and shown it; his phone
    number is still in the form, and nothing of his is saved over Bo's description. Having seen it, he saves
    again, and both changes are kept."""
    actor = lars.actor
    assert actor is not None
    url = reverse("actors:edit", args=[actor.slug])
    bo = co_admin(lars)
    mine, theirs = lars.client(), opened(bo, url)
    lars_form = opened(mine, url)

    theirs["description"] = "Fodbold for alle børn i Vollsmose, også dem uden kontingent."
    assert bo.post(url, theirs).status_code == 302

    lars_form["contact_phone"] = "66 12 34 56"
    refused = mine.post(url, lars_form)

    assert refused.status_code == 200
    page = words(refused)
    assert MEANWHILE in page
    start = page.index("Ændret i mellemtiden – sådan er det gemt nu")
    changed = page[start : page.index("Navn", start)]
    assert changed.endswith("Beskrivelse: Fodbold for alle børn i Vollsmose, også dem uden kontingent. ")
    assert "Kontakttelefon" not in changed  # his own change is not what changed meanwhile
    assert 'value="66 12 34 56"' in refused.content.decode()  # what he typed is kept
    actor.refresh_from_db()
    assert actor.description == "Fodbold for alle børn i Vollsmose, også dem uden kontingent."
    assert actor.contact_phone == ""

    # He combines the two (the form now carries the version he was shown) and saves again.
    again = sent_back(refused.context["form"])
    again["description"] = actor.description
    assert mine.post(url, again).status_code == 302
    actor.refresh_from_db()
    assert (actor.description, actor.contact_phone) == (
        "Fodbold for alle børn i Vollsmose, også dem uden kontingent.",
        "66 12 34 56",
    )


def test_a_change_to_themes_meanwhile_is_caught_too(lars: Persona) -> None:
    """Themes are a list of ticks, not a text field: Bo untick one while Lars's form is open, and Lars's save,
    which would tick it again, is refused."""
    actor = lars.actor
    assert actor is not None
    url = reverse("actors:edit", args=[actor.slug])
    bo = co_admin(lars)
    lars_form = opened(lars.client(), url)
    theirs = opened(bo, url)
    theirs["themes"] = ["idraet"]
    assert bo.post(url, theirs).status_code == 302

    refused = lars.client().post(url, {**lars_form, "name": "Vollsmose Boldklub af 1970"})

    assert MEANWHILE in words(refused)
    assert "Temaer: Idræt og bevægelse" in words(refused)
    actor.refresh_from_db()
    assert actor.name == "Vollsmose Boldklub"
    assert list(actor.themes.values_list("slug", flat=True)) == ["idraet"]


def test_the_service_refuses_a_stale_version_and_names_what_changed(lars: Persona) -> None:
    actor = lars.actor
    assert actor is not None
    seen = services.version(services.actor_values(actor))
    services.update_actor(actor=actor, user=lars.user, description="Ny tekst", seen=seen)

    with pytest.raises(services.ChangedMeanwhile) as refused:
        services.update_actor(actor=actor, user=lars.user, description="Gammel tekst", contact_phone="1", seen=seen)

    assert refused.value.fields == ["description"]
    assert Actor.objects.get(pk=actor.pk).description == "Ny tekst"
    # A field nobody else touched goes through from the same old version: only what was written is compared.
    services.update_actor(actor=actor, user=lars.user, contact_phone="1", seen=seen)
    assert Actor.objects.get(pk=actor.pk).contact_phone == "1"


def test_a_resource_edited_in_two_windows_keeps_both_changes(jens: Persona) -> None:
    """Jens opens his cold room's edit page twice. In one he changes when it is available; in the other, opened
    before, the description. The second save is refused and shows the new availability."""
    actor = jens.actor
    assert actor is not None
    resource = services.save_resource(
        actor=actor,
        user=jens.user,
        resource=Resource(kind="premises", title="Kølerum til fællesspisning", availability="Hverdage"),
    )
    url = reverse("actors:resource_edit", args=[actor.slug, resource.pk])
    client = jens.client()
    first, second = opened(client, url), opened(client, url)
    assert client.post(url, {**first, "availability": "Hverdage efter kl. 14"}).status_code == 302

    refused = client.post(url, {**second, "description": "Plads til 40 kg"})

    assert refused.status_code == 200
    assert MEANWHILE in words(refused)
    assert "Tilgængelighed: Hverdage efter kl. 14" in words(refused)
    assert "Plads til 40 kg" in refused.content.decode()
    resource.refresh_from_db()
    assert (resource.availability, resource.description) == ("Hverdage efter kl. 14", "")


def test_a_need_edited_in_two_windows_keeps_both_changes(jens: Persona) -> None:
    actor = jens.actor
    assert actor is not None
    need = services.save_need(actor=actor, user=jens.user, need=Need(kind="volunteer_hours", description="Hjælpere"))
    url = reverse("actors:need_edit", args=[actor.slug, need.pk])
    client = jens.client()
    first, second = opened(client, url), opened(client, url)
    assert client.post(url, {**first, "description": "Hjælpere til vareudbringning"}).status_code == 302

    refused = client.post(url, {**second, "kind": "jobs"})

    assert MEANWHILE in words(refused)
    need.refresh_from_db()
    assert (need.kind, need.description) == ("volunteer_hours", "Hjælpere til vareudbringning")


def test_saving_a_resource_removed_meanwhile_says_so_and_brings_nothing_back(jens: Persona) -> None:
    """Jens's form was read before Bo removed the resource, and saved after: it must not come back."""
    actor = jens.actor
    assert actor is not None
    resource = services.save_resource(actor=actor, user=jens.user, resource=Resource(kind="premises", title="Lager"))
    seen = services.version(services.resource_values(resource))
    Resource.objects.filter(pk=resource.pk).delete()
    resource.title = "Lageret"

    with pytest.raises(ValidationError) as refused:
        services.save_resource(actor=actor, user=jens.user, resource=resource, seen=seen)

    assert "Ressourcen blev fjernet, mens du redigerede den." in refused.value.messages[0]
    assert not Resource.objects.exists()


# --- Back, and send again ----------------------------------------------------------------------------------------


def test_creating_an_actor_again_after_going_back_is_refused_with_a_link(odense: Municipality) -> None:
    """Birte creates her association, goes back in the browser and sends the form again. She is told in Danish
    that she created it already, with a link to it; what she typed is kept, and there is still one."""
    birte = make_user("birte@example.dk", "Birte Ny")
    client = Client()
    client.force_login(birte)
    data = {"sector": Sector.ASSOCIATION, "name": "Birte Ny", "municipality": "0461", "description": "Strikkeklub"}
    assert client.post(reverse("actors:create"), data).status_code == 302
    created = Actor.objects.get(name="Birte Ny")

    again = client.post(reverse("actors:create"), {**data, "name": " birte  ny "})

    assert again.status_code == 200
    page = words(again)
    assert "Du har allerede oprettet Birte Ny i Odense." in page
    assert f'<a href="{created.get_absolute_url()}">Gå til Birte Ny</a>' in again.content.decode()
    assert "Strikkeklub" in again.content.decode()
    assert list(again.context["form"].errors) == ["__all__", "name"]
    assert Actor.objects.filter(name__icontains="birte").count() == 1
    # Another name, or the same name in another municipality, is another actor.
    assert client.post(reverse("actors:create"), {**data, "name": "Birte Ny Syklub"}).status_code == 302
    assert client.post(reverse("actors:create"), {**data, "municipality": "0751"}).status_code == 302


def test_another_person_may_name_an_actor_as_someone_else_did(lars: Persona, odense: Municipality) -> None:
    newcomer = make_user("ny@boldklub.dk", "Ny Formand")
    services.create_actor(user=newcomer, sector=Sector.ASSOCIATION, name="Vollsmose Boldklub", municipality=odense)
    assert Actor.objects.filter(name="Vollsmose Boldklub").count() == 2


def test_a_person_is_one_citizen(sofie: Persona) -> None:
    """Sofie is on Samskab as herself. Choosing "Myself, as a citizen" again is refused with a link to her citizen
    actor; an association of her own is fine."""
    assert sofie.actor is not None
    data = {"sector": Sector.CITIZEN, "name": "Sofie A.", "municipality": "0461"}

    refused = sofie.client().post(reverse("actors:create"), data)

    assert refused.status_code == 200
    assert "Du er allerede på Samskab som borger: Sofie Andersen." in words(refused)
    assert f'<a href="{sofie.actor.get_absolute_url()}">Gå til Sofie Andersen</a>' in refused.content.decode()
    assert "sector" in refused.context["form"].errors
    assert not Actor.objects.filter(name="Sofie A.").exists()
    association = {**data, "sector": Sector.ASSOCIATION, "name": "Vollsmose Mødre"}
    assert sofie.client().post(reverse("actors:create"), association).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_the_form_sent_twice_at_the_same_instant_creates_one_actor(odense: Municipality) -> None:
    birte = make_user("birte@example.dk", "Birte Ny")
    create = partial(services.create_actor, user=birte, sector=Sector.ASSOCIATION, name="Birte Ny", municipality=odense)

    outcomes = at_the_same_instant([create, create, create])

    assert sum(isinstance(outcome, Actor) for outcome in outcomes) == 1
    assert sum(isinstance(outcome, services.AlreadyThere) for outcome in outcomes) == 2
    assert Actor.objects.filter(name="Birte Ny").count() == 1


def test_a_resource_sent_twice_is_offered_once(jens: Persona) -> None:
    """Jens adds the cold room, goes back and adds it again: refused, with a link to the one he has."""
    actor = jens.actor
    assert actor is not None
    url = reverse("actors:resource_create", args=[actor.slug])
    data = {"kind": "premises", "title": "Kølerum til fællesspisning", "unit": "", "availability": "Hverdage"}
    assert jens.client().post(url, data).status_code == 302
    resource = Resource.objects.get(actor=actor)

    again = jens.client().post(url, {**data, "title": "Kølerum til  fællesspisning "})

    assert again.status_code == 200
    assert "Købmand Madsen tilbyder allerede ressourcen “Kølerum til fællesspisning”." in words(again)
    edit = reverse("actors:resource_edit", args=[actor.slug, resource.pk])
    assert f'<a href="{edit}">Gå til Kølerum til fællesspisning</a>' in again.content.decode()
    assert "title" in again.context["form"].errors
    assert Resource.objects.filter(actor=actor).count() == 1

    # Renaming another resource to the same title is the same duplicate.
    other = services.save_resource(actor=actor, user=jens.user, resource=Resource(kind="premises", title="Lager"))
    renamed = jens.client().post(
        reverse("actors:resource_edit", args=[actor.slug, other.pk]),
        {**opened(jens.client(), reverse("actors:resource_edit", args=[actor.slug, other.pk])), "title": data["title"]},
    )
    assert renamed.status_code == 200
    assert Resource.objects.filter(actor=actor, title="Lager").exists()


def test_a_need_sent_twice_is_recorded_once(jens: Persona) -> None:
    actor = jens.actor
    assert actor is not None
    url = reverse("actors:need_create", args=[actor.slug])
    data = {"kind": "volunteer_hours", "description": "Hjælpere til vareudbringning"}
    assert jens.client().post(url, data).status_code == 302

    again = jens.client().post(url, data)

    assert again.status_code == 200
    assert "Købmand Madsen har allerede registreret dette behov." in words(again)
    assert Need.objects.filter(actor=actor).count() == 1
