"""Pages about the site itself: what it keeps about people, and the cookies it sets."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .cookies import all_cookies


def privacy(request: HttpRequest) -> HttpResponse:
    """Who answers for the data, what is kept and why, the cookies (`lib.cookies`), who else is involved, and each
    person's rights."""
    context = {
        "cookies": [(c.name, c.purpose, c.lasting()) for c in all_cookies()],
        "controller": settings.PRIVACY_CONTROLLER,
        "contact": settings.PRIVACY_CONTACT,
        "policy_url": settings.PRIVACY_POLICY_URL,
        "contact_is_email": "@" in settings.PRIVACY_CONTACT and "://" not in settings.PRIVACY_CONTACT,
        "tiles_host": settings.MAP_TILES_URL.split("/")[2] if "://" in settings.MAP_TILES_URL else "",
        "geocoding": bool(settings.GSEARCH_TOKEN),
    }
    return render(request, "privacy.html", context)
