from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "map_tiles": settings.MAP_TILES_URL,
        "source_code_url": settings.SOURCE_CODE_URL,
        "accessibility_statement_url": settings.ACCESSIBILITY_STATEMENT_URL,
    }
