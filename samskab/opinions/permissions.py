"""Fetch a conversation and check the visitor's right to it in one call.

A conversation in a partnership is visible to whoever may see the partnership. Anyone holding the secret link
of a conversation that allows it may also see it and take part, without an account.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404, HttpRequest

from samskab.partnerships.permissions import get_partnership_for

from .models import Conversation

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from samskab.accounts.models import User


def link_session_key(conversation: Conversation) -> str:
    return f"conversation-link-{conversation.pk}"


def get_conversation_for(request: HttpRequest, pk: int) -> Conversation:
    try:
        conversation = Conversation.objects.select_related("partnership").get(pk=pk)
    except (Conversation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if conversation.partnership_id is None:
        return conversation
    if conversation.allow_anonymous and request.session.get(link_session_key(conversation)):
        return conversation
    get_partnership_for(request.user, conversation.partnership_id)  # raises 404 when not visible
    return conversation


def is_member(user: User | AnonymousUser, conversation: Conversation) -> bool:
    """Whether the user is in a member actor of the conversation's partnership. Asked several times while
    one request is served (who takes part, which card, which links), so the answer is kept on the object."""
    cache: dict[int | None, bool] = conversation.__dict__.setdefault("_member_of", {})
    if user.pk not in cache:
        cache[user.pk] = conversation.partnership is not None and conversation.partnership.has_member_user(user)
    return cache[user.pk]
