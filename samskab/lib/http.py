"""Request types for annotating views; they exist for the type checker and change nothing at runtime.

Django's `HttpRequest.user` is `User | AnonymousUser`. Behind `@login_required` (or django-ninja's bearer-token
auth) it is always a signed-in user, which `AuthenticatedRequest` tells the type checker. `HtmxRequest` adds the
`htmx` attribute that django-htmx's middleware sets, as django-htmx's documentation recommends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from samskab.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """A request from a signed-in user: for views behind `@login_required` and token-authenticated API calls."""

    user: User


class HtmxRequest(HttpRequest):
    """A request that has passed through django-htmx's `HtmxMiddleware`."""

    htmx: HtmxDetails


class AuthenticatedHtmxRequest(AuthenticatedRequest, HtmxRequest):
    """Both of the above."""
