"""The privacy page says who answers for the data and lists every cookie the site sets, from the code that sets
them; the footer links to it and, once set, to the accessibility statement a Danish public body must publish."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client

from samskab.opinions.views import COOKIE as PARTICIPANT_COOKIE

pytestmark = pytest.mark.django_db


def test_the_privacy_page_names_the_controller_and_every_cookie(settings: Any) -> None:
    page = Client().get("/privatliv/").content.decode()
    assert "Privatliv og cookies" in page and "har endnu ikke oplyst, hvem der har ansvaret" in page
    cookies = (
        settings.SESSION_COOKIE_NAME,
        settings.CSRF_COOKIE_NAME,
        "messages",
        PARTICIPANT_COOKIE,
        "samskab_maaling_…",
    )
    for name in cookies:
        assert f"<code>{name}</code>" in page
    assert "14 dage" in page and "1 år" in page  # the session's two weeks, the CSRF cookie's year
    assert "tile.openstreetmap.org" in page  # the map's tiles come from a third party, which learns the IP address
    assert 'href="https://www.datatilsynet.dk"' in page and "Retsgrundlaget" not in page  # no policy to link to yet

    settings.PRIVACY_CONTROLLER, settings.PRIVACY_CONTACT = "Egeå Kommune", "dpo@egeaa.dk"
    settings.PRIVACY_POLICY_URL = "https://egeaa.dk/privatlivspolitik"
    settings.MAP_TILES_URL = ""
    page = Client().get("/privatliv/").content.decode()
    assert "Egeå Kommune driver dette site" in page and 'href="mailto:dpo@egeaa.dk"' in page
    assert "Retsgrundlaget for at behandle dine data" in page and 'href="https://egeaa.dk/privatlivspolitik"' in page
    assert "tile.openstreetmap.org" not in page

    home = Client().get("/").content.decode()
    assert 'href="/privatliv/"' in home and "Tilgængelighedserklæring" not in home
    settings.ACCESSIBILITY_STATEMENT_URL = "https://www.was.digst.dk/egeaa-dk"
    assert 'href="https://www.was.digst.dk/egeaa-dk">Tilgængelighedserklæring' in Client().get("/").content.decode()


def test_a_deployment_is_warned_without_a_controller_or_an_accessibility_statement(settings: Any) -> None:
    settings.PRIVACY_CONTROLLER = settings.PRIVACY_CONTACT = settings.ACCESSIBILITY_STATEMENT_URL = ""
    with pytest.raises(SystemCheckError) as refused:
        call_command("check", "--deploy", "--fail-level", "WARNING", "--tag", "samskab", stdout=StringIO())
    assert "samskab.W001" in str(refused.value) and "samskab.W002" in str(refused.value)
