"""The action plan keeps its record: who moved an action along or edited it, and when; the owners are told; an
overdue action says so in words. Pledges count once: a registered resource is pledged once, and the pledging
actor's people correct or withdraw their own pledge, which then counts nowhere."""

from datetime import timedelta
from decimal import Decimal
from functools import partial

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samskab.accounts.models import Notification, NotificationKind
from samskab.accounts.services import create_api_token
from samskab.actors.models import Resource
from samskab.insights.events import events_for
from samskab.partnerships import services
from samskab.partnerships.models import Action, Partnership, Pledge
from samskab.partnerships.models.actions import ActionChange
from samskab.partnerships.services.actions import correct_pledge, edit_action, withdraw_pledge

from .conftest import Persona, at_the_same_instant


def plan(partnership: Partnership) -> str:
    return reverse("partnerships:together", args=[partnership.pk])


def told(persona: Persona) -> list[str]:
    return list(
        Notification.objects.filter(user=persona.user, kind=NotificationKind.ACTION).values_list("text", flat=True)
    )


def action_for(owner: Persona, partnership: Partnership, **extra: object) -> Action:
    assert owner.actor is not None
    return services.create_action(
        user=owner.user,
        partnership=partnership,
        by_actor=owner.actor,
        title="Lektiecafé i beboerhuset",
        owners=[owner.actor],
        **extra,  # type: ignore[arg-type]
    )


# --- Status: who, when, and the owners told --------------------------------------------------------------


def test_lars_marks_sofies_action_done_it_is_recorded_shown_and_sofie_is_told(
    partnership: Partnership, lars: Persona, sofie: Persona
) -> None:
    action = action_for(sofie, partnership)
    response = lars.client().post(plan(partnership), {"do": "status", "action": action.pk, "status": "done"})
    assert response.status_code == 302
    change = ActionChange.objects.get(action=action)
    assert (change.from_status, change.to_status, change.actor, change.user) == (
        "planned",
        "done",
        lars.actor,
        lars.user,
    )
    page = Client().get(plan(partnership)).content.decode()
    when = timezone.localdate()
    assert f"Markeret færdig af Vollsmose Boldklub, {when.day}. " in page
    assert told(sofie) == [
        "Vollsmose Boldklub har markeret handlingen “Lektiecafé i beboerhuset” i “Unge i Vollsmose” som færdig."
    ]
    assert told(lars) == []
    # A second click changes nothing: the record keeps who actually changed it, and Sofie is not told twice.
    lars.client().post(plan(partnership), {"do": "status", "action": action.pk, "status": "done"})
    assert ActionChange.objects.filter(action=action).count() == 1 and len(told(sofie)) == 1


def test_sofie_moving_her_own_action_is_recorded_but_not_told_to_herself(
    partnership: Partnership, sofie: Persona
) -> None:
    action = action_for(sofie, partnership)
    sofie.client().post(plan(partnership), {"do": "status", "action": action.pk, "status": "underway"})
    assert ActionChange.objects.get(action=action).to_status == "underway"
    assert told(sofie) == []
    assert "Markeret i gang af Sofie Andersen" in Client().get(plan(partnership)).content.decode()


def test_an_overdue_action_says_so_in_words_and_a_done_one_does_not(
    partnership: Partnership, lars: Persona, sofie: Persona
) -> None:
    late = action_for(sofie, partnership, deadline=timezone.localdate() + timedelta(days=3))
    finished = action_for(lars, partnership, deadline=timezone.localdate() + timedelta(days=3))
    coming = action_for(lars, partnership, deadline=timezone.localdate())
    Action.objects.filter(pk__in=[late.pk, finished.pk]).update(deadline=timezone.localdate() - timedelta(days=2))
    Action.objects.filter(pk=finished.pk).update(status=Action.Status.DONE)
    page = Client().get(plan(partnership)).content.decode()

    def row(action: Action) -> str:
        return page.split(f'id="action-{action.pk}"', 1)[1].split("</tr>", 1)[0]

    assert "Overskredet" in row(late)
    assert "Overskredet" not in row(finished) and "Overskredet" not in row(coming)
    api = Client().get(f"/api/v1/partnerships/{partnership.pk}/actions").json()
    assert {a["id"]: a["overdue"] for a in api} == {late.pk: True, finished.pk: False, coming.pk: False}


# --- Editing: any member, recorded, owners told, lost updates refused ------------------------------------


