"""Karin, director in the municipality, sees the portfolio: partnerships by phase and sector, what the
partners pledge together, the power balance, survey indices over time and the collaboration network.
Lars from the sports club does not get the dashboard; members-only partnerships stay with their members."""

import csv
import dataclasses
import io
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from ninja.testing import TestClient
from openpyxl import load_workbook

from samskab.actors.models import Municipality, Sector
from samskab.insights import charts, dashboard
from samskab.insights.dashboard_views import api_router
from samskab.insights.power import METRICS
from samskab.partnerships import services as partnership_services
from samskab.partnerships.models import Partnership, PartnershipMember, Phase
from samskab.surveys import services as survey_services
from samskab.surveys.models import Survey

from .conftest import Persona, _persona

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def karin(odense: Municipality) -> Persona:
    return _persona("karin@kommune.dk", "Karin Vestergaard", Sector.MUNICIPALITY, "Direktionen", odense)


@pytest.fixture
def work(partnership: Partnership, personas: dict[str, Persona]) -> Partnership:
    """Lars's club and Jens's store own an action; Jens pledges jobs to it and Sofie pledges hours."""
    lars, jens, sofie = personas["lars"], personas["jens"], personas["sofie"]
    action = partnership_services.create_action(
        user=lars.user,
        partnership=partnership,
        by_actor=lars.actor,
        title="Fredagsåben hal",
        owners=[lars.actor, jens.actor],
    )
    partnership_services.pledge(
        user=jens.user,
        partnership=partnership,
        actor=jens.actor,
        kind="jobs",
        description="Fritidsjob",
        quantity=Decimal(4),
        unit="job",
        action=action,
    )
    partnership_services.pledge(
        user=sofie.user,
        partnership=partnership,
        actor=sofie.actor,
        kind="volunteer_hours",
        description="To timer om ugen",
        quantity=Decimal(2),
        unit="timer om ugen",
    )
    partnership_services.pledge(
        user=lars.user,
        partnership=partnership,
        actor=lars.actor,
        kind="volunteer_hours",
        description="Trænere",
        quantity=Decimal(6),
        unit="timer om ugen",
    )
    return partnership


def amount_column(sector: str) -> int:
    """Where the pledges table has a sector's amount: after the kind and the number of pledges, in sector order."""
    return 2 + list(Sector.values).index(sector)


def closed_survey(persona: Persona, partnership: Partnership, responses: int) -> Survey:
    now = timezone.now()
    survey = survey_services.create_survey(
        user=persona.user,
        actor=persona.actor,
        partnership=partnership,
        title=f"Oplevelse i {partnership.title}",
        instrument_id="partnership-experience",
        opens_at=now - timedelta(days=20),
        closes_at=now - timedelta(days=10),
    )
    survey_services.import_responses(
        wave=survey.waves.get(), responses=[{"EQ1": 75, "EQ2": 75}] * responses, on=timezone.localdate()
    )
    return survey


def test_karin_sees_the_portfolio(
    karin: Persona, fie: Persona, work: Partnership, private_partnership: Partnership
) -> None:
    partnership_services.change_phase(user=fie.user, partnership=work, by_actor=fie.actor, to_phase=Phase.ACT)
    response = karin.client().get(reverse("insights:dashboard"))
    assert response.status_code == 200
    tables = dict(response.context["tables"])
    phases = {row[0]: row[1:] for row in tables["faser"].rows}
    # The members-only partnership Karin is not part of counts nowhere (tests/test_dashboard_privacy_and_portfolio.py).
    assert phases[str(Phase.ACT.label)] == [1, 0, 1] and phases[str(Phase.DEFINE.label)] == [0, 0, 0]
    assert sum(row[3] for row in tables["faser"].rows) == 1
    sectors = {row[0]: row[1:] for row in tables["sektorer"].rows}
    assert sectors[str(Sector.MUNICIPALITY.label)] == [1, 1, 100]
    hours = next(row for row in tables["tilsagn"].rows if row[1] == 2)
    assert hours[amount_column(Sector.CITIZEN)] == 2 and hours[amount_column(Sector.ASSOCIATION)] == 6
    assert hours[-2] == 8 and hours[-1] == "timer om ugen"
    # Another unit is another row: kroner are not added to hours, and a whole amount shows without decimals.
    partnership_services.pledge(
        user=fie.user,
        partnership=work,
        actor=fie.actor,
        kind="volunteer_hours",
        description="Honorar til trænere",
        quantity=Decimal(2000),
        unit="kroner",
    )
    response = karin.client().get(reverse("insights:dashboard"))
    rows = [row for row in dict(response.context["tables"])["tilsagn"].rows if row[0] == "Frivillige timer"]
    assert sorted((row[-2], row[-1]) for row in rows) == [(8, "timer om ugen"), (2000, "kroner")]
    page = response.content.decode()
    assert re.search(r"<td[^>]*>2\.000</td>", page) and "2000,0" not in page and ">2000<" not in page  # as read
    assert response.context["all_sectors"] == 1
    assert response.context["left_out"] == 1  # on Sofie's challenge, whose page says so to anyone


