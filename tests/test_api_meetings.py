"""Meetings through the API, as on the pages: the same services, the same rights, the same notices.

Lars's sports club schedules the partnership's first meeting from a script, with the item on the Friday hall on
its agenda: everyone is invited, by email with the calendar file, as when Sofie schedules one on the page. Mette
from the municipality can do all that Lars can, no more and no less: move it, write its minutes, record who came,
cancel it. Two scripts that read the same meeting cannot overwrite each other; odd input is refused at its field,
and nothing is saved. A members-only partnership's meetings are its members' alone. And the log says who did it:
at Nørreby Skole, where each colleague has a voice, Omar is named when he moves a meeting or corrects the decision
log, and his account's deletion leaves the record, naming the school.
"""

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samskab.accounts.models import Notification, NotificationKind
from samskab.partnerships import services
from samskab.partnerships.models import Attendance, Decision, Meeting, MinutesVersion, Partnership

from .conftest import PASSWORD, Persona
from .test_api import API, bearer
from .test_governance import expire, make_proposal
from .test_meetings import PEOPLE, calendar_file, club_house_meeting, item


def began(meeting: Meeting) -> None:
    """The meeting is under way: who attended can be recorded."""
    now = timezone.now()
    meeting.starts_at, meeting.ends_at = now - timedelta(hours=1), now + timedelta(hours=1)
    meeting.save(update_fields=["starts_at", "ends_at"])


