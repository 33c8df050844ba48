"""Load the demo municipality Egeå: personas, actors with resources and needs, challenges and partnerships.

Idempotent: every object is looked up by a stable key first, so running the command again adds only what
is missing. Writes go through the same service functions as the pages and the API.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.deprecation import RemovedInDjango2028Warning  # type: ignore[attr-defined]

from samskab.actors import services as actor_services
from samskab.actors.models import (
    Actor,
    Membership,
    MunicipalAdministrator,
    Municipality,
    Need,
    Resource,
    ResourceKind,
    Sector,
    Theme,
)
from samskab.demo import data, work
from samskab.partnerships import services
from samskab.partnerships.models import (
    Challenge,
    Partnership,
    PartnershipInvitation,
    PartnershipMember,
    Phase,
    PhaseChange,
)
from samskab.surveys.demo import load_demo_surveys

User = get_user_model()

LOCMEM_EMAIL = "django.core.mail.backends.locmem.EmailBackend"

SECTOR_LABELS_DA = {
    Sector.MUNICIPALITY: "kommunale",
    Sector.ASSOCIATION: "foreninger",
    Sector.CITIZEN: "borgere",
    Sector.BUSINESS: "virksomheder",
}


@contextmanager
def quiet() -> Iterator[None]:
    """While loading, nothing leaves the process: tasks (the invitation emails) are only recorded and any
    email goes to memory, so the demo's invented addresses never reach a mail server or a production queue."""
    overrides: dict[str, Any] = {"TASKS": {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}}
    if hasattr(settings, "MAILERS"):
        overrides["MAILERS"] = {"default": {"BACKEND": LOCMEM_EMAIL}}
    else:
        overrides["EMAIL_BACKEND"] = LOCMEM_EMAIL
    with warnings.catch_warnings():
        # Overriding the legacy EMAIL_BACKEND setting warns; the project's settings decide when to move on.
        warnings.simplefilter("ignore", RemovedInDjango2028Warning)
        override = override_settings(**overrides)
        override.enable()
    try:
        yield
    finally:
        override.disable()


def external_id(key: str) -> str:
    return f"demo-{key}"