def test_only_the_leaders_of_a_municipal_actor_get_the_dashboard_and_survey_the_town(
    karin: Persona, lars: Persona, partnership: Partnership
) -> None:
    from samskab.actors.models import Membership

    from .conftest import make_user

    # A caseworker in Karin's unit is municipal staff but leads nothing: no overview, no surveys of the town.
    caseworker = make_user("sagsbehandler@kommune.dk", "Sagsbehandler")
    Membership.objects.create(actor=karin.actor, user=caseworker, role=Membership.Role.MEMBER)
    staff = Client()
    staff.force_login(caseworker)
    for url in (reverse("insights:dashboard"), reverse("surveys:community_list"), reverse("surveys:community_create")):
        assert staff.get(url).status_code == 403
        assert karin.client().get(url).status_code == 200
    assert "Kommunens overblik" not in staff.get(reverse("home")).content.decode()
    assert "Kommunens overblik" in karin.client().get(reverse("home")).content.decode()

    for name in ("dashboard", "network"):
        assert lars.client().get(reverse(f"insights:{name}")).status_code == 403
        assert Client().get(reverse(f"insights:{name}")).status_code == 302  # to the login page
    assert lars.client().get(reverse("insights:dashboard_export", args=["faser", "csv"])).status_code == 403
    assert TestClient(api_router).get("/dashboard", user=lars.user).status_code == 403
    assert TestClient(api_router).get("/network").status_code == 403


def test_the_network_ties_partners_actions_and_pledges(
    karin: Persona, work: Partnership, personas: dict[str, Persona]
) -> None:
    # Lars's club also works with Nora's garden association: the club now brokers between the two groups.
    nora, lars = personas["nora"], personas["lars"]
    other = partnership_services.start_partnership(user=nora.user, actor=nora.actor, challenge=None, title="Haverne")
    PartnershipMember.objects.create(partnership=other, actor=lars.actor)

    panel = dashboard.network_panel(dashboard.portfolio_for(karin.user).visible)
    graph = panel.graph
    assert graph.number_of_nodes() == 6  # Fie, Mette, Lars, Sofie, Jens, Nora
    # Lars and Jens: the partnership (1), co-owning the action (2) and Jens's pledge to it (1).
    assert graph.edges[lars.actor.pk, personas["jens"].actor.pk]["weight"] == 4
    # Sofie and Lars pooled volunteer hours: partnership (1) + pledge (1).
    assert graph.edges[lars.actor.pk, personas["sofie"].actor.pk]["weight"] == 2
    assert graph.edges[lars.actor.pk, nora.actor.pk]["weight"] == 1
    assert panel.summary.bonding_pairs == 2  # Fie-Lars and Lars-Nora: associations among themselves
    assert panel.summary.bridging_pairs == 9
    top = panel.actors_sheet.rows[0]
    assert top[0] == lars.actor.name and top[5] > 0
    assert sum(q.total for q in panel.quarters) == graph.number_of_edges()

    page = karin.client().get(reverse("insights:network"))
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and 'role="img"' in html and "<caption>" in html
    body = TestClient(api_router).get("/network", user=karin.user).json()
    assert len(body["actors"]) == 6 and len(body["ties"]) == 11
    assert {t["bridging"] for t in body["ties"]} == {True, False}


def test_members_only_partnerships_stay_out_of_the_network_and_surveys(
    karin: Persona, private_partnership: Partnership, mette: Persona
) -> None:
    closed_survey(mette, private_partnership, 6)
    portfolio = dashboard.portfolio_for(karin.user)
    assert portfolio.visible == [] and portfolio.left_out == 1
    assert dashboard.network_panel(portfolio.visible).graph.number_of_nodes() == 0
    assert dashboard.survey_panels(portfolio) == []
    # Mette is a member, so her dashboard shows it.
    assert len(dashboard.survey_panels(dashboard.portfolio_for(mette.user))) == 1


