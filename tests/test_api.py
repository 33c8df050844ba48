"""The REST API: the same services and visibility rules as the pages, token authentication for writes."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samskab.accounts.services import create_api_token
from samskab.opinions.models import Statement
from samskab.partnerships.models import Challenge, Partnership, PhaseChange, Proposal

from .conftest import Persona

API = "/api/v1"


def bearer(persona: Persona) -> dict[str, str]:
    _token, key = create_api_token(user=persona.user, label="test")
    return {"Authorization": f"Bearer {key}"}


def test_openapi_description_lists_the_endpoints(db: None) -> None:
    spec = Client().get(f"{API}/openapi.json").json()
    assert spec["info"]["title"] == "Samskab API"
    for path in (
        "/api/v1/actors/",
        "/api/v1/actors/{slug}",
        "/api/v1/challenges",
        "/api/v1/partnerships/{partnership_id}/phase",
    ):
        assert path in spec["paths"], path


def test_actor_search_matches_the_directory(personas: dict[str, Persona]) -> None:
    client = Client()
    found = client.get(f"{API}/actors/", {"q": "boldklub"}).json()
    assert [a["name"] for a in found["items"]] == ["Vollsmose Boldklub"]
    businesses = client.get(f"{API}/actors/", {"sector": "business"}).json()
    assert [a["name"] for a in businesses["items"]] == ["Købmand Madsen"]
    assert client.get(f"{API}/actors/", {"sector": "alien"}).status_code == 422


def test_actor_search_counts_its_result_once(personas: dict[str, Persona]) -> None:
    # Whether the words matched is decided by a count; the page of results reuses it.
    with CaptureQueriesContext(connection) as queries:
        found = Client().get(f"{API}/actors/", {"q": "boldklub", "limit": 1}).json()
    assert found["count"] == 1
    assert sum("COUNT(" in q["sql"].upper() for q in queries.captured_queries) == 1


def test_actor_detail_hides_private_contact_fields(lars: Persona) -> None:
    actor = lars.actor
    assert actor is not None
    actor.contact_email, actor.contact_phone, actor.public_fields = "k@b.dk", "87654321", ["contact_email"]
    actor.save()
    data = Client().get(f"{API}/actors/{actor.slug}").json()
    assert data["contact_email"] == "k@b.dk"
    assert data["contact_phone"] is None
    assert data["themes"] == ["boern-unge", "idraet"] or sorted(data["themes"]) == ["boern-unge", "idraet"]


def test_members_only_partnerships_follow_visibility(
    private_partnership: Partnership, lars: Persona, nora: Persona
) -> None:
    url = f"{API}/partnerships/{private_partnership.pk}"
    assert Client().get(url).status_code == 404
    assert Client().get(url, headers=bearer(nora)).status_code == 404
    assert Client().get(url, headers=bearer(lars)).json()["title"] == "Unge i Vollsmose"
    assert lars.client().get(url).status_code == 200  # the browser session counts too
    listed = Client().get(f"{API}/partnerships").json()
    assert listed["count"] == 0


def test_writes_need_a_valid_token(sofie: Persona) -> None:
    assert sofie.actor is not None
    payload = {
        "actor_id": sofie.actor.pk,
        "title": "Støj",
        "description": "Larm om natten",
        "municipality": "0461",
    }
    assert Client().post(f"{API}/challenges", payload, content_type="application/json").status_code == 401
    forged = {"Authorization": "Bearer sk_forged"}
    assert (
        Client().post(f"{API}/challenges", payload, content_type="application/json", headers=forged).status_code == 401
    )
    # A logged-in browser session alone cannot write (no CSRF exposure through the API).
    assert sofie.client().post(f"{API}/challenges", payload, content_type="application/json").status_code == 401
    assert not Challenge.objects.exists()


def test_raise_a_challenge_through_the_api(sofie: Persona, jens: Persona) -> None:
    assert sofie.actor is not None and jens.actor is not None
    payload = {
        "actor_id": sofie.actor.pk,
        "title": "Støj i gården",
        "description": "Larm om natten",
        "municipality": "0461",
        "themes": ["tryghed"],
    }
    response = Client().post(f"{API}/challenges", payload, content_type="application/json", headers=bearer(sofie))
    assert response.status_code == 201
    assert response.json()["raised_by"]["name"] == "Sofie Andersen"

    on_behalf_of_other = {**payload, "actor_id": jens.actor.pk}
    refused = Client().post(
        f"{API}/challenges", on_behalf_of_other, content_type="application/json", headers=bearer(sofie)
    )
    assert refused.status_code == 403
    bad = Client().post(
        f"{API}/challenges",
        {**payload, "municipality": "9999", "themes": ["x"]},
        content_type="application/json",
        headers=bearer(sofie),
    )
    assert bad.status_code == 422
    assert "9999" in bad.json()["detail"]
    empty = Client().post(
        f"{API}/challenges", {**payload, "title": ""}, content_type="application/json", headers=bearer(sofie)
    )
    assert empty.status_code == 422
    assert Challenge.objects.count() == 1


@pytest.mark.parametrize("who", ["mette", "lars", "sofie", "jens", "fie"])
def test_any_member_changes_phase_through_the_api(
    who: str, partnership: Partnership, personas: dict[str, Persona]
) -> None:
    response = Client().post(
        f"{API}/partnerships/{partnership.pk}/phase",
        {"phase": "ideas", "note": "API"},
        content_type="application/json",
        headers=bearer(personas[who]),
    )
    assert response.status_code == 200
    assert response.json()["phase"] == "ideas"
    assert PhaseChange.objects.filter(partnership=partnership, note="API", actor=personas[who].actor).exists()


def test_non_member_cannot_write_through_the_api(partnership: Partnership, nora: Persona) -> None:
    assert nora.actor is not None
    headers = bearer(nora)
    phase = Client().post(
        f"{API}/partnerships/{partnership.pk}/phase",
        {"phase": "act"},
        content_type="application/json",
        headers=headers,
    )
    invite = Client().post(
        f"{API}/partnerships/{partnership.pk}/invitations",
        {"invitee_id": nora.actor.pk},
        content_type="application/json",
        headers=headers,
    )
    assert (phase.status_code, invite.status_code) == (403, 403)
    partnership.refresh_from_db()
    assert partnership.phase == "define"


def test_invite_through_the_api_refuses_duplicates(partnership: Partnership, fie: Persona, nora: Persona) -> None:
    assert nora.actor is not None
    url = f"{API}/partnerships/{partnership.pk}/invitations"
    first = Client().post(url, {"invitee_id": nora.actor.pk}, content_type="application/json", headers=bearer(fie))
    second = Client().post(url, {"invitee_id": nora.actor.pk}, content_type="application/json", headers=bearer(fie))
    assert (first.status_code, second.status_code) == (201, 422)


def test_the_shared_work_through_the_api(partnership: Partnership, personas: dict[str, Persona]) -> None:
    """Jens's store raises an agenda item, proposes, Sofie objects, and everyone reads the outcome."""
    from datetime import timedelta

    jens, sofie, nora = bearer(personas["jens"]), bearer(personas["sofie"]), bearer(personas["nora"])
    base = f"{API}/partnerships/{partnership.pk}"
    post = Client().post
    assert (
        post(f"{base}/agenda", {"title": "Lys på stien"}, content_type="application/json", headers=jens).status_code
        == 201
    )
    assert post(f"{base}/agenda", {"title": "Udefra"}, content_type="application/json", headers=nora).status_code == 403
    # Written as a script writes Danish local time, without an offset; given back in UTC, as a read gives it.
    deadline = (timezone.localtime() + timedelta(days=2)).replace(tzinfo=None, microsecond=0).isoformat()
    created = post(
        f"{base}/proposals",
        {"title": "Lys", "text": "Vi sætter lys op", "deadline": deadline},
        content_type="application/json",
        headers=jens,
    )
    assert created.status_code == 201
    proposal_id = created.json()["id"]
    assert created.json()["deadline"].endswith("Z")
    assert created.json()["deadline"] == Client().get(f"{base}/proposals").json()[0]["deadline"]
    no_reason = post(
        f"{base}/proposals/{proposal_id}/responses",
        {"version": 1, "kind": "objection"},
        content_type="application/json",
        headers=sofie,
    )
    assert no_reason.status_code == 422
    objection = post(
        f"{base}/proposals/{proposal_id}/responses",
        {"version": 1, "kind": "objection", "reason": "Det generer naboerne"},
        content_type="application/json",
        headers=sofie,
    )
    assert objection.status_code == 200
    listed = Client().get(f"{base}/proposals").json()
    assert listed[0]["responses"][0]["kind"] == "objection"
    assert Client().get(f"{base}/agenda").json()[0]["title"] == "Lys på stien"
    pledged = post(
        f"{base}/pledges",
        {"kind": "volunteer_hours", "description": "To timer", "quantity": 2},
        content_type="application/json",
        headers=jens,
    )
    assert pledged.status_code == 201
    # Sofie, the partnership's one citizen, writes a statement, which counts her agree vote: the power balance
    # does not count it for her sector, or her vote would be on show.
    from samskab.opinions.services import add_statement, participant_for_member, start_conversation

    fie = personas["fie"]
    conversation = start_conversation(
        user=fie.user, actor=fie.actor, partnership=partnership, question="Hvad er problemet?"
    )
    sofie = participant_for_member(user=personas["sofie"].user, conversation=conversation)
    add_statement(participant=sofie, text="Der mangler lys på stien")
    balance = Client().get(f"{base}/power-balance").json()
    assert "statements" not in balance["counts"] and "statements" not in balance["shares"]
    assert balance["counts"]["agenda_items"] == {"business": 1}
    assert balance["counts"]["objections"] == {"citizen": 1}
    assert Client().get(f"{base}/decisions").json() == []


