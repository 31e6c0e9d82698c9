"""Country names from ISO 3166-1 (pycountry), plus Kosovo's user-assigned code XK."""

import pycountry

_EXTRA = {"XK": "Kosovo"}


def country_name(code):
    """The short English name for an alpha-2 code, or the code itself if unknown."""
    if not code:
        return ""
    code = code.upper()
    if code in _EXTRA:
        return _EXTRA[code]
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or (country.name if country else code)


def country_choices():
    """(code, name) pairs sorted by name, for select fields."""
    codes = [country.alpha_2 for country in pycountry.countries] + list(_EXTRA)
    return sorted(((code, country_name(code)) for code in codes), key=lambda pair: pair[1])
