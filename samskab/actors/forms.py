from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from samskab.lib.forms import SeenVersionField

from .models import (
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

if TYPE_CHECKING:
    from samskab.accounts.models import User


class DirectoryForm(forms.Form):
    """The directory's search box and filters (GET)."""

    is_filter = True

    q = forms.CharField(label=_("Search by name, description, resources or themes"), required=False, max_length=100)
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=[("", _("All sectors")), *Sector.choices])
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    neighbourhood = forms.ChoiceField(label=_("Neighbourhood"), required=False)
    municipality = forms.ChoiceField(label=_("In which municipality"), required=False)  # beside the sector "Kommune"
    resource_kind = forms.ChoiceField(
        label=_("Offers"), required=False, choices=[("", _("Any resource")), *ResourceKind.choices]
    )
    need_kind = forms.ChoiceField(
        label=_("Needs"), required=False, choices=[("", _("Any need")), *ResourceKind.choices]
    )
    near = forms.ChoiceField(label=_("Near"), required=False)
    km = forms.ChoiceField(
        label=_("Within"),
        required=False,
        choices=[("", "—"), ("1", "1 km"), ("2", "2 km"), ("5", "5 km"), ("10", "10 km"), ("25", "25 km")],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["theme"]).choices = [("", _("All themes"))] + [
            (t.slug, t.name) for t in Theme.objects.all()
        ]
        neighbourhoods = Actor.objects.neighbourhoods()
        cast(forms.ChoiceField, self.fields["neighbourhood"]).choices = [("", _("All neighbourhoods"))] + [
            (n, n) for n in neighbourhoods
        ]
        cast(forms.ChoiceField, self.fields["near"]).choices = [("", _("Anywhere"))] + [(n, n) for n in neighbourhoods]
        cast(forms.ChoiceField, self.fields["municipality"]).choices = [("", _("All municipalities"))] + [
            (m.code, m.name) for m in Municipality.objects.all()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        near, chosen = data.get("near"), data.get("municipality")
        # A place without a distance, or a distance without a place, would be left out and every actor listed.
        if near and not data.get("km") and "km" not in self.errors:
            self.add_error("km", _("Choose how far from %(place)s to look.") % {"place": near})
        if data.get("km") and not near and "near" not in self.errors:
            self.add_error("near", _("Choose the place to measure the distance from."))
        if not (near and data.get("km")):
            return data
        # "Distance from a place": the middle of the chosen neighbourhood's actors, in its municipality.
        named = Actor.objects.filter(neighbourhood=near).order_by().values_list("municipality_id", flat=True)
        codes = [chosen] if chosen else list(named.distinct()[:2])
        if len(codes) > 1:
            message = _("%(place)s is the name of a place in more than one municipality: choose the municipality.")
            self.add_error("municipality", message % {"place": near})
            return data
        centre = Actor.objects.neighbourhood_centre(codes[0], near) if codes else None
        if centre is None and chosen:
            message = _("No actor in %(place)s in the chosen municipality has an address to measure from.")
            self.add_error("near", message % {"place": near})
        elif centre is None:
            self.add_error("near", _("No actor in %(place)s has an address to measure from.") % {"place": near})
        else:
            data["centre"] = centre
        return data

    def filters(self) -> dict[str, Any] | None:
        """The filters to search by; None when one is invalid. The error is reported on the form and nothing is
        searched: leaving the filter out would list the actors it was meant to exclude, under a count that looks
        like the answer."""
        if not self.is_bound:
            return {}
        if not self.is_valid():
            return None
        filters = {
            key: value for key, value in self.cleaned_data.items() if value and key not in ("near", "km", "centre")
        }
        centre = self.cleaned_data.get("centre")
        if centre is not None:
            filters |= {"lat": centre[0], "lon": centre[1], "km": float(self.cleaned_data["km"])}
        return filters


class ActorForm(forms.ModelForm):
    """Edit an actor; `seen` carries the version the administrator opened (`services.version`)."""

    public_fields = forms.MultipleChoiceField(
        label=_("Show publicly"),
        choices=Actor.PublicField.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Name, description, themes, neighbourhood, resources and needs are always public."),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    seen = SeenVersionField()

    class Meta:
        model = Actor
        fields = [
            "name",
            "description",
            "themes",
            "municipality",
            "neighbourhood",
            "address",
            "latitude",
            "longitude",
            "contact_email",
            "contact_phone",
            "website",
            "public_fields",
            "open_to_suggestions",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            # The browser may fill these in (WCAG 1.3.5); for a citizen they are their own.
            "address": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }
        # The model's bounds (`Actor.latitude`), said as a place rather than as a number's limit.
        error_messages = {
            "latitude": {
                code: _("A latitude in Denmark lies between 54.4 and 57.9.") for code in ("min_value", "max_value")
            },
            "longitude": {
                code: _("A longitude in Denmark lies between 7.9 and 15.3.") for code in ("min_value", "max_value")
            },
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # Half a pin places the actor nowhere and keeps the address from being looked up (`services.check_pin`).
        # A coordinate that is itself wrong has its own error already.
        if not {"latitude", "longitude"} & set(self.errors):
            latitude, longitude = data.get("latitude"), data.get("longitude")
            if (latitude is None) != (longitude is None):
                missing = "longitude" if longitude is None else "latitude"
                self.add_error(missing, _("Give both latitude and longitude, or neither."))
        return data


class NewActorForm(ActorForm):
    sector = forms.ChoiceField(label=_("What kind of actor?"), widget=forms.RadioSelect)
    seen = None  # type: ignore[assignment]  # a new actor has no version yet

    field_order = ["sector", "name"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        choices = [
            (Sector.ASSOCIATION.value, _("An association (forening)")),
            (Sector.BUSINESS.value, _("A business")),
            (Sector.CITIZEN.value, _("Myself, as a citizen")),
        ]
        if MunicipalAdministrator.objects.filter(user=user).exists():
            choices.insert(0, (Sector.MUNICIPALITY.value, _("A municipal unit (department, school, institution)")))
        cast(forms.ChoiceField, self.fields["sector"]).choices = choices

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        municipality = data.get("municipality")
        if (
            data.get("sector") == Sector.MUNICIPALITY
            and municipality is not None
            and not MunicipalAdministrator.objects.filter(user=self.user, municipality=municipality).exists()
        ):
            self.add_error("municipality", _("You can only create municipal actors for a municipality you administer."))
        return data


class ResourceForm(forms.ModelForm):
    seen = SeenVersionField()  # when editing: the version the administrator opened (`services.version`)

    class Meta:
        model = Resource
        fields = ["kind", "title", "description", "quantity", "unit", "availability"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class NeedForm(forms.ModelForm):
    seen = SeenVersionField()  # when editing: the version the administrator opened (`services.version`)

    class Meta:
        model = Need
        fields = ["kind", "description"]


class InvitePersonForm(forms.Form):
    """Someone already in the actor, or already invited, is refused by `services.invite_person`."""

    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Membership.Role.choices,
        initial=Membership.Role.MEMBER,
        widget=forms.RadioSelect,
        help_text=_(
            "A member acts for the actor in its partnerships, conversations and surveys, and in its staff processes "
            "runs the surveys and reads what colleagues write in their own words; an administrator also edits it and "
            "answers invitations. A colleague takes part only in the workplace's own processes of employee "
            "involvement, with a voice of their own, and does not speak for the actor elsewhere."
        ),
    )


class ClaimForm(forms.Form):
    """A person asks to take over an actor nobody administers (`claims.claim_actor`)."""

    message = forms.CharField(
        label=_("Who are you at the actor?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For instance “chair of the board” or “the shop's owner”. Whoever confirms your request reads it."),
    )


class ClaimAnswerForm(forms.Form):
    """Confirm a claim, or say why not (`claims.answer_claim`)."""

    answer = forms.ChoiceField(
        label=_("May the person administer the actor?"),
        choices=[("accept", _("Yes, they act for it")), ("decline", _("No"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the person may administer the actor.")},
    )
    reason = forms.CharField(
        label=_("Why not (needed when you say no)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The person who asked is told, with your reason."),
    )
    needed_sometimes = ("reason",)  # its label says when, instead of "(optional)"


CITIZEN_FIELDS = [
    "name",
    "description",
    "themes",
    "municipality",
    "neighbourhood",
    "contact_email",
    "contact_phone",
    "public_fields",
    "open_to_suggestions",
]


def speak_to_citizen(form: forms.ModelForm) -> None:
    """Word an actor form for a person's own citizen profile: told plainly what others see, and no organisation's
    words ("actor", "people behind it")."""
    form.fields["name"].help_text = _("Your name as the others in your partnerships see it.")
    form.fields["description"].label = _("What would you like to help with, and what matters to you?")
    form.fields["neighbourhood"].help_text = _("Where you live, as a neighbourhood or part of town; not your address.")
    public = cast(forms.MultipleChoiceField, form.fields["public_fields"])
    public.choices = [
        (Actor.PublicField.CONTACT_EMAIL.value, Actor.PublicField.CONTACT_EMAIL.label),
        (Actor.PublicField.CONTACT_PHONE.value, Actor.PublicField.CONTACT_PHONE.label),
    ]
    public.help_text = _(
        "Your name, neighbourhood, description and themes, and what you offer and need, are public: anyone can "
        "read them. Your email and phone only if you tick them here."
    )
    suggest = form.fields["open_to_suggestions"]
    suggest.label = _("Partnerships may suggest me as someone who could contribute")
    suggest.help_text = _("Off unless you tick it: members of partnerships you are not in may then invite you.")


class CitizenForm(NewActorForm):
    """A person's own citizen profile: themself on Samskab. Fewer fields than an organisation's (no website, no pin,
    no people behind it), told plainly what others see, and kept out of strangers' suggestions unless they choose."""

    class Meta(NewActorForm.Meta):
        fields = CITIZEN_FIELDS

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        sector = cast(forms.ChoiceField, self.fields["sector"])
        sector.choices = [(Sector.CITIZEN.value, _("Myself, as a citizen"))]
        sector.initial = Sector.CITIZEN.value
        sector.widget = forms.HiddenInput()
        self.fields["name"].initial = user.name
        self.fields["open_to_suggestions"].initial = False
        speak_to_citizen(self)


class CitizenEditForm(ActorForm):
    """Edit a citizen profile in the words it was made with (`CitizenForm`). An address, pin or website it has from
    before stays editable, so that it can be removed."""

    class Meta(ActorForm.Meta):
        fields = [*CITIZEN_FIELDS, "address", "latitude", "longitude", "website"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("address", "website"):
            if not getattr(self.instance, name):
                del self.fields[name]
        if self.instance.latitude is None and self.instance.longitude is None:
            del self.fields["latitude"], self.fields["longitude"]
        speak_to_citizen(self)
