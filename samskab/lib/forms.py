"""Forms rendered in the markup of Det Fælles Designsystem (dkfds).

Every form in the project renders through `DesignSystemRenderer`, so `{{ form }}` gives dkfds form groups,
hints, error messages tied to their inputs by `aria-describedby`, and the classes the design system styles.
"""

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.forms.widgets import Input
from django.http import QueryDict
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

WIDGET_CLASSES = {
    forms.Select: "form-select",
    forms.SelectMultiple: "form-select",
    forms.CheckboxInput: "form-checkbox",
    forms.CheckboxSelectMultiple: "form-checkbox",
    forms.RadioSelect: "form-radio",
    forms.Textarea: "form-input",
    Input: "form-input",
}


def widget_class(widget: forms.Widget) -> str:
    for widget_type in type(widget).__mro__:
        if widget_type in WIDGET_CLASSES:
            return WIDGET_CLASSES[widget_type]
    return ""


class DesignSystemBoundField(BoundField):
    def build_widget_attrs(self, attrs: dict[str, Any], widget: forms.Widget | None = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        css = widget_class(widget)
        classes = str(attrs.get("class", ""))  # attribute values are typed str | bool; these are strings
        if css and css not in classes:
            attrs["class"] = f"{classes} {css}".strip()
        # Django points aria-describedby at "<id>_helptext" and "<id>_error", the ids forms/field.html gives them.
        return attrs

    @property
    def says_optional(self) -> bool:
        """Whether the label ends in "(optional)": the field may be left empty, the form is not a filter (whose
        fields all may), and the field is not one the form needs in some cases (`needed_sometimes`), which its
        label says instead."""
        return (
            not self.field.required
            and not getattr(self.form, "is_filter", False)
            and self.name not in getattr(self.form, "needed_sometimes", ())
        )


class AmountField(forms.DecimalField):
    """An amount of something (hours, rooms, kroner): a whole amount is shown as one ("3", not "3.0") when the
    form opens with it."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
            return value.quantize(Decimal(1))
        return value


class DesignSystemRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = DesignSystemBoundField


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's own date-and-time picker (`<input type="datetime-local">`)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class LocalDateTimeField(forms.DateTimeField):
    """A local date and time from the browser's picker, within years a plan can mean (2000–2100): a year such
    as 0001 is a typing slip, and it could not be stored once moved to UTC."""

    widget = DateTimeLocalInput
    first_year, last_year = 2000, 2100

    def to_python(self, value: Any) -> Any:
        result = super().to_python(value)
        if result is not None and not self.first_year <= result.year <= self.last_year:
            raise forms.ValidationError(
                _("Enter a time between the years %(first)d and %(last)d."),
                code="out_of_range",
                params={"first": self.first_year, "last": self.last_year},
            )
        return result


# Consent decides by silence, so a proposal must give every member actor time to read it and object: a deadline
# minutes away would let a proposal pass before anyone saw it.
MIN_OBJECTION_PERIOD = timedelta(hours=24)
OBJECTION_HOURS = int(MIN_OBJECTION_PERIOD.total_seconds() // 3600)


def check_objection_deadline(deadline: datetime) -> datetime:
    """The deadline of a proposal, at least `MIN_OBJECTION_PERIOD` away; else a Danish reason why not."""
    if deadline < timezone.now() + MIN_OBJECTION_PERIOD:
        raise ValidationError(
            _(
                "The deadline must be at least %(hours)d hours from now, so that every member has time to read "
                "the proposal and object."
            )
            % {"hours": OBJECTION_HOURS},
            code="deadline",
        )
    return deadline


def a_week_from_now() -> datetime:
    """A deadline's first suggestion: this minute, a week on, in local time."""
    return (timezone.localtime() + timedelta(days=7)).replace(second=0, microsecond=0)


class DeadlineField(LocalDateTimeField):
    """A deadline for objections: a local date and time at least `MIN_OBJECTION_PERIOD` away."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Deadline for objections"))
        kwargs.setdefault(
            "help_text",
            _("At least %(hours)d hours from now. Silence until then counts as consent.") % {"hours": OBJECTION_HOURS},
        )
        kwargs.setdefault("initial", a_week_from_now)  # a week for every member to read, ask and respond
        kwargs.setdefault("error_messages", {"required": _("Choose a deadline for objections.")})
        super().__init__(**kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None:
            check_objection_deadline(value)


def version_of(saved_at: datetime | None) -> str:
    """A shared text's version, for a form to send back: when it was last saved ("" if never)."""
    return saved_at.isoformat() if saved_at else ""


class SeenVersionField(forms.CharField):
    """Hidden: the version (`version_of`) of the shared text the person opened, so that saving can tell whether
    someone else saved in between."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class EditedMeanwhile(ValidationError):
    """Someone else saved a shared text after this person opened it. Nothing is saved: the page shows the
    other version, the form keeps the person's own text, and saving again replaces the other version."""

    def __init__(self, by: str, current: datetime | None) -> None:
        super().__init__(
            _(
                "%(name)s saved a new version while you were writing. Theirs is shown above and yours is kept "
                "in the field: combine them, and save again to replace their version."
            )
            % {"name": by or _("Another member")},
            code="edited_meanwhile",
        )
        self.current = version_of(current)


def check_unchanged(seen: str | None, saved_at: datetime | None, saved_by: str) -> None:
    """Raise `EditedMeanwhile` when the text was saved after the version the person opened. None: no check
    (callers that do not edit from a form, such as the demo loader)."""
    if seen is not None and seen != version_of(saved_at):
        raise EditedMeanwhile(saved_by, saved_at)


def field_refusal(field: str, message: str, *, code: str) -> ValidationError:
    """A service's refusal of one input (`field`, as forms and the API name it): a form shows it at that field,
    linked from the error summary (`apply_service`); the API answers with the message."""
    return ValidationError({field: ValidationError(message, code=code)})


def check_length(field: str, text: str, limit: int, message: str) -> None:
    """Refuse (`field_refusal`) a text longer than `limit` characters; `message` says so with `%(max)d` and
    `%(length)d`, in the words of what is written (a comment, a lesson)."""
    if len(text) > limit:
        raise field_refusal(field, message % {"max": limit, "length": len(text)}, code="too_long")


def add_refusal(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's refusal as the form's errors: a part that names a field the person fills in (`field_refusal`)
    at that field, so that it is marked invalid and the error summary links to it; the rest above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        field = form.fields.get(name) if name != NON_FIELD_ERRORS else None
        form.add_error(name if field is not None and not field.widget.is_hidden else None, ValidationError(errors))


class AlreadyThere(ValidationError):
    """The same thing created again, mostly the form sent twice after going back in the browser: nothing is saved.
    The error belongs to the form's `field`; `url` and `link` lead to the one that is there (`apply_service` puts
    the link above the form)."""

    def __init__(self, message: str, *, field: str, url: str, link: str) -> None:
        super().__init__({field: ValidationError(message, code="already_there")})
        self.field, self.url, self.link = field, url, link


def apply_service(form: forms.BaseForm, call: Any) -> Any:
    """Run a service with the form's valid data and return what it returns. None when the form is invalid or
    the service refuses; the refusal becomes a form error (at its field, where it names one: `add_refusal`), and
    the form keeps what was typed. After `EditedMeanwhile` the form carries the new version, so the next save
    goes through."""
    if not form.is_valid():
        return None
    try:
        return call(form.cleaned_data)
    except EditedMeanwhile as error:
        data = QueryDict(mutable=True)
        data.update(form.data)  # every value, a checkbox list's too
        data[form.add_prefix("seen")] = error.current
        form.data = data
        form.add_error(None, error)
        return None
    except AlreadyThere as there:
        form.add_error(
            None, ValidationError(format_html('<a href="{}">{}</a>', there.url, there.link), code="already_there")
        )
        add_refusal(form, there)
        return None
    except ValidationError as error:
        add_refusal(form, error)
        return None
