from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    widgets,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from matchmaker.models import ORGANISATION_TYPES
from matchmaker.models.group_meetings import GROUP_MEETING_MAX, GROUP_MEETING_MIN
from matchmaker.services.consortium import (
    MAX_ROLES,
    OBJECTIVE_LENGTH,
    ROLE_LENGTH,
    TITLE_LENGTH,
    IdeaInput,
)
from matchmaker.services.group_meetings import PURPOSE_LENGTH
from matchmaker.webutil import MAX_ID, SafeForm, one_line, options


def _id_or_none(value):
    text = str(value if value is not None else "").strip()
    return int(text) if text.isdigit() and len(text) < 12 else None


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class IdeaForm(SafeForm):
    lead = SelectField(_l("Lead (the participant the team is built for)"), coerce=_id_or_none)
    title = StringField(
        _l("Title of the idea"),
        validators=[DataRequired(_l("Give the idea a title.")), Length(max=TITLE_LENGTH), one_line],
    )
    objective = TextAreaField(
        _l("Objective"),
        validators=[Length(max=OBJECTIVE_LENGTH)],
        description=_l("What the project wants to achieve, in a few sentences."),
    )
    roles = TextAreaField(
        _l("Roles or work packages"),
        validators=[DataRequired(_l("Give at least one role, one per line."))],
        description=_l("One per line, 1 to 8, each a short text such as “satellite data”."),
    )
    partners = IntegerField(
        _l("Partners in the team (you included)"),
        default=4,
        validators=[
            InputRequired(_l("Give the number of partners, from 3 to 8.")),
            NumberRange(GROUP_MEETING_MIN, GROUP_MEETING_MAX, _l("From 3 to 8 partners.")),
        ],
    )
    min_countries = IntegerField(
        _l("At least this many countries"),
        default=2,
        validators=[
            InputRequired(_l("Give a number of countries, 0 for any.")),
            NumberRange(0, GROUP_MEETING_MAX, _l("From 0 to 8 countries.")),
        ],
    )
    required_types = CheckboxesField(
        _l("Organisation types the team must include"),
        choices=options((k, _l(v)) for k, v in ORGANISATION_TYPES.items()),
    )
    already_in = SelectMultipleField(
        _l("Partners already in (besides the lead)"),
        coerce=int,
        description=_l("Optional. Hold Ctrl (or ⌘) to pick several."),
    )
    one_per_organisation = BooleanField(
        _l("At most one participant per organisation"), default=True
    )
    submit = SubmitField(_l("Build three teams"))

    def fill(self, participants, lead=None):
        """Choices: the event's approved participants; the lead field only for organizers."""
        names = [(p.id, p.display_name) for p in participants]
        if lead is None:
            self.lead.choices = options([("", _l("Choose…"))] + names)
        else:
            del self.lead
        self.already_in.choices = options(
            (i, name) for i, name in names if lead is None or i != lead.id
        )
        return self

    def validate_lead(self, field):
        if field.data is None:
            raise ValidationError(_l("Choose the lead."))

    def validate_roles(self, field):
        lines = [line.strip() for line in (field.data or "").splitlines() if line.strip()]
        if not lines:
            raise ValidationError(_l("Give at least one role, one per line."))
        if len(lines) > MAX_ROLES:
            raise ValidationError(_l("At most 8 roles: you gave %(count)d.", count=len(lines)))
        for line in lines:
            if len(line) > ROLE_LENGTH:
                raise ValidationError(
                    _l("A role is at most %(limit)d characters.", limit=ROLE_LENGTH)
                )

    def validate_min_countries(self, field):
        if (
            field.data is not None
            and isinstance(self.partners.data, int)
            and field.data > self.partners.data
        ):
            raise ValidationError(
                _l(
                    "A team of %(partners)d cannot come from more countries than partners.",
                    partners=self.partners.data,
                )
            )

    def validate_required_types(self, field):
        if isinstance(self.partners.data, int) and len(field.data or []) > self.partners.data:
            raise ValidationError(_l("More types than partners were asked for."))

    def validate_already_in(self, field):
        if isinstance(self.partners.data, int) and len(field.data or []) >= self.partners.data:
            raise ValidationError(_l("The team is full already: ask for more partners."))

    def idea_input(self):
        return IdeaInput(
            title=self.title.data.strip(),
            objective=(self.objective.data or "").strip(),
            roles=tuple(line.strip() for line in self.roles.data.splitlines() if line.strip()),
            partners=self.partners.data,
            min_countries=self.min_countries.data,
            required_types=tuple(self.required_types.data or ()),
            one_per_organisation=bool(self.one_per_organisation.data),
            already_in=tuple(self.already_in.data or ()),
        )


class DraftForm(SafeForm):
    """A swap or an invitation: the draft's token, the team, and for a swap the member."""

    draft = HiddenField(validators=[DataRequired()])
    team = IntegerField(validators=[InputRequired(), NumberRange(1, 3)])
    member = IntegerField(validators=[Optional(), NumberRange(1, MAX_ID)])


class ActionForm(SafeForm):
    """A button (CSRF only)."""


class CancelForm(SafeForm):
    confirmed = BooleanField(
        _l("Yes, cancel this group meeting"),
        validators=[DataRequired(_l("Tick the box to confirm."))],
    )
    submit = SubmitField(_l("Cancel the group meeting"))


class GroupMeetingForm(SafeForm):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(_l("Give the group meeting a title.")),
                    Length(max=TITLE_LENGTH), one_line],
    )  # fmt: skip
    purpose = TextAreaField(_l("Purpose"), validators=[Length(max=PURPOSE_LENGTH)])
    participants = CheckboxesField(_l("Participants (3 to 8)"), coerce=int)
    submit = SubmitField(_l("Set up the group meeting"))

    def validate_participants(self, field):
        count = len(field.data or [])
        if not GROUP_MEETING_MIN <= count <= GROUP_MEETING_MAX:
            raise ValidationError(
                _l("Pick 3 to 8 participants: you picked %(count)d.", count=count)
            )
