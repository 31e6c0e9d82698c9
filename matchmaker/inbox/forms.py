from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.validators import InputRequired

from matchmaker.services.inbox import EMAIL_CHOICES, MESSAGE_LENGTH
from matchmaker.webutil import SafeForm, at_most, options


class MessageForm(SafeForm):
    body = TextAreaField(
        "Message",
        validators=[InputRequired("Write a message first."), at_most(MESSAGE_LENGTH)],
        description=f"At most {MESSAGE_LENGTH:,} characters.",
    )
    submit = SubmitField("Send")


class MessageEmailForm(SafeForm):
    choice = RadioField(
        "Email me about messages and requests", choices=options(EMAIL_CHOICES.items())
    )
    submit = SubmitField("Save")
