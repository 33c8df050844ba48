from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from samskab.surveys.permissions import municipal_actor_led_by


def municipal_staff(request: HttpRequest) -> dict[str, Any]:
    """Whether to show the municipality's overview in the menu: to administrators of a municipal actor, who
    lead a unit (worked out only if a template asks)."""

    def check() -> bool:
        return municipal_actor_led_by(request.user) is not None

    return {"is_municipal_staff": SimpleLazyObject(check)}
