from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import Length

from matchmaker.services.requests import MAX_MESSAGE
from matchmaker.webutil import SafeForm


class RequestForm(SafeForm):
    message = TextAreaField(
        "Message",
        validators=[Length(max=MAX_MESSAGE)],
        description="One or two sentences: why you would like to meet.",
    )
    submit = SubmitField("Send request")


class DeclineForm(SafeForm):
    reason = StringField("Reason (optional)", validators=[Length(max=500)])
    submit = SubmitField("Decline")


class ActionForm(SafeForm):
    """A CSRF-protected button."""
