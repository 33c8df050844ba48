"""Members discuss a proposal before they respond, as Loomio pairs a thread with every proposal: Lars's club proposes
to open the hall on Friday evenings, Sofie asks about it, Jens replies, and Lars amends. Consent works only when an
objection can turn into an amendment through talk. Every member may write; outsiders read, and change nothing."""

import json
import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samskab.accounts.models import Notification
from samskab.partnerships import services
from samskab.partnerships.models import Partnership, Proposal, ProposalComment

from .conftest import Persona
from .test_employee_involvement import process, school  # noqa: F401  (the school's involvement process)
from .test_equality import MEMBERS, WHO, client_for


def make_proposal(persona: Persona, partnership: Partnership) -> Proposal:
    assert persona.actor is not None
    return services.propose(
        user=persona.user,
        partnership=partnership,
        by_actor=persona.actor,
        title="Fredagsåben hal",
        text="Vi åbner hallen fredag aften for de unge.",
        deadline=timezone.now() + timedelta(days=2),
    )


def comment(persona: Persona, proposal: Proposal, text: str, **extra: object) -> ProposalComment:
    assert persona.actor is not None
    return services.comment_on_proposal(
        user=persona.user,
        proposal=proposal,
        actor=persona.actor,
        text=text,
        **extra,  # type: ignore[arg-type]
    )


def flat(response: object) -> str:
    return " ".join(response.content.decode().split())  # type: ignore[attr-defined]


def test_sofie_asks_jens_replies_and_lars_amends(partnership: Partnership, personas: dict[str, Persona]) -> None:
    lars, sofie, jens, mette = personas["lars"], personas["sofie"], personas["jens"], personas["mette"]
    proposal = make_proposal(lars, partnership)
    Notification.objects.all().delete()
    url = proposal.get_absolute_url()
    page = flat(sofie.client().get(url))
    assert "Drøftelse</h2>" in page and "Der er ikke skrevet noget endnu." in page
    assert "Skriv i drøftelsen" in page
    # The proposer's page holds the response, amendment and comment forms: each field has an id of its own.
    ids = re.findall(r' id="([^"]+)"', lars.client().get(url).content.decode())
    assert "comment-text" in ids and len(ids) == len(set(ids))

    posted = sofie.client().post(url, {"do": "comment", "version": 1, "text": "Hvem låser hallen af bagefter?"})

    asked = ProposalComment.objects.get()
    assert posted.status_code == 302 and posted.url == f"{url}#kommentar-{asked.pk}"
    assert (asked.actor, asked.user, asked.version.number, asked.reply_to) == (sofie.actor, sofie.user, 1, None)
    # The club that proposed is told, with the comment's first words and a link to it; Sofie is not.
    told = Notification.objects.get()
    assert (told.user, told.kind, told.url) == (lars.user, "proposal", asked.get_absolute_url())
    assert told.text == "Sofie Andersen skrev i drøftelsen af “Fredagsåben hal”: “Hvem låser hallen af bagefter?”"

    # Jens follows the "Reply" link; his reply hangs under Sofie's question, and Sofie hears of it too.
    reply_link = f"{url}?svar={asked.pk}#kommentar-form"
    assert reply_link in flat(jens.client().get(url))
    form = flat(jens.client().get(f"{url}?svar={asked.pk}"))
    assert "Du svarer på kommentaren fra Sofie Andersen:" in form
    assert f'name="reply_to" value="{asked.pk}"' in form
    jens.client().post(
        url, {"do": "comment", "version": 1, "reply_to": asked.pk, "text": "Det gør jeg, jeg bor ved siden af"}
    )
    reply = ProposalComment.objects.latest("pk")
    assert reply.reply_to == asked
    assert {n.user for n in Notification.objects.filter(url=reply.get_absolute_url())} == {lars.user, sofie.user}
    assert not Notification.objects.filter(user=jens.user).exists()

    # Lars meets the question with an amendment; Mette writes on the new version, and the thread says which is which.
    services.amend_proposal(
        user=lars.user, proposal=proposal, by_actor=lars.actor, text="Vi åbner hallen fredag aften. Jens låser af."
    )
    comment(mette, proposal, "Fint, så kan vi samtykke.")
    page = flat(Client().get(url))  # anyone may read a public partnership's discussion
    assert "Drøftelse: 3 kommentarer</h2>" in page
    order = [page.index(text) for text in ("Hvem låser hallen", "Det gør jeg", "Fint, så kan vi samtykke")]
    assert order == sorted(order)  # oldest first, the reply under what it answers
    assert "<strong>Sofie Andersen</strong>" in page  # a citizen actor is the person: named once
    assert "<strong>Jens Madsen (Købmand Madsen)</strong>" in page
    assert "til version 1, en tidligere version" in page and "til version 2</p>" in page
    assert "jens@kobmand.dk" not in page and "Skriv i drøftelsen" not in page  # outsiders read, and write nothing


