"""Anne's staff process at Nørreby Skole speaks of the colleagues in it, not of the school as if it were one voice:
Camilla's agenda item is hers (to members; outsiders of a public process see the school), a conversation there is
for colleagues without a link for strangers, an objection's reason is quoted without a stray full stop, Thomas can
be named responsible for an action, and Camilla's notification settings fit a colleague. Co-creation stays as it
was: actors raise items and own actions, and citizens may be let in by link."""

import importlib
import json
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samskab.accounts.models import Notification, NotificationKind, User
from samskab.accounts.services import create_api_token
from samskab.opinions.models import Conversation
from samskab.partnerships.models import Action, AgendaItem, Partnership, Proposal

from .conftest import Persona


def colleague(anne: Persona, name: str) -> Persona:
    return Persona(User.objects.get(email=f"{name}@skole.dk"), anne.actor)


@pytest.fixture
def public_involvement(involvement: Partnership) -> Partnership:
    involvement.visibility = Partnership.Visibility.PUBLIC
    involvement.save(update_fields=["visibility"])
    return involvement


def text(response: object) -> str:
    return " ".join(response.content.decode().split())  # type: ignore[attr-defined]


def main(response: object) -> str:
    """The page's own content, without the site's header and footer (which speak of citizens and sectors)."""
    page = text(response)
    return page[page.index("<main") : page.index("</main>")]


# --- 1. Who raised an agenda item ----------------------------------------------------------------------------------


def test_camillas_agenda_item_is_hers_to_colleagues_and_the_schools_to_outsiders(
    public_involvement: Partnership, anne: Persona, omar: Persona, nora: Persona
) -> None:
    camilla = colleague(anne, "camilla")
    agenda = reverse("partnerships:agenda", args=[public_involvement.pk])
    response = camilla.client().post(agenda, {"title": "Faste vikarer", "description": ""})
    assert response.status_code == 302

    page = text(omar.client().get(agenda))
    assert 'data-title="Rejst af">Camilla</td>' in page
    assert 'data-title="Rejst af">Nørreby Skole</td>' not in page
    told = Notification.objects.get(user=omar.user, kind=NotificationKind.AGENDA)
    assert told.text == f"Camilla har sat “Faste vikarer” på dagsordenen i “{public_involvement.title}”."
    assert not Notification.objects.filter(text__contains="Nørreby Skole har sat").exists()

    # Nora's association is no member, and Nora reads the public process: the school raised it, no person is named.
    for outsider in (nora.client(), Client()):
        page = text(outsider.get(agenda))
        assert 'data-title="Rejst af">Nørreby Skole</td>' in page and "Camilla" not in page

    # So says the API: the person to a member, nobody to an outsider.
    _token, key = create_api_token(user=omar.user, label="test")
    url = f"/api/v1/partnerships/{public_involvement.pk}/agenda"
    [item] = Client().get(url, headers={"Authorization": f"Bearer {key}"}).json()
    assert item["raised_by_person"] == "Camilla" and item["raised_by"]["name"] == "Nørreby Skole"
    assert Client().get(url).json()[0]["raised_by_person"] is None


def test_an_item_dealt_with_and_on_a_meeting_still_names_camilla_to_members(
    involvement: Partnership, anne: Persona, omar: Persona
) -> None:
    camilla = colleague(anne, "camilla")
    camilla.client().post(reverse("partnerships:agenda", args=[involvement.pk]), {"title": "Faste vikarer"})
    item = AgendaItem.objects.get(partnership=involvement)
    status = reverse("partnerships:agenda_item_status", args=[involvement.pk, item.pk])
    assert omar.client().post(status, {"status": "done"}).status_code == 302

    page = text(omar.client().get(reverse("partnerships:agenda", args=[involvement.pk])))
    assert '<strong>Faste vikarer</strong> <span class="small-text">(Camilla)</span>' in page
    assert "Markeret som behandlet af Omar," in page  # the person who marked it, as members see people
    assert "Markeret som behandlet af Nørreby Skole" not in page
    # What names Omar to others is in his own data.
    mine = json.loads(omar.client().get(reverse("accounts:download_data")).content)["partnerships"]
    assert [(i["title"], i["status"]) for i in mine["agenda_items_dealt_with"]] == [("Faste vikarer", "done")]


