from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length

from matchmaker.webutil import SafeForm


class RoundForm(SafeForm):
    """Start the next feedback round; `confirmed` is set by the confirmation page."""

    kind = HiddenField()
    confirmed = HiddenField()
    submit = SubmitField(_l("Start the round"))


class ReminderForm(SafeForm):
    confirmed = HiddenField()
    submit = SubmitField(_l("Send reminders"))


class FunderReportForm(SafeForm):
    organizer_name = StringField(
        _l("Organized by (the network, cluster or chamber)"), validators=[Length(max=200)]
    )
    funder = StringField(_l("Funder"), validators=[Length(max=200)])
    programme = StringField(_l("Programme"), validators=[Length(max=200)])
    project = StringField(_l("Project (name and number)"), validators=[Length(max=200)])
    narrative = TextAreaField(
        _l(
            "Narrative: what the event was for and what came of it (blank lines between paragraphs)"
        ),
        validators=[Length(max=5000)],
    )
    submit = SubmitField(_l("Save"))
