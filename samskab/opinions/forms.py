from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samskab.actors.models import Actor, Sector
from samskab.lib.forms import DeadlineField, SeenVersionField
from samskab.lib.text import join_list
from samskab.partnerships.models import Partnership

from .exchange import MAX_UPLOAD_BYTES, too_large_text
from .models import STATEMENT_MAX_LENGTH, Conversation, Statement, Vote
from .services import MAX_SEED_STATEMENTS, STATEMENT_MIN_LENGTH, normalise, says_the_same


class ConversationForm(forms.ModelForm):
    seed_statements = forms.CharField(
        label=_("Seed statements"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One statement per line, at most 280 characters each. They start the conversation."),
    )

    class Meta:
        model = Conversation
        fields = ["question", "description", "allow_anonymous"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if partnership.voices_are_people:  # a staff process is its colleagues' own: no link for people without one
            del self.fields["allow_anonymous"]

    def clean_seed_statements(self) -> list[str]:
        """One statement per line, each as a participant's statement must be: at most 280 characters, a whole
        sentence, and not saying what another line says (`services.says_the_same`). Lines are counted as typed,
        blank ones included, so the numbers point to the right line."""
        numbered = [
            (n, " ".join(line.split())) for n, line in enumerate(self.data.get("seed_statements", "").splitlines(), 1)
        ]
        numbered = [(n, line) for n, line in numbered if line]
        if len(numbered) > MAX_SEED_STATEMENTS:  # checked before the lines are compared with each other
            raise forms.ValidationError(
                _("At most %(max)d seed statements; the rest can be written in the conversation.")
                % {"max": MAX_SEED_STATEMENTS}
            )
        problems = []
        too_long = [n for n, line in numbered if len(line) > STATEMENT_MAX_LENGTH]
        if too_long:
            problems.append(
                _("Line %(lines)s is longer than %(max)d characters.")
                % {"lines": join_list([str(n) for n in too_long]), "max": STATEMENT_MAX_LENGTH}
            )
        too_short = [n for n, line in numbered if sum(c.isalnum() for c in line) < STATEMENT_MIN_LENGTH]
        if too_short:
            problems.append(
                _("Line %(lines)s is not a whole sentence of at least %(min)d letters or digits.")
                % {"lines": join_list([str(n) for n in too_short]), "min": STATEMENT_MIN_LENGTH}
            )
        comparable = [(n, normalise(line)) for n, line in numbered if len(line) <= STATEMENT_MAX_LENGTH]
        for i, (n, line) in enumerate(comparable):
            earlier = next((m for m, other in comparable[:i] if says_the_same(line, other)), None)
            if earlier is not None:
                problems.append(
                    _("Line %(line)s says nearly the same as line %(earlier)s: keep one of them.")
                    % {"line": n, "earlier": earlier}
                )
        if problems:
            raise forms.ValidationError(problems)
        return [line for _n, line in numbered]


class StatementForm(forms.Form):
    # The length is checked by `services.add_statement`, after runs of whitespace are collapsed, with the text
    # kept. No maxlength in the browser: it would cut a pasted statement mid-sentence without a word.
    max_length = STATEMENT_MAX_LENGTH
    text = forms.CharField(
        label=_("Your statement"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One short point about the problem, at most 280 characters. Others will agree or disagree."),
    )


class VoteForm(forms.Form):
    statement = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.TypedChoiceField(choices=Vote.Value.choices, coerce=int)


class SectorForm(forms.Form):
    sector = forms.ChoiceField(
        label=_("I take part as"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose which sector you belong to.")},
        choices=[
            (Sector.CITIZEN.value, _("Citizen")),
            (Sector.ASSOCIATION.value, _("Member of an association")),
            (Sector.BUSINESS.value, _("Business")),
            (Sector.MUNICIPALITY.value, _("Municipal employee")),
        ],
        help_text=_("You say this once. It lets the map show what the sectors agree on; nobody sees who you are."),
    )


class ModerationForm(forms.Form):
    """Hiding a statement: a reason chosen on purpose (never by default) and an optional note for the log."""

    reason = forms.ChoiceField(
        label=_("Why hide it?"),
        choices=[("", _("Choose a reason")), *Statement.HideReason.choices],
        error_messages={"required": _("Choose why the statement is hidden: spam, off topic or a duplicate.")},
    )
    note = forms.CharField(
        label=_("Note for the members"),
        required=False,
        max_length=300,
        help_text=_("Shown in the log, for example which statement it repeats."),
    )

    def __init__(self, *args: Any, statement: Statement, **kwargs: Any) -> None:
        kwargs["auto_id"] = f"id_%s_hide_{statement.pk}"
        super().__init__(*args, **kwargs)


class KeepForm(forms.Form):
    """Keeping a reported statement, with an optional note for the log."""

    note = forms.CharField(label=_("Why it stays"), required=False, max_length=300, help_text=_("Shown in the log."))

    def __init__(self, *args: Any, statement: Statement, **kwargs: Any) -> None:
        kwargs["auto_id"] = f"id_%s_keep_{statement.pk}"
        super().__init__(*args, **kwargs)


class _StatementChoices(forms.ModelMultipleChoiceField):
    """Statements by their text; from several conversations, each says which one it comes from."""

    questions: dict[int, str] = {}  # conversation → question, set where statements come from more than one

    def label_from_instance(self, obj: Any) -> str:
        text = str(obj.text)
        if obj.is_hidden:
            text = _("%(text)s (hidden by the facilitator)") % {"text": obj.text}
        if obj.conversation_id in self.questions:
            text = _("%(text)s (from “%(question)s”)") % {"text": text, "question": self.questions[obj.conversation_id]}
        return text


class ProblemDefinitionForm(forms.Form):
    text = forms.CharField(
        label=_("Our joint problem definition"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )
    statements = _StatementChoices(
        label=_("Statements it builds on"),
        queryset=Statement.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    seen = SeenVersionField()
    # Only for "Save and propose adopting it": the draft as typed is saved and proposed in one step, so no
    # unsaved edit is left behind and a refused deadline loses nothing.
    deadline = DeadlineField(
        required=False,
        initial=lambda: (timezone.localtime() + timedelta(days=7)).replace(second=0, microsecond=0),
    )

    def __init__(self, *args: Any, statements: Any, proposing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["statements"]
        field.queryset = statements  # type: ignore[attr-defined]
        conversations = dict(
            Conversation.objects.filter(pk__in=statements.values("conversation_id")).values_list("pk", "question")
        )
        field.questions = conversations if len(conversations) > 1 else {}  # type: ignore[attr-defined]
        self.proposing = proposing

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.proposing:  # only proposing reads the deadline: a bad one never stops a plain save
            self.errors.pop("deadline", None)
            cleaned.pop("deadline", None)
        elif cleaned.get("deadline") is None and not self.has_error("deadline"):
            self.add_error("deadline", forms.ValidationError(_("Choose a deadline for objections."), code="required"))
        return cleaned


class PolisImportForm(forms.Form):
    actor = forms.ModelChoiceField(label=_("On behalf of"), queryset=Actor.objects.none(), empty_label=None)
    partnership = forms.ModelChoiceField(
        label=_("Partnership"),
        queryset=Partnership.objects.none(),
        required=False,
        help_text=_("Leave empty for a standalone conversation."),
    )
    question = forms.CharField(label=_("The conversation's question"), max_length=300)
    comments = forms.FileField(label=_("comments.csv"), help_text=_("At most 5 MB."))
    participants_votes = forms.FileField(label=_("participants-votes.csv"), help_text=_("At most 5 MB."))
    votes = forms.FileField(label=_("votes.csv"), required=False, help_text=_("Gives the votes' times. At most 5 MB."))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        actors = Actor.objects.of_user(user).distinct()
        self.fields["actor"].queryset = actors  # type: ignore[attr-defined]
        self.fields["partnership"].queryset = Partnership.objects.filter(  # type: ignore[attr-defined]
            members__actor__in=actors
        ).distinct()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in ("comments", "participants_votes", "votes"):
            upload = cleaned.get(name)
            if upload is not None and upload.size > MAX_UPLOAD_BYTES:  # refused before anything reads it
                self.add_error(name, too_large_text())
        return cleaned
