"""The municipality's dashboard: the portfolio of partnerships, who takes part, what they pledge, the power
balance, survey indices over time and the collaboration network. Reads other apps' data and owns none.

Every aggregate is a `Sheet` (title, headers, rows): the page draws it as an accessible table, and the same
sheet is what the CSV/XLSX download and the API carry. Survey numbers come only from
`surveys.services.safe_results`, so the dashboard can never show what the survey page would not.

The portfolio: a partnership is the municipality's when it works on a challenge raised in the municipality, or
when one of its member actors is registered in the municipality, whatever that actor's sector. A partnership of
the sports club and some citizens is as much the municipality's as one with a municipal unit in it; one with
members from two municipalities is in both portfolios.

Visibility: every figure, table, download and API answer comes only from the partnerships the person may read,
by the rule of the partnership list (`Partnership.objects.visible_to`): the public ones, and the members-only ones
they take part in. A members-only partnership they are not part of adds nothing: no count, no amount, no sector,
no word of its units. The page says how many members-only partnerships work on the municipality's challenges,
which every challenge's page shows anyone (`Portfolio.left_out`), and no more: that one without a challenge
exists is told nowhere.

Employee-involvement processes are internal to one municipal organisation: one sector by definition, so in
the power balance, the sector figures, the pledges and the network they would only make the municipality
look dominant. Those figures cover the co-creation partnerships; the processes are counted apart (and in the
phases, and their surveys are shown).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from itertools import combinations
from typing import TYPE_CHECKING, Any

import networkx as nx
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from samskab.actors.coalitions import same_unit
from samskab.actors.models import Actor, Municipality, ResourceKind, Sector
from samskab.lib.tables import Sheet
from samskab.partnerships.models import Action, MemberDeparture, Partnership, PartnershipMember, Phase, Pledge
from samskab.surveys.models import Survey
from samskab.surveys.permissions import municipal_actor_led_by
from samskab.surveys.services import SafeResults, rounded, safe_results

from . import network
from .charts import ci_chart, line_chart
from .events import events_for, member_sectors
from .power import METRICS, SECTORS, Event, PowerBalance, initiative_over_time, power_balance

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from samskab.accounts.models import User

# How strongly each shared activity ties two actors: owning an action together is closer work than sitting
# in the same partnership; a pledge ties the pledging actor to those whose work it supports.
TIE_WEIGHTS = {"partnership": 1.0, "action": 2.0, "pledge": 1.0}

# The closed partnerships, whatever phase they were in: the list's filter value and the phases table's row. They are
# counted apart from the phases, which are those of the partnerships at work.
CLOSED = "closed"
CLOSED_LABEL = pgettext_lazy("partnerships", "Closed")

# Who gets the overview, on the pages and in the API alike (`municipal_actor_led_by`).
LEADERS_ONLY = gettext_lazy("The overview is for the municipality's leaders: the administrators of its own actors.")


@dataclass
class Portfolio:
    """The municipality's partnerships that one of its leaders may read (see the module's docstring): every
    figure of the dashboard comes from `visible`, and from nothing else."""

    user: Any
    municipality: Municipality
    visible: list[Partnership]

    @cached_property
    def co_creation(self) -> list[Partnership]:
        """The partnerships between sectors: what the power balance, the sector figures, the pledges, the network
        and the list of partnerships cover."""
        return [p for p in self.visible if p.kind != Partnership.Kind.EMPLOYEE_INVOLVEMENT]

    @cached_property
    def employee_involvement(self) -> list[Partnership]:
        """The internal processes, counted apart: one organisation, one sector, nothing to balance between
        sectors."""
        return [p for p in self.visible if p.kind == Partnership.Kind.EMPLOYEE_INVOLVEMENT]

    @cached_property
    def left_out(self) -> int:
        """Members-only partnerships on the municipality's challenges that the person may not read: the number each
        challenge's page shows anyone ("one partnership open only to its members works on this challenge"). Those
        without a challenge in the municipality are not counted, since nothing public tells that they exist."""
        readable = Partnership.objects.visible_to(self.user).order_by().values("pk")
        return Partnership.objects.filter(challenge__municipality=self.municipality).exclude(pk__in=readable).count()

    @cached_property
    def members(self) -> list[tuple[int, int, str]]:
        """(partnership, actor, sector) of each member actor of the co-creation partnerships."""
        return list(
            PartnershipMember.objects.filter(partnership__in=_ids(self.co_creation)).values_list(
                "partnership_id", "actor_id", "actor__sector"
            )
        )

    @cached_property
    def events(self) -> list[Event]:
        """The power-balance events of the co-creation partnerships, each with its partnership."""
        return events_for(self.co_creation)

    @cached_property
    def power(self) -> dict[str, Any]:
        """The power balance over the co-creation partnerships."""
        return _power_context(self.events, [sector for _p, _a, sector in self.members])

    @cached_property
    def rows(self) -> list[PartnershipRow]:
        """One row per co-creation partnership, by title: its members by sector, its own power balance and when
        something last happened in it. A constant number of queries, however many partnerships there are."""
        events: dict[int | None, list[Event]] = defaultdict(list)
        for event in self.events:
            events[event.partnership].append(event)
        sectors: dict[int, list[str]] = defaultdict(list)
        for partnership_id, _actor, sector in self.members:
            sectors[partnership_id].append(sector)
        now = timezone.now()
        rows = []
        for p in self.co_creation:
            moments = [e.at for e in events[p.pk] if e.at <= now] + [p.created_at]
            if p.updated_at:
                moments.append(p.updated_at)
            rows.append(
                PartnershipRow(
                    partnership=p,
                    members=Counter(sectors[p.pk]),
                    balance=power_balance(events[p.pk], sectors[p.pk]),
                    last_activity=max(moments),
                )
            )
        return rows

    @cached_property
    def network(self) -> NetworkPanel:
        """Who works with whom, in the co-creation partnerships."""
        return network_panel(self.co_creation)

    @cached_property
    def surveys(self) -> list[Survey]:
        return list(
            # A community survey is the municipality's; one in a partnership only shows with its partnership.
            Survey.objects.filter(
                Q(partnership__in=self.visible) | Q(municipality=self.municipality, partnership__isnull=True)
            )
            .select_related("partnership")
            .prefetch_related("waves")
            .order_by("title", "pk")
        )


def portfolio_for(user: User | AnonymousUser) -> Portfolio:
    """The portfolio of the municipality the person leads in, as far as they may read it; PermissionDenied
    (`LEADERS_ONLY`) unless they administer one of its own actors."""
    municipal = municipal_actor_led_by(user)
    if municipal is None:
        raise PermissionDenied(LEADERS_ONLY)
    code = municipal.municipality_id
    with_a_member_here = PartnershipMember.objects.filter(actor__municipality_id=code).values("partnership_id")
    visible = list(
        Partnership.objects.visible_to(user)
        .filter(Q(challenge__municipality_id=code) | Q(pk__in=with_a_member_here))
        .order_by("title", "pk")
    )
    return Portfolio(user, municipal.municipality, visible)


@dataclass(frozen=True)
class PartnershipRow:
    """A partnership in the dashboard's list."""

    partnership: Partnership
    members: Counter[str]  # sector -> member actors
    balance: PowerBalance
    last_activity: datetime

    @property
    def phase_shown(self) -> str:
        """Its phase, or, once it is closed, when it was closed ("Afsluttet den 3. maj 2026")."""
        return phase_shown(self.partnership)

    @property
    def members_by_sector(self) -> list[tuple[str, int]]:
        """(sector label, member actors) for the sectors taking part, in the sectors' order."""
        return [(str(label), self.members[sector]) for sector, label in Sector.choices if self.members[sector]]

    @property
    def municipality_share(self) -> int | None:
        share = self.balance.municipality_share
        return None if share is None else round(100 * share)

    @property
    def fair_share(self) -> int | None:
        fair = self.balance.fair_share
        return None if fair is None else round(100 * fair)


