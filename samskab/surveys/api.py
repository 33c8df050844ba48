"""Read-only survey endpoints. Results come from `services.safe_results`, the same safe aggregate as the page
and the exports: hidden cells carry a reason and no numbers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from samskab.accounts.api import caller
from samskab.partnerships.permissions import get_partnership_for

from . import services
from .permissions import get_survey_for, may_run

router = Router(tags=["surveys"])


class SurveyWaveOut(Schema):
    id: int
    kind: str
    label: str
    opens_at: datetime
    closes_at: datetime


class SurveyOut(Schema):
    id: int
    title: str
    partnership_id: int | None
    municipality: str | None
    neighbourhood: str
    instrument_id: str
    instrument_version: int
    leaders_answer: bool = Field(..., description="false: the member actors' administrators are not asked")
    waves: list[SurveyWaveOut]


class SurveyGroupOut(Schema):
    key: str
    wave_id: int
    wave: str
    wave_kind: str
    sector: str
    respondents: int | None = Field(description="How many answered; null for a hidden group")
    hidden: str


class SurveyCellOut(Schema):
    group: str
    n: int | None
    mean: float | None
    ci_low: float | None
    ci_high: float | None
    alpha: float | None = Field(
        description="Cronbach's alpha; null for a hidden cell, a single-item scale, fewer than 10 complete answers, "
        "no spread, or a negative alpha (`alpha_note` says which)"
    )
    alpha_note: str = Field(description="Why alpha is null or to be read with care (below 0.7); empty otherwise")
    share: float | None = Field(
        description="Percent of the people with a score who score at least the scale's `share_at_or_above`; null for "
        "a hidden cell and on a scale without a cut-off"
    )
    hidden: str


class SurveyChangeOut(Schema):
    sector: str
    from_group: str
    to_group: str
    delta: float
    ci_low: float | None = Field(description="The 95 % interval of the difference (Welch), lower end")
    ci_high: float | None
    meaningful: bool = Field(
        description="Noticeable: at least the scale's `min_difference` and the interval excludes 0"
    )


class SurveyScaleOut(Schema):
    id: str
    name: str
    validated: bool
    threshold: int
    scale_min: float
    scale_max: float
    min_difference: float
    share_at_or_above: float | None = Field(
        description="The cut-off of the cells' `share`, e.g. 6 for the OECD's 'high trust' (answers 6-10); null when "
        "the scale reports no share"
    )
    cells: list[SurveyCellOut]
    changes: list[SurveyChangeOut]


class SurveyTextOut(Schema):
    item_id: str
    question: str
    threshold: int
    answers: dict[str, list[str]]
    hidden: dict[str, str]


class FollowUpOut(Schema):
    wave_id: int
    text: str = Field(..., description="What those who run the survey answered the round's results")
    answered_at: datetime


class SurveyResultsOut(Schema):
    survey_id: int
    title: str
    instrument_id: str
    instrument_version: int
    instrument_name: str
    validated: bool
    threshold: int
    open_waves: list[int]
    groups: list[SurveyGroupOut]
    scales: list[SurveyScaleOut]
    texts: list[SurveyTextOut]
    follow_ups: list[FollowUpOut] = Field(default_factory=list)


def _number(value: float | None, digits: int) -> float | None:
    """To the digits the results page shows, no more: extra digits would make a subtraction of two reports, or a
    sum rebuilt from a mean, more exact than the page allows (`exports` does the same)."""
    return services.rounded(value, digits)


def results_payload(results: services.SafeResults) -> dict[str, Any]:
    """The safe results as plain data (also the dashboard API's survey part)."""
    return {
        "survey_id": results.survey_id,
        "title": results.title,
        "instrument_id": results.instrument_id,
        "instrument_version": results.instrument_version,
        "instrument_name": results.instrument_name,
        "validated": results.validated,
        "threshold": results.threshold,
        "open_waves": [pk for pk, _label in results.open_waves],
        "groups": [
            {
                "key": g.key,
                "wave_id": g.wave_id,
                "wave": g.wave_label,
                "wave_kind": g.wave_kind,
                "sector": g.sector,
                "respondents": g.shown_respondents,
                "hidden": g.hidden,
            }
            for g in results.groups
        ],
        "scales": [
            {
                "id": s.id,
                "name": s.name,
                "validated": s.validated,
                "threshold": s.threshold,
                "scale_min": s.y_min,
                "scale_max": s.y_max,
                "min_difference": s.min_difference,
                "share_at_or_above": s.share_at_or_above,
                "cells": [
                    {
                        "group": g.key,
                        "n": None if (c := s.cells[g.key]).hidden else c.n,
                        "mean": _number(c.mean, 1),
                        "ci_low": _number(c.ci_low, 1),
                        "ci_high": _number(c.ci_high, 1),
                        "alpha": _number(c.alpha, 2),
                        "alpha_note": c.alpha_note,
                        "share": _number(c.share, 0),
                        "hidden": c.hidden,
                    }
                    for g in results.groups
                ],
                "changes": [
                    {
                        "sector": c.sector,
                        "from_group": c.from_group,
                        "to_group": c.to_group,
                        "delta": _number(c.delta, 1),
                        "ci_low": _number(c.ci_low, 1),
                        "ci_high": _number(c.ci_high, 1),
                        "meaningful": c.meaningful,
                    }
                    for c in s.changes
                ],
            }
            for s in results.scales
        ],
        "texts": [
            {
                "item_id": t.item_id,
                "question": t.question,
                "threshold": t.threshold,
                "answers": t.texts,
                "hidden": t.hidden,
            }
            for t in results.texts
        ],
    }


def _survey_out(survey: Any) -> dict[str, Any]:
    return {
        "id": survey.pk,
        "title": survey.title,
        "partnership_id": survey.partnership_id,
        "municipality": survey.municipality_id,
        "neighbourhood": survey.neighbourhood,
        "instrument_id": survey.instrument_id,
        "instrument_version": survey.instrument_version,
        "leaders_answer": survey.leaders_answer,
        "waves": [
            {"id": w.pk, "kind": w.kind, "label": w.label, "opens_at": w.opens_at, "closes_at": w.closes_at}
            for w in survey.waves.all()
        ],
    }


@router.get("/partnerships/{partnership_id}/surveys", response=list[SurveyOut], summary="A partnership's surveys")
def list_surveys(request: HttpRequest, partnership_id: int) -> list[dict[str, Any]]:
    partnership = get_partnership_for(caller(request), partnership_id, invitees=False)
    return [_survey_out(s) for s in partnership.surveys.prefetch_related("waves")]


@router.get("/surveys/{survey_id}", response=SurveyOut, summary="One survey and its rounds")
def get_survey(request: HttpRequest, survey_id: int) -> dict[str, Any]:
    return _survey_out(get_survey_for(caller(request), survey_id))


@router.get(
    "/surveys/{survey_id}/results",
    response=SurveyResultsOut,
    summary="A survey's results: safe aggregates only",
    description="Closed rounds only; no aggregate below the anonymity threshold, and none that differs from "
    "another by fewer respondents than the threshold. Hidden cells carry a reason instead of numbers. Answers in "
    "respondents' own words (`texts`) only for those who run the survey: the people who act for the partnership's "
    "member actors (in employee involvement not its colleagues), or for a community survey the administrators of "
    "the municipal actor that started it; everyone else gets an empty list. Reports are also withheld when their "
    "respondents differ by fewer than the threshold from a report of another survey in the partnership with the "
    "same scales.",
)
def get_results(request: HttpRequest, survey_id: int) -> dict[str, Any]:
    user = caller(request)
    survey = get_survey_for(user, survey_id)
    answered = survey.waves.exclude(follow_up="").order_by("opens_at", "pk")
    return results_payload(services.safe_results(survey, with_texts=may_run(user, survey))) | {
        "follow_ups": [{"wave_id": w.pk, "text": w.follow_up, "answered_at": w.follow_up_at} for w in answered]
    }
