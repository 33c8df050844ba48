"""The record of consent stays honest. Lars's club proposes to open the hall on Friday evenings; Mette from the
municipality can put right a slip in the decision log, but not rewrite what was decided unseen: everyone is told,
the log shows the old text beside the new, and the power-balance monitor does not count her correction as a
decision her sector initiated. The proposer is shown consenting by proposing, an objection to an amended version
stays on record, and a refusal from the service is tied to the field it concerns."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from samskab.accounts.models import Notification
from samskab.lib.forms import add_refusal, field_refusal
from samskab.partnerships import services
from samskab.partnerships.models import Decision, Partnership, Proposal, ProposalComment
from samskab.partnerships.models.decisions import COMMENT_MAX_LENGTH

from .conftest import Persona
from .test_governance import expire, make_proposal


def settle(proposal: Proposal) -> None:
    expire(proposal)
    services.settle_due_proposals()


def flat(response: object) -> str:
    return " ".join(response.content.decode().split())  # type: ignore[attr-defined]


def rows(page: str) -> list[tuple[str, str]]:
    """The (voice, response) rows of the responses to the current version."""
    table = page[page.index("<h2>Svar på denne version</h2>") :]
    table = table[: table.index("</table>")]
    return re.findall(r'<th scope="row">([^<]*)</th><td>([^<]*)</td>', table)


# --- 1. A correction puts right the record, in the open -------------------------------------------------------


def test_mette_corrects_a_slip_in_the_log_and_everyone_sees_what_changed(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    lars, mette = personas["lars"], personas["mette"]
    decision_of = make_proposal(lars, partnership, text="Hallen holder åbent fredag kl. 19-32.")
    settle(decision_of)
    decided = Decision.objects.get()
    Notification.objects.all().delete()
    url = reverse("partnerships:decisions", args=[partnership.pk])

    form = flat(mette.client().get(url))
    assert "Den kan ikke ændre, hvad der blev besluttet: det kræver et nyt forslag" in form
    assert "En rettelse kan ikke ændre, hvad der blev besluttet: en ændring er et nyt forslag" in form  # the hint
    assert f'correction-{decided.pk}-text_helptext"' in form
    # The form starts from the entry's text, so the slip is put right rather than the decision retyped.
    assert "Hallen holder åbent fredag kl. 19-32.</textarea>" in form

    unchanged = mette.client().post(url, {"decision": decided.pk, "text": "Hallen holder åbent fredag kl. 19-32. "})
    page = flat(unchanged)
    assert "Rettelsen lyder præcis som posten." in page
    assert f'<a href="#correction-{decided.pk}-text" class="function-link">' in page  # the summary links the field
    assert f'id="correction-{decided.pk}-text_error"' in page and 'aria-invalid="true"' in page
    assert Decision.objects.count() == 1

    posted = mette.client().post(url, {"decision": decided.pk, "text": "Hallen holder åbent fredag kl. 19-23."})
    assert posted.status_code == 302
    correction = Decision.objects.get(corrects=decided)
    assert correction.initiated_by == mette.actor

    # Everyone else taking part is told who corrected which entry and how it now reads; Mette is not.
    told = Notification.objects.filter(kind="decision")
    assert {n.user.email for n in told} == {
        "lars@boldklub.dk",
        "sofie@example.dk",
        "jens@kobmand.dk",
        "fie@frivillig.dk",
    }
    notice = told.first()
    assert notice is not None
    assert notice.text.startswith("Center for Samskabelse har rettet beslutningsloggens post “Fredagsåben hal” fra ")
    assert notice.text.endswith("Posten lyder nu: “Hallen holder åbent fredag kl. 19-23.”")
    assert notice.url == f"{url}#decision-{correction.pk}"

    # Any reader of the public partnership sees the correction as such, the text it corrects beside it.
    log = flat(Client().get(url))
    assert "Rettelse af “Fredagsåben hal”" in log
    shown = log[log.index("Rettelse af “Fredagsåben hal”") :]
    assert shown.index("Posten lød") < shown.index("fredag kl. 19-32.") < shown.index("Rettet til")
    assert shown.index("Rettet til") < shown.index("fredag kl. 19-23.")
    assert "Registreret af Center for Samskabelse uden en samtykkerunde" in log
    assert "Center for Samskabelse registrerede den " in log
    assert f'<a href="#decision-{correction.pk}">en rettelse</a> af denne post.' in log

    # The monitor counts the decision for the club that proposed it, not a second one for the municipality.
    balance = Client().get(f"/api/v1/partnerships/{partnership.pk}/power-balance").json()
    assert balance["counts"]["decisions"] == {"association": 1}
    # Nor is the correction a decision an action could carry out: the action form offers the decision alone.
    plan = mette.client().get(reverse("partnerships:together", args=[partnership.pk])).content.decode()
    assert f'<option value="{decided.pk}"' in plan and f'<option value="{correction.pk}"' not in plan


def test_a_colleague_is_named_when_she_corrects_the_staffs_log(
    anne: Persona, omar: Persona, involvement: Partnership
) -> None:
    proposal = make_proposal(anne, involvement, text="Praksisfag i blokke på tre uger.")
    settle(proposal)
    decided = Decision.objects.get()
    Notification.objects.all().delete()
    assert omar.actor is not None
    services.correct_decision(
        user=omar.user, decision=decided, by_actor=omar.actor, text="Praksisfag i blokke på to uger."
    )
    told = Notification.objects.filter(kind="decision")
    assert "omar@skole.dk" not in {n.user.email for n in told} and "anne@skole.dk" in {n.user.email for n in told}
    assert all(n.text.startswith("Omar har rettet beslutningsloggens post") for n in told)


# --- 2. The proposer consents by proposing ---------------------------------------------------------------------


def test_the_proposing_club_is_shown_consenting_by_proposing(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    lars, jens = personas["lars"], personas["jens"]
    proposal = make_proposal(lars, partnership)
    url = proposal.get_absolute_url()
    shown = dict(rows(flat(jens.client().get(url))))
    assert shown["Vollsmose Boldklub"] == "Samtykke (som forslagsstiller)"
    assert shown["Købmand Madsen"] == "Afventer (tavshed tæller som samtykke ved fristen)"

    settle(proposal)
    shown = dict(rows(flat(Client().get(url))))
    assert shown["Vollsmose Boldklub"] == "Samtykke (som forslagsstiller)"
    assert shown["Købmand Madsen"] == "Tavs (regnet som samtykke)"


def test_a_proposer_who_answers_otherwise_is_shown_with_that_answer(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    lars = personas["lars"]
    assert lars.actor is not None
    proposal = make_proposal(lars, partnership)
    services.respond_to_proposal(
        user=lars.user, proposal=proposal, actor=lars.actor, version_number=1, kind="concern", reason="Nøglerne"
    )
    shown = dict(rows(flat(lars.client().get(proposal.get_absolute_url()))))
    assert shown["Vollsmose Boldklub"] == "Samtykke med en bekymring"


def test_anne_consents_by_proposing_and_outsiders_do_not_learn_who_she_is(
    anne: Persona, omar: Persona, involvement: Partnership
) -> None:
    Partnership.objects.filter(pk=involvement.pk).update(visibility=Partnership.Visibility.PUBLIC)
    proposal = make_proposal(anne, involvement)
    assert omar.actor is not None
    services.respond_to_proposal(
        user=omar.user, proposal=proposal, actor=omar.actor, version_number=1, kind="objection", reason="Lokalerne"
    )
    url = proposal.get_absolute_url()
    member = dict(rows(flat(omar.client().get(url))))
    assert member["Anne Lindholm"] == "Samtykke (som forslagsstiller)"
    assert member["Omar"] == "Indsigelse"
    assert list(member.values()).count("Afventer (tavshed tæller som samtykke ved fristen)") == 4

    outsider = flat(Client().get(url))
    assert "Anne Lindholm" not in outsider and "Omar" not in outsider
    # Unnamed, in the order of the answers: the objection, the consent by proposing, then the silent.
    assert [kind for _who, kind in rows(outsider)] == [
        "Indsigelse",
        "Samtykke (som forslagsstiller)",
        *["Afventer (tavshed tæller som samtykke ved fristen)"] * 4,
    ]
    assert {who for who, _kind in rows(outsider)} == {"En deltager"}


# --- 3. Why a proposal changed stays on record -----------------------------------------------------------------


def test_the_objection_that_led_to_an_amendment_stays_on_record(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    lars, jens, mette = personas["lars"], personas["jens"], personas["mette"]
    assert lars.actor and jens.actor and mette.actor
    proposal = make_proposal(lars, partnership)
    services.respond_to_proposal(
        user=jens.user,
        proposal=proposal,
        actor=jens.actor,
        version_number=1,
        kind="objection",
        reason="Butikken lukker 20",
    )
    services.respond_to_proposal(
        user=mette.user, proposal=proposal, actor=mette.actor, version_number=1, kind="concern", reason="Husk nøglerne"
    )
    services.amend_proposal(user=lars.user, proposal=proposal, by_actor=lars.actor, text="Vi åbner fredag til kl. 20")

    page = flat(Client().get(proposal.get_absolute_url()))
    earlier = page[page.index("<h2>Tidligere versioner</h2>") :]
    assert "Version 1, " in earlier and "· 1 indsigelse</summary>" in earlier
    assert "<caption>Svar på version 1</caption>" in earlier
    assert '<th scope="row">Købmand Madsen</th><td>Indsigelse</td><td>Butikken lukker 20</td>' in earlier
    assert '<th scope="row">Center for Samskabelse</th><td>Samtykke med en bekymring</td><td>Husk nøglerne</td>' in (
        earlier
    )


def test_earlier_objections_in_a_public_staff_process_keep_their_reasons_not_their_names(
    anne: Persona, omar: Persona, involvement: Partnership
) -> None:
    Partnership.objects.filter(pk=involvement.pk).update(visibility=Partnership.Visibility.PUBLIC)
    assert anne.actor is not None and omar.actor is not None
    proposal = make_proposal(anne, involvement)
    services.respond_to_proposal(
        user=omar.user, proposal=proposal, actor=omar.actor, version_number=1, kind="objection", reason="Lokalerne"
    )
    services.amend_proposal(user=anne.user, proposal=proposal, by_actor=anne.actor, text="Blokke på to uger")
    url = proposal.get_absolute_url()
    outsider = flat(Client().get(url))
    earlier = outsider[outsider.index("<h2>Tidligere versioner</h2>") :]
    assert '<th scope="row">En deltager</th><td>Indsigelse</td><td>Lokalerne</td>' in earlier
    assert "Omar" not in outsider
    member = flat(anne.client().get(url))
    assert '<th scope="row">Omar</th><td>Indsigelse</td><td>Lokalerne</td>' in member


# --- 4. A refusal is tied to its field ------------------------------------------------------------------------


def test_an_objection_without_a_reason_is_marked_at_the_reason_field(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    proposal = make_proposal(personas["lars"], partnership)
    jens = personas["jens"]
    url = proposal.get_absolute_url()
    form = flat(jens.client().get(url))
    assert "Begrundelse (skal gives ved indsigelse eller bekymring)</label>" in form
    assert "(frivilligt)" not in form[form.index("Svar på vegne af din aktør") :]

    page = flat(jens.client().post(url, {"do": "respond", "version": 1, "kind": "objection", "reason": " "}))
    assert (
        '<a href="#id_reason" class="function-link">Begrundelse (skal gives ved indsigelse eller bekymring): '
        "Giv en begrundelse for din indsigelse eller bekymring.</a>"
    ) in page
    assert 'id="id_reason_error"' in page
    assert re.search(r'<textarea name="reason"[^>]*aria-invalid="true"', page)
    assert re.search(r'value="objection"[^>]*checked', page)  # what was chosen is kept
    assert not proposal.versions.get().responses.exists()


def test_a_comment_too_long_is_marked_at_the_comment_field_with_the_text_kept(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    proposal = make_proposal(personas["lars"], partnership)
    long = "Hvem låser af? " * (COMMENT_MAX_LENGTH // 10)
    page = flat(
        personas["sofie"].client().post(proposal.get_absolute_url(), {"do": "comment", "version": 1, "text": long})
    )
    assert '<a href="#comment-text" class="function-link">Din kommentar: En kommentar må højst være' in page
    assert re.search(r'<textarea name="text"[^>]*aria-invalid="true"', page)
    assert "Hvem låser af? Hvem låser af?" in page
    assert not ProposalComment.objects.exists()


def test_a_refusal_naming_a_field_the_person_cannot_fill_in_stands_above_the_form() -> None:
    class Form(forms.Form):
        text = forms.CharField()
        version = forms.IntegerField(widget=forms.HiddenInput)

    form = Form({"text": "x", "version": "1"})
    assert form.is_valid()
    add_refusal(form, field_refusal("version", "Forslaget har ingen version 3.", code="version"))
    add_refusal(form, field_refusal("elsewhere", "Et andet felt.", code="other"))
    add_refusal(form, ValidationError("Forslaget er lukket.", code="closed"))
    add_refusal(form, field_refusal("text", "Skriv noget.", code="empty"))
    assert form.non_field_errors() == ["Forslaget har ingen version 3.", "Et andet felt.", "Forslaget er lukket."]
    assert form.errors["text"] == ["Skriv noget."] and form.has_error("text", "empty")


# --- An amendment says something new, of the version the proposer read ------------------------------------------


def test_an_amendment_of_a_version_amended_since_or_saying_the_same_is_refused_and_nobody_is_asked_again(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    lars, jens = personas["lars"], personas["jens"]
    assert lars.actor is not None and jens.actor is not None
    proposal = make_proposal(lars, partnership)
    services.respond_to_proposal(
        user=jens.user, proposal=proposal, actor=jens.actor, version_number=1, kind="consent", reason=""
    )
    told = Notification.objects.filter(user=jens.user).count()
    url = proposal.get_absolute_url()
    amend = {"do": "amend", "version": 1, "actor": lars.actor.pk}

    same = lars.client().post(url, amend | {"text": "  Vi åbner hallen  fredag aften "})  # the form sent again
    assert same.status_code == 200
    assert same.context["amend_form"].errors["text"] == [
        "Ændringen siger det samme som version 1. Ret teksten, eller lad forslaget være, som det er."
    ]
    assert proposal.versions.count() == 1

    assert lars.client().post(url, amend | {"text": "Vi åbner hallen fredag og lørdag"}).status_code == 302
    stale = lars.client().post(url, amend | {"text": "Vi åbner hallen hver dag"})  # a second tab, opened at version 1
    assert stale.status_code == 200
    assert "Forslaget blev ændret, mens du skrev. Læs version 2" in flat(stale)
    assert "Vi åbner hallen hver dag" in flat(stale)  # what was typed stays
    assert proposal.versions.count() == 2
    assert Notification.objects.filter(user=jens.user).count() == told + 1  # asked again once, for version 2
    assert 'name="version" value="2"' in flat(lars.client().get(url))
