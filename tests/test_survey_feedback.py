"""What a QA walk through the surveys as Anne (school leader) and Omar (teacher) found, told as their stories:
results go back to everyone when a round closes, the thanks page says when and where, the results do not claim
more than the numbers hold, empty pages say what comes, the questionnaire's source speaks Danish, the rounds'
buttons are on a phone's screen, and an involvement process starts from the workplace questionnaire."""

import csv
import io
import re
from datetime import timedelta
from functools import partial

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samskab.accounts.models import Notification, NotificationKind
from samskab.actors.models import Municipality
from samskab.partnerships.models import Partnership
from samskab.surveys import scoring, services
from samskab.surveys.models import Survey, Wave

from .conftest import STAFF, Persona, at_the_same_instant
from .test_surveys import answer_url, close, fill, later_wave, start, token_from

SCHOOL = {"anne@skole.dk", *(f"{name}@skole.dk" for name in STAFF)}


def told(kind: str = NotificationKind.SURVEY_RESULTS) -> dict[str, list[Notification]]:
    """Each person's notifications of `kind`, by email address."""
    out: dict[str, list[Notification]] = {}
    for notification in Notification.objects.filter(kind=kind).select_related("user"):
        out.setdefault(notification.user.email, []).append(notification)
    return out


# --- 1. results go back to everyone who took part ----------------------------------------------------------


def test_when_the_round_closes_everyone_at_the_school_is_told_once_whoever_answered(
    anne: Persona, omar: Persona, involvement: Partnership, django_capture_on_commit_callbacks: object
) -> None:
    survey = start(anne, involvement)
    wave = survey.waves.get()
    token = services.issue_invitation(wave=wave, user=omar.user)
    Client().post(answer_url(token), {"INX1": "75", "MW1": "100"})  # Omar answers; his colleagues do not
    fill(wave, 5)
    assert services.announce_results() == 0 and not told()  # still open: nothing to tell

    close(wave)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        call_command("announce_survey_results", stdout=io.StringIO())
    notices = told()
    # The whole school, Omar and those who did not answer alike, with the same words: the notice says nothing of
    # who answered.
    assert set(notices) == SCHOOL and all(len(n) == 1 for n in notices.values())
    assert len({n[0].text for n in notices.values()}) == 1
    notice = notices["omar@skole.dk"][0]
    assert notice.url == reverse("surveys:results", args=[survey.pk])
    assert "Før og efter" in notice.text and "er lukket, og resultaterne er klar" in notice.text
    assert sorted(m.to[0] for m in mail.outbox) == sorted(SCHOOL)  # emailed at once, as their settings say
    wave.refresh_from_db()
    assert wave.results_announced_at is not None

    # The command runs again, and Anne opens the pages: nobody is told twice.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        out = io.StringIO()
        call_command("announce_survey_results", stdout=out)
        anne.client().get(survey.get_absolute_url())
        anne.client().get(reverse("surveys:results", args=[survey.pk]))
    assert out.getvalue().startswith("0 ") and Notification.objects.count() == len(SCHOOL) and not mail.outbox
    # Omar follows the link in his notification and reads the results.
    page = omar.client().get(notice.url)
    assert page.status_code == 200 and page.context["groups"][0].respondents == 6


def test_a_round_that_closes_with_too_few_answers_says_its_results_are_withheld(
    anne: Persona, involvement: Partnership, nora: Persona
) -> None:
    """Nora, in no member actor, is not told."""
    survey = start(anne, involvement)
    wave = survey.waves.get()
    fill(wave, 3)
    close(wave)
    # No scheduled command has run: Anne opening the survey page settles the round on the way.
    page = anne.client().get(survey.get_absolute_url()).content.decode()
    assert "Se resultaterne" in page
    notices = told()
    assert set(notices) == SCHOOL and nora.user.email not in notices
    text = notices["anne@skole.dk"][0].text
    assert "færre end 5 svar" in text and "vises ikke" in text and "anonymitet" in text
    assert "er klar" not in text


