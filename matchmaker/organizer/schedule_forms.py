from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, SubmitField
from wtforms.validators import InputRequired, NumberRange, Optional

from matchmaker.webutil import SafeForm, options


class GenerateForm(SafeForm):
    include_suggestions = BooleanField(
        _l("Fill free slots with suggested matches"),
        default=True,
        description=_l(
            "Only for participants who agreed, up to their limit (see Suggested meetings below)."
        ),
    )
    min_meetings = IntegerField(
        _l("Minimum meetings per participant (where possible)"),
        default=0,
        validators=[Optional(), NumberRange(0, 50)],
    )
    time_limit = IntegerField(
        _l("Time limit (seconds)"), default=20, validators=[Optional(), NumberRange(2, 120)]
    )
    submit = SubmitField(_l("Generate schedule"))


class SuggestionSettingsForm(SafeForm):
    """The event's suggested meetings: the default consent and the relevance floor."""

    suggestion_default = IntegerField(
        _l("Suggested meetings for a participant who did not choose"),
        validators=[InputRequired(), NumberRange(0, 50)],
        description=_l(
            "0: none unless they agree. Each participant can say “no” or “up to N” "
            "when registering; their choice wins."
        ),
    )
    floor_percent = IntegerField(
        _l("Relevance floor (match score, %)"),
        validators=[InputRequired(), NumberRange(0, 100)],
        description=_l("No pair scoring under this is ever suggested."),
    )
    submit = SubmitField(_l("Save suggested meetings"))

    def floor(self):
        return self.floor_percent.data / 100


class SeenField(HiddenField):
    """The place (slot id, table id or None) where the organizer saw the meeting when the page
    was drawn, sent back with the edit so that one made on an outdated page is refused
    instead of silently undoing another organizer's change."""

    def _value(self):
        if not self.data:
            return ""
        slot, table = self.data
        return f"{slot}:{'' if table is None else table}"

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0]:
            try:
                slot, table = valuelist[0].split(":")
                self.data = int(slot), int(table) if table else None
            except ValueError as error:
                raise ValueError(_("This page is outdated: reload it and try again.")) from error


class PlaceForm(SafeForm):
    """Move a meeting, or add one: a slot and a table of the event (and for adding, a pair)."""

    slot = SelectField(_l("Slot"), coerce=int)
    table = SelectField(_l("Table"), coerce=int)
    first = SelectField(_l("Participant"), coerce=int)
    second = SelectField(_l("Partner"), coerce=int)

    def fill(self, event, participants=()):
        self.slot.choices = options((s.id, s.label) for s in event.slots)
        self.table.choices = options((t.id, t.label) for t in event.tables)
        people = options((p.id, p.organisation.name) for p in participants)
        self.first.choices = people
        self.second.choices = people
        return self


class MoveForm(PlaceForm):
    seen = SeenField()


class SwapForm(SafeForm):
    other = SelectField(_l("Swap with"), coerce=int)
    seen = SeenField()


class ActionForm(SafeForm):
    """A CSRF-protected button."""


class PlannerForm(SafeForm):
    """A what-if for the capacity planner; empty fields keep the event's value."""

    tables = IntegerField(_l("Tables"), validators=[Optional(), NumberRange(1, 500)])
    extra_session = BooleanField(
        _l("One more session"),
        description=_l("The last day's last session again on the next day, everyone available."),
    )
    meeting_minutes = IntegerField(
        _l("Meeting length (minutes)"), validators=[Optional(), NumberRange(5, 120)]
    )
    include_suggestions = BooleanField(_l("Fill free slots with suggested matches"), default=True)
    time_limit = IntegerField(
        _l("Time limit per run (seconds)"), default=10, validators=[Optional(), NumberRange(2, 60)]
    )
    submit = SubmitField(_l("Try it"))
