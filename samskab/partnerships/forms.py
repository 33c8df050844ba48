from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from samskab.actors.models import Actor, Municipality, Theme

from .models import Challenge, Partnership, Phase

if TYPE_CHECKING:
    from samskab.accounts.models import User


class ActingActorMixin(forms.Form):
    """Adds `actor`: on whose behalf the person acts. Hidden when the person has only one choice."""

    actor = forms.ModelChoiceField(label=_("On behalf of"), queryset=Actor.objects.none(), empty_label=None)

    def set_actors(self, actors: QuerySet[Actor]) -> None:
        field = self.fields["actor"]
        field.queryset = actors  # type: ignore[attr-defined]
        self._only_actor = actors[0] if len(actors) == 1 else None
        if self._only_actor is not None:
            field.widget = forms.HiddenInput()
            field.initial = self._only_actor.pk
            field.required = False

    def clean_actor(self) -> Actor:
        actor = self.cleaned_data.get("actor") or getattr(self, "_only_actor", None)
        if actor is None:
            raise forms.ValidationError(_("Choose the actor you act on behalf of."), code="required")
        return actor


class ChallengeForm(ActingActorMixin, forms.ModelForm):
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Challenge
        fields = ["actor", "title", "description", "themes", "municipality", "place", "affected"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "affected": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "title": _(
                "A short headline, for example “Young people gathering on street corners in Nørreby”."
            ),
            "description": _("Describe what you see, as concretely as you can. You do not need a solution."),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        actors = Actor.objects.of_user(user).distinct()
        self.set_actors(actors)
        first = actors.first()
        if first is not None and not self.is_bound:
            self.fields["municipality"].initial = first.municipality_id
        self.fields["municipality"].queryset = Municipality.objects.all()  # type: ignore[attr-defined]


class StartPartnershipForm(ActingActorMixin, forms.ModelForm):
    class Meta:
        model = Partnership
        fields = ["actor", "title", "purpose", "kind", "visibility"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "kind": forms.RadioSelect,
            "visibility": forms.RadioSelect,
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_actors(Actor.objects.of_user(user).distinct())


class PartnershipForm(ActingActorMixin, forms.ModelForm):
    class Meta:
        model = Partnership
        fields = ["actor", "title", "purpose", "visibility"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 4}), "visibility": forms.RadioSelect}


class InviteActorForm(ActingActorMixin, forms.Form):
    invitee = forms.ModelChoiceField(label=_("Actor to invite"), queryset=Actor.objects.none())
    message = forms.CharField(
        label=_("Message"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["invitee"].queryset = Actor.objects.exclude(  # type: ignore[attr-defined]
            partnership_memberships__partnership=partnership
        ).order_by("name")
        self.fields["invitee"].label_from_instance = lambda a: f"{a.name} ({a.get_sector_display()})"  # type: ignore[attr-defined]


class PhaseForm(ActingActorMixin, forms.Form):
    phase = forms.ChoiceField(label=_("Move to phase"), choices=Phase.choices)
    note = forms.CharField(label=_("Why? (optional)"), required=False, max_length=300)


class RespondForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])