def test_in_co_creation_the_actor_raises_the_item(partnership: Partnership, personas: dict[str, Persona]) -> None:
    agenda = reverse("partnerships:agenda", args=[partnership.pk])
    assert personas["lars"].client().post(agenda, {"title": "Lys på stien"}).status_code == 302

    page = text(personas["mette"].client().get(agenda))
    assert 'data-title="Rejst af">Vollsmose Boldklub</td>' in page and "Lars Vestergaard" not in page
    told = Notification.objects.get(user=personas["mette"].user, kind=NotificationKind.AGENDA)
    assert told.text == f"Vollsmose Boldklub har sat “Lys på stien” på dagsordenen i “{partnership.title}”."
    assert Client().get(f"/api/v1/partnerships/{partnership.pk}/agenda").json()[0]["raised_by_person"] is None


# --- 2. Conversations in a staff process ---------------------------------------------------------------------------


def test_a_conversation_in_the_staff_process_is_for_colleagues_without_a_link_for_strangers(
    involvement: Partnership, anne: Persona, omar: Persona
) -> None:
    create = reverse("opinions:create", args=[involvement.pk])
    page = main(anne.client().get(create))
    assert "Dine kolleger, der deltager, svarer med korte udsagn" in page
    assert "allow_anonymous" not in page and "borgere" not in page.lower() and "sektor" not in page

    data = {"question": "Hvad gør blokkene svære?", "description": "", "seed_statements": "", "allow_anonymous": "on"}
    response = anne.client().post(create, data)
    conversation = Conversation.objects.get(partnership=involvement)
    assert response.status_code == 302 and not conversation.allow_anonymous
    assert "uden konto" not in main(anne.client().get(conversation.get_absolute_url()))

    listing = main(omar.client().get(reverse("opinions:list", args=[involvement.pk])))
    assert "Før vi leder efter løsninger, finder vi som kolleger sammen ud af" in listing
    assert "partnerne" not in listing


def test_a_link_opened_into_a_staff_conversation_before_the_rule_is_closed_on_upgrade(
    involvement: Partnership, partnership: Partnership, anne: Persona, fie: Persona
) -> None:
    from django.apps import apps

    upgrade = importlib.import_module("samskab.opinions.migrations.0010_staff_conversations_without_link")
    staff = Conversation.objects.create(partnership=involvement, question="Hvorfor?", allow_anonymous=True)
    town = Conversation.objects.create(partnership=partnership, question="Hvorfor?", allow_anonymous=True)
    assert Client().get(staff.get_link_url()).status_code == 302  # strangers let in, as before

    upgrade.close_links_into_staff_processes(apps, None)

    staff.refresh_from_db()
    town.refresh_from_db()
    assert (staff.allow_anonymous, town.allow_anonymous) == (False, True)
    assert Client().get(staff.get_link_url()).status_code == 404


