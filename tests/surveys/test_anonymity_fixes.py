"""Nørreby Skole's staff process, "Praksisfaglighed i udskolingen": Anne leads, Omar, Camilla, Thomas, Louise and
Kasper answer. Each test is a way a curious reader, or a hurried one, tried to get at an answer, or lost one:

- subtracting two reports whose people differ by a few (two surveys started together, one with Anne and one
  without; a spring and an autumn round after Thomas left; the same count but other people);
- lining up who was marked as having answered with the order the answers were stored in;
- answering on the phone after pressing "Svar nu" at a desk;
- a school leader watching, closing and reading a neighbourhood survey she did not start;
- a form sent twice, and a round that needs more time, or none at all;
- who reads answers in own words, and what the pages and emails call the staff process.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from ninja.testing import TestClient

from samskab.accounts.models import Notification, NotificationKind, User
from samskab.actors.models import Municipality
from samskab.partnerships.models import Partnership
from samskab.surveys import services
from samskab.surveys.api import router
from samskab.surveys.models import Invitation, Participation, PooledResponse, Response, Survey, Wave

from ..conftest import STAFF, Persona

ROLE_HELP = (
    "A member acts for the actor in its partnerships, conversations and surveys, and in its staff processes runs the "
    "surveys and reads what colleagues write in their own words; an administrator also edits it and answers "
    "invitations. A colleague takes part only in the workplace's own processes of employee involvement, with a voice "
    "of their own, and does not speak for the actor elsewhere."
)


def person(name: str) -> User:
    return User.objects.get(email=f"{name}@skole.dk")


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def start(
    anne: Persona, involvement: Partnership, title: str, instrument: str = "copsoq3-selected", **extra: Any
) -> Survey:
    now = timezone.now()
    return services.create_survey(
        user=anne.user,
        actor=anne.actor,
        partnership=involvement,
        title=title,
        instrument_id=instrument,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=7),
        **extra,
    )


def answer_now(user: User, wave: Wave, answers: dict[str, str]) -> None:
    """The person presses "Svar nu" on the survey's page and sends the form."""
    client = client_of(user)
    go = client.post(reverse("surveys:answer_now", args=[wave.survey_id, wave.pk]))
    assert go.status_code == 302, go.content.decode()[:300]
    assert client.post(go.url, answers).status_code == 302


def close_together(*waves: Wave) -> None:
    """The rounds close at the same moment, as rounds started together do."""
    now = timezone.now()
    Wave.objects.filter(pk__in=[w.pk for w in waves]).update(
        opens_at=now - timedelta(days=10), closes_at=now - timedelta(minutes=1)
    )


def group(results: services.SafeResults, wave: Wave) -> services.Group:
    return results.group(f"w{wave.pk}")


# --- 1. Differencing across surveys and rounds --------------------------------------------------------------


def test_two_surveys_started_together_never_give_away_the_leaders_answer(
    anne: Persona, omar: Persona, involvement: Partnership
) -> None:
    # S asks the leaders too, T does not; the five answer both, Anne answers S. 6 x mean(S) - 5 x mean(T) would
    # be Anne's own score on every scale.
    s = start(anne, involvement, "Med lederne", leaders_answer=True)
    t = start(anne, involvement, "Uden lederne", leaders_answer=False)
    s_wave, t_wave = s.waves.get(), t.waves.get()
    for name in STAFF:
        for wave in (s_wave, t_wave):
            answer_now(person(name), wave, {"INX1": "50", "MW1": "75"})
    answer_now(anne.user, s_wave, {"INX1": "0", "MW1": "0"})
    close_together(s_wave, t_wave)

    shown = services.safe_results(s)
    withheld = services.safe_results(t)
    assert group(shown, s_wave).shown_respondents == 6 and not group(shown, s_wave).hidden
    assert group(withheld, t_wave).shown_respondents is None
    assert all(scale.cells[f"w{t_wave.pk}"].mean is None for scale in withheld.scales)

    # The page says why, in Danish, and names the survey it is too close to; the API and the download agree.
    page = client_of(person("camilla")).get(reverse("surveys:results", args=[t.pk])).content.decode()
    assert "Vises ikke: de, der svarede, adskiller sig fra dem, der svarede på runden" in page
    assert "målingen “Med lederne”" in page
    api = TestClient(router).get(f"/surveys/{t.pk}/results", user=omar.user)
    assert all(cell["mean"] is None for scale in api.json()["scales"] for cell in scale["cells"])
    csv = omar.client().get(reverse("surveys:results_export", args=[t.pk, "csv"])).content.decode("utf-8-sig")
    assert "Med lederne" in csv and not re.search(r";\d+,\d;", csv)


