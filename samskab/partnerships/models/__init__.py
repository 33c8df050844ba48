"""Partnership models: the core (challenges, partnerships, members, phases) and the shared work inside a
partnership (ground rules, agenda, meetings, proposals and decisions, actions and pledges)."""

from .actions import Action, PartnershipNeed, Pledge, PledgesOnLeaving, PledgeTotal, pledged_towards
from .agenda import AgendaItem, AgendaPriority, Attendance, Meeting, MinutesVersion
from .core import (
    Challenge,
    FacilitatorChange,
    MemberDeparture,
    Partnership,
    PartnershipInvitation,
    PartnershipMember,
    Phase,
    PhaseChange,
    VisibilityChange,
)
from .decisions import Decision, GroundRules, Proposal, ProposalComment, ProposalVersion, Response

__all__ = [
    "Action",
    "AgendaItem",
    "AgendaPriority",
    "Attendance",
    "Challenge",
    "Decision",
    "FacilitatorChange",
    "GroundRules",
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
