from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samskab.accounts.models import NotificationKind, User
from samskab.accounts.notifications import notify
from samskab.actors.claims import taken_over
from samskab.actors.models import Actor, Membership
from samskab.lib.text import local_moment

from ..models import Partnership, PartnershipInvitation, Proposal

MESSAGE_SHOWN = 150  # characters of an invitation's message in its notification, which holds 400 in all
PURPOSE_SHOWN = 100  # characters of the partnership's purpose in an invitation's notification


def notify_invited(invitation: PartnershipInvitation) -> None:
    """Tell the invited actor's administrators, as their notification settings say (at once, in the daily
    digest, or not by email), each in an email of their own."""
    text = _("Invitation to “%(title)s”: %(inviter)s invites %(name)s to join as an equal member.") % {
        "inviter": invitation.invited_by_actor.name,
        "name": invitation.actor.name,
        "title": invitation.partnership.title,
    }
    purpose = invitation.partnership.purpose
    if purpose:  # the notification holds 400 characters: the purpose's beginning, then the message's
        text += " " + _("What it is for: “%(purpose)s”") % {"purpose": Truncator(purpose).chars(PURPOSE_SHOWN)}
    if invitation.message:  # whole on the invitations page the notification links to; here its beginning
        message = Truncator(invitation.message).chars(MESSAGE_SHOWN)
        text += " " + _("Their message: “%(message)s”") % {"message": message}
    answering = administrators(invitation.actor)
    notify(answering, kind=NotificationKind.INVITATION, text=text, url=reverse("partnerships:invitations"))
    if invitation.actor.contact_email and not answering.exists():  # nobody to tell in the app: tell the register's
        from ..tasks import email_register_address

        transaction.on_commit(lambda: email_register_address.enqueue(invitation.pk))


def notify_invitation_withdrawn(invitation: PartnershipInvitation) -> None:
    """Tell the invited actor's administrators that a member withdrew the invitation before they answered."""
    text = _("%(member)s has withdrawn the invitation for %(name)s to join “%(title)s”.") % {
        "member": invitation.withdrawn_by_actor.name if invitation.withdrawn_by_actor else "",
        "name": invitation.actor.name,
        "title": invitation.partnership.title,
    }
    notify(
        administrators(invitation.actor),
        kind=NotificationKind.INVITATION,
        text=text,
        url=reverse("partnerships:invitations"),
    )


def administrators(actor: Actor) -> QuerySet[User]:
    """Who answers for an invited actor: its active administrators, each told in an email of their own."""
    return User.objects.filter(
        actor_memberships__actor=actor, actor_memberships__role=Membership.Role.ADMIN, is_active=True
    ).distinct()


def notify_members(
    partnership: Partnership, *, kind: str, text: str, url: str = "", except_actor: Actor | None = None
) -> None:
    """Notify the people taking part through every member actor (except those of the actor that caused it)."""
    users = partnership.people()
    if except_actor is not None:
        users = users.exclude(pk__in=partnership.people(through=[except_actor]).values("pk"))
    notify(users, kind=kind, text=text, url=url)


def tell_newcomer_of_open_proposals(partnership: Partnership, actor: Actor) -> None:
    """An actor that joins while proposals are open counts among those whose silence is consent: its people are told
    at once which proposals wait for its response, and by when."""
    open_proposals = list(
        Proposal.objects.filter(partnership=partnership, status=Proposal.Status.OPEN, deadline__gt=timezone.now())
        .order_by("deadline")
        .values_list("title", "deadline")
    )
    if not open_proposals:
        return
    listed = "; ".join(
        _("“%(title)s” by %(when)s") % {"title": title, "when": local_moment(deadline)}
        for title, deadline in open_proposals
    )
    text = ngettext(
        "%(actor)s is a member of “%(partnership)s” now, and a proposal waits for its response; silence counts as "
        "consent: %(proposals)s.",
        "%(actor)s is a member of “%(partnership)s” now, and %(n)d proposals wait for its response; silence counts "
        "as consent: %(proposals)s.",
        len(open_proposals),
    ) % {"actor": actor.name, "partnership": partnership.title, "n": len(open_proposals), "proposals": listed}
    notify(
        partnership.people(through=[actor]),
        kind=NotificationKind.PROPOSAL,
        text=text,
        url=reverse("partnerships:proposals", args=[partnership.pk]),
    )


def notify_challenge_taken_up(partnership: Partnership, *, started_by: Actor, except_user: User) -> None:
    """Tell the people of the actor that raised the partnership's challenge that a partnership was started on it.
    A members-only partnership is named only to those who may see it: the others learn that one started, and are
    sent to the challenge's page."""
    challenge = partnership.challenge
    if challenge is None:
        return
    users = User.objects.filter(
        actor_memberships__actor=challenge.raised_by, actor_memberships__role__in=Membership.ACTING, is_active=True
    ).exclude(pk=except_user.pk)
    names = {"actor": started_by.name, "title": partnership.title, "challenge": challenge.title}
    if partnership.visibility == Partnership.Visibility.PUBLIC or partnership.is_member(challenge.raised_by):
        text = _("%(actor)s has started the partnership “%(title)s” on your challenge “%(challenge)s”.") % names
        url = partnership.get_absolute_url()
    else:
        text = _("A partnership open only to its members has started on your challenge “%(challenge)s”.") % names
        url = challenge.get_absolute_url()
    notify(users.distinct(), kind=NotificationKind.CHALLENGE, text=text, url=url)


def notify_others(partnership: Partnership, *, kind: str, text: str, url: str = "", user: User, actor: Actor) -> None:
    """Notify everyone in the partnership but whoever acted: the people of the other member actors, or, where each
    person has a voice (employee involvement, whose staff are one actor), every colleague but the person."""
    if not partnership.voices_are_people:
        notify_members(partnership, kind=kind, text=text, url=url, except_actor=actor)
        return
    notify(
        partnership.people().exclude(pk=user.pk),
        kind=kind,
        text=text,
        url=url,
    )


@receiver(taken_over)
def invitations_waiting_for_new_administrator(sender: type, actor: Actor, user: User, **kwargs: object) -> None:
    """Someone took over an actor nobody administered (`actors.claims`): the invitations that waited for it are
    theirs to answer now, and nobody has told them of those yet."""
    for invitation in (
        PartnershipInvitation.objects.pending().filter(actor=actor).select_related("partnership", "invited_by_actor")
    ):
        text = _("%(inviter)s has invited %(name)s to join “%(title)s”, and the invitation waits for your answer.") % {
            "inviter": invitation.invited_by_actor.name,
            "name": actor.name,
            "title": invitation.partnership.title,
        }
        notify([user], kind=NotificationKind.INVITATION, text=text, url=reverse("partnerships:invitations"))
