"""Every member of a partnership, whatever its sector, and every visitor of a public one, sees who its members work
with: the ties among them and to the actors they work with in other partnerships the reader may read, how many ties
are new since the partnership started, bridging against bonding, and the growth quarter by quarter (BRIEF: the
collaboration network; no sector has extra rights). Never a word of a members-only partnership the reader is not
part of.

The story: Nora's garden association has worked with Lars's club, Jens's store and a plant nursery since August
2025. The youth partnership (Fie, Mette, Lars, Sofie, Jens) starts today. A secret members-only partnership of Mette
and Fie with a secret association goes back to February 2024.
"""

import csv
import io
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from ninja.testing import TestClient

from samskab.actors.models import Municipality, Sector
from samskab.insights.dashboard_views import api_router
from samskab.partnerships import services
from samskab.partnerships.models import Partnership, PartnershipMember

from .conftest import Persona, _persona

pytestmark = pytest.mark.django_db

GARDENS = "Grønne gårde i Vollsmose"
SECRET_TITLE = "Det lukkede netværk"
SECRET_ACTOR = "Den Hemmelige Forening"
AUGUST_2025 = datetime(2025, 8, 15, 12, tzinfo=UTC)
FEBRUARY_2024 = datetime(2024, 2, 10, 12, tzinfo=UTC)


def network_url(partnership: Partnership) -> str:
    return reverse("insights:partnership_network", args=[partnership.pk])


def started(persona: Persona, title: str, members: list[Persona], at: datetime, **extra: Any) -> Partnership:
    """A partnership `persona` started at `at`, every member joining then."""
    assert persona.actor is not None
    other = services.start_partnership(user=persona.user, actor=persona.actor, challenge=None, title=title, **extra)
    for member in members:
        PartnershipMember.objects.create(partnership=other, actor=member.actor)
    Partnership.objects.filter(pk=other.pk).update(created_at=at)
    PartnershipMember.objects.filter(partnership=other).update(joined_at=at)
    return other


@pytest.fixture
def nursery(odense: Municipality) -> Persona:
    return _persona("plante@skole.dk", "Per Plante", Sector.BUSINESS, "Planteskolen", odense)


@pytest.fixture
def gardens(personas: dict[str, Persona], nursery: Persona) -> Partnership:
    """Public, since August 2025: Nora's association with Lars's club, Jens's store and the nursery."""
    return started(personas["nora"], GARDENS, [personas["lars"], personas["jens"], nursery], AUGUST_2025)


@pytest.fixture
def secret(personas: dict[str, Persona], odense: Municipality) -> Partnership:
    """Members-only, since February 2024: a secret association with Mette's unit and Fie's volunteer centre."""
    hidden = _persona("hemmelig@forening.dk", "Hanne Hemmelig", Sector.ASSOCIATION, SECRET_ACTOR, odense)
    return started(
        hidden,
        SECRET_TITLE,
        [personas["mette"], personas["fie"]],
        FEBRUARY_2024,
        visibility=Partnership.Visibility.MEMBERS,
    )


def test_a_member_of_each_sector_sees_the_network_and_an_outsider_gets_404(
    private_partnership: Partnership, personas: dict[str, Persona]
) -> None:
    url = network_url(private_partnership)
    for name in ("mette", "lars", "sofie", "jens", "fie"):
        page = personas[name].client().get(url)
        assert page.status_code == 200, name
        assert page.context["network"].panel.graph.number_of_edges() == 10, name  # five members, every pair tied
        assert '<svg xmlns="http://www.w3.org/2000/svg"' in page.content.decode(), name
    assert Client().get(url).status_code == 404
    assert personas["nora"].client().get(url).status_code == 404
    assert (
        Client()
        .get(reverse("insights:partnership_network_export", args=[private_partnership.pk, "netvaerk-aktoerer", "csv"]))
        .status_code
        == 404
    )
    # The partnership's own menu leads there.
    detail = personas["sofie"].client().get(private_partnership.get_absolute_url()).content.decode()
    assert f'href="{url}"' in detail


