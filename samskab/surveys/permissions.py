"""Fetch a survey and check the user's right to it in one call.

A partnership survey follows its partnership: whoever may see the partnership may see the results (safe
aggregates only), and every member actor's people, whatever the sector, may run surveys and waves in it (in
employee involvement, those who act for the workplace; its colleagues answer). A
members-only partnership's surveys are 404 to everyone else, actors invited to it included. A community
survey's safe results are public; the administrators of the municipal actor that started it run it.

Answers in people's own words are read only by those who run the survey (`may_run`): it is them the answer page
promises, the fewer who read a sentence the fewer can recognise who wrote it, and among colleagues, who know each
other's words and circumstances best, a sentence gives its writer away more easily than to anyone. Everyone who
may see the survey reads its numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy

from samskab.actors.models import Actor, Municipality, Sector
from samskab.partnerships.permissions import MEMBERS_ONLY, NOT_FOR_COLLEAGUES, get_partnership_for

from .models import Survey

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from samskab.accounts.models import User


COMMUNITY_LEADERS_ONLY = gettext_lazy(
    "The municipality's community surveys are run by its leaders: the administrators of its own actors."
)
COMMUNITY_RUNNERS_ONLY = gettext_lazy(
    "A community survey is run by the administrators of the municipal unit that started it: ask them to open or "
    "close its link."
)


def municipal_actor_led_by(user: User | AnonymousUser, municipality: Municipality | None = None) -> Actor | None:
    """The first municipal actor the user administers (in `municipality`, when given). Its leaders run the
    municipality's community surveys and see its overview; its other staff take part like anyone else (a
    teacher answers the school's survey, but does not survey the town)."""
    actors = Actor.objects.administered_by(user).filter(sector=Sector.MUNICIPALITY)
    if municipality is not None:
        actors = actors.filter(municipality=municipality)
    return actors.select_related("municipality").order_by("pk").first()


def may_run(user: User | AnonymousUser, survey: Survey) -> bool:
    """Whether `user` runs the survey (rounds, invitations, closing) and reads its answers in own words: in a
    partnership, the people who act for its member actors (any sector, equally; in employee involvement those who
    act for the workplace, not its colleagues, who answer); a community survey, the administrators of the
    municipal actor that started it (one started before that was recorded: those of any of its municipality's
    own actors)."""
    if not user.is_authenticated:
        return False
    if survey.partnership is not None:
        return survey.partnership.actors_acted_for(user).exists()
    if survey.actor_id is not None:
        return Actor.objects.administered_by(user).filter(pk=survey.actor_id).exists()
    return municipal_actor_led_by(user, survey.municipality) is not None


def check_runs(user: User | AnonymousUser, survey: Survey) -> None:
    """PermissionDenied, with the reason, unless `user` runs the survey (`may_run`)."""
    if may_run(user, survey):
        return
    if survey.partnership is None:
        if survey.actor_id is not None:
            raise PermissionDenied(COMMUNITY_RUNNERS_ONLY)
        raise PermissionDenied(COMMUNITY_LEADERS_ONLY)
    if survey.partnership.has_member_user(user):
        raise PermissionDenied(NOT_FOR_COLLEAGUES)
    raise PermissionDenied(MEMBERS_ONLY)


def get_survey_for(user: User | AnonymousUser, pk: int, *, manage: bool = False) -> Survey:
    """The survey if `user` may see it; with `manage`, only if the user may run it (`may_run`; 403 otherwise)."""
    try:
        survey = Survey.objects.select_related("partnership", "municipality").get(pk=pk)
    except (Survey.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if survey.partnership_id is not None:
        get_partnership_for(user, survey.partnership_id, write=manage, invitees=False)  # 404 when not visible
    if manage:
        check_runs(user, survey)
    return survey
