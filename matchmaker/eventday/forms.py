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
        "Helper's email",
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
    )
    name = StringField("Name (for a new account)", validators=[Optional(), Length(max=120)])
    submit = SubmitField("Add helper")


class DeskSearchForm(SafeForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    q = StringField("Search", validators=[Optional(), Length(max=100)])
    show = SelectField(
        "Show",
        choices=options([("all", "Everyone"), ("expected", "Not arrived"), ("present", "Present")]),
        default="all",
        validators=[Optional()],
    )


class VisitorForm(SafeForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    email = EmailField(
        "Email", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)]
    )
    organisation = StringField("Organisation", validators=[DataRequired(), Length(max=200)])
    country = SelectField("Country", choices=country_choices, validators=[DataRequired()])
    submit = SubmitField("Add and check in")
