from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length

from matchmaker.webutil import SafeForm


class RoundForm(SafeForm):
    """Start the next feedback round; `confirmed` is set by the confirmation page."""

    kind = HiddenField()
    confirmed = HiddenField()
    submit = SubmitField("Start the round")


class ReminderForm(SafeForm):
    confirmed = HiddenField()
    submit = SubmitField("Send reminders")


class FunderReportForm(SafeForm):
    organizer_name = StringField(
        "Organized by (the network, cluster or chamber)", validators=[Length(max=200)]
    )
    funder = StringField("Funder", validators=[Length(max=200)])
    programme = StringField("Programme", validators=[Length(max=200)])
    project = StringField("Project (name and number)", validators=[Length(max=200)])
    narrative = TextAreaField(
        "Narrative: what the event was for and what came of it (blank lines between paragraphs)",
        validators=[Length(max=5000)],
    )
    submit = SubmitField("Save")