def test_a_deadline_without_an_offset_is_danish_local_time(
    personas: dict[str, Persona], partnership: Partnership
) -> None:
    base = f"{API}/partnerships/{partnership.pk}"
    next_year = timezone.localdate().year + 1
    created = Client().post(
        f"{base}/proposals",
        {"title": "Lys", "text": "Vi sætter lys op", "deadline": f"{next_year}-06-01T12:00:00"},
        content_type="application/json",
        headers=bearer(personas["jens"]),
    )
    assert created.status_code == 201
    deadline = Proposal.objects.get(pk=created.json()["id"]).deadline
    assert deadline == datetime(next_year, 6, 1, 12, tzinfo=ZoneInfo("Europe/Copenhagen"))


def test_an_action_due_in_the_past_is_refused_and_not_saved(
    personas: dict[str, Persona], partnership: Partnership
) -> None:
    jens = personas["jens"]
    refused = Client().post(
        f"{API}/partnerships/{partnership.pk}/actions",
        {"title": "Lys", "owner_ids": [jens.actor.pk], "deadline": "2020-01-01"},
        content_type="application/json",
        headers=bearer(jens),
    )
    assert refused.status_code == 422
    assert "past" in refused.json()["detail"] or "fortiden" in refused.json()["detail"]
    assert not partnership.actions.exists()