class DemoLoader:
    def __init__(self) -> None:
        self.municipality: Municipality
        self.users: dict[str, Any] = {}
        self.actors: dict[str, Actor] = {}
        self.admin_emails: dict[str, str] = {}
        self.challenges: dict[str, Challenge] = {}
        self.themes: dict[str, Theme] = {}
        self._password_hash: str | None = None

    # --- validation ---------------------------------------------------------------------------------------

    def validate(self) -> None:
        self.themes = {theme.slug: theme for theme in Theme.objects.all()}
        emails = {p["email"] for p in data.PERSONAS} | {p["email"] for p in data.OTHER_PEOPLE}
        keys = set()
        problems = []
        for item in data.ACTORS:
            key = item["key"]
            if key in keys:
                problems.append(f"duplicate actor key {key}")
            keys.add(key)
            if item["sector"] not in Sector.values:
                problems.append(f"{key}: unknown sector {item['sector']}")
            if item["neighbourhood"] not in data.NEIGHBOURHOODS:
                problems.append(f"{key}: unknown neighbourhood {item['neighbourhood']}")
            problems += [f"{key}: unknown theme {t}" for t in item["themes"] if t not in self.themes]
            problems += [
                f"{key}: unknown public field {f}" for f in item["public_fields"] if f not in Actor.PublicField.values
            ]
            problems += [
                f"{key}: unknown person {e}" for e in [item["admin"], *item.get("members", [])] if e not in emails
            ]
            for entry in item["resources"] + item["needs"]:
                if entry["kind"] not in ResourceKind.values:
                    problems.append(f"{key}: unknown resource kind {entry['kind']}")
        for item in data.FROM_THE_REGISTER:
            problems += [f"{item['key']}: unknown theme {t}" for t in item["themes"] if t not in self.themes]
            if item["neighbourhood"] not in data.NEIGHBOURHOODS or item["key"] in keys:
                problems.append(f"{item['key']}: unknown neighbourhood or duplicate key")
        for challenge in data.CHALLENGES:
            if challenge["raised_by"] not in keys:
                problems.append(f"challenge {challenge['key']}: unknown actor {challenge['raised_by']}")
            problems += [
                f"challenge {challenge['key']}: unknown theme {t}" for t in challenge["themes"] if t not in self.themes
            ]
        challenge_keys = {c["key"] for c in data.CHALLENGES}
        for partnership in data.PARTNERSHIPS:
            referenced = [partnership["started_by"], partnership["invited_by"], *partnership["members"]]
            referenced += [p["actor"] for p in partnership["pending"]]
            if "phase_by" in partnership:
                referenced.append(partnership["phase_by"])
                if partnership["phase"] not in Phase.values:
                    problems.append(f"{partnership['title']}: unknown phase {partnership['phase']}")
            problems += [f"{partnership['title']}: unknown actor {k}" for k in referenced if k not in keys]
            if partnership["challenge"] is not None and partnership["challenge"] not in challenge_keys:
                problems.append(f"{partnership['title']}: unknown challenge {partnership['challenge']}")
        if problems:
            raise CommandError("Invalid demo data:\n" + "\n".join(problems))

    # --- loading ------------------------------------------------------------------------------------------

    def load(self) -> None:
        self.validate()
        self.municipality, _created = Municipality.objects.update_or_create(
            code=data.MUNICIPALITY["code"],
            defaults={"name": data.MUNICIPALITY["name"], "region": data.MUNICIPALITY["region"]},
        )
        for person in [*data.PERSONAS, *data.OTHER_PEOPLE]:
            self.users[person["email"]] = self.ensure_user(person["email"], person["name"])
        for email in data.MUNICIPAL_ADMINISTRATORS:
            MunicipalAdministrator.objects.get_or_create(user=self.users[email], municipality=self.municipality)
        for item in data.ACTORS:
            self.actors[item["key"]] = self.ensure_actor(item)
            self.admin_emails[item["key"]] = item["admin"]
        for item in data.FROM_THE_REGISTER:
            self.ensure_register_actor(item)
        for item in data.CHALLENGES:
            self.challenges[item["key"]] = self.ensure_challenge(item)
        partnerships = {item["title"]: self.ensure_partnership(item) for item in data.PARTNERSHIPS}
        work.load(partnerships, self.actors)
        load_demo_surveys()

    def password_hash(self) -> str:
        # Hash the shared password once; hashing it for every user would make the load slow.
        if self._password_hash is None:
            self._password_hash = make_password(data.PASSWORD)
        return self._password_hash

    def ensure_user(self, email: str, name: str) -> Any:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=None, name=name)
            user.password = self.password_hash()
            user.save(update_fields=["password"])
        address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
        if address is None:
            EmailAddress.objects.filter(user=user, primary=True).update(primary=False)
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        elif not (address.verified and address.primary):
            EmailAddress.objects.filter(user=user, primary=True).exclude(pk=address.pk).update(primary=False)
            address.verified = address.primary = True
            address.save(update_fields=["verified", "primary"])
        return user

    def admin_of(self, actor_key: str) -> Any:
        return self.users[self.admin_emails[actor_key]]

    def ensure_register_actor(self, item: dict[str, Any]) -> Actor:
        """An actor as the register import makes it: created by the municipal administrator, administered by
        nobody."""
        actor = Actor.objects.filter(municipality=self.municipality, external_id=external_id(item["key"])).first()
        if actor is None:
            creator = self.users[data.MUNICIPAL_ADMINISTRATORS[0]]
            fields = {k: v for k, v in item.items() if k not in ("key", "sector", "themes")}
            actor = actor_services.create_actor(
                user=creator,
                sector=item["sector"],
                themes=[self.themes[slug] for slug in item["themes"]],
                municipality=self.municipality,
                external_id=external_id(item["key"]),
                **fields,
            )
            Membership.objects.filter(actor=actor, user=creator).delete()
        return actor

    def ensure_actor(self, item: dict[str, Any]) -> Actor:
        actor = Actor.objects.filter(municipality=self.municipality, external_id=external_id(item["key"])).first()
        admin = self.users[item["admin"]]
        if actor is None:
            creator = admin
            if item["sector"] == Sector.MUNICIPALITY and not actor_services.may_create_sector(
                admin, item["sector"], self.municipality.code
            ):
                # A municipal administrator sets the unit up and hands it over to its own administrator.
                creator = self.users[data.MUNICIPAL_ADMINISTRATORS[0]]
            actor = actor_services.create_actor(
                user=creator,
                sector=item["sector"],
                themes=[self.themes[slug] for slug in item["themes"]],
                name=item["name"],
                description=item["description"],
                municipality=self.municipality,
                neighbourhood=item["neighbourhood"],
                address=item["address"],
                latitude=item["latitude"],
                longitude=item["longitude"],
                contact_email=item["contact_email"],
                contact_phone=item["contact_phone"],
                website=item["website"],
                public_fields=list(item["public_fields"]),
                external_id=external_id(item["key"]),
            )
            if creator != admin:
                Membership.objects.create(actor=actor, user=admin, role=Membership.Role.ADMIN)
                Membership.objects.filter(actor=actor, user=creator).delete()
        for key, role in (("members", Membership.Role.MEMBER), ("colleagues", Membership.Role.COLLEAGUE)):
            for email in item.get(key, []):
                Membership.objects.get_or_create(actor=actor, user=self.users[email], defaults={"role": role})
        for entry in item["resources"]:
            if Resource.objects.filter(actor=actor, title=entry["title"]).exists():
                continue
            quantity = entry.get("quantity")
            resource = Resource(
                title=entry["title"],
                kind=entry["kind"],
                description=entry.get("description", ""),
                quantity=None if quantity is None else Decimal(str(quantity)),
                unit=entry.get("unit", ""),
                availability=entry.get("availability", ""),
            )
            actor_services.save_resource(actor=actor, user=admin, resource=resource)
        for entry in item["needs"]:
            if not Need.objects.filter(actor=actor, kind=entry["kind"], description=entry["description"]).exists():
                need = Need(kind=entry["kind"], description=entry["description"])
                actor_services.save_need(actor=actor, user=admin, need=need)
        return actor

    def ensure_challenge(self, item: dict[str, Any]) -> Challenge:
        actor = self.actors[item["raised_by"]]
        challenge = Challenge.objects.filter(title=item["title"], raised_by=actor).first()
        if challenge is None:
            challenge = services.raise_challenge(
                user=self.admin_of(item["raised_by"]),
                actor=actor,
                title=item["title"],
                description=item["description"],
                municipality=self.municipality,
                place=item["place"],
                affected=item["affected"],
                themes=[self.themes[slug] for slug in item["themes"]],
            )
        return challenge

    def backdate(self, partnership: Partnership, *, months: int) -> None:
        """Start a new demo partnership `months` ago, its members joining a few weeks apart since then, so
        the dashboard's ties fall in several quarters; its start in the phase history moves with it, and its
        challenge was raised shortly before. Only on creation: a second load changes nothing."""
        now = timezone.now()
        start = now - timedelta(days=30 * months)
        Partnership.objects.filter(pk=partnership.pk).update(created_at=start)
        PhaseChange.objects.filter(partnership=partnership, from_phase="").update(changed_at=start)
        # The challenge was raised before the partnership took it up.
        Challenge.objects.filter(partnerships=partnership, created_at__gt=start).update(
            created_at=start - timedelta(days=12)
        )
        for i, pk in enumerate(partnership.members.order_by("joined_at", "pk").values_list("pk", flat=True)):
            PartnershipMember.objects.filter(pk=pk).update(joined_at=min(start + timedelta(days=18 * i), now))

    def ensure_partnership(self, item: dict[str, Any]) -> Partnership:
        partnership = Partnership.objects.filter(title=item["title"]).first()
        created = partnership is None
        if partnership is None:
            partnership = services.start_partnership(
                user=self.admin_of(item["started_by"]),
                actor=self.actors[item["started_by"]],
                challenge=self.challenges[item["challenge"]] if item["challenge"] else None,
                title=item["title"],
                purpose=item["purpose"],
                visibility=item["visibility"],
                kind=item["kind"],
                room_for_change=item.get("room_for_change", ""),
            )
        inviter = self.actors[item["invited_by"]]
        inviter_user = self.admin_of(item["invited_by"])
        for key in item["members"]:
            actor = self.actors[key]
            if partnership.is_member(actor):
                continue
            invitation = PartnershipInvitation.objects.pending().filter(partnership=partnership, actor=actor).first()
            if invitation is None:
                invitation = services.invite_actor(
                    user=inviter_user,
                    partnership=partnership,
                    by_actor=inviter,
                    actor=actor,
                    message=item["message"],
                )
            services.respond_to_invitation(user=self.admin_of(key), invitation=invitation, accept=True)
        for pending in item["pending"]:
            actor = self.actors[pending["actor"]]
            already = PartnershipInvitation.objects.filter(partnership=partnership, actor=actor).exists()
            if not already and not partnership.is_member(actor):
                services.invite_actor(
                    user=inviter_user,
                    partnership=partnership,
                    by_actor=inviter,
                    actor=actor,
                    message=pending["message"],
                )
        if created:
            self.backdate(partnership, months=item["started_months_ago"])
        phase = item.get("phase")
        if phase and not partnership.phase_changes.filter(to_phase=phase).exists():
            services.change_phase(
                user=self.admin_of(item["phase_by"]),
                partnership=partnership,
                by_actor=self.actors[item["phase_by"]],
                to_phase=phase,
                note=item.get("phase_note", ""),
            )
        return partnership


