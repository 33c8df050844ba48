from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from samskab.actors.claims import is_administered
from samskab.actors.models import Actor, Municipality, Resource, ResourceKind, Sector, Theme
from samskab.lib.forms import AmountField, DeadlineField, LocalDateTimeField, SeenVersionField, version_of

from .models import (
    Action,
    AgendaItem,
    Challenge,
    Decision,
    Lesson,
    Meeting,
    Partnership,
    Phase,
    PledgesOnLeaving,
    Proposal,
    ProposalComment,
    Response,
)
from .models.agenda import MINUTES_MAX_LENGTH
from .models.decisions import COMMENT_MAX_LENGTH
from .models.learning import LESSON_MAX_LENGTH
from .services.agenda import check_meeting_start

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
    """Raise a challenge on behalf of one of the person's actors or, given the `instance`, edit it: then the actor
    stays the one that raised it, and `seen` carries the version the person opened (`lib.forms.version_of`)."""

    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    seen = SeenVersionField()

    class Meta:
        model = Challenge
        fields = ["actor", "title", "description", "themes", "municipality", "place", "affected"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "affected": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "title": _("A short headline, for example “Young people gathering on street corners in Nørreby”."),
            "description": _("Describe what you see, as concretely as you can. You do not need a solution."),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.all()  # type: ignore[attr-defined]
        if self.instance.pk is not None:
            del self.fields["actor"]
            return
        del self.fields["seen"]
        actors = Actor.objects.of_user(user).distinct()
        self.set_actors(actors)
        first = actors.first()
        if first is not None and not self.is_bound:
            self.fields["municipality"].initial = first.municipality_id


class ChallengeFilterForm(forms.Form):
    """The challenge list's search box and filters (GET), modelled on the actor directory's."""

    is_filter = True

    q = forms.CharField(label=_("Search the challenges"), required=False, max_length=100)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    place = forms.ChoiceField(label=_("Neighbourhood or place"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Open or in a partnership")),
            ("open", _("Open, no partnership yet")),
            ("in_partnership", _("In a partnership")),
            ("closed", _("Closed")),
            ("all", _("All, closed ones too")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["municipality"]).choices = [("", _("All municipalities"))] + [
            (m.code, m.name) for m in Municipality.objects.all()
        ]
        cast(forms.ChoiceField, self.fields["theme"]).choices = [("", _("All themes"))] + [
            (t.slug, t.name) for t in Theme.objects.all()
        ]
        cast(forms.ChoiceField, self.fields["place"]).choices = [("", _("All places"))] + [
            (p, p) for p in Challenge.objects.places()
        ]

    def filters(self) -> dict[str, str]:
        """The valid filters; an invalid one is reported on the form and left out."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {key: value for key, value in self.cleaned_data.items() if value}


class ChallengeStatusForm(forms.Form):
    """Close a challenge, saying why if one likes, or open it again (`reopen`)."""

    reopen = forms.BooleanField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Why is it closed?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example what came of it, or where the work goes on. Shown on the challenge's page."),
    )


class StartPartnershipForm(ActingActorMixin, forms.ModelForm):
    class Meta:
        model = Partnership
        fields = ["actor", "title", "purpose", "kind", "room_for_change", "visibility"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "room_for_change": forms.Textarea(attrs={"rows": 3}),
            "kind": forms.RadioSelect,
            "visibility": forms.RadioSelect,
        }

    def __init__(self, *args: Any, user: User, involvement: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        actors = Actor.objects.of_user(user).distinct()
        # A citizen has no staff to involve: employee involvement is a workplace's.
        self.set_actors(actors.exclude(sector=Sector.CITIZEN) if involvement else actors)
        if involvement:  # the kind is given: a co-creation partnership starts from a challenge
            del self.fields["kind"]
        else:  # the room for change belongs to employee involvement
            del self.fields["room_for_change"]


class PartnershipForm(ActingActorMixin, forms.ModelForm):
    seen = SeenVersionField()

    class Meta:
        model = Partnership
        fields = ["actor", "title", "purpose", "room_for_change", "visibility"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "room_for_change": forms.Textarea(attrs={"rows": 3}),
            "visibility": forms.RadioSelect,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.voices_are_people:  # the room for change belongs to employee involvement
            del self.fields["room_for_change"]
        if self.instance.visibility == Partnership.Visibility.MEMBERS:
            self.fields["visibility"].help_text = _(
                "Making it public is proposed to the members, and happens only if nobody objects within a week: "
                "then everything written here becomes readable by anyone, the minutes, proposals and objections "
                "included."
            )
        else:
            self.fields["visibility"].help_text = _(
                "Members-only takes effect at once; making it public again needs the members' consent."
            )


class InviteActorForm(ActingActorMixin, forms.Form):
    invitee = forms.ModelChoiceField(label=_("Actor to invite"), queryset=Actor.objects.none())
    message = forms.CharField(
        label=_("Message"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        waiting = partnership.invitations.pending().values("actor")  # invited already: the page lists them
        self.fields["invitee"].queryset = (  # type: ignore[attr-defined]
            Actor.objects.exclude(partnership_memberships__partnership=partnership)
            .exclude(pk__in=waiting)
            .filter(anonymised_at__isnull=True)
            .annotate(answered_for=is_administered())
            .order_by("name")
        )
        self.fields["invitee"].label_from_instance = _invitee_label  # type: ignore[attr-defined]


def _invitee_label(actor: Actor) -> str:
    """Its name and sector, and whether anyone can answer for it yet (`actors.claims`)."""
    if getattr(actor, "answered_for", True):
        return f"{actor.name} ({actor.get_sector_display()})"
    return _("%(name)s (%(sector)s, nobody acts for it on Samskab yet)") % {
        "name": actor.name,
        "sector": actor.get_sector_display(),
    }


class WithdrawInvitationForm(ActingActorMixin, forms.Form):
    """Withdraw an invitation not yet answered, on behalf of a member actor."""


class LeaveForm(forms.Form):
    """Take one of the person's actors out of a partnership."""

    actor = forms.ModelChoiceField(label=_("Which actor leaves?"), queryset=Actor.objects.none(), empty_label=None)
    note = forms.CharField(
        label=_("Why? The other members are told"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # Asked only where an actor that may leave has standing pledges; the service requires it for such an actor.
    pledges = forms.ChoiceField(
        label=_("What becomes of its pledges?"), choices=PledgesOnLeaving.choices, widget=forms.RadioSelect
    )
    needed_sometimes = ("pledges",)  # needed for an actor with pledges, which the page lists above the form

    def __init__(self, *args: Any, actors: QuerySet[Actor], pledging: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = actors  # type: ignore[attr-defined]
        if len(actors) == 1:
            self.fields["actor"].initial = actors[0].pk
        if not pledging:
            del self.fields["pledges"]
        else:  # the actor chosen may have none: the service asks only where it has
            self.fields["pledges"].required = False


class PhaseForm(ActingActorMixin, forms.Form):
    phase = forms.ChoiceField(label=_("Move to phase"), choices=Phase.choices)
    note = forms.CharField(label=_("Why?"), required=False, max_length=300)


class RespondForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])


class AgendaItemForm(ActingActorMixin, forms.Form):
    title = forms.CharField(label=_("What should we take up?"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class AgendaPrioritiesForm(forms.Form):
    """The points one actor (`per_person`: one person) spreads over the open agenda items: a field `points-<item id>`
    per open item. A refused entry comes back with every number as typed."""

    def __init__(
        self, *args: Any, items: Iterable[AgendaItem], budget: int, per_person: bool = False, **kwargs: Any
    ) -> None:
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.budget, self.per_person = budget, per_person
        for item in items:
            if item.status != AgendaItem.Status.DONE:
                self.fields[f"points-{item.pk}"] = forms.IntegerField(
                    label=_("Points for %(title)s") % {"title": item.title},
                    required=False,
                    min_value=0,
                    max_value=budget,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        given = sum(value for value in data.values() if value)
        if given > self.budget:
            raise forms.ValidationError(
                _("Each person has %(n)d points to spread; you gave %(given)d.")
                if self.per_person
                else _("Each actor has %(n)d points to spread; you gave %(given)d."),
                code="too_many",
                params={"n": self.budget, "given": given},
            )
        return data

    def points(self) -> dict[int, int]:
        """The valid form's points by item id; an empty field gives none."""
        return {
            int(name.removeprefix("points-")): value for name, value in self.cleaned_data.items() if value is not None
        }


class MeetingForm(ActingActorMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = LocalDateTimeField(label=_("Starts"))
    ends_at = LocalDateTimeField(label=_("Ends"))
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    video_link = forms.URLField(label=_("Video link"), required=False, max_length=200)
    items = forms.ModelMultipleChoiceField(
        label=_("Agenda (the most prioritised items first)"),
        queryset=AgendaItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = AgendaItem.objects.for_meeting_choice(partnership)  # type: ignore[attr-defined]
        self.say_when_no_items()
        now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
        self.fields["starts_at"].widget.attrs["min"] = now
        self.fields["ends_at"].widget.attrs["min"] = now

    def say_when_no_items(self) -> None:
        """An agenda with nothing to choose says why, rather than showing a heading with nothing under it."""
        field = cast(forms.ModelMultipleChoiceField, self.fields["items"])
        if field.queryset is not None and not field.queryset.exists():
            field.help_text = _(
                "There are no open items on the agenda yet. Put them on the agenda first; a meeting's agenda can be "
                "changed later."
            )

    def clean_starts_at(self) -> Any:
        return check_meeting_start(self.cleaned_data["starts_at"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        if not data.get("place") and not data.get("video_link"):
            self.add_error("place", _("Give a place or a video link."))
        return data


def _same_minute(a: datetime, b: datetime) -> bool:
    return a.replace(second=0, microsecond=0) == b.replace(second=0, microsecond=0)


class MeetingEditForm(MeetingForm):
    """Change a scheduled meeting. The agenda choices are the open items and those already on this meeting; a time
    left as it was stays, even once it has passed (the picker shows whole minutes). `seen` carries the version the
    member opened (`lib.forms.version_of`)."""

    seen = SeenVersionField()

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, partnership=meeting.partnership, **kwargs)
        self.meeting = meeting
        self.fields["items"].queryset = AgendaItem.objects.for_meeting_edit(meeting)  # type: ignore[attr-defined]
        self.fields["items"].label = _("Agenda (items left out go back on the open agenda)")
        self.fields["items"].help_text = ""
        self.say_when_no_items()

    def clean_starts_at(self) -> Any:
        starts_at = self.cleaned_data["starts_at"]
        if _same_minute(starts_at, self.meeting.starts_at):
            return self.meeting.starts_at
        return check_meeting_start(starts_at)

    def clean_ends_at(self) -> Any:
        ends_at = self.cleaned_data["ends_at"]
        return self.meeting.ends_at if _same_minute(ends_at, self.meeting.ends_at) else ends_at


class CancelMeetingForm(ActingActorMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why is the meeting cancelled?"),
        help_text=_("Everyone in the partnership is told, with your reason."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": _("Say why the meeting is cancelled, so that the members know.")},
    )


class MinutesForm(ActingActorMixin, forms.Form):
    """Write the minutes: the service refuses emptying minutes that exist, tied to this field."""

    minutes = forms.CharField(
        label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 10}), required=False, max_length=MINUTES_MAX_LENGTH
    )
    seen = SeenVersionField()


class AttendanceForm(ActingActorMixin, forms.Form):
    present = forms.ModelMultipleChoiceField(
        label=_("Who attended?"),
        queryset=Actor.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = Actor.objects.filter(  # type: ignore[attr-defined]
            partnership_memberships__partnership=partnership
        ).order_by("name")


class ProposalForm(ActingActorMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("The proposal"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000)
    deadline = DeadlineField()
    agenda_item = forms.ModelChoiceField(label=_("Agenda item"), queryset=AgendaItem.objects.none(), required=False)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = partnership.agenda_items.exclude(  # type: ignore[attr-defined]
            status=AgendaItem.Status.DONE
        )


class AmendForm(ActingActorMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)  # the version amended: refused if amended since
    text = forms.CharField(label=_("Amended proposal"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000)


class ResponseForm(ActingActorMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Your actor's response"), choices=Response.Kind.choices, widget=forms.RadioSelect)
    # Needed for an objection or a concern, which `services.respond_to_proposal` checks; never for a plain consent.
    reason = forms.CharField(
        label=_("Reason (needed for an objection or a concern)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("What would be harmed, and what would help? A plain consent needs no reason."),
    )
    needed_sometimes = ("reason",)  # its label says when, instead of "(optional)"


class CommentForm(ActingActorMixin, forms.Form):
    """A comment in a proposal's discussion, on the version the person read, or a reply to a comment.

    The length is checked by `services.comment_on_proposal`, with the text kept; no maxlength in the browser, which
    would cut a pasted text short without a word."""

    max_length = COMMENT_MAX_LENGTH
    version = forms.IntegerField(widget=forms.HiddenInput)
    reply_to = forms.ModelChoiceField(
        queryset=ProposalComment.objects.none(), widget=forms.HiddenInput, required=False, label=_("Reply to")
    )
    text = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write your comment.")},
    )

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "comment-%s")  # its own field ids beside the response and amendment forms
        super().__init__(*args, **kwargs)
        self.fields["text"].help_text = _(
            "Ask, explain a concern, or suggest a change that would meet an objection. At most %(max)d characters."
        ) % {"max": COMMENT_MAX_LENGTH}
        self.fields["reply_to"].queryset = proposal.comments.filter(  # type: ignore[attr-defined]
            reply_to__isnull=True
        )


class CorrectionForm(ActingActorMixin, forms.Form):
    text = forms.CharField(
        label=_("The entry as it should read"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_(
            "Only for a mistake in the record, such as a wrong date, name or amount. A correction cannot change what "
            "was decided: a change is a new proposal, decided by consent. Everyone taking part is told of the "
            "correction, and the log shows the entry beside it."
        ),
    )


class DecisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Decision) -> str:
        """A decision as a choice: its proposal's title (a correction's opening words) and when it was decided."""
        title = obj.proposal.title if obj.proposal else Truncator(obj.text).chars(60)
        return f"{title} ({date_format(timezone.localtime(obj.decided_at), 'j. F Y')})"


class _PeopleChoices(forms.ModelMultipleChoiceField):
    """People taking part, each named as members see them (`Partnership.name_of`): never by address."""

    def __init__(self, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.partnership = partnership

    def label_from_instance(self, obj: Any) -> str:
        return self.partnership.name_of(obj, to_member=True) or ""


class ActionForm(ActingActorMixin, forms.Form):
    title = forms.CharField(label=_("Action"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    owners = forms.ModelMultipleChoiceField(
        label=_("Owners"), queryset=Actor.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    # The browser's date picker reads and writes ISO dates only, whatever the language.
    deadline = forms.DateField(
        label=_("Deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    decision = DecisionChoiceField(
        label=_("Follows from decision"),
        queryset=Decision.objects.none(),
        required=False,
        empty_label=_("No decision"),
        error_messages={"invalid_choice": _("Choose one of this partnership's decisions.")},
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owners = Actor.objects.filter(partnership_memberships__partnership=partnership).order_by("name")
        self.fields["owners"].queryset = owners  # type: ignore[attr-defined]
        self.fields["deadline"].widget.attrs["min"] = timezone.localdate().isoformat()
        # The decisions themselves: a correction mends an entry's record, and is no decision to carry out.
        decisions = partnership.decisions.filter(corrects__isnull=True).select_related("proposal")
        self.fields["decision"].queryset = decisions  # type: ignore[attr-defined]
        self._only_owner: Actor | None = None
        if partnership.voices_are_people:
            # The staff are one actor, so it owns every action without being asked; who sees to it is a person.
            members = list(owners)
            if len(members) == 1:
                self._only_owner = members[0]
                self.fields["owners"].widget = forms.MultipleHiddenInput()
                self.fields["owners"].required = False
            self.fields["responsible_people"] = _PeopleChoices(
                partnership,
                label=_("Responsible colleagues"),
                queryset=partnership.people(),
                widget=forms.CheckboxSelectMultiple,
                required=False,
                help_text=_("Who among you sees to it. Only those taking part see the names."),
            )
            self.order_fields(["title", "description", "owners", "responsible_people"])

    def clean_owners(self) -> Any:
        return self.cleaned_data["owners"] or ([self._only_owner] if self._only_owner is not None else [])

    def clean_deadline(self) -> Any:
        deadline = self.cleaned_data["deadline"]
        if deadline is not None and deadline < timezone.localdate():
            raise forms.ValidationError(_("The deadline cannot lie in the past."), code="deadline")
        return deadline


class ActionEditForm(ActionForm):
    """Edit `action`: its title, description, deadline, owners and (in employee involvement) the colleagues
    responsible. `seen` carries the version the member opened (`lib.forms.version_of`). A deadline that has passed
    may stay as it is; a new one cannot lie in the past."""

    seen = SeenVersionField()

    def __init__(self, *args: Any, partnership: Partnership, action: Action, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "title": action.title,
                "description": action.description,
                "owners": [owner.pk for owner in action.owners.all()],
                "responsible_people": [person.pk for person in action.responsible_people.all()],
                "deadline": action.deadline,
                "seen": version_of(action.updated_at),
            },
        )
        super().__init__(*args, partnership=partnership, **kwargs)
        self.action = action
        del self.fields["decision"]  # what it carries out stays as it was added
        if action.deadline is not None and action.deadline < timezone.localdate():
            self.fields["deadline"].widget.attrs["min"] = action.deadline.isoformat()

    def clean_deadline(self) -> Any:
        if self.cleaned_data["deadline"] == self.action.deadline:
            return self.action.deadline
        return super().clean_deadline()


class PledgeForm(ActingActorMixin, forms.Form):
    resource = forms.ModelChoiceField(
        label=_("One of its registered resources"), queryset=Resource.objects.none(), required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", "—"), *ResourceKind.choices],
        required=False,
        help_text=_("For something not registered: a registered resource keeps its own kind."),
    )
    description = forms.CharField(label=_("What do you pledge?"), max_length=300, required=False)
    quantity = AmountField(label=_("Amount"), required=False, min_value=0, max_digits=12, decimal_places=1)
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    action = forms.ModelChoiceField(
        label=_("For the action"),
        queryset=Action.objects.none(),
        required=False,
        empty_label=_("The partnership as a whole"),
        error_messages={"invalid_choice": _("Choose one of this partnership's actions.")},
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = partnership.actions.all()  # type: ignore[attr-defined]

    def set_actors(self, actors: QuerySet[Actor]) -> None:
        super().set_actors(actors)
        self.fields["resource"].queryset = Resource.objects.filter(actor__in=actors)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        resource = data.get("resource")
        if resource is None and not (data.get("kind") and data.get("description")):
            raise forms.ValidationError(_("Choose a registered resource, or give a kind and a description."))
        actor = data.get("actor")
        if resource is not None and actor is not None and resource.actor_id != actor.pk:
            self.add_error("resource", _("Choose a resource of the actor you pledge for."))
        return data


class PledgeCorrectionForm(forms.Form):
    """Correct a pledge: what it is, and its amount and unit. `seen` carries the version opened."""

    description = forms.CharField(label=_("What do you pledge?"), max_length=300)
    quantity = AmountField(label=_("Amount"), required=False, min_value=0, max_digits=12, decimal_places=1)
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    seen = SeenVersionField()


class NeedForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ResourceKind.choices)
    amount = AmountField(label=_("Amount"), max_digits=12, decimal_places=1)  # > 0: the service says so
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)


class ContributorsForm(forms.Form):
    """What the coalition finder looks for (GET). The needs themselves are the partnership's recorded needs."""

    is_filter = True
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    neighbourhood = forms.ChoiceField(label=_("Area"), required=False)
    radius_km = forms.IntegerField(label=_("Distance (km)"), min_value=1, max_value=200, initial=15, required=False)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipality = partnership.challenge.municipality_id if partnership.challenge else None
        names = Actor.objects.filter(municipality_id=municipality).neighbourhoods()
        cast(forms.ChoiceField, self.fields["neighbourhood"]).choices = [("", _("Where the members are"))] + [
            (n, n) for n in names
        ]


class FacilitatorForm(ActingActorMixin, forms.Form):
    to_actor = forms.ModelChoiceField(label=_("Give the facilitator role to"), queryset=Actor.objects.none())

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_actor"].queryset = Actor.objects.filter(  # type: ignore[attr-defined]
            partnership_memberships__partnership=partnership
        ).order_by("name")


class PartnershipFilterForm(forms.Form):
    """The partnership list's filter (GET): those still at work, by default, or the closed ones too."""

    is_filter = True
    status = forms.ChoiceField(
        label=_("Which partnerships?"),
        required=False,
        choices=[("", _("Partnerships at work")), ("closed", _("Closed partnerships")), ("all", _("All"))],
    )

    def status_chosen(self) -> str:
        return self.cleaned_data.get("status", "") if self.is_bound and self.is_valid() else ""


class LessonForm(ActingActorMixin, forms.Form):
    """A lesson the partnership learned, written for one of the person's member actors.

    The length is checked by `services.learning.add_lesson`, with the text kept; no maxlength in the browser, which
    would cut a pasted text short without a word."""

    kind = forms.ChoiceField(label=_("What is it about?"), choices=Lesson.Kind.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("What have you learned?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write what you learned.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "lesson-%s")  # its own field ids beside the closing and reopening forms
        super().__init__(*args, **kwargs)
        self.fields["kind"].error_messages["required"] = _(
            "Choose what the lesson is about: what worked, what did not work, or what you would do differently."
        )
        self.fields["text"].help_text = _(
            "Concretely, so that others can use it: what happened, and why you think it went as it did. At most "
            "%(max)d characters."
        ) % {"max": LESSON_MAX_LENGTH}


class CloseForm(ActingActorMixin, forms.Form):
    """Propose to close the partnership, with a note on why if one likes (checked by `services.propose_closing`)."""

    note = forms.CharField(
        label=_("Why close it now?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example what came of it, or where the work goes on. It is part of the proposal."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "close-%s")
        super().__init__(*args, **kwargs)


class ReopenForm(ActingActorMixin, forms.Form):
    """Reopen a closed partnership, saying why (checked by `services.reopen_partnership`)."""

    reason = forms.CharField(
        label=_("Why reopen it?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why you reopen the partnership: the others are told.")},
        help_text=_("Everyone else taking part is told, with your reason."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "reopen-%s")
        super().__init__(*args, **kwargs)


class JoinRequestForm(ActingActorMixin, forms.Form):
    """Ask for one of the person's actors to take part (`services.ask_to_join`)."""

    message = forms.CharField(
        label=_("What would your actor bring?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("The members read it when they decide: what you can offer, and why this partnership."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor"].label = _("Which of your actors asks")


class JoinAnswerForm(ActingActorMixin, forms.Form):
    """A member lets an asking actor in, or says why not (`services.answer_join_request`)."""

    answer = forms.ChoiceField(
        label=_("Let it in?"),
        choices=[("accept", _("Let it in as an equal member")), ("decline", _("Do not let it in"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to let it in.")},
    )
    reason = forms.CharField(
        label=_("Why not (needed when you do not let it in)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("The actor that asked is told, with your reason."),
    )
    needed_sometimes = ("reason",)  # its label says when, instead of "(optional)"