def test_owners_are_told_when_an_action_is_given_to_them(
    partnership: Partnership, lars: Persona, sofie: Persona, jens: Persona
) -> None:
    assert sofie.actor and jens.actor and lars.actor
    data = {"do": "action", "title": "Fritidsjob", "owners": [jens.actor.pk, lars.actor.pk]}
    assert lars.client().post(plan(partnership), data).status_code == 302
    assert told(jens) == [
        "Vollsmose Boldklub har gjort jeres aktør ansvarlig for handlingen “Fritidsjob” i “Unge i Vollsmose”."
    ]
    assert told(lars) == [] and told(sofie) == []


def test_jens_edits_lars_action_it_is_recorded_and_old_and_new_owners_are_told(
    partnership: Partnership, lars: Persona, sofie: Persona, jens: Persona
) -> None:
    assert sofie.actor and jens.actor and lars.actor
    action = action_for(lars, partnership, description="Hver tirsdag", deadline=timezone.localdate() + timedelta(7))
    url = plan(partnership)
    client = jens.client()
    form = client.get(url, {"rediger": action.pk})
    assert form.status_code == 200 and "Lektiecafé i beboerhuset" in form.content.decode()
    assert f'value="{action.deadline.isoformat()}"' in form.content.decode()  # type: ignore[union-attr]  # the picker's form
    later = timezone.localdate() + timedelta(days=30)
    data = {
        "do": "edit",
        "action": action.pk,
        "title": "Lektiecafé i biblioteket",
        "description": "Hver tirsdag",
        "owners": [lars.actor.pk, sofie.actor.pk],
        "deadline": later.isoformat(),
        "seen": "",
    }
    assert client.post(url, data).status_code == 302
    action.refresh_from_db()
    assert (action.title, action.deadline) == ("Lektiecafé i biblioteket", later)
    assert set(action.owners.all()) == {lars.actor, sofie.actor}
    change = ActionChange.objects.get(action=action)
    assert (change.kind, change.edited, change.actor) == ("edit", "title,deadline,owners", jens.actor)
    page = Client().get(url).content.decode()
    assert "Redigeret af Købmand Madsen" in page and "(titel, frist, ansvarlige)" in page
    assert told(sofie) == [
        "Købmand Madsen har gjort jeres aktør ansvarlig for handlingen “Lektiecafé i biblioteket” i “Unge i Vollsmose”."
    ]
    assert told(lars) == [
        "Købmand Madsen har ændret handlingen “Lektiecafé i biblioteket” i “Unge i Vollsmose”: "
        "titel, frist, ansvarlige."
    ]
    assert told(jens) == []


