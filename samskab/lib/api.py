from datetime import datetime
from typing import Annotated

from django.utils import timezone
from ninja import Schema
from pydantic import AfterValidator


class Message(Schema):
    """An API refusal: 403 (not allowed), 404, or 422 (the input cannot be accepted), with the reason."""

    detail: str


def _aware(value: datetime) -> datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


# A date-time in; one without a UTC offset is read as Danish local time (the site's time zone).
LocalDateTime = Annotated[datetime, AfterValidator(_aware)]