class Command(BaseCommand):
    help = "Load demo data for the fictional municipality Egeå (0999). Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        before = self.counts()
        with quiet(), transaction.atomic():
            DemoLoader().load()
        after = self.counts()
        self.report(before, after)

    def counts(self) -> dict[str, int]:
        code = data.MUNICIPALITY["code"]
        emails = [p["email"] for p in [*data.PERSONAS, *data.OTHER_PEOPLE]]
        # Those on the municipality's challenges, and internal processes of its own actors, which have none.
        partnerships = Partnership.objects.filter(
            Q(challenge__municipality_id=code) | Q(challenge=None, members__actor__municipality_id=code)
        ).distinct()
        counts = {
            "actors": Actor.objects.filter(municipality_id=code).count(),
            "users": User.objects.filter(email__in=emails).count(),
            "resources": Resource.objects.filter(actor__municipality_id=code).count(),
            "challenges": Challenge.objects.filter(municipality_id=code).count(),
            "partnerships": partnerships.count(),
            "partnership_members": PartnershipMember.objects.filter(partnership__in=partnerships).count(),
            "pending": PartnershipInvitation.objects.pending().filter(partnership__in=partnerships).count(),
        }
        for sector in Sector.values:
            counts[sector] = Actor.objects.filter(municipality_id=code, sector=sector).count()
        return counts

    def report(self, before: dict[str, int], after: dict[str, int]) -> None:
        write = self.stdout.write
        name, code = data.MUNICIPALITY["name"], data.MUNICIPALITY["code"]
        write(self.style.SUCCESS(f"Demodata for {name} Kommune ({code}) er indlæst."))
        by_sector = ", ".join(f"{after[sector]} {label}" for sector, label in SECTOR_LABELS_DA.items())
        write(f"  Aktører: {after['actors']} ({by_sector}) med {after['resources']} ressourcer")
        write(
            f"  Brugere: {after['users']} · Udfordringer: {after['challenges']} · "
            f"Partnerskaber: {after['partnerships']} · Ventende invitationer: {after['pending']}"
        )
        new = {key: after[key] - before[key] for key in ("actors", "users", "challenges", "partnerships")}
        if any(new.values()):
            write(
                f"  Nyt i denne kørsel: {new['actors']} aktører, {new['users']} brugere, "
                f"{new['challenges']} udfordringer, {new['partnerships']} partnerskaber"
            )
        else:
            write("  Intet nyt: demodata var allerede indlæst.")
        write("")
        write("Demologins:")
        rows = [("Persona", "Rolle", "E-mail", "Adgangskode")]
        rows += [(p["name"].split()[0], p["role"], p["email"], data.PASSWORD) for p in data.PERSONAS]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for row in rows:
            write(
                "  " + "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)) + "  " + row[3]
            )
        write(f"  Alle andre demobrugere (…@egeaa.demo) har også adgangskoden {data.PASSWORD}.")
