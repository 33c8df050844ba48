"""Challenges and partnerships through the pages: raising, starting, inviting, answering, phases."""

import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from samskab.partnerships import forms as partnership_forms
from samskab.partnerships import models as partnership_models
from samskab.partnerships import services
from samskab.partnerships.models import (
    Challenge,
    Partnership,
    PartnershipInvitation,
    PartnershipMember,
    PhaseChange,
)

from .conftest import Persona, make_user
from .test_conversations import seen_version


def test_any_actor_raises_a_challenge(sofie: Persona) -> None:
    response = sofie.client().post(
        reverse("partnerships:challenge_create"),
        {
            "title": "Ensomme ældre i Bolbro",
            "description": "Flere ældre kommer ikke ud af lejligheden.",
            "municipality": "0461",
            "place": "Bolbro",
            "affected": "Ældre over 75",
            "themes": ["aeldre", "ensomhed"],
        },
    )
    challenge = Challenge.objects.get(title="Ensomme ældre i Bolbro")
    assert response.status_code == 302
    assert challenge.raised_by == sofie.actor
    assert sorted(challenge.themes.values_list("slug", flat=True)) == ["aeldre", "ensomhed"]
    assert "Ensomme ældre i Bolbro" in Client().get(reverse("home")).content.decode()
    page = Client().get(challenge.get_absolute_url()).content.decode()
    assert re.search(r"\(<span class=\"samskab-sector[^\"]*\">Borger</span>\)", page)  # no space before ")"