# The list's orders, by the value in the address: each a sort key and whether it runs from the highest.
ROW_ORDERS: dict[str, tuple[Callable[[PartnershipRow], Any], bool]] = {
    "titel": (lambda row: (row.partnership.title.casefold(), row.partnership.pk), False),
    "aktivitet": (lambda row: row.last_activity, True),
    "kommunens-andel": (lambda row: (row.municipality_share is not None, row.municipality_share or 0), True),
}


def phase_shown(partnership: Partnership) -> str:
    """A partnership's phase, or, once it is closed, when it was closed: it is no longer at work in the phase."""
    if partnership.closed_at is None:
        return str(partnership.get_phase_display())
    when = date_format(timezone.localtime(partnership.closed_at), "j. F Y")
    return _("Closed on %(date)s") % {"date": when}


def _in_phase(partnership: Partnership, phase: str) -> bool:
    """Whether the partnership is in `phase` ("": any; `CLOSED`: closed): a closed one is in no phase."""
    if not phase:
        return True
    if phase == CLOSED:
        return partnership.closed_at is not None
    return partnership.closed_at is None and partnership.phase == phase


def partnership_rows(portfolio: Portfolio, *, phase: str = "", order: str = "titel") -> list[PartnershipRow]:
    """The rows of the list: those at work in one phase, the closed ones (`CLOSED`), or all (""), in one of
    `ROW_ORDERS`."""
    key, reverse = ROW_ORDERS[order]
    rows = [row for row in portfolio.rows if _in_phase(row.partnership, phase)]
    return sorted(rows, key=key, reverse=reverse)


