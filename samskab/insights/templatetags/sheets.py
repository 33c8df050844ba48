"""Drawing a `Sheet` as a table that stacks on a phone (`insights/dashboard_table.html`)."""

from collections.abc import Sequence
from typing import Any

from django import template

register = template.Library()


@register.filter
def beside(headers: Sequence[Any], row: Sequence[Any]) -> list[tuple[Any, Any]]:
    """A row's values, each with its column's header: below 768 px every figure is shown under its name."""
    return list(zip(headers, row, strict=True))
