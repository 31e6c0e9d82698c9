from flask_babel import lazy_gettext as _l
from wtforms import (
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
    widgets,
)
from wtforms.validators import URL, DataRequired, Email, Length, Optional

from matchmaker import timezones
from matchmaker.countries import country_choices
from matchmaker.models import ORGANISATION_SIZES, ORGANISATION_TYPES
from matchmaker.webutil import SafeForm, options


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class ProfileForm(SafeForm):
    name = StringField(_l("Organisation name"), validators=[DataRequired(), Length(max=200)])
    country = SelectField(
        _l("Country"),
        choices=options([("", _l("Choose…"))] + country_choices()),
        validators=[DataRequired()],
    )
    city = StringField(_l("City"), validators=[Length(max=120)])
    type = SelectField(_l("Type"), choices=options(ORGANISATION_TYPES.items()))
    size = SelectField(
        _l("Size (people)"), choices=options([("", "—")] + [(s, s) for s in ORGANISATION_SIZES])
    )
    website = URLField(
        _l("Website"),
        validators=[
            Optional(),
            URL(message=_l("Give the full address, e.g. https://example.com")),
            Length(max=300),
        ],
    )
    description = TextAreaField(
        _l("What does your organisation do?"),
        validators=[Length(max=5000)],
        description=_l("Two to five sentences; other participants read it before meeting you."),
    )
    sectors = CheckboxesField(_l("Sectors"), validate_choice=True)
    submit = SubmitField(_l("Save profile"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Country names in the reader's language, so built per request.
        self.country.choices = options([("", _l("Choose…"))] + country_choices())

    def profile_data(self):
        data = {
            name: getattr(self, name).data
            for name in ("name", "country", "city", "type", "website", "description", "sectors")
        }
        data["size"] = self.size.data or None
        return data


class TimeZoneForm(SafeForm):
    """The person's own time zone (issue 24): event times are shown in it beside the event's."""

    timezone = SelectField(
        _l("Your time zone"),
        validate_choice=True,
        description=_l(
            "Times of events elsewhere are shown in it too, e.g. “10:30 in Bucharest · "
            "09:30 your time”."
        ),
    )
    submit = SubmitField(_l("Save"))

    def fill(self):
        self.timezone.choices = options(
            [("", _l("Not set: event times only"))] + [(z, z) for z in timezones.zone_names()]
        )
        return self


class DeleteAccountForm(SafeForm):
    email = EmailField(
        _l("Type your email to confirm"), validators=[DataRequired(), Length(max=254)]
    )
    submit = SubmitField(_l("Delete my account and data"))


class MembershipActionForm(SafeForm):
    """A CSRF-protected button on the members page (approve, decline, remove, cancel)."""


class ChangeEmailForm(SafeForm):
    email = EmailField(
        _l("New email"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
    )
    password = PasswordField(
        _l("Your current password"), validators=[DataRequired(), Length(max=200)]
    )
    submit = SubmitField(_l("Send the confirmation link"))
