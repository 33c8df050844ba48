import json
from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Schema
from ninja.parser import Parser
from pydantic import AfterValidator, ConfigDict, field_validator
from pydantic_core import PydanticCustomError

from .forms import LocalDateTimeField

# The range of the databases' largest integer column (bigint); a larger number cannot even be looked up.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


# The API root's own refusals (config/ lies outside the catalogue's source tree, so its texts live here).
NOT_FOUND = gettext_lazy("Not found.")
BODY_TOO_LARGE = gettext_lazy("The request body is too large (at most %(limit)d bytes).")
FORBIDDEN = gettext_lazy("You are not allowed to do this.")
NO_KEY = gettext_lazy("This needs your personal API key (Authorization: Bearer …); create one on your account page.")
UNREADABLE_BODY = gettext_lazy("The request body cannot be read as JSON.")
OR = gettext_lazy("or")

# pydantic's error types, worded for people; %(name)s takes the error's context (ctx). Types not listed keep
# pydantic's English message, and our own PydanticCustomErrors are translated where they are raised.
_NUMBER = gettext_lazy("Must be a number.")
_WHOLE_NUMBER = gettext_lazy("Must be a whole number.")
_DATETIME = gettext_lazy("Must be a date and time, such as 2026-12-24T18:00.")
_DATE = gettext_lazy("Must be a date, such as 2026-12-24.")
_OBJECT = gettext_lazy("Must be a JSON object.")
_CHOICE = gettext_lazy("Must be one of %(expected)s.")
SCHEMA_ERRORS = {
    "missing": gettext_lazy("This field is required."),
    "string_type": gettext_lazy("Must be text."),
    "string_too_short": gettext_lazy("At least %(min_length)s characters."),
    "string_too_long": gettext_lazy("At most %(max_length)s characters."),
    "int_type": _WHOLE_NUMBER,
    "int_parsing": _WHOLE_NUMBER,
    "int_from_float": _WHOLE_NUMBER,
    "int_parsing_size": _WHOLE_NUMBER,
    "float_type": _NUMBER,
    "float_parsing": _NUMBER,
    "decimal_type": _NUMBER,
    "decimal_parsing": _NUMBER,
    "finite_number": _NUMBER,
    "decimal_max_digits": gettext_lazy("At most %(max_digits)s digits."),
    "decimal_max_places": gettext_lazy("At most %(decimal_places)s decimals."),
    "decimal_whole_digits": gettext_lazy("At most %(whole_digits)s digits before the decimal point."),
    "greater_than": gettext_lazy("Must be greater than %(gt)s."),
    "greater_than_equal": gettext_lazy("Must be at least %(ge)s."),
    "less_than": gettext_lazy("Must be less than %(lt)s."),
    "less_than_equal": gettext_lazy("Must be at most %(le)s."),
    "bool_type": gettext_lazy("Must be true or false."),
    "bool_parsing": gettext_lazy("Must be true or false."),
    "datetime_type": _DATETIME,
    "datetime_parsing": _DATETIME,
    "datetime_from_date_parsing": _DATETIME,
    "date_type": _DATE,
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "enum": _CHOICE,
    "literal_error": _CHOICE,
    "list_type": gettext_lazy("Must be a list."),
    "too_short": gettext_lazy("Too few items: at least %(min_length)s."),
    "too_long": gettext_lazy("Too many items: at most %(max_length)s."),
    "model_type": _OBJECT,
    "model_attributes_type": _OBJECT,
    "dict_type": _OBJECT,
}


def schema_error(error: dict[str, Any]) -> dict[str, Any]:
    """One of pydantic's errors with its message in the active language; the rest (type, loc, ctx) as it is."""
    text = SCHEMA_ERRORS.get(error.get("type", ""))
    if text is None:
        return error
    context = {name: str(value) for name, value in (error.get("ctx") or {}).items()}
    if "expected" in context:  # pydantic lists the choices as "'a', 'b' or 'c'"
        head, _sep, last = context["expected"].rpartition(" or ")
        context["expected"] = f"{head} {OR} {last}" if head else last
    try:
        message = str(text) % context
    except KeyError:  # a context other than the one the text names: keep pydantic's message
        return error
    return {**error, "msg": message}


class Message(Schema):
    """An API refusal: 403 (not allowed), 404, or 422 (the input cannot be accepted), with the reason."""

    detail: str


class InputSchema(Schema):
    """The base of every request body. Text loses its surrounding whitespace before its length is checked, so
    required text that is blank is refused, as the HTML forms refuse it. Whole numbers must fit the database's
    largest integer column, also when they were sent as text ("99999999999999999999")."""

    model_config = ConfigDict(str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _fits_64_bits(cls, value: Any) -> Any:
        numbers = value if isinstance(value, list | tuple | set) else (value,)
        if any(isinstance(n, int) and not isinstance(n, bool) and not INT64_MIN <= n <= INT64_MAX for n in numbers):
            raise PydanticCustomError("int64", str(_int64_message()))
        return value


class RefusedInput(Exception):
    """A request body that is valid JSON but that no endpoint accepts; answered 422 with `message`."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _int64_message() -> str:
    return _("Whole numbers must lie between %(min)d and %(max)d.") % {"min": INT64_MIN, "max": INT64_MAX}


def _int64(text: str) -> int:
    number = int(text)
    if not INT64_MIN <= number <= INT64_MAX:
        raise RefusedInput(_int64_message())
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