def test_two_rounds_too_close_in_size_are_told_why_the_earlier_is_withheld(
    anne: Persona, involvement: Partnership
) -> None:
    survey = start(anne, involvement)
    baseline = survey.waves.get()
    fill(baseline, 6)
    close(baseline)
    follow_up = later_wave(survey)
    fill(follow_up, 5)
    # Both rounds closed before anyone settled them: the later round is shown, the earlier withheld beside it.
    assert services.announce_results() == 2
    texts = sorted(n.text for n in Notification.objects.filter(user__email="omar@skole.dk"))
    assert len(texts) == 2
    assert any("Opfølgning" in t and "er klar" in t for t in texts)
    assert any("Før-måling" in t and "for tæt på en anden rundes" in t for t in texts)


def test_a_community_survey_has_nobody_with_an_account_to_tell(mette: Persona, odense: Municipality) -> None:
    now = timezone.now()
    survey = services.create_community_survey(
        user=mette.user,
        municipality=odense,
        neighbourhood="Vollsmose",
        title="Tillid i Vollsmose",
        opens_at=now - timedelta(days=3),
        closes_at=now + timedelta(days=3),
    )
    close(survey.waves.get())
    assert services.announce_results() == 0 and not Notification.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_processes_settling_the_same_round_at_once_tell_everyone_once(
    anne: Persona, involvement: Partnership
) -> None:
    """The scheduled command on two machines, and Anne opening the results page, at the same instant."""
    survey = start(anne, involvement)
    wave = survey.waves.get()
    fill(wave, 6)
    close(wave)
    page = partial(anne.client().get, reverse("surveys:results", args=[survey.pk]))
    outcomes = at_the_same_instant([services.announce_results, services.announce_results, page])
    assert not [o for o in outcomes if isinstance(o, BaseException)], outcomes
    assert outcomes[0] + outcomes[1] <= 1 and outcomes[2].status_code == 200  # type: ignore[operator,union-attr]
    notices = told()
    assert set(notices) == SCHOOL and all(len(n) == 1 for n in notices.values())


# --- 2. the thanks page says when and where ----------------------------------------------------------------


def test_omar_is_told_when_and_where_the_results_will_be_and_nothing_more(
    anne: Persona, omar: Persona, involvement: Partnership, django_capture_on_commit_callbacks: object
) -> None:
    survey = start(anne, involvement)
    wave = survey.waves.get()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        anne.client().post(reverse("surveys:wave_invite", args=[survey.pk, wave.pk]))
    tokens = {m.to[0]: token_from(m) for m in mail.outbox}

    # Omar answers from his email without logging in; so does Camilla. Both are sent to the same address.
    omars = Client().post(answer_url(tokens["omar@skole.dk"]), {"INX1": "75"})
    camillas = Client().post(answer_url(tokens["camilla@skole.dk"]), {"INX1": "25"})
    assert omars.status_code == camillas.status_code == 302 and omars.url == camillas.url
    assert tokens["omar@skole.dk"] not in omars.url

    page = Client().get(omars.url)
    html = page.content.decode()
    closes = timezone.localtime(wave.closes_at)
    assert "Før og efter" in html and f"Runden lukker {closes.day}." in html
    assert "hvis mindst 5 har svaret" in html
    assert "Alle i forløbet får besked i Samskab" in html  # a staff process, in its own words
    # The involvement process is for its members: logged out he is offered to log in, not shown its pages.
    assert f'href="{reverse("account_login")}?next={survey.get_absolute_url()}"' in html and "Gå til forsiden" in html
    assert f'href="{survey.get_absolute_url()}"' not in html

    # Logged in, the page leads him to the survey; once the round has closed, to its results.
    mine = omar.client().get(omars.url).content.decode()
    assert f'href="{survey.get_absolute_url()}"' in mine and "Gå til målingen" in mine
    close(wave)
    closed = omar.client().get(omars.url).content.decode()
    assert f'href="{reverse("surveys:results", args=[survey.pk])}"' in closed and "Runden lukkede" in closed


