"""Partnership models: the core (challenges, partnerships, members, phases, closing) and the shared work inside a
partnership (ground rules, agenda, meetings, proposals and decisions, actions and pledges, lessons learned)."""

from .actions import Action, PartnershipNeed, Pledge, PledgesOnLeaving, PledgeTotal, pledged_towards
from .agenda import AgendaItem, AgendaPriority, Attendance, Meeting, MinutesVersion
from .core import (
    Challenge,
    ClosingChange,
    FacilitatorChange,
    JoinRequest,
    MemberDeparture,
    Partnership,
    PartnershipInvitation,
    PartnershipMember,
    Phase,
    PhaseChange,
    VisibilityChange,
)
from .decisions import Decision, GroundRules, Proposal, ProposalComment, ProposalVersion, Response
from .learning import Lesson

__all__ = [
    "Action",
    "AgendaItem",
    "AgendaPriority",
    "Attendance",
    "Challenge",
    "ClosingChange",
    "Decision",
    "FacilitatorChange",
    "GroundRules",
    "JoinRequest",
    "Lesson",
    "Meeting",
    "MemberDeparture",
    "MinutesVersion",
    "Partnership",
    "PartnershipInvitation",
    "PartnershipMember",
    "PartnershipNeed",
    "Phase",
    "PhaseChange",
    "Pledge",
    "PledgeTotal",
    "PledgesOnLeaving",
    "Proposal",
    "ProposalComment",
    "ProposalVersion",
    "Response",
    "VisibilityChange",
    "pledged_towards",
]
