"""Demo surveys for Egeå, with synthetic anonymous answers. Call `load_demo_surveys()` after the demo's
partnerships exist (manage.py load_demo). Idempotent: a survey that exists already is left alone.

The answers are invented by a seeded random generator: no real person's answers, and the same every run.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from samskab.actors.models import Membership, Municipality, Sector
from samskab.partnerships.models import Partnership

from . import scoring, services
from .instruments import Instrument
from .models import Survey, Wave

SEED = 20250301
EMPLOYEE_SURVEY = "Tillid, indflydelse og mening – før og efter reformen"
PARTNER_SURVEY = "Partnernes oplevelse af samarbejdet"
COMMUNITY_SURVEY = "Tillid i Nørreby"

PARTNER_TEXTS = [
    "At vi startede med at tale om, hvad problemet egentlig er.",
    "Møderne i hallen, hvor de unge selv var med.",
    "Flere møder om aftenen, så de frivillige kan komme.",
    "At kommunen lytter, før den foreslår noget.",
]


def _answers(instrument: Instrument, rng: np.random.Generator, shift: dict[str, float]) -> dict[str, Any]:
    """One synthetic respondent: a personal level plus noise per item, moved by `shift` per scale."""
    person = rng.normal(0, 0.8)
    answers: dict[str, Any] = {}
    for item in instrument.items:
        if item.type != "choice" or item.scale is None:
            continue
        values = instrument.response_scale(item.response_scale or "").scored_values
        k = len(values)
        centre = (k - 1) * (0.55 + shift.get(item.scale, 0.0)) + person + rng.normal(0, 0.7)
        if item.reversed:
            centre = (k - 1) - centre
        # Every question answered, so each scale is shown for the round's full count.
        answers[item.id] = values[int(np.clip(round(centre), 0, k - 1))]
    return answers


def _waves(survey: Survey, spec: list[tuple[str, int, int]]) -> list[Wave]:
    now = timezone.now()
    return [
        Wave.objects.create(
            survey=survey, kind=kind, opens_at=now - timedelta(days=start), closes_at=now - timedelta(days=end)
        )
        for kind, start, end in spec
    ]


def _fill(wave: Wave, count: int, rng: np.random.Generator, shift: dict[str, float], **extra: Any) -> None:
    instrument = wave.survey.instrument
    sectors = extra.get("sectors") or [""] * count
    texts = extra.get("texts", {})
    rows = []
    for i in range(count):
        row = _answers(instrument, rng, shift)
        row["_sector"] = sectors[i]
        for item_id, options in texts.items():
            if i < len(options):
                row[item_id] = options[i]
        rows.append(row)
    day = scoring.coarsen_timestamp(wave.closes_at - timedelta(days=1), "day")
    services.import_responses(wave=wave, responses=rows, on=day)


def _employee_involvement(rng: np.random.Generator) -> Survey | None:
    partnership = Partnership.objects.filter(
        kind=Partnership.Kind.EMPLOYEE_INVOLVEMENT, title__contains="Nørreby Skole"
    ).first()
    if partnership is None or partnership.surveys.filter(title=EMPLOYEE_SURVEY).exists():
        return None
    user = partnership.created_by
    actor = partnership.member_actors_of(user).first() if user is not None else None
    if actor is None or user is None:
        return None
    now = timezone.now()
    survey = services.create_survey(
        user=user,
        actor=actor,
        partnership=partnership,
        title=EMPLOYEE_SURVEY,
        instrument_id="copsoq3-selected",
        level="CORE",
        wave_kind=Wave.Kind.BASELINE,
        opens_at=now - timedelta(days=120),
        closes_at=now - timedelta(days=106),
        leaders_answer=False,  # the school's leaders do not rate their own leadership
    )
    baseline = survey.waves.get()
    (follow_up,) = _waves(survey, [(Wave.Kind.FOLLOW_UP, 20, 6)])
    # Two more answered the follow-up: rounds hold different answers, so both are shown, with the change.
    _fill(baseline, 10, rng, {"IN": -0.1, "TM": -0.05, "MW": 0.1}, sectors=[Sector.MUNICIPALITY] * 10)
    _fill(follow_up, 10, rng, {"IN": 0.08, "TM": 0.05, "MW": 0.12}, sectors=[Sector.MUNICIPALITY] * 10)
    # Anne answered the baseline's results a week after it closed, as the follow-up round then measured.
    services.follow_up_round(
        user=user,
        wave=baseline,
        text=(
            "Tak for jeres svar. Vi har hørt, at I har for lidt indflydelse på, hvordan praksisfagene skal "
            "tilrettelægges, og at tiden til fælles planlægning mangler. Derfor planlægger hvert team nu selv sine "
            "forløb inden for råderummet, og fra næste måned får teamene en fast planlægningstime om ugen. Vi måler "
            "igen efter et halvt år."
        ),
    )
    Wave.objects.filter(pk=baseline.pk).update(follow_up_at=baseline.closes_at + timedelta(days=7))
    return survey


def _partner_experience(rng: np.random.Generator) -> Survey | None:
    co_creation = Partnership.objects.filter(kind=Partnership.Kind.CO_CREATION)
    partnership = (
        co_creation.filter(challenge__title__contains="gadehjørnerne").first()
        or co_creation.filter(title__icontains="unge").order_by("pk").first()
    )
    if partnership is None or partnership.surveys.filter(title=PARTNER_SURVEY).exists():
        return None
    user = partnership.created_by
    member = partnership.member_actors_of(user).first() if user is not None else None
    if member is None or user is None:
        return None
    now = timezone.now()
    survey = services.create_survey(
        user=user,
        actor=member,
        partnership=partnership,
        title=PARTNER_SURVEY,
        instrument_id="partnership-experience",
        wave_kind=Wave.Kind.BASELINE,
        opens_at=now - timedelta(days=45),
        closes_at=now - timedelta(days=31),
    )
    baseline = survey.waves.get()
    (follow_up,) = _waves(survey, [(Wave.Kind.FOLLOW_UP, 12, 5)])
    # Ten partners' people each round: answers in own words are read from 10 (SENSITIVE_MIN_RESPONDENTS).
    sectors = [Sector.MUNICIPALITY] * 4 + [Sector.ASSOCIATION] * 3 + [Sector.CITIZEN] + [Sector.BUSINESS] * 2
    _fill(baseline, 10, rng, {"equality": -0.12}, sectors=sectors, texts={"FT_WORKED": PARTNER_TEXTS})
    _fill(follow_up, 10, rng, {"equality": 0.02, "ownership": 0.08}, sectors=sectors)
    # An open round, so the partners can answer in the demo.
    Wave.objects.create(
        survey=survey, kind=Wave.Kind.FOLLOW_UP, opens_at=now - timedelta(days=2), closes_at=now + timedelta(days=12)
    )
    return survey


def _community_trust(rng: np.random.Generator) -> Survey | None:
    municipality = Municipality.objects.filter(code="0999").first()
    if municipality is None or Survey.objects.filter(municipality=municipality, title=COMMUNITY_SURVEY).exists():
        return None
    membership = (
        Membership.objects.filter(actor__municipality=municipality, actor__sector=Sector.MUNICIPALITY)
        .select_related("user")
        .order_by("actor_id", "pk")
        .first()
    )
    if membership is None:
        return None
    user = membership.user
    now = timezone.now()
    survey = services.create_community_survey(
        user=user,
        municipality=municipality,
        neighbourhood="Nørreby",
        title=COMMUNITY_SURVEY,
        wave_kind=Wave.Kind.BASELINE,
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=40),
    )
    baseline = survey.waves.get()
    (follow_up,) = _waves(survey, [(Wave.Kind.FOLLOW_UP, 14, 7)])
    _fill(baseline, 12, rng, {})
    _fill(follow_up, 12, rng, {"ess_social_trust": 0.05})
    # An open round with an open link, so anyone can try answering in the demo.
    Wave.objects.create(
        survey=survey, kind=Wave.Kind.FOLLOW_UP, opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=20)
    )
    return survey


@transaction.atomic
def load_demo_surveys() -> list[Survey]:
    """Create the demo's surveys that do not exist yet; return those created."""
    rng = np.random.default_rng(SEED)
    made = [_employee_involvement(rng), _partner_experience(rng), _community_trust(rng)]
    return [s for s in made if s is not None]
