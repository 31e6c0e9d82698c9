"""Sessions that can be ended: the cookies carry a login session's token, and ending the
session on the server (logout, sign out everywhere else, a password change or reset) makes
every copy of the cookies worthless."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import g, request_started

from matchmaker.extensions import db
from matchmaker.models import CacheVersion, LoginSession
from matchmaker.models.base import utcnow
from matchmaker.services.sessions import describe_device
from tests.conftest import PASSWORD

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


@pytest.fixture(autouse=True)
def _user_loaded_per_request(app):
    """The tests' app context outlives each request and Flask-Login keeps the loaded user in
    `g`: forget it when a request starts, as a server does, so that each test client is judged
    by its own cookies only."""

    def forget(_sender, **_extra):
        g.pop("_login_user", None)

    request_started.connect(forget, app)
    yield
    request_started.disconnect(forget, app)


def login(client, email="ana@example.com", password=PASSWORD, remember=False, agent=FIREFOX):
    data = {"email": email, "password": password}
    if remember:
        data["remember"] = "y"
    return client.post("/auth/login", data=data, headers={"User-Agent": agent})


def signed_in(client):
    return client.get("/dashboard").status_code == 200


def replay(app, client, name):
    """Another browser holding a copy of `client`'s cookie `name` (and nothing else)."""
    thief = app.test_client()
    thief.set_cookie(name, client.get_cookie(name).value)
    return thief


def test_session_cookie_replayed_after_logout_is_logged_out(app, client, make_user):
    make_user()
    login(client)
    thief = replay(app, client, "session")
    assert signed_in(thief)
    client.post("/auth/logout")
    assert not signed_in(client)
    assert not signed_in(thief)


def test_remember_cookie_replayed_after_logout_is_logged_out(app, client, make_user):
    make_user()
    login(client, remember=True)
    thief = replay(app, client, "remember_token")
    assert signed_in(thief)
    client.post("/auth/logout")
    assert not signed_in(thief)
    assert not signed_in(app.test_client()) and not signed_in(client)


def test_cookies_replayed_after_password_reset_are_logged_out(app, client, make_user, outbox):
    make_user()
    login(client, remember=True)
    session_copy = replay(app, client, "session")
    remember_copy = replay(app, client, "remember_token")
    assert signed_in(session_copy) and signed_in(remember_copy)
    owner = app.test_client()
    owner.post("/auth/reset", data={"email": "ana@example.com"})
    new = "a brand new password"
    owner.post(outbox.last_link(), data={"password": new, "confirm": new})
    assert not signed_in(session_copy)
    assert not signed_in(remember_copy)
    assert not signed_in(client)


def test_sign_out_everywhere_else_ends_other_browsers_only(app, client, make_user):
    make_user()
    login(client)
    phone = app.test_client()
    login(phone, remember=True, agent=IPHONE)
    phone_copy = replay(app, phone, "remember_token")
    response = client.post("/account/sign-out-elsewhere", follow_redirects=True)
    assert "Signed out everywhere else." in response.text
    assert "Safari on iPhone" not in response.text
    assert signed_in(client)
    assert not signed_in(phone) and not signed_in(phone_copy)


def test_password_change_ends_other_sessions_but_keeps_this_one(app, client, make_user):
    make_user()
    login(client)
    other = app.test_client()
    login(other, remember=True)
    new = "another good password"
    response = client.post(
        "/account/password",
        data={"current": PASSWORD, "password": new, "confirm": new},
        follow_redirects=True,
    )
    assert "Your password is changed. Every other browser is signed out." in response.text
    assert signed_in(client)
    assert not signed_in(other)
    assert login(app.test_client(), password=new).status_code == 302


def test_password_change_with_wrong_current_password_changes_nothing(app, client, make_user):
    make_user()
    login(client)
    other = app.test_client()
    login(other)
    new = "another good password"
    response = client.post(
        "/account/password", data={"current": "not my password", "password": new, "confirm": new}
    )
    assert response.status_code == 200
    assert "That is not your current password." in response.text
    assert signed_in(other)
    assert login(app.test_client(), password=new).status_code == 200  # refused


def test_account_page_lists_where_you_are_signed_in(app, client, make_user):
    make_user()
    login(client)
    login(app.test_client(), agent=IPHONE)
    page = client.get("/account").text
    assert "Firefox on Windows" in page and "Safari on iPhone" in page
    assert page.count("This browser") == 1
    assert "Last seen in the last few minutes" in page


def test_cookie_from_before_login_sessions_is_logged_out(client, make_user):
    user = make_user()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)  # what the cookie held before: the user id
        session["_fresh"] = True
    response = client.get("/dashboard")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


@pytest.mark.parametrize(
    ("remember", "idle"), [(False, timedelta(days=2)), (True, timedelta(days=31))]
)
def test_session_unused_past_its_limit_ends(client, make_user, remember, idle):
    make_user()
    login(client, remember=remember)
    db.session.execute(sa.update(LoginSession).values(last_seen_at=utcnow() - idle))
    db.session.commit()
    assert not signed_in(client)


def test_visit_is_recorded_every_few_minutes_without_emptying_the_page_cache(client, make_user):
    make_user()
    login(client)
    signed_in(client)
    a_while_ago = utcnow() - timedelta(minutes=10)
    db.session.execute(sa.update(LoginSession).values(last_seen_at=a_while_ago))
    db.session.commit()
    versions = db.session.execute(sa.select(CacheVersion.scope, CacheVersion.value)).all()
    assert signed_in(client)
    db.session.expire_all()
    assert db.session.scalar(sa.select(LoginSession.last_seen_at)) > a_while_ago
    assert db.session.execute(sa.select(CacheVersion.scope, CacheVersion.value)).all() == versions


@pytest.mark.parametrize(
    ("agent", "expected"),
    [
        (FIREFOX, "Firefox on Windows"),
        (IPHONE, "Safari on iPhone"),
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36",
            "Chrome on Linux",
        ),
        ("curl/8.5", "Unknown browser"),
        ("", "Unknown browser"),
    ],
)
def test_describe_device_names_browser_and_system(agent, expected):
    assert describe_device(agent) == expected