def local(hours: float) -> str:
    """A time `hours` from now, as a script writes Danish local time: without a UTC offset."""
    return (timezone.localtime() + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def send(method: str, url: str, payload: Any, persona: Persona | None) -> Any:
    headers = bearer(persona) if persona else {}
    if method == "get":
        return Client().get(f"{API}{url}", payload, headers=headers)
    return getattr(Client(), method)(f"{API}{url}", payload, content_type="application/json", headers=headers)


def refused_at(response: Any) -> list[str]:
    """The fields a 422 names, in the order it names them."""
    assert response.status_code == 422, response.content
    return [error["loc"][-1] for error in response.json()["detail"]]


def message(response: Any) -> str:
    detail = response.json()["detail"]
    return detail if isinstance(detail, str) else " ".join(error["msg"] for error in detail)


def meetings_url(partnership: Partnership) -> str:
    return f"/partnerships/{partnership.pk}/meetings"


def new_meeting(**changes: Any) -> dict[str, Any]:
    return {"title": "Første møde", "starts_at": local(48), "ends_at": local(50), "place": "Klubhuset", **changes}


# 1. Scheduling, reading, the calendar file ------------------------------------------------------------------


def test_lars_schedules_a_meeting_by_script_and_everyone_is_invited_as_from_the_page(
    partnership: Partnership, personas: dict[str, Persona], django_capture_on_commit_callbacks: Any
) -> None:
    lars = personas["lars"]
    hall = item(personas["sofie"], partnership, "Fredagsåben hal")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = send("post", meetings_url(partnership), new_meeting(item_ids=[hall.pk]), lars)
    assert response.status_code == 201, response.content
    data = response.json()
    meeting = Meeting.objects.get()
    assert data["id"] == meeting.pk and data["title"] == "Første møde" and data["place"] == "Klubhuset"
    assert data["created_by"]["name"] == "Vollsmose Boldklub"
    assert (data["cancelled"], data["ended"], data["updated_at"], data["updated_by"]) == (False, False, None, None)
    assert data["version"] and data["minutes"] == "" and data["minutes_number"] is None and data["minutes_version"]
    assert data["agenda"] == [{"id": hall.pk, "title": "Fredagsåben hal", "status": "scheduled"}]
    assert data["attendance"] == []
    assert data["url"] == f"http://testserver{meeting.get_absolute_url()}"
    ics_path = reverse("partnerships:meeting_ics", args=[partnership.pk, meeting.pk])
    assert data["ics_url"] == f"http://testserver{ics_path}"
    hall.refresh_from_db()
    assert (hall.status, hall.meeting) == ("scheduled", meeting)

    # Everyone is told, and emailed with the calendar file, as from the page.
    told = Notification.objects.filter(kind=NotificationKind.MEETING, url=meeting.get_absolute_url())
    assert sorted(told.values_list("user__email", flat=True)) == PEOPLE
    assert all(n.text.startswith("Vollsmose Boldklub inviterer dig til mødet “Første møde”") for n in told)
    assert sorted(m.to[0] for m in mail.outbox) == PEOPLE
    assert f"UID:meeting-{meeting.pk}@samskab" in calendar_file(mail.outbox[0])

    # The calendar link works for anyone who may see the partnership.
    ics = Client().get(ics_path)
    assert ics["Content-Type"].startswith("text/calendar")
    assert f"UID:meeting-{meeting.pk}@samskab" in ics.content.decode() and "SUMMARY:Første møde" in ics.content.decode()

    # Anyone reads the public partnership's meetings, in the list and one by one.
    assert Client().get(f"{API}{meetings_url(partnership)}").json() == [data]
    assert Client().get(f"{API}{meetings_url(partnership)}/{meeting.pk}").json() == data
    assert Client().get(f"{API}{meetings_url(partnership)}/{meeting.pk + 1}").status_code == 404


def test_the_list_has_upcoming_and_past_meetings_and_marks_the_cancelled(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    fie = personas["fie"]
    past, upcoming, called_off = (club_house_meeting(fie, partnership) for _ in range(3))
    Meeting.objects.filter(pk=past.pk).update(
        starts_at=timezone.now() - timedelta(days=3), ends_at=timezone.now() - timedelta(days=3, hours=-2)
    )
    assert fie.actor is not None
    services.cancel_meeting(user=fie.user, meeting=called_off, by_actor=fie.actor, reason="Hallen er lukket.")
    url = f"{API}{meetings_url(partnership)}"

    every = Client().get(url).json()
    assert [m["id"] for m in every] == [past.pk, upcoming.pk, called_off.pk]  # in the order they start
    assert [(m["ended"], m["cancelled"]) for m in every] == [(True, False), (False, False), (False, True)]
    assert (
        every[2]["cancel_reason"] == "Hallen er lukket."
        and every[2]["cancelled_by"]["name"] == "Frivilligcenter Odense"
    )
    assert [m["id"] for m in Client().get(url, {"when": "upcoming"}).json()] == [upcoming.pk, called_off.pk]
    assert [m["id"] for m in Client().get(url, {"when": "past"}).json()] == [past.pk]
    assert Client().get(url, {"when": "snart"}).status_code == 422


def test_the_list_takes_as_many_queries_for_many_meetings_as_for_one(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    lars, jens = personas["lars"], personas["jens"]
    assert lars.actor is not None and jens.actor is not None
    url = f"{API}{meetings_url(partnership)}"

    headers = bearer(lars)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert Client().get(url, headers=headers).status_code == 200
        return len(captured.captured_queries)

    def full_meeting(title: str) -> None:
        meeting = club_house_meeting(lars, partnership, [item(jens, partnership, title)])
        services.write_minutes(user=lars.user, meeting=meeting, by_actor=lars.actor, minutes=f"Om {title}.")  # type: ignore[arg-type]
        began(meeting)
        services.update_attendance(user=lars.user, meeting=meeting, by_actor=lars.actor, present=[jens.actor])  # type: ignore[arg-type]

    full_meeting("Lys")
    one = queries()
    for title in ("Hal", "Bold", "Kage"):
        full_meeting(title)
    assert queries() == one


# 2. Every sector has the same rights -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["lars", "mette"])
def test_the_club_and_the_municipality_do_the_same_with_a_meeting(
    who: str, partnership: Partnership, personas: dict[str, Persona], django_capture_on_commit_callbacks: Any
) -> None:
    """Lars (an association) or Mette (the municipality): each schedules, moves, writes the minutes, records who came
    and cancels, with the same answers and the same notices to everyone."""
    persona = personas[who]
    assert persona.actor is not None
    actor = persona.actor.name
    hall, light = item(personas["sofie"], partnership, "Fredagsåben hal"), item(personas["jens"], partnership, "Lys")
    created = send("post", meetings_url(partnership), new_meeting(item_ids=[hall.pk, light.pk]), persona)
    assert created.status_code == 201
    url = f"{meetings_url(partnership)}/{created.json()['id']}"

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moved = send(
            "patch",
            url,
            {"version": created.json()["version"], "starts_at": local(72), "ends_at": local(74), "item_ids": [hall.pk]},
            persona,
        )
    assert moved.status_code == 200, moved.content
    data = moved.json()
    assert data["updated_by"]["name"] == actor and data["updated_by_person"] is None  # in co-creation the actor speaks
    assert data["version"] != created.json()["version"] and data["place"] == "Klubhuset"  # left out: as it was
    assert [i["id"] for i in data["agenda"]] == [hall.pk]
    light.refresh_from_db()
    assert (light.status, light.meeting) == ("open", None)  # off the agenda, back on the open agenda
    told = Notification.objects.filter(kind=NotificationKind.MEETING, text__contains="har flyttet mødet")
    assert sorted(told.values_list("user__email", flat=True)) == PEOPLE
    assert sorted(m.to[0] for m in mail.outbox) == PEOPLE
    assert "SEQUENCE:1" in calendar_file(mail.outbox[0])

    minutes = send(
        "put",
        f"{url}/minutes",
        {"minutes": "Hallen åbner fredag.", "minutes_version": data["minutes_version"]},
        persona,
    )
    assert minutes.status_code == 200, minutes.content
    assert (minutes.json()["minutes"], minutes.json()["minutes_number"]) == ("Hallen åbner fredag.", 1)
    assert minutes.json()["minutes_updated_by"]["name"] == actor

    present = [personas["sofie"].actor.pk, persona.actor.pk]  # type: ignore[union-attr]
    early = send("put", f"{url}/attendance", {"present_ids": present}, persona)
    assert early.status_code == 422 and "når mødet er begyndt" in early.json()["detail"]  # not before it begins
    began(Meeting.objects.get(pk=data["id"]))
    attended = send("put", f"{url}/attendance", {"present_ids": present}, persona)
    assert attended.status_code == 200, attended.content
    shown = {a["actor"]["name"]: a["present"] for a in attended.json()["attendance"]}
    assert shown == {
        "Center for Samskabelse": who == "mette",
        "Frivilligcenter Odense": False,
        "Købmand Madsen": False,
        "Sofie Andersen": True,
        "Vollsmose Boldklub": who == "lars",
    }

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = send("post", f"{url}/cancel", {"reason": "Hallen er oversvømmet."}, persona)
    assert cancelled.status_code == 200, cancelled.content
    data = cancelled.json()
    assert (data["cancelled"], data["cancel_reason"], data["cancelled_by"]["name"]) == (
        True,
        "Hallen er oversvømmet.",
        actor,
    )
    assert data["agenda"] == []  # its item went back on the open agenda
    assert sorted(m.to[0] for m in mail.outbox) == PEOPLE
    assert "METHOD:CANCEL" in calendar_file(mail.outbox[0])
    assert Notification.objects.filter(text__contains="har aflyst mødet").count() == len(PEOPLE)


# 3. Nobody's words are lost ----------------------------------------------------------------------------------


def test_a_stale_change_of_the_meeting_is_refused_and_saves_nothing(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    meeting = club_house_meeting(personas["fie"], partnership)
    url = f"{meetings_url(partnership)}/{meeting.pk}"
    read = Client().get(f"{API}{url}").json()
    lars, jens = personas["lars"], personas["jens"]

    # A change that changes nothing saves nothing, tells nobody, and leaves the version for others.
    before = Notification.objects.count()
    same = send("patch", url, {"version": read["version"], "place": "Klubhuset"}, lars)
    assert same.status_code == 200 and same.json()["version"] == read["version"]
    assert Notification.objects.count() == before

    made_up = send("patch", url, {"version": "i går", "place": "Hallen"}, jens)
    assert made_up.status_code == 409 and read["version"] in message(made_up)

    assert send("patch", url, {"version": read["version"], "place": "Hallen"}, lars).status_code == 200
    stale = send("patch", url, {"version": read["version"], "place": "Butikkens mødelokale"}, jens)
    assert stale.status_code == 409
    now = Client().get(f"{API}{url}").json()
    assert now["version"] in message(stale)  # told the version to read
    meeting.refresh_from_db()
    assert (meeting.place, meeting.sequence) == ("Hallen", 1)
    # Read again, Jens's change goes through.
    assert send("patch", url, {"version": now["version"], "place": "Butikkens mødelokale"}, jens).status_code == 200


def test_two_scripts_writing_the_minutes_keep_both_versions(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    meeting = club_house_meeting(personas["fie"], partnership)
    url = f"{meetings_url(partnership)}/{meeting.pk}"
    opened = Client().get(f"{API}{url}").json()["minutes_version"]
    sofie, jens = personas["sofie"], personas["jens"]

    written = send("put", f"{url}/minutes", {"minutes": "Hallen er ledig fredag.", "minutes_version": opened}, sofie)
    assert written.status_code == 200
    stale = send("put", f"{url}/minutes", {"minutes": "Vi mangler voksne.", "minutes_version": opened}, jens)
    assert stale.status_code == 409 and written.json()["minutes_version"] in message(stale)
    meeting.refresh_from_db()
    assert meeting.minutes == "Hallen er ledig fredag."

    combined = "Hallen er ledig fredag. Vi mangler voksne."
    now = written.json()["minutes_version"]
    again = send("put", f"{url}/minutes", {"minutes": combined, "minutes_version": now}, jens)
    assert again.status_code == 200 and again.json()["minutes_number"] == 2
    assert list(MinutesVersion.objects.order_by("number").values_list("text", flat=True)) == [
        "Hallen er ledig fredag.",
        combined,
    ]
    # The same text once more adds no version.
    same = send(
        "put", f"{url}/minutes", {"minutes": combined, "minutes_version": again.json()["minutes_version"]}, jens
    )
    assert same.status_code == 200 and MinutesVersion.objects.count() == 2


# 4. Odd input is refused at its field, and nothing is saved -------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_at": local(47)}, "ends_at"),
        ({"ends_at": local(48)}, "ends_at"),
        ({"starts_at": local(-2), "ends_at": local(1)}, "starts_at"),
        ({"place": "", "video_link": ""}, "place"),
        ({"place": "  "}, "place"),
        ({"video_link": "møde i teams"}, "video_link"),
        ({"title": " "}, "title"),
        ({"starts_at": "1900-01-01T10:00"}, "starts_at"),
        ({"starts_at": "på fredag"}, "starts_at"),
        ({"item_ids": [99999]}, "item_ids"),
        ({"mødested": "Hallen"}, "payload"),
    ],
    ids=[
        "ends-before-start",
        "ends-as-it-starts",
        "starts-in-the-past",
        "nowhere",
        "blank-place",
        "not-a-link",
        "blank-title",
        "year-1900",
        "not-a-time",
        "unknown-item",
        "unknown-field",
    ],
)
def test_a_meeting_that_cannot_be_held_is_not_scheduled(
    changes: dict[str, Any], field: str, partnership: Partnership, lars: Persona
) -> None:
    response = send("post", meetings_url(partnership), new_meeting(**changes), lars)
    assert refused_at(response) == [field]
    assert message(response)
    assert not Meeting.objects.exists() and not Notification.objects.filter(kind=NotificationKind.MEETING).exists()


def test_the_refusals_speak_danish_and_name_the_field(partnership: Partnership, lars: Persona) -> None:
    url = meetings_url(partnership)
    assert send("post", url, new_meeting(ends_at=local(47)), lars).json()["detail"][0]["msg"] == (
        "Mødet skal slutte efter det begynder."
    )
    assert "Et møde kan ikke begynde i fortiden." in message(
        send("post", url, new_meeting(starts_at=local(-3), ends_at=local(-1)), lars)
    )
    assert "“mødested”" in message(send("post", url, new_meeting(mødested="Hallen"), lars))


def test_an_agenda_item_of_another_partnership_or_one_dealt_with_is_not_put_on_the_agenda(
    partnership: Partnership, personas: dict[str, Persona], anne: Persona, involvement: Partnership
) -> None:
    lars = personas["lars"]
    theirs = item(anne, involvement, "Praksisfag")
    done = item(personas["jens"], partnership, "Lys")
    assert lars.actor is not None
    services.set_agenda_item_status(user=lars.user, item=done, by_actor=lars.actor, status="done")
    for ids in ([theirs.pk], [done.pk]):
        response = send("post", meetings_url(partnership), new_meeting(item_ids=ids), lars)
        assert refused_at(response) == ["item_ids"] and str(ids[0]) in message(response)
        assert "Praksisfag" not in message(response)  # another partnership's item is not revealed
    assert not Meeting.objects.exists()
    theirs.refresh_from_db()
    assert (theirs.status, theirs.meeting) == ("open", None)

    meeting = club_house_meeting(personas["fie"], partnership)
    url = f"{meetings_url(partnership)}/{meeting.pk}"
    version = Client().get(f"{API}{url}").json()["version"]
    for ids in ([theirs.pk], [done.pk]):
        assert refused_at(send("patch", url, {"version": version, "item_ids": ids}, lars)) == ["item_ids"]
    meeting.refresh_from_db()
    assert meeting.sequence == 0 and not meeting.agenda_items.exists()


def test_a_change_that_cannot_hold_saves_nothing(partnership: Partnership, personas: dict[str, Persona]) -> None:
    meeting = club_house_meeting(personas["fie"], partnership)
    url = f"{meetings_url(partnership)}/{meeting.pk}"
    version = Client().get(f"{API}{url}").json()["version"]
    lars = personas["lars"]
    start = timezone.localtime(meeting.starts_at)
    for changes, field in (
        ({"ends_at": (start - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")}, "ends_at"),
        ({"starts_at": local(-1)}, "starts_at"),
        ({"place": ""}, "place"),
        ({"video_link": "ftp//x"}, "video_link"),
        ({"title": ""}, "title"),
    ):
        assert refused_at(send("patch", url, {"version": version, **changes}, lars)) == [field]
    assert "version" in refused_at(send("patch", url, {"place": "Hallen"}, lars))
    elsewhere = send("patch", url, {"version": version, "minutes": "Vi mødtes."}, lars)
    assert elsewhere.status_code == 422 and "/minutes" in message(elsewhere)
    meeting.refresh_from_db()
    assert (meeting.place, meeting.sequence, meeting.updated_at, meeting.minutes) == ("Klubhuset", 0, None, "")


def test_a_cancelled_meeting_takes_no_change_minutes_or_attendance(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    meeting = club_house_meeting(personas["fie"], partnership)
    url = f"{meetings_url(partnership)}/{meeting.pk}"
    lars, jens = personas["lars"], personas["jens"]
    assert jens.actor is not None

    # First without a reason: refused at the field, in Danish.
    for body in ({"reason": "  "}, {}):
        assert refused_at(send("post", f"{url}/cancel", body, jens)) == ["reason"]
    assert "Skriv, hvorfor mødet aflyses" in message(send("post", f"{url}/cancel", {"reason": ""}, jens))
    read = Client().get(f"{API}{url}").json()
    assert not read["cancelled"]

    assert send("post", f"{url}/cancel", {"reason": "Ingen kan komme."}, jens).status_code == 200
    again = send("post", f"{url}/cancel", {"reason": "Igen."}, lars)
    assert again.status_code == 422 and message(again) == "Mødet er allerede aflyst."
    changed = send("patch", url, {"version": read["version"], "place": "Hallen"}, lars)
    assert changed.status_code == 422 and message(changed) == "Mødet er aflyst, så det kan ikke ændres."
    minutes = send(
        "put", f"{url}/minutes", {"minutes": "Vi mødtes alligevel.", "minutes_version": read["minutes_version"]}, lars
    )
    assert minutes.status_code == 422 and message(minutes) == "Mødet er aflyst, så det kan ikke ændres."
    attended = send("put", f"{url}/attendance", {"present_ids": [jens.actor.pk]}, lars)
    assert attended.status_code == 422
    meeting.refresh_from_db()
    assert (meeting.place, meeting.cancel_reason, meeting.minutes) == ("Klubhuset", "Ingen kan komme.", "")
    assert not Attendance.objects.exists() and not MinutesVersion.objects.exists()


def test_a_meeting_that_has_ended_cannot_be_cancelled(partnership: Partnership, personas: dict[str, Persona]) -> None:
    meeting = club_house_meeting(personas["fie"], partnership)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    response = send(
        "post", f"{meetings_url(partnership)}/{meeting.pk}/cancel", {"reason": "For sent"}, personas["lars"]
    )
    assert response.status_code == 422 and message(response) == "Et møde, der er slut, kan ikke aflyses."
    assert Meeting.objects.get().cancelled_at is None


def test_minutes_are_not_emptied_and_attendance_is_for_member_actors(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    meeting = club_house_meeting(personas["fie"], partnership)
    url = f"{meetings_url(partnership)}/{meeting.pk}"
    lars, nora = personas["lars"], personas["nora"]
    version = Client().get(f"{API}{url}").json()["minutes_version"]

    empty = send("put", f"{url}/minutes", {"minutes": " ", "minutes_version": version}, lars)
    assert refused_at(empty) == ["minutes"] and message(empty) == "Skriv referatet, før du gemmer det."
    written = send("put", f"{url}/minutes", {"minutes": "Hallen åbner.", "minutes_version": version}, lars)
    emptied = send("put", f"{url}/minutes", {"minutes": "", "minutes_version": written.json()["minutes_version"]}, lars)
    assert refused_at(emptied) == ["minutes"] and "kan ikke tømmes" in message(emptied)
    assert refused_at(send("put", f"{url}/minutes", {"minutes": "Hallen åbner."}, lars)) == ["minutes_version"]
    meeting.refresh_from_db()
    assert meeting.minutes == "Hallen åbner." and MinutesVersion.objects.count() == 1

    assert nora.actor is not None and lars.actor is not None
    outsider = send("put", f"{url}/attendance", {"present_ids": [lars.actor.pk, nora.actor.pk, 99999]}, lars)
    assert refused_at(outsider) == ["present_ids"]
    assert f"{nora.actor.pk}, 99999" in message(outsider)
    assert not Attendance.objects.exists()


# 5. Who may read and write -----------------------------------------------------------------------------------


def test_a_members_only_partnerships_meetings_are_its_members_alone(
    private_partnership: Partnership, personas: dict[str, Persona]
) -> None:
    meeting = club_house_meeting(personas["lars"], private_partnership)
    url = f"{API}{meetings_url(private_partnership)}"
    for headers in ({}, bearer(personas["nora"])):
        assert Client().get(url, headers=headers).status_code == 404
        assert Client().get(f"{url}/{meeting.pk}", headers=headers).status_code == 404
    assert [m["id"] for m in Client().get(url, headers=bearer(personas["jens"])).json()] == [meeting.pk]
    assert Client().get(f"{url}/{meeting.pk}", headers=bearer(personas["mette"])).status_code == 200
    # Nor can an outsider write to it: the partnership is not even there for her.
    assert send("post", meetings_url(private_partnership), new_meeting(), personas["nora"]).status_code == 404
    assert Meeting.objects.count() == 1


def test_outsiders_neither_schedule_nor_change_a_public_partnerships_meetings(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    meeting = club_house_meeting(personas["fie"], partnership)
    url = f"{meetings_url(partnership)}/{meeting.pk}"
    version = Client().get(f"{API}{url}").json()
    nora = personas["nora"]
    assert nora.actor is not None
    calls: list[tuple[str, str, dict[str, Any]]] = [
        ("post", meetings_url(partnership), new_meeting()),
        ("patch", url, {"version": version["version"], "place": "Haven"}),
        ("post", f"{url}/cancel", {"reason": "Nej"}),
        ("put", f"{url}/minutes", {"minutes": "Nej", "minutes_version": version["minutes_version"]}),
        ("put", f"{url}/attendance", {"present_ids": []}),
    ]
    for method, address, body in calls:
        assert send(method, address, body, nora).status_code == 403
        assert send(method, address, {**body, "actor_id": nora.actor.pk}, nora).status_code == 403
        assert send(method, address, body, None).status_code == 401
    meeting.refresh_from_db()
    assert (Meeting.objects.count(), meeting.place, meeting.sequence, meeting.minutes) == (1, "Klubhuset", 0, "")
    assert not Attendance.objects.exists()


def test_the_meeting_endpoints_are_described_in_openapi(db: None) -> None:
    paths = Client().get(f"{API}/openapi.json").json()["paths"]
    base = "/api/v1/partnerships/{partnership_id}/meetings"
    expected = {
        base: {"get", "post"},
        base + "/{meeting_id}": {"get", "patch"},
        base + "/{meeting_id}/cancel": {"post"},
        base + "/{meeting_id}/minutes": {"put"},
        base + "/{meeting_id}/attendance": {"put"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) == methods, path
        for method in methods:
            assert paths[path][method]["summary"], (path, method)
    schedule = paths[base]["post"]
    assert "201" in schedule["responses"] and "422" in schedule["responses"]
    assert "409" in paths[base + "/{meeting_id}"]["patch"]["responses"]


# 6. The log names the person who did it ----------------------------------------------------------------------


def test_omar_is_named_when_he_moves_or_cancels_a_meeting_of_the_staff(
    anne: Persona, omar: Persona, involvement: Partnership
) -> None:
    """At Nørreby Skole each colleague has a voice, so the meeting page and the API name Omar, as the minutes do,
    to the members. In co-creation the actor speaks, as before."""
    meeting = club_house_meeting(anne, involvement)
    url = f"{meetings_url(involvement)}/{meeting.pk}"
    version = send("get", url, None, anne).json()["version"]
    moved = send("patch", url, {"version": version, "place": "Personalerummet"}, omar)
    assert moved.status_code == 200 and moved.json()["updated_by_person"] == "Omar"
    meeting.refresh_from_db()
    assert (meeting.updated_by, meeting.updated_by_user) == (anne.actor, omar.user)
    page = anne.client().get(meeting.get_absolute_url()).content.decode()
    assert "Ændret af Omar, " in page
    edit_page = anne.client().get(reverse("partnerships:meeting_edit", args=[involvement.pk, meeting.pk]))
    assert "Ændret af Omar, " in edit_page.content.decode()

    cancelled = send("post", f"{url}/cancel", {"reason": "Skolen holder lukket."}, omar)
    assert cancelled.status_code == 200 and cancelled.json()["cancelled_by_person"] == "Omar"
    assert send("get", url, None, anne).json()["cancelled_by_person"] == "Omar"
    assert "Aflyst af Omar, " in anne.client().get(meeting.get_absolute_url()).content.decode()


def test_in_co_creation_the_person_is_recorded_and_the_actor_named(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    meeting = club_house_meeting(personas["fie"], partnership)
    url = f"{meetings_url(partnership)}/{meeting.pk}"
    version = Client().get(f"{API}{url}").json()["version"]
    lars = personas["lars"]
    moved = send("patch", url, {"version": version, "place": "Hallen"}, lars)
    assert (moved.json()["updated_by"]["name"], moved.json()["updated_by_person"]) == ("Vollsmose Boldklub", None)
    meeting.refresh_from_db()
    assert meeting.updated_by_user == lars.user
    assert "Ændret af Vollsmose Boldklub, " in Client().get(meeting.get_absolute_url()).content.decode()


def test_omars_correction_of_the_log_names_him_and_outlives_his_account(
    anne: Persona, omar: Persona, involvement: Partnership
) -> None:
    """Omar corrects a slip in the staff's decision log on the page. The log and the API name him to the members;
    his data download lists it; once he deletes his account, the correction stays, recorded by the school."""
    settle = make_proposal(anne, involvement, text="Praksisfag i blokke på tre uger.")
    expire(settle)
    services.settle_due_proposals()
    decided = Decision.objects.get()
    log_url = reverse("partnerships:decisions", args=[involvement.pk])
    posted = omar.client().post(log_url, {"decision": decided.pk, "text": "Praksisfag i blokke på to uger."})
    assert posted.status_code == 302
    correction = Decision.objects.get(corrects=decided)
    assert (correction.initiated_by, correction.initiated_by_user) == (anne.actor, omar.user)

    log = " ".join(anne.client().get(log_url).content.decode().split())
    assert "Registreret af Omar uden en samtykkerunde" in log and "Omar registrerede den " in log
    shown = {
        d["id"]: d["initiated_by_person"]
        for d in send("get", f"/partnerships/{involvement.pk}/decisions", None, anne).json()
    }
    assert shown == {decided.pk: None, correction.pk: "Omar"}

    # Omar moves a meeting too; his download lists both.
    meeting = club_house_meeting(anne, involvement)
    version = send("get", f"{meetings_url(involvement)}/{meeting.pk}", None, omar).json()["version"]
    assert (
        send(
            "patch", f"{meetings_url(involvement)}/{meeting.pk}", {"version": version, "place": "Aulaen"}, omar
        ).status_code
        == 200
    )
    client = omar.client()
    download = client.get(reverse("accounts:download_data")).json()["partnerships"]
    assert [c["text"] for c in download["decision_corrections"]] == ["Praksisfag i blokke på to uger."]
    assert [m["place"] for m in download["meetings_changed"]] == ["Aulaen"]

    assert client.post(reverse("accounts:delete_account"), {"password": PASSWORD}).status_code == 302
    correction.refresh_from_db()
    meeting.refresh_from_db()
    assert (correction.initiated_by, correction.initiated_by_user) == (anne.actor, None)
    assert (meeting.updated_by, meeting.updated_by_user, meeting.place) == (anne.actor, None, "Aulaen")
    log = " ".join(anne.client().get(log_url).content.decode().split())
    assert "Registreret af Nørreby Skole uden en samtykkerunde" in log
    assert "Ændret af Nørreby Skole, " in anne.client().get(meeting.get_absolute_url()).content.decode()
