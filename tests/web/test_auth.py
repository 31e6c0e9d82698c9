import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import User
from tests.conftest import PASSWORD


def test_signup_creates_unconfirmed_account_with_argon2id_hash(client, outbox):
    response = client.post(
        "/auth/signup",
        data={
            "name": "Ana Popescu",
            "email": "Ana@Example.com",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
        follow_redirects=True,
    )
    assert "Check your inbox: we sent a link to ana@example.com" in response.text
    user = db.session.scalar(sa.select(User))
    assert (user.email, user.is_verified) == ("ana@example.com", False)
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert outbox.messages[-1]["Subject"] == "Confirm your email for Matchmaker"


def test_signup_with_short_or_mismatched_password_is_refused(client):
    response = client.post(
        "/auth/signup",
        data={"name": "A", "email": "a@example.com", "password": "short", "confirm": "other"},
    )
    assert "at least 10 characters" in response.text
    assert "The passwords differ." in response.text
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_login_then_dashboard_greets_user(client, auth, make_user):
    make_user()
    response = auth.login("ana@example.com")
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"
    assert "Hello, Ana Popescu" in client.get("/dashboard").text


def test_login_unknown_email_and_wrong_password_say_the_same(client, auth, make_user):
    make_user()
    wrong_password = auth.login("ana@example.com", "not the password").text
    unknown_email = auth.login("nobody@example.com", "not the password").text
    assert "Wrong email or password." in wrong_password
    assert "Wrong email or password." in unknown_email
    assert "Hello" not in client.get("/dashboard", follow_redirects=True).text


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/events/x", "/events/x"),
        ("https://evil.example/phish", "/dashboard"),
        ("//evil.example/phish", "/dashboard"),
        ("/\\evil.example", "/dashboard"),
        ("javascript:alert(1)", "/dashboard"),
    ],
)
def test_login_next_only_follows_local_paths(client, make_user, target, expected):
    make_user()
    response = client.post(
        "/auth/login",
        query_string={"next": target},
        data={"email": "ana@example.com", "password": PASSWORD},
    )
    assert response.headers["Location"] == expected


def test_logout_needs_post(client, auth, make_user):
    make_user()
    auth.login("ana@example.com")
    assert client.get("/auth/logout").status_code == 405
    response = auth.logout()
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 302  # back to the login page


def test_dashboard_requires_login(client):
    response = client.get("/dashboard")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")


def test_password_reset_by_emailed_link(client, auth, make_user, outbox):
    make_user()
    response = client.post("/auth/reset", data={"email": "ana@example.com"}, follow_redirects=True)
    assert "a reset link is on its way" in response.text
    assert outbox.messages[-1]["To"] == "ana@example.com"
    link = outbox.last_link()

    new_password = "a brand new password"
    client.post(link, data={"password": new_password, "confirm": new_password})
    assert auth.login("ana@example.com").status_code == 200  # old password refused
    assert auth.login("ana@example.com", new_password).status_code == 302


def test_password_reset_link_works_once(client, make_user, outbox):
    make_user()
    client.post("/auth/reset", data={"email": "ana@example.com"})
    link = outbox.last_link()
    client.post(link, data={"password": "first new password", "confirm": "first new password"})
    response = client.get(link, follow_redirects=True)
    assert "already been used" in response.text


def test_password_reset_for_unknown_email_sends_nothing_and_says_the_same(client, outbox):
    response = client.post(
        "/auth/reset", data={"email": "ghost@example.com"}, follow_redirects=True
    )
    assert "a reset link is on its way" in response.text
    assert outbox.messages == []


@pytest.mark.parametrize("config_overrides", [{"PASSWORD_RESET_MAX_AGE": -1}])
def test_password_reset_link_expires(client, make_user, outbox):
    make_user()
    client.post("/auth/reset", data={"email": "ana@example.com"})
    response = client.get(outbox.last_link(), follow_redirects=True)
    assert "This reset link has expired" in response.text


