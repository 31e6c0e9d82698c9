from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import AnyOf, DataRequired, Email, Length, Optional

from matchmaker.countries import country_choices
from matchmaker.models import MEETING_STATUSES
from matchmaker.webutil import SafeForm, options


class ActionForm(SafeForm):
    """A CSRF-protected button (check in, undo, confirm, book)."""


class StatusForm(SafeForm):
    status = HiddenField(validators=[DataRequired(), AnyOf(list(MEETING_STATUSES))])


class HelperForm(SafeForm):
    email = EmailField(
        _l("Helper's email"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
    )
    name = StringField(_l("Name (for a new account)"), validators=[Optional(), Length(max=120)])
    submit = SubmitField(_l("Add helper"))


class DeskSearchForm(SafeForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
    show = SelectField(
        _l("Show"),
        choices=options(
            [("all", _l("Everyone")), ("expected", _l("Not arrived")), ("present", _l("Present"))]
        ),
        default="all",
        validators=[Optional()],
    )


class VisitorForm(SafeForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(
        _l("Email"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)]
    )
    organisation = StringField(_l("Organisation"), validators=[DataRequired(), Length(max=200)])
    country = SelectField(_l("Country"), choices=country_choices, validators=[DataRequired()])
    submit = SubmitField(_l("Add and check in"))