def _ids(partnerships: Iterable[Partnership]) -> list[int]:
    return [p.pk for p in partnerships]


# --- the portfolio ----------------------------------------------------------------------------------------


def phases_sheet(portfolio: Portfolio) -> Sheet:
    """The partnerships at work by phase, and the closed ones on a row of their own (`CLOSED`), by kind."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for p in portfolio.visible:
        counts[(CLOSED if p.closed_at is not None else p.phase, p.kind)] += 1
    kinds = Partnership.Kind
    rows = [
        [
            str(label),
            counts[(phase, kinds.CO_CREATION)],
            counts[(phase, kinds.EMPLOYEE_INVOLVEMENT)],
            counts[(phase, kinds.CO_CREATION)] + counts[(phase, kinds.EMPLOYEE_INVOLVEMENT)],
        ]
        for phase, label in [*Phase.choices, (CLOSED, CLOSED_LABEL)]
    ]
    headers = [_("Phase"), str(kinds.CO_CREATION.label), str(kinds.EMPLOYEE_INVOLVEMENT.label), _("Total")]
    return Sheet(_("Partnerships by phase"), headers, rows)


def sectors_sheet(portfolio: Portfolio) -> Sheet:
    """Per sector: how many actors take part, in how many partnerships, and the share of partnerships."""
    actors: dict[str, set[int]] = defaultdict(set)
    partnerships: dict[str, set[int]] = defaultdict(set)
    for partnership_id, actor_id, sector in portfolio.members:
        actors[sector].add(actor_id)
        partnerships[sector].add(partnership_id)
    total = len(portfolio.co_creation)
    rows = [
        [
            str(label),
            len(actors[sector]),
            len(partnerships[sector]),
            round(100 * len(partnerships[sector]) / total) if total else None,
        ]
        for sector, label in Sector.choices
    ]
    headers = [_("Sector"), _("Actors taking part"), _("Partnerships with the sector"), _("Share of partnerships (%)")]
    return Sheet(_("Participation by sector"), headers, rows)


def all_sectors_count(portfolio: Portfolio) -> int:
    """Co-creation partnerships in which all four sectors take part."""
    sectors: dict[int, set[str]] = defaultdict(set)
    for partnership_id, _actor, sector in portfolio.members:
        sectors[partnership_id].add(sector)
    return sum(1 for found in sectors.values() if len(found) == len(Sector))


def partnerships_sheet(portfolio: Portfolio) -> Sheet:
    """The list of co-creation partnerships, every one of them, by title (the page shows it a page at a time)."""
    headers = [
        _("Partnership"),
        _("Phase"),
        *[_("Member actors: %(sector)s") % {"sector": label} for label in Sector.labels],
        _("Municipality's share of the initiative (%)"),
        _("Its fair share (%)"),
        _("The municipality dominates"),
        _("Last activity"),
    ]
    rows = [
        [
            row.partnership.title,
            row.phase_shown,
            *[row.members[sector] for sector in Sector.values],
            row.municipality_share,
            row.fair_share,
            _("yes") if row.balance.warning else _("no"),
            timezone.localdate(row.last_activity),
        ]
        for row in partnership_rows(portfolio)
    ]
    return Sheet(_("The co-creation partnerships"), headers, rows)


def _tidy(value: float, places: int = 1) -> int | float:
    """A figure to one decimal (or `places`), and a whole one without it ("11", not "11,0"; "0", never "-0")."""
    rounded_value = round(value, places)
    return int(rounded_value) if rounded_value == int(rounded_value) else rounded_value


def _amount(value: Decimal) -> int | float:
    """A whole amount as a whole number ("2000", not "2000,0"), else with its decimals."""
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass
class _PledgeGroup:
    unit: str  # as the first pledge wrote it: one in a partnership the person may read, as every pledge counted
    count: int = 0
    by_sector: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))


def pledges_sheet(portfolio: Portfolio) -> Sheet:
    """Pledged resources across the co-creation partnerships, by kind and sector: amounts added up per unit, one
    row per kind and unit. Pledges that give no amount ("our network") are counted instead, on a row of their
    own, so that they never show as amounts of 0."""
    groups: dict[tuple[str, bool, str], _PledgeGroup] = {}
    for kind, sector, quantity, unit in (
        Pledge.objects.standing()
        .filter(partnership__in=_ids(portfolio.co_creation))
        .order_by("pk")
        .values_list("kind", "actor__sector", "quantity", "unit")
    ):
        counted = quantity is None
        group = groups.setdefault((kind, counted, "" if counted else same_unit(unit)), _PledgeGroup(unit.strip()))
        group.count += 1
        group.by_sector[sector] += Decimal(1) if quantity is None else quantity
    kinds = list(ResourceKind.values)
    rows = []
    for (kind, counted, _unit), group in sorted(groups.items(), key=lambda kv: (kinds.index(kv[0][0]), *kv[0][1:])):
        shown_unit = _("pledges (no amount given)") if counted else (group.unit or None)
        rows.append(
            [
                str(ResourceKind(kind).label),
                group.count,
                *[_amount(group.by_sector.get(sector, Decimal(0))) for sector in Sector.values],
                _amount(sum(group.by_sector.values(), Decimal(0))),
                shown_unit,
            ]
        )
    # A row holds a count of pledges and amounts in the row's unit: each column says which it is.
    headers = [
        _("Kind"),
        _("Number of pledges"),
        *[_("Amount pledged: %(sector)s") % {"sector": label} for label in Sector.labels],
        _("Total amount pledged"),
        _("Unit of the amounts"),
    ]
    return Sheet(_("Pledged resources combined"), headers, rows)


METRIC_LABELS = {
    "agenda_items": gettext_lazy("Agenda items raised"),
    "proposals": gettext_lazy("Proposals made"),
    "decisions": gettext_lazy("Decisions initiated"),
    "objections": gettext_lazy("Objections raised"),
    "actions_owned": gettext_lazy("Actions owned"),
    "pledges": gettext_lazy("Resources pledged"),
    "meetings_attended": gettext_lazy("Meetings attended"),
}


def month_label(month: str) -> str:
    """A month of `initiative_over_time` ("2026-03") as the active language names it: "marts 2026"."""
    year, number = month.split("-")
    return date_format(date(int(year), int(number), 1), "YEAR_MONTH_FORMAT")


def quarter_label(quarter: str) -> str:
    """A quarter of `network.new_ties_per_quarter` ("2026-Q1") as people read it: "1. kvartal 2026" in Danish. The
    API keeps the machine form."""
    year, number = quarter.split("-Q")
    return _("Q%(quarter)s %(year)s") % {"quarter": number, "year": year}


def power_context(partnerships: list[Partnership]) -> dict[str, Any]:
    """The power balance of some partnerships, as the power-balance pages and the dashboard show it."""
    return _power_context(events_for(partnerships), member_sectors(partnerships))


def _power_context(events: list[Event], sectors: list[str]) -> dict[str, Any]:
    """A metric with nothing counted has no shares (None, shown as "—"): 0 % for every sector would say that
    every sector stayed away, where there was nothing to take part in."""
    balance = power_balance(events, sectors)
    labels = dict(Sector.choices)
    rows = []
    for m in METRICS:
        total = sum(balance.counts[m].values())
        shares = [round(100 * balance.shares[m][s]) for s in SECTORS] if total else [None] * len(SECTORS)
        rows.append({"metric": str(METRIC_LABELS[m]), "shares": shares, "total": total})
    series = [(month_label(month), shares, total) for month, shares, total in initiative_over_time(events)]
    chart = line_chart(
        [month for month, _s, _t in series],
        [(str(labels[s]), [shares[s] for _m, shares, _t in series]) for s in SECTORS],
        title=_("Share of the initiative by sector over time"),
        description=_("Cumulative share of agenda items, proposals and decisions by sector, month by month."),
    )
    return {
        "balance": balance,
        "rows": rows,
        "sector_labels": [labels[s] for s in SECTORS],
        "series": [(month, [round(100 * shares[s]) for s in SECTORS], total) for month, shares, total in series],
        "chart": chart,
        "municipality_share": None if balance.municipality_share is None else round(100 * balance.municipality_share),
        "fair_share": None if balance.fair_share is None else round(100 * balance.fair_share),
        "evenness": None if balance.evenness is None else _tidy(balance.evenness, 2),
    }


def power_sheet(portfolio: Portfolio) -> Sheet:
    context = portfolio.power
    headers = [_("Activity"), *[str(label) for label in context["sector_labels"]], _("Count")]
    rows = [[row["metric"], *row["shares"], row["total"]] for row in context["rows"]]
    return Sheet(_("Power balance: share by sector (%)"), headers, rows)


def power_over_time_sheet(portfolio: Portfolio) -> Sheet:
    context = portfolio.power
    headers = [_("Month"), *[str(label) for label in context["sector_labels"]], _("Initiatives so far")]
    rows = [[month, *shares, total] for month, shares, total in context["series"]]
    return Sheet(_("Cumulative share of the initiative by sector (%)"), headers, rows)


# --- survey indices ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyPanel:
    survey: Survey
    results: SafeResults
    sheet: Sheet
    chart: SafeString
    reading: str  # how to read the scores: their range, and which end is which (`scale_reading`)


def survey_panels(portfolio: Portfolio) -> list[SurveyPanel]:
    """Each visible survey's safe results for everyone, round by round, as a chart with its table."""
    panels = []
    for survey in portfolio.surveys:
        results = safe_results(survey)
        groups = results.groups_for("")
        if not groups:
            continue
        panels.append(
            SurveyPanel(
                survey,
                results,
                _survey_sheet([(survey, results)]),
                _survey_chart(survey, results, groups),
                scale_reading(survey, results),
            )
        )
    return panels


