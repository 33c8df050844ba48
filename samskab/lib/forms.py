"""Forms rendered in the markup of Det Fælles Designsystem (dkfds).

Every form in the project renders through `DesignSystemRenderer`, so `{{ form }}` gives dkfds form groups,
hints, error messages tied to their inputs by `aria-describedby`, and the classes the design system styles.
"""

from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.forms.widgets import Input

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
        if self.errors and not isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
            described = str(attrs.get("aria-describedby", "")).split()
            described.append(f"{self.auto_id}-error")
            attrs["aria-describedby"] = " ".join(described)
        return attrs


class DesignSystemRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = DesignSystemBoundField
