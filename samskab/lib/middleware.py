from collections.abc import Callable
from urllib.parse import unquote

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from .api import NOT_FOUND

API_PREFIX = "/api/"


class DanishFirstLocaleMiddleware:
    """Pages are Danish unless the person has chosen another language with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, which would show most visitors on
    an English-language browser an English site; Samskab is Danish first and English on request. A program
    calling the API has no language switch, so under `API_PREFIX` the language cookie comes first, then
    Accept-Language, then Danish.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        api = request.path.startswith(API_PREFIX)
        if api:  # Django's own order: the cookie, then Accept-Language, then LANGUAGE_CODE
            language = translation.get_language_from_request(request)
        else:
            language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie", "Accept-Language") if api else ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class RefuseNulMiddleware:
    """Answers 400 to a NUL character (U+0000) in the path or the query string, for every request, and ignores
    a cookie that holds one (a cookie can carry it quoted as "\\000").

    PostgreSQL cannot take U+0000 in text, so a slug, a search word or a session key with one would end in a
    server error. Pages get the 400 page; the API (under `API_PREFIX`) gets its JSON `{"detail": …}`.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or "\x00" in unquote(request.META.get("QUERY_STRING", "")):
            message = _("The address cannot contain the NUL character (U+0000).")
            if request.path.startswith(API_PREFIX):
                return JsonResponse({"detail": message}, status=400)
            raise BadRequest(message)  # rendered by 400.html, in the visitor's language
        if any("\x00" in name or "\x00" in value for name, value in request.COOKIES.items()):
            request.COOKIES = {name: value for name, value in request.COOKIES.items() if "\x00" not in name + value}
        return self.get_response(request)


class ApiAnswersJsonMiddleware:
    """Under `API_PREFIX` every refusal is the API's JSON `{"detail": …}` in the reader's language.

    Two answers come from outside the API's exception handlers: an address no endpoint has (Django's 404 page)
    and a method the endpoint does not take (django-ninja's plain-text 405). Both are reworded here; the 405
    keeps its Allow header.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.get("Content-Type", "").startswith("application/json"):
            return response
        if response.status_code == 404:
            return JsonResponse({"detail": str(NOT_FOUND)}, status=404)
        if response.status_code == 405:
            allowed = ", ".join(sorted(method.strip() for method in response.get("Allow", "").split(",") if method))
            message = _("This address does not take %(method)s; it takes %(allowed)s.")
            answer = JsonResponse({"detail": message % {"method": request.method, "allowed": allowed}}, status=405)
            answer["Allow"] = allowed
            return answer
        return response


class FormAddressLeadsBackMiddleware:
    """A page's form often posts to an address of its own (…/udsagn/, …/dagsorden/prioriteter/), which takes only
    POST. Opened another way (from the history, a bookmark, the address bar after an error was shown there), it
    would answer 405 with an empty page; it leads to the nearest page above it instead. Not under `API_PREFIX`,
    where a 405 is the API's answer (`ApiAnswersJsonMiddleware`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or request.method not in ("GET", "HEAD") or request.path.startswith(API_PREFIX):
            return response
        path = request.path
        while path.strip("/"):
            path = path.rstrip("/").rsplit("/", 1)[0] + "/"
            try:
                resolve(path)
            except Resolver404:
                continue
            return HttpResponseRedirect(path)
        return HttpResponseRedirect("/")
