from flask_babel import gettext as _
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
        _l("In one line, what are you looking for at this event?"),
        validators=[Length(max=200)],
        description=_l("Shown on your card in the participant list."),
    )
    max_meetings = IntegerField(
        _l("Maximum number of meetings"),
        validators=[Optional(), NumberRange(1, 200)],
        description=_l("Empty: as many as the event allows."),
    )
    # "" follows the event's default; "0" is no.
    suggestion_limit = SelectField(
        _l("Fill my free slots with suggested meetings"),
        coerce=lambda value: "" if value is None else str(value),
        description=_l(
            "Suggested meetings are meetings nobody asked for: the organizers add them from "
            "your best matches, only with participants who agreed too. Your agenda marks them "
            "“Suggested by the organizers”, and you can decline any of them."
        ),
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
    submit = SubmitField(_l("Save"))

    def fill(self, event, participant=None):
        """Offer the choices of consent, the event's default named in words (and the
        participant's own limit when it is not among them); ask how it takes part only in a
        hybrid event."""
        if event.format != "hybrid":
            del self.attendance
            del self.joins_online
        default = event.suggestion_default or 0
        if default:
            proposed = _("As the organizers propose (up to %(num)d)", num=default)
        else:
            proposed = _("As the organizers propose (no)")
        choices = [("", proposed), ("0", _("No"))]
        choices += [(n, _("Up to %(num)d", num=n)) for n in SUGGESTION_LIMITS]
        stored = participant.suggestion_limit if participant is not None else None
        if stored and stored not in SUGGESTION_LIMITS:
            choices.append((stored, _("Up to %(num)d", num=stored)))
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
    group = SelectField(_l("Your group"), validate_choice=True, default="")
    submit = SubmitField(_l("Save"))  # again, so the button comes after the group

    def fill(self, event, participant=None):
        super().fill(event, participant)
        if not event.groups:
            del self.group
            return self
        required = event.kind == "mission"
        none = _("Choose your side") if required else _("None of these")
        self.group.choices = options([("", none)] + [(g.id, g.name) for g in event.groups])
        if required:
            self.group.validators = [DataRequired(_l("Say which side of the mission you are on."))]
            self.group.flags.required = True
            self.group.description = _("Who you meet depends on it: pick the side you belong to.")
        self._fields.move_to_end("group", last=False)  # the first thing a mission asks
        return self

    def group_id(self):
        return int(self.group.data) if "group" in self and self.group.data else None


class StartFromLastForm(JoinForm):
    """The registration form with a second button: register and copy the offers and needs of
    the organisation's last event (its label names that event)."""

    start_from = SubmitField(_l("Register and start from these offers and needs"))
    submit = SubmitField(_l("Register and write new ones"))

    def naming(self, source):
        self.start_from.label.text = _(
            "Register and start from my offers and needs at %(event)s", event=source.event.title
        )
        return self


class OpportunityForm(SafeForm):
    kind = SelectField(
        _l("I…"),
        choices=options([("offer", _l("offer this")), ("request", _l("am looking for this"))]),
    )
    category = SelectField(_l("Category"), choices=options(OPPORTUNITY_CATEGORIES.items()))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(
        _l("Description"),
        validators=[Length(max=5000)],
        description=_l("What exactly, for whom, with what experience: matching reads these words."),
    )
    keywords = StringField(
        _l("Keywords"), validators=[Length(max=300)], description=_l("Separated by commas.")
    )
    submit = SubmitField(_l("Save opportunity"))

    def opportunity_data(self):
        return {name: getattr(self, name).data for name in OPPORTUNITY_FIELDS}


class ConfirmForm(SafeForm):
    """A CSRF-protected confirmation button."""

    submit = SubmitField(_l("Confirm"))
