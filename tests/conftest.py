"""Personas from the product brief, as fixtures.

The `partnership` fixture is a public co-creation partnership started by Fie's volunteer centre (so Fie's
actor is the facilitator) with one member from each sector: Mette's municipal unit, Lars's sports club,
Sofie herself as a citizen and Jens's grocery store. Nora's association is not a member.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import connection
from django.test import Client

from samskab.accounts.models import User
from samskab.actors import services as actor_services
from samskab.actors.models import Actor, Membership, MunicipalAdministrator, Municipality, Sector, Theme
from samskab.actors.reference import load_reference_data
from samskab.partnerships import services
from samskab.partnerships.models import Challenge, Partnership, PartnershipMember

PASSWORD = "en-god-adgangskode-42"


def pytest_configure(config: pytest.Config) -> None:
    # Production settings, less what needs TLS or collectstatic; a fast hasher for the many test users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    """Each test starts with an empty cache: allauth keeps its login and sign-up rate limits there, and one
    test's attempts must not count against another's."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def site_url(settings: Any) -> None:
    """Emails sent outside a request link to the site's public address, which a deployment must set (`check
    --deploy` refuses it empty) and the tests set as the test client's host."""
    settings.SITE_URL = "http://testserver"


@pytest.fixture(autouse=True)
def reference_data(request: pytest.FixtureRequest) -> None:
    """Municipalities and themes come from a data migration; a transactional test's flush removes them."""
    uses_db = {"db", "transactional_db"} & set(request.fixturenames) or request.node.get_closest_marker("django_db")
    if not uses_db:
        return
    request.getfixturevalue("_django_db_helper")
    if not Municipality.objects.exists():
        load_reference_data(Municipality, Theme)


@dataclass
class Persona:
    user: User
    actor: Actor | None

    def client(self) -> Client:
        client = Client()
        client.force_login(self.user)
        return client


def make_user(email: str, name: str) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, name=name)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def odense(db: None) -> Municipality:
    return Municipality.objects.get(code="0461")


def _persona(
    email: str, name: str, sector: str, actor_name: str, municipality: Municipality, **extra: object
) -> Persona:
    user = make_user(email, name)
    if sector == Sector.MUNICIPALITY:
        MunicipalAdministrator.objects.create(user=user, municipality=municipality)
    actor = actor_services.create_actor(
        user=user,
        sector=sector,
        name=actor_name,
        municipality=municipality,
        neighbourhood="Vollsmose",
        **extra,
    )
    return Persona(user, actor)


@pytest.fixture
def mette(odense: Municipality) -> Persona:
    return _persona("mette@kommune.dk", "Mette Holm", Sector.MUNICIPALITY, "Center for Samskabelse", odense)


@pytest.fixture
def lars(odense: Municipality) -> Persona:
    persona = _persona("lars@boldklub.dk", "Lars Vestergaard", Sector.ASSOCIATION, "Vollsmose Boldklub", odense)
    assert persona.actor is not None
    persona.actor.themes.set(Theme.objects.filter(slug__in=["idraet", "boern-unge"]))
    return persona


@pytest.fixture
def sofie(odense: Municipality) -> Persona:
    return _persona("sofie@example.dk", "Sofie Andersen", Sector.CITIZEN, "Sofie Andersen", odense)


@pytest.fixture
def jens(odense: Municipality) -> Persona:
    return _persona("jens@kobmand.dk", "Jens Madsen", Sector.BUSINESS, "Købmand Madsen", odense)


@pytest.fixture
def fie(odense: Municipality) -> Persona:
    return _persona("fie@frivillig.dk", "Fie Lund", Sector.ASSOCIATION, "Frivilligcenter Odense", odense)


@pytest.fixture
def nora(odense: Municipality) -> Persona:
    return _persona("nora@forening.dk", "Nora Berg", Sector.ASSOCIATION, "Haveforeningen Solsikken", odense)


@pytest.fixture
def challenge(sofie: Persona, odense: Municipality) -> Challenge:
    assert sofie.actor is not None
    return services.raise_challenge(
        user=sofie.user,
        actor=sofie.actor,
        title="Unge på hjørnet ved Vollsmose Torv",
        description="Hver aften samles en gruppe unge ved torvet.",
        municipality=odense,
        place="Vollsmose Torv",
    )


def _partnership(
    fie: Persona, challenge: Challenge, members: list[Persona], visibility: str, purpose: str = ""
) -> Partnership:
    assert fie.actor is not None
    partnership = services.start_partnership(
        user=fie.user,
        actor=fie.actor,
        challenge=challenge,
        title="Unge i Vollsmose",
        purpose=purpose,
        visibility=visibility,
    )
    for persona in members:
        PartnershipMember.objects.create(partnership=partnership, actor=persona.actor)
    return partnership


@pytest.fixture
def partnership(
    fie: Persona, mette: Persona, lars: Persona, sofie: Persona, jens: Persona, challenge: Challenge
) -> Partnership:
    return _partnership(fie, challenge, [mette, lars, sofie, jens], Partnership.Visibility.PUBLIC)


@pytest.fixture
def private_partnership(
    fie: Persona, mette: Persona, lars: Persona, sofie: Persona, jens: Persona, challenge: Challenge
) -> Partnership:
    # Its own purpose: the same title, purpose and challenge again would be the same partnership started twice.
    purpose = "Et rum kun for medlemmerne."
    return _partnership(fie, challenge, [mette, lars, sofie, jens], Partnership.Visibility.MEMBERS, purpose)


@pytest.fixture
def personas(
    mette: Persona, lars: Persona, sofie: Persona, jens: Persona, fie: Persona, nora: Persona
) -> dict[str, Persona]:
    return {"mette": mette, "lars": lars, "sofie": sofie, "jens": jens, "fie": fie, "nora": nora}


def at_the_same_instant[T](calls: list[Callable[[], T]]) -> list[T | BaseException]:
    """Run the calls from one thread each, released together; what each returned or raised, in order."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[T | BaseException] = [RuntimeError("not run")] * len(calls)

    def run(index: int) -> None:
        try:
            barrier.wait()
            outcomes[index] = calls[index]()
        except BaseException as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


# --- Nørreby Skole: Anne and her staff, for employee involvement and workplace surveys ----------------------

STAFF = ["omar", "camilla", "thomas", "louise", "kasper"]


@pytest.fixture
def anne(odense: Municipality) -> Persona:
    """Anne leads Nørreby Skole; her staff are people in the school actor."""
    persona = _persona("anne@skole.dk", "Anne Lindholm", Sector.MUNICIPALITY, "Nørreby Skole", odense)
    for name in STAFF:
        user = make_user(f"{name}@skole.dk", name.title())
        role = Membership.Role.MEMBER if name == "omar" else Membership.Role.COLLEAGUE
        Membership.objects.create(actor=persona.actor, user=user, role=role)
    return persona


@pytest.fixture
def omar(anne: Persona) -> Persona:
    return Persona(Membership.objects.get(user__email="omar@skole.dk").user, anne.actor)


@pytest.fixture
def involvement(anne: Persona) -> Partnership:
    return services.start_partnership(
        user=anne.user,
        actor=anne.actor,
        challenge=None,
        title="Praksisfaglighed i udskolingen på Nørreby Skole",
        kind=Partnership.Kind.EMPLOYEE_INVOLVEMENT,
        visibility=Partnership.Visibility.MEMBERS,
    )
