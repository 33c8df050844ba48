"""The demo loader: `manage.py load_demo` builds the fictional municipality Egeå and is safe to run again."""

from datetime import timedelta
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from samskab.actors.models import (
    Actor,
    ActorInvitation,
    Membership,
    MunicipalAdministrator,
    Need,
    Resource,
    Sector,
)
from samskab.demo import data as demo_data
from samskab.insights import dashboard
from samskab.insights.events import events_for
from samskab.insights.power import initiative_over_time
from samskab.opinions.models import Conversation
from samskab.partnerships.models import (
    Challenge,
    Decision,
    Partnership,
    PartnershipInvitation,
    PartnershipMember,
    Phase,
    PhaseChange,
    Proposal,
)

User = get_user_model()
PASSWORD = "samskab-demo"
CODE = "0999"


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, int]:
    models = [
        Actor,
        User,
        Membership,
        ActorInvitation,
        Resource,
        Need,
        Challenge,
        Partnership,
        PartnershipMember,
        PartnershipInvitation,
        PhaseChange,
        EmailAddress,
        MunicipalAdministrator,
    ]
    return {model.__name__: model._default_manager.count() for model in models}


def actor(key: str) -> Actor:
    return Actor.objects.get(municipality_id=CODE, external_id=f"demo-{key}")


def member_keys(partnership: Partnership) -> set[str]:
    return {m.actor.external_id.removeprefix("demo-") for m in partnership.members.select_related("actor")}


@pytest.fixture
def demo() -> str:
    return load_demo()


@pytest.mark.django_db
def test_loading_twice_changes_nothing() -> None:
    first_output = load_demo()
    first = snapshot()
    second_output = load_demo()
    assert snapshot() == first
    assert "Nyt i denne kørsel" in first_output
    assert "Intet nyt" in second_output
    assert first["Partnership"] >= 3


@pytest.mark.django_db
def test_output_lists_the_persona_logins(demo: str) -> None:
    for persona in demo_data.PERSONAS:
        assert persona["email"] in demo
    assert PASSWORD in demo
    assert "Egeå" in demo


@pytest.mark.django_db
def test_municipality_and_actors(demo: str) -> None:
    actors = Actor.objects.filter(municipality_id=CODE)
    assert actors.get(external_id="demo-center").municipality.name == "Egeå"
    assert actors.count() >= 40
    assert set(actors.values_list("sector", flat=True)) == set(Sector.values)
    for a in actors.prefetch_related("themes"):
        assert a.description
        assert 1 <= a.themes.count() <= 3
        assert a.latitude is not None and 55.3 < a.latitude < 55.5
        assert a.longitude is not None and 10.3 < a.longitude < 10.5
        assert set(a.public_fields) <= set(Actor.PublicField.values)
        from_the_register = a.external_id in {f"demo-{item['key']}" for item in demo_data.FROM_THE_REGISTER}
        # Those the register import made wait for someone to take them over; every other has an administrator.
        assert a.memberships.filter(role=Membership.Role.ADMIN).exists() != from_the_register
    assert Resource.objects.filter(actor__municipality_id=CODE).count() >= 40
    assert Need.objects.filter(actor__municipality_id=CODE).exists()
    assert len(set(actors.values_list("neighbourhood", flat=True))) >= 5
    assert User.objects.count() < 60


@pytest.mark.django_db
def test_personas_have_their_roles(demo: str) -> None:
    def admins(key: str) -> set[str]:
        return set(actor(key).memberships.filter(role=Membership.Role.ADMIN).values_list("user__email", flat=True))

    mette = User.objects.get(email="mette@egeaa.demo")
    assert MunicipalAdministrator.objects.filter(user=mette, municipality_id=CODE).exists()
    assert admins("center") == {"mette@egeaa.demo"}
    assert admins("direktion") == {"karin@egeaa.demo"}
    assert admins("noerreby-boldklub") == {"lars@egeaa.demo"}
    assert admins("sofie-andersen") == {"sofie@egeaa.demo"}
    assert admins("koebmand-jensen") == {"jens@egeaa.demo"}
    assert admins("noerreby-skole") == {"anne@egeaa.demo"}
    school = actor("noerreby-skole")
    assert school.memberships.get(user__email="omar@egeaa.demo").role == Membership.Role.MEMBER
    # The teachers take part in the school's own process, not for the school in its partnerships.
    assert school.memberships.filter(role=Membership.Role.COLLEAGUE).count() >= 4
    # Mette set the municipal units up but handed them over; she is not a member of the school.
    assert not school.has_member(mette)
    assert actor("sofie-andersen").sector == Sector.CITIZEN
    assert actor("koebmand-jensen").sector == Sector.BUSINESS


