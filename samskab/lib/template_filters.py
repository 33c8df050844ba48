"""Filters every template has without loading them (`TEMPLATES` "builtins")."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def percent(value: object) -> SafeString:
    """`33` → "33 %", kept on one line: a narrow table cell on a phone never breaks the number from its sign."""
    return format_html('<span class="samskab-nowrap">{} %</span>', value)