def test_a_visitor_sees_a_public_partnerships_network_with_a_table_for_screen_readers(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    page = Client().get(network_url(partnership))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'role="img"' in html and 'aria-labelledby="partnership-network-title partnership-network-desc"' in html
    for name in ("fie", "mette", "lars", "sofie", "jens"):
        actor = personas[name].actor
        assert actor is not None and f'<th scope="row">{actor.name}</th>' in html
    assert 'aria-current="page"' in html
    # The drawing scrolls inside its wrapper on a phone, and says so there.
    assert 'class="samskab-scroll-hint samskab-scroll-hint--network"' in html
    assert html.count('class="samskab-scroll-hint"') == 1  # the new ties per quarter chart's
    # What is counted is said to a visitor as it applies to one: public partnerships only, not "that you take part in".
    text = " ".join(html.split())
    assert "andre offentlige partnerskaber" in text and "som du selv er med i" not in text
    assert "som du selv er med i" in " ".join(
        personas["sofie"].client().get(network_url(partnership)).content.decode().split()
    )


def test_new_ties_since_the_start_are_the_pairs_who_had_not_worked_together_before(
    partnership: Partnership, gardens: Partnership, personas: dict[str, Persona], nursery: Persona
) -> None:
    found = personas["sofie"].client().get(network_url(partnership)).context["network"]
    graph = found.panel.graph
    names = set(found.panel.names.values())
    # The five members and the two actors they work with in the gardens; Nora and the nursery are tied to each
    # other too, but that tie is the gardens' business, not this partnership's.
    assert names == {p.actor.name for p in personas.values()} | {"Planteskolen"}  # type: ignore[union-attr]
    nora, nursery_id = personas["nora"].actor.pk, nursery.actor.pk  # type: ignore[union-attr]
    assert not graph.has_edge(nora, nursery_id)
    assert graph.number_of_edges() == 10 + 4  # every pair of members, and Lars and Jens each to Nora and the nursery
    # Lars and Jens worked together in the gardens before: of the ten pairs of members, nine are new.
    assert len(found.new_ties) == 9
    assert found.kinds == {"bridging": (11, 8), "bonding": (3, 1), "all": (14, 9)}  # Fie and Lars: associations
    assert found.panel.bridging_share == 79  # 11 of 14
    lars = personas["lars"].actor
    row = next(row for row in found.actors_sheet.rows if row[0] == lars.name)  # type: ignore[union-attr]
    assert row[2] == "ja" and row[3] == 6 and row[5] == 3  # tied to six actors, three of them new (Fie, Mette, Sofie)
    assert next(row for row in found.actors_sheet.rows if row[0] == "Planteskolen")[2] == "nej"
    # The members come first in the table.
    assert [row[2] for row in found.actors_sheet.rows] == ["ja"] * 5 + ["nej"] * 2


def test_nothing_from_a_members_only_partnership_the_reader_cannot_read(
    partnership: Partnership, gardens: Partnership, secret: Partnership, personas: dict[str, Persona]
) -> None:
    url = network_url(partnership)
    for client in (Client(), personas["sofie"].client(), personas["lars"].client()):
        page = client.get(url)
        html = page.content.decode()
        assert SECRET_ACTOR not in html and SECRET_TITLE not in html
        assert "1. kvartal 2024" not in html and "2024" not in html
        found = page.context["network"]
        assert found.panel.graph.number_of_nodes() == 7 and found.panel.graph.number_of_edges() == 14
        assert len(found.new_ties) == 9
        assert [other.title for other in found.elsewhere] == [GARDENS]
        for name in ("netvaerk-aktoerer", "netvaerk-baandtyper", "netvaerk-baand", "netvaerk-kvartaler"):
            download = client.get(reverse("insights:partnership_network_export", args=[partnership.pk, name, "csv"]))
            text = download.content.decode("utf-8-sig")
            assert SECRET_ACTOR not in text and "2024" not in text, name
    # Mette takes part in the secret partnership: her page counts it, so Fie and Mette are no new tie to her.
    page = personas["mette"].client().get(url)
    html = page.content.decode()
    assert SECRET_ACTOR in html and SECRET_TITLE in html and "1. kvartal 2024" in html
    assert len(page.context["network"].new_ties) == 8


def test_quarters_read_in_danish_on_pages_and_downloads_and_stay_machine_readable_in_the_api(
    partnership: Partnership, gardens: Partnership, personas: dict[str, Persona]
) -> None:
    sofie, mette = personas["sofie"], personas["mette"]
    html = sofie.client().get(network_url(partnership)).content.decode()
    assert '<th scope="row">3. kvartal 2025</th>' in html and "2025-Q3" not in html
    assert "<title>3. kvartal 2025</title>" in html  # the chart's label under its axis
    download = sofie.client().get(
        reverse("insights:partnership_network_export", args=[partnership.pk, "netvaerk-kvartaler", "csv"])
    )
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    # Lars and Jens, each with Nora and the nursery: three pairs across sectors, two within one.
    assert rows[1] == ["3. kvartal 2025", "3", "2", "5"]
    # The municipality's dashboard reads the same way; the API keeps "2025-Q3" for programs.
    dashboard = mette.client().get(reverse("insights:network")).content.decode()
    assert '<th scope="row">3. kvartal 2025</th>' in dashboard and "2025-Q3" not in dashboard
    exported = mette.client().get(reverse("insights:dashboard_export", args=["netvaerk-kvartaler", "csv"]))
    assert "3. kvartal 2025;" in exported.content.decode("utf-8-sig")
    body = TestClient(api_router).get("/network", user=mette.user).json()
    assert body["new_ties_per_quarter"][0]["quarter"] == "2025-Q3"


def test_an_employee_involvement_process_says_what_the_network_is_about(
    involvement: Partnership, anne: Persona
) -> None:
    page = anne.client().get(network_url(involvement))
    html = page.content.decode()
    assert page.status_code == 200 and page.context["internal"] is True
    assert "<svg" not in html and "samskab-scroll-hint" not in html
    assert reverse("surveys:list", args=[involvement.pk]) in html
    assert Client().get(network_url(involvement)).status_code == 404
    export = reverse("insights:partnership_network_export", args=[involvement.pk, "netvaerk-aktoerer", "csv"])
    assert anne.client().get(export).status_code == 404


def test_the_query_count_does_not_grow_with_the_members(
    partnership: Partnership, gardens: Partnership, personas: dict[str, Persona], odense: Municipality
) -> None:
    client = personas["sofie"].client()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(network_url(partnership)).status_code == 200
        return len(captured)

    queries()  # once, so that what a first request loads once is not counted
    before = queries()
    for i in range(8):
        member = _persona(f"medlem{i}@example.dk", f"Medlem {i}", Sector.CITIZEN, f"Borger {i}", odense)
        PartnershipMember.objects.create(partnership=partnership, actor=member.actor)
        started(member, f"Nabohjælp {i}", [personas["nora"]], AUGUST_2025)
    after = queries()
    assert client.get(network_url(partnership)).context["network"].panel.graph.number_of_nodes() == 15
    assert after == before, (before, after)


def test_the_figures_are_on_the_page(partnership: Partnership, gardens: Partnership) -> None:
    html = Client().get(network_url(partnership)).content.decode()
    figures = {
        term: re.sub(r"<[^>]+>", "", figure) for term, figure in re.findall(r"<dt>([^<]+)</dt><dd>(.*?)</dd>", html)
    }
    assert list(figures.values())[:4] == ["5", "7", "14", "9"]
    assert list(figures.values())[4] == "79 %"


def test_the_api_gives_the_same_network_as_the_page_and_nothing_the_caller_cannot_read(
    partnership: Partnership, gardens: Partnership, secret: Partnership, personas: dict[str, Persona]
) -> None:
    from .test_api import API, bearer

    url = f"{API}/partnerships/{partnership.pk}/network"
    data = Client().get(url).json()
    assert data["applies"] and data["partnerships_counted"] == [gardens.pk]
    assert len(data["actors"]) == 7 and sum(a["member"] for a in data["actors"]) == 5
    assert len(data["ties"]) == 14 and sum(t["new"] for t in data["ties"]) == 9
    assert sum(t["bridging"] for t in data["ties"]) == 11
    assert SECRET_ACTOR not in str(data) and "2024" not in str(data)
    lars, jens = personas["lars"].actor, personas["jens"].actor
    assert lars is not None and jens is not None
    old = next(t for t in data["ties"] if set(t["actors"]) == {lars.pk, jens.pk})
    assert not old["new"] and old["first"].startswith("2025-08")  # they met in the gardens
    # Mette reads the secret partnership: the API counts it for her, as her page does.
    hers = Client().get(url, headers=bearer(personas["mette"])).json()
    assert SECRET_ACTOR in {a["name"] for a in hers["actors"]} and sum(t["new"] for t in hers["ties"]) == 8
    assert Client().get(f"{API}/partnerships/{secret.pk}/network").status_code == 404


def test_a_member_that_leaves_keeps_the_ties_it_made_and_one_who_joins_after_has_none_with_it(
    partnership: Partnership, gardens: Partnership, personas: dict[str, Persona]
) -> None:
    sofie, jens, nora = personas["sofie"], personas["jens"], personas["nora"]
    assert sofie.actor is not None and jens.actor is not None and nora.actor is not None
    before = personas["lars"].client().get(network_url(partnership)).context["network"]
    services.leave_partnership(user=jens.user, partnership=partnership, actor=jens.actor)
    invitation = services.invite_actor(user=sofie.user, partnership=partnership, by_actor=sofie.actor, actor=nora.actor)
    services.respond_to_invitation(user=nora.user, invitation=invitation, accept=True)
    after = personas["lars"].client().get(network_url(partnership)).context["network"]
    graph = after.panel.graph
    # Jens's shop worked with the four others while a member: those ties are history and stay, as new ties.
    for other in ("mette", "lars", "sofie", "fie"):
        assert graph.has_edge(jens.actor.pk, personas[other].actor.pk), other  # type: ignore[union-attr]
    assert len(after.new_ties) >= len(before.new_ties)
    assert jens.actor.pk not in after.members and nora.actor.pk in after.members
    # Nora's association joined after the shop left: no tie between them from this partnership (they had one
    # from the gardens before, which is not new).
    tie = graph.get_edge_data(jens.actor.pk, nora.actor.pk)
    assert tie is not None and tie["first"] < after.start and tie["ties"] == 1
