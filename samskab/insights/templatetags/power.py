"""The power-balance warning where a partnership's own page shows it (`{% power_warning partnership as power %}`):
the partnerships app shows it without importing the monitor, which reads the partnerships."""

from django import template

from samskab.partnerships.models import Partnership

from ..events import events_for, member_sectors
from ..power import power_balance

register = template.Library()


@register.simple_tag
def power_warning(partnership: Partnership) -> dict[str, int] | None:
    """The municipality's share of the initiative and its fair share, in whole per cent, where the monitor warns
    that it dominates; None otherwise, and in employee involvement, whose staff are one sector. Shown on the
    partnership's page to everyone who may read it, so that nobody has to go looking for it."""
    if partnership.voices_are_people:
        return None
    balance = power_balance(events_for([partnership]), member_sectors([partnership]))
    if not balance.warning or balance.municipality_share is None or balance.fair_share is None:
        return None
    return {"share": round(100 * balance.municipality_share), "fair": round(100 * balance.fair_share)}
