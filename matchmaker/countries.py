"""Country names from ISO 3166-1 (pycountry), plus Kosovo's user-assigned code XK; in the
language of the request where Babel's locale data names the country (issue 24)."""

import unicodedata

import pycountry
from flask import has_request_context
from flask_babel import get_locale

_EXTRA = {"XK": "Kosovo"}


def _english_name(code):
    if code in _EXTRA:
        return _EXTRA[code]
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or (country.name if country else code)


def _territories():
    """Babel's country names in the request's language, or None (English, or no request)."""
    if not has_request_context():
        return None
    locale = get_locale()
    if locale is None or locale.language == "en":
        return None
    return locale.territories


def country_name(code):
    """The short name for an alpha-2 code in the request's language (English outside a
    request), or the code itself if unknown."""
    if not code:
        return ""
    code = code.upper()
    names = _territories()
    if names and code in names:
        return names[code]
    return _english_name(code)


def _sort_key(pair):
    """Names sorted by their letters, accents aside (Ö with O, Ș with S)."""
    decomposed = unicodedata.normalize("NFKD", pair[1].casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def country_choices():
    """(code, name) pairs sorted by name, for select fields."""
    codes = [country.alpha_2 for country in pycountry.countries] + list(_EXTRA)
    return sorted(((code, country_name(code)) for code in codes), key=_sort_key)
