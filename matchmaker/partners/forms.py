from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField

from matchmaker.webutil import SafeForm, options


class ActionForm(SafeForm):
    """A CSRF-protected button (new link, remove, approve, reject, send reminders)."""


class AddPartnerForm(SafeForm):
    member = SelectField(_l("Member organisation"), choices=[])

    def fill(self, members):
        self.member.choices = options([(m.id, m.name) for m in members])
        return self


class RetagForm(SafeForm):
    partner = SelectField(_l("Invited by"), choices=[])

    def fill(self, event):
        pairs = [("", _("No partner"))] + [(p.id, p.name) for p in event.partners]
        self.partner.choices = options(pairs)
        return self

    def partner_id(self):
        return int(self.partner.data) if self.partner.data else None
