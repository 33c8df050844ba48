"""API authentication: personal bearer tokens for writes; reads also honour the browser session."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from .models import User
from .services import user_for_api_key


class BearerToken(HttpBearer):
    """The authentication of writes: a key is required (401 without one), and one that is not valid is told so."""

    def authenticate(self, request: HttpRequest, token: str) -> User:
        user = _key_owner(token)
        request.user = user
        return user


def _bearer_key(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else None


def _key_owner(key: str) -> User:
    user = user_for_api_key(key)
    if user is None:
        raise AuthenticationError(
            message=_(
                "The API key is not valid. Create a new one on your account page, or send no key to read as a visitor."
            )
        )
    return user


def reader(request: HttpRequest) -> User | bool:
    """The API's default authentication, for reads: without a key, anyone (a visitor, or the browser session's
    user); with a key, its owner. A key that is not valid is refused (401) rather than read as a visitor, so a
    client with a mistyped or revoked key is told instead of quietly shown less."""
    key = _bearer_key(request)
    return True if key is None else _key_owner(key)


def caller(request: HttpRequest) -> User | AnonymousUser | Any:
    """The user a read request speaks for: the bearer key's owner (401 if the key is not valid), else the
    session's user."""
    authenticated = getattr(request, "auth", None)
    if isinstance(authenticated, User):  # already looked up by `reader` or `BearerToken`
        return authenticated
    key = _bearer_key(request)
    return request.user if key is None else _key_owner(key)