def partners_and_town_surveys(mette: Persona, partnership: Partnership, odense: Municipality) -> tuple[Survey, Survey]:
    """The partners' survey, closed with six answers, and the town's trust survey in Vollsmose with four."""
    shown = closed_survey(mette, partnership, 6)
    now = timezone.now()
    community = survey_services.create_community_survey(
        user=mette.user,
        municipality=odense,
        neighbourhood="Vollsmose",
        title="Tillid i Vollsmose",
        opens_at=now - timedelta(days=9),
        closes_at=now - timedelta(days=8),
    )
    row = {"OECD_GT": 6, "ESS_PPLTRST": 5, "ESS_PPLFAIR": 5, "ESS_PPLHLP": 5}
    survey_services.import_responses(wave=community.waves.get(), responses=[row] * 4, on=timezone.localdate())
    return shown, community


def test_survey_indices_show_only_safe_aggregates(
    karin: Persona, partnership: Partnership, mette: Persona, odense: Municipality
) -> None:
    shown, community = partners_and_town_surveys(mette, partnership, odense)
    response = karin.client().get(reverse("insights:dashboard"))
    panels = response.context["survey_panels"]
    assert [p.survey for p in panels] == [shown, community]
    rows = panels[0].sheet.rows
    equality = next(r for r in rows if r[1] in ("Equality", "Ligeværdighed"))
    assert equality[4:6] == [6, 75.0]
    assert all(r[5] is None and r[8] for r in panels[1].sheet.rows)  # 4 citizens: nothing shown
    html = response.content.decode()
    assert "<svg" in html and "samskab-chart" in html

    data = karin.client().get(reverse("insights:dashboard_export", args=["maalinger", "csv"]))
    rows = csv.reader(io.StringIO(data.content.decode("utf-8-sig")), delimiter=";")
    means = [r[5] for r in rows if r[0] == "Tillid i Vollsmose"]
    assert means and all(m == "" for m in means)
    body = TestClient(api_router).get("/dashboard", user=karin.user).json()
    community_cells = [c for s in body["surveys"][1]["scales"] for c in s["cells"]]
    assert all(c["mean"] is None for c in community_cells)


