from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from matchmaker.models import OPPORTUNITY_CATEGORIES
from matchmaker.services.registration import OPPORTUNITY_FIELDS
from matchmaker.webutil import SafeForm, options

SUGGESTION_LIMITS = (1, 2, 3, 4, 5, 6, 8, 10)


class RegistrationForm(SafeForm):
    looking_for = StringField(
        "In one line, what are you looking for at this event?",
        validators=[Length(max=200)],
        description="Shown on your card in the participant list.",
    )
    max_meetings = IntegerField(
        "Maximum number of meetings",
        validators=[Optional(), NumberRange(1, 200)],
        description="Empty: as many as the event allows.",
    )
    # "" follows the event's default; "0" is no.
    suggestion_limit = SelectField(
        "Fill my free slots with suggested meetings",
        coerce=lambda value: "" if value is None else str(value),
        description="Suggested meetings are meetings nobody asked for: the organizers add "
        "them from your best matches, only with participants who agreed too. Your agenda "
        "marks them “Suggested by the organizers”, and you can decline any of them.",
    )
    # A hybrid event asks how the participant takes part (issue 24); other events do not.
    attendance = SelectField(
        _l("How do you take part?"),
        choices=options([("in_person", _l("In the hall")), ("online", _l("Online, by video"))]),
        default="in_person",
    )
    joins_online = BooleanField(
        _l("In the hall, I can also join online meetings from the venue"),
        default=True,
        description=_l(
            "Untick it if you can only meet at a table: you will then not be paired with "
            "participants who take part online."
        ),
    )
    submit = SubmitField("Save")

    def fill(self, event, participant=None):
        """Offer the choices of consent, the event's default named in words (and the
        participant's own limit when it is not among them); ask how it takes part only in a
        hybrid event."""
        if event.format != "hybrid":
            del self.attendance
            del self.joins_online
        default = event.suggestion_default or 0
        said = "no" if not default else f"up to {default}"
        choices = [("", f"As the organizers propose ({said})"), ("0", "No")]
        choices += [(n, f"Up to {n}") for n in SUGGESTION_LIMITS]
        stored = participant.suggestion_limit if participant is not None else None
        if stored and stored not in SUGGESTION_LIMITS:
            choices.append((stored, f"Up to {stored}"))
        self.suggestion_limit.choices = options(choices)
        if self.suggestion_limit.data is None:  # not sent, or the event's default stored
            self.suggestion_limit.data = ""
        return self

    def attendance_choice(self):
        """(attendance, joins_online) as chosen, or None when the form does not ask."""
        if "attendance" not in self:
            return None
        return self.attendance.data, bool(self.joins_online.data)

    def limit(self):
        """The chosen limit: None (the event's default), 0 (no) or a number."""
        return int(self.suggestion_limit.data) if self.suggestion_limit.data else None


class JoinForm(RegistrationForm):
    """The registration form, with the side of an event that has groups (a mission's
    delegation or hosts)."""

    # Not sent (an older page, a script): no group, which a mission then refuses in words.
    group = SelectField("Your group", validate_choice=True, default="")
    submit = SubmitField("Save")  # again, so the button comes after the group

    def fill(self, event, participant=None):
        super().fill(event, participant)
        if not event.groups:
            del self.group
            return self
        required = event.kind == "mission"
        none = "Choose your side" if required else "None of these"
        self.group.choices = options([("", none)] + [(g.id, g.name) for g in event.groups])
        if required:
            self.group.validators = [DataRequired("Say which side of the mission you are on.")]
            self.group.flags.required = True
            self.group.description = "Who you meet depends on it: pick the side you belong to."
        self._fields.move_to_end("group", last=False)  # the first thing a mission asks
        return self

    def group_id(self):
        return int(self.group.data) if "group" in self and self.group.data else None


class StartFromLastForm(JoinForm):
    """The registration form with a second button: register and copy the offers and needs of
    the organisation's last event (its label names that event)."""

    start_from = SubmitField("Register and start from these offers and needs")
    submit = SubmitField("Register and write new ones")

    def naming(self, source):
        self.start_from.label.text = (
            f"Register and start from my offers and needs at {source.event.title}"
        )
        return self


class OpportunityForm(SafeForm):
    kind = SelectField(
        "I…", choices=options([("offer", "offer this"), ("request", "am looking for this")])
    )
    category = SelectField("Category", choices=options(OPPORTUNITY_CATEGORIES.items()))
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(
        "Description",
        validators=[Length(max=5000)],
        description="What exactly, for whom, with what experience: matching reads these words.",
    )
    keywords = StringField(
        "Keywords", validators=[Length(max=300)], description="Separated by commas."
    )
    submit = SubmitField("Save opportunity")

    def opportunity_data(self):
        return {name: getattr(self, name).data for name in OPPORTUNITY_FIELDS}


class ConfirmForm(SafeForm):
    """A CSRF-protected confirmation button."""

    submit = SubmitField("Confirm")