def test_a_reply_to_a_reply_answers_the_first_comment(partnership: Partnership, personas: dict[str, Persona]) -> None:
    proposal = make_proposal(personas["lars"], partnership)
    first = comment(personas["sofie"], proposal, "Hvem låser af?")
    second = comment(personas["jens"], proposal, "Det gør jeg.", reply_to=first)
    third = comment(personas["mette"], proposal, "Tak, Jens.", reply_to=second)
    assert (second.reply_to, third.reply_to) == (first, first)  # one level: the thread stays readable


def test_an_empty_or_too_long_comment_is_refused_with_the_text_kept(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    proposal = make_proposal(personas["lars"], partnership)
    client = personas["jens"].client()
    url = proposal.get_absolute_url()

    empty = client.post(url, {"do": "comment", "version": 1, "text": "   "})
    assert empty.status_code == 200
    assert "Skriv din kommentar." in empty.content.decode()

    long = "Hallen er for lille. " * 100  # 2,099 characters once its last space is gone
    refused = client.post(url, {"do": "comment", "version": 1, "text": long})
    page = refused.content.decode()
    assert "En kommentar må højst være 2000 tegn; din er 2099." in page
    assert long.strip() in page  # what Jens typed is still in the field
    assert not ProposalComment.objects.exists()
    with pytest.raises(ValidationError):
        comment(personas["jens"], proposal, "x" * 2001)
    assert comment(personas["jens"], proposal, "x" * 2000).text == "x" * 2000


def test_a_closed_proposal_takes_no_more_comments(partnership: Partnership, personas: dict[str, Persona]) -> None:
    """Jens writes while the deadline passes: he is told the discussion closed, and his text stays on the page."""
    proposal = make_proposal(personas["lars"], partnership)
    Proposal.objects.filter(pk=proposal.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError, match="Fristen er overskredet"):
        comment(personas["jens"], proposal, "For sent?")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PASSED  # the refusal settled it

    text = "Jeg nåede det ikke i tide."
    late = personas["jens"].client().post(proposal.get_absolute_url(), {"do": "comment", "version": 1, "text": text})
    page = late.content.decode()
    assert late.status_code == 200
    assert "Forslaget er lukket (vedtaget), og det er drøftelsen også." in page
    assert text in page
    assert not ProposalComment.objects.exists()
    # Afterwards the page offers no form, and says the discussion is over.
    closed = flat(personas["jens"].client().get(proposal.get_absolute_url()))
    assert "Der blev ikke skrevet noget i drøftelsen." in closed and "Skriv i drøftelsen" not in closed


def test_with_htmx_the_form_rerenders_the_thread_alone(partnership: Partnership, personas: dict[str, Persona]) -> None:
    proposal = make_proposal(personas["lars"], partnership)
    client = personas["sofie"].client()
    url = proposal.get_absolute_url()
    form = client.get(url).content.decode()
    assert f'hx-post="{url}" hx-target="#discussion" hx-swap="outerHTML"' in form

    htmx = {"HX-Request": "true"}
    posted = client.post(url, {"do": "comment", "version": 1, "text": "Hvem låser af?"}, headers=htmx)
    fragment = flat(posted)
    assert posted.status_code == 200
    assert fragment.startswith('<section id="discussion"') and "<html" not in fragment
    assert "Drøftelse: 1 kommentar</h2>" in fragment and "Hvem låser af?" in fragment
    assert "Din kommentar er tilføjet drøftelsen." in fragment
    assert '<textarea name="text"' in fragment and "Hvem låser af?</textarea>" not in fragment  # an empty form again

    refused = flat(client.post(url, {"do": "comment", "version": 1, "text": "x" * 2001}, headers=htmx))
    assert refused.startswith('<section id="discussion"') and "din er 2001" in refused
    assert f"{'x' * 2001}</textarea>" in refused
    assert ProposalComment.objects.count() == 1


@pytest.mark.parametrize("who", MEMBERS)
def test_every_member_comments_with_the_same_effect(
    who: str, partnership: Partnership, personas: dict[str, Persona]
) -> None:
    proposal = make_proposal(personas["lars"], partnership)
    persona = personas[WHO[who]]
    response = persona.client().post(proposal.get_absolute_url(), {"do": "comment", "version": 1, "text": "Godt"})
    assert response.status_code == 302
    written = ProposalComment.objects.get()
    assert (written.actor, written.user, written.text) == (persona.actor, persona.user, "Godt")
    # Only the proposing club's people are told, and never the one who wrote.
    assert [n.user for n in Notification.objects.filter(text__contains="skrev i drøftelsen")] == (
        [] if who == "association member" else [personas["lars"].user]
    )


@pytest.mark.parametrize(("who", "status"), [("non-member", 403), ("anonymous", 302)])
def test_outsiders_cannot_comment(
    who: str, status: int, partnership: Partnership, private_partnership: Partnership, personas: dict[str, Persona]
) -> None:
    proposal = make_proposal(personas["lars"], partnership)
    client = client_for(who, personas)
    response = client.post(proposal.get_absolute_url(), {"do": "comment", "version": 1, "text": "Udefra"})
    assert response.status_code == status
    if who == "anonymous":
        assert response.url.startswith(reverse("account_login"))
    hidden = make_proposal(personas["lars"], private_partnership)
    assert client.post(hidden.get_absolute_url(), {"do": "comment", "version": 1, "text": "Udefra"}).status_code == 404
    with pytest.raises(PermissionDenied):
        comment(personas["nora"], proposal, "Udefra")
    assert not ProposalComment.objects.exists()


def test_the_page_reads_the_discussion_in_the_same_queries_however_long_it_is(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    proposal = make_proposal(personas["lars"], partnership)
    client = personas["mette"].client()
    first = comment(personas["sofie"], proposal, "Hvem låser af?")
    comment(personas["jens"], proposal, "Det gør jeg.", reply_to=first)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(proposal.get_absolute_url()).status_code == 200
        return len(captured)

    few = queries()
    for persona in ("fie", "mette", "lars", "sofie"):
        asked = comment(personas[persona], proposal, f"{persona} spørger")
        comment(personas["jens"], proposal, "Svar", reply_to=asked)
    assert queries() == few


def test_in_employee_involvement_only_members_see_who_wrote(
    school: dict[str, Persona],  # noqa: F811
    process: Partnership,  # noqa: F811
) -> None:
    """Anne's process is public. Omar, who has given no name, and Bo discuss her proposal: the staff see who wrote,
    outsiders read "a participant", and nobody is ever shown by address."""
    Partnership.objects.filter(pk=process.pk).update(visibility=Partnership.Visibility.PUBLIC)
    process.refresh_from_db()
    anne, omar, bo = school["anne"], school["omar"], school["bo"]
    omar.user.name = ""
    omar.user.save()
    proposal = make_proposal(anne, process)
    Notification.objects.all().delete()

    comment(omar, proposal, "Hvor skal blokkene ligge?")
    assert [n.user for n in Notification.objects.all()] == [anne.user]  # the proposer; not Bo, not Omar himself
    # No name, no address: named as the discussion and the objections name him to members.
    assert Notification.objects.get().text.startswith("En person, der ikke har oplyst sit navn skrev i drøftelsen")
    Notification.objects.all().delete()
    comment(bo, proposal, "I uge 10 til 12.")
    assert {n.user for n in Notification.objects.all()} == {anne.user, omar.user}  # and everyone who wrote before
    assert Notification.objects.filter(text__startswith="Bo Berg skrev i drøftelsen").count() == 2

    url = proposal.get_absolute_url()
    member = flat(anne.client().get(url))
    assert "<strong>En person, der ikke har oplyst sit navn (Nørreby Skole)</strong>" in member
    assert "<strong>Bo Berg (Nørreby Skole)</strong>" in member
    outsider = flat(Client().get(url))
    assert "Hvor skal blokkene ligge?" in outsider and "I uge 10 til 12." in outsider
    assert outsider.count("<strong>En deltager</strong>") == 2
    for name in ("Anne Lund", "Bo Berg", "omar@skole.dk"):
        assert name not in outsider
    assert "omar@skole.dk" not in member
    api = f"/api/v1/partnerships/{process.pk}/proposals/{proposal.pk}/comments"
    assert [c["person"] for c in Client().get(api).json()] == [None, None]
    assert [c["person"] for c in bo.client().get(api).json()] == ["En person, der ikke har oplyst sit navn", "Bo Berg"]


def test_comments_are_in_the_data_download_and_stay_when_the_account_goes(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    lars, jens = personas["lars"], personas["jens"]
    proposal = make_proposal(lars, partnership)
    comment(jens, proposal, "Jeg kan låse af.")
    client = jens.client()

    data = json.loads(client.get(reverse("accounts:download_data")).content)
    assert [
        (c["proposal__title"], c["version__number"], c["actor__name"], c["text"])
        for c in data["partnerships"]["proposal_comments"]
    ] == [("Fredagsåben hal", 1, "Købmand Madsen", "Jeg kan låse af.")]
    assert (
        json.loads(lars.client().get(reverse("accounts:download_data")).content)["partnerships"]["proposal_comments"]
        == []
    )

    client.post(reverse("accounts:delete_account"), {"password": "en-god-adgangskode-42"})
    kept = ProposalComment.objects.get()
    assert (kept.user, kept.actor, kept.text) == (None, jens.actor, "Jeg kan låse af.")
    page = flat(lars.client().get(proposal.get_absolute_url()))
    assert "<strong>Købmand Madsen</strong>" in page and "Jens Madsen" not in page


def test_a_reader_who_is_no_member_is_told_who_discusses(partnership: Partnership, lars: Persona) -> None:
    """A public partnership's reader sees the discussion, without the members' invitation to write in it."""
    proposal = make_proposal(lars, partnership)
    page = " ".join(Client().get(proposal.get_absolute_url()).content.decode().split())
    assert "Medlemsaktørernes folk deltager i drøftelsen." in page
    assert "Der er ikke skrevet noget endnu." in page and "Der blev ikke skrevet noget" not in page
    assert "Spørg til forslaget" not in page
    member = " ".join(lars.client().get(proposal.get_absolute_url()).content.decode().split())
    assert "Folkene i medlemsaktørerne deltager i diskussionen." not in member