def test_a_conversation_in_co_creation_can_still_let_citizens_in_by_link(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    create = reverse("opinions:create", args=[partnership.pk])
    page = text(personas["mette"].client().get(create))
    assert "Medlemmerne – og borgere, hvis du tillader det" in page and 'name="allow_anonymous"' in page

    data = {"question": "Hvad er problemet?", "description": "", "seed_statements": "", "allow_anonymous": "on"}
    assert personas["mette"].client().post(create, data).status_code == 302
    assert Conversation.objects.get(partnership=partnership).allow_anonymous
    listing = text(Client().get(reverse("opinions:list", args=[partnership.pk])))
    assert "Før partnerne leder efter løsninger" in listing


# --- 3. Quoted reasons ---------------------------------------------------------------------------------------------


def test_a_reason_that_ends_a_sentence_is_quoted_without_a_second_full_stop(
    involvement: Partnership, anne: Persona, omar: Persona, django_capture_on_commit_callbacks: object
) -> None:
    deadline = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    data = {"title": "Forløb i blokke", "text": "Praksisfag i blokke.", "deadline": deadline}
    assert anne.client().post(reverse("partnerships:proposals", args=[involvement.pk]), data).status_code == 302
    proposal = Proposal.objects.get(partnership=involvement)
    respond = {"do": "respond", "version": 1, "kind": "objection", "reason": "Vi har ikke lokaler samtidig."}
    comment = {"do": "comment", "text": "Kan vi låne gymnastiksalen?", "version": 1}

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        assert omar.client().post(proposal.get_absolute_url(), respond).status_code == 302
        assert omar.client().post(proposal.get_absolute_url(), comment).status_code == 302

    objection = Notification.objects.get(user=anne.user, text__contains="gør indsigelse")
    assert objection.text.endswith("Begrundelse: “Vi har ikke lokaler samtidig.”")
    written = Notification.objects.get(user=anne.user, text__contains="skrev i drøftelsen")
    assert written.text.endswith("“Kan vi låne gymnastiksalen?”")
    everything = [n.text for n in Notification.objects.all()] + [str(m.body) for m in mail.outbox]
    assert everything and not any(".”." in t or "?”." in t for t in everything)


# --- 4. Who sees to an action --------------------------------------------------------------------------------------


def test_thomas_can_be_named_responsible_for_an_action_in_the_staff_process(
    public_involvement: Partnership, anne: Persona, omar: Persona, nora: Persona
) -> None:
    thomas = colleague(anne, "thomas")
    together = reverse("partnerships:together", args=[public_involvement.pk])
    form = text(omar.client().get(together))
    assert 'type="checkbox" name="owners"' not in form  # the school owns it without being asked
    assert "Ansvarlige kolleger" in form and 'name="responsible_people"' in form
    assert "thomas@skole.dk" not in form  # named, never by address

    data = {"do": "action", "title": "Skema for blokkene", "description": "", "responsible_people": [thomas.user.pk]}
    assert omar.client().post(together, data).status_code == 302

    action = Action.objects.get(partnership=public_involvement)
    assert list(action.owners.all()) == [anne.actor]
    assert list(action.responsible_people.all()) == [thomas.user]
    mine = json.loads(thomas.client().get(reverse("accounts:download_data")).content)["partnerships"]
    assert [a["title"] for a in mine["actions_responsible_for"]] == ["Skema for blokkene"]
    assert 'Nørreby Skole <span class="samskab-responsible">(Thomas)</span>' in text(
        colleague(anne, "camilla").client().get(together)
    )
    for outsider in (nora.client(), Client()):
        page = text(outsider.get(together))
        assert "Skema for blokkene" in page and "Thomas" not in page
    # So says the API: the colleague to a member, nobody to a reader outside.
    _token, key = create_api_token(user=omar.user, label="test")
    url = f"/api/v1/partnerships/{public_involvement.pk}/actions"
    assert Client().get(url, headers={"Authorization": f"Bearer {key}"}).json()[0]["responsible_people"] == ["Thomas"]
    assert Client().get(url).json()[0]["responsible_people"] == []


def test_in_co_creation_actors_own_actions_and_no_person_is_named(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    together = reverse("partnerships:together", args=[partnership.pk])
    form = text(personas["mette"].client().get(together))
    assert 'type="checkbox" name="owners"' in form and "responsible_people" not in form

    owners = [personas["lars"].actor.pk]  # type: ignore[union-attr]
    data = {"do": "action", "title": "Hal om fredagen", "description": "", "owners": owners}
    assert personas["mette"].client().post(together, data).status_code == 302
    action = Action.objects.get(partnership=partnership)
    assert list(action.owners.all()) == [personas["lars"].actor] and not action.responsible_people.exists()


# --- 5. A colleague's notification settings ------------------------------------------------------------------------


def test_camilla_is_offered_the_notifications_that_can_reach_her_in_words_that_fit_her(
    involvement: Partnership, anne: Persona
) -> None:
    camilla = colleague(anne, "camilla")
    settings_page = reverse("accounts:notifications")
    page = text(camilla.client().get(settings_page))
    assert "Forslag, der venter på dit eller din aktørs svar" in page
    assert 'name="email-invitation"' not in page and 'name="email-challenge"' not in page
    assert "min aktør har rejst" not in page

    shown = {f"email-{kind}": "digest" for kind in NotificationKind.values if kind not in ("invitation", "challenge")}
    assert camilla.client().post(settings_page, shown).status_code == 302
    assert camilla.user.notification_preferences.count() == len(shown)

    # Anne acts for the school: invitations and challenges reach her, and she is offered them.
    page = text(anne.client().get(settings_page))
    assert 'name="email-invitation"' in page and 'name="email-challenge"' in page
    assert "Forslag, der venter på dit eller din aktørs svar" in page
