from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import Length

from matchmaker.services.requests import MAX_MESSAGE


class RequestForm(FlaskForm):
    message = TextAreaField(
        "Message",
        validators=[Length(max=MAX_MESSAGE)],
        description="One or two sentences: why you would like to meet.",
    )
    submit = SubmitField("Send request")


class DeclineForm(FlaskForm):
    reason = StringField("Reason (optional)", validators=[Length(max=500)])
    submit = SubmitField("Decline")


class ActionForm(FlaskForm):
    """A CSRF-protected button."""