def test_listing_proposals_costs_the_same_queries_however_many_there_are(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    from datetime import timedelta

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from samskab.partnerships import services

    jens, sofie = personas["jens"], personas["sofie"]
    url = f"{API}/partnerships/{partnership.pk}/proposals"

    def propose_and_object(title: str) -> None:
        proposal = services.propose(
            user=jens.user,
            partnership=partnership,
            by_actor=jens.actor,
            title=title,
            text="Vi sætter lys op",
            deadline=timezone.now() + timedelta(days=2),
        )
        services.amend_proposal(user=jens.user, proposal=proposal, by_actor=jens.actor, text="Lys og bænke")
        services.respond_to_proposal(
            user=sofie.user, proposal=proposal, actor=sofie.actor, version_number=2, kind="objection", reason="Nej"
        )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            listed = Client().get(url).json()
        assert all(
            p["responses"]
            == [{"actor": p["responses"][0]["actor"], "person": None, "kind": "objection", "reason": "Nej"}]
            for p in listed
        )
        assert all([v["number"] for v in p["versions"]] == [1, 2] for p in listed)
        return len(captured)

    propose_and_object("Lys")
    one = queries()
    propose_and_object("Bænke")
    propose_and_object("Træer")
    assert queries() == one


def test_conversations_through_the_api(partnership: Partnership, personas: dict[str, Persona]) -> None:
    from samskab.opinions.services import start_conversation

    fie = personas["fie"]
    conversation = start_conversation(
        user=fie.user,
        actor=fie.actor,
        partnership=partnership,
        question="Hvad er problemet?",
        seed_statements=["Kedsomhed om aftenen"],
    )
    base = f"{API}/conversations/{conversation.pk}"
    statement_id = Client().get(f"{base}/statements").json()[0]["id"]
    voted = Client().post(
        f"{base}/votes",
        {"statement_id": statement_id, "value": 1},
        content_type="application/json",
        headers=bearer(personas["lars"]),
    )
    assert voted.status_code == 200
    outsider = Client().post(
        f"{base}/votes",
        {"statement_id": statement_id, "value": 1},
        content_type="application/json",
        headers=bearer(personas["nora"]),
    )
    assert outsider.status_code == 403
    duplicate = Client().post(
        f"{base}/statements",
        {"text": "kedsomhed om aftenen!"},
        content_type="application/json",
        headers=bearer(personas["lars"]),
    )
    assert duplicate.status_code == 409
    existing = Statement.objects.get(conversation=conversation, text__iexact="Kedsomhed om aftenen")
    assert duplicate.json() == {
        "detail": "Der findes allerede et udsagn, der siger næsten det samme.",
        "existing": {
            "id": existing.pk,
            "text": existing.text,
            "is_seed": existing.is_seed,
            "hidden": False,
            "created_at": duplicate.json()["existing"]["created_at"],
        },
    }
    sent = existing.created_at  # JSON carries milliseconds
    assert datetime.fromisoformat(duplicate.json()["existing"]["created_at"]) == sent.replace(
        microsecond=sent.microsecond // 1000 * 1000
    )
    assert Client().get(f"{base}/results").status_code == 200

    # A member reports the statement; again with another reason, which replaces the first.
    from samskab.opinions.models import StatementReport

    reports = f"{base}/statements/{existing.pk}/reports"
    for reason in ("spam", "duplicate"):
        reported = Client().post(
            reports, {"reason": reason}, content_type="application/json", headers=bearer(personas["lars"])
        )
        assert reported.status_code == 201 and reported.json() == {"statement_id": existing.pk, "reason": reason}
    assert list(StatementReport.objects.values_list("reason", flat=True)) == ["duplicate"]
    for payload, who, status in (
        ({"reason": "disagree"}, personas["lars"], 422),  # disagreeing is not a reason to report
        ({"reason": "spam"}, personas["nora"], 403),  # not a member
    ):
        answer = Client().post(reports, payload, content_type="application/json", headers=bearer(who))
        assert answer.status_code == status
    assert StatementReport.objects.count() == 1

    # Only the facilitator closes it; then votes are refused with a reason.
    close = {"is_open": False}
    assert Client().post(f"{base}/open", close, content_type="application/json").status_code == 401
    refused = Client().post(f"{base}/open", close, content_type="application/json", headers=bearer(personas["lars"]))
    assert refused.status_code == 403
    closed = Client().post(f"{base}/open", close, content_type="application/json", headers=bearer(fie))
    assert closed.status_code == 200 and closed.json()["is_open"] is False and closed.json()["closed_at"]
    late = Client().post(
        f"{base}/votes",
        {"statement_id": statement_id, "value": -1},
        content_type="application/json",
        headers=bearer(personas["lars"]),
    )
    assert late.status_code == 422 and late.json()["detail"] == "Samtalen er lukket."
    # A member who never took part is refused the same way, and is not made a participant by asking.
    from samskab.opinions.models import Participant

    before = Participant.objects.count()
    for path, payload in ((f"{base}/votes", {"statement_id": statement_id, "value": 1}), (reports, {"reason": "spam"})):
        late = Client().post(path, payload, content_type="application/json", headers=bearer(personas["jens"]))
        assert late.status_code == 422 and late.json()["detail"] == "Samtalen er lukket."
    assert Participant.objects.count() == before

    # A hidden statement's text is for those who may read the moderation log: members and the facilitator.
    from samskab.opinions.services import moderate_statement

    moderate_statement(user=fie.user, statement=existing, hide=True, reason="spam")
    for reader, sees_hidden in ((None, False), (personas["nora"], False), (personas["lars"], True), (fie, True)):
        listed = Client().get(f"{base}/statements", headers=bearer(reader) if reader else {}).json()
        assert [(s["text"], s["hidden"]) for s in listed] == ([("Kedsomhed om aftenen", True)] if sees_hidden else [])


def test_actions_follow_decisions_and_pledges_go_to_actions_through_the_api(
    partnership: Partnership, personas: dict[str, Persona], challenge: Challenge
) -> None:
    """Lars's club plans an action that carries out a decision, and Jens's store pledges to it; another
    partnership's decision or action is refused with the reason, and nothing is saved."""
    from datetime import timedelta
    from typing import Any

    from samskab.partnerships import services

    fie, lars, jens, nora = personas["fie"], personas["lars"], personas["jens"], personas["nora"]
    ours = services.propose(
        user=fie.user,
        partnership=partnership,
        by_actor=fie.actor,
        title="Hallen åbner fredag",
        text="Hallen holder åbent fredag aften.",
        deadline=timezone.now() + timedelta(days=2),
    )
    for persona in (personas["mette"], lars, personas["sofie"], jens):
        services.respond_to_proposal(
            user=persona.user, proposal=ours, actor=persona.actor, version_number=1, kind="consent"
        )
    decision = ours.decisions.get()
    gardens = services.start_partnership(user=nora.user, actor=nora.actor, challenge=challenge, title="Fælleshaver")
    services.propose(
        user=nora.user,
        partnership=gardens,
        by_actor=nora.actor,
        title="Bede",
        text="Bede ved skolen",
        deadline=timezone.now() + timedelta(days=2),
    )
    their_action = services.create_action(
        user=nora.user, partnership=gardens, by_actor=nora.actor, title="Køb muld", owners=[nora.actor]
    )
    base = f"{API}/partnerships/{partnership.pk}"

    def post(path: str, payload: dict[str, Any], who: Persona) -> Any:
        return Client().post(f"{base}/{path}", payload, content_type="application/json", headers=bearer(who))

    action = {"title": "Find frivillige voksne", "owner_ids": [lars.actor.pk]}  # type: ignore[union-attr]
    refused = post("actions", action | {"decision_id": gardens.decisions.get().pk}, lars)
    assert refused.status_code == 422
    assert refused.json()["detail"].startswith("Partnerskabet har ingen beslutning med id")
    assert not partnership.actions.exists()
    created = post("actions", action | {"decision_id": decision.pk}, lars)
    assert created.status_code == 201 and created.json()["decision_id"] == decision.pk
    action_id = created.json()["id"]

    pledge = {"kind": "jobs", "description": "Fritidsjob", "quantity": 2}
    refused = post("pledges", pledge | {"action_id": their_action.pk}, jens)
    assert refused.status_code == 422
    assert refused.json()["detail"] == f"Partnerskabet har ingen handling med id {their_action.pk}."
    assert not partnership.pledges.exists()
    pledged = post("pledges", pledge | {"action_id": action_id}, jens)
    assert pledged.status_code == 201 and pledged.json()["action_id"] == action_id
    listed = Client().get(f"{base}/actions").json()
    assert [(a["title"], a["decision_id"]) for a in listed] == [("Find frivillige voksne", decision.pk)]
    assert [p["action_id"] for p in Client().get(f"{base}/pledges").json()] == [action_id]


# --- Challenges: edit, close and reopen, search and filter ------------------------------------------------------


def test_the_raiser_edits_a_challenge_through_the_api_and_a_stale_edit_is_refused(
    challenge: Challenge, sofie: Persona, mette: Persona
) -> None:
    from typing import Any

    url = f"{API}/challenges/{challenge.pk}"
    read = Client().get(url).json()
    assert read["version"] and (read["updated_at"], read["closed_at"]) == (None, None)  # a version, though unedited

    def patch(payload: dict[str, object], who: Persona) -> Any:
        return Client().patch(url, payload, content_type="application/json", headers=bearer(who))

    assert patch({"version": "", "title": "Overtaget"}, mette).status_code == 403  # not the raiser's people
    edited = patch({"version": read["version"], "place": "Vollsmose Torv og stien", "themes": ["tryghed"]}, sofie)
    assert edited.status_code == 200
    body = edited.json()
    assert (body["title"], body["place"], body["themes"]) == (challenge.title, "Vollsmose Torv og stien", ["tryghed"])
    assert body["version"] != ""
    # A second client still holds the first version: refused, and nothing is saved.
    stale = patch({"version": read["version"], "place": "Torvet"}, sofie)
    assert stale.status_code == 409
    assert stale.json()["detail"].startswith("Nogen har redigeret udfordringen, efter du hentede den")
    assert body["version"] in stale.json()["detail"]
    bad = patch({"version": body["version"], "municipality": "9999"}, sofie)
    assert bad.status_code == 422 and bad.json()["detail"] == "Ukendt kommunekode “9999”."
    missing = patch({"title": "Uden version"}, sofie)
    assert missing.status_code == 422
    challenge.refresh_from_db()
    assert (challenge.place, challenge.title) == ("Vollsmose Torv og stien", "Unge på hjørnet ved Vollsmose Torv")


def test_the_raiser_closes_and_reopens_a_challenge_through_the_api(
    challenge: Challenge, sofie: Persona, jens: Persona
) -> None:
    from typing import Any

    base = f"{API}/challenges/{challenge.pk}"

    def post(path: str, payload: dict[str, object], who: Persona) -> Any:
        return Client().post(f"{base}/{path}", payload, content_type="application/json", headers=bearer(who))

    assert post("close", {"note": "Løst"}, jens).status_code == 403
    closed = post("close", {"note": "Der er kommet lys på torvet."}, sofie)
    assert closed.status_code == 200
    assert (closed.json()["status"], closed.json()["closing_note"]) == ("closed", "Der er kommet lys på torvet.")
    again = post("close", {"note": "Noget andet"}, sofie)
    assert again.status_code == 422 and again.json()["detail"] == "Udfordringen er allerede lukket."
    assert Client().get(base).json()["closing_note"] == "Der er kommet lys på torvet."
    assert post("close", {"note": "x" * 2001}, sofie).status_code == 422
    reopened = post("reopen", {}, sofie)
    assert reopened.status_code == 200 and reopened.json()["status"] == "open"
    assert post("reopen", {}, sofie).json()["detail"] == "Udfordringen er allerede åben."


def test_the_api_lists_challenges_with_the_pages_filters(sofie: Persona, lars: Persona, jens: Persona) -> None:
    from typing import Any

    from samskab.actors.models import Municipality, Theme
    from samskab.partnerships import services

    assert sofie.actor and lars.actor and jens.actor
    odense, aarhus = Municipality.objects.get(code="0461"), Municipality.objects.get(code="0751")
    young = services.raise_challenge(
        user=sofie.user,
        actor=sofie.actor,
        title="Unge på torvet",
        description="Om aftenen",
        municipality=odense,
        place="Vollsmose",
    )
    lonely = services.raise_challenge(
        user=lars.user,
        actor=lars.actor,
        title="Ensomme ældre",
        description="Ældre bliver inde",
        municipality=odense,
        place="Bolbro",
        themes=Theme.objects.filter(slug="ensomhed"),
    )
    shop = services.raise_challenge(
        user=jens.user, actor=jens.actor, title="Tom butik", description="Butikken lukker", municipality=aarhus
    )
    services.set_challenge_status(user=jens.user, challenge=shop, closed=True)

    def titles(**params: str) -> list[str]:
        response = Client().get(f"{API}/challenges", params)
        assert response.status_code == 200, response.json()
        return [c["title"] for c in response.json()["items"]]

    assert titles() == [lonely.title, young.title]  # closed ones are left out, as on the page
    assert titles(status="all") == [shop.title, lonely.title, young.title]
    assert titles(status="closed") == [shop.title]
    assert titles(q="ældre") == [lonely.title]
    assert titles(theme="ensomhed") == [lonely.title]
    assert titles(place="VOLLSMOSE") == [young.title]
    assert titles(municipality="0751", status="all") == [shop.title]

    def refused(**params: str) -> Any:
        response = Client().get(f"{API}/challenges", params)
        assert response.status_code == 422
        return response.json()["detail"]

    assert refused(municipality="9999") == "Ukendt kommunekode “9999”."
    assert refused(theme="ingen-saadan") == "Ukendte temaer: ingen-saadan"
    assert refused(status="alien")[0]["msg"].startswith("Skal være en af")
    assert refused(q="x" * 101)[0]["msg"] == "Højst 100 tegn."


def test_members_discuss_a_proposal_through_the_api(partnership: Partnership, personas: dict[str, Persona]) -> None:
    """Sofie asks about Lars's proposal and Jens replies, through the API; the outsider reads and writes nothing."""
    from datetime import timedelta
    from typing import Any

    from samskab.partnerships import services
    from samskab.partnerships.models import ProposalComment

    lars = personas["lars"]
    proposal = services.propose(
        user=lars.user,
        partnership=partnership,
        by_actor=lars.actor,
        title="Fredagsåben hal",
        text="Vi åbner hallen fredag aften",
        deadline=timezone.now() + timedelta(days=2),
    )
    spec = Client().get(f"{API}/openapi.json").json()["paths"]
    assert set(spec["/api/v1/partnerships/{partnership_id}/proposals/{proposal_id}/comments"]) == {"get", "post"}
    url = f"{API}/partnerships/{partnership.pk}/proposals/{proposal.pk}/comments"

    def post(persona: str, payload: dict[str, Any]) -> Any:
        return Client().post(url, payload, content_type="application/json", headers=bearer(personas[persona]))

    asked = post("sofie", {"text": "  Hvem låser af?  "})
    assert asked.status_code == 201
    body = asked.json()
    assert (body["actor"]["name"], body["person"], body["version"], body["text"], body["reply_to_id"]) == (
        "Sofie Andersen",
        "Sofie Andersen",
        1,
        "Hvem låser af?",
        None,
    )
    replied = post("jens", {"text": "Det gør jeg.", "reply_to_id": body["id"], "version": 1})
    assert replied.status_code == 201 and replied.json()["reply_to_id"] == body["id"]

    assert post("jens", {"text": "   "}).status_code == 422
    assert post("jens", {"text": "x" * 2001}).json()["detail"][0]["msg"] == "Højst 2000 tegn."
    assert post("jens", {"text": "Hej", "version": 7}).json()["detail"] == "Forslaget har ingen version 7."
    unknown = post("jens", {"text": "Hej", "reply_to_id": 999999})
    assert (unknown.status_code, unknown.json()["detail"]) == (
        422,
        "Den kommentar, du svarer på, hører ikke til denne drøftelse.",
    )
    assert post("nora", {"text": "Udefra"}).status_code == 403
    assert Client().post(url, {"text": "Uden nøgle"}, content_type="application/json").status_code == 401

    listed = Client().get(url).json()
    assert [(c["person"], c["text"]) for c in listed] == [
        ("Sofie Andersen", "Hvem låser af?"),
        ("Jens Madsen", "Det gør jeg."),
    ]
    assert Client().get(f"{API}/partnerships/{partnership.pk}/proposals/999999/comments").status_code == 404

    services.withdraw_proposal(user=lars.user, proposal=proposal, by_actor=lars.actor)
    closed = post("sofie", {"text": "Øv"})
    assert (closed.status_code, closed.json()["detail"]) == (
        422,
        "Forslaget er lukket (trukket tilbage), og det er drøftelsen også.",
    )
    assert ProposalComment.objects.count() == 2
