"""Filters every template has without loading them (`TEMPLATES` "builtins")."""

from datetime import date
from decimal import Decimal

from django import template
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def percent(value: object) -> SafeString:
    """`33` → "33 %", kept on one line: a narrow table cell on a phone never breaks the number from its sign."""
    return format_html('<span class="samskab-nowrap">{} %</span>', value)


@register.filter
def grouped(value: object) -> str:
    """`225524` → "225.524" in Danish ("225,524" in English), `2500.5` → "2.500,5": a figure as people read it.
    Not done site-wide (`USE_THOUSAND_SEPARATOR`), which would group every number, the ids in addresses and years
    included."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return "" if value is None else str(value)
    return number_format(value, force_grouping=True)


@register.filter
def subject(value: object, width: int = 120) -> str:
    """A sentence as an email's subject: at most `width` characters, cut between words ("…") rather than in one,
    and without the sentence's closing full stop."""
    text = " ".join(str(value).split())
    if len(text) > width:
        cut = text[: width - 1]
        text = (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:–-") + "…"
    return text.removesuffix(".")


@register.filter
def figure(value: object) -> str:
    """A table cell's value as the page shows it: counts and amounts `grouped`, a date as "6. december 2026" (a
    download keeps the date itself, for the spreadsheet to sort), nothing as "—"."""
    if value is None:
        return "—"
    if isinstance(value, date):
        return date_format(value, "j. F Y")
    return grouped(value)
