"""A partnership's own collaboration network, for everyone who may read the partnership.

The scope: the partnership's member actors, the ties among them, and their ties to the actors they work with in
the other co-creation partnerships the reader may read (`Partnership.objects.visible_to`): the public ones, and
the members-only ones the reader takes part in. Ties between two outside actors are left out: the page is about
this partnership's members. A members-only partnership the reader cannot read adds nothing: no actor, no tie, no
date. Internal employee-involvement processes add nothing either, as on the municipality's dashboard.

A tie is new since the partnership started when the two actors' first tie (in any partnership counted) came on or
after the day the partnership was started: new ties are new social capital. The reader's scope decides what
"before" means: a member of a members-only partnership may see an older tie there that an outsider does not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from samskab.actors.models import Sector
from samskab.lib.tables import Sheet
from samskab.partnerships.models import Partnership, PartnershipMember

from . import network
from .dashboard import NetworkPanel, _tidy, network_ties, quarter_label

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from samskab.accounts.models import User


@dataclass(frozen=True)
class PartnershipNetwork:
    partnership: Partnership
    panel: NetworkPanel
    members: frozenset[Hashable]  # the partnership's member actors
    elsewhere: list[Partnership]  # the other partnerships counted, by title
    start: date  # the day the partnership was started

    @cached_property
    def new_ties(self) -> list[tuple[Hashable, Hashable]]:
        """Pairs of actors whose first tie came on or after the day the partnership started."""
        return [(a, b) for a, b, first in self.panel.graph.edges(data="first") if first >= self.start]

    @property
    def start_quarter(self) -> str:
        return quarter_label(network.quarter_of(self.start))

    @cached_property
    def kinds(self) -> dict[str, tuple[int, int]]:
        """Bridging, bonding and all ties: (pairs of actors, of which new since the start)."""
        nodes = self.panel.graph.nodes
        new_bridging = sum(1 for a, b in self.new_ties if nodes[a]["sector"] != nodes[b]["sector"])
        summary = self.panel.summary
        return {
            "bridging": (summary.bridging_pairs, new_bridging),
            "bonding": (summary.bonding_pairs, len(self.new_ties) - new_bridging),
            "all": (summary.bridging_pairs + summary.bonding_pairs, len(self.new_ties)),
        }

    @cached_property
    def kinds_sheet(self) -> Sheet:
        total, new_total = self.kinds["all"]
        rows = []
        for key, label in (("bridging", _("Bridging ties")), ("bonding", _("Bonding ties")), ("all", _("In all"))):
            pairs, new = self.kinds[key]
            rows.append(
                [
                    label,
                    pairs,
                    round(100 * pairs / total) if total else None,
                    new,
                    round(100 * new / new_total) if new_total else None,
                ]
            )
        headers = [
            _("Kind of tie"),
            _("Pairs of actors"),
            _("Share (%)"),
            _("New since the partnership started"),
            _("Share of the new ties (%)"),
        ]
        return Sheet(_("Bridging and bonding ties"), headers, rows)

    @cached_property
    def actors_sheet(self) -> Sheet:
        """Every actor, the members first, then the most central; whether each is a member, and its new ties."""
        labels = dict(Sector.choices)
        new: dict[Hashable, int] = defaultdict(int)
        for a, b in self.new_ties:
            new[a] += 1
            new[b] += 1
        table = sorted(self.panel.table, key=lambda row: row.actor not in self.members)  # stable: centrality kept
        rows = [
            [
                self.panel.names.get(r.actor, str(r.actor)),
                str(labels.get(r.sector, r.sector)),
                _("yes") if r.actor in self.members else _("no"),
                r.ties,
                r.bridging_ties,
                new[r.actor],
                _tidy(r.weight),
                _tidy(100 * r.brokerage),
            ]
            for r in table
        ]
        headers = [
            _("Actor"),
            _("Sector"),
            _("Member of this partnership"),
            _("Actors tied to"),
            _("Of which in another sector"),
            _("New since the partnership started"),
            _("Joint work (points)"),
            _("Go-between for others (%)"),
        ]
        return Sheet(_("Actors in the partnership's network"), headers, rows)

    def svg(self) -> SafeString:
        description = _(
            "Each mark is an actor, shaped and coloured by sector: this partnership's members and the actors they "
            "work with in other partnerships. Lines are ties from shared partnerships, actions and pledges, thicker "
            "the more they do together. Solid lines bridge two sectors, dashed lines stay within one. The members "
            "are named first; the table below lists every actor."
        )
        members_first = sorted((row.actor for row in self.panel.table), key=lambda actor: actor not in self.members)
        svg = network.network_svg(
            self.panel.graph,
            title=_("The collaboration network of %(partnership)s") % {"partnership": self.partnership.title},
            description=description,
            sector_labels={k: str(v) for k, v in Sector.choices},
            node_labels=self.panel.names,
            labelled=members_first,
            id_prefix="partnership-network",
        )
        return mark_safe(svg)  # network_svg escapes every text it writes


def partnership_network(partnership: Partnership, user: User | AnonymousUser) -> PartnershipNetwork:
    """The network of `partnership` as `user` may see it (see the module's docstring); the caller has checked that
    the user may read the partnership itself. A constant number of queries, however many members and ties."""
    members = frozenset(PartnershipMember.objects.filter(partnership=partnership).values_list("actor_id", flat=True))
    with_a_member = PartnershipMember.objects.filter(actor_id__in=members).values("partnership_id")
    elsewhere = list(
        Partnership.objects.visible_to(user)
        .filter(pk__in=with_a_member, kind=Partnership.Kind.CO_CREATION)
        .exclude(pk=partnership.pk)
        .order_by("title", "pk")
    )
    actors, ties = network_ties([partnership, *elsewhere])
    # Only what touches a member: the ties two outside actors have between them belong to other partnerships' pages.
    ties = [tie for tie in ties if tie.a in members or tie.b in members]
    tied = {tie.a for tie in ties} | {tie.b for tie in ties}
    shown = sorted(pk for pk in actors if pk in members or pk in tied)
    graph = network.build_graph([network.Actor(pk, actors[pk][1]) for pk in shown], ties)
    panel = NetworkPanel(
        graph=graph,
        names={pk: actors[pk][0] for pk in shown},
        summary=network.tie_summary(graph),
    )
    return PartnershipNetwork(
        partnership=partnership,
        panel=panel,
        members=members,
        elsewhere=elsewhere,
        start=timezone.localdate(partnership.created_at),
    )


# The downloads, by the name in the address.
SHEETS: dict[str, Callable[[PartnershipNetwork], Sheet]] = {
    "netvaerk-aktoerer": lambda n: n.actors_sheet,
    "netvaerk-baandtyper": lambda n: n.kinds_sheet,
    "netvaerk-baand": lambda n: n.panel.ties_sheet,
    "netvaerk-kvartaler": lambda n: n.panel.quarters_sheet,
}
