from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from matchmaker.models import API_SCOPES
from matchmaker.profiles.forms import CheckboxesField
from matchmaker.webutil import SafeForm, options, plausible_date

SCOPE_WORDS = {
    "read": _l("Read: what you can see on the pages (events, your registration, matches, "
               "requests, agenda)"),
    "participate": _l("Participate: send, accept, decline and cancel meeting requests; change "
                      "your offers and needs"),
    "organize": _l("Organize: for the events you organize, registrations, import, matching, "
                   "scheduling, publishing, statistics and exports"),
}  # fmt: skip
assert set(SCOPE_WORDS) == set(API_SCOPES)


class TokenForm(SafeForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=80)],
        description=_l("What the token is for, e.g. “CRM sync”."),
    )
    scopes = CheckboxesField(
        _l("What it may do"),
        choices=options(SCOPE_WORDS.items()),
        default=["read"],
        validators=[DataRequired(message=_l("Choose at least one."))],
    )
    expires_on = DateField(
        _l("Expires on (optional)"),
        validators=[Optional(), plausible_date],
        description=_l("The token stops working at the start of this day (UTC)."),
    )
    submit = SubmitField(_l("Create token"))


class RevokeForm(SafeForm):
    submit = SubmitField(_l("Revoke"))