def test_a_thanks_address_that_was_not_given_tells_nothing(
    nora: Persona, anne: Persona, involvement: Partnership
) -> None:
    survey = start(anne, involvement)
    wave = survey.waves.get()
    for runde in (str(wave.pk), f"{wave.pk}:forged", ""):
        page = nora.client().get(reverse("surveys:thanks"), {"runde": runde})
        html = page.content.decode()
        assert page.status_code == 200 and survey.title not in html and "Gå til forsiden" in html


# --- 3. results that do not claim more than the numbers hold -----------------------------------------------


BASELINE = [25, 25, 50, 50, 50, 50, 50, 50, 75, 75]  # mean 50
SMALL_RISE = [25, 50, 50, 50, 75, 75, 50, 75, 50, 75]  # mean 57.5: +7.5 points, ten people each round


def test_a_rise_of_7_5_points_among_ten_is_within_the_uncertainty(anne: Persona, involvement: Partnership) -> None:
    survey = start(anne, involvement)
    baseline = survey.waves.get()
    services.import_responses(wave=baseline, responses=[{"INX1": v} for v in BASELINE], on=timezone.localdate())
    close(baseline)
    follow_up = later_wave(survey)
    services.import_responses(wave=follow_up, responses=[{"INX1": v} for v in SMALL_RISE], on=timezone.localdate())

    change = next(s for s in services.safe_results(survey).scales if s.id == "IN").changes[0]
    assert change.delta == pytest.approx(7.5) and change.large and not change.distinguishable
    assert change.ci_low is not None and change.ci_low < 0 < change.ci_high and not change.meaningful
    html = anne.client().get(reverse("surveys:results", args=[survey.pk])).content.decode()
    assert "Fra Før-måling" in html and "7,5 point." in html
    assert "Inden for usikkerheden: med så få svar kan ændringen være tilfældig" in html
    assert "En mærkbar ændring" not in html
    # The downloads and the API say the same.
    book = anne.client().get(reverse("surveys:results_export", args=[survey.pk, "xlsx"]))
    assert book.status_code == 200
    api = anne.client().get(f"/api/v1/surveys/{survey.pk}/results").json()
    influence = next(s for s in api["scales"] if s["id"] == "IN")
    assert influence["changes"][0]["meaningful"] is False and influence["changes"][0]["ci_low"] < 0


def test_a_clear_rise_is_called_noticeable_with_its_interval(anne: Persona, involvement: Partnership) -> None:
    survey = start(anne, involvement)
    baseline = survey.waves.get()
    services.import_responses(wave=baseline, responses=[{"INX1": v} for v in BASELINE], on=timezone.localdate())
    close(baseline)
    follow_up = later_wave(survey)
    rise = [75] * 8 + [100, 50]  # mean 75: +25 points
    services.import_responses(wave=follow_up, responses=[{"INX1": v} for v in rise], on=timezone.localdate())
    html = anne.client().get(reverse("surveys:results", args=[survey.pk])).content.decode()
    assert "En mærkbar ændring: mindst 5 point og større end usikkerheden" in html
    assert "Inden for usikkerheden" not in html


# Justice (JU1, JU4 in the short version): people who agree with one question disagree with the other.
JU1 = [0, 25, 50, 75, 100, 0, 25, 50, 75, 100]
JU4 = [50, 25, 100, 0, 25, 75, 50, 0, 50, 0]


