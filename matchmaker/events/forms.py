from wtforms import (
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from matchmaker.models import OPPORTUNITY_CATEGORIES
from matchmaker.services.registration import OPPORTUNITY_FIELDS
from matchmaker.webutil import SafeForm, options


class RegistrationForm(SafeForm):
    looking_for = StringField(
        "In one line, what are you looking for at this event?",
        validators=[Length(max=200)],
        description="Shown on your card in the participant list.",
    )
    max_meetings = IntegerField(
        "Maximum number of meetings",
        validators=[Optional(), NumberRange(1, 200)],
        description="Empty: as many as the event allows.",
    )
    submit = SubmitField("Save")


class OpportunityForm(SafeForm):
    kind = SelectField(
        "I…", choices=options([("offer", "offer this"), ("request", "am looking for this")])
    )
    category = SelectField("Category", choices=options(OPPORTUNITY_CATEGORIES.items()))
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(
        "Description",
        validators=[Length(max=5000)],
        description="What exactly, for whom, with what experience: matching reads these words.",
    )
    keywords = StringField(
        "Keywords", validators=[Length(max=300)], description="Separated by commas."
    )
    submit = SubmitField("Save opportunity")

    def opportunity_data(self):
        return {name: getattr(self, name).data for name in OPPORTUNITY_FIELDS}


class ConfirmForm(SafeForm):
    """A CSRF-protected confirmation button."""

    submit = SubmitField("Confirm")