def test_a_survey_sharing_scales_with_another_is_compared_with_it(anne: Persona, involvement: Partnership) -> None:
    # COPSOQ and the workplace's social capital both ask vertical trust (TM) and justice (JU) in the same words.
    s = start(anne, involvement, "COPSOQ", leaders_answer=True)
    t = start(anne, involvement, "Social kapital", instrument="workplace-social-capital", leaders_answer=False)
    tm = {"TM1": "75", "TMX2": "75", "TM4": "75"}
    for name in STAFF:
        answer_now(person(name), s.waves.get(), tm)
        answer_now(person(name), t.waves.get(), tm)
    answer_now(anne.user, s.waves.get(), {"TM1": "0", "TMX2": "0", "TM4": "0"})
    close_together(s.waves.get(), t.waves.get())
    assert [peer.pk for peer in services.comparable_surveys(t)] == [s.pk, t.pk]
    results = services.safe_results(t)
    trust = next(scale for scale in results.scales if scale.id == "TM")
    assert trust.cells[f"w{t.waves.get().pk}"].mean is None
    assert not group(services.safe_results(s), s.waves.get()).hidden


def test_two_staff_processes_asking_the_same_people_cannot_be_subtracted(
    anne: Persona, involvement: Partnership
) -> None:
    """Anne asks the same questions in a second staff process of the school, of the same colleagues but Omar. Each
    result alone is safe; the two side by side would give Omar's score as the difference. The later one gives way,
    on the page, in the download and in the API, and says which round it is too close to."""
    from samskab.partnerships import services as partnerships

    first = start(anne, involvement, "Trivsel, hele skolen", leaders_answer=True)
    teams = partnerships.start_partnership(
        user=anne.user,
        actor=anne.actor,
        challenge=None,
        title="Trivsel i teamene",
        kind=Partnership.Kind.EMPLOYEE_INVOLVEMENT,
        visibility=Partnership.Visibility.MEMBERS,
    )
    second = start(anne, teams, "Trivsel, teamene", leaders_answer=True)
    tm = {"TM1": "50", "TMX2": "50", "TM4": "50"}
    for user in [anne.user, *(person(name) for name in STAFF)]:  # six in the first, five (all but Omar) in the second
        omar = user == person("omar")
        answer_now(user, first.waves.get(), {"TM1": "100", "TMX2": "100", "TM4": "100"} if omar else tm)
        if not omar:
            answer_now(user, second.waves.get(), tm)
    now = timezone.now()
    Wave.objects.filter(survey=first).update(opens_at=now - timedelta(days=10), closes_at=now - timedelta(minutes=2))
    Wave.objects.filter(survey=second).update(opens_at=now - timedelta(days=10), closes_at=now - timedelta(minutes=1))
    assert {s.pk for s in services.comparable_surveys(second)} == {first.pk, second.pk}
    assert {s.pk for s in services.comparable_surveys(first)} == {first.pk, second.pk}
    shown = services.safe_results(first)
    withheld = services.safe_results(second)
    assert not group(shown, first.waves.get()).hidden
    reason = group(withheld, second.waves.get()).hidden
    assert "runden" in reason and "af målingen “Trivsel, hele skolen”" in reason
    trust = next(scale for scale in withheld.scales if scale.id == "TM")
    assert trust.cells[f"w{second.waves.get().pk}"].mean is None
    api = TestClient(router).get(f"/surveys/{second.pk}/results", user=anne.user).json()
    cells = [cell for scale in api["scales"] for cell in scale["cells"]]
    assert cells and all(cell["mean"] is None and cell["hidden"] for cell in cells)
    first_api = TestClient(router).get(f"/surveys/{first.pk}/results", user=anne.user).json()
    assert any(cell["mean"] is not None for scale in first_api["scales"] for cell in scale["cells"])


