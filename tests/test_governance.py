"""Inside an equal partnership: the open agenda, meetings, consent decisions, the action plan and pledges."""

import re
import threading
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from samskab.actors.models import Resource
from samskab.partnerships import services
from samskab.partnerships.models import (
    AgendaItem,
    AgendaPriority,
    Attendance,
    Challenge,
    Decision,
    GroundRules,
    Meeting,
    Partnership,
    Pledge,
    Proposal,
    Response,
)

from .conftest import Persona
from .test_conversations import seen_version
from .test_equality import MEMBERS, WHO, client_for


def soon(hours: int = 48) -> str:
    return (timezone.localtime() + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def make_proposal(persona: Persona, partnership: Partnership, text: str = "Vi åbner hallen fredag aften") -> Proposal:
    assert persona.actor is not None
    return services.propose(
        user=persona.user,
        partnership=partnership,
        by_actor=persona.actor,
        title="Fredagsåben hal",
        text=text,
        deadline=timezone.now() + timedelta(days=2),
    )


def expire(proposal: Proposal) -> None:
    Proposal.objects.filter(pk=proposal.pk).update(deadline=timezone.now() - timedelta(seconds=1))


# --- The permission table, extended to every new action ---------------------------------------------


def add_item(client: Client, p: Partnership, personas: dict[str, Persona]) -> int:
    return client.post(reverse("partnerships:agenda", args=[p.pk]), {"title": "Lys på stien"}).status_code


def prioritise(client: Client, p: Partnership, personas: dict[str, Persona]) -> int:
    item = AgendaItem.objects.filter(partnership=p).first()
    return client.post(reverse("partnerships:agenda_priorities", args=[p.pk]), {f"points-{item.pk}": "3"}).status_code


def schedule(client: Client, p: Partnership, personas: dict[str, Persona]) -> int:
    data = {"title": "Første møde", "starts_at": soon(24), "ends_at": soon(26), "place": "Hallen"}
    return client.post(reverse("partnerships:meetings", args=[p.pk]), data).status_code


def propose(client: Client, p: Partnership, personas: dict[str, Persona]) -> int:
    data = {"title": "Forslag", "text": "Vi gør det", "deadline": soon()}
    return client.post(reverse("partnerships:proposals", args=[p.pk]), data).status_code


def respond(client: Client, p: Partnership, personas: dict[str, Persona]) -> int:
    proposal = Proposal.objects.filter(partnership=p).first()
    url = reverse("partnerships:proposal", args=[p.pk, proposal.pk])
    return client.post(url, {"do": "respond", "version": 1, "kind": "consent"}).status_code


def plan_action(client: Client, p: Partnership, personas: dict[str, Persona]) -> int:
    owner = personas["lars"].actor.pk  # type: ignore[union-attr]
    return client.post(
        reverse("partnerships:together", args=[p.pk]), {"do": "action", "title": "Plakater", "owners": [owner]}
    ).status_code


def pledge(client: Client, p: Partnership, personas: dict[str, Persona]) -> int:
    data = {
        "do": "pledge",
        "kind": "volunteer_hours",
        "description": "To timer om ugen",
        "quantity": "2",
        "unit": "timer",
    }
    return client.post(reverse("partnerships:together", args=[p.pk]), data).status_code


def write_minutes(client: Client, p: Partnership, personas: dict[str, Persona]) -> int:
    meeting = Meeting.objects.filter(partnership=p).first()
    return client.post(
        reverse("partnerships:meeting", args=[p.pk, meeting.pk]), {"minutes": "Vi blev enige"}
    ).status_code


def add_need(client: Client, p: Partnership, personas: dict[str, Persona]) -> int:
    data = {"do": "need", "kind": "premises", "amount": "1", "unit": "lokale"}
    return client.post(reverse("partnerships:together", args=[p.pk]), data).status_code


ACTIONS = {
    "add an agenda item": add_item,
    "prioritise the agenda": prioritise,
    "schedule a meeting": schedule,
    "make a proposal": propose,
    "respond to a proposal": respond,
    "add an action": plan_action,
    "pledge a resource": pledge,
    "write the minutes": write_minutes,
    "add a need": add_need,
}


@pytest.fixture
def busy_partnership(partnership: Partnership, personas: dict[str, Persona]) -> Partnership:
    fie = personas["fie"]
    assert fie.actor is not None
    services.add_agenda_item(user=fie.user, partnership=partnership, by_actor=fie.actor, title="Første punkt")
    make_proposal(fie, partnership)
    start = timezone.now() + timedelta(days=1)
    services.schedule_meeting(
        user=fie.user,
        partnership=partnership,
        by_actor=fie.actor,
        title="Første møde",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="Hallen",
        video_link="",
        items=[],
    )
    return partnership


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("who", [*MEMBERS, "non-member", "anonymous"])
def test_governance_permission_table(
    who: str, action: str, busy_partnership: Partnership, personas: dict[str, Persona]
) -> None:
    def written() -> tuple[int, ...]:
        models = (AgendaItem, AgendaPriority, Meeting, Proposal, Response, Pledge)
        minutes = tuple(Meeting.objects.values_list("minutes", flat=True))
        extra = (busy_partnership.actions.count(), busy_partnership.needs.count(), minutes)
        return (*tuple(m.objects.count() for m in models), *extra)

    before = written()
    status = ACTIONS[action](client_for(who, personas), busy_partnership, personas)
    if who in MEMBERS:
        assert status == 302, f"{who} / {action}"
        assert written() != before, f"{who} / {action} changed nothing"
    else:
        # Outsiders are refused (403), or sent to the login page first when anonymous (302); nothing is written.
        assert status in ({403} if who == "non-member" else {302, 403}), f"{who} / {action}"
        assert written() == before


@pytest.mark.parametrize("who", MEMBERS)
def test_no_member_amends_or_withdraws_another_actors_proposal(
    who: str, partnership: Partnership, personas: dict[str, Persona]
) -> None:
    """Nobody edits others' content; the municipality cannot where an association cannot."""
    proposer = personas["jens"] if who != "business member" else personas["sofie"]
    proposal = make_proposal(proposer, partnership)
    persona = personas[WHO[who]]
    assert persona.actor is not None
    with pytest.raises(PermissionDenied):
        services.amend_proposal(user=persona.user, proposal=proposal, by_actor=persona.actor, text="Min version")
    with pytest.raises(PermissionDenied):
        services.withdraw_proposal(user=persona.user, proposal=proposal, by_actor=persona.actor)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.versions.count()) == (Proposal.Status.OPEN, 1)


