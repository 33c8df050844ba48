"""Karin, director in the municipality, sees the portfolio, and only what she may read.

Lars's sports club starts a partnership open only to its members, Anne's school joins, and Lars pledges money and
the club's rooms there. Karin is no member: the partnership is a 404 to her, and her dashboard, its downloads and
the dashboard API show nothing of it — no amount, no word of its units, no sector, no agenda item. A public
partnership of the sports club and citizens belongs to her portfolio even without a municipal member. The list of
partnerships reads on a phone and keeps its query count, however many partnerships there are.
"""

import csv
import io
import math
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from samskab.actors.models import Municipality, Sector
from samskab.partnerships import services as partnership_services
from samskab.partnerships.models import AgendaItem, Challenge, Partnership, PartnershipMember, Phase
from samskab.surveys import services as survey_services

from .conftest import Persona, _persona
from .test_api import API, bearer

SECRET_UNIT = "aftener i klubhuset på Stadionvej 4"
SECRET_TITLE = "Klubbens lukkede samarbejde"
DOWNLOADS = [
    "partnerskaber",
    "faser",
    "sektorer",
    "tilsagn",
    "magtbalance",
    "magtbalance-over-tid",
    "netvaerk-aktoerer",
    "netvaerk-baand",
    "netvaerk-kvartaler",
]


@pytest.fixture
def karin(odense: Municipality) -> Persona:
    return _persona("karin@kommune.dk", "Karin Vestergaard", Sector.MUNICIPALITY, "Direktionen", odense)


@pytest.fixture
def public_work(partnership: Partnership, personas: dict[str, Persona]) -> Partnership:
    """The public partnership on Sofie's challenge: Jens pledges 1000 kroner, Sofie two hours; Mette raises an item."""
    jens, sofie, mette = personas["jens"], personas["sofie"], personas["mette"]
    partnership_services.pledge(
        user=jens.user,
        partnership=partnership,
        actor=jens.actor,
        kind="funding",
        description="Tilskud",
        quantity=Decimal(1000),
        unit="kr",
    )
    partnership_services.pledge(
        user=sofie.user,
        partnership=partnership,
        actor=sofie.actor,
        kind="volunteer_hours",
        description="To timer",
        quantity=Decimal(2),
        unit="timer om ugen",
    )
    partnership_services.add_agenda_item(
        user=mette.user, partnership=partnership, by_actor=mette.actor, title="Hvad nu?"
    )
    return partnership


def lars_starts_a_closed_partnership(lars: Persona, anne: Persona, challenge: Challenge | None) -> Partnership:
    """Lars's club starts a members-only partnership, Anne's school joins, and Lars pledges 12 345 kr and three
    evenings in the club house, and raises three agenda items."""
    assert lars.actor is not None and anne.actor is not None
    closed = partnership_services.start_partnership(
        user=lars.user,
        actor=lars.actor,
        challenge=challenge,
        title=SECRET_TITLE,
        visibility=Partnership.Visibility.MEMBERS,
    )
    invitation = partnership_services.invite_actor(
        user=lars.user, partnership=closed, by_actor=lars.actor, actor=anne.actor
    )
    partnership_services.respond_to_invitation(user=anne.user, invitation=invitation, accept=True)
    partnership_services.pledge(
        user=lars.user,
        partnership=closed,
        actor=lars.actor,
        kind="funding",
        description="Klubbens opsparing",
        quantity=Decimal(12345),
        unit="kr",
    )
    partnership_services.pledge(
        user=lars.user,
        partnership=closed,
        actor=lars.actor,
        kind="premises",
        description="Klubhuset",
        quantity=Decimal(3),
        unit=SECRET_UNIT,
    )
    for title in ("Nøgler", "Rengøring", "Forsikring"):
        partnership_services.add_agenda_item(user=lars.user, partnership=closed, by_actor=lars.actor, title=title)
    return closed


def everything_karin_gets(karin: Persona) -> dict[str, object]:
    """Each download as CSV text, and the dashboard API's tables and counts but the count of partnerships left out."""
    client = karin.client()
    seen: dict[str, object] = {
        name: client.get(reverse("insights:dashboard_export", args=[name, "csv"])).content.decode("utf-8-sig")
        for name in DOWNLOADS
    }
    body = Client().get(f"{API}/municipality/dashboard", headers=bearer(karin)).json()
    body.pop("members_only_left_out", None)
    seen["api"] = body
    return seen


