from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.validators import InputRequired

from matchmaker.services.inbox import EMAIL_CHOICES, MESSAGE_LENGTH
from matchmaker.webutil import SafeForm, at_most, options


class MessageForm(SafeForm):
    body = TextAreaField(
        _l("Message"),
        validators=[InputRequired(_l("Write a message first.")), at_most(MESSAGE_LENGTH)],
        description=_l("At most %(num)s characters.", num=f"{MESSAGE_LENGTH:,}"),
    )
    submit = SubmitField(_l("Send"))


class MessageEmailForm(SafeForm):
    choice = RadioField(
        _l("Email me about messages and requests"), choices=options(EMAIL_CHOICES.items())
    )
    submit = SubmitField(_l("Save"))
