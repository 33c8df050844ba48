from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from samskab.accounts.api import reader
from samskab.actors.api import router as actors_router
from samskab.insights.api import router as insights_router
from samskab.insights.dashboard_views import api_router as dashboard_router
from samskab.lib.api import (
    BODY_TOO_LARGE,
    FORBIDDEN,
    NO_KEY,
    NOT_FOUND,
    UNREADABLE_BODY,
    RefusedInput,
    StrictJSONParser,
    schema_error,
)
from samskab.lib.errors import refusal_reason
from samskab.opinions.api import router as opinions_router
from samskab.partnerships.api import router as partnerships_router
from samskab.surveys.api import router as surveys_router

api = NinjaAPI(
    title="Samskab API",
    version="1",
    description="Actors, challenges, partnerships and the work inside them, opinion maps, surveys and the power "
    "balance. Reads honour visibility; writes need a personal API key (`Authorization: Bearer …`) "
    'created on your account page. Refusals are JSON `{"detail": …}`, in Danish unless the request asks for '
    "English (`Accept-Language: en`, or the site's language cookie).",
    urls_namespace="api",
    auth=reader,  # reads: anyone, but a key that is not valid is refused; every write sets its own BearerToken
    parser=StrictJSONParser(),
)
api.add_router("/actors", actors_router)
api.add_router("/", partnerships_router)
api.add_router("/", opinions_router)
api.add_router("/", insights_router)
api.add_router("/", surveys_router)
api.add_router("/municipality", dashboard_router)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    """The reader is told the refusal in their language: the service's reason where it gave one for people
    (`refusal_reason`), else the generic refusal."""
    return api.create_response(request, {"detail": refusal_reason(exc) or str(FORBIDDEN)}, status=403)


@api.exception_handler(NinjaValidationError)
def invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """The request does not fit the endpoint's schema: pydantic's list of errors, worded in the active language."""
    return api.create_response(request, {"detail": [schema_error(error) for error in exc.errors]}, status=422)


@api.exception_handler(ValidationError)
def refused(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A service refused the input (the same refusal a page shows as a form error)."""
    return api.create_response(request, {"detail": " ".join(exc.messages)}, status=422)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(NOT_FOUND)}, status=404)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # django-ninja turns anything the parser raises into 400 "Cannot parse request body"; a body that parsed but
    # holds what no endpoint accepts (a NUL character, a value other than an object) is answered 422 with the reason.
    if isinstance(exc.__cause__, RefusedInput):
        return api.create_response(request, {"detail": exc.__cause__.message}, status=422)
    if exc.__cause__ is not None and exc.status_code == 400:
        message = str(UNREADABLE_BODY)
    elif isinstance(exc, AuthenticationError) and exc.message == AuthenticationError().message:
        message = str(NO_KEY)  # a write without a key; a key that is not valid has its own message
    else:
        message = str(exc)
    return api.create_response(request, {"detail": message}, status=exc.status_code)


@api.exception_handler(RequestDataTooBig)
def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    message = str(BODY_TOO_LARGE)
    return api.create_response(
        request, {"detail": message % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}}, status=413
    )
