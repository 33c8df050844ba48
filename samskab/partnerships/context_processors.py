from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from samskab.actors.models import Membership


def invitations_menu(request: HttpRequest) -> dict[str, Any]:
    """Whether to show the partnership invitations in the menu: to administrators of an actor, who answer them
    (worked out only if a template asks)."""

    def check() -> bool:
        user = request.user
        return user.is_authenticated and Membership.objects.filter(user=user, role=Membership.Role.ADMIN).exists()

    return {"answers_invitations": SimpleLazyObject(check)}