def test_a_negative_alpha_is_not_shown_and_the_page_says_why(anne: Persona, involvement: Partnership) -> None:
    assert scoring.cronbach_alpha([[a, b] for a, b in zip(JU1, JU4, strict=True)]) < -1  # what it would have shown
    survey = start(anne, involvement)
    wave = survey.waves.get()
    rows = [{"JU1": a, "JU4": b, "INX1": 50} for a, b in zip(JU1, JU4, strict=True)]
    services.import_responses(wave=wave, responses=rows, on=timezone.localdate())
    close(wave)
    page = anne.client().get(reverse("surveys:results", args=[survey.pk]))
    justice = next(t for t in page.context["tables"] if t["scale"].id == "JU")
    cell = justice["rows"][0][1]
    assert cell.alpha is None and cell.alpha_verdict == scoring.AlphaVerdict.INCOHERENT
    html = page.content.decode()
    assert "Svarene hænger ikke sammen som en skala." in html and "-1,9" not in html and "−1,9" not in html
    # A scale of one question has no alpha column, and says why instead of a dash.
    influence = next(t for t in page.context["tables"] if t["scale"].id == "IN")
    assert not influence["with_alpha"] and "Skalaen er ét spørgsmål, så Cronbachs alfa" in html
    assert "<td>—</td>" not in html
    # The downloads put the reason in the note, with no number; the API gives null and the reason.
    data = anne.client().get(reverse("surveys:results_export", args=[survey.pk, "csv"])).content.decode("utf-8-sig")
    row = next(r for r in csv.reader(io.StringIO(data), delimiter=";") if r[0].startswith("Retfærdighed"))
    assert row[8] == "" and row[11] == "Svarene hænger ikke sammen som en skala."
    api = anne.client().get(f"/api/v1/surveys/{survey.pk}/results").json()
    cell_out = next(s for s in api["scales"] if s["id"] == "JU")["cells"][0]
    assert cell_out["alpha"] is None and cell_out["alpha_note"] == "Svarene hænger ikke sammen som en skala."


def test_alpha_from_fewer_than_ten_is_too_few_to_judge(anne: Persona, involvement: Partnership) -> None:
    survey = start(anne, involvement)
    wave = survey.waves.get()
    rows = [{"JU1": v, "JU4": v} for v in (0, 25, 50, 75, 100, 50)]  # six who agree with themselves: alpha 1
    services.import_responses(wave=wave, responses=rows, on=timezone.localdate())
    close(wave)
    html = anne.client().get(reverse("surveys:results", args=[survey.pk])).content.decode()
    assert "For få svar til at vurdere skalaens pålidelighed." in html
    assert "mindst 10 har svaret på alle skalaens spørgsmål" in html  # the legend


# --- 4. empty states ---------------------------------------------------------------------------------------


def test_before_any_round_closes_the_pages_say_when_the_results_come(anne: Persona, involvement: Partnership) -> None:
    survey = start(anne, involvement)
    wave = survey.waves.get()
    closes = timezone.localtime(wave.closes_at)
    client = anne.client()
    detail = client.get(survey.get_absolute_url()).content.decode()
    assert reverse("surveys:results", args=[survey.pk]) + '"' not in detail and "Se resultaterne" not in detail
    assert f"når den første runde er lukket {closes.day}." in detail and "hvis mindst 5 har svaret" in detail
    results = client.get(reverse("surveys:results", args=[survey.pk])).content.decode()
    assert "resultater.csv" not in results and "resultater.xlsx" not in results
    assert f"når den første runde lukker {closes.day}." in results
    listing = client.get(reverse("surveys:list", args=[involvement.pk])).content.decode()
    assert "Resultater, når den første runde lukker" in listing
    assert reverse("surveys:results", args=[survey.pk]) not in listing

    close(wave)
    assert "Se resultaterne" in client.get(survey.get_absolute_url()).content.decode()
    assert "resultater.csv" in client.get(reverse("surveys:results", args=[survey.pk])).content.decode()
    assert (
        reverse("surveys:results", args=[survey.pk])
        in client.get(reverse("surveys:list", args=[involvement.pk])).content.decode()
    )


