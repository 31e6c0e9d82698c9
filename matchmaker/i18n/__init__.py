"""Languages (issue 24): Flask-Babel, the locale of each request, and the language switcher.

The locale is, in order: the signed-in user's choice (User.locale), a visitor's choice kept in
the session, the browser's Accept-Language, English. Catalogs live in
matchmaker/translations/<locale>/LC_MESSAGES/messages.po; `make translations` extracts and
updates them, `make install` compiles them (the .mo files are built, not committed).
"""

from flask import Blueprint, has_request_context, request, session
from flask_babel import Babel, get_locale, refresh
from flask_login import current_user

bp = Blueprint("i18n", __name__)
babel = Babel()

# Locale code (as Babel and the catalog folders spell it) -> the language's own name.
LANGUAGES = {
    "en": "English",
    "ro": "Română",
    "bg": "Български",
    "sr_Latn": "Srpski",
    "el": "Ελληνικά",
    "tr": "Türkçe",
    "uk": "Українська",
}
DEFAULT_LOCALE = "en"
# Accept-Language tags -> locale codes: a browser says "sr-Latn", "sr" or "sr-RS".
_BROWSER_TAGS = {code.replace("_", "-"): code for code in LANGUAGES} | {"sr": "sr_Latn"}


def select_locale():
    """The locale of the current request (see the module's docstring); English outside a
    request (a command, a worker's job), unless a caller forces one (flask_babel.force_locale)."""
    if not has_request_context():
        return DEFAULT_LOCALE
    if current_user and current_user.is_authenticated:
        chosen = getattr(current_user, "locale", "") or ""
        if chosen in LANGUAGES:
            return chosen
    chosen = session.get("locale")
    if chosen in LANGUAGES:
        return chosen
    best = request.accept_languages.best_match(list(_BROWSER_TAGS))
    return _BROWSER_TAGS.get(best, DEFAULT_LOCALE) if best else DEFAULT_LOCALE


def init_app(app):
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")  # in the package
    babel.init_app(app, locale_selector=select_locale)
    # Flask-Babel keeps the locale on `g`: a label read before the request (a command, or a test
    # sharing one app context) must not fix the language of the requests that follow.
    app.before_request(refresh)
    app.add_template_global(LANGUAGES, "languages")
    app.add_template_global(lambda: str(get_locale() or DEFAULT_LOCALE), "current_locale")
    from matchmaker.i18n import dates, views  # noqa: F401  (views registers the switcher's route)

    dates.init_app(app)

    app.register_blueprint(bp)
