"""Sofie forgets her password; Lars invites Ib into the sports club; a municipality deploys Samskab.

Sofie is told what to do when no email comes instead of "contact us" with no way to, and after choosing a new
password she is led to log in. Every email Samskab sends starts its subject the same way, and a deployment that
does not say where the site lives is stopped by `check --deploy` instead of sending links that lead nowhere.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from samskab.accounts.models import NotificationKind
from samskab.accounts.notifications import notify, send_digests
from samskab.lib import checks

from .conftest import PASSWORD, Persona
from .test_actors import invite

ADVICE = (
    "Ingen e-mail? Det kan tage et par minutter. Kig i din spam-mappe, og tjek, at du skrev den adresse, du logger "
    "ind med: Et link kan kun sendes til en kontos adresse. Bed så om et nyt link."
)
ADMINISTRATOR = "Kommer linket stadig ikke, så bed Samskab-administratoren i din kommune om hjælp."


def title_and_heading(page: str) -> tuple[str, str]:
    title = re.search(r"<title>\s*(.*?)\s*·\s*Samskab</title>", page, re.S)
    heading = re.search(r"<h1[^>]*>\s*(.*?)\s*</h1>", page, re.S)
    assert title and heading
    return title.group(1), heading.group(1)


def test_sofie_chooses_a_new_password_and_is_led_to_log_in(sofie: Persona, mailoutbox: list) -> None:
    client = Client()
    asked = client.get(reverse("account_reset_password")).content.decode()
    assert title_and_heading(asked) == ("Nulstil adgangskode", "Nulstil adgangskode")
    assert "Kontakt os" not in asked
    assert ADVICE in asked and ADMINISTRATOR in asked
    assert f'<a href="{reverse("account_login")}">Log ind</a>' in asked

    sent = client.post(reverse("account_reset_password"), {"email": "sofie@example.dk"}, follow=True)
    page = sent.content.decode()
    assert title_and_heading(page) == ("Tjek din e-mail", "Tjek din e-mail")
    assert "Kontakt os" not in page and ADVICE in page and ADMINISTRATOR in page
    assert f'href="{reverse("account_reset_password")}">Bed om et nyt link</a>' in page

    link = next(line for line in mailoutbox[-1].body.splitlines() if "/konto/password/reset/key/" in line)
    path = link[link.index("/konto/") :].strip()
    form_page = client.get(path, follow=True)
    assert title_and_heading(form_page.content.decode()) == ("Vælg en ny adgangskode", "Vælg en ny adgangskode")
    new_password = "Ny-Have-2026-blomst"
    done = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else path,
        {"password1": new_password, "password2": new_password},
        follow=True,
    ).content.decode()
    assert title_and_heading(done) == ("Din nye adgangskode er gemt", "Din nye adgangskode er gemt")
    assert "Skift adgangskode" not in done
    assert f'href="{reverse("account_login")}">Log ind</a>' in done

    assert Client().login(email="sofie@example.dk", password=new_password)
    assert not Client().login(email="sofie@example.dk", password=PASSWORD)


def test_a_used_reset_link_says_so_and_offers_a_new_one_or_to_log_in(db: None) -> None:
    page = Client().get("/konto/password/reset/key/x-ikke-en-noegle/", follow=True).content.decode()
    assert title_and_heading(page) == ("Linket virker ikke", "Linket virker ikke")
    assert "Bed om et nyt link" in page and f'<a href="{reverse("account_login")}">log ind</a>' in page


def test_the_sign_up_page_is_called_what_its_heading_says(db: None) -> None:
    page = Client().get(reverse("account_signup")).content.decode()
    assert title_and_heading(page) == ("Opret konto", "Opret konto")


def test_every_email_starts_its_subject_with_the_same_prefix(
    lars: Persona, sofie: Persona, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        invite(lars, "ib@boldklub.dk", "member")
    (invitation,) = mail.outbox
    assert invitation.subject == "[Samskab] Du er inviteret til at blive en del af Vollsmose Boldklub på Samskab"
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        notify([sofie.user], kind=NotificationKind.DECISION, text="Nyt punkt på dagsordenen", url="/")
    assert [message.subject for message in mail.outbox] == ["[Samskab] Nyt punkt på dagsordenen"]
    assert settings.ACCOUNT_EMAIL_SUBJECT_PREFIX == settings.EMAIL_SUBJECT_PREFIX == "[Samskab] "


def test_the_daily_digest_has_the_prefix_once(sofie: Persona, django_capture_on_commit_callbacks: object) -> None:
    from samskab.accounts.models import NotificationPreference

    kind = NotificationKind.AGENDA
    NotificationPreference.objects.create(user=sofie.user, kind=kind, email=NotificationPreference.Email.DIGEST)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        notify([sofie.user], kind=kind, text="Et", url="/")
        notify([sofie.user], kind=kind, text="To", url="/")
    mail.outbox.clear()
    assert send_digests() == 1
    assert [message.subject for message in mail.outbox] == ["[Samskab] 2 nye hændelser"]


# The deployment -------------------------------------------------------------------------------------------


def test_the_deploy_check_refuses_a_missing_or_unusable_site_url() -> None:
    for url in ("", "samskab.example.dk"):
        with override_settings(SITE_URL=url):
            (error,) = checks.site_url_is_the_public_address(None)
        assert error.id == "samskab.E002" and "SITE_URL" in error.msg and "https://" in str(error.hint)
    with override_settings(SITE_URL="https://samskab.example.dk"):
        assert checks.site_url_is_the_public_address(None) == []


def _settings_in(environment: dict[str, str]) -> str:
    """SITE_URL as the settings read it from `environment` (a fresh process, as at startup)."""
    env = {key: value for key, value in os.environ.items() if key not in ("DEBUG", "SITE_URL")} | environment
    code = "from config import settings; print(repr(settings.SITE_URL))"
    root = Path(__file__).resolve().parent.parent
    return subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.mark.parametrize(
    ("environment", "site_url"),
    [
        ({"DEBUG": "1"}, "'http://127.0.0.1:8000'"),  # the demo
        ({"DEBUG": "0"}, "''"),  # production that forgot it: refused by the deploy check
        ({"DEBUG": "0", "SITE_URL": "https://samskab.example.dk/"}, "'https://samskab.example.dk'"),
    ],
)
def test_the_demo_keeps_its_address_and_production_must_give_one(environment: dict[str, str], site_url: str) -> None:
    assert _settings_in(environment) == site_url
