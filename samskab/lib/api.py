import json
import math
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy
from ninja import Schema
from ninja.parser import Parser
from pydantic import AfterValidator, ConfigDict, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .forms import LocalDateTimeField
from .text import join_list

# The range of the databases' largest integer column (bigint); a larger number cannot even be looked up.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


# The API root's own refusals (config/ lies outside the catalogue's source tree, so its texts live here).
NOT_FOUND = gettext_lazy("Not found.")
BODY_TOO_LARGE = gettext_lazy("The request body is too large (at most %(limit)d bytes).")
FORBIDDEN = gettext_lazy("You are not allowed to do this.")
NO_KEY = gettext_lazy("This needs your personal API key (Authorization: Bearer …); create one on your account page.")
UNREADABLE_BODY = gettext_lazy("The request body cannot be read as JSON.")
NOT_AN_OBJECT = gettext_lazy("The request body must be a JSON object.")
OR = gettext_lazy("or")

# pydantic's error types, worded for people; %(name)s takes the error's context (ctx), and a plural text counts
# the context value it names. Types not listed keep pydantic's English message, and our own PydanticCustomErrors
# are translated where they are raised.
_NUMBER = gettext_lazy("Must be a number.")
_WHOLE_NUMBER = gettext_lazy("Must be a whole number.")
_DATETIME = gettext_lazy("Must be a date and time, such as 2026-12-24T18:00.")
_DATE = gettext_lazy("Must be a date, such as 2026-12-24.")
_OBJECT = gettext_lazy("Must be a JSON object.")
_CHOICE = gettext_lazy("Must be one of %(expected)s.")
SCHEMA_ERRORS: dict[str, Promise] = {
    "missing": gettext_lazy("This field is required."),
    "extra_forbidden": gettext_lazy("Unknown field."),
    "string_type": gettext_lazy("Must be text."),
    "string_too_short": ngettext_lazy(
        "At least %(min_length)s character.", "At least %(min_length)s characters.", "min_length"
    ),
    "string_too_long": ngettext_lazy(
        "At most %(max_length)s character.", "At most %(max_length)s characters.", "max_length"
    ),
    "string_pattern_mismatch": gettext_lazy("Does not have the expected form."),
    "int_type": _WHOLE_NUMBER,
    "int_parsing": _WHOLE_NUMBER,
    "int_from_float": _WHOLE_NUMBER,
    "int_parsing_size": _WHOLE_NUMBER,
    "float_type": _NUMBER,
    "float_parsing": _NUMBER,
    "decimal_type": _NUMBER,
    "decimal_parsing": _NUMBER,
    "finite_number": _NUMBER,
    "decimal_max_digits": ngettext_lazy(
        "At most %(max_digits)s digit.", "At most %(max_digits)s digits.", "max_digits"
    ),
    "decimal_max_places": ngettext_lazy(
        "At most %(decimal_places)s decimal place.", "At most %(decimal_places)s decimal places.", "decimal_places"
    ),
    "decimal_whole_digits": ngettext_lazy(
        "At most %(whole_digits)s digit before the decimal point.",
        "At most %(whole_digits)s digits before the decimal point.",
        "whole_digits",
    ),
    "greater_than": gettext_lazy("Must be greater than %(gt)s."),
    "greater_than_equal": gettext_lazy("Must be at least %(ge)s."),
    "less_than": gettext_lazy("Must be less than %(lt)s."),
    "less_than_equal": gettext_lazy("Must be at most %(le)s."),
    "multiple_of": gettext_lazy("Must be a multiple of %(multiple_of)s."),
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


def _shown(value: Any) -> Any:
    """A context value as the reader writes it: whole numbers as numbers (a plural text counts them, and 0.0 is
    shown as 0), other numbers with the language's decimal mark (57,9 in Danish), anything else as text."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float | Decimal) and math.isfinite(value):
        return int(value) if value == int(value) else formats.number_format(value)
    return str(value)


def schema_error(error: dict[str, Any]) -> dict[str, Any]:
    """One of pydantic's errors with its message in the active language; the rest (type, loc, ctx) as it is."""
    ctx = error.get("ctx") or {}
    if error.get("type") == "value_error" and "error" in ctx:
        return {**error, "msg": str(ctx["error"])}  # the validator's own reason, without "Value error, "
    text = SCHEMA_ERRORS.get(error.get("type", ""))
    if text is None:
        return error
    context = {name: _shown(value) for name, value in ctx.items()}
    if "expected" in context:  # pydantic lists the choices as "'a', 'b' or 'c'"
        head, _sep, last = context["expected"].rpartition(" or ")
        context["expected"] = f"{head} {OR} {last}" if head else last
    try:
        message = str(text % context)
    except (KeyError, TypeError, ValueError):  # a context other than the one the text names: keep pydantic's
        return error
    return {**error, "msg": message}


class Message(Schema):
    """An API refusal: 403 (not allowed), 404, or 422 (the input cannot be accepted), with the reason."""

    detail: str


class InputSchema(Schema):
    """The base of every request body. Text loses its surrounding whitespace before its length is checked, so
    required text that is blank is refused, as the HTML forms refuse it. Whole numbers must fit the database's
    largest integer column, also when they were sent as text ("99999999999999999999").

    A field the endpoint does not read is refused (422, naming it and the fields there are), not ignored: a client
    that sends "titel" for "title", or a status with an edit, learns that nothing of it would count. A field the
    client reads in the answer but changes elsewhere is named in `changed_elsewhere`, with where to change it."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")
    # A field of the answer that this body cannot change, and how to change it (for the refusal to tell).
    changed_elsewhere: ClassVar[Mapping[str, Promise]] = {}

    @model_validator(mode="before")
    @classmethod
    def _no_unknown_fields(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        known = [field.alias or name for name, field in cls.model_fields.items()]
        sent = [name for name in data if name not in known]
        if not sent:
            return data
        messages = []
        elsewhere: dict[str, list[str]] = {}
        for name in sent:
            if isinstance(name, str) and name in cls.changed_elsewhere:
                elsewhere.setdefault(str(cls.changed_elsewhere[name]), []).append(f"“{name}”")
        for how, names in elsewhere.items():
            messages.append(
                ngettext(
                    "The field %(fields)s cannot be changed here: %(how)s",
                    "The fields %(fields)s cannot be changed here: %(how)s",
                    len(names),
                )
                % {"fields": join_list(names), "how": how}
            )
        unknown = [f"“{name}”" for name in sent if name not in cls.changed_elsewhere]
        if unknown:
            messages.append(
                ngettext(
                    "Unknown field %(fields)s: it is not read here. The fields are %(known)s.",
                    "Unknown fields %(fields)s: they are not read here. The fields are %(known)s.",
                    len(unknown),
                )
                % {"fields": join_list(unknown), "known": join_list([f"“{name}”" for name in known])}
            )
        raise ValueError(" ".join(messages))

    @field_validator("*", mode="after")
    @classmethod
    def _fits_64_bits(cls, value: Any) -> Any:
        numbers = value if isinstance(value, list | tuple | set) else (value,)
        if any(isinstance(n, int) and not isinstance(n, bool) and not INT64_MIN <= n <= INT64_MAX for n in numbers):
            message = _("Whole numbers must lie between %(min)d and %(max)d.") % {"min": INT64_MIN, "max": INT64_MAX}
            raise PydanticCustomError("int64", message)
        return value


class RefusedInput(Exception):
    """A request body that is valid JSON but that no endpoint accepts; answered 422 with `message`."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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
    """JSON bodies as the endpoints' schemas and the database can hold them: an object with no NUL characters
    (422 otherwise), and no NaN or Infinity (400, they are not JSON). Integers are bounded by `InputSchema`,
    which sees them whether they came as numbers or as text."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body, parse_constant=_no_constant)
        # Every endpoint's body is an object; pydantic would read another value's attributes as its fields
        # (a body "lys" would become an agenda item titled "Lys", through str.title).
        if not isinstance(data, dict):
            raise RefusedInput(str(NOT_AN_OBJECT))
        _refuse_nul(data)
        return data


def _local(value: datetime) -> datetime:
    first, last = LocalDateTimeField.first_year, LocalDateTimeField.last_year
    if not first <= value.year <= last:
        message = _("Enter a time between the years %(first)d and %(last)d.") % {"first": first, "last": last}
        raise PydanticCustomError("out_of_range", message)
    aware = timezone.make_aware(value) if timezone.is_naive(value) else value
    return aware.astimezone(UTC)  # as a read gives it back ("Z"), also in the answer to the write that stored it


# A date-time in, within the years the HTML forms accept; one without a UTC offset is read as Danish local time
# (the site's time zone). It is kept in UTC, as every date-time the API gives out.
LocalDateTime = Annotated[datetime, AfterValidator(_local)]