def test_a_second_click_on_withdraw_is_told_the_proposal_is_closed(
    partnership: Partnership, personas: dict[str, Persona], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lars clicks "Withdraw" twice in quick succession. The second click passes the page's check while the
    first is being saved, and meets the withdrawn proposal in the service: it is told so, never a server error."""
    lars = personas["lars"]
    proposal = make_proposal(lars, partnership)
    url = proposal.get_absolute_url()
    client = lars.client()
    withdraw = services.withdraw_proposal

    def first_click_lands_first(**kwargs: Any) -> Proposal:
        withdraw(**kwargs)
        return withdraw(**kwargs)

    monkeypatch.setattr(services, "withdraw_proposal", first_click_lands_first)
    response = client.post(url, {"do": "withdraw"}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "Forslaget er lukket (trukket tilbage)." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.WITHDRAWN
    monkeypatch.undo()
    # A click after the first was saved is refused by the page itself.
    again = client.post(url, {"do": "withdraw"}, follow=True)
    assert again.redirect_chain == [(url, 302)]
    assert "Forslaget er lukket." in again.content.decode()


@pytest.mark.parametrize("who", MEMBERS)
def test_every_member_actor_has_exactly_one_voice_and_can_object(
    who: str, partnership: Partnership, personas: dict[str, Persona]
) -> None:
    proposal = make_proposal(personas["lars"], partnership)
    persona = personas[WHO[who]]
    assert persona.actor is not None
    services.respond_to_proposal(
        user=persona.user,
        proposal=proposal,
        actor=persona.actor,
        version_number=1,
        kind="objection",
        reason="Ikke sikkert",
    )
    expire(proposal)
    services.settle_due_proposals()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.NOT_PASSED
    assert not Decision.objects.exists()


# --- Consent decisions ------------------------------------------------------------------------------


def test_a_proposal_passes_at_its_deadline_when_no_objection_stands(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    proposal = make_proposal(personas["lars"], partnership)
    sofie = personas["sofie"]
    services.respond_to_proposal(
        user=sofie.user, proposal=proposal, actor=sofie.actor, version_number=1, kind="concern", reason="Husk lys"
    )
    expire(proposal)
    page = Client().get(reverse("partnerships:decisions", args=[partnership.pk])).content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PASSED
    decision = Decision.objects.get()
    assert (decision.text, decision.initiated_by) == ("Vi åbner hallen fredag aften", personas["lars"].actor)
    assert "Vi åbner hallen fredag aften" in page


def test_a_proposal_every_member_actor_consents_to_is_decided_at_once(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    proposal = make_proposal(personas["lars"], partnership)
    url = proposal.get_absolute_url()
    assert (
        "Det besluttes, så snart alle medlemsaktører har givet samtykke"
        in personas["jens"].client().get(url).content.decode()
    )
    others = [p for name, p in personas.items() if name not in ("lars", "nora")]  # lars proposed; nora is no member
    for persona in others:
        assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.OPEN  # someone could still object
        kind = "concern" if persona is others[0] else "consent"
        persona.client().post(url, {"do": "respond", "version": 1, "kind": kind, "reason": "Husk lys"})
    proposal.refresh_from_db()
    decision = Decision.objects.get()
    assert proposal.status == Proposal.Status.PASSED and decision.decided_at < proposal.deadline
    assert "Besluttet ved samtykke" in personas["jens"].client().get(url).content.decode()


def test_a_partnership_of_one_decides_its_proposal_at_once(fie: Persona, challenge: Challenge) -> None:
    alone = services.start_partnership(
        user=fie.user, actor=fie.actor, challenge=challenge, title="Alene", visibility=Partnership.Visibility.PUBLIC
    )
    proposal = make_proposal(fie, alone)
    assert proposal.status == Proposal.Status.PASSED and Decision.objects.get(proposal=proposal)


def test_an_objection_leads_to_an_amendment_and_old_consents_do_not_carry_over(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    lars, jens, mette = personas["lars"], personas["jens"], personas["mette"]
    proposal = make_proposal(lars, partnership)
    services.respond_to_proposal(
        user=mette.user, proposal=proposal, actor=mette.actor, version_number=1, kind="consent"
    )
    services.respond_to_proposal(
        user=jens.user,
        proposal=proposal,
        actor=jens.actor,
        version_number=1,
        kind="objection",
        reason="Butikken lukker 20",
    )
    services.amend_proposal(
        user=lars.user, proposal=proposal, by_actor=lars.actor, text="Vi åbner hallen fredag til kl. 20"
    )
    v2 = proposal.current_version()
    assert v2.number == 2
    assert not v2.responses.exists()
    # Jens answered version 1; responding "to version 1" now is refused, so nothing attaches to unread text.
    with pytest.raises(ValidationError, match="ændret"):
        services.respond_to_proposal(
            user=jens.user, proposal=proposal, actor=jens.actor, version_number=1, kind="consent"
        )
    services.respond_to_proposal(user=jens.user, proposal=proposal, actor=jens.actor, version_number=2, kind="consent")
    expire(proposal)
    services.settle_due_proposals()
    assert Decision.objects.get().text == "Vi åbner hallen fredag til kl. 20"


def test_objection_without_a_reason_is_refused(partnership: Partnership, personas: dict[str, Persona]) -> None:
    proposal = make_proposal(personas["lars"], partnership)
    jens = personas["jens"]
    url = reverse("partnerships:proposal", args=[partnership.pk, proposal.pk])
    response = jens.client().post(url, {"do": "respond", "version": 1, "kind": "objection", "reason": "  "})
    assert response.status_code == 200
    assert "Giv en begrundelse" in response.content.decode()
    assert not Response.objects.exists()


def test_responding_after_the_deadline_is_refused_and_the_proposal_settles(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    proposal = make_proposal(personas["lars"], partnership)
    expire(proposal)
    jens = personas["jens"]
    with pytest.raises(ValidationError):
        services.respond_to_proposal(
            user=jens.user, proposal=proposal, actor=jens.actor, version_number=1, kind="objection", reason="For sent"
        )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PASSED
    assert not Response.objects.exists()


def test_nobody_responds_for_an_actor_they_do_not_belong_to(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    proposal = make_proposal(personas["lars"], partnership)
    with pytest.raises(PermissionDenied):
        services.respond_to_proposal(
            user=personas["sofie"].user,
            proposal=proposal,
            actor=personas["jens"].actor,
            version_number=1,
            kind="objection",
            reason="x",
        )
    url = reverse("partnerships:proposal", args=[partnership.pk, proposal.pk])
    personas["sofie"].client().post(
        url, {"do": "respond", "version": 1, "kind": "objection", "reason": "x", "actor": personas["jens"].actor.pk}
    )
    assert not Response.objects.exists()


def test_the_decision_log_is_append_only(partnership: Partnership, personas: dict[str, Persona]) -> None:
    proposal = make_proposal(personas["lars"], partnership)
    expire(proposal)
    services.settle_due_proposals()
    decision = Decision.objects.get()
    decision.text = "Omskrevet"
    with pytest.raises(ValueError, match="append-only"):
        decision.save()
    with pytest.raises(ValueError, match="append-only"):
        decision.delete()
    sofie = personas["sofie"]
    correction = services.correct_decision(
        user=sofie.user, decision=decision, by_actor=sofie.actor, text="Kun i skoleåret"
    )
    assert correction.corrects == decision
    assert Decision.objects.count() == 2


def test_changing_the_ground_rules_is_a_consent_decision(
    partnership: Partnership, personas: dict[str, Persona], django_capture_on_commit_callbacks: object
) -> None:
    rules = GroundRules.objects.get(partnership=partnership)
    assert "samtykke" in rules.text
    jens = personas["jens"]
    url = reverse("partnerships:ground_rules", args=[partnership.pk])
    item = services.add_agenda_item(user=jens.user, partnership=partnership, by_actor=jens.actor, title="Spilleregler")
    typed = {"title": "Nye spilleregler", "text": "Vi mødes hver anden uge.", "agenda_item": item.pk}
    # Silence is consent, so a deadline minutes away would pass the change before anyone saw it: refused.
    hurried = jens.client().post(url, {**typed, "deadline": soon(2)}).content.decode()
    assert "Fristen skal ligge mindst 24 timer ude i fremtiden" in hurried and "Vi mødes hver anden uge." in hurried
    assert not Proposal.objects.exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = jens.client().post(url, {**typed, "deadline": soon()})
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.agenda_item == item  # the agenda item chosen on the form is kept
    # The members are told by when to object, and what silence means.
    with translation.override("da"):
        when = date_format(timezone.localtime(proposal.deadline), "j. F Y H:i")
    assert re.fullmatch(r"\d{1,2}\. [a-zæø]+ \d{4} \d\d:\d\d", when)  # 7. december 2026 14:00
    told = [m.body for m in mail.outbox if "Nye spilleregler" in m.body]
    assert told and all(f"senest den {when}. Svarer I ikke inden da, regnes det som samtykke." in body for body in told)
    rules.refresh_from_db()
    assert "Vi mødes" not in rules.text  # not before the decision
    expire(Proposal.objects.get(kind=Proposal.Kind.GROUND_RULES))
    services.settle_due_proposals()
    rules.refresh_from_db()
    assert rules.text == "Vi mødes hver anden uge."


@pytest.mark.django_db(transaction=True)
def test_two_actors_respond_at_the_same_instant(partnership: Partnership, personas: dict[str, Persona]) -> None:
    proposal = make_proposal(personas["lars"], partnership)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def answer(persona: Persona, kind: str) -> None:
        try:
            barrier.wait()
            services.respond_to_proposal(
                user=persona.user, proposal=proposal, actor=persona.actor, version_number=1, kind=kind, reason="fordi"
            )
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=answer, args=(personas["jens"], "objection")),
        threading.Thread(target=answer, args=(personas["sofie"], "consent")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(Response.objects.values_list("kind", flat=True)) == ["consent", "objection"]


@pytest.mark.django_db(transaction=True)
def test_an_amendment_while_responses_arrive_loses_nothing(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    """Either the response lands on version 1 before the amendment, or it is refused with a clear message."""
    proposal = make_proposal(personas["lars"], partnership)
    barrier = threading.Barrier(2)
    outcome: dict[str, object] = {}

    def amend() -> None:
        barrier.wait()
        lars = personas["lars"]
        services.amend_proposal(user=lars.user, proposal=proposal, by_actor=lars.actor, text="Ny tekst")
        connection.close()

    def answer() -> None:
        barrier.wait()
        jens = personas["jens"]
        try:
            services.respond_to_proposal(
                user=jens.user, proposal=proposal, actor=jens.actor, version_number=1, kind="consent"
            )
            outcome["response"] = "saved"
        except ValidationError as error:
            outcome["response"] = error.code
        connection.close()

    threads = [threading.Thread(target=amend), threading.Thread(target=answer)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert proposal.versions.count() == 2
    if outcome["response"] == "saved":
        assert Response.objects.get().version.number == 1
    else:
        assert outcome["response"] == "amended"
        assert not Response.objects.exists()


# --- Agenda, meetings, pledges -------------------------------------------------------------------


def test_priority_points_are_limited_per_actor(busy_partnership: Partnership, personas: dict[str, Persona]) -> None:
    item = AgendaItem.objects.get()
    lars = personas["lars"]
    response = lars.client().post(
        reverse("partnerships:agenda_priorities", args=[busy_partnership.pk]), {f"points-{item.pk}": "9"}
    )
    assert response.status_code == 200  # refused, shown again with the error and the typed points
    assert not AgendaPriority.objects.exists()
    lars.client().post(
        reverse("partnerships:agenda_priorities", args=[busy_partnership.pk]), {f"points-{item.pk}": "4"}
    )
    assert AgendaPriority.objects.get().points == 4


def test_meeting_invitation_email_carries_an_ical_file(
    partnership: Partnership, personas: dict[str, Persona], django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        schedule(personas["sofie"].client(), partnership, personas)
    meeting = Meeting.objects.get()
    invitation = next(m for m in mail.outbox if "Første møde" in m.subject and m.to == ["mette@kommune.dk"])
    assert not invitation.bcc  # each person's own email, as their notification settings say (tests/test_meetings.py)
    _name, content, mimetype = invitation.attachments[0]
    assert mimetype == "text/calendar"
    assert "BEGIN:VEVENT" in content and "SUMMARY:Første møde" in content
    ics = Client().get(reverse("partnerships:meeting_ics", args=[partnership.pk, meeting.pk]))
    assert ics["Content-Type"].startswith("text/calendar")


def test_members_record_who_attended_a_meeting(partnership: Partnership, personas: dict[str, Persona]) -> None:
    sofie = personas["sofie"].client()
    assert schedule(sofie, partnership, personas) == 302
    meeting = Meeting.objects.get()
    url = reverse("partnerships:meeting", args=[partnership.pk, meeting.pk])
    present = [personas["lars"].actor.pk, personas["jens"].actor.pk]
    # Not before the meeting has begun: the page says when, and a form sent anyway is refused.
    before = " ".join(sofie.get(url).content.decode().split())
    assert "Fremmødet registreres, når mødet er begyndt" in before and 'name="attendance"' not in before
    early = sofie.post(url, {"attendance": "1", "present": present})
    assert early.status_code == 200 and not Attendance.objects.exists()
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=1)
    )
    response = sofie.post(url, {"attendance": "1", "present": present}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "Fremmødet er gemt" in response.content.decode()
    assert set(Attendance.objects.filter(meeting=meeting, present=True).values_list("actor_id", flat=True)) == set(
        present
    )


def test_two_members_writing_the_minutes_at_once_lose_nothing(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    sofie, jens = personas["sofie"].client(), personas["jens"].client()
    assert schedule(sofie, partnership, personas) == 302
    meeting = Meeting.objects.get()
    url = reverse("partnerships:meeting", args=[partnership.pk, meeting.pk])
    sofie_opened, jens_opened = seen_version(sofie, url), seen_version(jens, url)
    assert sofie.post(url, {"minutes": "Vi blev enige om fredag.", "seen": sofie_opened}).status_code == 302
    refused = jens.post(url, {"minutes": "Hallen er ledig fredag.", "seen": jens_opened})
    html = refused.content.decode()
    assert "gemte en ny udgave, mens du skrev." in html
    assert "Vi blev enige om fredag." in html and "Hallen er ledig fredag." in html
    meeting.refresh_from_db()
    assert meeting.minutes == "Vi blev enige om fredag."


def test_bad_meeting_input_is_refused_with_danish_errors(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    data = {"title": "<script>x</script>", "starts_at": soon(26), "ends_at": soon(24)}
    response = personas["lars"].client().post(reverse("partnerships:meetings", args=[partnership.pk]), data)
    html = response.content.decode()
    assert "Mødet skal slutte efter det begynder." in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    assert "<script>x</script>" not in html
    assert not Meeting.objects.exists()


def test_an_unknown_action_status_is_refused_with_a_danish_error(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    lars = personas["lars"]
    action = services.create_action(
        user=lars.user, partnership=partnership, by_actor=lars.actor, title="Åben hal fredag", owners=[lars.actor]
    )
    client = lars.client()
    url = reverse("partnerships:together", args=[partnership.pk])
    response = client.post(url, {"do": "status", "action": action.pk, "status": "bogus"}, follow=True)
    assert response.status_code == 200
    assert "Ukendt status." in response.content.decode()
    action.refresh_from_db()
    assert action.status == "planned"


def test_what_we_have_together_sums_pledges_by_kind_and_sector(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    lars, jens = personas["lars"], personas["jens"]
    hall = Resource.objects.create(actor=lars.actor, kind="premises", title="Hallen", quantity=3, unit="timer")
    services.pledge(user=lars.user, partnership=partnership, actor=lars.actor, kind="", description="", resource=hall)
    services.pledge(
        user=jens.user,
        partnership=partnership,
        actor=jens.actor,
        kind="jobs",
        description="Fritidsjob",
        quantity=Decimal(2),
    )
    services.add_need(user=jens.user, partnership=partnership, by_actor=jens.actor, kind="jobs", amount=Decimal(5))
    with pytest.raises(PermissionDenied):
        services.pledge(
            user=jens.user, partnership=partnership, actor=jens.actor, kind="", description="", resource=hall
        )
    page = Client().get(reverse("partnerships:together", args=[partnership.pk])).content.decode()
    assert Pledge.objects.count() == 2
    assert "Hallen" in page and "Fritidsjob" in page
    assert "mangler 3" in page


def test_notifications_reach_members_and_unsubscribe_asks_first(
    partnership: Partnership, personas: dict[str, Persona], django_capture_on_commit_callbacks: object
) -> None:
    """Opening the link (as a mail scanner does) changes nothing; the page's button, or the mail program's own
    one-click unsubscribe through the List-Unsubscribe header, turns the emails off."""
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        make_proposal(personas["lars"], partnership)
    to = sorted(m.to[0] for m in mail.outbox)
    assert "jens@kobmand.dk" in to and "lars@boldklub.dk" not in to
    message = next(m for m in mail.outbox if m.to == ["jens@kobmand.dk"])
    link = next(line for line in message.body.splitlines() if "/afmeld/" in line).split(": ", 1)[1]
    path = link[link.index("/min-side/") :]
    # As the mail server receives it: the link whole, not folded into encoded words a mail program cannot read.
    import email.policy

    sent = message.message(policy=email.policy.SMTP).as_bytes().decode()
    assert f"\r\nList-Unsubscribe: <{link}>\r\n" in sent
    assert "\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in sent
    asked = " ".join(Client().get(path).content.decode().split())
    assert "Stop disse e-mails?" in asked and "Vil du stoppe e-mailene om" in asked
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        make_proposal(personas["lars"], partnership, text="Et forslag mere")
    assert "jens@kobmand.dk" in [m.to[0] for m in mail.outbox]  # opening the link turned nothing off
    # The mail program posts the one-click body, without a form's CSRF token.
    done = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"}, follow=True)
    assert done.redirect_chain == [(path, 302)] and "Du får ikke flere af disse e-mails" in done.content.decode()
    assert "Du får ikke flere af disse e-mails" in Client().get(path).content.decode()  # opened again: off already
    assert Client().get(path[:-3] + "xx/").status_code == 200  # a broken link says so, and changes nothing
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        make_proposal(personas["lars"], partnership, text="Endnu et forslag")
    assert "jens@kobmand.dk" not in [m.to[0] for m in mail.outbox]


@pytest.mark.parametrize("who", MEMBERS)
def test_any_member_passes_the_facilitator_role_on_and_it_is_logged(
    who: str, partnership: Partnership, personas: dict[str, Persona]
) -> None:
    from samskab.partnerships.models import FacilitatorChange, PartnershipMember

    persona, to = personas[WHO[who]], personas["jens"]
    response = persona.client().post(
        reverse("partnerships:facilitator", args=[partnership.pk]), {"to_actor": to.actor.pk}
    )
    assert response.status_code == 302
    facilitators = list(
        PartnershipMember.objects.filter(partnership=partnership, role="facilitator").values_list("actor", flat=True)
    )
    assert facilitators == [to.actor.pk]
    change = FacilitatorChange.objects.get()
    assert (change.by_actor, change.to_actor) == (persona.actor, to.actor)
    # The others are told who facilitates now; whoever handed it over is not told of their own act.
    from samskab.accounts.models import Notification

    told = Notification.objects.filter(kind="process", text__contains="facilitatorrollen")
    assert persona.user.pk not in {n.user_id for n in told}
    assert {n.user_id for n in told} >= {personas["mette"].user.pk} - {persona.user.pk}
    assert told.exists() and all(f"til {to.actor.name}" in n.text for n in told)
    if to is not persona:
        assert to.user.pk in {n.user_id for n in told}


def test_outsiders_cannot_take_the_facilitator_role(partnership: Partnership, personas: dict[str, Persona]) -> None:
    nora = personas["nora"]
    url = reverse("partnerships:facilitator", args=[partnership.pk])
    assert nora.client().post(url, {"to_actor": nora.actor.pk}).status_code == 403
    assert Client().post(url, {"to_actor": nora.actor.pk}).status_code == 302  # to the login page
    assert partnership.members.get(role="facilitator").actor == personas["fie"].actor


def test_deadline_reminders_go_once_to_actors_that_have_not_responded(
    partnership: Partnership, personas: dict[str, Persona], django_capture_on_commit_callbacks: object
) -> None:
    from samskab.accounts.models import Notification

    proposal = make_proposal(personas["lars"], partnership)
    jens = personas["jens"]
    services.respond_to_proposal(user=jens.user, proposal=proposal, actor=jens.actor, version_number=1, kind="consent")
    Proposal.objects.filter(pk=proposal.pk).update(
        deadline=timezone.now() + timedelta(hours=5), created_at=timezone.now() - timedelta(days=1)
    )
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        assert services.remind_deadlines() == 1
        assert services.remind_deadlines() == 0
    reminded = set(Notification.objects.filter(kind="deadline").values_list("user__email", flat=True))
    assert "sofie@example.dk" in reminded and "mette@kommune.dk" in reminded
    assert "jens@kobmand.dk" not in reminded  # his store has responded


# --- A form that fails opens where it was sent, with its errors and what was typed --------------------


def test_a_failed_correction_opens_its_own_entry_with_the_error_and_the_text(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    for title in ("Fredagsåben hal", "Lys på stien"):
        proposal = make_proposal(personas["lars"], partnership, text=title)
        expire(proposal)
    services.settle_due_proposals()
    first, second = Decision.objects.order_by("pk")
    mette = personas["mette"]
    url = reverse("partnerships:decisions", args=[partnership.pk])
    response = mette.client().post(url, {"decision": second.pk, "actor": mette.actor.pk, "text": "   "})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('<details class="details" open>') == 1
    assert 'id="error-summary"' in page
    opened = page[page.index('<details class="details" open>') :]
    opened = opened[: opened.index("</details>")]
    assert f'name="decision" value="{second.pk}"' in opened and "Dette felt er påkrævet" in opened
    # Every entry's form has its own field ids, so labels and errors point to the right one.
    assert f'id="correction-{first.pk}-text"' in page and f'id="correction-{second.pk}-text"' in page
    assert Decision.objects.count() == 2
    not_hers = personas["lars"].actor.pk
    typed = mette.client().post(url, {"decision": second.pk, "actor": not_hers, "text": "Kun i skoleåret"})
    assert "Kun i skoleåret" in typed.content.decode()
    assert Decision.objects.count() == 2
    assert mette.client().post(url, {"decision": "abc", "text": "x"}).status_code == 404
    assert mette.client().post(url, {"decision": "²", "text": "x"}).status_code == 404  # a digit int() refuses
    assert mette.client().post(url, {"text": "x"}).status_code == 404


def test_a_failed_action_form_stays_open_and_a_past_deadline_is_refused(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    lars = personas["lars"]
    url = reverse("partnerships:together", args=[partnership.pk])
    response = lars.client().post(url, {"do": "action", "actor": lars.actor.pk, "title": "Lys på stien"})
    page = response.content.decode()
    assert page.count('<details class="details" open>') == 1
    assert 'value="Lys på stien"' in page
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    late = lars.client().post(
        url,
        {"do": "action", "actor": lars.actor.pk, "title": "Lys", "owners": [lars.actor.pk], "deadline": yesterday},
    )
    assert "Fristen kan ikke ligge i fortiden." in late.content.decode()
    assert not partnership.actions.exists()
    assert lars.client().post(url, {"do": "status", "action": "abc", "status": "done"}).status_code == 404


def test_a_meeting_in_the_year_1_is_a_field_error_not_a_crash(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    mette = personas["mette"]
    response = mette.client().post(
        reverse("partnerships:meetings", args=[partnership.pk]),
        {"actor": mette.actor.pk, "title": "Møde", "starts_at": "0001-01-01T00:00", "ends_at": "9999-12-31T23:59"},
    )
    assert response.status_code == 200
    assert "Angiv et tidspunkt mellem år 2000 og 2100." in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_settled_proposal_counts_silence_as_consent_not_as_awaited(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    proposal = make_proposal(personas["lars"], partnership)
    open_page = personas["jens"].client().get(proposal.get_absolute_url()).content.decode()
    assert "Afventer (tavshed tæller som samtykke ved fristen)" in open_page
    expire(proposal)
    services.settle_due_proposals()
    page = personas["jens"].client().get(proposal.get_absolute_url()).content.decode()
    assert "Afventer" not in page
    # Lars's club consents by proposing; the other member actors were silent.
    assert page.count("Tavs (regnet som samtykke)") == partnership.members.count() - 1


# --- Past dates are refused, and a refused entry keeps what was typed ---------------------------------------


def test_a_meeting_in_the_past_is_refused_with_the_typing_kept(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    sofie = personas["sofie"]
    assert sofie.actor is not None
    url = reverse("partnerships:meetings", args=[partnership.pk])
    data = {"title": "Opfølgning i hallen", "starts_at": soon(-2), "ends_at": soon(-1), "place": "Hallen"}
    page = sofie.client().post(url, data).content.decode()
    assert "Et møde kan ikke begynde i fortiden. Vælg et senere tidspunkt." in page
    assert 'id="id_starts_at_error"' in page
    assert 'value="Opfølgning i hallen"' in page and f'value="{data["starts_at"]}"' in page
    assert not Meeting.objects.exists()
    # The service refuses too, whoever calls it.
    start = timezone.now() - timedelta(hours=1)
    with pytest.raises(ValidationError):
        services.schedule_meeting(
            user=sofie.user,
            partnership=partnership,
            by_actor=sofie.actor,
            title="For sent",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            place="Hallen",
        )
    assert not Meeting.objects.exists()
    assert sofie.client().post(url, data | {"starts_at": soon(1), "ends_at": soon(2)}).status_code == 302


def test_a_video_link_longer_than_its_column_is_a_field_error_not_a_crash(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    """Mette pastes a meeting link of 320 characters. PostgreSQL cannot store more than 200 (a 500 there, and
    SQLite would keep it whole): the form refuses it beside the field and keeps what she typed."""
    mette = personas["mette"]
    url = reverse("partnerships:meetings", args=[partnership.pk])
    link = "https://example.com/" + "a" * 300
    data = {"title": "Opfølgning på video", "starts_at": soon(24), "ends_at": soon(26), "video_link": link}
    response = mette.client().post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    error = page.index('id="id_video_link_error"')
    assert "Denne værdi må højst have 200 tegn (den har 320)." in page[error : error + 300]
    assert f'value="{link}"' in page and 'value="Opfølgning på video"' in page
    assert not Meeting.objects.exists()
    fits = "https://example.com/" + "a" * 180
    assert mette.client().post(url, data | {"video_link": fits}).status_code == 302
    assert Meeting.objects.get().video_link == fits


def test_an_action_deadline_before_today_is_a_field_error_and_today_is_fine(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    lars = personas["lars"]
    assert lars.actor is not None
    url = reverse("partnerships:together", args=[partnership.pk])
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    data = {"do": "action", "actor": lars.actor.pk, "title": "Plakater i Nørreby", "owners": [lars.actor.pk]}
    page = lars.client().post(url, data | {"deadline": yesterday}).content.decode()
    error = page.index('id="action_deadline_error"')
    assert "Fristen kan ikke ligge i fortiden." in page[error : error + 300]
    assert 'value="Plakater i Nørreby"' in page and f'value="{yesterday}"' in page
    assert not partnership.actions.exists()
    today = timezone.localdate().isoformat()
    assert lars.client().post(url, data | {"deadline": today}).status_code == 302
    assert partnership.actions.get().deadline == timezone.localdate()


def test_too_many_priority_points_are_refused_with_the_numbers_kept(
    busy_partnership: Partnership, personas: dict[str, Persona]
) -> None:
    lars = personas["lars"]
    assert lars.actor is not None
    first = AgendaItem.objects.get()
    second = services.add_agenda_item(
        user=lars.user, partnership=busy_partnership, by_actor=lars.actor, title="Lys på stien"
    )
    url = reverse("partnerships:agenda_priorities", args=[busy_partnership.pk])
    refused = lars.client().post(url, {f"points-{first.pk}": "4", f"points-{second.pk}": "3"})
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "Hver aktør har 5 point at fordele; du gav 7." in page
    assert 'id="error-summary"' in page and "<title>Fejl: " in page
    assert f'name="points-{first.pk}" value="4"' in page and f'name="points-{second.pk}" value="3"' in page
    assert not AgendaPriority.objects.exists()
    not_a_number = lars.client().post(url, {f"points-{first.pk}": "to", f"points-{second.pk}": "2"}).content.decode()
    assert "Indtast et heltal." in not_a_number and 'value="to"' in not_a_number and 'value="2"' in not_a_number
    assert not AgendaPriority.objects.exists()
    assert lars.client().post(url, {f"points-{first.pk}": "2", f"points-{second.pk}": "3"}).status_code == 302
    assert sorted(AgendaPriority.objects.values_list("points", flat=True)) == [2, 3]


def test_a_new_proposal_suggests_a_deadline_a_week_on(partnership: Partnership, personas: dict[str, Persona]) -> None:
    page = personas["lars"].client().get(reverse("partnerships:proposals", args=[partnership.pk])).content.decode()
    week = (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%d")
    assert re.search(rf'name="deadline"[^>]*value="{week}T\d\d:\d\d"', page)
    refused = (
        personas["lars"]
        .client()
        .post(
            reverse("partnerships:proposals", args=[partnership.pk]),
            {"title": "Lys", "text": "Lys på stien", "deadline": ""},
        )
    )
    assert "Vælg en frist for indsigelser." in refused.content.decode()


def test_the_proposer_is_told_they_count_as_consenting_and_the_others_are_not(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    proposal = make_proposal(personas["lars"], partnership)
    told = "Din aktør har stillet forslaget, så den tæller som samtykkende."
    assert told in personas["lars"].client().get(proposal.get_absolute_url()).content.decode()
    assert told not in personas["jens"].client().get(proposal.get_absolute_url()).content.decode()


def test_the_facilitator_role_is_not_handed_to_the_actor_that_holds_it(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    from samskab.accounts.models import Notification
    from samskab.partnerships.models import FacilitatorChange

    fie = personas["fie"]
    assert fie.actor is not None
    url = reverse("partnerships:facilitator", args=[partnership.pk])
    told = fie.client().post(url, {"to_actor": fie.actor.pk}, follow=True).content.decode()
    assert f"{fie.actor.name} er allerede facilitator." in told
    assert not FacilitatorChange.objects.exists() and not Notification.objects.filter(kind="process").exists()
