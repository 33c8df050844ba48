from collections.abc import Callable
from urllib.parse import unquote

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _


class DanishFirstLocaleMiddleware:
    """Danish unless the person has chosen another language with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, which would show most visitors on
    an English-language browser an English site; Samskab is Danish first and English on request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class RefuseNulMiddleware:
    """Answers 400 to a NUL character (U+0000) in the path or the query string, for every request, and ignores
    a cookie that holds one (a cookie can carry it quoted as "\\000").

    PostgreSQL cannot take U+0000 in text, so a slug, a search word or a session key with one would end in a
    server error. Pages get the 400 page; the API (under `api_prefix`) gets its JSON `{"detail": …}`.
    """

    api_prefix = "/api/"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or "\x00" in unquote(request.META.get("QUERY_STRING", "")):
            message = _("The address cannot contain the NUL character (U+0000).")
            if request.path.startswith(self.api_prefix):
                return JsonResponse({"detail": message}, status=400)
            raise BadRequest(message)  # rendered by 400.html, in the visitor's language
        if any("\x00" in name or "\x00" in value for name, value in request.COOKIES.items()):
            request.COOKIES = {name: value for name, value in request.COOKIES.items() if "\x00" not in name + value}
        return self.get_response(request)
