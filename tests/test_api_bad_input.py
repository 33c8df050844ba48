"""The API refuses input the database or the pages could not hold, with a reason, instead of storing it or failing.

Each story is a member or a visitor sending something odd: a number too large for its column, a deadline in the
year 9999, a NUL character, a body that is too big, an offset beyond any integer, blank text, an unknown owner,
a version that never existed, a phase the partnership is already in, a mistyped key. The answer is always a 4xx
with a message, never a 500, and nothing is stored.
"""

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy, override
from pydantic import AnyUrl, BaseModel, ConfigDict, field_validator
from pydantic import ValidationError as PydanticValidationError

from config.api import forbidden
from samskab.lib.api import schema_error
from samskab.opinions.models import Vote
from samskab.partnerships.models import Action, AgendaItem, Challenge, Partnership, PhaseChange, Pledge, Proposal

from .conftest import Persona
from .test_api import API, bearer
from .test_governance import make_proposal


def danish(msgid: str) -> str:
    """The Danish text of a message (its English msgid until it is translated)."""
    with override("da"):
        return gettext(msgid)


def post(url: str, payload: Any, persona: Persona | None = None) -> Any:
    headers = bearer(persona) if persona else {}
    return Client().post(f"{API}{url}", payload, content_type="application/json", headers=headers)


def challenge_payload(sofie: Persona, **changes: Any) -> dict[str, Any]:
    assert sofie.actor is not None
    return {
        "actor_id": sofie.actor.pk,
        "title": "Støj i gården",
        "description": "Larm om natten",
        "municipality": "0461",
        **changes,
    }


# 1. The model's limits -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"quantity": 1e300},
        {"quantity": 123456789012.5},
        {"quantity": 1.25},
        {"quantity": -1},
        {"description": "x" * 301},
        {"unit": "x" * 41},
    ],
    ids=["huge", "thirteen-digits", "two-decimals", "negative", "long-description", "long-unit"],
)
def test_a_pledge_the_database_cannot_hold_is_refused(
    changes: dict[str, Any], partnership: Partnership, jens: Persona
) -> None:
    """Jens's store pledges an amount or a text longer than the pledge can hold: refused, and the pages still work."""
    payload = {"kind": "volunteer_hours", "description": "Timer", "quantity": 2, "unit": "timer", **changes}
    response = post(f"/partnerships/{partnership.pk}/pledges", payload, jens)
    assert response.status_code == 422
    assert not Pledge.objects.exists()
    assert Client().get(f"{API}/partnerships/{partnership.pk}/pledges").status_code == 200


def test_the_largest_pledge_the_database_holds_is_accepted(partnership: Partnership, jens: Persona) -> None:
    payload = {"kind": "volunteer_hours", "description": "x" * 300, "quantity": 99999999999.9, "unit": "x" * 40}
    response = post(f"/partnerships/{partnership.pk}/pledges", payload, jens)
    assert response.status_code == 201
    assert str(Pledge.objects.get().quantity) == "99999999999.9"


@pytest.mark.parametrize(
    ("url", "payload"),
    [
        ("/agenda", {"title": "x" * 201}),
        ("/agenda", {"title": "Lys", "description": "x" * 5001}),
        ("/proposals", {"title": "Lys", "text": "x" * 10001, "deadline": "2099-01-01T12:00:00"}),
        ("/phase", {"phase": "ideas", "note": "x" * 301}),
        ("/actions", {"title": "Lys", "description": "x" * 5001, "owner_ids": []}),
    ],
    ids=["agenda-title", "agenda-description", "proposal-text", "phase-note", "action-description"],
)
def test_text_longer_than_the_pages_allow_is_refused(
    url: str, payload: dict[str, Any], partnership: Partnership, jens: Persona
) -> None:
    assert jens.actor is not None
    if url == "/actions":
        payload["owner_ids"] = [jens.actor.pk]
    assert post(f"/partnerships/{partnership.pk}{url}", payload, jens).status_code == 422
    assert not AgendaItem.objects.exists() and not Proposal.objects.exists() and not Action.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x" * 281, "Et udsagn må højst være 280 tegn; dit er 281."),
        ("Nej tak", "Skriv en hel sætning på mindst 10 bogstaver eller tal"),
        ("!!!!!!!!!!!!", "Skriv en hel sætning på mindst 10 bogstaver eller tal"),  # punctuation is not counted
        ("Nej, nej, nej!", "Skriv en hel sætning på mindst 10 bogstaver eller tal"),  # 14 characters, 9 letters
    ],
)
def test_a_statement_shorter_than_10_or_longer_than_280_characters_is_refused(
    text: str, message: str, partnership: Partnership, personas: dict[str, Persona]
) -> None:
    from samskab.opinions.services import start_conversation

    fie = personas["fie"]
    conversation = start_conversation(user=fie.user, actor=fie.actor, partnership=partnership, question="Hvorfor?")
    response = post(f"/conversations/{conversation.pk}/statements", {"text": text}, personas["lars"])
    assert response.status_code == 422 and message in response.json()["detail"]
    assert not conversation.statements.exists()


