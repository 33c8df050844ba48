"""API authentication: personal bearer tokens for writes; reads also honour the browser session."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.security import HttpBearer

from .models import User
from .services import user_for_api_key


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_api_key(token)
        if user is not None:
            request.user = user
        return user


def caller(request: HttpRequest) -> User | AnonymousUser | Any:
    """The user a read request speaks for: a valid bearer token's owner, else the session's user."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = user_for_api_key(header[7:].strip())
        return user if user is not None else AnonymousUser()
    return request.user