def test_a_round_once_shown_stays_and_the_later_one_gives_way(anne: Persona, involvement: Partnership) -> None:
    # Spring: Anne and the five. Autumn, after Thomas left: the other four and Anne. The spring round was read when
    # it closed; hiding it now would protect nobody, so the autumn round is withheld.
    survey = start(anne, involvement, "Forår og efterår", leaders_answer=True)
    spring = survey.waves.get()
    for user in [anne.user, *(person(n) for n in STAFF)]:
        answer_now(user, spring, {"INX1": "50"})
    now = timezone.now()
    Wave.objects.filter(pk=spring.pk).update(opens_at=now - timedelta(days=200), closes_at=now - timedelta(days=180))
    autumn = services.add_wave(
        user=anne.user,
        survey=survey,
        kind=Wave.Kind.FOLLOW_UP,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1),
    )
    for user in [anne.user, *(person(n) for n in STAFF if n != "thomas")]:
        answer_now(user, autumn, {"INX1": "75"})
    close_together(autumn)
    results = services.safe_results(survey)
    assert group(results, spring).shown_respondents == 6
    spring_label = group(results, spring).wave_label
    assert group(results, autumn).hidden == (
        f"Vises ikke: de, der svarede, adskiller sig fra dem, der svarede på runden {spring_label}, med færre end 5 "
        "personer, så man ved at trække de to resultater fra hinanden kunne se deres svar."
    )


def test_the_same_count_of_other_people_is_still_too_close(anne: Persona, involvement: Partnership) -> None:
    # Five answer each round, but not the same five: Anne in spring, Kasper in autumn. The counts are equal; the
    # difference of the sums is Anne's answer less Kasper's, which anyone who knows one of them can read.
    survey = start(anne, involvement, "Samme antal", leaders_answer=True)
    spring = survey.waves.get()
    for user in [anne.user, *(person(n) for n in STAFF if n != "kasper")]:
        answer_now(user, spring, {"INX1": "50"})
    now = timezone.now()
    Wave.objects.filter(pk=spring.pk).update(opens_at=now - timedelta(days=200), closes_at=now - timedelta(days=180))
    autumn = services.add_wave(
        user=anne.user, survey=survey, kind=Wave.Kind.FOLLOW_UP, opens_at=now, closes_at=now + timedelta(days=1)
    )
    for name in STAFF:
        answer_now(person(name), autumn, {"INX1": "75"})
    close_together(autumn)
    results = services.safe_results(survey)
    assert group(results, spring).shown_respondents == 5 and group(results, autumn).hidden


def test_open_link_surveys_fall_back_to_counts(mette: Persona, odense: Municipality) -> None:
    now = timezone.now()

    def community(title: str, count: int) -> Wave:
        survey = services.create_community_survey(
            user=mette.user,
            municipality=odense,
            neighbourhood="Vollsmose",
            title=title,
            opens_at=now - timedelta(days=3),
            closes_at=now + timedelta(days=3),
        )
        wave = survey.waves.get()
        services.import_responses(wave=wave, responses=[{"OECD_GT": 7}] * count, on=timezone.localdate())
        return wave

    first, second, third = community("Tillid i marts", 12), community("Tillid i april", 11), community("Maj", 22)
    close_together(first, second, third)
    assert group(services.safe_results(first.survey), first).shown_respondents == 12
    assert group(services.safe_results(second.survey), second).hidden  # one fewer: by counts, nested at worst
    assert group(services.safe_results(third.survey), third).shown_respondents == 22


# --- 2. The order of rows ------------------------------------------------------------------------------------


def insertion_order(table: str) -> list[str]:
    """The rows' keys in the order the database keeps them: SQLite's rowid, PostgreSQL's transaction and place."""
    order = "rowid" if connection.vendor == "sqlite" else "xmin::text::bigint, ctid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} ORDER BY {order}")
        return [str(row[0]).replace("-", "") for row in cursor.fetchall()]


