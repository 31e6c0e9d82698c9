from wtforms import HiddenField, SubmitField

from matchmaker.webutil import SafeForm


class RoundForm(SafeForm):
    """Start the next feedback round; `confirmed` is set by the confirmation page."""

    kind = HiddenField()
    confirmed = HiddenField()
    submit = SubmitField("Start the round")


class ReminderForm(SafeForm):
    confirmed = HiddenField()
    submit = SubmitField("Send reminders")
