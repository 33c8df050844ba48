"""The learn end of the cycle: lessons learned, the learn page, and closing a partnership together.

"Unge i Vollsmose" was started by Fie's volunteer centre; Mette's municipal unit, Lars's sports club, Sofie and
Jens's grocery store are members, Nora's garden association is not. Lars writes down that the Friday hall worked,
Mette what did not; each actor's people withdraw only their own. Fie proposes closing the partnership; when nobody
objects it closes, and everything written stays readable while nothing more can be added, until Lars reopens it,
saying why. Anne's staff write down lessons in their own process, each colleague their own.
"""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy, ngettext

from samskab.accounts.models import Notification, NotificationKind, User
from samskab.actors.models import Membership, ResourceKind
from samskab.partnerships import services
from samskab.partnerships.forms import LessonForm
from samskab.partnerships.models import (
    Action,
    AgendaItem,
    ClosingChange,
    Decision,
    Lesson,
    Partnership,
    Phase,
    Pledge,
    Proposal,
)
from samskab.partnerships.models.learning import LESSON_MAX_LENGTH
from samskab.partnerships.services.core import CLOSE_PENDING, PARTNERSHIP_CLOSED
from samskab.partnerships.services.learning import ONLY_THE_WRITERS
from samskab.surveys.models import Wave

from .conftest import PASSWORD, Persona
from .test_api import API, bearer
from .test_surveys import close as close_round
from .test_surveys import later_wave
from .test_surveys import start as start_survey

pytestmark = pytest.mark.django_db

WORKED = "Fredagsåben hal virkede: de unge kom, fordi de selv bestemte, hvad der skulle ske."
DID_NOT_WORK = "Nøglerne til hallen tog fem uger at få på plads med forvaltningen."


def danish(message: Any) -> str:
    with translation.override("da"):
        return str(message)


def page(response: Any) -> str:
    return " ".join(response.content.decode().split())


def learn_url(partnership: Partnership) -> str:
    return reverse("partnerships:learn", args=[partnership.pk])


def share(persona: Persona, partnership: Partnership, kind: str, text: str) -> Any:
    return persona.client().post(learn_url(partnership), {"do": "lesson", "kind": kind, "text": text})


def respond(persona: Persona, proposal: Proposal, kind: str = "consent", reason: str = "") -> Any:
    data = {"do": "respond", "version": 1, "kind": kind, "reason": reason}
    return persona.client().post(proposal.get_absolute_url(), data)


def close_together(partnership: Partnership, personas: dict[str, Persona], note: str = "") -> Proposal:
    """Fie proposes closing from the learn page; the other four consent on the proposal's page."""
    proposed = personas["fie"].client().post(learn_url(partnership), {"do": "close", "note": note})
    proposal = Proposal.objects.get(partnership=partnership, kind=Proposal.Kind.CLOSE, status=Proposal.Status.OPEN)
    assert proposed.status_code == 302 and proposed["Location"] == proposal.get_absolute_url()
    for name in ("mette", "lars", "sofie", "jens"):
        assert respond(personas[name], proposal).status_code == 302
    proposal.refresh_from_db()
    return proposal


def writes_counted(partnership: Partnership) -> tuple[int, ...]:
    return (
        Lesson.objects.filter(partnership=partnership).count(),
        AgendaItem.objects.filter(partnership=partnership).count(),
        Proposal.objects.filter(partnership=partnership).count(),
        Action.objects.filter(partnership=partnership).count(),
        Pledge.objects.filter(partnership=partnership).count(),
        Decision.objects.filter(partnership=partnership).count(),
        ClosingChange.objects.filter(partnership=partnership).count(),
    )


# --- Lessons ---------------------------------------------------------------------------------------------------