@pytest.mark.django_db
def test_partnerships(demo: str) -> None:
    streets = Partnership.objects.get(title="Fællesskaber for unge i Nørreby")
    assert streets.kind == Partnership.Kind.CO_CREATION
    assert streets.visibility == Partnership.Visibility.PUBLIC
    assert streets.challenge is not None
    assert streets.challenge.raised_by == actor("sofie-andersen")
    assert streets.challenge.status == Challenge.Status.IN_PARTNERSHIP
    assert streets.members.get(actor=actor("center")).role == PartnershipMember.Role.FACILITATOR
    assert {
        "center",
        "noerreby-boldklub",
        "beboerforeningen-skovparken",
        "noerreby-skole",
        "koebmand-jensen",
    } <= member_keys(streets)
    assert streets.invitations.pending().count() == 1

    loneliness = Partnership.objects.get(title="Færre ensomme ældre i Østerby")
    assert loneliness.kind == Partnership.Kind.CO_CREATION
    assert loneliness.phase == Phase.CONTRIBUTORS
    assert loneliness.phase_changes.filter(from_phase=Phase.DEFINE, to_phase=Phase.CONTRIBUTORS).exists()
    assert member_keys(loneliness) != member_keys(streets)
    assert {"solgaarden", "seniorforeningen-oesterby"} <= member_keys(loneliness)
    # Lars's club has an invitation waiting on his invitations page.
    lars = User.objects.get(email="lars@egeaa.demo")
    assert PartnershipInvitation.objects.pending().answerable_by(lars).filter(partnership=loneliness).exists()

    reform = Partnership.objects.get(kind=Partnership.Kind.EMPLOYEE_INVOLVEMENT)
    assert reform.visibility == Partnership.Visibility.MEMBERS
    assert reform.challenge is None  # internal: no public challenge
    assert member_keys(reform) == {"noerreby-skole"}
    # Anne's proposal waits for her staff, each answering for themselves.
    proposal = reform.proposals.get()
    assert proposal.status == proposal.Status.OPEN
    assert sorted(proposal.current_version().responses.values_list("kind", flat=True)) == [
        "concern",
        "consent",
        "objection",
    ]
    omar = User.objects.get(email="omar@egeaa.demo")
    assert reform.has_member_user(omar)
    assert reform not in Partnership.objects.visible_to(lars)

    open_challenges = Challenge.objects.filter(municipality_id=CODE, status=Challenge.Status.OPEN)
    assert open_challenges.count() >= 2
    assert not Partnership.objects.filter(challenge__in=open_challenges).exists()

    # Partners joined over the past months, so the dashboard's new ties fall in several quarters.
    joined = PartnershipMember.objects.values_list("joined_at", flat=True)
    assert len({(moment.year, (moment.month - 1) // 3) for moment in joined}) >= 3
    assert streets.members.order_by("joined_at").first().actor == actor("center")  # the founder came first


@pytest.mark.django_db
def test_personas_can_log_in(demo: str, client) -> None:
    assert client.login(username="mette@egeaa.demo", password=PASSWORD)
    client.logout()
    assert client.login(email="omar@egeaa.demo", password=PASSWORD)
    client.logout()
    assert not client.login(username="mette@egeaa.demo", password="wrong")
    for persona in demo_data.PERSONAS:
        address = EmailAddress.objects.get(email=persona["email"])
        assert address.verified and address.primary
        assert address.user.check_password(PASSWORD)


@pytest.mark.django_db
def test_the_demo_map_shows_what_people_are_unsure_of(demo: str, client) -> None:
    conversation = Conversation.objects.get(question="Hvad er egentlig problemet med de unge på hjørnet?")
    html = client.get(reverse("opinions:results", args=[conversation.pk])).content.decode()
    start = html.index("Her er mange i tvivl")
    unsure = html[start : html.index("<h2", start + 1)]
    assert "Der mangler lys og bænke på stien bag skolen." in unsure
    assert "De unge mangler voksne, de stoler på." not in unsure


@pytest.mark.django_db
def test_the_demo_work_has_a_history_for_the_charts(demo: str) -> None:
    # The street partnership started ten months ago; its agenda, proposals and decision are spread since then, so
    # Karin's "over time" chart has a line and not a single month.
    streets = Partnership.objects.get(title="Fællesskaber for unge i Nørreby")
    events = events_for([streets])
    assert all(event.at >= streets.created_at for event in events)
    months = initiative_over_time(events)
    assert len(months) >= 5 and months[-1][2] == 6  # three agenda items, two proposals, one decision
    decision = Decision.objects.get(partnership=streets)
    proposal = decision.proposal
    assert proposal is not None and proposal.created_at < proposal.deadline <= decision.decided_at
    assert decision.decided_at < timezone.now() - timedelta(days=60)
    assert Proposal.objects.get(partnership=streets, status=Proposal.Status.OPEN).deadline > timezone.now()
    # The network's new ties now fall over more quarters as well.
    karin = User.objects.get(email="karin@egeaa.demo")
    assert len(dashboard.portfolio_for(karin).network.quarters) >= 3
