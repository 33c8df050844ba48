from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samskab.actors.models import Actor, Sector
from samskab.lib.forms import DeadlineField, SeenVersionField
from samskab.lib.text import join_list
from samskab.partnerships.models import Partnership

from .exchange import MAX_UPLOAD_BYTES, too_large_text
from .models import HIDE_REASON_NEEDED, STATEMENT_MAX_LENGTH, TAKING_PART_AS, Conversation, Statement, Vote
from .services import (
    MAX_SEED_STATEMENTS,
    STATEMENT_MIN_LENGTH,
    find_near_duplicate,
    hidden_repeat,
    normalise,
    quotable,
    says_the_same,
)


class ConversationForm(forms.ModelForm):
    """Opening a conversation: in a partnership, or standalone (`partnership` None) on behalf of one of the
    actors `actors` the person acts for, asked only when there are several."""

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

    def __init__(self, *args: Any, partnership: Partnership | None, actors: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if partnership is not None and partnership.voices_are_people:
            del self.fields["allow_anonymous"]  # a staff process is its colleagues' own: no link for people without one
        elif partnership is None:
            self.fields["allow_anonymous"].label = _("People without an account may take part")
            self.fields["allow_anonymous"].help_text = _(
                "Anyone can read the conversation, and everyone signed in can take part. With this, people without "
                "an account vote and write too; they state their sector once."
            )
        if actors is not None and len(actors) > 1:
            self.fields["actor"] = forms.ModelChoiceField(label=_("On behalf of"), queryset=actors, empty_label=None)
            self.order_fields(["actor"])

    def numbered_seeds(self) -> list[tuple[int, str]]:
        """The seed statements typed, each with its line number (blank lines counted, so a number points to the
        right line), runs of whitespace collapsed."""
        lines = self.data.get("seed_statements", "").splitlines()
        numbered = [(n, " ".join(line.split())) for n, line in enumerate(lines, 1)]
        return [(n, line) for n, line in numbered if line]

    def clean_seed_statements(self) -> list[str]:
        """One statement per line, each as a participant's statement must be: at most 280 characters, a whole
        sentence, and not saying what another line says (`services.says_the_same`). Lines are counted as typed,
        blank ones included, so the numbers point to the right line."""
        numbered = self.numbered_seeds()
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


class ConversationChangeForm(ConversationForm):
    """The facilitator changes the question, the introduction and who may take part, and adds seed statements,
    each checked against the others and against the conversation's statements (shown or hidden)."""

    def __init__(self, *args: Any, conversation: Conversation, **kwargs: Any) -> None:
        super().__init__(*args, partnership=conversation.partnership, instance=conversation, **kwargs)
        self.conversation = conversation
        field = self.fields["seed_statements"]
        field.label = _("Add seed statements")
        field.help_text = _("One statement per line, at most 280 characters each. They are added to those there are.")
        if not conversation.is_open:
            del self.fields["seed_statements"]  # a closed conversation takes nothing new

    def clean_seed_statements(self) -> list[str]:
        lines = super().clean_seed_statements()
        problems = []
        for n, line in self.numbered_seeds():
            existing = find_near_duplicate(self.conversation, line)
            if existing is not None:
                problems.append(
                    _("Line %(line)s says nearly the same as a statement there is: “%(text)s”.")
                    % {"line": n, "text": quotable(existing.text)}
                )
            elif hidden_repeat(self.conversation, line) is not None:
                problems.append(_("Line %(line)s repeats a statement the facilitator has hidden.") % {"line": n})
        if problems:
            raise forms.ValidationError(problems)
        return lines


class StatementForm(forms.Form):
    # The length is checked by `services.add_statement`, after runs of whitespace are collapsed, with the text
    # kept. No maxlength in the browser: it would cut a pasted statement mid-sentence without a word.
    max_length = STATEMENT_MAX_LENGTH
    text = forms.CharField(
        label=_("Your statement"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One short point about the problem, at most 280 characters. Others will agree or disagree."),
        error_messages={"required": _("Write a statement before you send it.")},  # as `services.add_statement`
    )


class VoteForm(forms.Form):
    statement = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.TypedChoiceField(choices=Vote.Value.choices, coerce=int)


class SectorForm(forms.Form):
    """The sector a person takes part as, asked once. `sectors` narrows the choices: to those of the actors a
    signed-in person acts for, each named with its actor."""

    sector = forms.ChoiceField(
        label=_("I take part as"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose which sector you belong to.")},
        choices=list(TAKING_PART_AS.items()),
        help_text=_("You say this once. It lets the map show what the sectors agree on; nobody sees who you are."),
    )

    def __init__(
        self, *args: Any, sectors: dict[str, Actor] | None = None, private_person: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if sectors:
            field = self.fields["sector"]
            choices: list[tuple[str, Any]] = [
                (value, _("%(sector)s (%(actor)s)") % {"sector": label, "actor": sectors[value].name})
                for value, label in TAKING_PART_AS.items()
                if value in sectors
            ]
            # Someone who acts for actors may take part as a private person instead (`services._standalone_identity`).
            if private_person and Sector.CITIZEN not in sectors:
                choices.append((Sector.CITIZEN, _("Citizen (as a private person)")))
            field.choices = choices  # type: ignore[attr-defined]
            field.help_text = _(
                "You act for actors of more than one sector: say once which you take part as. It lets the map show "
                "what the sectors agree on; the others see only a number."
            )


class ModerationForm(forms.Form):
    """Hiding a statement: a reason chosen on purpose (never by default) and an optional note for the log."""

    reason = forms.ChoiceField(
        label=_("Why hide it?"),
        choices=[("", _("Choose a reason")), *Statement.HideReason.choices],
        error_messages={"required": HIDE_REASON_NEEDED},
    )
    note = forms.CharField(
        label=_("Note for the members"),
        required=False,
        max_length=300,
        help_text=_("Shown in the log, for example which statement it repeats."),
    )

    def __init__(self, *args: Any, statement: Statement, public: bool = False, **kwargs: Any) -> None:
        kwargs["auto_id"] = f"id_%s_hide_{statement.pk}"
        super().__init__(*args, **kwargs)
        if public:  # a standalone conversation has no members: its log is for everyone
            self.fields["note"].label = _("Note for everyone")
            self.fields["note"].help_text = _(
                "Shown in the log, which anyone can read, for example which statement it repeats."
            )


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
    # unsaved edit is left behind and a refused deadline loses nothing. Proposing needs it (a proposal has a
    # deadline), so it is not labelled optional; a plain save ignores it.
    deadline = DeadlineField()

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
        if not self.proposing:  # only proposing reads the deadline: a bad or missing one never stops a plain save
            self.errors.pop("deadline", None)
            cleaned.pop("deadline", None)
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
        self.user = user
        actors = Actor.objects.of_user(user).distinct()
        self.fields["actor"].queryset = actors  # type: ignore[attr-defined]
        self.fields["partnership"].queryset = Partnership.objects.filter(  # type: ignore[attr-defined]
            members__actor__in=actors
        ).distinct()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        actor, partnership = cleaned.get("actor"), cleaned.get("partnership")
        if actor is not None and partnership is not None and not partnership.takes_part_through(self.user, actor):
            self.add_error(
                "actor",
                _("%(actor)s is not a member of “%(partnership)s”: choose the actor you take part through.")
                % {"actor": actor.name, "partnership": partnership.title},
            )
        for name in ("comments", "participants_votes", "votes"):
            upload = cleaned.get(name)
            if upload is not None and upload.size > MAX_UPLOAD_BYTES:  # refused before anything reads it
                self.add_error(name, too_large_text())
            elif upload is not None and (problem := _not_a_csv(upload)):
                self.add_error(name, problem)
        return cleaned


def _not_a_csv(upload: Any) -> str:
    """Why an upload is no CSV file at all, told before its columns are read: a zip (Samskab's own export, or
    Polis's) is to be unpacked, and a picture or other binary file is the wrong file. Empty if it may be text."""
    start = upload.read(4096)
    upload.seek(0)
    if start.startswith(b"PK\x03\x04"):
        return str(_("The file is a zip file. Unpack it, and upload the CSV files in it one by one."))
    if start.startswith(
        (b"\x89PNG", b"\xff\xd8\xff", b"%PDF", b"GIF8", b"\xd0\xcf\x11\xe0")
    ):  # pictures, PDF, old Excel
        return str(_("The file is not a CSV file. Choose the CSV file this field names."))
    return ""
