"""Meetings that hold: minutes nobody can erase, invitations that follow each person's notification settings, and
meetings that can be moved or cancelled with everyone's calendar following."""

import re
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from samskab.accounts.models import Notification, NotificationKind, NotificationPreference
from samskab.accounts.notifications import send_digests
from samskab.partnerships import services
from samskab.partnerships.models import AgendaItem, Meeting, MinutesVersion, Partnership

from .conftest import Persona
from .test_conversations import seen_version

PEOPLE = ["fie@frivillig.dk", "jens@kobmand.dk", "lars@boldklub.dk", "mette@kommune.dk", "sofie@example.dk"]


def local(hours: int) -> str:
    return (timezone.localtime() + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def club_house_meeting(persona: Persona, partnership: Partnership, items: Sequence[AgendaItem] = ()) -> Meeting:
    assert persona.actor is not None
    start = timezone.now() + timedelta(days=7)
    return services.schedule_meeting(
        user=persona.user,
        partnership=partnership,
        by_actor=persona.actor,
        title="Møde i klubhuset",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="Klubhuset",
        items=items,
    )


def item(persona: Persona, partnership: Partnership, title: str) -> AgendaItem:
    assert persona.actor is not None
    return services.add_agenda_item(user=persona.user, partnership=partnership, by_actor=persona.actor, title=title)


def calendar_file(message: Any) -> str:
    name, content, mimetype = message.attachments[0]
    assert name.endswith(".ics") and mimetype == "text/calendar"
    return content.decode() if isinstance(content, bytes) else content


# --- 1. Minutes nobody can erase ------------------------------------------------------------------------------


def test_jens_cannot_erase_the_minutes_and_every_version_stays_on_the_page(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    """Sofie writes the minutes, Lars corrects them. Jens empties the field and saves: refused, with a Danish
    error on the field, and nothing is lost. The page keeps Sofie's first version under "Tidligere versioner"."""
    meeting = club_house_meeting(personas["fie"], partnership)
    url = meeting.get_absolute_url()
    sofie, lars, jens = (personas[name].client() for name in ("sofie", "lars", "jens"))
    assert (
        sofie.post(url, {"minutes": "Vi aftalte fredagsåben hal.", "seen": seen_version(sofie, url)}).status_code == 302
    )
    lars_text = "Vi aftalte fredagsåben hal fra 1. marts."
    assert lars.post(url, {"minutes": lars_text, "seen": seen_version(lars, url)}).status_code == 302

    refused = jens.post(url, {"minutes": "  ", "seen": seen_version(jens, url)})
    html = refused.content.decode()
    assert refused.status_code == 200
    assert 'id="id_minutes_error"' in html and "Et referat, der er skrevet, kan ikke tømmes" in html
    assert 'href="#id_minutes"' in html  # the error summary leads to the field
    meeting.refresh_from_db()
    assert meeting.minutes == lars_text

    page = jens.get(url).content.decode()
    assert "Der er intet referat endnu." not in page and lars_text in page
    assert "Tidligere versioner" in page and "Version 1" in page and "Sofie Andersen" in page
    assert "Vi aftalte fredagsåben hal." in page
    versions = MinutesVersion.objects.filter(meeting=meeting).order_by("number")
    assert [(v.number, v.text, v.written_by) for v in versions] == [
        (1, "Vi aftalte fredagsåben hal.", personas["sofie"].actor),
        (2, lars_text, personas["lars"].actor),
    ]
    assert versions[1].written_by_user == personas["lars"].user


def test_writing_empty_minutes_where_there_are_none_asks_for_text(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    meeting = club_house_meeting(personas["fie"], partnership)
    response = personas["lars"].client().post(meeting.get_absolute_url(), {"minutes": ""})
    assert "Skriv referatet, før du gemmer det." in response.content.decode()
    assert not MinutesVersion.objects.exists()


def test_two_members_writing_the_minutes_at_once_keep_both_versions(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    """Sofie and Jens open the page together. Sofie saves first; Jens is shown her text beside his own, combines
    them and saves again. Both versions are kept."""
    meeting = club_house_meeting(personas["fie"], partnership)
    url = meeting.get_absolute_url()
    sofie, jens = personas["sofie"].client(), personas["jens"].client()
    sofie_opened, jens_opened = seen_version(sofie, url), seen_version(jens, url)
    assert sofie.post(url, {"minutes": "Hallen er ledig fredag.", "seen": sofie_opened}).status_code == 302
    refused = jens.post(url, {"minutes": "Vi mangler voksne.", "seen": jens_opened})
    html = refused.content.decode()
    assert "gemte en ny udgave, mens du skrev." in html
    assert "Hallen er ledig fredag." in html and "Vi mangler voksne." in html
    now_seen = re.search(r'name="seen" value="([^"]*)"', html)
    assert now_seen is not None
    combined = "Hallen er ledig fredag. Vi mangler voksne."
    assert jens.post(url, {"minutes": combined, "seen": now_seen.group(1)}).status_code == 302
    assert list(MinutesVersion.objects.order_by("number").values_list("text", flat=True)) == [
        "Hallen er ledig fredag.",
        combined,
    ]


# --- 2. Invitations follow each person's notification settings ------------------------------------------------


def test_the_invitation_is_a_notification_each_person_gets_as_they_chose_with_the_calendar_file(
    partnership: Partnership, personas: dict[str, Persona], django_capture_on_commit_callbacks: Any
) -> None:
    """Mette wants no meeting emails, Jens a daily digest. Sofie schedules a meeting: everyone has it in Samskab;
    the others get an email of their own, To them alone, with the calendar file and a link to choose their emails;
    Jens gets his in the digest, calendar file included; Mette gets none."""
    for name, choice in (("mette", NotificationPreference.Email.NONE), ("jens", NotificationPreference.Email.DIGEST)):
        NotificationPreference.objects.create(user=personas[name].user, kind=NotificationKind.MEETING, email=choice)
    data = {"title": "Første møde", "starts_at": local(48), "ends_at": local(50), "place": "Hallen"}
    with django_capture_on_commit_callbacks(execute=True):
        response = personas["sofie"].client().post(reverse("partnerships:meetings", args=[partnership.pk]), data)
    assert response.status_code == 302
    meeting = Meeting.objects.get()

    told = Notification.objects.filter(kind=NotificationKind.MEETING, url=meeting.get_absolute_url())
    assert sorted(told.values_list("user__email", flat=True)) == PEOPLE
    assert "Sofie Andersen inviterer dig til mødet “Første møde”" in told.first().text  # type: ignore[union-attr]
    end = timezone.localtime(meeting.ends_at)  # when it ends too (the date again only if another day)
    assert f"{end:%H:%M}, Hallen." in told.first().text  # type: ignore[union-attr]

    emails = [m for m in mail.outbox if "Første møde" in m.subject]
    assert sorted(address for m in emails for address in m.to) == sorted(
        set(PEOPLE) - {"mette@kommune.dk", "jens@kobmand.dk"}
    )
    for message in emails:
        assert len(message.to) == 1 and not message.cc and not message.bcc
        assert "Vælg, hvilke e-mails du får:" in message.body and "Stop e-mailene om" in message.body
        ics = calendar_file(message)
        assert f"UID:meeting-{meeting.pk}@samskab" in ics and "SEQUENCE:0" in ics and "SUMMARY:Første møde" in ics

    mail.outbox.clear()
    send_digests()
    [digest] = mail.outbox
    assert digest.to == ["jens@kobmand.dk"]
    assert f"UID:meeting-{meeting.pk}@samskab" in calendar_file(digest)


# --- 3. Meetings can be changed and cancelled -------------------------------------------------------------------


def test_lars_moves_the_meeting_and_everyones_calendar_follows(
    partnership: Partnership, personas: dict[str, Persona], django_capture_on_commit_callbacks: Any
) -> None:
    """The meeting was set on the wrong day. Lars moves it two days on and takes the item on lighting off its
    agenda, which goes back on the open agenda; everyone is told, with a calendar file that replaces the old
    meeting (same UID, higher SEQUENCE)."""
    hall, light = item(personas["sofie"], partnership, "Fredagsåben hal"), item(personas["jens"], partnership, "Lys")
    meeting = club_house_meeting(personas["fie"], partnership, [hall, light])
    lars = personas["lars"].client()
    edit_url = reverse("partnerships:meeting_edit", args=[partnership.pk, meeting.pk])
    page = lars.get(edit_url).content.decode()
    assert "Møde i klubhuset" in page and 'value="Klubhuset"' in page
    data = {
        "do": "edit",
        "title": "Møde i klubhuset",
        "starts_at": local(24 * 9),
        "ends_at": local(24 * 9 + 2),
        "place": "Klubhuset, 1. sal",
        "items": [hall.pk],
        "seen": seen_version(lars, edit_url),
    }
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = lars.post(edit_url, data, follow=True)
    assert response.redirect_chain == [(meeting.get_absolute_url(), 302)]
    html = response.content.decode()
    assert "Klubhuset, 1. sal" in html and "Ændret af Vollsmose Boldklub" in html

    meeting.refresh_from_db()
    assert (meeting.place, meeting.sequence, meeting.updated_by) == ("Klubhuset, 1. sal", 1, personas["lars"].actor)
    assert timezone.localtime(meeting.starts_at).strftime("%Y-%m-%dT%H:%M") == data["starts_at"]
    hall.refresh_from_db()
    light.refresh_from_db()
    assert (hall.status, hall.meeting) == ("scheduled", meeting)
    assert (light.status, light.meeting) == ("open", None)

    told = Notification.objects.filter(kind=NotificationKind.MEETING, text__contains="har flyttet mødet")
    assert sorted(told.values_list("user__email", flat=True)) == PEOPLE
    assert sorted(m.to[0] for m in mail.outbox) == PEOPLE
    ics = calendar_file(mail.outbox[0])
    assert f"UID:meeting-{meeting.pk}@samskab" in ics and "SEQUENCE:1" in ics and "METHOD:PUBLISH" in ics
    assert "LOCATION:Klubhuset\\, 1. sal" in ics


def test_a_stale_change_of_the_meeting_is_refused_and_keeps_what_was_typed(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    meeting = club_house_meeting(personas["fie"], partnership)
    edit_url = reverse("partnerships:meeting_edit", args=[partnership.pk, meeting.pk])
    lars, jens = personas["lars"].client(), personas["jens"].client()
    lars_opened, jens_opened = seen_version(lars, edit_url), seen_version(jens, edit_url)
    base = {"do": "edit", "title": "Møde i klubhuset", "starts_at": local(24 * 7), "ends_at": local(24 * 7 + 2)}
    assert lars.post(edit_url, {**base, "place": "Hallen", "seen": lars_opened}).status_code == 302
    refused = jens.post(edit_url, {**base, "place": "Butikkens mødelokale", "seen": jens_opened})
    html = refused.content.decode()
    assert refused.status_code == 200 and "Vollsmose Boldklub gemte en ny udgave, mens du skrev." in html
    assert 'value="Butikkens mødelokale"' in html  # his own, kept in the field
    assert "Hallen" in html  # theirs, shown above
    meeting.refresh_from_db()
    assert (meeting.place, meeting.sequence) == ("Hallen", 1)


def test_a_change_that_changes_nothing_tells_nobody(partnership: Partnership, personas: dict[str, Persona]) -> None:
    meeting = club_house_meeting(personas["fie"], partnership)
    edit_url = reverse("partnerships:meeting_edit", args=[partnership.pk, meeting.pk])
    lars = personas["lars"].client()
    before = Notification.objects.count()
    start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    data = {
        "do": "edit",
        "title": meeting.title,
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": end.strftime("%Y-%m-%dT%H:%M"),
        "place": meeting.place,
        "seen": seen_version(lars, edit_url),
    }
    assert lars.post(edit_url, data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.sequence == 0 and Notification.objects.count() == before


def test_mette_cancels_the_meeting_with_a_reason_and_it_stays_visible_as_cancelled(
    partnership: Partnership, personas: dict[str, Persona], django_capture_on_commit_callbacks: Any
) -> None:
    """Mette first forgets the reason: refused, in Danish, on the field. With a reason the meeting is cancelled:
    its item goes back on the open agenda, everyone is told with a calendar file that cancels it, and the meeting
    stays in the list, marked cancelled, with no more changes, minutes or attendance."""
    hall = item(personas["sofie"], partnership, "Fredagsåben hal")
    meeting = club_house_meeting(personas["fie"], partnership, [hall])
    mette = personas["mette"].client()
    edit_url = reverse("partnerships:meeting_edit", args=[partnership.pk, meeting.pk])

    refused = mette.post(edit_url, {"do": "cancel", "cancel-reason": " "})
    html = refused.content.decode()
    assert refused.status_code == 200 and 'id="id_cancel-reason_error"' in html
    assert "Skriv, hvorfor mødet aflyses, så medlemmerne ved det." in html
    assert Meeting.objects.get().cancelled_at is None

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = mette.post(edit_url, {"do": "cancel", "cancel-reason": "Klubhuset er oversvømmet."}, follow=True)
    html = response.content.decode()
    assert "Mødet er aflyst" in html and "Klubhuset er oversvømmet." in html
    assert "Center for Samskabelse" in html
    assert "Gem referatet" not in html and "Gem fremmøde" not in html and "Ret eller aflys mødet" not in html
    meeting.refresh_from_db()
    hall.refresh_from_db()
    assert meeting.cancelled_by == personas["mette"].actor and meeting.sequence == 1
    assert (hall.status, hall.meeting) == ("open", None)

    told = Notification.objects.filter(kind=NotificationKind.MEETING, text__contains="har aflyst mødet")
    assert sorted(told.values_list("user__email", flat=True)) == PEOPLE
    assert "Klubhuset er oversvømmet." in told.first().text  # type: ignore[union-attr]
    ics = calendar_file(mail.outbox[0])
    assert "METHOD:CANCEL" in ics and "STATUS:CANCELLED" in ics and "SEQUENCE:1" in ics
    assert f"UID:meeting-{meeting.pk}@samskab" in ics
    download = Client().get(reverse("partnerships:meeting_ics", args=[partnership.pk, meeting.pk]))
    assert "METHOD:CANCEL" in download.content.decode()

    listing = Client().get(reverse("partnerships:meetings", args=[partnership.pk])).content.decode()
    assert "Aflyst: Møde i klubhuset" in listing and "Klubhuset er oversvømmet." in listing
    # A cancelled meeting takes no more changes or minutes, from the page or by a stale form.
    assert mette.get(edit_url).status_code == 302
    assert mette.post(meeting.get_absolute_url(), {"minutes": "Vi mødtes alligevel."}).status_code == 200
    assert not MinutesVersion.objects.exists()


def test_a_meeting_that_has_ended_cannot_be_cancelled(partnership: Partnership, personas: dict[str, Persona]) -> None:
    meeting = club_house_meeting(personas["fie"], partnership)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    edit_url = reverse("partnerships:meeting_edit", args=[partnership.pk, meeting.pk])
    response = personas["lars"].client().post(edit_url, {"do": "cancel", "cancel-reason": "For sent"})
    assert "Et møde, der er slut, kan ikke aflyses." in response.content.decode()
    assert Meeting.objects.get().cancelled_at is None


@pytest.mark.parametrize("who", ["nora", "anonymous"])
def test_outsiders_neither_change_nor_cancel_a_meeting(
    who: str, partnership: Partnership, personas: dict[str, Persona]
) -> None:
    meeting = club_house_meeting(personas["fie"], partnership)
    client = personas["nora"].client() if who == "nora" else Client()
    edit_url = reverse("partnerships:meeting_edit", args=[partnership.pk, meeting.pk])
    assert client.get(edit_url).status_code == (403 if who == "nora" else 302)
    assert client.post(edit_url, {"do": "cancel", "cancel-reason": "Nej"}).status_code in {302, 403}
    changed = {"do": "edit", "title": "Andet", "starts_at": local(30), "ends_at": local(32), "place": "Et sted"}
    assert client.post(edit_url, changed).status_code in {302, 403}
    meeting.refresh_from_db()
    assert (meeting.title, meeting.cancelled_at, meeting.sequence) == ("Møde i klubhuset", None, 0)
    public_page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Ret eller aflys mødet" not in public_page


def test_a_meeting_form_with_no_open_items_says_why_its_agenda_is_empty(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    lars = personas["lars"].client()
    empty = " ".join(lars.get(reverse("partnerships:meetings", args=[partnership.pk])).content.decode().split())
    assert "Der er ingen åbne punkter på dagsordenen endnu." in empty
    assert personas["lars"].actor is not None
    services.add_agenda_item(
        user=personas["lars"].user, partnership=partnership, by_actor=personas["lars"].actor, title="Hallen om fredagen"
    )
    listed = lars.get(reverse("partnerships:meetings", args=[partnership.pk])).content.decode()
    assert "Hallen om fredagen" in listed and "Der er ingen åbne punkter" not in listed


def test_the_invitation_names_the_agenda(partnership: Partnership, personas: dict[str, Persona]) -> None:
    lars, jens = personas["lars"], personas["jens"]
    meeting = club_house_meeting(
        lars, partnership, [item(jens, partnership, "Lys på stien"), item(jens, partnership, "Hal")]
    )
    told = Notification.objects.get(kind=NotificationKind.MEETING, url=meeting.get_absolute_url(), user=jens.user)
    assert told.text.endswith("På dagsordenen: “Lys på stien” og “Hal”.")


def test_a_meeting_s_span_names_the_date_again_only_when_it_ends_another_day() -> None:
    from datetime import datetime

    from samskab.partnerships.services.agenda import _span

    local = timezone.get_current_timezone()
    evening = Meeting(
        starts_at=datetime(2026, 12, 9, 19, 0, tzinfo=local), ends_at=datetime(2026, 12, 9, 21, 0, tzinfo=local)
    )
    late = Meeting(
        starts_at=datetime(2026, 12, 9, 22, 0, tzinfo=local), ends_at=datetime(2026, 12, 10, 0, 30, tzinfo=local)
    )
    with translation.override("da"):
        assert _span(evening) == "9. december 2026 19:00–21:00"
        assert _span(late) == "9. december 2026 22:00 – 10. december 2026 00:30"
