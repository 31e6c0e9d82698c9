from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from matchmaker.services.requests import MAX_MESSAGE
from matchmaker.webutil import SafeForm


class RequestForm(SafeForm):
    # Filled by the view with the times both are free (participants-book mode); the service
    # checks them again when the request is sent.
    slots = SelectMultipleField(
        _l("When could you meet?"), coerce=int, choices=[], validate_choice=False
    )
    message = TextAreaField(
        _l("Message"),
        validators=[Length(max=MAX_MESSAGE)],
        description=_l("One or two sentences: why you would like to meet."),
    )
    submit = SubmitField(_l("Send request"))


class DeclineForm(SafeForm):
    reason = StringField(_l("Reason (optional)"), validators=[Length(max=500)])
    submit = SubmitField(_l("Decline"))


class SlotForm(SafeForm):
    """Accept or move a meeting: the time picked (a slot of the event; the service checks it)."""

    slot = IntegerField(_l("Time"), validators=[Optional()])


class ActionForm(SafeForm):
    """A CSRF-protected button."""