def test_bad_challenge_input_keeps_what_was_typed_and_saves_nothing(sofie: Persona) -> None:
    response = sofie.client().post(
        reverse("partnerships:challenge_create"),
        {
            "title": "",
            "description": "Noget jeg har set <b>fed</b>",
            "municipality": "9999",
            "themes": ["ukendt"],
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dette felt er påkrævet." in html
    assert "Marker en gyldig valgmulighed" in html
    assert "Noget jeg har set &lt;b&gt;fed&lt;/b&gt;" in html
    assert not Challenge.objects.exists()
    # Every field with an error points to its message, and to nothing that is not on the page.
    described = {i for ids in re.findall(r'aria-describedby="([^"]+)"', html) for i in ids.split()}
    assert {"id_title_error", "id_municipality_error", "id_themes_error"} <= described
    assert all(f'id="{i}"' in html for i in described), described - set(re.findall(r'id="([^"]+)"', html))


def test_a_person_without_an_actor_is_asked_to_create_one(db: None) -> None:
    client = Client()
    client.force_login(make_user("ny@example.dk", "Ny"))
    response = client.get(reverse("partnerships:challenge_create"))
    assert response.status_code == 302
    assert response["Location"] == reverse("actors:create")


def test_nobody_acts_on_behalf_of_an_actor_they_do_not_belong_to(sofie: Persona, jens: Persona) -> None:
    assert jens.actor is not None
    response = sofie.client().post(
        reverse("partnerships:challenge_create"),
        {"actor": jens.actor.pk, "title": "Falsk", "description": "x", "municipality": "0461"},
    )
    assert response.status_code == 200
    assert not Challenge.objects.exists()


def test_mette_starts_a_partnership_and_becomes_facilitator(mette: Persona, challenge: Challenge) -> None:
    response = mette.client().post(
        reverse("partnerships:start", args=[challenge.pk]),
        {
            "title": "Unge i Vollsmose",
            "purpose": "Forstå problemet",
            "kind": "co_creation",
            "visibility": "public",
        },
    )
    partnership = Partnership.objects.get()
    assert response.status_code == 302
    assert response["Location"] == partnership.get_absolute_url()
    member = PartnershipMember.objects.get(partnership=partnership)
    assert (member.actor, member.role) == (mette.actor, PartnershipMember.Role.FACILITATOR)
    assert partnership.phase == "define"
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.IN_PARTNERSHIP
    assert PhaseChange.objects.get(partnership=partnership).to_phase == "define"


def test_an_administrator_who_turned_invitation_emails_off_is_told_in_the_app_only(
    partnership: Partnership, fie: Persona, nora: Persona, django_capture_on_commit_callbacks: object, mailoutbox: list
) -> None:
    from samskab.accounts.models import Notification, NotificationPreference

    assert nora.actor is not None
    NotificationPreference.objects.create(user=nora.user, kind="invitation", email=NotificationPreference.Email.NONE)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        fie.client().post(reverse("partnerships:invite", args=[partnership.pk]), {"invitee": nora.actor.pk})
    assert PartnershipInvitation.objects.filter(actor=nora.actor).exists() and not mailoutbox
    assert Notification.objects.get(user=nora.user).kind == "invitation"


def test_a_long_invitation_message_is_shortened_with_an_ellipsis_in_the_notification(
    partnership: Partnership, fie: Persona, nora: Persona
) -> None:
    from samskab.accounts.models import Notification

    assert nora.actor is not None
    message = "Vi håber, I vil være med. " * 60
    fie.client().post(
        reverse("partnerships:invite", args=[partnership.pk]), {"invitee": nora.actor.pk, "message": message}
    )
    text = Notification.objects.get(user=nora.user).text
    assert "Beskeden lyder: “Vi håber, I vil være med." in text and text.endswith("…”") and len(text) < 400
    assert PartnershipInvitation.objects.get().message == message.strip()  # whole on the invitations page


def test_invitation_email_accept_and_members_by_sector(
    partnership: Partnership,
    fie: Persona,
    nora: Persona,
    django_capture_on_commit_callbacks: object,
    mailoutbox: list,
) -> None:
    assert nora.actor is not None
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        fie.client().post(reverse("partnerships:invite", args=[partnership.pk]), {"invitee": nora.actor.pk})
    assert [m.to for m in mailoutbox] == [["nora@forening.dk"]]  # each administrator in an email of their own
    assert "Unge i Vollsmose" in mailoutbox[0].subject
    assert "Stop e-mailene om" in mailoutbox[0].body  # an invitation follows the notification settings

    again = fie.client().post(reverse("partnerships:invite", args=[partnership.pk]), {"invitee": nora.actor.pk})
    assert again.status_code == 200
    assert PartnershipInvitation.objects.count() == 1

    invitations_page = " ".join(nora.client().get(reverse("partnerships:invitations")).content.decode().split())
    assert "Unge i Vollsmose" in invitations_page
    # What it is for, and what joining means, before answering.
    Partnership.objects.filter(pk=partnership.pk).update(purpose="Flere steder for de unge om aftenen.")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        mailoutbox.clear()
        from samskab.partnerships.services.notify import notify_invited

        notify_invited(PartnershipInvitation.objects.select_related("partnership").get())
    assert "Formålet: “Flere steder for de unge om aftenen.”" in mailoutbox[0].body
    invitations_page = " ".join(nora.client().get(reverse("partnerships:invitations")).content.decode().split())
    assert (
        "Flere steder for de unge om aftenen." in invitations_page and "tavshed tæller som samtykke" in invitations_page
    )
    invitation = PartnershipInvitation.objects.get()
    nora.client().post(reverse("partnerships:respond", args=[invitation.pk]), {"answer": "accept"})
    assert partnership.is_member(nora.actor)
    twice = nora.client().post(reverse("partnerships:respond", args=[invitation.pk]), {"answer": "accept"})
    assert twice["Location"] == partnership.get_absolute_url()  # the second click lands where the first did

    home = Client().get(partnership.get_absolute_url()).content.decode()
    associations = home[home.index("Forening") : home.index("Borger")]
    assert "Haveforeningen Solsikken" in associations


def test_declining_leaves_the_actor_outside(partnership: Partnership, fie: Persona, nora: Persona) -> None:
    assert nora.actor is not None and fie.actor is not None
    invitation = services.invite_actor(user=fie.user, partnership=partnership, by_actor=fie.actor, actor=nora.actor)
    nora.client().post(reverse("partnerships:respond", args=[invitation.pk]), {"answer": "decline"})
    invitation.refresh_from_db()
    assert invitation.status == PartnershipInvitation.Status.DECLINED
    assert not partnership.is_member(nora.actor)
    # Answering again (a second click, or Back) does not turn a decline into membership; it says what was answered.
    again = nora.client().post(reverse("partnerships:respond", args=[invitation.pk]), {"answer": "accept"}, follow=True)
    assert again.status_code == 200
    assert "Haveforeningen Solsikken har allerede takket nej til invitationen til Unge i Vollsmose." in (
        again.content.decode()
    )
    assert not partnership.is_member(nora.actor)
    # Nobody else learns of the invitation that way.
    outsider = fie.client().post(reverse("partnerships:respond", args=[invitation.pk]), {"answer": "accept"})
    assert outsider.status_code == 404


def test_invited_actor_may_read_a_members_only_partnership_while_deciding(
    private_partnership: Partnership, fie: Persona, nora: Persona
) -> None:
    assert nora.actor is not None and fie.actor is not None
    url = private_partnership.get_absolute_url()
    assert nora.client().get(url).status_code == 404
    services.invite_actor(user=fie.user, partnership=private_partnership, by_actor=fie.actor, actor=nora.actor)
    assert nora.client().get(url).status_code == 200
    assert (
        nora.client().post(reverse("partnerships:phase", args=[private_partnership.pk]), {"phase": "act"}).status_code
        == 403
    )


def test_phase_changes_go_back_and_forth_and_are_logged(partnership: Partnership, lars: Persona, jens: Persona) -> None:
    lars.client().post(reverse("partnerships:phase", args=[partnership.pk]), {"phase": "act", "note": "Vi er klar"})
    jens.client().post(reverse("partnerships:phase", args=[partnership.pk]), {"phase": "define"})
    log = list(PhaseChange.objects.filter(partnership=partnership).order_by("pk").values_list("from_phase", "to_phase"))
    assert log == [("", "define"), ("define", "act"), ("act", "define")]
    page = Client().get(partnership.get_absolute_url()).content.decode()
    assert "Vi er klar" in page
    assert "Lars Vestergaard" in page


def test_unknown_phase_is_refused(partnership: Partnership, lars: Persona) -> None:
    response = lars.client().post(reverse("partnerships:phase", args=[partnership.pk]), {"phase": "anarchy"})
    assert response.status_code == 200
    assert "Marker en gyldig valgmulighed" in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.phase == "define"


def test_moving_to_the_current_phase_is_refused_and_not_logged(partnership: Partnership, lars: Persona) -> None:
    response = lars.client().post(reverse("partnerships:phase", args=[partnership.pk]), {"phase": "define"})
    assert response.status_code == 200
    assert "Partnerskabet er allerede i denne fase." in response.content.decode()
    assert PhaseChange.objects.filter(partnership=partnership).count() == 1  # only the start


@pytest.mark.django_db(transaction=True)
def test_concurrent_phase_changes_keep_a_true_chain(partnership: Partnership, personas: dict[str, Persona]) -> None:
    """Two members change phase at the same instant: both changes are logged and the chain has no gap."""
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def move(persona: Persona, phase: str) -> None:
        try:
            barrier.wait()
            assert persona.actor is not None
            services.change_phase(user=persona.user, partnership=partnership, by_actor=persona.actor, to_phase=phase)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=move, args=(personas["lars"], "ideas")),
        threading.Thread(target=move, args=(personas["jens"], "act")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    log = list(PhaseChange.objects.filter(partnership=partnership).order_by("pk"))
    assert len(log) == 3
    assert log[2].from_phase == log[1].to_phase
    partnership.refresh_from_db()
    assert partnership.phase == log[2].to_phase


def test_a_challenge_says_when_only_members_can_see_its_partnership(
    private_partnership: Partnership, nora: Persona, lars: Persona
) -> None:
    url = private_partnership.challenge.get_absolute_url()
    outside = nora.client().get(url).content.decode()
    assert "Et partnerskab kun for sine medlemmer arbejder med udfordringen." in outside
    assert "Der er endnu ikke noget partnerskab" not in outside
    assert private_partnership.title not in outside
    inside = lars.client().get(url).content.decode()
    assert private_partnership.title in inside and "kun for sine medlemmer" not in inside


def test_a_stale_edit_of_the_partnership_is_refused_and_keeps_what_was_typed(
    partnership: Partnership, mette: Persona, lars: Persona
) -> None:
    """Lars opens the edit form; Mette saves a new purpose; Lars saves the title he changed. His form still
    holds the old, empty purpose, so saving it would erase Mette's: it is refused, his page shows her version
    beside his own typing, and his next save goes through."""
    url = reverse("partnerships:edit", args=[partnership.pk])
    lars_client, mette_client = lars.client(), mette.client()
    lars_opened, mette_opened = seen_version(lars_client, url), seen_version(mette_client, url)
    purpose = "Flere voksne på torvet om aftenen."
    mine = {"title": "Unge i Vollsmose", "purpose": purpose, "visibility": "public", "seen": mette_opened}
    assert mette_client.post(url, mine).status_code == 302
    his = {"title": "Unge og voksne i Vollsmose", "purpose": "", "visibility": "public", "seen": lars_opened}
    refused = lars_client.post(url, his)
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "Center for Samskabelse gemte en ny udgave, mens du skrev." in html
    assert 'value="Unge og voksne i Vollsmose"' in html and purpose in html
    partnership.refresh_from_db()
    assert (partnership.title, partnership.purpose) == ("Unge i Vollsmose", purpose)
    # He combines them; the form now carries Mette's version, so his second save goes through.
    again = re.search(r'name="seen" value="([^"]*)"', html)
    assert again is not None
    assert lars_client.post(url, his | {"purpose": purpose, "seen": again.group(1)}).status_code == 302
    partnership.refresh_from_db()
    assert (partnership.title, partnership.purpose) == ("Unge og voksne i Vollsmose", purpose)


# Every form field written to a length-limited column, beside that column: PostgreSQL refuses a longer value with
# a 500 where SQLite keeps it, so the form must say no first.
BOUNDED_FIELDS = [
    ("ChallengeForm", "title", "Challenge", "title"),
    ("ChallengeForm", "place", "Challenge", "place"),
    ("StartPartnershipForm", "title", "Partnership", "title"),
    ("PartnershipForm", "title", "Partnership", "title"),
    ("PhaseForm", "note", "PhaseChange", "note"),
    ("AgendaItemForm", "title", "AgendaItem", "title"),
    ("MeetingForm", "title", "Meeting", "title"),
    ("MeetingForm", "place", "Meeting", "place"),
    ("MeetingForm", "video_link", "Meeting", "video_link"),
    ("ProposalForm", "title", "Proposal", "title"),
    ("ActionForm", "title", "Action", "title"),
    ("PledgeForm", "description", "Pledge", "description"),
    ("PledgeForm", "unit", "Pledge", "unit"),
    ("NeedForm", "description", "PartnershipNeed", "description"),
    ("NeedForm", "unit", "PartnershipNeed", "unit"),
]


@pytest.mark.parametrize(("form", "field", "model", "column"), BOUNDED_FIELDS)
def test_every_form_field_is_as_short_as_its_column(form: str, field: str, model: str, column: str) -> None:
    limit = getattr(partnership_models, model)._meta.get_field(column).max_length
    assert getattr(partnership_forms, form).base_fields[field].max_length == limit


def test_a_citizen_invited_is_spoken_to_as_themself_on_the_front_page(
    partnership: Partnership, fie: Persona, odense: object
) -> None:
    from samskab.actors import services as actors

    ida = make_user("ida@example.dk", "Ida Borger")
    citizen = actors.create_actor(user=ida, sector="citizen", name="Ida Borger", municipality=odense)
    assert fie.actor is not None
    services.invite_actor(user=fie.user, partnership=partnership, by_actor=fie.actor, actor=citizen)
    client = Client()
    client.force_login(ida)
    home = " ".join(client.get("/").content.decode().split())
    assert "Du er inviteret ind i et partnerskab." in home and "dine aktører" not in home
