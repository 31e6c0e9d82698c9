from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from matchmaker.countries import country_choices
from matchmaker.models import MEMBER_KINDS
from matchmaker.services.networks import LOGO_MAX_BYTES
from matchmaker.webutil import SafeForm, options, plausible_date

LOGO_HELP = (
    f"PNG, JPEG, GIF or WebP, at most {LOGO_MAX_BYTES // 1024} KB; a new file replaces the "
    "current one. Without a logo, the initials are shown."
)


def _website(form, field):
    if field.data and not field.data.startswith(("https://", "http://")):
        raise ValidationError("Give the full address, starting with https://")


class NetworkForm(SafeForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    slug = StringField(
        "Web address",
        validators=[Optional(), Length(max=60)],
        description="Letters, digits and dashes; made from the name when left empty.",
    )
    description = TextAreaField("Description", validators=[Length(max=5000)])
    website = StringField("Website", validators=[Length(max=300), _website])
    submit = SubmitField("Create the network")


class MemberForm(SafeForm):
    """A member's details; `existing` picks an organisation instead of creating one (adding
    only: the edit form drops that field)."""

    existing = SelectField("Organisation", coerce=int, default=0)
    name = StringField("Name of the organisation", validators=[Length(max=200)])
    country = SelectField("Country", choices=options([("", "—")] + country_choices()))
    city = StringField("City", validators=[Length(max=120)])
    website = StringField("Website", validators=[Length(max=300), _website])
    kind = SelectField("Kind of member", choices=options(MEMBER_KINDS.items()), default="cluster")
    contact_name = StringField("Contact person", validators=[Length(max=120)])
    contact_email = EmailField(
        "Contact email",
        validators=[Optional(), Email(check_deliverability=False), Length(max=254)],
    )
    joined_on = DateField(
        "Member since",
        validators=[Optional(), plausible_date],
        description="Empty when adding: today.",
    )
    logo = FileField("Logo", description=LOGO_HELP)
    remove_logo = BooleanField("Remove the logo")
    submit = SubmitField("Save member")

    def validate_name(self, field):
        if not self._picks_existing() and not (field.data or "").strip():
            raise ValidationError("Give the organisation's name, or pick one from the list.")

    def validate_country(self, field):
        if not self._picks_existing() and not field.data:
            raise ValidationError("Choose the organisation's country.")

    def _picks_existing(self):
        return "existing" in self._fields and bool(self.existing.data)

    def member_data(self):
        data = {
            name: self[name].data for name in ("kind", "contact_name", "contact_email", "joined_on")
        }
        if not self._picks_existing():
            data.update({name: self[name].data for name in ("name", "country", "city", "website")})
        return data


class DateActionForm(SafeForm):
    """Leave or rejoin on a day; `confirmed` is set by the confirmation page."""

    on = DateField("On", validators=[DataRequired("Give the day."), plausible_date])
    confirmed = HiddenField()


class ChairForm(SafeForm):
    member = SelectField("New chair", coerce=int, validators=[DataRequired("Choose a member.")])
    starts_on = DateField(
        "Term starts on", validators=[DataRequired("Give the first day."), plausible_date]
    )
    confirmed = HiddenField()
    submit = SubmitField("Hand over the chair")


class EmailForm(SafeForm):
    email = EmailField(
        "Email of their account",
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
    )
    submit = SubmitField("Add")


class ActionForm(SafeForm):
    """A CSRF-protected button."""
