"""Jens's grocery store pledges a meeting room and takes on an action; Sofie raised the challenge. Their actor pages
show what they have contributed, to anyone who may see the partnership; members-only work only to its members."""

from decimal import Decimal

from django.test import Client

from samskab.actors.models import ResourceKind
from samskab.partnerships import services
from samskab.partnerships.models import Action, Challenge, Partnership

from .conftest import Persona


def contributions(client: Client, persona: Persona) -> str:
    assert persona.actor is not None
    page = " ".join(client.get(persona.actor.get_absolute_url()).content.decode().split())
    start = page.find('id="contributions-heading"')
    return page[start : page.index("</section>", start)] if start >= 0 else ""


def test_an_actors_page_shows_what_it_has_contributed(
    partnership: Partnership,
    private_partnership: Partnership,
    challenge: Challenge,
    jens: Persona,
    sofie: Persona,
    lars: Persona,
    nora: Persona,
) -> None:
    assert jens.actor is not None
    assert contributions(Client(), jens) == ""  # nothing yet: no empty section
    action = services.create_action(
        user=jens.user,
        partnership=partnership,
        by_actor=jens.actor,
        title="Lektiecafé i baglokalet",
        owners=[jens.actor],
    )
    services.update_action_status(user=jens.user, action=action, by_actor=jens.actor, status=Action.Status.DONE)
    services.pledge(
        user=jens.user,
        partnership=partnership,
        actor=jens.actor,
        kind=ResourceKind.PREMISES,
        description="Mødelokale om aftenen",
        quantity=Decimal(4),
        unit="timer om ugen",
        action=action,
    )
    services.pledge(
        user=jens.user,
        partnership=private_partnership,
        actor=jens.actor,
        kind=ResourceKind.JOBS,
        description="To studiejob",
    )

    seen_by_anyone = contributions(Client(), jens)
    assert "Det har vi bidraget med" in seen_by_anyone
    assert "Mødelokale om aftenen — 4 timer om ugen (lokaler) · <a" in seen_by_anyone
    assert "til “Lektiecafé i baglokalet”" in seen_by_anyone
    assert "Lektiecafé i baglokalet (færdig) · <a" in seen_by_anyone
    assert "<dt>Heraf udført</dt><dd>1</dd>" in seen_by_anyone
    assert "To studiejob" not in seen_by_anyone  # members-only
    assert "To studiejob" not in contributions(nora.client(), jens)
    assert "To studiejob" in contributions(lars.client(), jens)  # a fellow member of that partnership
    # Sofie's citizen actor raised the challenge both partnerships work on.
    assert f"{challenge.title}</a> (i et partnerskab)" in contributions(Client(), sofie)
