"""How a page names a person in a partnership, by the one rule `Partnership.name_of` keeps."""

from typing import Any

from django import template

from samskab.partnerships.models import Partnership

register = template.Library()


@register.simple_tag
def person_named(partnership: Partnership, person: Any, to_member: bool) -> str:
    """The person's name where each person has a voice and the reader is a member (or "A person who has not given a
    name"); otherwise "", so the page names the actor instead."""
    if not partnership.voices_are_people:
        return ""
    return partnership.name_of(person, to_member=to_member) or ""
