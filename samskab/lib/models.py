"""What every model of Samskab's own apps checks before it is saved, whoever saves it: a page, the API, a service
or a management command."""

from typing import Any

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .forms import field_refusal


def refuse_overlong_text(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    """Refuse (`field_refusal`: a page shows it at its field, the API answers 422) a text longer than its field's
    `max_length`, and nothing is saved. SQLite keeps text of any length and a text column has none in either
    database, while PostgreSQL would refuse a long `CharField` with an error nobody could read. Connected to
    `pre_save` for every model (`accounts.apps`); bulk writes send no signal and check for themselves (the register
    import's columns)."""
    if raw or not sender.__module__.startswith("samskab."):
        return
    for field in sender._meta.concrete_fields:
        if not isinstance(field, (models.CharField, models.TextField)) or not field.max_length:
            continue
        value = getattr(instance, field.attname)
        if isinstance(value, str) and len(value) > field.max_length:
            raise field_refusal(
                field.name,
                _("“%(field)s” can be at most %(max)d characters; this is %(length)d.")
                % {"field": capfirst(str(field.verbose_name)), "max": field.max_length, "length": len(value)},
                code="too_long",
            )
