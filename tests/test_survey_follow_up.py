"""Anne answers the results of her staff's survey round: what she heard and what the school will do. Everyone in
the process reads it beside the results and is told once; a colleague reads it but does not write it; an open
round cannot be answered yet; two leaders answering at once do not overwrite each other unseen."""

import json
import re

from django.test import Client
from django.urls import reverse

from samskab.accounts.models import Notification, NotificationKind, User
from samskab.accounts.services import create_api_token
from samskab.partnerships.models import Partnership
from samskab.surveys.models import Wave

from .conftest import Persona
from .test_surveys import close, fill, start

ANSWER = "Vi har hørt, at I mangler tid til at planlægge sammen. Fra januar får hvert team en fast time om ugen."


def test_anne_answers_the_results_and_everyone_reads_it_beside_them(
    anne: Persona, omar: Persona, involvement: Partnership
) -> None:
    survey = start(anne, involvement)
    wave = survey.waves.get()
    results = reverse("surveys:results", args=[survey.pk])
    follow_up = reverse("surveys:follow_up", args=[survey.pk, wave.pk])

    # An open round has no results to answer.
    refused = anne.client().post(follow_up, {"text": ANSWER, "seen": ""})
    assert "En rundes resultater besvares, når runden er lukket." in refused.content.decode()
    assert not Wave.objects.get(pk=wave.pk).follow_up

    fill(wave, 6)
    close(wave)
    page = " ".join(anne.client().get(results).content.decode().split())
    assert "De, der står for målingen, har endnu ikke svaret på rundens resultater." in page
    assert follow_up in page
    saved = anne.client().post(follow_up, {"text": ANSWER, "seen": ""})
    assert saved.status_code == 302 and saved["Location"].endswith(f"#opfoelgning-{wave.pk}")

    camilla = Persona(User.objects.get(email="camilla@skole.dk"), anne.actor)
    read = " ".join(camilla.client().get(results).content.decode().split())
    assert ANSWER in read and follow_up not in read  # she reads it, and does not write it
    assert camilla.client().post(follow_up, {"text": "Noget andet", "seen": ""}).status_code == 403
    told = Notification.objects.filter(kind=NotificationKind.SURVEY_RESULTS, text__contains="har svaret på")
    assert {n.user.email for n in told} == {
        "omar@skole.dk",
        "camilla@skole.dk",
        "thomas@skole.dk",
        "louise@skole.dk",
        "kasper@skole.dk",
    }
    assert told[0].text.startswith("Anne Lindholm har svaret på resultaterne af runden")
    assert told[0].url == f"{results}#opfoelgning-{wave.pk}"
    assert Client().get(results).status_code == 404  # the process is for its members
    _token, key = create_api_token(user=camilla.user, label="test")
    listed = Client().get(f"/api/v1/surveys/{survey.pk}/results", headers={"Authorization": f"Bearer {key}"}).json()
    assert [(f["wave_id"], f["text"]) for f in listed["follow_ups"]] == [(wave.pk, ANSWER)]

    mine = json.loads(anne.client().get(reverse("accounts:download_data")).content)["surveys"]["results_answered"]
    assert [row["follow_up"] for row in mine] == [ANSWER]

    # Changing the answer tells nobody again.
    form = omar.client().get(follow_up).content.decode()
    seen = re.search(r'name="seen" value="([^"]+)"', form)
    assert seen is not None
    omar.client().post(follow_up, {"text": ANSWER + " Vi følger op i maj.", "seen": seen.group(1)})
    assert Wave.objects.get(pk=wave.pk).follow_up.endswith("Vi følger op i maj.")
    assert told.count() == 5


def test_an_answer_saved_meanwhile_is_not_overwritten_unseen(
    anne: Persona, omar: Persona, involvement: Partnership
) -> None:
    survey = start(anne, involvement)
    wave = survey.waves.get()
    close(wave)
    follow_up = reverse("surveys:follow_up", args=[survey.pk, wave.pk])
    form = omar.client().get(follow_up).content.decode()
    assert re.search(r'<input type="hidden" name="seen"(?! value)', form)  # he opens it unanswered
    anne.client().post(follow_up, {"text": ANSWER, "seen": ""})

    late = omar.client().post(follow_up, {"text": "Omars udkast", "seen": ""})

    page = " ".join(late.content.decode().split())
    assert "gemte en ny udgave, mens du skrev" in page and "Omars udkast" in page and ANSWER in page
    assert Wave.objects.get(pk=wave.pk).follow_up == ANSWER
