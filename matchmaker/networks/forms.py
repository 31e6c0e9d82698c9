from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
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

LOGO_HELP = _l(
    "PNG, JPEG, GIF or WebP, at most %(size)d KB; a new file replaces the current one. "
    "Without a logo, the initials are shown.",
    size=LOGO_MAX_BYTES // 1024,
)


def _website(form, field):
    if field.data and not field.data.startswith(("https://", "http://")):
        raise ValidationError(_("Give the full address, starting with https://"))


class NetworkForm(SafeForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    slug = StringField(
        _l("Web address"),
        validators=[Optional(), Length(max=60)],
        description=_l("Letters, digits and dashes; made from the name when left empty."),
    )
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])
    website = StringField(_l("Website"), validators=[Length(max=300), _website])
    submit = SubmitField(_l("Create the network"))


class MemberForm(SafeForm):
    """A member's details; `existing` picks an organisation instead of creating one (adding
    only: the edit form drops that field)."""

    existing = SelectField(_l("Organisation"), coerce=int, default=0)
    name = StringField(_l("Name of the organisation"), validators=[Length(max=200)])
    country = SelectField(_l("Country"), choices=options([("", "—")] + country_choices()))
    city = StringField(_l("City"), validators=[Length(max=120)])
    website = StringField(_l("Website"), validators=[Length(max=300), _website])
    kind = SelectField(
        _l("Kind of member"), choices=options(MEMBER_KINDS.items()), default="cluster"
    )
    contact_name = StringField(_l("Contact person"), validators=[Length(max=120)])
    contact_email = EmailField(
        _l("Contact email"),
        validators=[Optional(), Email(check_deliverability=False), Length(max=254)],
    )
    joined_on = DateField(
        _l("Member since"),
        validators=[Optional(), plausible_date],
        description=_l("Empty when adding: today."),
    )
    logo = FileField(_l("Logo"), description=LOGO_HELP)
    remove_logo = BooleanField(_l("Remove the logo"))
    submit = SubmitField(_l("Save member"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Country names in the reader's language, so built per request.
        self.country.choices = options([("", "—")] + country_choices())

    def validate_name(self, field):
        if not self._picks_existing() and not (field.data or "").strip():
            raise ValidationError(_("Give the organisation's name, or pick one from the list."))

    def validate_country(self, field):
        if not self._picks_existing() and not field.data:
            raise ValidationError(_("Choose the organisation's country."))

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

    on = DateField(_l("On"), validators=[DataRequired(_l("Give the day.")), plausible_date])
    confirmed = HiddenField()


class ChairForm(SafeForm):
    member = SelectField(
        _l("New chair"), coerce=int, validators=[DataRequired(_l("Choose a member."))]
    )
    starts_on = DateField(
        _l("Term starts on"), validators=[DataRequired(_l("Give the first day.")), plausible_date]
    )
    confirmed = HiddenField()
    submit = SubmitField(_l("Hand over the chair"))


class EmailForm(SafeForm):
    email = EmailField(
        _l("Email of their account"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
    )
    submit = SubmitField(_l("Add"))


class ActionForm(SafeForm):
    """A CSRF-protected button."""
