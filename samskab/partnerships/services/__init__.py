"""Every write in a partnership goes through these functions; none of them looks at an actor's sector.

The HTML views, the API and the demo loader call them.
"""

from .actions import add_need, create_action, pledge, remove_need, same_unit, update_action_status, update_need
from .agenda import (
    add_agenda_item,
    schedule_meeting,
    set_agenda_item_status,
    set_priorities,
    update_attendance,
    write_minutes,
)
from .core import (
    change_phase,
    check_member,
    hand_over_facilitation,
    invite_actor,
    raise_challenge,
    respond_to_invitation,
    set_challenge_status,
    start_partnership,
    update_challenge,
    update_partnership,
)
from .decisions import (
    amend_proposal,
    comment_on_proposal,
    correct_decision,
    is_proposer,
    propose,
    remind_deadlines,
    respond_to_proposal,
    settle_due_proposals,
    withdraw_proposal,
)

__all__ = [
    "add_agenda_item",
    "add_need",
    "amend_proposal",
    "change_phase",
    "check_member",
    "comment_on_proposal",
    "correct_decision",
    "create_action",
    "hand_over_facilitation",
    "invite_actor",
    "is_proposer",
    "pledge",
    "propose",
    "raise_challenge",
    "remind_deadlines",
    "remove_need",
    "respond_to_invitation",
    "respond_to_proposal",
    "same_unit",
    "schedule_meeting",
    "set_agenda_item_status",
    "set_challenge_status",
    "set_priorities",
    "settle_due_proposals",
    "start_partnership",
    "update_action_status",
    "update_attendance",
    "update_challenge",
    "update_need",
    "update_partnership",
    "withdraw_proposal",
    "write_minutes",
]
