"""An objection stops a proposal, so those it concerns hear of it at once: when Omar objects to Anne's proposal in
the school's involvement process, Anne and their colleagues are told who objected, to what and why, with a link to
the proposal; in co-creation the objecting actor is named. One notice per objection: a consent tells nobody, and
neither does rewording an objection already told. Each person's email choices are kept."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samskab.accounts.models import Notification, NotificationKind
from samskab.partnerships.models import Partnership, Proposal

from .conftest import STAFF, Persona

Capture = Callable[..., AbstractContextManager[object]]


def deadline() -> str:
    return (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")


def propose(persona: Persona, partnership: Partnership, title: str) -> Proposal:
    client = persona.client()
    data = {"title": title, "text": "Praksisfag i blokke på tre uger.", "deadline": deadline()}
    assert client.post(reverse("partnerships:proposals", args=[partnership.pk]), data).status_code == 302
    return Proposal.objects.get(partnership=partnership, title=title)


def respond(client: Client, proposal: Proposal, kind: str, reason: str = "", version: int = 1) -> None:
    data = {"do": "respond", "version": version, "kind": kind, "reason": reason}
    assert client.post(proposal.get_absolute_url(), data).status_code == 302


def told_by_email(capture: Capture, act: Callable[[], object]) -> dict[str, str]:
    """Who was emailed at once while `act` ran, and what each email said."""
    mail.outbox.clear()
    with capture(execute=True):
        act()
    return {message.to[0]: str(message.body) for message in mail.outbox}


def test_omars_objection_is_told_to_anne_and_their_colleagues_once(
    involvement: Partnership, anne: Persona, omar: Persona, django_capture_on_commit_callbacks: Capture
) -> None:
    proposal = propose(anne, involvement, "Forløb i blokke")
    reason = "Vi mangler lokaler til blokkene, og værkstedet er optaget om tirsdagen hele foråret og langt ind i maj."

    emails = told_by_email(
        django_capture_on_commit_callbacks, lambda: respond(omar.client(), proposal, "objection", reason)
    )

    everyone_but_omar = {"anne@skole.dk", *(f"{name}@skole.dk" for name in STAFF if name != "omar")}
    assert set(emails) == everyone_but_omar
    body = " ".join(emails["anne@skole.dk"].split())
    assert (
        "Omar gør indsigelse mod “Forløb i blokke”. Så længe indsigelsen står ved magt, kan forslaget ikke vedtages; "
        "forslagsstilleren kan ændre det. Begrundelse: “Vi mangler lokaler til blokkene, og værkstedet er optaget om"
        in body
    )
    assert "tirsdagen hele foråret" not in body  # the start of the reason; the whole is on the proposal's page
    assert proposal.get_absolute_url() in body
    assert "Nørreby Skole gør indsigelse" not in body  # a person objected, not the school
    notices = Notification.objects.filter(text__contains="gør indsigelse")
    assert notices.count() == len(everyone_but_omar)
    assert {n.kind for n in notices} == {NotificationKind.PROPOSAL} and {n.url for n in notices} == {
        proposal.get_absolute_url()
    }

    # Rewording the objection, or a colleague's consent, tells nobody again.
    camilla = Persona(notices.get(user__email="camilla@skole.dk").user, anne.actor)

    def reword_and_consent() -> None:
        respond(omar.client(), proposal, "objection", "Vi mangler lokaler.")
        respond(camilla.client(), proposal, "consent")
        respond(camilla.client(), proposal, "concern", "Husk skemaet.")

    again = told_by_email(django_capture_on_commit_callbacks, reword_and_consent)
    assert again == {}
    assert Notification.objects.filter(text__contains="gør indsigelse").count() == len(everyone_but_omar)

    # Camilla changes her mind and objects too: her objection is a new one, told to everyone but her.
    emails = told_by_email(
        django_capture_on_commit_callbacks,
        lambda: respond(camilla.client(), proposal, "objection", "Skemaet kan ikke nå det."),
    )
    assert set(emails) == {
        "anne@skole.dk",
        "omar@skole.dk",
        *(f"{n}@skole.dk" for n in STAFF if n not in ("omar", "camilla")),
    }
    told = " ".join(emails["omar@skole.dk"].split())
    assert "Camilla gør indsigelse mod “Forløb i blokke”." in told
    assert "Begrundelse: “Skemaet kan ikke nå det.”\n" in emails["omar@skole.dk"]  # no full stop after the quote


def test_an_objection_to_the_amended_version_is_told_again(
    involvement: Partnership, anne: Persona, omar: Persona, django_capture_on_commit_callbacks: Capture
) -> None:
    proposal = propose(anne, involvement, "Forløb i blokke")
    respond(omar.client(), proposal, "objection", "Vi mangler lokaler.")
    anne.client().post(
        proposal.get_absolute_url(), {"do": "amend", "version": 1, "text": "Blokke på to uger, i gymnastiksalen."}
    )
    assert proposal.versions.count() == 2

    emails = told_by_email(
        django_capture_on_commit_callbacks,
        lambda: respond(omar.client(), proposal, "objection", "Salen er også optaget.", version=2),
    )

    assert "Omar gør indsigelse mod “Forløb i blokke”." in emails["anne@skole.dk"]
    assert "Begrundelse: “Salen er også optaget.”\n" in emails["anne@skole.dk"]


def test_a_colleague_without_a_name_is_named_as_members_see_her_never_by_address(
    involvement: Partnership, anne: Persona, omar: Persona, django_capture_on_commit_callbacks: Capture
) -> None:
    omar.user.name = ""
    omar.user.save()
    proposal = propose(anne, involvement, "Forløb i blokke")

    emails = told_by_email(
        django_capture_on_commit_callbacks, lambda: respond(omar.client(), proposal, "objection", "Ingen lokaler")
    )

    body = " ".join(emails["anne@skole.dk"].split())
    assert "En person, der ikke har oplyst sit navn gør indsigelse mod “Forløb i blokke”." in body
    assert "Begrundelse: “Ingen lokaler”" in body
    assert "omar@skole.dk" not in body


def test_in_co_creation_the_objecting_actor_is_named_to_the_other_actors(
    partnership: Partnership, personas: dict[str, Persona], django_capture_on_commit_callbacks: Capture
) -> None:
    proposal = propose(personas["lars"], partnership, "Fredagsåben hal")

    emails = told_by_email(
        django_capture_on_commit_callbacks,
        lambda: respond(personas["jens"].client(), proposal, "objection", "Butikken kan ikke stille personale."),
    )

    # Lars proposed, and is told first of all; every other actor hears of it; Jens's own shop is not told.
    assert set(emails) == {"lars@boldklub.dk", "mette@kommune.dk", "sofie@example.dk", "fie@frivillig.dk"}
    body = " ".join(emails["lars@boldklub.dk"].split())
    assert "Købmand Madsen gør indsigelse mod “Fredagsåben hal”." in body
    assert "Begrundelse: “Butikken kan ikke stille personale.”" in body
    assert "Jens Madsen" not in body and proposal.get_absolute_url() in body

    # Mette's consent tells nobody.
    assert (
        told_by_email(
            django_capture_on_commit_callbacks, lambda: respond(personas["mette"].client(), proposal, "consent")
        )
        == {}
    )


@pytest.mark.parametrize("choice", ["none", "digest"])
def test_a_person_who_chose_no_email_at_once_for_proposals_finds_the_objection_in_samskab(
    involvement: Partnership,
    anne: Persona,
    omar: Persona,
    django_capture_on_commit_callbacks: Capture,
    choice: str,
) -> None:
    choices = {f"email-{kind}": "immediate" for kind in NotificationKind.values} | {"email-proposal": choice}
    assert anne.client().post(reverse("accounts:notifications"), choices).status_code == 302
    proposal = propose(anne, involvement, "Forløb i blokke")

    emails = told_by_email(
        django_capture_on_commit_callbacks, lambda: respond(omar.client(), proposal, "objection", "Ingen lokaler")
    )

    assert "anne@skole.dk" not in emails and "camilla@skole.dk" in emails
    page = anne.client().get(reverse("accounts:notifications")).content.decode()
    assert "Omar gør indsigelse mod “Forløb i blokke”" in page
