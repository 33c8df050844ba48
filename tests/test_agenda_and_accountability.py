"""Acting together: agenda items are dealt with (by hand, or by a decision), and decisions lead to actions that
members pledge resources to — what became of what we decided."""

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samskab.partnerships import services
from samskab.partnerships.forms import MeetingForm
from samskab.partnerships.models import Action, AgendaItem, Challenge, Decision, Meeting, Partnership, Pledge, Proposal

from .conftest import Persona
from .test_api import API, bearer
from .test_equality import MEMBERS, WHO, client_for


def add_item(persona: Persona, partnership: Partnership, title: str) -> AgendaItem:
    assert persona.actor is not None
    return services.add_agenda_item(user=persona.user, partnership=partnership, by_actor=persona.actor, title=title)


def meet(persona: Persona, partnership: Partnership, items: list[AgendaItem]) -> Meeting:
    assert persona.actor is not None
    start = timezone.now() + timedelta(days=1)
    return services.schedule_meeting(
        user=persona.user,
        partnership=partnership,
        by_actor=persona.actor,
        title="Partnerskabsmøde i klubhuset",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="Klubhuset",
        items=items,
    )


def propose(persona: Persona, partnership: Partnership, title: str, item: AgendaItem | None = None) -> Proposal:
    assert persona.actor is not None
    return services.propose(
        user=persona.user,
        partnership=partnership,
        by_actor=persona.actor,
        title=title,
        text=f"Vi beslutter: {title.lower()}.",
        deadline=timezone.now() + timedelta(days=2),
        agenda_item=item,
    )


def decide(
    personas: dict[str, Persona], partnership: Partnership, title: str, item: AgendaItem | None = None
) -> Decision:
    """Fie's volunteer centre proposes; every other member actor consents, so it is decided at once."""
    proposal = propose(personas["fie"], partnership, title, item)
    for name in ("mette", "lars", "sofie", "jens"):
        persona = personas[name]
        assert persona.actor is not None
        services.respond_to_proposal(
            user=persona.user, proposal=proposal, actor=persona.actor, version_number=1, kind="consent"
        )
    return Decision.objects.get(proposal=proposal)


@pytest.fixture
def gardens(nora: Persona, challenge: Challenge) -> Partnership:
    """Nora's garden association works alone in a partnership of its own, with one decision and one action."""
    assert nora.actor is not None
    gardens = services.start_partnership(
        user=nora.user, actor=nora.actor, challenge=challenge, title="Fælleshaver", visibility="public"
    )
    propose(nora, gardens, "Bede ved skolen")  # a partnership of one decides at once
    services.create_action(
        user=nora.user, partnership=gardens, by_actor=nora.actor, title="Køb muld", owners=[nora.actor]
    )
    return gardens


def status_url(item: AgendaItem) -> str:
    return reverse("partnerships:agenda_item_status", args=[item.partnership_id, item.pk])


# --- Agenda items are dealt with ----------------------------------------------------------------------------


