from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SearchField, SelectField
from wtforms.validators import Length

from matchmaker.countries import country_name
from matchmaker.models import OPPORTUNITY_CATEGORIES, OPPORTUNITY_KINDS, ORGANISATION_TYPES
from matchmaker.services.marketplace import Filters
from matchmaker.webutil import SafeForm


def _any(label, choices):
    return [("", label), *choices]


class ParticipantSearchForm(SafeForm):
    """The marketplace's GET search: read from the query string, so no CSRF token.

    A value outside the choices (an edited URL) is reported under its field and ignored.
    """

    class Meta:
        csrf = False

    q = SearchField(_l("Search"), validators=[Length(max=200)], default="")
    country = SelectField(_l("Country"), default="")
    type = SelectField(_l("Type"), default="")
    sector = SelectField(_l("Sector"), default="")

    def __init__(self, formdata, countries, sectors):
        super().__init__(formdata)
        named = sorted(((code, country_name(code)) for code in countries), key=lambda c: c[1])
        self.country.choices = _any(_("Any country"), named)
        self.type.choices = _any(_("Any type"), list(ORGANISATION_TYPES.items()))
        self.sector.choices = _any(_("Any sector"), [(sector, sector) for sector in sectors])

    @property
    def filters(self):
        """The valid fields as search filters; call after validate()."""
        fields = ("q", "country", "type", "sector", "category", "kind")
        return Filters(
            **{
                name: self[name].data or ""
                for name in fields
                if name in self and not self[name].errors
            }
        )

    def args(self, *names):
        """The non-empty valid values of these fields, for links that keep the search."""
        filters = self.filters
        return {name: getattr(filters, name) for name in names if getattr(filters, name)}


class OpportunitySearchForm(ParticipantSearchForm):
    category = SelectField(_l("Category"), default="")
    kind = SelectField(_l("Offer or request"), default="")

    def __init__(self, formdata, countries, sectors):
        super().__init__(formdata, countries, sectors)
        self.category.choices = _any(_("Any category"), list(OPPORTUNITY_CATEGORIES.items()))
        self.kind.choices = _any(_("Offers and requests"), list(OPPORTUNITY_KINDS.items()))
