"""Languages (issue 24): complete catalogs, the language of each request, the switcher."""

import pytest

from matchmaker.extensions import db
from matchmaker.i18n import LANGUAGES
from matchmaker.i18n.catalogs import catalog, marked_messages
from matchmaker.models import User

TRANSLATED = sorted(code for code in LANGUAGES if code != "en")


@pytest.fixture(scope="module")
def messages():
    return marked_messages()


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_catalog_has_every_message(messages, locale):
    """A message marked in the code but missing, empty or fuzzy in a catalog would show in
    English to that language's readers."""
    translated = catalog(locale)
    missing = []
    for message in messages:
        key = message[0] if isinstance(message, tuple) else message
        entry = translated.get(key)
        strings = entry.string if entry else None
        if isinstance(strings, tuple | list):
            strings = all(strings) and strings
        if not entry or not strings or entry.fuzzy:
            missing.append(key)
    assert not missing, f"{locale}: {len(missing)} untranslated, e.g. {sorted(missing)[:10]}"


@pytest.mark.parametrize("locale", TRANSLATED)
def test_placeholders_survive_translation(locale):
    """A translation that drops or renames a %(name)s placeholder breaks the page."""
    import re

    pattern = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")
    broken = []
    for entry in catalog(locale):
        if not entry.id or not entry.string:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        wanted = set(pattern.findall(ids[-1]))
        for string in strings:
            if set(pattern.findall(string)) != wanted:
                broken.append(ids[0])
    assert not broken, f"{locale}: placeholders changed in {broken[:10]}"


def test_browser_language_is_the_default(client):
    page = client.get("/", headers={"Accept-Language": "bg-BG,bg;q=0.9,en;q=0.5"}).text
    assert '<html lang="bg">' in page
    assert "Език" in page


def test_serbian_browsers_get_the_latin_catalog(client):
    page = client.get("/", headers={"Accept-Language": "sr-RS,sr;q=0.9"}).text
    assert "Jezik" in page


def test_a_visitor_s_choice_beats_the_browser(client):
    client.post("/language", data={"locale": "ro", "next": "/"})
    page = client.get("/", headers={"Accept-Language": "el"}).text
    assert '<html lang="ro">' in page and "Limba" in page


def test_the_choice_is_remembered_on_the_account(client, auth, make_user):
    make_user()
    auth.login("ana@example.com")
    response = client.post("/language", data={"locale": "tr", "next": "/events/"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/events/")
    assert db.session.scalar(db.select(User.locale)) == "tr"
    # A new session of the same user (another browser) opens in Turkish.
    other = client.application.test_client()
    other.post("/auth/login", data={"email": "ana@example.com", "password": auth_password()})
    assert "Dil" in other.get("/", headers={"Accept-Language": "en"}).text


def auth_password():
    from tests.conftest import PASSWORD

    return PASSWORD


def test_an_unknown_language_is_refused_and_changes_nothing(client, auth, make_user):
    make_user()
    auth.login("ana@example.com")
    assert client.post("/language", data={"locale": "xx"}).status_code == 400
    assert (
        client.post("/language", data={"locale": "ro", "next": "https://evil.example/"})
        .headers["Location"]
        .startswith("/")
    )
    assert db.session.scalar(db.select(User.locale)) == "ro"