def test_a_members_only_partnership_leaves_no_trace_on_karins_dashboard(
    karin: Persona, lars: Persona, anne: Persona, public_work: Partnership, challenge: Challenge
) -> None:
    before = everything_karin_gets(karin)
    closed = lars_starts_a_closed_partnership(lars, anne, challenge)

    assert karin.client().get(closed.get_absolute_url()).status_code == 404
    assert karin.client().get(reverse("insights:power_balance", args=[closed.pk])).status_code == 404
    # Not one figure, row or word changed: the amount cannot be had by subtracting the public ones, nor Anne's
    # school from the sectors, nor Lars's agenda items from the power balance.
    assert everything_karin_gets(karin) == before
    page = karin.client().get(reverse("insights:dashboard"))
    html = page.content.decode()
    for trace in ("12345", "12.345", "12 345", "Stadionvej", SECRET_TITLE, anne.actor.name):
        assert trace not in html, trace
    funding = next(row for row in dict(page.context["tables"])["tilsagn"].rows if row[0] == "Finansiering")
    assert funding[-2:] == [1000, "kr"]
    agenda = next(row for row in page.context["rows"] if row["metric"] == "Rejste dagsordenspunkter")
    assert agenda["total"] == 1
    # What is left out is counted only as Sofie's challenge's page counts it, for anyone.
    assert page.context["left_out"] == 1
    assert (
        "Et partnerskab kun for sine medlemmer arbejder med udfordringen."
        in Client().get(challenge.get_absolute_url()).content.decode()
    )
    portfolio_page = karin.client().get(reverse("insights:portfolio_power_balance"))
    assert SECRET_TITLE not in portfolio_page.content.decode()
    assert [row["total"] for row in portfolio_page.context["rows"]] == [row["total"] for row in page.context["rows"]]

    # Anne's school is a member: her dashboard counts the partnership, its amount and its units.
    anne_page = anne.client().get(reverse("insights:dashboard"))
    pledged = dict(anne_page.context["tables"])["tilsagn"].rows
    assert [1000 + 12345, "kr"] in [row[-2:] for row in pledged]
    assert [3, SECRET_UNIT] in [row[-2:] for row in pledged]
    assert SECRET_TITLE in anne_page.content.decode()


def test_a_members_only_partnership_without_a_challenge_is_not_even_counted(
    karin: Persona, lars: Persona, anne: Persona, public_work: Partnership
) -> None:
    """Nothing public says that a members-only partnership without a challenge exists, so the dashboard does not
    count it either: the partnership list does not show it to Karin."""
    lars_starts_a_closed_partnership(lars, anne, None)
    assert SECRET_TITLE not in karin.client().get(reverse("partnerships:list")).content.decode()
    page = karin.client().get(reverse("insights:dashboard"))
    assert page.context["left_out"] == 0
    assert Client().get(f"{API}/municipality/dashboard", headers=bearer(karin)).json()["members_only_left_out"] == 0
    network = karin.client().get(reverse("insights:network")).content.decode()
    assert anne.actor.name not in network and SECRET_TITLE not in network


def test_a_public_partnership_in_the_municipality_is_in_the_portfolio_without_a_municipal_member(
    karin: Persona, nora: Persona, sofie: Persona, challenge: Challenge
) -> None:
    """Nora's garden association and Sofie work on Sofie's challenge, no municipal unit with them: it is Odense's.
    So is a partnership on an Odense challenge whose only member is registered in Nyborg; one in Nyborg is not."""
    nyborg = Municipality.objects.get(code="0450")
    garden = partnership_services.start_partnership(
        user=nora.user, actor=nora.actor, challenge=challenge, title="Haver for alle"
    )
    PartnershipMember.objects.create(partnership=garden, actor=sofie.actor)
    rower = _persona("ro@nyborg.dk", "Rikke Ro", Sector.ASSOCIATION, "Nyborg Roklub", nyborg)
    assert rower.actor is not None
    over_the_bridge = partnership_services.start_partnership(
        user=rower.user, actor=rower.actor, challenge=challenge, title="Roning for unge fra Vollsmose"
    )
    nyborg_challenge = partnership_services.raise_challenge(
        user=rower.user,
        actor=rower.actor,
        title="Havnen er tom om aftenen",
        description="Ingen bruger havnen.",
        municipality=nyborg,
    )
    partnership_services.start_partnership(
        user=rower.user, actor=rower.actor, challenge=nyborg_challenge, title="Havneliv i Nyborg"
    )

    page = karin.client().get(reverse("insights:dashboard"))
    assert page.context["partnerships"] == [garden, over_the_bridge]
    html = page.content.decode()
    assert f'<a href="{garden.get_absolute_url()}">Haver for alle</a>' in html
    assert "Havneliv i Nyborg" not in html
    sectors = {row[0]: row[1:] for row in dict(page.context["tables"])["sektorer"].rows}
    assert sectors["Kommune"] == [0, 0, 0] and sectors["Forening"] == [2, 2, 100]
    body = Client().get(f"{API}/municipality/dashboard", headers=bearer(karin)).json()
    assert body["partnerships"] == 2