def scale_reading(survey: Survey, results: SafeResults) -> str:
    """How to read a survey's scores, from what its instrument defines: the range of each scale's scoring, and the
    direction. Every scale is scored the same way round (`surveys.scoring`): the highest answer to a question counts
    most, and a question the instrument marks as asked the other way round (`Item.reversed`) is turned first, so a
    higher score always means more of what the scale measures."""
    ranges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for scale in results.scales:
        ranges[(number_format(_tidy(scale.y_min)), number_format(_tidy(scale.y_max)))].append(scale.name)
    if len(ranges) == 1:
        ((low, high),) = ranges
        parts = [_("Scores run from %(low)s to %(high)s.") % {"low": low, "high": high}]
    else:
        parts = [
            _("%(scales)s: scores from %(low)s to %(high)s.") % {"scales": ", ".join(names), "low": low, "high": high}
            for (low, high), names in ranges.items()
        ]
    parts.append(
        _(
            "On every scale a higher score means more of what the scale measures, such as more trust, more fairness "
            "or more influence."
        )
    )
    instrument = survey.instrument
    if any(item.reversed for scale in results.scales for item in instrument.items_of(scale.id)):
        parts.append(_("Questions asked the other way round are turned before they count, so this holds for them too."))
    return " ".join(parts)