def test_every_aggregate_downloads_as_csv_and_xlsx(karin: Persona, work: Partnership) -> None:
    client = karin.client()
    for name in dashboard.SHEETS:
        as_csv = client.get(reverse("insights:dashboard_export", args=[name, "csv"]))
        assert as_csv.status_code == 200 and as_csv["Content-Type"].startswith("text/csv"), name
        assert len(list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig")), delimiter=";"))) >= 1
        as_xlsx = client.get(reverse("insights:dashboard_export", args=[name, "xlsx"]))
        assert as_xlsx.status_code == 200, name
        assert load_workbook(io.BytesIO(as_xlsx.content)).worksheets[0].max_row >= 1
    assert client.get(reverse("insights:dashboard_export", args=["nothing", "csv"])).status_code == 404
    assert client.get(reverse("insights:dashboard_export", args=["faser", "pdf"])).status_code == 404


def test_the_dashboard_keeps_its_query_count(
    karin: Persona, work: Partnership, mette: Persona, django_assert_max_num_queries: object
) -> None:
    closed_survey(mette, work, 6)
    # About 35 for the portfolio, the power balance and the network, plus 4 per survey with results.
    with django_assert_max_num_queries(45):  # type: ignore[operator]
        assert karin.client().get(reverse("insights:dashboard")).status_code == 200


def test_the_confidence_chart_skips_hidden_rounds() -> None:
    html = str(
        charts.ci_chart(
            ["Før", "Efter"],
            [("Tillid", [(50.0, 40.0, 60.0), (None, None, None)])],
            title="Tillid <før> og efter",
            description="Gennemsnit med konfidensintervaller",
        )
    )
    svg = html[html.index("<svg") : html.index("</svg>")]  # the plot, without the legend's sample marker
    assert svg.count("samskab-chart__point") == 1 and "&lt;før&gt;" in svg and "<desc>" in svg


def test_employee_involvement_stays_out_of_the_power_balance_and_is_counted_apart(
    karin: Persona, mette: Persona, partnership: Partnership
) -> None:
    """Mette's unit opens an internal process on a reform and proposes in it: 100 % municipal by definition. Karin's
    power balance and sector figures cover the co-creation partnership only; the process is counted apart."""
    process = partnership_services.start_partnership(
        user=mette.user,
        actor=mette.actor,
        challenge=None,
        title="Praksisfaglighed i udskolingen",
        kind=Partnership.Kind.EMPLOYEE_INVOLVEMENT,
    )
    partnership_services.add_agenda_item(user=mette.user, partnership=process, by_actor=mette.actor, title="Hvordan?")
    partnership_services.propose(
        user=mette.user,
        partnership=process,
        by_actor=mette.actor,
        title="Værkstedsdag hver fredag",
        text="Udskolingen har værkstedsdag hver fredag.",
        deadline=timezone.now() + timedelta(days=7),
    )
    response = karin.client().get(reverse("insights:dashboard"))
    html = response.content.decode()
    rows = dict(zip(METRICS, response.context["rows"], strict=True))
    assert rows["proposals"]["total"] == 0 and rows["agenda_items"]["total"] == 0
    # One voice per member actor of the co-creation partnership: Mette's unit is 1 of 5.
    assert response.context["fair_share"] == 20
    assert response.context["partnerships"] == [partnership]
    sectors = {row[0]: row[1:] for row in dict(response.context["tables"])["sektorer"].rows}
    assert sectors[str(Sector.MUNICIPALITY.label)] == [1, 1, 100]
    phases = {row[0]: row[1:] for row in dict(response.context["tables"])["faser"].rows}
    assert phases[str(Phase.DEFINE.label)] == [1, 1, 2]  # the phases still show both kinds
    # Karin still sees the process: counted apart, and listed, as it is public.
    assert "Medarbejderinddragelse: 1 forløb" in html
    assert f'<a href="{process.get_absolute_url()}">Praksisfaglighed i udskolingen</a>' in html
    body = TestClient(api_router).get("/dashboard", user=karin.user).json()
    assert (body["partnerships"], body["employee_involvement_processes"]) == (1, 1)
    assert body["tables"]["magtbalance"]["rows"][1][-1] == 0  # proposals made

    page = karin.client().get(reverse("insights:portfolio_power_balance")).content.decode()
    assert "1 samskabelsespartnerskab" in page and "Medarbejderinddragelse: 1 forløb" in page
    # No proposal in the co-creation partnership: no sector's share, a count of 0.
    nothing = '<td><span aria-hidden="true">—</span><span class="sr-only">[^<]+</span></td>'
    assert re.search(f"Stillede forslag</th>({nothing}){{4}}<td>0</td>", page)


def test_an_internal_process_explains_its_power_balance_instead_of_measuring_sectors(
    mette: Persona, partnership: Partnership
) -> None:
    process = partnership_services.start_partnership(
        user=mette.user,
        actor=mette.actor,
        challenge=None,
        title="Ny ledelsesstruktur",
        kind=Partnership.Kind.EMPLOYEE_INVOLVEMENT,
        visibility=Partnership.Visibility.MEMBERS,
    )
    html = mette.client().get(reverse("insights:power_balance", args=[process.pk])).content.decode()
    assert "Jævnhed" not in html and "rimelige andel" not in html
    assert "kun én sektor" in html and "mellem ledelse og medarbejdere" in html
    assert reverse("partnerships:proposals", args=[process.pk]) in html
    shared = mette.client().get(reverse("insights:power_balance", args=[partnership.pk])).content.decode()
    assert "Jævnhed på tværs af sektorer" in shared and "kun én sektor" not in shared


def test_a_pledge_without_an_amount_is_counted_not_shown_as_nothing(
    karin: Persona, work: Partnership, personas: dict[str, Persona]
) -> None:
    jens = personas["jens"]
    partnership_services.pledge(
        user=jens.user, partnership=work, actor=jens.actor, kind="network", description="Vores kunder"
    )
    sheet = dict(karin.client().get(reverse("insights:dashboard")).context["tables"])["tilsagn"]
    row = next(row for row in sheet.rows if row[0] == "Netværk")
    assert row[1] == 1 and row[amount_column(Sector.BUSINESS)] == 1
    assert row[-2:] == [1, "tilsagn (uden angivet mængde)"]


def keyfigure_notes(html: str) -> dict[str, str]:
    return dict(re.findall(r"<dt>([^<]+)</dt><dd>.*?</dd><dd class=\"samskab-keyfigures__note\">([^<]+)</dd>", html))


def test_karin_gets_the_figures_explained_in_plain_danish(karin: Persona, work: Partnership) -> None:
    html = karin.client().get(reverse("insights:dashboard")).content.decode()
    notes = keyfigure_notes(html)
    assert "sektor" in notes["Forbindelser på tværs af sektorer"]
    assert "deltager" in notes["Aktører i netværket"]

    page = karin.client().get(reverse("insights:network"))
    tables = dict(page.context["tables"])
    ties = tables["netvaerk-baand"].headers
    assert ties[:2] == ["Den ene aktørs sektor", "Den anden aktørs sektor"]
    headers = " ".join([*tables["netvaerk-aktoerer"].headers, *ties])
    assert "betweenness" not in headers and "Forbindelsesstyrke" not in headers
    text = page.content.decode()
    assert "Bindeled for andre (%)" in text and "Bindeled for andre: hvor ofte" in text
    assert "Fælles arbejde (point): hvor meget" in text


def test_the_network_names_its_most_central_actors_and_its_table_every_actor(
    karin: Persona, work: Partnership, personas: dict[str, Persona]
) -> None:
    page = karin.client().get(reverse("insights:network"))
    html = page.content.decode()
    svg = ET.fromstring(html[html.index("<svg") : html.index("</svg>") + 6])
    labels = [text.text for text in svg.find(f"{SVG}g[@class='labels']")]
    lars = personas["lars"].actor
    assert lars is not None and labels[0] == lars.name  # the club brokers the most
    assert 1 < len(labels) <= 8
    panel = page.context["network"]
    table = [row[0] for row in panel.actors_sheet.rows]
    assert sorted(table) == sorted(panel.names[node] for node in panel.graph.nodes)
    assert all(f'<th scope="row">{name}</th>' in html for name in table)
    assert all(isinstance(row[4], int) for row in panel.actors_sheet.rows)  # whole points show as "4", not "4,0"


# --- the figures explained where they are shown, and readable on a phone ------------------------------------------


def english(persona: Persona | None = None) -> Client:
    """A client, logged in as `persona` if given, that chose English with the language switch: the assertions below
    read the English wording, which holds whatever the Danish catalogue says."""
    client = persona.client() if persona else Client()
    client.cookies["django_language"] = "en"
    return client


INITIATIVE = "Initiative is what a sector starts: the agenda items it raises, the proposals it makes and the decisions"
HINT = '<p class="samskab-scroll-hint samskab-scroll-hint--table">Scroll sideways to see the whole table.</p>'


def test_every_power_balance_says_what_initiative_counts_before_its_figures(
    karin: Persona, mette: Persona, partnership: Partnership
) -> None:
    """The word "initiative" is defined where the power balance uses it, above the key figures, on the
    partnership's own page (public: anyone reads it), the municipality's power balance and the dashboard."""
    partnership_services.add_agenda_item(user=mette.user, partnership=partnership, by_actor=mette.actor, title="Budget")
    pages = [
        english().get(reverse("insights:power_balance", args=[partnership.pk])).content.decode(),
        english(karin).get(reverse("insights:portfolio_power_balance")).content.decode(),
        english(karin).get(reverse("insights:dashboard")).content.decode(),
    ]
    for html in pages:
        assert INITIATIVE in html
        assert html.index(INITIATIVE) < html.index("<dt>Municipality's share of the initiative</dt>")


def test_the_power_balance_tables_keep_their_row_names_and_say_they_scroll(
    karin: Persona, mette: Persona, partnership: Partnership
) -> None:
    """On a phone the sector columns scroll: a hint right above each table says so (shown while it scrolls), and
    the activity or month of each row stays on the screen (samskab.css: .samskab-sticky-first)."""
    partnership_services.add_agenda_item(user=mette.user, partnership=partnership, by_actor=mette.actor, title="Budget")
    for html in (
        english().get(reverse("insights:power_balance", args=[partnership.pk])).content.decode(),
        english(karin).get(reverse("insights:dashboard")).content.decode(),
    ):
        shares = f'{HINT}\n<div class="table--responsive-scroll"><table class="table samskab-sticky-first">\n'
        assert f"{shares}  <caption>Share by sector (%)</caption>" in html
        assert f"{shares}  <caption>Cumulative share of the initiative by sector (%), per month</caption>" in html


def test_the_pledges_table_says_which_figure_is_a_count_and_which_an_amount(karin: Persona, work: Partnership) -> None:
    """Karin reads two pledges of volunteer hours: the number of pledges, the hours by sector and in all, and the
    unit they are in, each under a header that says which it is."""
    response = english(karin).get(reverse("insights:dashboard"))
    sheet = dict(response.context["tables"])["tilsagn"]
    assert sheet.headers == [
        "Kind",
        "Number of pledges",
        "Amount pledged: Municipality",
        "Amount pledged: Association",
        "Amount pledged: Citizen",
        "Amount pledged: Business",
        "Total amount pledged",
        "Unit of the amounts",
    ]
    html = response.content.decode()
    table = html[html.index("<caption>Pledged resources combined</caption>") :]
    table = table[: table.index("</table>")]
    assert all(f'<th scope="col">{header}</th>' in table for header in sheet.headers)
    # On a phone each figure is shown beside its column's name.
    row = table[table.index('<th scope="row">Volunteer hours</th>') :]
    row = row[: row.index("</tr>")]
    assert '<td data-title="Number of pledges">2</td>' in row
    assert '<td data-title="Amount pledged: Association">6</td><td data-title="Amount pledged: Citizen">2</td>' in row
    assert '<td data-title="Total amount pledged">8</td><td data-title="Unit of the amounts">timer om ugen</td>' in row


def test_the_dashboard_tables_stack_on_a_phone_each_figure_under_its_name(
    karin: Persona, work: Partnership, mette: Persona
) -> None:
    """Below 768 px the tables of totals and the survey indices are blocks, one per row, in which each figure
    carries its column's name (the design system's responsive headers), so no column is off the screen."""
    closed_survey(mette, work, 6)
    html = english(karin).get(reverse("insights:dashboard")).content.decode()
    tables = re.findall(r'<table class="table table--responsive-headers samskab-sheet">(.*?)</table>', html, re.S)
    assert len(tables) == 4  # by phase, by sector, pledges, and the one survey's indices
    for table in tables:
        headers = re.findall(r'<th scope="col">([^<]*)</th>', table)
        for row in re.findall(r"<tr>(<th scope=\"row\".*?)</tr>", table, re.S):
            assert re.findall(r'<td data-title="([^"]*)">', row) == headers[1:]


def test_the_survey_indices_say_which_end_of_each_scale_is_high(
    karin: Persona, partnership: Partnership, mette: Persona, odense: Municipality
) -> None:
    """The partners' survey scores 0-100 and turns the question asked the other way round (EQ4); the town's trust
    survey scores 0-10 and asks nothing the other way round. Each panel says its range, and that a higher score
    means more of what the scale measures, before its chart and table."""
    shown, _town = partners_and_town_surveys(mette, partnership, odense)
    html = english(karin).get(reverse("insights:dashboard")).content.decode()
    higher = "On every scale a higher score means more of what the scale measures, such as more trust"
    turned = "Questions asked the other way round are turned before they count"
    partners = html[html.index(f">{shown.title}</a></h3>") : html.index(">Tillid i Vollsmose</a></h3>")]
    assert "Scores run from 0 to 100." in partners and higher in partners and turned in partners
    assert partners.index(higher) < partners.index("<figure>") < partners.index("<table")
    town = html[html.index(">Tillid i Vollsmose</a></h3>") :]
    town = town[: town.index("</table>")]
    assert "Scores run from 0 to 10." in town and higher in town and turned not in town


def test_a_survey_with_scales_of_two_ranges_gives_each_its_range(mette: Persona, partnership: Partnership) -> None:
    survey = closed_survey(mette, partnership, 6)
    results = survey_services.safe_results(survey)
    first, *others = results.scales
    mixed = dataclasses.replace(results, scales=[dataclasses.replace(first, y_min=1.0, y_max=5.0), *others])
    with translation.override("en"):
        reading = dashboard.scale_reading(survey, mixed)
    assert reading.startswith(f"{first.name}: scores from 1 to 5. ")
    assert f"{', '.join(s.name for s in others)}: scores from 0 to 100." in reading
