"""Refusals told to the person in their language: the page for 403, and the reason the API gives with it."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.template import loader
from django.utils.functional import Promise


def refusal_reason(exc: PermissionDenied) -> str | None:
    """A service's own reason for refusing, when it is written for people: a lazy translation (gettext_lazy), which
    renders in the reader's language. Any other message is for developers and is not shown."""
    if len(exc.args) == 1 and isinstance(exc.args[0], Promise):
        return str(exc.args[0])
    return None


def forbidden(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 403 view, with the service's reason where it gave one for people."""
    reason = refusal_reason(exception) if isinstance(exception, PermissionDenied) else None
    template = loader.get_template("403.html")
    return HttpResponseForbidden(template.render({"reason": reason}, request))
