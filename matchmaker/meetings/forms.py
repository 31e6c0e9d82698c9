from wtforms import IntegerField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from matchmaker.services.requests import MAX_MESSAGE
from matchmaker.webutil import SafeForm


class RequestForm(SafeForm):
    # Filled by the view with the times both are free (participants-book mode); the service
    # checks them again when the request is sent.
    slots = SelectMultipleField(
        "When could you meet?", coerce=int, choices=[], validate_choice=False
    )
    message = TextAreaField(
        "Message",
        validators=[Length(max=MAX_MESSAGE)],
        description="One or two sentences: why you would like to meet.",
    )
    submit = SubmitField("Send request")


class DeclineForm(SafeForm):
    reason = StringField("Reason (optional)", validators=[Length(max=500)])
    submit = SubmitField("Decline")


class SlotForm(SafeForm):
    """Accept or move a meeting: the time picked (a slot of the event; the service checks it)."""

    slot = IntegerField("Time", validators=[Optional()])


class ActionForm(SafeForm):
    """A CSRF-protected button."""