def test_the_meeting_deals_with_one_item_and_puts_the_one_it_did_not_reach_back(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    """The meeting in the club house takes up Sofie's item on the hall; it runs out of time before Jens's item
    on student jobs. Lars marks the first dealt with from the meeting's page, Jens puts his own back on the
    open agenda, where it can be prioritised and scheduled for the next meeting."""
    lars, jens = personas["lars"], personas["jens"]
    hall = add_item(personas["sofie"], partnership, "Fredagsåben hal")
    jobs = add_item(jens, partnership, "Fritidsjob i butikkerne")
    meeting = meet(personas["fie"], partnership, [hall, jobs])
    page = lars.client().get(meeting.get_absolute_url()).content.decode()
    assert page.count(">Behandlet<") == 2 and page.count(">Tilbage på dagsordenen<") == 2

    response = lars.client().post(status_url(hall), {"status": "done", "meeting": meeting.pk}, follow=True)
    assert response.redirect_chain[-1][0] == meeting.get_absolute_url()
    assert "“Fredagsåben hal” er markeret som behandlet." in response.content.decode()
    hall.refresh_from_db()
    assert (hall.status, hall.status_changed_by, hall.meeting) == ("done", lars.actor, meeting)
    assert hall.status_changed_at is not None and timezone.now() - hall.status_changed_at < timedelta(minutes=1)

    response = jens.client().post(status_url(jobs), {"status": "open", "meeting": meeting.pk}, follow=True)
    assert "“Fritidsjob i butikkerne” er tilbage på den åbne dagsorden." in response.content.decode()
    jobs.refresh_from_db()
    assert (jobs.status, jobs.status_changed_by, jobs.meeting) == ("open", jens.actor, None)
    assert list(MeetingForm(partnership=partnership).fields["items"].queryset) == [jobs]  # type: ignore[attr-defined]

    meeting_page = lars.client().get(meeting.get_absolute_url()).content.decode()
    assert "Fredagsåben hal" in meeting_page and "Fritidsjob i butikkerne" not in meeting_page
    assert "Markeret som behandlet af Vollsmose Boldklub" in meeting_page

    agenda = lars.client().get(reverse("partnerships:agenda", args=[partnership.pk])).content.decode()
    table, dealt_with = agenda.split("Behandlet (1 punkt)")
    assert "Fritidsjob i butikkerne" in table and "Fredagsåben hal" not in table
    assert "Fredagsåben hal" in dealt_with and "Markeret som behandlet af Vollsmose Boldklub" in dealt_with
    assert f'name="points-{hall.pk}"' not in agenda and f'name="points-{jobs.pk}"' in agenda  # no points on it
    # Anyone may read a public partnership's agenda; only members see the buttons.
    public = Client().get(reverse("partnerships:agenda", args=[partnership.pk])).content.decode()
    assert "Behandlet (1 punkt)" in public and "Tilbage på dagsordenen" not in public


@pytest.mark.parametrize("who", MEMBERS)
def test_every_member_deals_with_an_item_and_puts_it_back_with_the_same_effect(
    who: str, partnership: Partnership, personas: dict[str, Persona]
) -> None:
    persona = personas[WHO[who]]
    item = add_item(personas["lars"], partnership, "Lys på stien")
    meet(personas["mette"], partnership, [item])
    assert persona.client().post(status_url(item), {"status": "done"}).url == reverse(
        "partnerships:agenda", args=[partnership.pk]
    )
    item.refresh_from_db()
    assert (item.status, item.status_changed_by) == ("done", persona.actor)
    persona.client().post(status_url(item), {"status": "open"})
    item.refresh_from_db()
    assert (item.status, item.status_changed_by, item.meeting) == ("open", persona.actor, None)


def test_a_second_click_changes_nothing_and_keeps_who_dealt_with_it(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    item = add_item(personas["sofie"], partnership, "Fredagsåben hal")
    personas["lars"].client().post(status_url(item), {"status": "done"})
    item.refresh_from_db()
    first = (item.status, item.status_changed_by, item.status_changed_at)
    personas["jens"].client().post(status_url(item), {"status": "done"})
    item.refresh_from_db()
    assert (item.status, item.status_changed_by, item.status_changed_at) == first


def test_only_dealt_with_or_open_can_be_set_and_only_on_the_partnerships_own_items(
    partnership: Partnership, gardens: Partnership, personas: dict[str, Persona]
) -> None:
    lars = personas["lars"]
    item = add_item(personas["sofie"], partnership, "Fredagsåben hal")
    for status in ("scheduled", "bogus", ""):
        page = lars.client().post(status_url(item), {"status": status}, follow=True).content.decode()
        assert "Et dagsordenspunkt kan kun markeres som behandlet eller sættes tilbage på dagsordenen." in page
    item.refresh_from_db()
    assert (item.status, item.status_changed_by) == ("open", None)
    # Nora's item, reached through Lars's partnership, is not there.
    theirs = add_item(personas["nora"], gardens, "Vanding")
    url = reverse("partnerships:agenda_item_status", args=[partnership.pk, theirs.pk])
    assert lars.client().post(url, {"status": "done"}).status_code == 404
    assert lars.client().post(status_url(item), {"status": "done", "meeting": "x"}).status_code == 404
    # Opened by GET (from the history, say), the form's address leads to the nearest page above it, not to an
    # empty 405; another method than GET is still refused.
    opened = lars.client().get(status_url(item))
    assert (opened.status_code, opened["Location"]) == (302, reverse("partnerships:agenda", args=[partnership.pk]))
    assert lars.client().put(status_url(item)).status_code == 405
    theirs.refresh_from_db()
    assert theirs.status == "open"


def test_a_decision_on_a_proposal_about_an_item_deals_with_it_an_objection_does_not(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    hall = add_item(personas["sofie"], partnership, "Fredagsåben hal")
    jobs = add_item(personas["jens"], partnership, "Fritidsjob i butikkerne")
    meet(personas["fie"], partnership, [hall, jobs])
    decision = decide(personas, partnership, "Hallen åbner fredag", item=hall)
    hall.refresh_from_db()
    assert (hall.status, hall.status_changed_by, hall.status_changed_at) == ("done", None, decision.decided_at)

    objected = propose(personas["jens"], partnership, "Ti fritidsjob", item=jobs)
    mette = personas["mette"]
    services.respond_to_proposal(
        user=mette.user, proposal=objected, actor=mette.actor, version_number=1, kind="objection", reason="Jobcentret"
    )
    Proposal.objects.filter(pk=objected.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    services.settle_due_proposals(partnership=partnership)
    jobs.refresh_from_db()
    assert jobs.status == "scheduled"  # still to be dealt with: an amended or new proposal, or the next meeting

    agenda = Client().get(reverse("partnerships:agenda", args=[partnership.pk])).content.decode()
    link = f'Behandlet med beslutningen om <a href="{decision.proposal.get_absolute_url()}">Hallen åbner fredag</a>'  # type: ignore[union-attr]
    assert link in agenda


def test_dealing_with_an_item_leaves_the_power_balance_with_whoever_raised_it(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    """The power-balance monitor counts who raised an item; Mette's municipal unit marking Lars's item dealt
    with gives the municipality no initiative, and putting it back does not count it twice."""
    item = add_item(personas["lars"], partnership, "Lys på stien")
    url = f"{API}/partnerships/{partnership.pk}/power-balance"
    before = Client().get(url).json()["counts"]
    mette = personas["mette"].client()
    mette.post(status_url(item), {"status": "done"})
    mette.post(status_url(item), {"status": "open"})
    counts = Client().get(url).json()["counts"]
    assert counts == before and counts["agenda_items"] == {"association": 1}


# --- Decisions lead to actions, and pledges to actions ---------------------------------------------------


def test_an_action_follows_from_a_decision_and_the_log_shows_what_became_of_it(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    """The partnership decides to open the hall on Fridays. Lars's club plans the volunteers as an action that
    follows from the decision, Sofie pledges two hours a week to it, and the decision log shows the action and
    how far it has come."""
    lars, sofie = personas["lars"], personas["sofie"]
    assert lars.actor is not None and sofie.actor is not None
    decision = decide(personas, partnership, "Hallen åbner fredag")
    url = reverse("partnerships:together", args=[partnership.pk])
    form_page = lars.client().get(url).content.decode()
    assert "Følger af beslutning" in form_page and "Hallen åbner fredag (" in form_page
    data = {"do": "action", "title": "Find frivillige voksne", "owners": [lars.actor.pk], "decision": decision.pk}
    assert lars.client().post(url, data).status_code == 302
    action = Action.objects.get()
    assert action.decision == decision

    assert "Til handlingen" in sofie.client().get(url).content.decode()
    pledge = {
        "do": "pledge",
        "kind": "volunteer_hours",
        "description": "To timer hver fredag",
        "quantity": "2",
        "unit": "timer",
        "action": action.pk,
    }
    assert sofie.client().post(url, pledge).status_code == 302
    assert Pledge.objects.get().action == action
    services.update_action_status(user=lars.user, action=action, by_actor=lars.actor, status="underway")

    plan = Client().get(url).content.decode()
    row = plan[plan.index(f'<tr id="action-{action.pk}">') :]
    row = row[: row.index("</tr>")]
    assert "Følger af beslutning:" in row and f"#decision-{decision.pk}" in row and "Hallen åbner fredag" in row
    assert "Tilsagn til handlingen:" in row and "Sofie Andersen: To timer hver fredag — 2 timer" in row
    assert f'til handlingen <a href="#action-{action.pk}">Find frivillige voksne</a>' in plan

    log = Client().get(reverse("partnerships:decisions", args=[partnership.pk])).content.decode()
    entry = log[log.index(f'id="decision-{decision.pk}"') :]
    assert "Handlinger, der følger af beslutningen" in entry
    assert f'#action-{action.pk}">Find frivillige voksne</a>: i gang' in entry


def test_another_partnerships_decision_or_action_is_refused_with_the_typing_kept(
    partnership: Partnership, gardens: Partnership, personas: dict[str, Persona]
) -> None:
    lars = personas["lars"]
    assert lars.actor is not None
    theirs, their_action = gardens.decisions.get(), gardens.actions.get()
    url = reverse("partnerships:together", args=[partnership.pk])
    data = {"do": "action", "title": "Find frivillige voksne", "owners": [lars.actor.pk], "decision": theirs.pk}
    page = lars.client().post(url, data).content.decode()
    error = page.index('id="action_decision_error"')
    assert "Vælg en af dette partnerskabs beslutninger." in page[error : error + 300]
    assert 'value="Find frivillige voksne"' in page and "Bede ved skolen" not in page
    pledge = {"do": "pledge", "kind": "premises", "description": "Klubhuset", "action": their_action.pk}
    page = lars.client().post(url, pledge).content.decode()
    error = page.index('id="pledge_action_error"')
    assert "Vælg en af dette partnerskabs handlinger." in page[error : error + 300]
    assert 'value="Klubhuset"' in page and "Køb muld" not in page
    assert not partnership.actions.exists() and not partnership.pledges.exists()

    # The services refuse as well, whoever calls them, in Danish.
    with pytest.raises(ValidationError) as refused:
        services.create_action(
            user=lars.user,
            partnership=partnership,
            by_actor=lars.actor,
            title="X",
            owners=[lars.actor],
            decision=theirs,
        )
    assert refused.value.messages == [
        "Beslutningen hører til et andet partnerskab. Vælg en af dette partnerskabs beslutninger."
    ]
    with pytest.raises(ValidationError) as refused:
        services.pledge(
            user=lars.user,
            partnership=partnership,
            actor=lars.actor,
            kind="premises",
            description="Klubhuset",
            action=their_action,
        )
    assert refused.value.messages == [
        "Handlingen hører til et andet partnerskab. Vælg en af dette partnerskabs handlinger."
    ]
    assert not partnership.actions.exists() and not partnership.pledges.exists()


def test_the_decision_log_and_the_action_plan_cost_the_same_queries_however_long_they_are(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    lars = personas["lars"]
    assert lars.actor is not None
    log = reverse("partnerships:decisions", args=[partnership.pk])
    plan = reverse("partnerships:together", args=[partnership.pk])

    def follow_up(title: str) -> None:
        decision = decide(personas, partnership, title)
        for n in range(2):
            action = services.create_action(
                user=lars.user,
                partnership=partnership,
                by_actor=lars.actor,
                title=f"{title} {n}",
                owners=[lars.actor],
                decision=decision,
            )
            services.pledge(
                user=lars.user,
                partnership=partnership,
                actor=lars.actor,
                kind="volunteer_hours",
                description="To trænere",
                quantity=Decimal(2),
                action=action,
            )

    def queries(url: str) -> int:
        client = lars.client()
        client.get(url)  # the session and the like are loaded once
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    follow_up("Hallen åbner fredag")
    one = (queries(log), queries(plan))
    follow_up("Lys på stien")
    follow_up("Fritidsjob")
    assert (queries(log), queries(plan)) == one


# --- The same through the API ------------------------------------------------------------------------------


def test_agenda_items_are_dealt_with_through_the_api(
    partnership: Partnership, gardens: Partnership, personas: dict[str, Persona]
) -> None:
    item = add_item(personas["sofie"], partnership, "Fredagsåben hal")
    base = f"{API}/partnerships/{partnership.pk}/agenda"
    post = Client().post
    done = post(
        f"{base}/{item.pk}/status",
        {"status": "done"},
        content_type="application/json",
        headers=bearer(personas["jens"]),
    )
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["status_changed_by"]["name"]) == ("done", "Købmand Madsen")
    listed = Client().get(base).json()
    assert listed[0]["status"] == "done" and listed[0]["status_changed_at"] is not None

    nora = bearer(personas["nora"])
    refused = post(f"{base}/{item.pk}/status", {"status": "open"}, content_type="application/json", headers=nora)
    assert refused.status_code == 403
    bad = post(
        f"{base}/{item.pk}/status",
        {"status": "scheduled"},
        content_type="application/json",
        headers=bearer(personas["lars"]),
    )
    assert bad.status_code == 422
    theirs = add_item(personas["nora"], gardens, "Vanding")
    elsewhere = post(
        f"{base}/{theirs.pk}/status",
        {"status": "done"},
        content_type="application/json",
        headers=bearer(personas["lars"]),
    )
    assert elsewhere.status_code == 404
    item.refresh_from_db()
    theirs.refresh_from_db()
    assert (item.status, item.status_changed_by, theirs.status) == ("done", personas["jens"].actor, "open")


@pytest.mark.parametrize("who", ["non-member", "anonymous"])
def test_outsiders_neither_deal_with_an_item_nor_put_it_back(
    who: str, partnership: Partnership, personas: dict[str, Persona]
) -> None:
    item = add_item(personas["sofie"], partnership, "Fredagsåben hal")
    client = client_for(who, personas)
    response = client.post(status_url(item), {"status": "done"})
    assert response.status_code == (403 if who == "non-member" else 302)
    AgendaItem.objects.filter(pk=item.pk).update(status="done")
    client.post(status_url(item), {"status": "open"})
    item.refresh_from_db()
    assert (item.status, item.status_changed_by, item.status_changed_at) == ("done", None, None)


def test_new_agenda_items_come_in_the_daily_digest_unless_chosen_otherwise(
    partnership: Partnership, personas: dict[str, Persona], django_capture_on_commit_callbacks: Any
) -> None:
    """Four items raised in an evening are one email the next morning, not four at once; whoever chose to have
    them at once still does, and the settings page shows the digest as the choice until one is made."""
    from django.core import mail
    from django.core.management import call_command

    from samskab.accounts.models import NotificationPreference

    lars, sofie = personas["lars"], personas["sofie"]
    NotificationPreference.objects.create(user=sofie.user, kind="agenda", email="immediate")
    with django_capture_on_commit_callbacks(execute=True):
        for title in ("Lys på stien", "Fredagsåben hal", "Lektiecafé", "Skilte"):
            add_item(personas["jens"], partnership, title)
    assert [m.to for m in mail.outbox].count([sofie.user.email]) == 4 and [lars.user.email] not in [
        m.to for m in mail.outbox
    ]
    mail.outbox.clear()
    call_command("send_digests", stdout=open("/dev/null", "w"))  # noqa: SIM115
    [digest] = [m for m in mail.outbox if m.to == [lars.user.email]]
    assert "4 nye hændelser" in digest.subject and "Skilte" in digest.body
    assert f"“Skilte” på dagsordenen i “{partnership.title}”" in digest.body  # which partnership, for one in several
    assert [sofie.user.email] not in [m.to for m in mail.outbox]  # she had hers at once
    settings = lars.client().get(reverse("accounts:notifications")).content.decode()
    assert re.search(
        r'<option value="digest"[^>]*selected', settings.split('name="email-agenda"')[1].split("</select>")[0]
    )
