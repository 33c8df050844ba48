"""The demo partnerships' shared work: an opinion map with real structure, an agenda, consent decisions,
an action plan with pledges, and a meeting. Idempotent: each part is skipped when it already exists.

The work is dated over the months since the partnership started (`backdate_work`), so the power balance over
time and the network's new ties have a history to show."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from samskab.actors.models import Actor, Sector
from samskab.opinions import services as opinions
from samskab.opinions.models import Conversation, Participant
from samskab.partnerships import services
from samskab.partnerships.models import (
    Action,
    AgendaItem,
    Decision,
    Lesson,
    Partnership,
    Pledge,
    Proposal,
    ProposalVersion,
    Response,
)

QUESTION = "Hvad er egentlig problemet med de unge på hjørnet?"

# (statement, how each opinion group tends to vote: agree probability for group A, group B)
STATEMENTS: list[tuple[str, float, float]] = [
    ("De unge mangler steder at være om aftenen, hvor de er velkomne.", 0.9, 0.8),
    ("De unge mangler voksne, de stoler på.", 0.85, 0.85),
    ("Problemet er mest, at de ældre føler sig utrygge, når de går forbi.", 0.2, 0.9),
    ("Politiet bør komme oftere forbi torvet om aftenen.", 0.1, 0.8),
    ("Hallen burde være åben fredag aften med en træner til stede.", 0.9, 0.6),
    ("Det er forældrenes ansvar, ikke kommunens.", 0.15, 0.7),
    ("De unge vil gerne have fritidsjob, men får ingen svar.", 0.85, 0.55),
    ("Støjen om natten er det største problem for beboerne.", 0.2, 0.85),
    ("De unge skal selv være med til at bestemme, hvad der skal ske.", 0.9, 0.5),
    ("Der mangler lys og bænke på stien bag skolen.", 0.6, 0.65),
    ("Foreningerne kunne gøre mere for de unge, der ikke er medlemmer.", 0.75, 0.6),
    ("Butikken burde lukke tidligere om aftenen.", 0.1, 0.6),
]
# Few have walked the path behind the school after dark: many pass on it ("don't know").
UNSURE = {"Der mangler lys og bænke på stien bag skolen.": 0.4}
SECTORS = [Sector.CITIZEN] * 18 + [Sector.ASSOCIATION] * 8 + [Sector.MUNICIPALITY] * 8 + [Sector.BUSINESS] * 6


def _admin(actor: Actor) -> Any:
    membership = actor.memberships.filter(role="admin").select_related("user").first()
    assert membership is not None, f"the demo actor {actor} has an administrator"
    return membership.user


def load_conversation(partnership: Partnership, facilitator: Actor) -> Conversation:
    conversation = partnership.conversations.filter(question=QUESTION).first()
    if conversation is not None:
        return conversation
    conversation = opinions.start_conversation(
        user=_admin(facilitator),
        actor=facilitator,
        partnership=partnership,
        question=QUESTION,
        description="Skriv korte udsagn om, hvad du ser som problemet, og tag stilling til de andres.",
        seed_statements=[text for text, _a, _b in STATEMENTS],
        allow_anonymous=True,
    )
    statements = list(conversation.statements.order_by("pk"))
    rng = random.Random(7)
    participants = []
    for member in partnership.members.select_related("actor"):
        participants.append(
            opinions.participant_for_member(user=_admin(member.actor), conversation=conversation, actor=member.actor)
        )
    for n, sector in enumerate(SECTORS):
        participants.append(
            opinions.participant_for_cookie(conversation=conversation, cookie_key=f"demo-{n}", sector=sector)
        )
    for participant in participants:
        # Citizens and associations lean to group A, municipal staff and businesses to group B, not strictly.
        lean_a = 0.75 if participant.sector in (Sector.CITIZEN, Sector.ASSOCIATION) else 0.3
        in_a = rng.random() < lean_a
        for statement, (text, p_a, p_b) in zip(statements, STATEMENTS, strict=True):
            if rng.random() < 0.12:
                continue
            p = p_a if in_a else p_b
            roll = rng.random()
            if text in UNSURE:
                unsure = UNSURE[text]
                value = 0 if roll < unsure else (1 if roll < unsure + (1 - unsure) * p else -1)
            else:
                value = 1 if roll < p else (0 if roll < p + 0.08 else -1)
            opinions.record_vote(statement=statement, participant=participant, value=value)
    citizen = Participant.objects.filter(conversation=conversation, sector=Sector.CITIZEN, user__isnull=True).first()
    assert citizen is not None, "the cookie participants above include citizens"
    opinions.add_statement(
        participant=citizen, text="Bussen holder op med at køre kl. 22, så de unge kan ikke komme hjem."
    )
    opinions.compute_map(conversation)
    return conversation


def load_shared_work(partnership: Partnership, actors: dict[str, Actor]) -> None:
    if partnership.agenda_items.exists():
        return
    members = [m.actor for m in partnership.members.select_related("actor")]
    by_sector = {a.sector: a for a in members}
    citizen = by_sector.get(Sector.CITIZEN, members[0])
    association = by_sector.get(Sector.ASSOCIATION, members[0])
    business = by_sector.get(Sector.BUSINESS, members[0])
    municipal = by_sector.get(Sector.MUNICIPALITY, members[0])
    items = [
        (citizen, "Fredagsåben hal for de unge", "Kan vi prøve det i tre måneder?"),
        (business, "Fritidsjob i butikkerne", "Flere butikker vil gerne tage unge ind."),
        (association, "Lys på stien bag skolen", ""),
    ]
    created = []
    for actor, title, description in items:
        created.append(
            services.add_agenda_item(
                user=_admin(actor), partnership=partnership, by_actor=actor, title=title, description=description
            )
        )
    for actor, points in ((citizen, {created[0].pk: 3, created[2].pk: 2}), (business, {created[1].pk: 5})):
        services.set_priorities(user=_admin(actor), partnership=partnership, actor=actor, points=points)
    start = timezone.localtime().replace(hour=17, minute=0, second=0, microsecond=0) + timedelta(days=7)
    services.schedule_meeting(
        user=_admin(municipal),
        partnership=partnership,
        by_actor=municipal,
        title="Partnerskabsmøde i klubhuset",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="Nørreby Boldklubs klubhus",
        items=created[1:],  # the item the decision below deals with is not on it
    )
    passed = services.propose(
        user=_admin(association),
        partnership=partnership,
        by_actor=association,
        title="Fredagsåben hal i tre måneder",
        text="Hallen holder åbent fredag kl. 19–23 i tre måneder med to trænere og en voksen fra beboerforeningen.",
        deadline=timezone.now() + timedelta(days=2),
        agenda_item=created[0],
    )
    services.respond_to_proposal(user=_admin(citizen), proposal=passed, actor=citizen, version_number=1, kind="consent")
    services.respond_to_proposal(
        user=_admin(business),
        proposal=passed,
        actor=business,
        version_number=1,
        kind="concern",
        reason="Husk at aftale, hvem der låser af.",
    )
    Proposal.objects.filter(pk=passed.pk).update(deadline=timezone.now() - timedelta(days=2))
    services.settle_due_proposals(partnership=partnership)
    friday = Decision.objects.get(proposal=passed)
    open_proposal = services.propose(
        user=_admin(business),
        partnership=partnership,
        by_actor=business,
        title="Ti fritidsjob i Nørreby",
        text="Butikkerne i Nørreby tilbyder ti fritidsjob til unge fra kvarteret fra 1. marts.",
        deadline=timezone.now() + timedelta(days=10),
    )
    services.respond_to_proposal(
        user=_admin(municipal),
        proposal=open_proposal,
        actor=municipal,
        version_number=1,
        kind="objection",
        reason="Jobcentret skal med, så de unge også får hjælp til ansøgningen.",
    )
    volunteers = services.create_action(
        user=_admin(association),
        partnership=partnership,
        by_actor=association,
        title="Find frivillige voksne til fredagene",
        owners=[association, citizen],
        deadline=(timezone.localdate() + timedelta(days=21)),
        decision=friday,
    )
    keys = services.create_action(
        user=_admin(municipal),
        partnership=partnership,
        by_actor=municipal,
        title="Aftal nøgler og rengøring med Kultur og Fritid",
        owners=[municipal],
        decision=friday,
    )
    pledges = []
    for actor in (association, business):
        resource = actor.resources.first()
        if resource is not None:
            pledges.append(
                services.pledge(
                    user=_admin(actor), partnership=partnership, actor=actor, kind="", description="", resource=resource
                )
            )
    hours = services.pledge(
        user=_admin(citizen),
        partnership=partnership,
        actor=citizen,
        kind="volunteer_hours",
        description="To timer hver fredag",
        quantity=Decimal(2),
        unit="timer om ugen",
    )
    pledges.append(hours)
    services.add_need(
        user=_admin(municipal),
        partnership=partnership,
        by_actor=municipal,
        kind="volunteer_hours",
        amount=Decimal(8),
        unit="timer om ugen",
    )
    services.add_need(
        user=_admin(municipal), partnership=partnership, by_actor=municipal, kind="jobs", amount=Decimal(10), unit="job"
    )
    backdate_work(created, passed, open_proposal, [volunteers, keys], pledges)


def backdate_work(
    items: list[AgendaItem], passed: Proposal, open_proposal: Proposal, actions: list[Action], pledges: list[Pledge]
) -> None:
    """Spread the work just created over the past months, in the order it happened: agenda items from about eight
    months ago, the passed proposal and its decision about four months ago, the actions and pledges since, and the
    open proposal and its objection in the last weeks (its deadline is still ahead); the item the decision dealt
    with is dated with it. Only timestamps change."""
    now = timezone.now()

    def ago(days: int) -> Any:
        return now - timedelta(days=days)

    for item, days in zip(items, (250, 200, 170), strict=True):
        AgendaItem.objects.filter(pk=item.pk).update(created_at=ago(days))
    Proposal.objects.filter(pk=passed.pk).update(created_at=ago(140), deadline=ago(126), closed_at=ago(126))
    ProposalVersion.objects.filter(proposal=passed).update(created_at=ago(140))
    Response.objects.filter(version__proposal=passed).update(responded_at=ago(132))
    Decision.objects.filter(proposal=passed).update(decided_at=ago(126))
    # The decision dealt with the agenda item it was about, that same day.
    AgendaItem.objects.filter(proposals=passed, status=AgendaItem.Status.DONE).update(status_changed_at=ago(126))
    Proposal.objects.filter(pk=open_proposal.pk).update(created_at=ago(20))
    ProposalVersion.objects.filter(proposal=open_proposal).update(created_at=ago(20))
    Response.objects.filter(version__proposal=open_proposal).update(responded_at=ago(15))
    for action, days in zip(actions, (110, 60), strict=True):
        Action.objects.filter(pk=action.pk).update(created_at=ago(days))
    for pledge, days in zip(pledges, (150, 90, 45)[-len(pledges) :], strict=True):
        Pledge.objects.filter(pk=pledge.pk).update(created_at=ago(days))


# What the members learned from the three months of Friday evenings in the hall (the decision passed about four
# months ago): the partnership is not in the learn phase yet, but lessons are written down in any phase.
LESSONS: list[tuple[str, str, str]] = [
    (
        Sector.ASSOCIATION,
        "worked",
        "Fredagsåben hal virkede, fordi de unge selv var med til at bestemme, hvad der skulle ske. Der kom 25–30 unge "
        "hver fredag, også nogle, der aldrig har været medlem af en forening.",
    ),
    (
        Sector.MUNICIPALITY,
        "did_not_work",
        "Det tog for lang tid at få nøgler og rengøring på plads med Kultur og Fritid. De første tre fredage stod "
        "trænerne og ventede ved døren.",
    ),
    (
        Sector.CITIZEN,
        "next_time",
        "Næste gang spørger vi de unge først, før vi holder møder om dem. Og vi aftaler fra starten, hvem der "
        "låser af.",
    ),
]


def load_lessons(partnership: Partnership) -> None:
    """Three lessons from the Friday evenings, one from each of three sectors, written in the last weeks."""
    if partnership.lessons.exists():
        return
    members = [m.actor for m in partnership.members.select_related("actor")]
    by_sector = {a.sector: a for a in members}
    now = timezone.now()
    for days, (sector, kind, text) in zip((21, 14, 6), LESSONS, strict=True):
        actor = by_sector.get(sector, members[0])
        lesson = services.add_lesson(user=_admin(actor), partnership=partnership, actor=actor, kind=kind, text=text)
        Lesson.objects.filter(pk=lesson.pk).update(created_at=now - timedelta(days=days))


# Anne's proposal in the employee involvement: each teacher answers for themselves.
INVOLVEMENT_PROPOSAL = (
    "Praksisfag i blokke på tre uger",
    "Udskolingen samler den praksisfaglige undervisning i blokke på tre uger, to gange om året, i stedet for to "
    "timer om ugen. Faglærerne planlægger blokkene sammen.",
)
INVOLVEMENT_RESPONSES = [
    ("camilla.soerensen@egeaa.demo", "consent", ""),
    ("thomas.bech@egeaa.demo", "concern", "Husk at sætte tid af til, at faglærerne kan planlægge sammen."),
    ("louise.vinther@egeaa.demo", "objection", "Vi har ikke lokaler til værkstedsfag til en hel årgang ad gangen."),
]


def load_involvement(process: Partnership) -> None:
    """An open proposal in the school's involvement of its staff, with the teachers' own responses."""
    if process.proposals.exists():
        return
    school = process.members.select_related("actor").get().actor
    title, text = INVOLVEMENT_PROPOSAL
    proposal = services.propose(
        user=_admin(school),
        partnership=process,
        by_actor=school,
        title=title,
        text=text,
        deadline=timezone.now() + timedelta(days=6),
    )
    for email, kind, reason in INVOLVEMENT_RESPONSES:
        teacher = school.memberships.select_related("user").get(user__email=email).user
        services.respond_to_proposal(
            user=teacher, proposal=proposal, actor=school, version_number=1, kind=kind, reason=reason
        )


def load(partnerships: dict[str, Partnership], actors: dict[str, Actor]) -> None:
    street = next(
        (p for p in partnerships.values() if p.kind == Partnership.Kind.CO_CREATION and "unge" in p.title.lower()), None
    )
    involvement = next((p for p in partnerships.values() if p.voices_are_people), None)
    if involvement is not None:
        load_involvement(involvement)
    if street is None:
        return
    facilitator_member = street.members.filter(role="facilitator").select_related("actor").first()
    assert facilitator_member is not None, "the demo partnerships have a facilitator"
    facilitator = facilitator_member.actor
    load_conversation(street, facilitator)
    load_shared_work(street, actors)
    load_lessons(street)