def transactions(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT xmin::text FROM {table}")
        return {row[0] for row in cursor.fetchall()}


class Descending:
    """A stand-in for the random shuffle that is never the order people answered in: by answer, highest first."""

    @staticmethod
    def shuffle(items: list[Any]) -> None:
        def value(row: Any) -> float:
            if isinstance(row, PooledResponse):
                return row.answers["INX1"][0] * 1000 + row.answers["MW1"][0]
            answers = {a.item_id: a.value for a in row.answers.all()}
            return answers["INX1"] * 1000 + answers["MW1"]

        items.sort(key=value, reverse=True)


def test_the_order_answers_are_stored_in_does_not_say_who_gave_them(
    anne: Persona, involvement: Partnership, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = getattr(services, "_random", None)
    monkeypatch.setattr(services, "_random", Descending(), raising=False)
    survey = start(anne, involvement, "Rækkefølge", leaders_answer=True)
    wave = survey.waves.get()
    people = [*(person(n) for n in STAFF), anne.user]
    given = {}  # person -> what they answered, each different, rising in the order they answer
    for i, user in enumerate(people):
        given[user.pk] = (min(25.0 * i, 100.0), 25.0 * max(0, i - 4))
        answer_now(user, wave, {"INX1": f"{given[user.pk][0]:g}", "MW1": f"{given[user.pk][1]:g}"})
        if i == 3:  # four have answered: nothing is written yet, so nothing can be lined up
            assert Response.objects.count() == 0 and PooledResponse.objects.count() == 4

    close_together(wave)
    services.mix_closed_rounds()
    assert Response.objects.count() == 6 and not PooledResponse.objects.exists()

    def stored(response_id: str) -> tuple[float, float]:
        answers = {a.item_id: a.value for a in Response.objects.get(pk=response_id).answers.all()}
        return answers["INX1"], answers["MW1"]

    in_storage = [stored(pk) for pk in insertion_order("surveys_response")]
    marked = Participation.objects.filter(wave=wave, answered=True).order_by("pk")
    in_marking = [given[p.user_id] for p in marked]
    assert sorted(in_storage) == sorted(in_marking)
    assert in_storage != in_marking  # the n-th person marked is not the n-th answer stored
    if connection.vendor == "postgresql":
        # One transaction wrote every response, and it marked nobody.
        written = transactions("surveys_response")
        assert len(written) == 1 and not written & transactions("surveys_participation")
    assert isinstance(real, services.secrets.SystemRandom)  # without the stand-in, the order is unpredictable


def test_a_page_says_answers_wait_to_be_mixed_in_without_counting_them(anne: Persona, involvement: Partnership) -> None:
    survey = start(anne, involvement, "Venter", leaders_answer=True)
    wave = survey.waves.get()
    answer_now(person("omar"), wave, {"INX1": "50"})
    page = anne.client().get(survey.get_absolute_url()).content.decode()
    assert "Flere svar venter på at blive blandet ind med andres" in page
    assert 'data-title="Svar">0' in page  # what is written, not what waits


# --- 3. A newer link does not lose the answers sent with an older one ---------------------------------------


def test_omar_answers_on_his_phone_after_pressing_answer_now_at_his_desk(
    anne: Persona, omar: Persona, involvement: Partnership, django_capture_on_commit_callbacks: Any
) -> None:
    survey = start(anne, involvement, "Telefon og pc", leaders_answer=False)
    wave = survey.waves.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.invite(user=anne.user, wave=wave)
    emailed = next(m for m in mail.outbox if m.to == ["omar@skole.dk"])
    line = next(line for line in emailed.body.splitlines() if "/maalinger/svar/" in line)
    phone_url = "/maalinger/svar/" + line.rstrip("/").rsplit("/", 1)[1] + "/"
    phone = Client()
    assert phone.get(phone_url).status_code == 200  # he opens the email on his phone

    desk = omar.client()  # meanwhile, at a PC, "Svar nu", twice
    first = desk.post(reverse("surveys:answer_now", args=[survey.pk, wave.pk])).url
    second = desk.post(reverse("surveys:answer_now", args=[survey.pk, wave.pk])).url
    assert desk.get(first).status_code == desk.get(second).status_code == 200

    his = list(Invitation.objects.filter(participation__user=omar.user).values_list("pk", flat=True))
    assert len(his) == 3
    sent = phone.post(phone_url, {"INX1": "75", "MW1": "100"})
    assert sent.status_code == 302 and PooledResponse.objects.count() == 1
    # The desk's form, sent after: not saved, and he sees what he filled in and why.
    late = desk.post(second, {"INX1": "25", "MW1": "50"})
    html = late.content.decode()
    assert late.status_code == 410 and PooledResponse.objects.count() == 1
    assert "Du har allerede svaret på denne runde, med dette link eller et andet" in html
    assert re.search(r'<input[^>]*name="INX1"[^>]*value="25"[^>]*checked', html)
    assert "Send mine svar" not in html
    spent = Invitation.objects.filter(pk__in=his)
    assert not spent.filter(used_at__isnull=True).exists()  # all his links are spent
    assert not spent.filter(participation__isnull=False).exists()  # and point at nobody


def test_two_of_one_persons_links_racing_count_once(anne: Persona, omar: Persona, involvement: Partnership) -> None:
    wave = start(anne, involvement, "Kapløb").waves.get()
    phone = services.issue_invitation(wave=wave, user=omar.user)
    desk = services.issue_invitation(wave=wave, user=omar.user)
    services.check_token(desk)  # read before the phone's answer arrived
    services.submit_response(token=phone, answers={"INX1": 50})
    with pytest.raises(services.TokenProblem) as refused:
        services.submit_response(token=desk, answers={"INX1": 100})
    assert refused.value.code == "used" and PooledResponse.objects.count() == 1


# --- 4. A neighbourhood survey is run by those who started it -----------------------------------------------


def test_anne_neither_watches_nor_steers_mettes_neighbourhood_survey(
    mette: Persona, anne: Persona, odense: Municipality
) -> None:
    now = timezone.now()
    survey = services.create_community_survey(
        user=mette.user,
        municipality=odense,
        neighbourhood="Nørreby",
        title="Tillid i Nørreby",
        instrument_id="partnership-experience",
        opens_at=now - timedelta(days=3),
        closes_at=now + timedelta(days=3),
    )
    assert survey.actor == mette.actor
    wave = survey.waves.get()
    for _ in range(5):
        citizen = Client()
        citizen.post(citizen.get(survey.get_link_url()).url, {"EQ1": "75", "FT_WORKED": "Møderne i hallen"})

    for reader in (anne, mette):  # the open round's count is nobody's while it is open
        page = reader.client().get(survey.get_absolute_url()).content.decode()
        row = page[page.index("<tbody>") : page.index("</tbody>")]
        assert "Når runden lukker" in row
    assert "Luk linket" not in anne.client().get(survey.get_absolute_url()).content.decode()
    toggle = reverse("surveys:public_link", args=[survey.pk])
    refused = anne.client().post(toggle, {"open": "0"})
    assert refused.status_code == 403 and "den kommunale enhed, der startede den" in refused.content.decode()
    assert Survey.objects.get(pk=survey.pk).public_link
    assert anne.client().post(reverse("surveys:wave_closing", args=[survey.pk, wave.pk])).status_code == 403

    for _ in range(5):
        services.import_responses(wave=wave, responses=[{"EQ1": 50, "FT_WORKED": "Kaffen"}], on=timezone.localdate())
    close_together(wave)
    results = reverse("surveys:results", args=[survey.pk])
    assert "Møderne i hallen" not in anne.client().get(results).content.decode()
    assert "Møderne i hallen" in mette.client().get(results).content.decode()
    api = TestClient(router).get(f"/surveys/{survey.pk}/results", user=anne.user)
    assert api.json()["texts"] == []


# --- 5. Sent twice, moved, cancelled --------------------------------------------------------------------------


def survey_form(title: str = "Tillid og mening") -> dict[str, str]:
    now = timezone.localtime()
    return {
        "title": title,
        "instrument": "copsoq3-selected:1",
        "level": "CORE",
        "wave_kind": "baseline",
        "opens_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
    }


def test_start_the_survey_sent_twice_makes_one(anne: Persona, involvement: Partnership) -> None:
    client = anne.client()
    url = reverse("surveys:create", args=[involvement.pk])
    first = client.post(url, survey_form())
    again = client.post(url, survey_form(), follow=True)
    survey = Survey.objects.get()
    assert first.url == survey.get_absolute_url() and again.redirect_chain[-1][0] == survey.get_absolute_url()
    assert "Du startede målingen “Tillid og mening” for et øjeblik siden, og her er den" in again.content.decode()
    client.post(url, survey_form("Noget andet"))
    assert Survey.objects.count() == 2  # another title is another survey

    rounds = reverse("surveys:wave_create", args=[survey.pk])
    now = timezone.localtime()
    round_form = {
        "wave_kind": "follow_up",
        "opens_at": (now + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(days=37)).strftime("%Y-%m-%dT%H:%M"),
    }
    client.post(rounds, round_form)
    twice = client.post(rounds, round_form, follow=True)
    assert survey.waves.count() == 2 and "der blev ikke tilføjet en til" in twice.content.decode()


def test_a_round_is_moved_or_cancelled_and_those_invited_are_told(
    anne: Persona, omar: Persona, involvement: Partnership, django_capture_on_commit_callbacks: Any
) -> None:
    survey = start(anne, involvement, "Flyt og aflys", leaders_answer=False)
    wave = survey.waves.get()
    services.issue_invitation(wave=wave, user=person("camilla"))
    client = anne.client()
    closing = reverse("surveys:wave_closing", args=[survey.pk, wave.pk])
    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    refused = client.post(closing, {"closes_at": past})
    assert refused.status_code == 200 and "closes_at" in refused.context["form"].errors
    assert past in refused.content.decode()  # what was typed stays
    assert omar.client().get(closing).status_code == 200  # Omar acts for the school: he runs it too
    assert client_of(person("camilla")).get(closing).status_code == 403  # a colleague answers, does not run it
    later = timezone.localtime(wave.closes_at + timedelta(days=7)).replace(second=0, microsecond=0)
    with django_capture_on_commit_callbacks(execute=True):
        moved = client.post(closing, {"closes_at": later.strftime("%Y-%m-%dT%H:%M")})
    assert moved.status_code == 302 and Wave.objects.get(pk=wave.pk).closes_at == later
    told = Notification.objects.get(user=person("camilla"), kind=NotificationKind.SURVEY_RESULTS)
    assert "er forlænget" in told.text and not Notification.objects.filter(user=person("thomas")).exists()

    # A second round nobody answered is cancelled; the first, once answered, cannot be, nor the survey.
    now = timezone.now()
    extra = services.add_wave(
        user=anne.user,
        survey=survey,
        kind=Wave.Kind.FOLLOW_UP,
        opens_at=now + timedelta(days=60),
        closes_at=now + timedelta(days=67),
    )
    services.issue_invitation(wave=extra, user=person("louise"))
    assert client.get(reverse("surveys:wave_cancel", args=[survey.pk, extra.pk])).status_code == 200
    assert client.post(reverse("surveys:wave_cancel", args=[survey.pk, extra.pk])).status_code == 302
    assert not Wave.objects.filter(pk=extra.pk).exists()
    assert "er aflyst" in Notification.objects.get(user=person("louise")).text
    again = client.post(reverse("surveys:wave_cancel", args=[survey.pk, extra.pk]), follow=True)
    assert again.status_code == 200 and "Runden findes ikke længere: den er aflyst." in again.content.decode()
    assert Notification.objects.filter(user=person("louise")).count() == 1  # told once
    assert client.get(reverse("surveys:wave_cancel", args=[survey.pk, extra.pk])).status_code == 404
    answer_now(person("camilla"), wave, {"INX1": "50"})
    refused = client.post(reverse("surveys:cancel", args=[survey.pk]))
    assert refused.status_code == 200 and Survey.objects.filter(pk=survey.pk).exists()
    assert "Nogen har svaret på målingen" in refused.content.decode()

    untouched = start(anne, involvement, "Aldrig besvaret")
    assert client.post(reverse("surveys:cancel", args=[untouched.pk])).url == reverse(
        "surveys:list", args=[involvement.pk]
    )
    assert not Survey.objects.filter(pk=untouched.pk).exists()


# --- 6-9. Who reads own words, and what the staff process is called ----------------------------------------


def test_colleagues_do_not_read_answers_in_own_words_and_the_form_says_who_does(
    anne: Persona, omar: Persona, involvement: Partnership
) -> None:
    survey = start(anne, involvement, "Med egne ord", instrument="partnership-experience", leaders_answer=False)
    wave = survey.waves.get()
    form = client_of(person("camilla")).post(reverse("surveys:answer_now", args=[survey.pk, wave.pk]), follow=True)
    promise = form.content.decode()
    assert "læses kun af dem, der står for målingen på arbejdspladsens vegne, ikke af dine kolleger" in promise
    services.import_responses(
        wave=wave, responses=[{"EQ1": 75, "FT_WORKED": "Den faste planlægningstime"}] * 10, on=timezone.localdate()
    )
    close_together(wave)
    results = reverse("surveys:results", args=[survey.pk])
    camilla = client_of(person("camilla")).get(results).content.decode()
    assert "Den faste planlægningstime" not in camilla and "ikke af kollegerne i forløbet" in camilla
    assert "Den faste planlægningstime" in omar.client().get(results).content.decode()  # he runs the survey
    assert "Den faste planlægningstime" in anne.client().get(results).content.decode()


def test_anne_is_told_that_this_survey_does_not_ask_leaders(anne: Persona, involvement: Partnership) -> None:
    survey = start(anne, involvement, "Uden ledere", leaders_answer=False)
    refused = anne.client().post(reverse("surveys:answer_now", args=[survey.pk, survey.waves.get().pk]))
    assert refused.status_code == 403
    assert "Denne måling spørger ikke lederne" in refused.content.decode()
    assert "Kun folkene i partnerskabets medlemsaktører" not in refused.content.decode()


def test_the_staff_process_is_called_what_it_is(
    anne: Persona, omar: Persona, involvement: Partnership, django_capture_on_commit_callbacks: Any
) -> None:
    create = anne.client().get(reverse("surveys:create", args=[involvement.pk]))
    assert "Stil dine kolleger i forløbet et kort spørgeskema" in create.content.decode()
    assert "partnerskabets folk" not in create.content.decode()
    survey = start(anne, involvement, "Ord", leaders_answer=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.invite(user=anne.user, wave=survey.waves.get())
    body = next(m for m in mail.outbox if m.to == ["omar@skole.dk"]).body
    assert "et kort spørgeskema i forløbet “Praksisfaglighed i udskolingen" in body and "partnerskabet" not in body
    token = next(line for line in body.splitlines() if "/maalinger/svar/" in line).rstrip("/").rsplit("/", 1)[1]
    thanks = Client().post(reverse("surveys:answer", args=[token]), {"INX1": "50"}, follow=True)
    assert "Alle i forløbet får besked" in thanks.content.decode()
    assert "medlemsaktører" not in thanks.content.decode()


def test_the_role_help_speaks_of_surveys_as_the_interface_does(db: None) -> None:
    with translation.override("da"):
        text = gettext(ROLE_HELP)
    assert "målinger" in text and "undersøgelser" not in text
    assert "læser, hvad kolleger skriver med egne ord" in text  # a member reads the colleagues' own words


# --- 10. The results' tables on a phone -------------------------------------------------------------------


def test_every_figure_of_the_results_table_carries_its_heading(anne: Persona, involvement: Partnership) -> None:
    survey = start(anne, involvement, "Telefonen", leaders_answer=False)
    wave = survey.waves.get()
    services.import_responses(wave=wave, responses=[{"INX1": 50, "MW1": 75}] * 6, on=timezone.localdate())
    close_together(wave)
    page = anne.client().get(reverse("surveys:results", args=[survey.pk])).content.decode()
    tables = re.findall(r"<table class=\"table table--responsive-headers\">.*?</table>", page, re.DOTALL)
    assert tables and "table--responsive-scroll" not in page
    for table in tables:
        body = table[table.index("<tbody>") :]
        assert all("data-title=" in cell for cell in re.findall(r"<td[^>]*>", body))
    assert 'data-title="95 % konfidensinterval"' in page and 'data-title="Cronbachs alfa"' in page
