"""The cookies Samskab sets, declared where each is set, so that the privacy page lists them all and cannot drift
from the code: the framework's own (session, CSRF, messages, language) from the settings, and the apps' through
`declare`."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext


@dataclass(frozen=True)
class Cookie:
    name: str
    purpose: Promise | str
    lasting: Callable[[], str]  # how long the browser keeps it, in words of the active language


_DECLARED: list[Cookie] = []


def declare(name: str, purpose: Promise, lasting: Callable[[], str]) -> str:
    """Declare a cookie an app sets; returns its name, for the code that sets it."""
    _DECLARED.append(Cookie(name, purpose, lasting))
    return name


def lasting(period: timedelta) -> str:
    """A cookie's lifetime in whole years, or else days: "1 år", "14 dage"."""
    days = round(period.total_seconds() / 86400)
    if days >= 365 and days % 365 == 0:
        return ngettext("%(n)s year", "%(n)s years", days // 365) % {"n": days // 365}
    return ngettext("%(n)s day", "%(n)s days", days) % {"n": days}


def all_cookies() -> list[Cookie]:
    """Every cookie the site may set: the framework's, then the apps' in the order they were declared."""
    language_age = settings.LANGUAGE_COOKIE_AGE

    def language_lasting() -> str:
        return lasting(timedelta(seconds=language_age)) if language_age else _("until the browser closes")

    return [
        Cookie(
            settings.SESSION_COOKIE_NAME,
            gettext_lazy("Keeps you logged in."),
            lambda: lasting(timedelta(seconds=settings.SESSION_COOKIE_AGE)),
        ),
        Cookie(
            settings.CSRF_COOKIE_NAME,
            gettext_lazy("Protects the forms against being sent from other sites."),
            lambda: lasting(timedelta(seconds=settings.CSRF_COOKIE_AGE)),
        ),
        Cookie(
            CookieStorage.cookie_name,
            gettext_lazy("Carries a short message, such as that something was saved, to the next page you see."),
            lambda: _("until the next page is shown"),
        ),
        Cookie(
            settings.LANGUAGE_COOKIE_NAME,
            gettext_lazy("Remembers the language you chose, if you chose one."),
            (lambda: lasting(timedelta(seconds=language_age)))
            if language_age
            else (lambda: _("until the browser closes")),
        ),
        *_DECLARED,
    ]
