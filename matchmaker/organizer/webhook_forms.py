from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, StringField, SubmitField, widgets
from wtforms.validators import DataRequired

from matchmaker.models import WEBHOOK_EVENT_TYPES
from matchmaker.webutil import SafeForm, options

# The organizer's words for each type (WEBHOOK_EVENT_TYPES, translated).
EVENT_TYPE_LABELS = {
    "registration.created": _l("A registration is created"),
    "registration.approved": _l("A registration is approved"),
    "request.accepted": _l("A meeting request is accepted"),
    "schedule.published": _l("The agenda is published"),
    "meeting.status_changed": _l("A meeting's status changes on the day"),
}
assert set(EVENT_TYPE_LABELS) == set(WEBHOOK_EVENT_TYPES)


class _Checkboxes(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class WebhookForm(SafeForm):
    # Checked by services/webhooks.check_url, which says why an address is refused.
    url = StringField(_l("Address that receives the events"), validators=[DataRequired()])
    event_types = _Checkboxes(
        _l("Send"),
        choices=options(EVENT_TYPE_LABELS.items()),
        validate_choice=True,
        validators=[DataRequired(message=_l("Choose at least one kind of event to send."))],
    )
    submit = SubmitField(_l("Add webhook"))