def _survey_sheet(items: Sequence[tuple[Survey, SafeResults]]) -> Sheet:
    headers = [
        _("Survey"),
        _("Scale"),
        _("Round"),
        _("Closed"),
        _("Respondents"),
        _("Mean"),
        _("95 % CI low"),
        _("95 % CI high"),
        _("Note"),
    ]
    rows = []
    for survey, results in items:
        for scale in results.scales:
            for group in results.groups_for(""):
                cell = scale.cells[group.key]
                rows.append(
                    [
                        survey.title,
                        scale.name,
                        group.wave_label,
                        timezone.localdate(group.closes_at),
                        cell.n if not cell.hidden else None,
                        rounded(cell.mean, 1),
                        rounded(cell.ci_low, 1),
                        rounded(cell.ci_high, 1),
                        cell.hidden,
                    ]
                )
    return Sheet(_("Survey indices over time"), headers, rows)


def surveys_sheet(portfolio: Portfolio) -> Sheet:
    return _survey_sheet([(survey, safe_results(survey)) for survey in portfolio.surveys])


def _survey_chart(survey: Survey, results: SafeResults, groups: Sequence[Any]) -> SafeString:
    by_range: dict[tuple[float, float], list] = defaultdict(list)
    for scale in results.scales:
        by_range[(scale.y_min, scale.y_max)].append(scale)
    (y_min, y_max), scales = max(by_range.items(), key=lambda kv: len(kv[1]))
    series = [
        (scale.name, [(c.mean, c.ci_low, c.ci_high) for g in groups for c in [scale.cells[g.key]]]) for scale in scales
    ]
    return ci_chart(
        [g.wave_label for g in groups],
        series,
        title=_("%(survey)s: average per round with 95 %% confidence intervals") % {"survey": survey.title},
        description=_(
            "Each scale's average per round; the whiskers show the 95 percent confidence interval. "
            "Hidden rounds have no point. The table below has the same numbers."
        ),
        y_min=y_min,
        y_max=y_max,
    )


