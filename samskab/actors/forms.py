from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db.models import Avg
from django.utils.translation import gettext_lazy as _

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

    q = forms.CharField(label=_("Search by name or description"), required=False, max_length=100)
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=[("", _("All sectors")), *Sector.choices])
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    neighbourhood = forms.ChoiceField(label=_("Neighbourhood"), required=False)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    resource_kind = forms.ChoiceField(
        label=_("Offers"), required=False, choices=[("", _("Any resource")), *ResourceKind.choices]
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

    def filters(self) -> dict[str, Any]:
        """The valid filters; an invalid one is reported on the form and left out."""
        if not self.is_bound:
            return {}
        self.is_valid()
        filters = {key: value for key, value in self.cleaned_data.items() if value and key not in ("near", "km")}
        near, km = self.cleaned_data.get("near"), self.cleaned_data.get("km")
        if near and km:
            # "Distance from a place": the middle of the chosen neighbourhood's actors.
            centre = Actor.objects.filter(neighbourhood=near, latitude__isnull=False).aggregate(
                lat=Avg("latitude"), lon=Avg("longitude")
            )
            if centre["lat"] is not None:
                filters |= {"lat": centre["lat"], "lon": centre["lon"], "km": float(km)}
        return filters


class ActorForm(forms.ModelForm):
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
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}


class NewActorForm(ActorForm):
    sector = forms.ChoiceField(label=_("What kind of actor?"), widget=forms.RadioSelect)

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
    class Meta:
        model = Resource
        fields = ["kind", "title", "description", "quantity", "unit", "availability"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class NeedForm(forms.ModelForm):
    class Meta:
        model = Need
        fields = ["kind", "description"]


class InvitePersonForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER)
