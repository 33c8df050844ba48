import json
from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Schema
from ninja.parser import Parser
from pydantic import AfterValidator, ConfigDict
from pydantic_core import PydanticCustomError

from .forms import LocalDateTimeField

# The range of the databases' largest integer column (bigint); a larger number cannot even be looked up.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


# The API root's own refusals (config/ lies outside the catalogue's source tree, so its texts live here).
NOT_FOUND = gettext_lazy("Not found.")
BODY_TOO_LARGE = gettext_lazy("The request body is too large (at most %(limit)d bytes).")


class Message(Schema):
    """An API refusal: 403 (not allowed), 404, or 422 (the input cannot be accepted), with the reason."""

    detail: str


class InputSchema(Schema):
    """The base of every request body. Text loses its surrounding whitespace before its length is checked, so
    required text that is blank is refused, as the HTML forms refuse it."""

    model_config = ConfigDict(str_strip_whitespace=True)


class RefusedInput(Exception):
    """A request body that is valid JSON but that no endpoint accepts; answered 422 with `message`."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _int64(text: str) -> int:
    number = int(text)
    if not INT64_MIN <= number <= INT64_MAX:
        raise RefusedInput(
            _("Whole numbers must lie between %(min)d and %(max)d.") % {"min": INT64_MIN, "max": INT64_MAX}
        )
    return number


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")  # NaN and Infinity: ninja answers 400, as for any malformed body


def _refuse_nul(data: Any) -> None:
    # PostgreSQL cannot store U+0000 in text, so it is refused in every string and key, however deeply nested.
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, str) and "\x00" in item:
            raise RefusedInput(_("Text cannot contain the NUL character (U+0000)."))


class StrictJSONParser(Parser):
    """JSON bodies as the database can hold them: no NUL characters and no integers beyond 64 bits (422), and
    no NaN or Infinity (400, they are not JSON)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body, parse_int=_int64, parse_constant=_no_constant)
        _refuse_nul(data)
        return data  # type: ignore[no-any-return]  # a body is an object for every endpoint's schema


def _local(value: datetime) -> datetime:
    first, last = LocalDateTimeField.first_year, LocalDateTimeField.last_year
    if not first <= value.year <= last:
        message = _("Enter a time between the years %(first)d and %(last)d.") % {"first": first, "last": last}
        raise PydanticCustomError("out_of_range", message)
    return timezone.make_aware(value) if timezone.is_naive(value) else value


# A date-time in, within the years the HTML forms accept; one without a UTC offset is read as Danish local time
# (the site's time zone).
LocalDateTime = Annotated[datetime, AfterValidator(_local)]
