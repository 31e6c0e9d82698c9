from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, SubmitField
from wtforms.validators import NumberRange, Optional

from matchmaker.webutil import options


class GenerateForm(FlaskForm):
    include_suggestions = BooleanField("Fill free slots with suggested matches", default=True)
    min_meetings = IntegerField(
        "Minimum meetings per participant (where possible)",
        default=0,
        validators=[Optional(), NumberRange(0, 50)],
    )
    time_limit = IntegerField(
        "Time limit (seconds)", default=20, validators=[Optional(), NumberRange(2, 120)]
    )
    submit = SubmitField("Generate schedule")


class PlaceForm(FlaskForm):
    """Move a meeting, or add one: a slot and a table of the event (and for adding, a pair)."""

    slot = SelectField("Slot", coerce=int)
    table = SelectField("Table", coerce=int)
    first = SelectField("Participant", coerce=int)
    second = SelectField("Partner", coerce=int)

    def fill(self, event, participants=()):
        self.slot.choices = options((s.id, s.label) for s in event.slots)
        self.table.choices = options((t.id, t.label) for t in event.tables)
        people = options((p.id, p.organisation.name) for p in participants)
        self.first.choices = people
        self.second.choices = people
        return self


class SwapForm(FlaskForm):
    other = SelectField("Swap with", coerce=int)


class ActionForm(FlaskForm):
    """A CSRF-protected button."""