# --- the collaboration network ----------------------------------------------------------------------------


def _day(moment: Any) -> date:
    return timezone.localdate(moment) if hasattr(moment, "tzinfo") and moment.tzinfo else moment


def network_ties(partnerships: Iterable[Partnership]) -> tuple[dict[int, tuple[str, str]], list[network.Tie]]:
    """Actors (id -> (name, sector)) and dated, weighted ties from shared partnerships, actions and pledges."""
    ids = _ids(partnerships)
    ties: list[network.Tie] = []
    # Who was a member when: the members now since they joined, and those who left while they were members. Two
    # actors are tied by a partnership once they were members at the same time; a tie made stays when one leaves.
    by_partnership: dict[int, list[tuple[int, Any, Any]]] = defaultdict(list)
    for partnership_id, actor_id, joined in PartnershipMember.objects.filter(partnership__in=ids).values_list(
        "partnership_id", "actor_id", "joined_at"
    ):
        by_partnership[partnership_id].append((actor_id, joined, None))
    for partnership_id, actor_id, joined, left in MemberDeparture.objects.filter(partnership__in=ids).values_list(
        "partnership_id", "actor_id", "joined_at", "left_at"
    ):
        by_partnership[partnership_id].append((actor_id, joined, left))
    for members in by_partnership.values():
        together: dict[tuple[int, int], Any] = {}
        for (a, joined_a, left_a), (b, joined_b, left_b) in combinations(sorted(members, key=lambda m: m[0]), 2):
            since = max(joined_a, joined_b)
            if a == b or any(left is not None and left <= since for left in (left_a, left_b)):
                continue  # the same actor again (it left and came back), or never members at the same time
            if (a, b) not in together or since < together[(a, b)]:
                together[(a, b)] = since
        for (a, b), since in together.items():
            ties.append(network.Tie(a, b, "partnership", TIE_WEIGHTS["partnership"], _day(since)))

    owners: dict[int, list[int]] = defaultdict(list)
    created: dict[int, Any] = {}
    for action_id, actor_id, at in Action.owners.through.objects.filter(action__partnership__in=ids).values_list(
        "action_id", "actor_id", "action__created_at"
    ):
        owners[action_id].append(actor_id)
        created[action_id] = at
    for action_id, actors in owners.items():
        for a, b in combinations(sorted(set(actors)), 2):
            ties.append(network.Tie(a, b, "action", TIE_WEIGHTS["action"], _day(created[action_id])))

    pooled: dict[int, list[tuple[int, Any]]] = defaultdict(list)
    for partnership_id, actor_id, action_id, at in (
        Pledge.objects.standing()
        .filter(partnership__in=ids)
        .values_list("partnership_id", "actor_id", "action_id", "created_at")
    ):
        if action_id is not None:  # a pledge to an action ties the pledger to its owners
            ties += [
                network.Tie(actor_id, owner, "pledge", TIE_WEIGHTS["pledge"], _day(at))
                for owner in owners.get(action_id, [])
            ]
        else:  # pledges to the partnership as a whole pool resources with its other pledgers
            ties += [
                network.Tie(actor_id, other, "pledge", TIE_WEIGHTS["pledge"], _day(max(at, other_at)))
                for other, other_at in pooled[partnership_id]
            ]
            pooled[partnership_id].append((actor_id, at))

    involved: set[Any] = {m for members in by_partnership.values() for m, _j, _l in members}
    involved |= {t.a for t in ties} | {t.b for t in ties}
    rows = Actor.objects.filter(pk__in=involved).values_list("pk", "name", "sector")
    return {pk: (name, sector) for pk, name, sector in rows}, ties