def test_answers_without_personal_links_are_not_counted_as_0_of_0(
    anne: Persona, omar: Persona, involvement: Partnership
) -> None:
    survey = start(anne, involvement)
    wave = survey.waves.get()
    fill(wave, 10)  # loaded from elsewhere: nobody was given a link
    html = anne.client().get(survey.get_absolute_url()).content.decode()
    assert 'data-title="Svar">10</td>' in html and 'data-title="Personlige links">Ingen endnu</td>' in html
    assert "0 / 0" not in html and "Inviterede, der har svaret" not in html
    services.issue_invitation(wave=wave, user=omar.user)
    html = anne.client().get(survey.get_absolute_url()).content.decode()
    assert 'data-title="Personlige links">0 af 1 har svaret</td>' in html


# --- 5. the questionnaire's source in Danish ---------------------------------------------------------------


def test_the_source_of_the_three_diamonds_is_in_danish_on_danish_pages(anne: Persona, involvement: Partnership) -> None:
    survey = start(anne, involvement, instrument="workplace-social-capital")
    client = anne.client()
    html = client.get(survey.get_absolute_url()).content.decode()
    assert "Begrebet:" in html and "Tillid og retfærdighed:" in html and "Samarbejde:" in html
    assert not re.search(r"Concept:|Trust and justice:|Cooperation:", html)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})  # the language switch in the header
    english = client.get(survey.get_absolute_url()).content.decode()
    assert "Concept:" in english and "Begrebet:" not in english


# --- 6. a phone ---------------------------------------------------------------------------------------------


def test_the_rounds_table_stacks_on_a_phone_so_its_buttons_are_on_screen(
    anne: Persona, involvement: Partnership
) -> None:
    """The design system's stacking table (as the agenda's): below 768 px each round is a block of labelled
    lines, the invitation button the last of them, instead of a seventh column off the screen. The browser test
    tests/browser/test_survey_phone.py measures it at 375 px."""
    survey = start(anne, involvement)
    html = anne.client().get(survey.get_absolute_url()).content.decode()
    table = html[html.index("<table") : html.index("</table>")]
    assert 'class="table table--responsive-headers"' in table and "table--responsive-scroll" not in table
    body = table[table.index("<tbody>") :]
    cells = re.findall(r"<td([^>]*)>", body)
    assert len(cells) == 6 and all("data-title=" in c for c in cells[:-1])
    assert "Invitationer og påmindelser på e-mail" in body


# --- 7. an involvement process starts from the workplace questionnaire ---------------------------------------


def test_an_involvement_process_starts_from_the_workplace_questionnaire_without_leaders(
    anne: Persona, involvement: Partnership, mette: Persona, partnership: Partnership
) -> None:
    form = anne.client().get(reverse("surveys:create", args=[involvement.pk])).context["form"]
    assert form["instrument"].value() == "workplace-social-capital:1" and form["leaders_answer"].value() is False
    html = anne.client().get(reverse("surveys:create", args=[involvement.pk])).content.decode()
    assert re.search(r'<option value="workplace-social-capital:1" selected>', html)
    # A co-creation partnership keeps community trust, with everyone answering.
    other = mette.client().get(reverse("surveys:create", args=[partnership.pk])).context["form"]
    assert other["instrument"].value() == "community-trust:1" and other["leaders_answer"].value() is True
    # The defaults are only where the form starts: Anne may still choose another questionnaire.
    now = timezone.localtime()
    anne.client().post(
        reverse("surveys:create", args=[involvement.pk]),
        {
            "title": "Tillid i Nørreby",
            "instrument": "community-trust:1",
            "wave_kind": "baseline",
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert Survey.objects.get(title="Tillid i Nørreby").instrument_id == "community-trust"


def test_no_round_is_left_unannounced_by_the_demo(db: None) -> None:
    """The scheduled command settles every closed round of the demo's partnership surveys once."""
    call_command("load_demo", stdout=io.StringIO())
    first = services.announce_results()
    closed = Wave.objects.filter(closes_at__lte=timezone.now(), survey__partnership__isnull=False)
    assert first == closed.count() > 0 and services.announce_results() == 0
    assert not closed.filter(results_announced_at__isnull=True).exists()