def test_members_share_lessons_in_any_phase_and_everyone_reads_them_by_kind(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    lars, mette, jens = personas["lars"], personas["mette"], personas["jens"]
    assert partnership.phase == Phase.DEFINE  # not the learn phase: a lesson can be written down any time
    shared = share(lars, partnership, "worked", f"  {WORKED}  ")
    lesson = Lesson.objects.get()
    assert shared.status_code == 302 and shared["Location"] == f"{learn_url(partnership)}#erfaring-{lesson.pk}"
    assert (lesson.actor, lesson.user, lesson.kind, lesson.text) == (lars.actor, lars.user, "worked", WORKED)
    assert share(mette, partnership, "did_not_work", DID_NOT_WORK).status_code == 302

    # Everyone else taking part is told, with the lesson's beginning and a link to it; never the writer's own actor.
    told = Notification.objects.filter(text__contains="Fredagsåben hal virkede")
    assert {n.user.email for n in told} == {
        "fie@frivillig.dk",
        "mette@kommune.dk",
        "sofie@example.dk",
        "jens@kobmand.dk",
    }
    assert {n.kind for n in told} == {NotificationKind.LESSON}
    assert told[0].url == f"{learn_url(partnership)}#erfaring-{lesson.pk}"
    assert told[0].text.startswith("Vollsmose Boldklub")

    # A visitor reads them, grouped by kind, with the actor each was written for; and cannot add one.
    visitor = page(Client().get(learn_url(partnership)))
    with translation.override("da"):
        worked, did_not = str(Lesson.Kind.WORKED.label), str(Lesson.Kind.DID_NOT_WORK.label)
    assert visitor.index(worked) < visitor.index(WORKED) < visitor.index(did_not) < visitor.index(DID_NOT_WORK)
    assert "Vollsmose Boldklub" in visitor and 'value="lesson"' not in visitor
    assert 'value="withdraw"' not in visitor

    # Jens sees the form, and no button to withdraw the others' lessons.
    member = page(jens.client().get(learn_url(partnership)))
    assert 'name="do" value="lesson"' in member and 'value="withdraw"' not in member

    # The challenge's page shows them under what came of it; the API lists them.
    challenge = page(Client().get(partnership.challenge.get_absolute_url()))  # type: ignore[union-attr]
    assert WORKED in challenge and DID_NOT_WORK in challenge and learn_url(partnership) in challenge
    listed = Client().get(f"{API}/partnerships/{partnership.pk}/lessons").json()
    assert [(row["kind"], row["text"], row["actor"]["name"]) for row in listed] == [
        ("worked", WORKED, "Vollsmose Boldklub"),
        ("did_not_work", DID_NOT_WORK, "Center for Samskabelse"),
    ]
    assert listed[0]["withdrawn_at"] is None and listed[0]["person"] is None


@pytest.mark.parametrize("who", ["lars", "mette"])
def test_an_association_and_a_municipal_member_have_the_same_rights(
    who: str, partnership: Partnership, personas: dict[str, Persona]
) -> None:
    """Lars's sports club and Mette's municipal unit each share a lesson, withdraw it, propose closing the partnership
    and reopen it: the same pages, the same outcome, whatever the sector."""
    persona = personas[who]
    assert share(persona, partnership, "next_time", "Spørg de unge først.").status_code == 302
    lesson = Lesson.objects.get(partnership=partnership)
    assert lesson.actor == persona.actor
    withdrawn = persona.client().post(learn_url(partnership), {"do": "withdraw", "lesson": lesson.pk})
    assert withdrawn.status_code == 302
    lesson.refresh_from_db()
    assert lesson.withdrawn_at is not None and lesson.withdrawn_by_user == persona.user

    proposed = persona.client().post(learn_url(partnership), {"do": "close", "note": "Arbejdet er gjort."})
    proposal = Proposal.objects.get(kind=Proposal.Kind.CLOSE)
    assert proposed.status_code == 302 and proposal.proposed_by == persona.actor
    assert "Arbejdet er gjort." in proposal.current_version().text
    for name in ("fie", "mette", "lars", "sofie", "jens"):
        if name != who:
            respond(personas[name], proposal)
    partnership.refresh_from_db()
    assert partnership.closed_at is not None

    reopened = persona.client().post(learn_url(partnership), {"do": "reopen", "reason": "Vi tager en runde mere."})
    assert reopened.status_code == 302 and reopened["Location"] == partnership.get_absolute_url()
    partnership.refresh_from_db()
    assert partnership.closed_at is None
    change = ClosingChange.objects.filter(closed=False).get()
    assert (change.by_actor, change.user, change.reason) == (persona.actor, persona.user, "Vi tager en runde mere.")


def test_an_empty_or_too_long_lesson_is_refused_with_the_text_kept_and_nothing_saved(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    lars = personas["lars"]
    before = Notification.objects.count()

    empty = page(share(lars, partnership, "worked", "   "))
    assert danish(LessonForm.base_fields["text"].error_messages["required"]) in empty

    long_text = "Hallen " + "x" * LESSON_MAX_LENGTH
    too_long = share(lars, partnership, "worked", long_text)
    assert too_long.status_code == 200
    body = too_long.content.decode()
    assert long_text in body  # kept in the field, to shorten
    assert f"{LESSON_MAX_LENGTH}" in body and f"{len(long_text)}" in body

    no_kind = page(share(lars, partnership, "", WORKED))
    assert WORKED in no_kind and 'id="error-summary"' in no_kind
    unknown = share(lars, partnership, "everything", WORKED)
    assert unknown.status_code == 200

    headers = bearer(lars)
    url = f"{API}/partnerships/{partnership.pk}/lessons"
    assert Client().post(url, {"kind": "worked", "text": ""}, "application/json", headers=headers).status_code == 422
    blank = Client().post(url, {"kind": "worked", "text": "   "}, "application/json", headers=headers)
    assert blank.status_code == 422 and blank.json()["detail"][0]["loc"][-1] == "text"
    over = Client().post(url, {"kind": "worked", "text": long_text}, "application/json", headers=headers)
    assert over.status_code == 422
    wrong = Client().post(url, {"kind": "maybe", "text": WORKED}, "application/json", headers=headers)
    assert wrong.status_code == 422
    extra = Client().post(url, {"kind": "worked", "text": WORKED, "rating": 5}, "application/json", headers=headers)
    assert extra.status_code == 422  # the shared InputSchema refuses fields it does not know

    assert not Lesson.objects.exists()
    assert Notification.objects.count() == before


def test_only_the_writers_actor_withdraws_a_lesson_and_it_stays_on_record(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    lars, jens, nora = personas["lars"], personas["jens"], personas["nora"]
    share(lars, partnership, "worked", WORKED)
    lesson = Lesson.objects.get()
    withdraw = {"do": "withdraw", "lesson": lesson.pk}

    refused = jens.client().post(learn_url(partnership), withdraw)
    assert refused.status_code == 403 and danish(ONLY_THE_WRITERS) in refused.content.decode()
    assert nora.client().post(learn_url(partnership), withdraw).status_code == 403
    assert Client().post(learn_url(partnership), withdraw).status_code == 403
    api = f"{API}/partnerships/{partnership.pk}/lessons/{lesson.pk}/withdraw"
    assert Client().post(api, headers=bearer(jens)).status_code == 403
    assert Client().post(api, headers=bearer(nora)).status_code == 403
    lesson.refresh_from_db()
    assert lesson.withdrawn_at is None

    done = Client().post(api, headers=bearer(lars))
    assert done.status_code == 200 and done.json()["withdrawn_at"] is not None
    lesson.refresh_from_db()
    when = lesson.withdrawn_at
    again = Client().post(api, headers=bearer(lars))  # a second click changes nothing
    assert again.status_code == 200
    lesson.refresh_from_db()
    assert lesson.withdrawn_at == when and lesson.withdrawn_by_user == lars.user

    # On record, marked, and no longer shown as something learned.
    reader = page(Client().get(learn_url(partnership)))
    assert WORKED in reader.split("<details", 1)[1]  # only in the folded list of withdrawn lessons
    challenge = page(Client().get(partnership.challenge.get_absolute_url()))  # type: ignore[union-attr]
    assert WORKED not in challenge
    other = Client().post(f"{API}/partnerships/{partnership.pk}/lessons/999999/withdraw", headers=bearer(lars))
    assert other.status_code == 404


def test_a_withdrawn_lesson_is_restored_by_those_who_may_withdraw_it(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    lars, jens = personas["lars"], personas["jens"]
    share(lars, partnership, "worked", WORKED)
    lesson = Lesson.objects.get()
    told = Notification.objects.count()
    withdrawn = lars.client().post(learn_url(partnership), {"do": "withdraw", "lesson": lesson.pk}, follow=True)
    # Withdrawing is undone rather than confirmed: the message says where, and the page lands on the lesson.
    assert withdrawn.redirect_chain[-1][0].endswith(f"#erfaring-{lesson.pk}")
    folded = page(withdrawn).split("<details", 1)[1]
    assert WORKED in folded and f'id="erfaring-{lesson.pk}"' in folded and 'value="restore"' in folded
    assert "Erfaringer, der er trukket tilbage" in page(withdrawn).split('class="alert', 1)[1].split("</div>", 1)[0]
    assert 'value="restore"' not in page(jens.client().get(learn_url(partnership)))  # not his actor's lesson

    restore = {"do": "restore", "lesson": lesson.pk}
    assert jens.client().post(learn_url(partnership), restore).status_code == 403
    assert Client().post(f"{API}/partnerships/{partnership.pk}/lessons/{lesson.pk}/restore").status_code == 401
    api = f"{API}/partnerships/{partnership.pk}/lessons/{lesson.pk}/restore"
    assert Client().post(api, headers=bearer(jens)).status_code == 403
    lesson.refresh_from_db()
    assert lesson.withdrawn_at is not None

    restored = lars.client().post(learn_url(partnership), restore, follow=True)
    lesson.refresh_from_db()
    assert lesson.withdrawn_at is None and lesson.withdrawn_by_user is None
    assert "<details" not in page(restored) and WORKED in page(restored)
    assert WORKED in page(Client().get(partnership.challenge.get_absolute_url()))  # type: ignore[union-attr]
    again = Client().post(api, headers=bearer(lars))  # a second click changes nothing
    assert again.status_code == 200 and again.json()["withdrawn_at"] is None
    assert Notification.objects.count() == told  # nobody is told again


def test_in_a_staff_process_each_colleague_withdraws_only_their_own_lesson(
    anne: Persona, omar: Persona, involvement: Partnership
) -> None:
    camilla = Persona(User.objects.get(email="camilla@skole.dk"), anne.actor)
    thomas = Persona(User.objects.get(email="thomas@skole.dk"), anne.actor)
    assert share(camilla, involvement, "worked", "Blokkene gav tid til fordybelse.").status_code == 302
    lesson = Lesson.objects.get()
    assert lesson.user == camilla.user
    notified = Notification.objects.filter(text__contains="Blokkene gav tid")
    assert "camilla@skole.dk" not in {n.user.email for n in notified}
    assert "thomas@skole.dk" in {n.user.email for n in notified}  # a colleague of the same actor is told
    assert notified[0].text.startswith("Camilla")  # the person, where each person has a voice

    withdraw = {"do": "withdraw", "lesson": lesson.pk}
    assert thomas.client().post(learn_url(involvement), withdraw).status_code == 403
    lesson.refresh_from_db()
    assert lesson.withdrawn_at is None
    assert anne.client().post(learn_url(involvement), withdraw).status_code == 302  # she acts for the workplace
    lesson.refresh_from_db()
    assert lesson.withdrawn_by_user == anne.user
    assert Client().get(f"{API}/partnerships/{involvement.pk}/lessons").status_code == 404  # members only


# --- The learn page ---------------------------------------------------------------------------------------------


def test_the_learn_page_shows_what_came_of_it_and_asks_for_a_follow_up_round(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    fie, lars, nora = personas["fie"], personas["lars"], personas["nora"]
    assert fie.actor is not None and lars.actor is not None
    done = services.create_action(
        user=fie.user, partnership=partnership, by_actor=fie.actor, title="Åbn hallen", owners=[lars.actor]
    )
    services.update_action_status(user=lars.user, action=done, by_actor=lars.actor, status="done")
    late = services.create_action(
        user=fie.user, partnership=partnership, by_actor=fie.actor, title="Find frivillige", owners=[fie.actor]
    )
    Action.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - timedelta(days=3))
    services.pledge(
        user=lars.user, partnership=partnership, actor=lars.actor, kind="premises", description="Hallen fredag"
    )
    services.propose(
        user=fie.user,
        partnership=partnership,
        by_actor=fie.actor,
        title="Fredagsåben hal",
        text="Vi åbner hallen fredag aften.",
        deadline=timezone.now() + timedelta(days=2),
    )
    proposal = Proposal.objects.get()
    for name in ("mette", "lars", "sofie", "jens"):
        respond(personas[name], proposal)
    survey = start_survey(lars, partnership, instrument="partnership-experience")
    close_round(survey.waves.get())

    prompt = danish(gettext_lazy("Look back together"))
    assert prompt not in page(lars.client().get(partnership.get_absolute_url()))
    services.change_phase(user=fie.user, partnership=partnership, by_actor=fie.actor, to_phase=Phase.LEARN)
    front = page(lars.client().get(partnership.get_absolute_url()))
    assert f"{prompt}</a>" in front and f'<a href="{learn_url(partnership)}">{prompt}' in front  # the phase's prompt
    assert f'href="{learn_url(partnership)}"' in page(
        lars.client().get(reverse("partnerships:agenda", args=[partnership.pk]))
    )

    seen = page(lars.client().get(learn_url(partnership)))
    with translation.override("da"):
        progress = ngettext("%(done)s of %(counter)s action done", "%(done)s of %(counter)s actions done", 2) % {
            "done": 1,
            "counter": 2,
        }
    assert progress in seen
    assert "Find frivillige" in seen and f"#action-{late.pk}" in seen  # overdue
    assert f"#action-{done.pk}" not in seen  # done, not overdue
    with translation.override("da"):
        premises = str(ResourceKind.PREMISES.label)
    assert f'<th scope="row">{premises}</th>' in seen  # what was pledged, by kind
    assert "Fredagsåben hal" in seen and f"#decision-{proposal.decisions.get().pk}" in seen
    results = reverse("surveys:results", args=[survey.pk])
    follow_up = reverse("surveys:wave_create", args=[survey.pk])
    assert results in seen and follow_up in seen

    # A visitor reads the same, without the prompt to run a round; a round planned after the closed one ends it.
    visitor = page(Client().get(learn_url(partnership)))
    assert results in visitor and follow_up not in visitor
    assert follow_up not in page(nora.client().get(learn_url(partnership)))
    later = later_wave(survey, days_ago=1)
    Wave.objects.filter(pk=later.pk).update(closes_at=timezone.now() + timedelta(days=5))
    assert follow_up not in page(lars.client().get(learn_url(partnership)))


def test_the_surveys_of_a_members_only_partnership_are_not_shown_to_an_invited_actor(
    private_partnership: Partnership, personas: dict[str, Persona]
) -> None:
    fie, lars, nora = personas["fie"], personas["lars"], personas["nora"]
    assert fie.actor is not None and nora.actor is not None
    survey = start_survey(lars, private_partnership, instrument="partnership-experience")
    services.invite_actor(user=fie.user, partnership=private_partnership, by_actor=fie.actor, actor=nora.actor)
    invited = nora.client().get(learn_url(private_partnership))
    assert invited.status_code == 200  # she may read the partnership while deciding
    assert survey.title not in invited.content.decode()
    assert survey.title in lars.client().get(learn_url(private_partnership)).content.decode()
    assert Client().get(learn_url(private_partnership)).status_code == 404


def test_the_learn_page_costs_the_same_queries_however_many_lessons(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    def queries() -> int:
        client = personas["lars"].client()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(learn_url(partnership)).status_code == 200
        return len(captured)

    share(personas["lars"], partnership, "worked", WORKED)
    few = queries()
    for name in ("mette", "sofie", "jens", "fie"):
        share(personas[name], partnership, "next_time", f"{name} lærte noget.")
    share(personas["lars"], partnership, "did_not_work", DID_NOT_WORK)
    personas["lars"].client().post(
        learn_url(partnership), {"do": "withdraw", "lesson": Lesson.objects.filter(kind="worked").get().pk}
    )
    assert queries() == few


# --- Closing together, and reopening ----------------------------------------------------------------------------


def test_closing_is_a_consent_decision_and_makes_the_partnership_read_only(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    fie, lars, jens = personas["fie"], personas["lars"], personas["jens"]
    assert fie.actor is not None
    share(lars, partnership, "worked", WORKED)
    pending = services.propose(
        user=fie.user,
        partnership=partnership,
        by_actor=fie.actor,
        title="Lys på stien",
        text="Vi beder kommunen om lys på stien.",
        deadline=timezone.now() + timedelta(days=10),
    )
    proposed = fie.client().post(learn_url(partnership), {"do": "close", "note": "Prøveperioden er slut."})
    proposal = Proposal.objects.get(kind=Proposal.Kind.CLOSE)
    assert proposed["Location"] == proposal.get_absolute_url()
    partnership.refresh_from_db()
    assert partnership.closed_at is None  # not before the others have had their say
    assert "Prøveperioden er slut." in proposal.current_version().text
    assert proposal.get_absolute_url() in page(jens.client().get(learn_url(partnership)))

    # A second proposal to close is refused while the first is open, on the page and in the API.
    again = jens.client().post(learn_url(partnership), {"do": "close", "note": ""})
    assert again["Location"] == proposal.get_absolute_url()
    twice = Client().post(f"{API}/partnerships/{partnership.pk}/close", {}, "application/json", headers=bearer(jens))
    assert twice.status_code == 422 and twice.json()["detail"] == danish(CLOSE_PENDING)
    assert Proposal.objects.filter(kind=Proposal.Kind.CLOSE).count() == 1
    listed = Client().get(f"{API}/partnerships/{partnership.pk}/proposals").json()
    assert {row["kind"] for row in listed} == {"close", "general"}

    for name in ("mette", "lars", "sofie", "jens"):
        respond(personas[name], proposal)
    partnership.refresh_from_db()
    decision = proposal.decisions.get()
    assert partnership.closed_at == decision.decided_at and partnership.closing_decision == decision
    logged = ClosingChange.objects.get()
    assert (logged.closed, logged.by_actor, logged.decision) == (True, fie.actor, decision)
    pending.refresh_from_db()
    assert pending.status == Proposal.Status.WITHDRAWN  # silence must not pass it now nobody can object
    told = Notification.objects.filter(kind=NotificationKind.DECISION, text__contains="Lys på stien")
    assert {n.user.email for n in told} == {p.user.email for p in personas.values() if p is not personas["nora"]}

    # Everything stays readable, marked closed; the forms are gone.
    front = page(jens.client().get(partnership.get_absolute_url()))
    assert 'href="' + reverse("partnerships:edit", args=[partnership.pk]) + '"' not in front
    assert reverse("partnerships:phase", args=[partnership.pk]) not in front
    learn = page(jens.client().get(learn_url(partnership)))
    assert WORKED in learn and 'value="lesson"' not in learn and 'value="close"' not in learn
    agenda = page(jens.client().get(reverse("partnerships:agenda", args=[partnership.pk])))
    assert 'name="title"' not in agenda
    challenge = page(Client().get(partnership.challenge.get_absolute_url()))  # type: ignore[union-attr]
    with translation.override("da"):
        closed_on = gettext("Closed on %(date)s") % {"date": ""}
    assert closed_on.strip() in challenge

    # The list shows partnerships at work by default; the closed ones on asking, marked.
    listed_page = page(Client().get(reverse("partnerships:list")))
    assert partnership.get_absolute_url() not in listed_page
    closed_page = page(Client().get(reverse("partnerships:list"), {"status": "closed"}))
    assert partnership.get_absolute_url() in closed_page and closed_on.strip() in closed_page
    data = Client().get(f"{API}/partnerships/{partnership.pk}").json()
    assert data["closed_at"] is not None and data["closing_decision_id"] == decision.pk
    assert Client().get(f"{API}/partnerships", {"closed": "false"}).json()["count"] == 0
    assert Client().get(f"{API}/partnerships", {"closed": "true"}).json()["count"] == 1


def test_closing_cancels_the_meetings_to_come_and_answers_who_waits_to_join(
    partnership: Partnership, personas: dict[str, Persona], odense: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """A closed partnership meets no more and takes nobody in: the meeting planned for next week is cancelled (the
    calendar file cancels it), the waiting invitation no longer stands and the waiting request to join is closed,
    each told to the actor's administrators, instead of a refusal when they answer."""
    from samskab.actors import services as actors
    from samskab.partnerships.models import JoinRequest, Meeting, PartnershipInvitation

    from .conftest import make_user

    fie, nora = personas["fie"], personas["nora"]
    assert fie.actor is not None and nora.actor is not None
    start = timezone.now() + timedelta(days=7)
    meeting, under_way = (
        services.schedule_meeting(
            user=fie.user,
            partnership=partnership,
            by_actor=fie.actor,
            title=title,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            place="Klubhuset",
        )
        for title in ("Opfølgning", "Møde nu")
    )
    Meeting.objects.filter(pk=under_way.pk).update(
        starts_at=timezone.now() - timedelta(minutes=30), ends_at=timezone.now() + timedelta(minutes=90)
    )
    invitation = services.invite_actor(user=fie.user, partnership=partnership, by_actor=fie.actor, actor=nora.actor)
    asker = make_user("birte@example.dk", "Birte")
    club = actors.create_actor(user=asker, sector="association", name="Birtes Strikkeklub", municipality=odense)
    request = services.ask_to_join(user=asker, partnership=partnership, actor=club)
    Notification.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        close_together(partnership, personas)

    meeting = Meeting.objects.get(pk=meeting.pk)
    assert meeting.is_cancelled and "afsluttet ved samtykke" in meeting.cancel_reason
    assert not Meeting.objects.get(pk=under_way.pk).is_cancelled  # the meeting under way is held to its end
    told = Notification.objects.filter(kind=NotificationKind.MEETING, user=personas["lars"].user).get()
    assert "Mødet “Opfølgning”" in told.text and "er aflyst" in told.text
    assert PartnershipInvitation.objects.get(pk=invitation.pk).status == PartnershipInvitation.Status.WITHDRAWN
    assert Notification.objects.filter(
        user=nora.user, kind=NotificationKind.INVITATION, text__contains="afsluttet"
    ).exists()
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.DECLINED and "afsluttet ved samtykke" in request.reason
    assert Notification.objects.filter(
        user=asker, kind=NotificationKind.MEMBERSHIP, text__contains="afsluttet"
    ).exists()
    invitations = page(nora.client().get(reverse("partnerships:invitations")))
    assert reverse("partnerships:respond", args=[invitation.pk]) not in invitations


def test_every_write_in_a_closed_partnership_is_refused_and_nothing_is_half_saved(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    fie, lars, nora = personas["fie"], personas["lars"], personas["nora"]
    assert lars.actor is not None and fie.actor is not None
    share(lars, partnership, "worked", WORKED)
    lesson = Lesson.objects.get()
    close_together(partnership, personas)
    before = writes_counted(partnership)
    refusal = danish(PARTNERSHIP_CLOSED)
    assert refusal.startswith("Partnerskabet er afsluttet") or refusal.startswith("The partnership is closed")

    client = lars.client()
    for url, data in [
        (reverse("partnerships:agenda", args=[partnership.pk]), {"title": "Nyt punkt"}),
        (learn_url(partnership), {"do": "lesson", "kind": "worked", "text": "Mere"}),
        (learn_url(partnership), {"do": "withdraw", "lesson": lesson.pk}),
        (learn_url(partnership), {"do": "close"}),
        (reverse("partnerships:together", args=[partnership.pk]), {"do": "action", "title": "Noget"}),
        (reverse("partnerships:phase", args=[partnership.pk]), {"phase": "act"}),
        (reverse("partnerships:edit", args=[partnership.pk]), {"title": "Nyt navn", "visibility": "public"}),
    ]:
        refused = client.post(url, data)
        assert refused.status_code == 403, url
        assert refusal in refused.content.decode(), url
    assert client.get(reverse("partnerships:edit", args=[partnership.pk])).status_code == 403

    headers = bearer(lars)
    base = f"{API}/partnerships/{partnership.pk}"
    deadline = (timezone.now() + timedelta(days=3)).isoformat()
    for path, body in [
        ("/lessons", {"kind": "worked", "text": "Mere"}),
        (f"/lessons/{lesson.pk}/withdraw", None),
        ("/agenda", {"title": "Nyt punkt"}),
        ("/proposals", {"title": "Nyt", "text": "Nyt forslag", "deadline": deadline}),
        ("/pledges", {"kind": "premises", "description": "Hallen"}),
        ("/actions", {"title": "Noget", "owner_ids": [lars.actor.pk]}),
        ("/phase", {"phase": "act"}),
        ("/invitations", {"invitee_id": nora.actor.pk}),  # type: ignore[union-attr]
        ("/close", {}),
    ]:
        answer = Client().post(base + path, body or {}, "application/json", headers=headers)
        assert answer.status_code == 403, path
        assert answer.json()["detail"] == refusal, path
    assert writes_counted(partnership) == before
    lesson.refresh_from_db()
    assert lesson.withdrawn_at is None
    partnership.refresh_from_db()
    assert (partnership.phase, partnership.title) == (Phase.DEFINE, "Unge i Vollsmose")
    assert not partnership.invitations.exists()


def test_reopening_needs_a_reason_and_a_closed_partnership(
    partnership: Partnership, personas: dict[str, Persona], anne: Persona, involvement: Partnership
) -> None:
    lars, nora, jens = personas["lars"], personas["nora"], personas["jens"]
    reopen = {"do": "reopen", "reason": "Vi fortsætter med sommerferien."}

    # An open partnership has nothing to reopen.
    assert lars.client().post(learn_url(partnership), reopen)["Location"] == learn_url(partnership)
    api = f"{API}/partnerships/{partnership.pk}/reopen"
    open_one = Client().post(api, {"reason": "Igen"}, "application/json", headers=bearer(lars))
    assert open_one.status_code == 422
    assert not ClosingChange.objects.exists()

    close_together(partnership, personas)
    closed_at = Partnership.objects.get(pk=partnership.pk).closed_at
    before = Notification.objects.count()

    # Without a reason: refused at the field, nothing changed.
    empty = lars.client().post(learn_url(partnership), {"do": "reopen", "reason": "  "})
    assert empty.status_code == 200 and 'id="error-summary"' in empty.content.decode()
    assert Client().post(api, {"reason": " "}, "application/json", headers=bearer(lars)).status_code == 422
    assert Client().post(api, {}, "application/json", headers=bearer(lars)).status_code == 422
    too_long = Client().post(api, {"reason": "x" * 1001}, "application/json", headers=bearer(lars))
    assert too_long.status_code == 422
    # Not a member, or not signed in: refused.
    assert nora.client().post(learn_url(partnership), reopen).status_code == 403
    assert Client().post(api, {"reason": "Igen"}, "application/json", headers=bearer(nora)).status_code == 403
    assert Partnership.objects.get(pk=partnership.pk).closed_at == closed_at
    assert ClosingChange.objects.filter(closed=False).count() == 0
    assert Notification.objects.count() == before

    # The form is offered on the learn page; reopening takes effect at once, logged, the others told why.
    assert 'value="reopen"' in lars.client().get(learn_url(partnership)).content.decode()
    answer = Client().post(api, {"reason": "Vi fortsætter med sommerferien."}, "application/json", headers=bearer(lars))
    assert answer.status_code == 200 and answer.json()["closed_at"] is None
    partnership.refresh_from_db()
    assert partnership.closed_at is None and partnership.closing_decision is None
    told = Notification.objects.filter(kind=NotificationKind.DECISION, text__contains="Vi fortsætter med sommerferien")
    assert "lars@boldklub.dk" not in {n.user.email for n in told}
    assert {"fie@frivillig.dk", "jens@kobmand.dk", "mette@kommune.dk", "sofie@example.dk"} == {
        n.user.email for n in told
    }
    assert share(jens, partnership, "next_time", "Start med de unge.").status_code == 302  # writing works again
    history = page(jens.client().get(learn_url(partnership)))
    assert "Vi fortsætter med sommerferien." in history

    # In a staff process, a colleague takes part but does not reopen it; those who act for the workplace do.
    services.propose_closing(user=anne.user, partnership=involvement, by_actor=anne.actor)  # type: ignore[arg-type]
    involvement.refresh_from_db()
    proposal = involvement.proposals.get(kind=Proposal.Kind.CLOSE)
    for membership in Membership.objects.filter(actor=anne.actor).exclude(user=anne.user).select_related("user"):
        respond(Persona(membership.user, anne.actor), proposal)
    involvement.refresh_from_db()
    assert involvement.closed_at is not None
    camilla = Persona(User.objects.get(email="camilla@skole.dk"), anne.actor)
    assert camilla.client().post(learn_url(involvement), reopen).status_code == 403
    assert 'value="reopen"' not in camilla.client().get(learn_url(involvement)).content.decode()
    assert anne.client().post(learn_url(involvement), reopen).status_code == 302


def test_a_partnership_with_one_member_closes_at_once(odense: Any, fie: Persona) -> None:
    assert fie.actor is not None
    alone = services.start_partnership(user=fie.user, actor=fie.actor, challenge=None, title="Kun os")
    answer = Client().post(
        f"{API}/partnerships/{alone.pk}/close", {"note": "Færdig"}, "application/json", headers=bearer(fie)
    )
    assert answer.status_code == 201 and answer.json()["kind"] == "close" and answer.json()["status"] == "passed"
    alone.refresh_from_db()
    assert alone.closed_at is not None


def test_closing_and_lessons_are_in_the_openapi_description(db: None) -> None:
    spec = Client().get(f"{API}/openapi.json").json()
    for path in (
        "/api/v1/partnerships/{partnership_id}/lessons",
        "/api/v1/partnerships/{partnership_id}/lessons/{lesson_id}/withdraw",
        "/api/v1/partnerships/{partnership_id}/close",
        "/api/v1/partnerships/{partnership_id}/reopen",
    ):
        assert path in spec["paths"], path
    assert "closed_at" in spec["components"]["schemas"]["PartnershipOut"]["properties"]


# --- Personal data ----------------------------------------------------------------------------------------------


def test_lessons_are_in_the_download_and_stay_anonymised_when_the_account_goes(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    sofie = personas["sofie"]
    share(sofie, partnership, "next_time", "Spørg de unge først.")
    data = json.loads(sofie.client().get(reverse("accounts:download_data")).content)
    assert [(row["kind"], row["text"]) for row in data["partnerships"]["lessons"]] == [
        ("next_time", "Spørg de unge først.")
    ]
    close_together(partnership, personas)

    # Her own citizen actor leaves the closed partnership as any member leaves: deletion is never refused.
    deleted = sofie.client().post(reverse("accounts:delete_account"), {"password": PASSWORD})
    assert deleted.status_code == 302
    assert not User.objects.filter(email="sofie@example.dk").exists()
    lesson = Lesson.objects.get()
    assert lesson.user is None and lesson.text == "Spørg de unge først."
    assert not partnership.members.filter(actor=sofie.actor).exists()
    partnership.refresh_from_db()
    assert partnership.closed_at is not None  # leaving did not reopen it


def test_a_closed_partnership_closes_its_conversations_and_takes_no_new_survey_round_or_member(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    from django.core.exceptions import PermissionDenied

    from samskab.opinions import services as opinions
    from samskab.opinions.models import Conversation
    from samskab.surveys import services as surveys

    fie, lars, nora = personas["fie"], personas["lars"], personas["nora"]
    assert fie.actor is not None and lars.actor is not None and nora.actor is not None
    conversation = opinions.start_conversation(
        user=fie.user, actor=fie.actor, partnership=partnership, question="Hvad er problemet?", seed_statements=["Et"]
    )
    survey = start_survey(lars, partnership)
    invitation = services.invite_actor(user=lars.user, partnership=partnership, by_actor=lars.actor, actor=nora.actor)
    close_together(partnership, personas)
    partnership.refresh_from_db()
    assert partnership.closed_at is not None

    conversation.refresh_from_db()
    assert not conversation.is_open and conversation.closed_at == partnership.closed_at
    shown = page(Client().get(conversation.get_absolute_url()))
    assert "Samtalen blev lukket sammen med partnerskabet" in shown
    refused = danish(PARTNERSHIP_CLOSED)
    with pytest.raises(PermissionDenied, match=refused[:40]):
        opinions.set_open(user=fie.user, conversation=conversation, is_open=True)
    with pytest.raises(PermissionDenied, match=refused[:40]):
        opinions.start_conversation(user=fie.user, actor=fie.actor, partnership=partnership, question="Igen?")
    from samskab.opinions.exchange import import_files

    with pytest.raises(PermissionDenied, match=refused[:40]):  # nor brought in from Polis
        import_files(user=fie.user, actor=fie.actor, partnership=partnership, question="Fra Polis", files={})
    assert Conversation.objects.filter(partnership=partnership).count() == 1

    later = timezone.now() + timedelta(days=30)
    with pytest.raises(PermissionDenied):
        surveys.add_wave(user=lars.user, survey=survey, kind=Wave.Kind.FOLLOW_UP, opens_at=later, closes_at=later)
    with pytest.raises(PermissionDenied):
        start_survey(lars, partnership)
    assert survey.waves.count() == 1  # the round planned before closing runs on
    # The waiting invitation was withdrawn by the closing: accepting it now answers nothing and joins nobody.
    assert services.respond_to_invitation(user=nora.user, invitation=invitation, accept=True).status == "withdrawn"
    assert not partnership.is_member(nora.actor)


# --- Nothing offered in vain while closed ------------------------------------------------------------------------


def _card_of(listing: str, title: str) -> str:
    """The challenge card with `title` in a list of cards."""
    return listing.split(title, 1)[1].split("</li>", 1)[0]


def test_a_closed_partnerships_conversation_is_neither_changed_nor_reopened(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    from samskab.opinions import services as opinions

    fie = personas["fie"]
    assert fie.actor is not None
    conversation = opinions.start_conversation(
        user=fie.user, actor=fie.actor, partnership=partnership, question="Hvad er problemet?", seed_statements=["Et"]
    )
    change_url = reverse("opinions:change", args=[conversation.pk])
    client = fie.client()
    assert change_url in page(client.get(conversation.get_absolute_url()))  # Fie facilitates it
    close_together(partnership, personas)
    refusal = danish(PARTNERSHIP_CLOSED)

    # Her page offers neither "Ret samtalen" nor "Åbn samtalen igen", and says once why.
    shown = page(client.get(conversation.get_absolute_url()))
    assert change_url not in shown and 'name="open" value="1"' not in shown
    assert shown.count(refusal) == 1

    # The form page and a change sent from a page opened before the closing are refused, nothing changed.
    opened = client.get(change_url)
    assert opened.status_code == 403 and refusal in page(opened)
    sent = client.post(change_url, {"question": "Hvad er det egentlige problem?", "description": "Nyt"})
    assert sent.status_code == 403 and refusal in page(sent)
    reopened = client.post(reverse("opinions:set_open", args=[conversation.pk]), {"open": "1"})
    assert reopened.status_code == 403 and refusal in page(reopened)
    api = Client().post(
        f"{API}/conversations/{conversation.pk}/open", {"is_open": True}, "application/json", headers=bearer(fie)
    )
    assert api.status_code == 403 and api.json()["detail"] == refusal
    conversation.refresh_from_db()
    assert (conversation.question, conversation.description, conversation.is_open) == ("Hvad er problemet?", "", False)


def test_a_closed_partnership_offers_no_new_conversation_and_no_draft_to_save(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    from samskab.opinions.models import Conversation, ProblemDefinition

    lars = personas["lars"]
    client = lars.client()
    listing_url = reverse("opinions:list", args=[partnership.pk])
    create_url = reverse("opinions:create", args=[partnership.pk])
    definition_url = reverse("opinions:problem_definition", args=[partnership.pk])
    assert create_url in page(client.get(listing_url))
    draft = {"action": "save", "text": "De unge mangler et sted at være.", "seen": ""}
    assert client.post(definition_url, draft).status_code == 302
    close_together(partnership, personas)
    refusal = danish(PARTNERSHIP_CLOSED)

    # "Åbn en samtale" is gone from the list, said once instead; its form page answers 403 with the reason.
    listing = page(client.get(listing_url))
    assert create_url not in listing and listing.count(refusal) == 1
    assert refusal not in page(Client().get(listing_url))  # a visitor was offered nothing to begin with
    opened = client.get(create_url)
    assert opened.status_code == 403 and refusal in page(opened)
    sent = client.post(create_url, {"question": "Hvad nu?", "description": "", "seed_statements": ""})
    assert sent.status_code == 403 and refusal in page(sent)
    api = Client().post(
        f"{API}/partnerships/{partnership.pk}/conversations",
        {"question": "Hvad nu?"},
        "application/json",
        headers=bearer(lars),
    )
    assert api.status_code == 403 and api.json()["detail"] == refusal
    assert not Conversation.objects.filter(partnership=partnership).exists()

    # The draft is read, not offered to edit; "Gem udkastet" sent from a page opened before is refused.
    definition = page(client.get(definition_url))
    assert "De unge mangler et sted at være." in definition
    assert 'value="save"' not in definition and 'value="propose"' not in definition
    assert definition.count(refusal) == 1
    saved = client.post(definition_url, draft | {"text": "Noget andet."})
    assert saved.status_code == 403 and refusal in page(saved)
    assert ProblemDefinition.objects.get(partnership=partnership).text == "De unge mangler et sted at være."


def test_a_closed_partnership_starts_no_survey_or_round_and_its_planned_rounds_run_on(
    partnership: Partnership, personas: dict[str, Persona], django_capture_on_commit_callbacks: Any
) -> None:
    from django.core import mail

    lars, jens = personas["lars"], personas["jens"]
    survey = start_survey(lars, partnership)
    wave = survey.waves.get()
    client = lars.client()
    listing_url = reverse("surveys:list", args=[partnership.pk])
    create_url = reverse("surveys:create", args=[partnership.pk])
    round_url = reverse("surveys:wave_create", args=[survey.pk])
    assert create_url in page(client.get(listing_url))
    assert round_url in page(client.get(survey.get_absolute_url()))
    close_together(partnership, personas)
    refusal = danish(PARTNERSHIP_CLOSED)
    runs_on = danish(gettext_lazy("Rounds planned before the partnership was closed run to the end."))

    # "Start en måling" is gone, said once; everyone reading the list is told the planned rounds run on.
    listing = page(client.get(listing_url))
    assert create_url not in listing and listing.count(refusal) == 1 and runs_on in listing
    visitor = page(Client().get(listing_url))
    assert runs_on in visitor and refusal not in visitor
    opened = client.get(create_url)
    assert opened.status_code == 403 and refusal in page(opened)

    # "Tilføj en runde" is gone from the survey's page; its form page, and a round sent from it, are refused.
    detail = page(client.get(survey.get_absolute_url()))
    assert round_url not in detail and detail.count(refusal) == 1
    opened = client.get(round_url)
    assert opened.status_code == 403 and refusal in page(opened)
    later = timezone.localtime() + timedelta(days=30)
    sent = client.post(
        round_url,
        {"wave_kind": "follow_up", "opens_at": later.strftime("%Y-%m-%dT%H:%M"), "closes_at": ""},
    )
    assert sent.status_code == 403 and refusal in page(sent)
    assert survey.waves.count() == 1

    # The round planned before the closing runs on: invitations and reminders go out, and members answer.
    invite_url = reverse("surveys:wave_invite", args=[survey.pk, wave.pk])
    assert invite_url in detail
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(invite_url).status_code == 302
    assert "jens@kobmand.dk" in {message.to[0] for message in mail.outbox}
    answering = jens.client().post(reverse("surveys:answer_now", args=[survey.pk, wave.pk]))
    assert answering.status_code == 302 and "/maalinger/svar/" in answering["Location"]
    assert jens.client().get(answering["Location"]).status_code == 200


def test_nobody_leaves_a_closed_partnership_on_the_page_or_in_the_api(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    from samskab.partnerships.models import MemberDeparture, PartnershipMember

    fie, lars = personas["fie"], personas["lars"]
    leave_url = reverse("partnerships:leave", args=[partnership.pk])
    assert leave_url in page(lars.client().get(partnership.get_absolute_url()))
    close_together(partnership, personas)
    refusal = danish(PARTNERSHIP_CLOSED)
    before = Notification.objects.count()

    front = page(lars.client().get(partnership.get_absolute_url()))
    assert leave_url not in front
    opened = lars.client().get(leave_url)
    assert opened.status_code == 403 and refusal in page(opened)
    sent = lars.client().post(leave_url, {"note": "Vi er færdige."})
    assert sent.status_code == 403 and refusal in page(sent)
    # Fie's centre facilitates: leaving would pass the role on in a partnership where nothing more happens.
    api = Client().post(
        f"{API}/partnerships/{partnership.pk}/leave", {"note": "Farvel"}, "application/json", headers=bearer(fie)
    )
    assert api.status_code == 403 and api.json()["detail"] == refusal

    assert partnership.is_member(lars.actor) and partnership.is_member(fie.actor)  # type: ignore[arg-type]
    facilitator = PartnershipMember.objects.get(partnership=partnership, role=PartnershipMember.Role.FACILITATOR)
    assert facilitator.actor == fie.actor
    assert not MemberDeparture.objects.exists()
    assert Notification.objects.count() == before  # nobody told of a departure that did not happen


def test_in_a_staff_process_those_who_reopen_it_are_those_who_propose_closing_it(
    anne: Persona, involvement: Partnership
) -> None:
    from samskab.partnerships.permissions import NOT_FOR_COLLEAGUES

    camilla = Persona(User.objects.get(email="camilla@skole.dk"), anne.actor)
    refused_text = danish(NOT_FOR_COLLEAGUES)

    learn = page(camilla.client().get(learn_url(involvement)))
    assert 'value="close"' not in learn  # a colleague takes part, and responds to the proposal
    sent = camilla.client().post(learn_url(involvement), {"do": "close", "note": "Vi er færdige."})
    assert sent.status_code == 403 and refused_text in page(sent)
    api = Client().post(
        f"{API}/partnerships/{involvement.pk}/close", {"note": "Færdig"}, "application/json", headers=bearer(camilla)
    )
    assert api.status_code == 403 and api.json()["detail"] == refused_text
    assert not involvement.proposals.exists()

    # Anne, who acts for the school, is offered the form and proposes it.
    assert 'value="close"' in page(anne.client().get(learn_url(involvement)))
    proposed = anne.client().post(learn_url(involvement), {"do": "close", "note": "Forløbet er slut."})
    proposal = involvement.proposals.get(kind=Proposal.Kind.CLOSE)
    assert proposed.status_code == 302 and proposal.proposed_by_user == anne.user


def test_a_closed_partnership_is_marked_on_the_dashboard_the_challenge_list_and_its_front_page(
    odense: Any, partnership: Partnership, personas: dict[str, Persona]
) -> None:
    from django.utils.formats import date_format

    from samskab.actors.models import Sector
    from samskab.insights import dashboard
    from samskab.partnerships.models import Challenge

    from .conftest import _persona

    karin = _persona("karin@kommune.dk", "Karin Vestergaard", Sector.MUNICIPALITY, "Direktionen", odense)
    lars = personas["lars"]
    assert lars.actor is not None
    at_work = services.start_partnership(user=lars.user, actor=lars.actor, challenge=None, title="Hal for alle")
    assert partnership.challenge is not None
    title = partnership.challenge.title
    in_partnership = danish(Challenge.Status.IN_PARTNERSHIP.label)
    assert in_partnership in _card_of(page(Client().get(reverse("partnerships:challenges"))), title)
    close_together(partnership, personas)
    partnership.refresh_from_db()
    assert partnership.closed_at is not None
    with translation.override("da"):
        closed_on = gettext("Closed on %(date)s") % {
            "date": date_format(timezone.localtime(partnership.closed_at), "j. F Y")
        }
        define = str(Phase.DEFINE.label)

    # Karin's list: the closed partnership's phase cell says when it closed; a filter of its own finds it.
    board_url = reverse("insights:dashboard")
    board = page(karin.client().get(board_url))
    assert f"{closed_on}</td>" in board and f">{define}</td>" in board  # "Hal for alle" is at work in its phase
    only_closed = page(karin.client().get(board_url, {"phase": dashboard.CLOSED}))
    assert partnership.get_absolute_url() in only_closed and at_work.get_absolute_url() not in only_closed
    in_define = page(karin.client().get(board_url, {"phase": Phase.DEFINE}))
    assert at_work.get_absolute_url() in in_define and partnership.get_absolute_url() not in in_define

    # "Partnerskaber pr. fase" counts the closed one on a row of its own, apart from the phases.
    answer = Client().get(f"{API}/municipality/dashboard", headers=bearer(karin))
    phases = {row[0]: row[1:] for row in answer.json()["tables"]["faser"]["rows"]}
    assert phases[danish(dashboard.CLOSED_LABEL)] == [1, 0, 1]
    assert phases[define] == [1, 0, 1]  # "Hal for alle" only
    assert sum(row[2] for row in phases.values()) == 2
    listed = {row[0]: row[1] for row in answer.json()["tables"]["partnerskaber"]["rows"]}
    assert listed["Unge i Vollsmose"] == closed_on and listed["Hal for alle"] == define

    # The challenge list no longer says it is being worked on in a partnership.
    card = _card_of(page(Client().get(reverse("partnerships:challenges"))), title)
    with translation.override("da"):
        partnership_closed = ngettext("The partnership is closed", "Its partnerships are closed", 1)
    assert partnership_closed in card and in_partnership not in card

    # Its front page marks the phase it was in when it closed, not a current one.
    front = page(Client().get(partnership.get_absolute_url()))
    assert danish(gettext_lazy("the phase when the partnership was closed")) in front
    assert danish(gettext_lazy("current phase")) not in front


def test_a_lesson_of_one_long_word_is_told_by_its_beginning_only(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    address = "https://example.dk/" + "a" * 900
    assert share(personas["lars"], partnership, "worked", address).status_code == 302
    told = Notification.objects.filter(user=personas["fie"].user, kind=NotificationKind.LESSON).get().text
    assert "https://example.dk/" in told and len(told) < 300 and told.endswith("…”")