@dataclass(frozen=True)
class NetworkPanel:
    graph: nx.Graph
    names: dict[Hashable, str]
    summary: network.TieSummary

    @cached_property
    def broker(self) -> network.Brokerage:
        """Betweenness, the costly measure: computed only for what shows it (the network page, its table)."""
        return network.brokerage(self.graph)

    @cached_property
    def table(self) -> list[network.ActorRow]:
        """Every actor, the most central first."""
        return network.network_table(self.graph, self.broker)

    @cached_property
    def quarters(self) -> list[network.QuarterCount]:
        return network.new_ties_per_quarter(self.graph, until=timezone.localdate())

    @cached_property
    def actors_sheet(self) -> Sheet:
        labels = dict(Sector.choices)
        rows = [
            [
                self.names.get(r.actor, str(r.actor)),
                str(labels.get(r.sector, r.sector)),
                r.ties,
                r.bridging_ties,
                _tidy(r.weight),
                _tidy(100 * r.brokerage),
            ]
            for r in self.table
        ]
        headers = [
            _("Actor"),
            _("Sector"),
            _("Actors tied to"),
            _("Of which in another sector"),
            _("Joint work (points)"),
            _("Go-between for others (%)"),
        ]
        return Sheet(_("Actors in the collaboration network"), headers, rows)

    @cached_property
    def ties_sheet(self) -> Sheet:
        labels = dict(Sector.choices)
        rows = [
            [
                str(labels.get(a, a)),
                str(labels.get(b, b)),
                _("bridging") if a != b else _("bonding"),
                pairs,
                _tidy(weight),
            ]
            for (a, b), (pairs, weight) in self.summary.by_sectors.items()
        ]
        headers = [
            _("Sector of one actor"),
            _("Sector of the other actor"),
            _("Kind of tie"),
            _("Pairs of actors"),
            _("Joint work (points)"),
        ]
        return Sheet(_("Bridging and bonding ties by sector"), headers, rows)

    @cached_property
    def quarters_sheet(self) -> Sheet:
        rows = [[quarter_label(q.quarter), q.bridging, q.bonding, q.total] for q in self.quarters]
        headers = [_("Quarter"), _("New bridging ties"), _("New bonding ties"), _("New ties in all")]
        return Sheet(_("New ties per quarter"), headers, rows)

    def svg(self) -> SafeString:
        description = _(
            "Each mark is an actor, shaped and coloured by sector; lines are ties from shared partnerships, "
            "actions and pledges, thicker the more they do together. Solid lines bridge two sectors, dashed lines "
            "stay within one. The most central actors are named; the table below lists every actor."
        )
        svg = network.network_svg(
            self.graph,
            title=_("The collaboration network"),
            description=description,
            sector_labels={k: str(v) for k, v in Sector.choices},
            node_labels=self.names,
            labelled=[row.actor for row in self.table],
        )
        return mark_safe(svg)  # network_svg escapes every text it writes

    def quarters_chart(self) -> SafeString:
        top = max((max(q.bridging, q.bonding) for q in self.quarters), default=0)
        return line_chart(
            [quarter_label(q.quarter) for q in self.quarters],
            [
                (_("Bridging"), [q.bridging for q in self.quarters]),
                (_("Bonding"), [q.bonding for q in self.quarters]),
            ],
            title=_("New ties per quarter"),
            description=_("Pairs of actors working together for the first time, per quarter, bridging and bonding."),
            y_max=max(top, 1),
            percent=False,
            whole=True,
        )

    @property
    def bridging_share(self) -> int | None:
        share = self.summary.bridging_share
        return None if share != share else round(100 * share)  # NaN without ties


def network_panel(partnerships: Iterable[Partnership]) -> NetworkPanel:
    actors, ties = network_ties(partnerships)
    graph = network.build_graph([network.Actor(pk, sector) for pk, (_n, sector) in actors.items()], ties)
    return NetworkPanel(
        graph=graph,
        names={pk: name for pk, (name, _s) in actors.items()},
        summary=network.tie_summary(graph),
    )


# --- every aggregate by name, for the downloads and the API -----------------------------------------------

SHEETS: dict[str, Callable[[Portfolio], Sheet]] = {
    "partnerskaber": partnerships_sheet,
    "faser": phases_sheet,
    "sektorer": sectors_sheet,
    "tilsagn": pledges_sheet,
    "magtbalance": power_sheet,
    "magtbalance-over-tid": power_over_time_sheet,
    "maalinger": surveys_sheet,
    "netvaerk-aktoerer": lambda p: p.network.actors_sheet,
    "netvaerk-baand": lambda p: p.network.ties_sheet,
    "netvaerk-kvartaler": lambda p: p.network.quarters_sheet,
}