@pytest.mark.parametrize("config_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_post_without_csrf_token_is_refused(client, make_user):
    make_user()
    response = client.post("/auth/login", data={"email": "ana@example.com", "password": PASSWORD})
    assert response.status_code == 400
    assert "The form may have expired" in response.text
    response = client.post(
        "/auth/signup",
        data={"name": "B", "email": "b@example.com", "password": PASSWORD, "confirm": PASSWORD},
    )
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


@pytest.mark.parametrize("config_overrides", [{"RATELIMIT_ENABLED": True}])
def test_sixth_wrong_password_in_a_minute_gets_429(client, auth, make_user):
    make_user()
    statuses = [auth.login("ana@example.com", "wrong password").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    assert "Too many attempts" in auth.login("ana@example.com").text


# Verified email (issue 16): a signed, expiring link at sign-up; sign-up tells nobody which
# emails have accounts.

SIGNUP = {"name": "Ana Popescu", "password": PASSWORD, "confirm": PASSWORD}


def _sign_up(client, email):
    return client.post("/auth/signup", data={**SIGNUP, "email": email})


def test_signup_with_taken_email_answers_the_same_and_mails_the_owner(client, make_user, outbox):
    owner = make_user(email="ana@example.com", name="Ana Owner")
    fresh = _sign_up(client, "bo@example.com")
    fresh_page = client.get(fresh.headers["Location"]).text
    taken = _sign_up(client, "ANA@example.com")
    taken_page = client.get(taken.headers["Location"]).text

    assert (fresh.status_code, fresh.headers["Location"]) == (302, "/auth/login")
    assert (taken.status_code, taken.headers["Location"]) == (302, "/auth/login")
    assert fresh_page.replace("bo@example.com", "EMAIL") == taken_page.replace(
        "ana@example.com", "EMAIL"
    )
    assert client.get("/dashboard").status_code == 302  # neither visitor is logged in
    mail = outbox.messages[-1]
    assert (mail["To"], mail["Subject"]) == (
        owner.email,
        "Someone tried to sign up with your email",
    )
    assert outbox.last_link().endswith("/auth/login")
    db.session.expire_all()
    assert db.session.get(User, owner.id).name == "Ana Owner"
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 2


def test_verify_link_confirms_the_email(client, auth, outbox):
    _sign_up(client, "ana@example.com")
    response = client.get(outbox.last_link(), follow_redirects=True)
    assert "Thank you: ana@example.com is confirmed." in response.text
    assert db.session.scalar(sa.select(User)).is_verified
    auth.login("ana@example.com")
    assert "verify-banner" not in client.get("/dashboard").text


@pytest.mark.parametrize("config_overrides", [{"EMAIL_VERIFY_MAX_AGE": -1}])
def test_verify_link_expires(client, outbox):
    _sign_up(client, "ana@example.com")
    response = client.get(outbox.last_link(), follow_redirects=True)
    assert "This confirmation link has expired" in response.text
    assert not db.session.scalar(sa.select(User)).is_verified


def test_verify_link_tampered_is_refused(client, outbox):
    _sign_up(client, "ana@example.com")
    link = outbox.last_link()
    forged = link[:-3] + ("xyz" if not link.endswith("xyz") else "abc")
    response = client.get(forged, follow_redirects=True)
    assert "This confirmation link is not valid" in response.text
    assert not db.session.scalar(sa.select(User)).is_verified


def test_reset_link_for_another_purpose_does_not_confirm_the_email(client, make_user, outbox):
    make_user(verified=False)
    client.post("/auth/reset", data={"email": "ana@example.com"})
    token = outbox.last_link().rsplit("/", 1)[-1]
    response = client.get(f"/auth/verify/{token}", follow_redirects=True)
    assert "This confirmation link is not valid" in response.text


def test_unconfirmed_account_sees_the_banner_and_can_resend(client, auth, make_user, outbox):
    make_user(verified=False)
    auth.login("ana@example.com")
    page = client.get("/dashboard").text
    assert "Check your inbox: we sent a link to" in page and "Resend the link" in page
    response = client.post("/auth/verify/resend?next=/profile")
    assert response.headers["Location"] == "/profile"
    assert outbox.messages[-1]["Subject"] == "Confirm your email for Matchmaker"
    client.get(outbox.last_link())
    assert "verify-banner" not in client.get("/dashboard").text


@pytest.mark.parametrize("config_overrides", [{"RATELIMIT_ENABLED": True}])
def test_resending_the_link_is_throttled(client, auth, make_user, outbox):
    make_user(verified=False)
    auth.login("ana@example.com")
    statuses = [client.post("/auth/verify/resend").status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert len(outbox.messages) == 3


def test_password_set_through_an_emailed_link_confirms_the_email(client, make_user, outbox):
    user = make_user(verified=False)
    client.post("/auth/reset", data={"email": "ana@example.com"})
    client.post(
        outbox.last_link(),
        data={"password": "a new long password", "confirm": "a new long password"},
    )
    db.session.expire_all()
    assert db.session.get(User, user.id).is_verified