# 2. Deadlines within the years a plan can mean -----------------------------------------------------------------


@pytest.mark.parametrize("deadline", ["9999-12-31T23:00:00Z", "2101-01-01T12:00:00", "0001-01-01T00:00:00+01:00"])
def test_a_deadline_outside_the_years_2000_to_2100_is_refused(
    deadline: str, partnership: Partnership, jens: Persona
) -> None:
    payload = {"title": "Lys", "text": "Vi sætter lys op", "deadline": deadline}
    response = post(f"/partnerships/{partnership.pk}/proposals", payload, jens)
    assert response.status_code == 422
    assert danish("Enter a time between the years %(first)d and %(last)d.") % {"first": 2000, "last": 2100} in str(
        response.json()["detail"]
    )
    assert not Proposal.objects.exists()
    assert Client().get(f"{API}/partnerships/{partnership.pk}/proposals").status_code == 200


# 3. NUL characters ----------------------------------------------------------------------------------------


def test_nul_characters_in_json_are_refused_everywhere(partnership: Partnership, personas: dict[str, Persona]) -> None:
    from samskab.opinions.services import start_conversation

    sofie, jens, fie = personas["sofie"], personas["jens"], personas["fie"]
    conversation = start_conversation(user=fie.user, actor=fie.actor, partnership=partnership, question="Hvorfor?")
    base = f"/partnerships/{partnership.pk}"
    refused = [
        post("/challenges", challenge_payload(sofie, title="Støj\u0000"), sofie),
        post("/challenges", challenge_payload(sofie, themes=["a\u0000b"]), sofie),
        post(f"{base}/agenda", {"title": "Lys", "description": "a\u0000b"}, jens),
        post(f"{base}/proposals", {"title": "Lys", "text": "a\u0000b", "deadline": "2099-01-01T12:00:00"}, jens),
        post(f"/conversations/{conversation.pk}/statements", {"text": "a\u0000b"}, jens),
        post(f"{base}/agenda", {"title": "Lys", "a\u0000b": "key"}, jens),
    ]
    message = danish("Text cannot contain the NUL character (U+0000).")
    assert [(r.status_code, r.json()["detail"]) for r in refused] == [(422, message)] * len(refused)
    assert Challenge.objects.count() == 1  # the partnership's own
    assert not AgendaItem.objects.exists() and not Proposal.objects.exists()
    assert not conversation.statements.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/actors/?neighbourhood=a%00b",
        "/actors/?theme=a%00b",
        "/actors/?q=a%00b",
        "/actors/a%00b",
        "/challenges?status=a%00b",
    ],
)
def test_nul_characters_in_the_address_are_a_bad_request(url: str, db: None) -> None:
    response = Client().get(f"{API}{url}")
    assert response.status_code == 400
    assert response.json()["detail"] == danish("The address cannot contain the NUL character (U+0000).")


def test_a_page_address_with_a_nul_character_shows_the_danish_bad_request_page(db: None) -> None:
    response = Client().get(reverse("actors:directory") + "?q=a%00b")
    assert response.status_code == 400
    page = response.content.decode()
    assert '<html lang="da">' in page
    assert danish("Bad request") in page
    assert danish("Samskab, front page") in page  # the site's own layout, not Django's plain page