def test_an_edit_over_another_members_edit_is_refused_and_keeps_the_typing(
    partnership: Partnership, lars: Persona, sofie: Persona, jens: Persona
) -> None:
    """Jens opens the action; Sofie saves a new title meanwhile; Jens's save is refused with what he typed kept
    and Sofie's version shown. Saving again replaces it."""
    assert sofie.actor and lars.actor
    action = action_for(lars, partnership)
    url = plan(partnership)
    client = jens.client()
    client.get(url, {"rediger": action.pk})
    edit_action(
        user=sofie.user,
        action=action,
        by_actor=sofie.actor,
        title="Lektiecafé med pizza",
        description="",
        owners=[lars.actor],
        deadline=None,
        seen="",
    )
    data = {"do": "edit", "action": action.pk, "title": "Lektiecafé om torsdagen", "owners": [lars.actor.pk]}
    response = client.post(url, data | {"seen": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sofie Andersen gemte en ny udgave, mens du skrev." in page
    assert 'value="Lektiecafé om torsdagen"' in page and "Lektiecafé med pizza" in page
    action.refresh_from_db()
    assert action.title == "Lektiecafé med pizza"
    seen = response.context["form"].data["seen"]
    assert client.post(url, data | {"seen": seen}).status_code == 302
    action.refresh_from_db()
    assert action.title == "Lektiecafé om torsdagen"
    assert ActionChange.objects.filter(action=action, kind="edit").count() == 2


def test_a_passed_deadline_may_stay_but_a_new_one_cannot_lie_in_the_past(
    partnership: Partnership, lars: Persona, sofie: Persona
) -> None:
    assert lars.actor is not None
    action = action_for(lars, partnership, deadline=timezone.localdate() + timedelta(days=3))
    passed = timezone.localdate() - timedelta(days=2)
    Action.objects.filter(pk=action.pk).update(deadline=passed)
    url = plan(partnership)
    data = {"do": "edit", "action": action.pk, "title": "Ny titel", "owners": [lars.actor.pk], "seen": ""}
    refused = sofie.client().post(url, data | {"deadline": (passed - timedelta(days=1)).isoformat()})
    assert refused.status_code == 200
    assert refused.context["form"].errors["deadline"] == ["Fristen kan ikke ligge i fortiden."]
    assert 'value="Ny titel"' in refused.content.decode()
    action.refresh_from_db()
    assert action.title == "Lektiecafé i beboerhuset"
    assert sofie.client().post(url, data | {"deadline": passed.isoformat()}).status_code == 302
    action.refresh_from_db()
    assert (action.title, action.deadline) == ("Ny titel", passed)


def test_outsiders_neither_edit_nor_move_an_action(partnership: Partnership, lars: Persona, nora: Persona) -> None:
    action = action_for(lars, partnership)
    url = plan(partnership)
    assert nora.client().post(url, {"do": "status", "action": action.pk, "status": "done"}).status_code == 403
    data = {"do": "edit", "action": action.pk, "title": "Mit", "owners": [lars.actor.pk], "seen": ""}  # type: ignore[union-attr]
    assert nora.client().post(url, data).status_code == 403
    assert "Redigér en handling" not in nora.client().get(url, {"rediger": action.pk}).content.decode()
    action.refresh_from_db()
    assert (action.title, action.status, action.changes.count()) == ("Lektiecafé i beboerhuset", "planned", 0)


def test_in_employee_involvement_the_colleagues_named_responsible_are_told(
    involvement: Partnership, anne: Persona, omar: Persona
) -> None:
    assert anne.actor is not None
    camilla = involvement.people().get(email="camilla@skole.dk")
    action = services.create_action(
        user=anne.user,
        partnership=involvement,
        by_actor=anne.actor,
        title="Fælles forberedelse",
        owners=[anne.actor],
        responsible_people=[omar.user],
    )
    assert told(omar) == [
        "Anne Lindholm har gjort dig ansvarlig for handlingen “Fælles forberedelse” i "
        "“Praksisfaglighed i udskolingen på Nørreby Skole”."
    ]
    services.update_action_status(user=omar.user, action=action, by_actor=anne.actor, status="underway")
    assert not Notification.objects.filter(user=camilla, kind=NotificationKind.ACTION).exists()
    page = omar.client().get(plan(involvement)).content.decode()
    assert "Markeret i gang af Omar" in page


# --- Pledges: once per resource, corrected and withdrawn by their own actor --------------------------------


@pytest.fixture
def jobs(jens: Persona) -> Resource:
    return Resource.objects.create(actor=jens.actor, kind="jobs", title="Fritidsjob til unge over 15", quantity=3)


def test_jens_cannot_pledge_the_same_resource_twice_and_the_totals_count_it_once(
    partnership: Partnership, jens: Persona, jobs: Resource
) -> None:
    url = plan(partnership)
    data = {"do": "pledge", "resource": jobs.pk, "description": "Tre fritidsjob", "kind": "", "quantity": ""}
    assert jens.client().post(url, data).status_code == 302
    again = jens.client().post(url, data)
    assert again.status_code == 200
    assert again.context["pledge_form"].errors["resource"] == [
        "Købmand Madsen har allerede givet tilsagn om “Fritidsjob til unge over 15” til dette partnerskab. Ret det "
        "tilsagn, hvis mængden har ændret sig, eller træk det tilbage først."
    ]
    assert 'value="Tre fritidsjob"' in again.content.decode()
    assert Pledge.objects.filter(resource=jobs).count() == 1
    total = Pledge.objects.filter(partnership=partnership).totals()["jobs", ""]
    assert (total.count, total.total) == (1, Decimal(3))


def test_a_registered_resource_pledged_as_another_kind_is_refused_not_silently_recounted(
    partnership: Partnership, jens: Persona, jobs: Resource
) -> None:
    url = plan(partnership)
    data = {"do": "pledge", "resource": jobs.pk, "description": "Tre fritidsjob", "kind": "premises", "quantity": ""}
    refused = jens.client().post(url, data)
    assert refused.status_code == 200
    assert refused.context["pledge_form"].errors["kind"] == [
        "“Fritidsjob til unge over 15” er registreret som job og praktikpladser. Lad typen stå tom, når du giver "
        "tilsagn om en registreret ressource, eller vælg job og praktikpladser."
    ]
    assert 'value="Tre fritidsjob"' in refused.content.decode()
    api = Client().post(
        f"/api/v1/partnerships/{partnership.pk}/pledges",
        {"resource_id": jobs.pk, "kind": "premises"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {create_api_token(user=jens.user, label='test')[1]}"},
    )
    assert api.status_code == 422
    assert not Pledge.objects.exists()
    assert jens.client().post(url, data | {"kind": "jobs"}).status_code == 302  # its own kind is fine
    assert Pledge.objects.get().kind == "jobs"


@pytest.mark.django_db(transaction=True)
def test_two_pledges_of_one_resource_at_the_same_instant_get_in_once(
    partnership: Partnership, jens: Persona, jobs: Resource
) -> None:
    call = partial(
        services.pledge,
        user=jens.user,
        partnership=partnership,
        actor=jens.actor,
        kind="",
        description="",
        resource=jobs,
    )
    outcomes = at_the_same_instant([call, call])
    assert sorted(type(o).__name__ for o in outcomes) == ["Pledge", "ValidationError"]
    assert Pledge.objects.filter(resource=jobs).count() == 1


def test_jens_corrects_and_withdraws_his_pledge_and_a_withdrawn_pledge_counts_nowhere(
    partnership: Partnership, jens: Persona, lars: Persona, jobs: Resource
) -> None:
    assert jens.actor is not None
    pledge = services.pledge(
        user=jens.user, partnership=partnership, actor=jens.actor, kind="", description="", resource=jobs
    )
    url = plan(partnership)
    client = jens.client()
    assert f"?tilsagn={pledge.pk}" in client.get(url).content.decode()
    assert f"?tilsagn={pledge.pk}" not in lars.client().get(url).content.decode()
    corrected = {"do": "correct", "pledge": pledge.pk, "description": "To fritidsjob", "quantity": "2", "seen": ""}
    assert client.post(url, corrected).status_code == 302
    pledge.refresh_from_db()
    assert (pledge.description, pledge.quantity) == ("To fritidsjob", Decimal(2))
    form = client.get(f"{url}?tilsagn={pledge.pk}").content.decode()
    assert 'value="2"' in form and 'value="2.0"' not in form  # a whole amount opens as one
    assert Pledge.objects.filter(partnership=partnership).totals()["jobs", ""].total == Decimal(2)

    assert client.post(url, {"do": "withdraw", "pledge": pledge.pk}).status_code == 302
    assert client.post(url, {"do": "withdraw", "pledge": pledge.pk}).status_code == 302  # a second click: no error
    pledge.refresh_from_db()
    assert pledge.withdrawn_at is not None and pledge.withdrawn_by_user == jens.user
    assert Pledge.objects.filter(partnership=partnership).totals() == {}
    page = Client().get(url).content.decode()
    assert "Der er ingen tilsagn endnu." in page and "Der er ikke givet nogen tilsagn endnu." in page
    assert "trukket tilbage af Købmand Madsen" in page
    assert [e for e in events_for([partnership]) if e.metric == "pledges"] == []
    assert Client().get(f"/api/v1/partnerships/{partnership.pk}/pledges").json() == []
    # Withdrawn, the resource may be pledged again.
    services.pledge(user=jens.user, partnership=partnership, actor=jens.actor, kind="", description="", resource=jobs)
    assert Pledge.objects.filter(partnership=partnership).totals()["jobs", ""].count == 1


def test_only_the_pledging_actors_people_correct_or_withdraw_it(
    partnership: Partnership, jens: Persona, lars: Persona, mette: Persona, jobs: Resource
) -> None:
    assert jens.actor is not None
    pledge = services.pledge(
        user=jens.user, partnership=partnership, actor=jens.actor, kind="", description="", resource=jobs
    )
    url = plan(partnership)
    for other in (lars, mette):
        assert other.client().get(url, {"tilsagn": pledge.pk}).status_code == 403
        assert other.client().post(url, {"do": "withdraw", "pledge": pledge.pk}).status_code == 403
        data = {"do": "correct", "pledge": pledge.pk, "description": "Ingenting", "quantity": "0", "seen": ""}
        assert other.client().post(url, data).status_code == 403
        with pytest.raises(PermissionDenied):
            withdraw_pledge(user=other.user, pledge=pledge)
    pledge.refresh_from_db()
    assert (pledge.withdrawn_at, pledge.quantity, pledge.description) == (None, Decimal(3), jobs.title)


def test_a_withdrawn_pledge_cannot_be_corrected(partnership: Partnership, jens: Persona, jobs: Resource) -> None:
    assert jens.actor is not None
    pledge = services.pledge(
        user=jens.user, partnership=partnership, actor=jens.actor, kind="", description="", resource=jobs
    )
    withdraw_pledge(user=jens.user, pledge=pledge)
    with pytest.raises(ValidationError) as refused:
        correct_pledge(user=jens.user, pledge=pledge, description="To", quantity=Decimal(2), unit="", seen="")
    assert refused.value.messages == ["Tilsagnet er trukket tilbage. Giv tilsagn igen, hvis du kan alligevel."]


def test_a_network_pledged_without_an_amount_is_counted_not_shown_as_zero(
    partnership: Partnership, lars: Persona, jens: Persona
) -> None:
    for persona in (lars, jens):
        services.pledge(
            user=persona.user,
            partnership=partnership,
            actor=persona.actor,  # type: ignore[arg-type]
            kind="network",
            description="Vores kontakter i foreningslivet",
        )
    page = Client().get(plan(partnership)).content.decode()
    row = page.split('<th scope="row">Netværk</th>', 1)[1].split("</tr>", 1)[0]
    cells = [cell.split("</td>", 1)[0] for cell in row.split("<td>")[1:]]
    # Municipality, association, citizen, business; the total; the number of pledges.
    assert "1 tilsagn" in cells[1] and "1 tilsagn" in cells[3]
    assert ">0<" not in row and not any(cell.strip() == "0" for cell in cells)
    assert "–" in cells[0] and "–" in cells[4] and cells[5] == "2"


def test_a_second_pledge_of_a_resource_is_refused_through_the_api(
    partnership: Partnership, jens: Persona, jobs: Resource
) -> None:
    _token, key = create_api_token(user=jens.user, label="test")
    url = f"/api/v1/partnerships/{partnership.pk}/pledges"
    headers = {"Authorization": f"Bearer {key}"}
    assert (
        Client().post(url, {"resource_id": jobs.pk}, content_type="application/json", headers=headers).status_code
        == 201
    )
    refused = Client().post(url, {"resource_id": jobs.pk}, content_type="application/json", headers=headers)
    assert refused.status_code == 422
    assert "har allerede givet tilsagn om “Fritidsjob til unge over 15”" in refused.json()["detail"]
    assert Pledge.objects.filter(resource=jobs).count() == 1


def test_in_employee_involvement_a_colleague_withdraws_only_her_own_pledge(
    involvement: Partnership, anne: Persona
) -> None:
    """The staff are one actor, so "the pledging actor's people" would be everyone: there the colleague who pledged
    corrects or withdraws it, and so may those who act for the school; another colleague may not."""
    assert anne.actor is not None
    camilla, thomas = (involvement.people().get(email=f"{name}@skole.dk") for name in ("camilla", "thomas"))
    mine = services.pledge(
        user=camilla, partnership=involvement, actor=anne.actor, kind="volunteer_hours", description="To timer"
    )
    with pytest.raises(PermissionDenied):
        withdraw_pledge(user=thomas, pledge=mine)
    thomas_client, camilla_client = Client(), Client()
    thomas_client.force_login(thomas)
    camilla_client.force_login(camilla)
    assert f"?tilsagn={mine.pk}" not in thomas_client.get(plan(involvement)).content.decode()
    assert thomas_client.post(plan(involvement), {"do": "withdraw", "pledge": mine.pk}).status_code == 403
    assert f"?tilsagn={mine.pk}" in camilla_client.get(plan(involvement)).content.decode()
    assert f"?tilsagn={mine.pk}" in anne.client().get(plan(involvement)).content.decode()
    assert camilla_client.post(plan(involvement), {"do": "withdraw", "pledge": mine.pk}).status_code == 302
    mine.refresh_from_db()
    assert mine.withdrawn_by_user == camilla


def test_the_action_plans_forms_each_have_their_own_ids(partnership: Partnership, lars: Persona) -> None:
    # Three forms on one page (an action, a pledge, a need): with Django's default ids the pledge form's "Type" label
    # pointed at the need form's select.
    import re
    from collections import Counter

    html = lars.client().get(plan(partnership)).content.decode()
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert not [i for i, n in ids.items() if n > 1]
    for form in ("action", "pledge", "need"):
        assert f'for="{form}_description"' in html or f'for="{form}_title"' in html
