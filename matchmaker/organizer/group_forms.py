from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from matchmaker.countries import country_name
from matchmaker.services.groups import NAME_LENGTH
from matchmaker.webutil import SafeForm, one_line, options


class GroupForm(SafeForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=NAME_LENGTH), one_line])
    submit = SubmitField(_l("Add group"))


class MeetingRulesForm(SafeForm):
    """The "may meet" boxes: one per pair of groups (a group with itself included); a box
    left unticked keeps the pair apart."""

    may_meet = SelectMultipleField(validate_choice=True)
    submit = SubmitField(_l("Save who may meet whom"))

    def fill(self, groups, apart):
        pairs = [(a, b) for i, a in enumerate(groups) for b in groups[i:]]
        self.may_meet.choices = options(
            (f"{a.id}-{b.id}", _("%(first)s may meet %(second)s", first=a.name, second=b.name))
            for a, b in pairs
        )
        if self.may_meet.data is None:  # not posted: the boxes show the stored rules
            ordered = {(a, b): (min(a.id, b.id), max(a.id, b.id)) for a, b in pairs}
            self.may_meet.data = [f"{a.id}-{b.id}" for a, b in pairs if ordered[a, b] not in apart]
        return self

    def pairs_apart(self):
        """The pairs of group ids whose box is unticked."""
        ticked = set(self.may_meet.data or [])
        return [
            tuple(int(part) for part in choice.value.split("-"))
            for choice in self.may_meet.choices
            if choice.value not in ticked
        ]


def _group_choices(groups, none_label):
    # The groups first: moving people into one is what the form is mostly for.
    return options([(group.id, group.name) for group in groups] + [("", none_label)])


class AssignForm(SafeForm):
    group = SelectField(_l("Group"), validate_choice=True)
    submit = SubmitField(_l("Move"))

    def fill(self, groups):
        self.group.choices = _group_choices(groups, _("No group"))
        return self

    def group_id(self):
        return int(self.group.data) if self.group.data else None


class CountryAssignForm(AssignForm):
    country = SelectField(_l("Everyone from"), validators=[DataRequired()], validate_choice=True)
    submit = SubmitField(_l("Move them"))

    def fill(self, groups, countries=()):
        super().fill(groups)
        self.group.label.text = _("to the group")
        self.country.choices = options(
            [("", _("Choose a country"))]
            + [(code, f"{country_name(code)} ({count})") for code, count in countries]
        )
        return self
