from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from matchmaker.models import OUTCOMES
from matchmaker.services.feedback import MAX_COMMENT
from matchmaker.webutil import SafeForm, options


class FeedbackForm(SafeForm):
    """One meeting's feedback; pages hold one per meeting, told apart by their prefix."""

    held = RadioField(
        _l("Did the meeting take place?"),
        choices=options([("yes", _l("Yes")), ("no", _l("No"))]),
        validators=[InputRequired(_l("Say whether the meeting took place."))],
    )
    usefulness = RadioField(
        _l("How useful was it? (1 = not at all, 5 = very)"),
        choices=options((n, str(n)) for n in range(1, 6)),
        validators=[Optional()],
    )
    outcome = SelectField(
        _l("Expected outcome"), choices=options([("", _l("Choose…")), *OUTCOMES.items()])
    )
    comment = TextAreaField(_l("Comment (optional)"), validators=[Length(max=MAX_COMMENT)])
    may_quote = BooleanField(
        _l("The organizers may quote this comment, without my name, in reports to their funders")
    )
    submit = SubmitField(_l("Save feedback"))

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.held.data == "yes":
            if not self.usefulness.data:
                self.usefulness.errors.append(_("Say how useful the meeting was, from 1 to 5."))
                valid = False
            if not self.outcome.data:
                self.outcome.errors.append(_("Choose the expected outcome of the meeting."))
                valid = False
        elif self.held.data == "no" and self.usefulness.data:
            self.usefulness.errors.append(
                _("Leave usefulness empty for a meeting that did not take place.")
            )
            valid = False
        return valid

    def answers(self):
        """The form's data as feedback.submit takes it."""
        return {
            "held": self.held.data == "yes",
            "usefulness": int(self.usefulness.data) if self.usefulness.data else None,
            "outcome": self.outcome.data or None,
            "comment": self.comment.data or "",
            "may_quote": bool(self.may_quote.data),
        }

    def fill(self, answer, cancelled=False):
        """Show an earlier answer (this round's, or the previous round's in a follow-up)."""
        if answer is None:
            self.held.data = "no" if cancelled else None
            return
        self.held.data = "yes" if answer.held else "no"
        self.usefulness.data = str(answer.usefulness) if answer.usefulness else None
        self.outcome.data = answer.outcome or ""
        self.comment.data = answer.comment
        self.may_quote.data = answer.may_quote
