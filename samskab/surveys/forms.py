from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.forms import BoundField
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from samskab.lib.forms import LocalDateTimeField, SeenVersionField
from samskab.partnerships.forms import ActingActorMixin
from samskab.partnerships.models import Partnership

from .instruments import LEVELS, Instrument, _shipped, get_instrument
from .models import Survey, Wave
from .services import NO_SCORE, TEXT_MAX_LENGTH


def _english() -> bool:
    return (get_language() or "da").startswith("en")


def instrument_choices() -> list[tuple[str, str]]:
    choices = []
    for (instrument_id, version), instrument in sorted(_shipped().items()):
        name = instrument.name_en if _english() else instrument.name_da
        if not instrument.validated:
            name = _("%(name)s – not validated") % {"name": name}
        choices.append((f"{instrument_id}:{version}", name))
    return choices


WORKPLACE_INSTRUMENT = "workplace-social-capital"
COMMUNITY_INSTRUMENT = "community-trust"


def _choice(instrument_id: str) -> str:
    """The choice value of an instrument's latest version."""
    instrument = get_instrument(instrument_id)
    return f"{instrument.id}:{instrument.version}"


LEVEL_LABELS = {"CORE": _("Short version (core)"), "MIDDLE": _("Middle version"), "LONG": _("Long version")}


class _WaveFields(forms.Form):
    wave_kind = forms.ChoiceField(label=_("Round"), choices=Wave.Kind.choices, initial=Wave.Kind.BASELINE)
    opens_at = LocalDateTimeField(label=_("Opens"))
    closes_at = LocalDateTimeField(
        label=_("Closes"),
        help_text=_("Results are shown when the round has closed, never while people are still answering."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("A round must close after it opens."))
        elif data.get("closes_at") and data["closes_at"] <= timezone.now():
            self.add_error("closes_at", _("A new round must close in the future, or nobody can answer it."))
        return data


class _InstrumentField(forms.Form):
    instrument = forms.ChoiceField(label=_("Questionnaire"), choices=instrument_choices)

    def clean_instrument(self) -> tuple[str, int]:
        instrument_id, version = self.cleaned_data["instrument"].split(":")
        return instrument_id, int(version)


class SurveyForm(ActingActorMixin, _InstrumentField, _WaveFields):
    """A member starts a survey in the partnership, with its first round."""

    field_order = ["actor", "title", "instrument", "level", "leaders_answer", "wave_kind", "opens_at", "closes_at"]

    title = forms.CharField(label=_("Title"), max_length=150)
    leaders_answer = forms.BooleanField(
        label=_("Leaders answer too"),
        required=False,
        initial=True,
        help_text=Survey._meta.get_field("leaders_answer").help_text,
    )
    level = forms.ChoiceField(
        label=_("Length (COPSOQ only)"),
        required=False,
        choices=[("", _("All questions")), *[(level, LEVEL_LABELS[level]) for level in LEVELS]],
        help_text=_("COPSOQ's short (core), middle and long versions. Other questionnaires are always asked whole."),
    )

    def __init__(self, *args: Any, partnership_kind: str = "", **kwargs: Any) -> None:
        """An employee-involvement process starts from the workplace's social capital, asked of the staff without
        their leaders (who would otherwise rate their own leadership); any other partnership from community trust,
        with everyone. Both are only where the form starts: any questionnaire may be chosen."""
        super().__init__(*args, **kwargs)
        if partnership_kind == Partnership.Kind.EMPLOYEE_INVOLVEMENT:
            self.fields["instrument"].initial = _choice(WORKPLACE_INSTRUMENT)
            self.fields["leaders_answer"].initial = False
        else:
            self.fields["instrument"].initial = _choice(COMMUNITY_INSTRUMENT)


class CommunitySurveyForm(_InstrumentField, _WaveFields):
    """People in the municipality's own actors ask a neighbourhood's citizens."""

    field_order = ["title", "neighbourhood", "instrument", "public_link", "wave_kind", "opens_at", "closes_at"]

    title = forms.CharField(label=_("Title"), max_length=150)
    neighbourhood = forms.CharField(label=_("Neighbourhood"), max_length=80)
    public_link = forms.BooleanField(
        label=_("Anyone with the link may answer (one answer per browser)"), required=False, initial=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].initial = _choice(COMMUNITY_INSTRUMENT)


class WaveForm(_WaveFields):
    pass


class ClosingForm(forms.Form):
    """A new closing for a round that has not closed (`services.change_closing` checks it is in the future)."""

    closes_at = LocalDateTimeField(
        label=_("Closes"),
        help_text=_("Later gives people more time; earlier closes the round sooner, but never in the past."),
    )


class ConfirmForm(forms.Form):
    """Nothing to fill in: sending it confirms the action the page describes."""


class AnswerForm(forms.Form):
    """One field per item of the instrument, named by item id; every question may be skipped. The page heads each
    scale's questions with the scale's name and where they are among all ("questions 5–8 of 23"), and introduces
    statements to agree or disagree with as such (`sections`)."""

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        english = _english()
        self.sections = _sections(instrument, english)
        for item in instrument.items:
            label = item.text_en if english else item.text_da
            if item.type == "text":
                self.fields[item.id] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=TEXT_MAX_LENGTH,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    help_text=_("Do not write names or anything that could identify you or others."),
                )
                continue
            options = instrument.response_scale(item.response_scale or "").options
            self.fields[item.id] = forms.ChoiceField(
                label=label,
                required=False,
                widget=forms.RadioSelect,
                choices=[
                    (NO_SCORE if o.value is None else f"{o.value:g}", o.label_en if english else o.label_da)
                    for o in options
                ],
            )
        for section in self.sections:
            section.fields = [self[item_id] for item_id in section.item_ids]


@dataclass
class Section:
    """A run of questions on one scale (or outside any), as the answer page heads it."""

    title: str
    first: int
    last: int
    lead: str
    item_ids: list[str]
    fields: list[BoundField] = field(default_factory=list)


def _sections(instrument: Instrument, english: bool) -> list[Section]:
    scale_names = {scale.id: scale.name_en if english else scale.name_da for scale in instrument.scales}
    sections: list[Section] = []
    previous_scale: object = object()
    previous_response = None
    for number, item in enumerate(instrument.items, start=1):
        agreement = bool(item.response_scale) and "agree" in (item.response_scale or "")
        lead = (
            str(_("How far do you agree or disagree with each of these statements?"))
            if agreement and item.response_scale != previous_response
            else ""
        )
        if item.scale != previous_scale or lead or not sections:
            title = scale_names.get(item.scale or "", "") or str(_("Other questions"))
            sections.append(Section(title=title, first=number, last=number, lead=lead, item_ids=[item.id]))
        else:
            sections[-1].last = number
            sections[-1].item_ids.append(item.id)
        previous_scale, previous_response = item.scale, item.response_scale
    return sections


class FollowUpForm(forms.Form):
    """What those who run the survey answer a closed round's results."""

    text = forms.CharField(
        label=_("What we do with the results"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Say what you heard, what you will do about it and when, and what you will not do and why. Everyone who "
            "reads the results reads this beside them."
        ),
    )
    seen = SeenVersionField()