def cells_of_row(html: str, header: str) -> list[str]:
    row = re.search(rf"<tr><th scope=\"row\">{re.escape(header)}</th>(.*?)</tr>", html, re.S)
    assert row, header
    return re.findall(r"<td>(.*?)</td>", row.group(1), re.S)


def test_the_list_of_partnerships_reads_on_a_phone_and_flags_a_dominating_municipality(
    karin: Persona, mette: Persona, public_work: Partnership
) -> None:
    for title in ("Budget", "Lokaler", "Tidsplan", "Frivillige"):
        partnership_services.add_agenda_item(
            user=mette.user, partnership=public_work, by_actor=mette.actor, title=title
        )
    page = karin.client().get(reverse("insights:dashboard"))
    html = page.content.decode()
    table = html[html.index('<table class="table table--responsive-headers">') :]
    table = table[: table.index("</table>")]
    assert "<caption>" in table and table.count('<th scope="col">') == 5
    assert f'<th scope="row"><a href="{public_work.get_absolute_url()}">Unge i Vollsmose</a></th>' in table
    assert '<td data-title="Fase">Definér problemet sammen</td>' in table
    # One actor from each sector, and Fie's volunteer centre: two associations.
    assert "Kommune: 1<br>Forening: 2<br>Borger: 1<br>Virksomhed: 1" in table
    (row,) = page.context["page"]
    # Mette's unit raised all 5 items: 100 % of the initiative against a fair share of 1 in 5 members.
    assert (row.municipality_share, row.fair_share, row.balance.warning) == (100, 20, True)
    assert re.search(r"100 %.*<strong>[^<]+</strong>", table, re.S)
    assert table.count("<td") == table.count("<td data-title=") == 4  # below 768 px each fact under its name
    with translation.override("da"):
        today = date_format(timezone.localdate(), "j. F Y")
    assert today in table
    listed = list(
        csv.reader(
            io.StringIO(
                karin.client()
                .get(reverse("insights:dashboard_export", args=["partnerskaber", "csv"]))
                .content.decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    assert (
        listed[1][0] == "Unge i Vollsmose"
        and listed[1][2:6] == ["1", "2", "1", "1"]
        and listed[1][6:9] == ["100", "20", "ja"]
    )

    # A phase with no partnership in it, and an order that does not exist: the form says so, the list stays.
    later = karin.client().get(reverse("insights:dashboard"), {"phase": Phase.ACT, "order": "nonsense"})
    assert list(later.context["page"]) == [] and later.context["list_form"].errors["order"]


def make_partnerships(fie: Persona, members: list[Persona], count: int, start: int = 0) -> None:
    assert fie.actor is not None
    for n in range(start, start + count):
        p = partnership_services.start_partnership(
            user=fie.user, actor=fie.actor, challenge=None, title=f"Forløb {n:03d}"
        )
        for persona in members:
            PartnershipMember.objects.create(partnership=p, actor=persona.actor)
        partnership_services.add_agenda_item(user=fie.user, partnership=p, by_actor=fie.actor, title="Start")
        partnership_services.pledge(
            user=fie.user,
            partnership=p,
            actor=fie.actor,
            kind="volunteer_hours",
            description="Timer",
            quantity=Decimal(1),
            unit="timer",
        )


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def test_the_list_keeps_its_query_count_however_many_partnerships(
    karin: Persona, fie: Persona, mette: Persona, lars: Persona
) -> None:
    make_partnerships(fie, [mette, lars], 3)
    client = karin.client()
    urls = [reverse("insights:dashboard"), reverse("insights:dashboard_export", args=["partnerskaber", "csv"])]
    few = [queries_for(client, url) for url in urls]
    make_partnerships(fie, [mette, lars], 30, start=3)
    page = client.get(reverse("insights:dashboard"))
    assert len(page.context["page"]) == 25 and page.context["page"].paginator.num_pages == 2
    assert [queries_for(client, url) for url in urls] == few
    second = client.get(reverse("insights:dashboard"), {"side": 2})
    assert [row.partnership.title for row in second.context["page"]] == [f"Forløb {n:03d}" for n in range(25, 33)]


def test_evenness_shows_0_not_minus_0(mette: Persona, partnership: Partnership) -> None:
    partnership_services.add_agenda_item(user=mette.user, partnership=partnership, by_actor=mette.actor, title="Kun os")
    html = Client().get(reverse("insights:power_balance", args=[partnership.pk])).content.decode()
    assert "<dt>Jævnhed på tværs af sektorer</dt><dd>0</dd>" in html
    evenness = Client().get(f"{API}/partnerships/{partnership.pk}/power-balance").json()["evenness"]
    assert evenness == 0 and math.copysign(1, evenness) == 1


def test_months_have_danish_names_and_nothing_counted_shows_a_dash(
    karin: Persona, mette: Persona, partnership: Partnership
) -> None:
    partnership_services.add_agenda_item(user=mette.user, partnership=partnership, by_actor=mette.actor, title="Marts")
    AgendaItem.objects.filter(partnership=partnership).update(created_at=datetime(2026, 3, 10, 12, tzinfo=UTC))
    html = Client().get(reverse("insights:power_balance", args=[partnership.pk])).content.decode()
    assert '<th scope="row">marts 2026</th>' in html and "2026-03" not in html
    # No meeting has had its attendance recorded: no share of 0 % for every sector, but "—" read as nothing yet.
    cells = cells_of_row(html, "Fremmøde til møder")
    assert len(cells) == 5 and cells[-1] == "0"
    assert all('<span aria-hidden="true">—</span><span class="sr-only">' in cell for cell in cells[:4])
    assert cells_of_row(html, "Rejste dagsordenspunkter")[:4] == ["100", "0", "0", "0"]

    over_time = karin.client().get(reverse("insights:dashboard_export", args=["magtbalance-over-tid", "csv"]))
    assert "marts 2026;100;0;0;0;1" in over_time.content.decode("utf-8-sig")
    shares = karin.client().get(reverse("insights:dashboard_export", args=["magtbalance", "csv"]))
    assert "Fremmøde til møder;;;;;0" in shares.content.decode("utf-8-sig")


def test_the_power_balance_says_truly_who_sees_it(
    mette: Persona, partnership: Partnership, private_partnership: Partnership
) -> None:
    visitor = Client().get(reverse("insights:power_balance", args=[partnership.pk]))
    assert visitor.status_code == 200 and "Alle medlemmer kan se dette" not in visitor.content.decode()
    members = mette.client().get(reverse("insights:power_balance", args=[private_partnership.pk])).content.decode()
    assert "Alle medlemmer kan se dette" in members
    assert Client().get(reverse("insights:power_balance", args=[private_partnership.pk])).status_code == 404


def test_the_dashboard_api_refuses_with_the_rule_it_applies(lars: Persona, karin: Persona) -> None:
    from samskab.actors.models import Membership

    from .conftest import make_user

    caseworker = Persona(make_user("sagsbehandler@kommune.dk", "Sagsbehandler"), karin.actor)
    Membership.objects.create(actor=karin.actor, user=caseworker.user, role=Membership.Role.MEMBER)
    rule = "Overblikket er for kommunens ledere: administratorerne af kommunens egne aktører."
    for persona in (lars, caseworker):
        answer = Client().get(f"{API}/municipality/dashboard", headers=bearer(persona))
        assert answer.status_code == 403 and answer.json()["detail"] == rule
    assert Client().get(f"{API}/municipality/dashboard", headers=bearer(karin)).status_code == 200


def test_one_honest_link_downloads_every_survey(
    karin: Persona, mette: Persona, partnership: Partnership, odense: Municipality
) -> None:
    now = timezone.now()
    for title in ("Oplevelse af ligeværd", "Oplevelse af ejerskab"):
        survey = survey_services.create_survey(
            user=mette.user,
            actor=mette.actor,
            partnership=partnership,
            title=title,
            instrument_id="partnership-experience",
            opens_at=now - timedelta(days=20),
            closes_at=now - timedelta(days=10),
        )
        survey_services.import_responses(
            wave=survey.waves.get(), responses=[{"EQ1": 75, "EQ2": 75}] * 6, on=timezone.localdate()
        )
    page = karin.client().get(reverse("insights:dashboard"))
    html = page.content.decode()
    assert len(page.context["survey_panels"]) == 2
    csv_link = reverse("insights:dashboard_export", args=["maalinger", "csv"])
    assert html.count(f'href="{csv_link}"') == 1
    data = karin.client().get(csv_link).content.decode("utf-8-sig")
    assert "Oplevelse af ligeværd" in data and "Oplevelse af ejerskab" in data
