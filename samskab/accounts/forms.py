from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import NotificationKind, NotificationPreference, User, default_email


class SignupNameForm(forms.Form):
    """Extra field on allauth's sign-up form: the name other members will see."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        help_text=_("Shown to the partners you work with."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    field_order = ["name", "email", "password1", "password2"]

    def signup(self, request: HttpRequest, user: User) -> None:
        user.name = self.cleaned_data["name"]
        user.save(update_fields=["name"])


class ApiTokenForm(forms.Form):
    label = forms.CharField(label=_("What is the key for?"), max_length=80)


class NameForm(forms.Form):
    """The name others see, put right by the person (the sign-up form promises it is shown to partners)."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=User._meta.get_field("name").max_length,
        help_text=_("Shown to the partners you work with. The names of your actors are changed on their own pages."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Write the name others should see.")},
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        strip=False,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not right."))
        return password


# How the settings and unsubscribe pages name a kind where its label in `NotificationKind` speaks only of actors: a
# colleague in an employee involvement process answers proposals in person.
KIND_LABELS: dict[str, Any] = {NotificationKind.PROPOSAL: _("Proposals awaiting my response or my actor's")}

# Kinds that only reach people who act for an actor (administrators, members): never a colleague only.
ACTING_KINDS = (NotificationKind.INVITATION, NotificationKind.CHALLENGE)


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind) or dict(NotificationKind.choices).get(kind, kind))


class NotificationChoicesForm(forms.Form):
    """How each kind of notification comes by email, one field per kind (named "email-<kind>" by the form's
    prefix); to someone who acts for no actor, only the kinds that can reach them. A kind or a choice the page does
    not offer is refused, not passed over."""

    prefix = "email"

    def __init__(self, *args: Any, current: dict[str, str], acts_for_actor: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in NotificationKind.values:
            if kind in ACTING_KINDS and not acts_for_actor:
                continue
            self.fields[kind] = forms.ChoiceField(
                label=kind_label(kind),
                choices=NotificationPreference.Email.choices,
                initial=current.get(kind, default_email(kind)),
                required=False,  # a kind the page did not show (opened before it existed) keeps its choice
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for kind in list(data):
            if self.add_prefix(kind) not in self.data:
                del data[kind]
            elif not data[kind]:  # sent, but empty: a choice is made on purpose
                self.add_error(
                    kind, forms.ValidationError(self.fields[kind].error_messages["required"], code="required")
                )
        start = self.add_prefix("")
        unknown = sorted(key.removeprefix(start) for key in self.data if key.startswith(start))
        unknown = [kind for kind in unknown if kind not in self.fields]
        if unknown:
            raise forms.ValidationError(
                _("Unknown kind of notification: %(kinds)s.") % {"kinds": ", ".join(unknown)}, code="unknown_kind"
            )
        return data