# 4. A body too large ---------------------------------------------------------------------------------------


def test_a_body_over_the_upload_limit_is_refused_as_too_large(
    settings: Any, partnership: Partnership, jens: Persona
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post(f"/partnerships/{partnership.pk}/agenda", {"title": "Lys", "description": "x" * 2000}, jens)
    assert response.status_code == 413
    assert response.json()["detail"] == danish("The request body is too large (at most %(limit)d bytes).") % {
        "limit": 1000
    }
    assert not AgendaItem.objects.exists()


# 5. Integers beyond any column ----------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/actors/", "/challenges", "/partnerships"])
@pytest.mark.parametrize("parameter", ["offset", "limit"])
def test_pagination_beyond_any_integer_is_refused(url: str, parameter: str, db: None) -> None:
    assert Client().get(f"{API}{url}", {parameter: "99999999999999999999"}).status_code == 422
    assert Client().get(f"{API}{url}", {parameter: "-1"}).status_code == 422


def test_pagination_within_its_bounds_still_works(personas: dict[str, Persona]) -> None:
    found = Client().get(f"{API}/actors/", {"offset": 1, "limit": 2}).json()
    assert found["count"] == 6 and len(found["items"]) == 2


@pytest.mark.parametrize("number", [2**63, -(2**63) - 1, 2**70])
def test_integers_outside_64_bits_are_refused_in_any_body(
    number: int, partnership: Partnership, personas: dict[str, Persona]
) -> None:
    jens = personas["jens"]
    assert jens.actor is not None
    base = f"/partnerships/{partnership.pk}"
    refused = [
        post(f"{base}/actions", {"title": "Lys", "owner_ids": [jens.actor.pk, number]}, jens),
        post(f"{base}/invitations", {"invitee_id": number}, jens),
        post(f"{base}/agenda", {"title": "Lys", "actor_id": number}, jens),
    ]
    message = danish("Whole numbers must lie between %(min)d and %(max)d.") % {"min": -(2**63), "max": 2**63 - 1}
    assert [(r.status_code, [(e["loc"][-1], e["msg"]) for e in r.json()["detail"]]) for r in refused] == [
        (422, [("owner_ids", message)]),
        (422, [("invitee_id", message)]),
        (422, [("actor_id", message)]),
    ]
    assert not Action.objects.exists() and not AgendaItem.objects.exists()


# 6. Blank text --------------------------------------------------------------------------------------------


def test_blank_text_is_refused_like_on_the_pages(partnership: Partnership, personas: dict[str, Persona]) -> None:
    sofie, jens = personas["sofie"], personas["jens"]
    assert jens.actor is not None
    base = f"/partnerships/{partnership.pk}"
    refused = [
        post("/challenges", challenge_payload(sofie, title="   "), sofie),
        post("/challenges", challenge_payload(sofie, description=" \n\t "), sofie),
        post(f"{base}/agenda", {"title": "   "}, jens),
        post(f"{base}/actions", {"title": "  ", "owner_ids": [jens.actor.pk]}, jens),
        post(f"{base}/pledges", {"kind": "volunteer_hours", "description": "   "}, jens),
        post(f"{base}/proposals", {"title": "Lys", "text": "   ", "deadline": "2099-01-01T12:00:00"}, jens),
    ]
    assert [r.status_code for r in refused] == [422] * len(refused)
    assert Challenge.objects.count() == 1
    assert not AgendaItem.objects.exists() and not Action.objects.exists() and not Pledge.objects.exists()


def test_text_is_stored_without_surrounding_whitespace(sofie: Persona) -> None:
    response = post("/challenges", challenge_payload(sofie, title="  Støj i gården \n"), sofie)
    assert response.status_code == 201
    assert Challenge.objects.get(pk=response.json()["id"]).title == "Støj i gården"


# 7. Unknown owners ----------------------------------------------------------------------------------------


def test_an_unknown_owner_is_named_not_dropped(partnership: Partnership, jens: Persona) -> None:
    assert jens.actor is not None
    response = post(
        f"/partnerships/{partnership.pk}/actions", {"title": "Lys", "owner_ids": [jens.actor.pk, 99999, 99998]}, jens
    )
    assert response.status_code == 422
    assert response.json()["detail"] == danish("Unknown actors: %(ids)s") % {"ids": "99998, 99999"}
    assert not Action.objects.exists()


# 8. A version that never existed, a phase the partnership is in -------------------------------------------


@pytest.mark.parametrize("version", [0, -1, 7])
def test_a_response_to_a_version_that_does_not_exist_says_so(
    version: int, partnership: Partnership, personas: dict[str, Persona]
) -> None:
    proposal = make_proposal(personas["jens"], partnership)
    response = post(
        f"/partnerships/{partnership.pk}/proposals/{proposal.pk}/responses",
        {"version": version, "kind": "consent"},
        personas["sofie"],
    )
    assert response.status_code == 422
    assert response.json()["detail"] == danish("The proposal has no version %(n)d.") % {"n": version}
    assert not proposal.versions.get().responses.exists()


def test_moving_to_the_phase_the_partnership_is_in_is_refused(partnership: Partnership, lars: Persona) -> None:
    response = post(f"/partnerships/{partnership.pk}/phase", {"phase": "define"}, lars)
    assert response.status_code == 422
    assert response.json()["detail"] == danish("The partnership is already in this phase.")
    assert list(PhaseChange.objects.filter(partnership=partnership).values_list("from_phase", "to_phase")) == [
        ("", "define")
    ]


# 9. A wrong key on a read ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/actors/", "/challenges", "/partnerships", "/partnerships/{pk}"])
def test_a_read_with_a_wrong_key_is_refused_not_anonymous(url: str, partnership: Partnership) -> None:
    url = f"{API}{url.format(pk=partnership.pk)}"
    assert Client().get(url).status_code == 200  # no key: a visitor
    refused = Client().get(url, headers={"Authorization": "Bearer sk_mistyped"})
    assert refused.status_code == 401
    assert refused.json()["detail"] == danish(
        "The API key is not valid. Create a new one on your account page, or send no key to read as a visitor."
    )


def test_api_refusals_speak_danish(personas: dict[str, Persona], partnership: Partnership) -> None:
    assert Client().get(f"{API}/partnerships/999999").json() == {"detail": "Ikke fundet."}
    refused = post(f"/partnerships/{partnership.pk}/phase", {"phase": "define"}, personas["lars"])
    assert refused.status_code == 422
    assert refused.json() == {"detail": "Partnerskabet er allerede i denne fase."}
    themes = post(
        "/challenges",
        {**challenge_payload(personas["sofie"]), "themes": ["ingen-saadan"]},
        personas["sofie"],
    )
    assert themes.status_code == 422 and themes.json() == {"detail": "Ukendte temaer: ingen-saadan"}


# 10. Ids sent as text, and every refusal in the reader's language ------------------------------------------


@pytest.mark.parametrize("number", ["99999999999999999999", "-99999999999999999999"])
def test_ids_beyond_64_bits_sent_as_text_are_refused(
    number: str, partnership: Partnership, personas: dict[str, Persona]
) -> None:
    from samskab.opinions.services import start_conversation

    jens, fie = personas["jens"], personas["fie"]
    assert jens.actor is not None
    conversation = start_conversation(user=fie.user, actor=fie.actor, partnership=partnership, question="Hvorfor?")
    base = f"/partnerships/{partnership.pk}"
    refused = [
        post(f"{base}/actions", {"title": "Lys", "owner_ids": [jens.actor.pk, number]}, jens),
        post(f"{base}/invitations", {"invitee_id": number}, jens),
        post(f"{base}/agenda", {"title": "Lys", "actor_id": number}, jens),
        post(f"{base}/proposals/1/responses", {"version": number, "kind": "consent"}, jens),
        post(f"/conversations/{conversation.pk}/votes", {"statement_id": number, "value": 1}, jens),
    ]
    message = "Hele tal skal ligge mellem -9223372036854775808 og 9223372036854775807."
    assert [(r.status_code, [e["msg"] for e in r.json()["detail"]]) for r in refused] == [(422, [message])] * 5
    assert not Action.objects.exists() and not AgendaItem.objects.exists() and not Vote.objects.exists()
    # In an address such an id finds nothing, for a reader and for a writer.
    for url in (f"/partnerships/{number}", f"/conversations/{number}", f"/surveys/{number}/results"):
        assert Client().get(f"{API}{url}").json() == {"detail": "Ikke fundet."}
    found = [
        post(f"/conversations/{number}/votes", {"statement_id": 1, "value": 1}, jens),
        post(f"{base}/proposals/{number}/responses", {"version": 1, "kind": "consent"}, jens),
    ]
    assert [r.status_code for r in found] == [404, 404]


@pytest.mark.parametrize("body", ['"lys"', "[1, 2]", "null", "7"])
def test_a_body_that_is_not_a_json_object_is_refused(body: str, partnership: Partnership, jens: Persona) -> None:
    """Jens's script sends the title alone instead of an object: refused, not stored as an item titled "Lys"."""
    url = f"{API}/partnerships/{partnership.pk}/agenda"
    response = Client().post(url, body, content_type="application/json", headers=bearer(jens))
    assert (response.status_code, response.json()) == (
        422,
        {"detail": "Forespørgslens indhold skal være et JSON-objekt."},
    )
    assert not AgendaItem.objects.exists()


def test_schema_errors_are_worded_in_danish(partnership: Partnership, personas: dict[str, Persona]) -> None:
    jens = personas["jens"]
    base = f"/partnerships/{partnership.pk}"

    def messages(response: Any) -> list[tuple[str, str]]:
        assert response.status_code == 422
        return [(error["loc"][-1], error["msg"]) for error in response.json()["detail"]]

    assert messages(post(f"{base}/agenda", {"title": "x" * 201}, jens)) == [("title", "Højst 200 tegn.")]
    assert messages(post(f"{base}/agenda", {}, jens)) == [("title", "Dette felt er påkrævet.")]
    assert messages(post(f"{base}/phase", {"phase": "snart"}, jens)) == [
        ("phase", "Skal være en af 'define', 'contributors', 'ideas', 'decide', 'act' eller 'learn'.")
    ]
    assert messages(post(f"{base}/pledges", {"kind": "funding", "quantity": "mange"}, jens)) == [
        ("quantity", "Skal være et tal.")
    ]
    assert messages(post(f"{base}/actions", {"title": "Lys", "owner_ids": []}, jens)) == [
        ("owner_ids", "For få: mindst 1.")
    ]
    deadline = post(f"{base}/proposals", {"title": "Lys", "text": "Lys på stien", "deadline": "i overmorgen"}, jens)
    assert messages(deadline) == [("deadline", "Skal være en dato og et tidspunkt, fx 2026-12-24T18:00.")]
    assert sorted(messages(post(f"{base}/agenda", {"title": 7, "actor_id": "min"}, jens))) == [
        ("actor_id", "Skal være et helt tal."),
        ("title", "Skal være tekst."),
    ]
    assert messages(post(f"{base}/pledges", {"kind": "funding", "quantity": 1.25}, jens)) == [
        ("quantity", "Højst 1 decimal.")
    ]
    assert messages(post(f"{base}/pledges", {"kind": "funding", "quantity": 123456789012.5}, jens)) == [
        ("quantity", "Højst 12 cifre.")
    ]
    # Numbers in a message are written the Danish way.
    assert messages(Client().get(f"{API}/actors/", {"lat": 60, "km": 0})) == [
        ("lat", "Skal være højst 57,9."),
        ("km", "Skal være større end 0."),
    ]


def test_schema_errors_no_endpoint_gives_yet_are_worded_too() -> None:
    """A field refused by its validator shows the validator's reason; an unexpected field is named; a type with
    no wording of ours keeps pydantic's."""

    class Strict(BaseModel):
        model_config = ConfigDict(extra="forbid")
        name: str
        url: AnyUrl | None = None

        @field_validator("name")
        @classmethod
        def _not_anonymous(cls, value: str) -> str:
            raise ValueError("Angiv et navn.")  # as a validator of ours raises it: translated

    with pytest.raises(PydanticValidationError) as refused:
        Strict.model_validate({"name": "x", "colour": "blå", "url": "ikke en adresse"})
    pydantics = {error["type"]: error["msg"] for error in refused.value.errors()}
    with override("da"):
        worded = {error["type"]: error["msg"] for error in map(schema_error, refused.value.errors())}
    assert pydantics["value_error"] == "Value error, Angiv et navn."
    assert worded == {
        "value_error": "Angiv et navn.",
        "extra_forbidden": "Ukendt felt.",
        "url_parsing": pydantics["url_parsing"],
    }


def test_refusals_without_a_reason_of_their_own_are_danish(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    url = f"{API}/partnerships/{partnership.pk}/agenda"
    no_key = Client().post(url, {"title": "Lys"}, content_type="application/json")
    assert (no_key.status_code, no_key.json()) == (
        401,
        {"detail": "Det kræver din personlige API-nøgle (Authorization: Bearer …); opret en på din kontoside."},
    )
    mistyped = Client().post(
        url, {"title": "Lys"}, content_type="application/json", headers={"Authorization": "Bearer sk_x"}
    )
    assert (mistyped.status_code, mistyped.json()["detail"]) == (
        401,
        "API-nøglen er ikke gyldig. Opret en ny på din kontoside, eller send ingen nøgle for at læse som besøgende.",
    )
    broken = Client().post(url, "{ikke json", content_type="application/json", headers=bearer(personas["jens"]))
    assert (broken.status_code, broken.json()) == (400, {"detail": "Forespørgslens indhold kan ikke læses som JSON."})
    # Nora is no member: she is told whose work it is. A refusal with no reason of its own is the generic one.
    outsider = post(f"/partnerships/{partnership.pk}/agenda", {"title": "Lys"}, personas["nora"])
    reason = "Det kan kun folkene i partnerskabets medlemsaktører. Din aktør kan blive inviteret af et medlem."
    assert (outsider.status_code, outsider.json()) == (403, {"detail": reason})
    bare = forbidden(RequestFactory().get("/"), PermissionDenied())
    assert json.loads(bare.content) == {"detail": "Du har ikke lov til at gøre dette."}


def test_a_reader_who_chose_english_gets_english(partnership: Partnership, personas: dict[str, Persona]) -> None:
    client = Client()
    client.cookies["django_language"] = "en"  # the language switch
    base = f"{API}/partnerships/{partnership.pk}"
    jens = bearer(personas["jens"])

    def detail(url: str, body: Any, **headers: str) -> Any:
        return client.post(f"{base}{url}", body, content_type="application/json", headers=headers).json()["detail"]

    assert [e["msg"] for e in detail("/agenda", {"title": "x" * 201}, **jens)] == ["At most 200 characters."]
    assert [e["msg"] for e in detail("/pledges", {"kind": "funding", "quantity": 1.25}, **jens)] == [
        "At most 1 decimal place."
    ]
    assert [e["msg"] for e in client.get(f"{API}/actors/", {"lat": 60}).json()["detail"]] == ["Must be at most 57.9."]
    assert detail("/agenda", {}) == (
        "This needs your personal API key (Authorization: Bearer …); create one on your account page."
    )
    assert detail("/agenda", "{not json", **jens) == "The request body cannot be read as JSON."
    assert detail("/agenda", '"lys"', **jens) == "The request body must be a JSON object."


def test_a_services_own_refusal_is_answered_in_the_readers_language(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    """Lars, a member but not the facilitator, tries to close the conversation; Jens pledges the sports club's
    hall as if it were his store's. The services' reasons are told in the reader's language, and nothing
    changes."""
    from samskab.actors.models import Resource
    from samskab.opinions.services import start_conversation

    fie, lars, jens = personas["fie"], personas["lars"], personas["jens"]
    conversation = start_conversation(user=fie.user, actor=fie.actor, partnership=partnership, question="Hvorfor?")
    hall = Resource.objects.create(actor=lars.actor, kind="premises", title="Hallen")
    refusals = [
        (
            f"/conversations/{conversation.pk}/open",
            {"is_open": False},
            lars,
            "Kun facilitatoren kan lukke eller genåbne en samtale.",
            "Only the facilitator closes or reopens a conversation.",
        ),
        (
            f"/partnerships/{partnership.pk}/pledges",
            {"resource_id": hall.pk},
            jens,
            "En aktør kan kun give tilsagn om sine egne ressourcer.",
            "An actor pledges only its own resources.",
        ),
    ]

    for url, body, persona, danish, english_reason in refusals:
        refused = post(url, body, persona)
        assert (refused.status_code, refused.json()) == (403, {"detail": danish})
        english = Client().post(
            f"{API}{url}", body, content_type="application/json", headers={**bearer(persona), "accept-language": "en"}
        )
        assert (english.status_code, english.json()) == (403, {"detail": english_reason})
    conversation.refresh_from_db()
    assert conversation.is_open
    assert not Pledge.objects.exists()
    # A reason written for readers, as a lazy translation, is told in the reader's language.
    reason = PermissionDenied(gettext_lazy("Not found."))
    for language, told in (("da", "Ikke fundet."), ("en", "Not found.")):
        with override(language):
            assert json.loads(forbidden(RequestFactory().get("/"), reason).content) == {"detail": told}


@pytest.mark.parametrize("place", [{"lat": 55.4}, {"lon": 10.4}, {"lat": 55.4, "km": 2}, {"lon": 10.4, "km": 2}])
def test_a_search_around_half_a_place_is_refused(place: dict[str, float], lars: Persona) -> None:
    """A program searches around a latitude without a longitude (or the reverse): refused with the reason, as the
    actor form refuses half a pin, instead of silently finding every actor."""
    response = Client().get(f"{API}/actors/", place)
    assert response.status_code == 422
    assert [error["msg"] for error in response.json()["detail"]] == [
        danish("Give both latitude and longitude, or neither.")
    ]
    assert Client().get(f"{API}/actors/", {"lat": 55.4, "lon": 10.4, "km": 2}).status_code == 200


# 11. Addresses and methods no endpoint has -----------------------------------------------------------------


@pytest.mark.parametrize("url", ["/ingen-slags/", "/ingen-slags", "/actors/ikke/her/", "/conversations/1/ukendt"])
def test_an_address_no_endpoint_has_is_a_json_404(url: str, db: None) -> None:
    response = Client().get(f"{API}{url}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Ikke fundet."}


def test_a_method_the_endpoint_does_not_take_is_a_json_405(partnership: Partnership, jens: Persona) -> None:
    response = Client().put(f"{API}/partnerships/{partnership.pk}/agenda", {}, headers=bearer(jens))
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"
    assert response.json() == {"detail": "Denne adresse tager ikke imod PUT, kun GET, POST."}
    client = Client()
    client.cookies["django_language"] = "en"
    english = client.delete(f"{API}/actors/")
    assert (english.status_code, english["Allow"]) == (405, "GET")
    assert english.json() == {"detail": "This address does not take DELETE; it takes GET."}


def test_pages_keep_their_own_404_page(db: None) -> None:
    response = Client().get("/ingen-slags/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
    assert f"<h1>{danish('Page not found')}</h1>" in response.content.decode()


def test_a_program_states_its_language_with_accept_language(db: None) -> None:
    """The API has no language switch, so it follows Accept-Language; the cookie still comes first, and the
    pages stay Danish whatever the browser asks for."""

    def api(accept: str, cookie: str = "") -> Any:
        client = Client()
        if cookie:
            client.cookies["django_language"] = cookie
        response = client.get(f"{API}/ingen-slags/", headers={"accept-language": accept} if accept else {})
        assert "Accept-Language" in response["Vary"]
        return response["Content-Language"], response.json()["detail"]

    assert api("en-GB,en;q=0.9,da;q=0.5") == ("en", "Not found.")
    assert api("da,en;q=0.8") == ("da", "Ikke fundet.")
    assert api("fr-FR,de;q=0.9") == ("da", "Ikke fundet.")
    assert api("") == ("da", "Ikke fundet.")
    assert api("en", cookie="da") == ("da", "Ikke fundet.")
    page = Client().get("/ingen-slags/", headers={"accept-language": "en"})
    assert page["Content-Language"] == "da" and "Accept-Language" not in page.get("Vary", "")
    assert f"<h1>{danish('Page not found')}</h1>" in page.content.decode()
