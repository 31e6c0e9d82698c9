import os
import re

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db, limiter
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


# -- Throttling by account and by address (a shared store when Redis is configured) ----------

REDIS_URL = os.environ.get("MATCHMAKER_TEST_REDIS_URL")
VENUE = "198.51.100.7"  # one address for everyone on a venue's Wi-Fi


def limited(**overrides):
    """Rate limits on, counted in memory and, when MATCHMAKER_TEST_REDIS_URL names a Redis
    server, in Redis too (the test then fails, never skips, when Redis is down)."""
    stores = [pytest.param({"RATELIMIT_ENABLED": True, **overrides}, id="memory")]
    if REDIS_URL:
        redis = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": REDIS_URL, **overrides}
        stores.append(pytest.param(redis, id="redis"))
    return pytest.mark.parametrize("config_overrides", stores)


@pytest.fixture(autouse=True)
def _fresh_counters(app):
    """Counters in Redis outlive the app: start each test with none (the Redis named by
    MATCHMAKER_TEST_REDIS_URL is for tests). A key prefix per test would not do: the limiter,
    one object per process, keeps the first prefix it is given."""
    if app.config["RATELIMIT_ENABLED"] and app.config["RATELIMIT_STORAGE_URI"].startswith("redis"):
        limiter.reset()


def attempt(client, email, password=PASSWORD, address=VENUE):
    return client.post(
        "/auth/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


@limited()
def test_wrong_passwords_for_one_account_do_not_lock_out_another_at_the_same_address(
    client, make_user
):
    make_user("ana@example.com")
    make_user("bob@example.com", "Bob Ionescu")
    wrong = [attempt(client, "ana@example.com", "wrong password").status_code for _ in range(5)]
    assert wrong == [200] * 5
    assert attempt(client, "bob@example.com").status_code == 302


@limited()
def test_account_is_locked_after_five_failures_whatever_the_address(client, make_user):
    make_user()
    for i in range(5):
        attempt(client, "ana@example.com", "wrong password", address=f"203.0.113.{i}")
    # The right password, from yet another address, the email typed differently.
    assert attempt(client, " ANA@example.com", address="192.0.2.9").status_code == 429


@limited()
def test_a_locked_account_logs_in_at_once_after_a_password_reset(client, make_user):
    from matchmaker.services.accounts import make_reset_token

    ana = make_user()
    for _ in range(5):
        attempt(client, "ana@example.com", "wrong password")
    assert attempt(client, "ana@example.com").status_code == 429

    new_password = "a brand new passphrase"
    client.post(
        f"/auth/reset/{make_reset_token(ana)}",
        data={"password": new_password, "confirm": new_password},
    )

    assert attempt(client, "ana@example.com", new_password).status_code == 302


@limited(LOGIN_ADDRESS_RATE_LIMIT="3 per minute")
def test_failed_logins_from_one_address_are_limited_across_accounts(client, make_user):
    make_user()
    guesses = [attempt(client, f"x{i}@example.com", "wrong password").status_code for i in range(3)]
    assert guesses == [200] * 3
    assert attempt(client, "ana@example.com").status_code == 429
    assert attempt(client, "ana@example.com", address="192.0.2.50").status_code == 302


@limited()
def test_too_many_attempts_page_offers_the_reset_and_says_when(client, make_user):
    make_user()
    for _ in range(5):
        attempt(client, "ana@example.com", "wrong password")
    response = attempt(client, "ana@example.com", "wrong password")
    assert response.status_code == 429
    assert re.search(r"Try again in [45] minutes\.", response.text)
    assert 'href="/auth/reset">Reset it by email</a>' in response.text
    assert 240 <= int(response.headers["Retry-After"]) <= 300


@limited(SIGNUP_RATE_LIMIT="2 per minute")
def test_signup_is_limited_per_address(client):
    def sign_up(email, address=VENUE):
        data = {"name": "A", "email": email, "password": PASSWORD, "confirm": PASSWORD}
        return client.post("/auth/signup", data=data, environ_base={"REMOTE_ADDR": address})

    statuses = [sign_up(f"p{i}@example.com").status_code for i in range(3)]
    assert statuses == [302, 302, 429]
    assert sign_up("q@example.com", address="192.0.2.50").status_code == 302


@limited()
def test_reset_mails_to_one_email_are_limited_whatever_the_address(client, make_user, outbox):
    make_user()
    statuses = [
        client.post(
            "/auth/reset",
            data={"email": "ana@example.com"},
            environ_base={"REMOTE_ADDR": f"203.0.113.{i}"},
        ).status_code
        for i in range(4)
    ]
    assert statuses == [302, 302, 302, 429]
    assert len(outbox.messages) == 3


# -- Links in emails come from BASE_URL, never from the request --------------------------------


@pytest.mark.parametrize("config_overrides", [{"BASE_URL": "https://matchmaker.example"}])
def test_reset_link_is_built_on_base_url_not_on_the_request_host(client, make_user, outbox):
    make_user()
    client.post("/auth/reset", data={"email": "ana@example.com"}, base_url="http://evil.example")
    client.post("/auth/reset", data={"email": "ana@example.com"}, headers={"Host": "evil.example"})
    links = [m.get_payload(decode=True).decode() for m in outbox.messages]
    assert len(links) == 2
    assert all("https://matchmaker.example/auth/reset/" in body for body in links)
    assert not any("evil.example" in body for body in links)


# Changing the email: the account moves only once the new address opens its link.


def test_email_change_moves_the_account_once_the_new_address_confirms(
    client, auth, make_user, outbox
):
    user = make_user()
    auth.login("ana@example.com")
    response = client.post(
        "/account/email",
        data={"email": "Ana@New.example", "password": PASSWORD},
        follow_redirects=True,
    )
    assert "Check your inbox: we sent a link to ana@new.example" in response.text
    assert outbox.messages[-1]["To"] == "ana@new.example"
    link = outbox.last_link()
    db.session.expire_all()
    assert db.session.get(User, user.id).email == "ana@example.com"  # not before the link
    assert "ana@new.example is confirmed" in client.get(link).text
    db.session.expire_all()
    moved = db.session.get(User, user.id)
    assert (moved.email, moved.is_verified) == ("ana@new.example", True)
    assert outbox.messages[-1]["To"] == "ana@example.com"  # the old address is told
    assert "already been used" in client.get(link).text


def test_email_change_to_a_taken_address_answers_the_same_and_tells_its_owner(
    client, auth, make_user, outbox
):
    make_user()
    make_user(email="bo@example.com", name="Bo")
    auth.login("ana@example.com")
    taken = client.post("/account/email", data={"email": "bo@example.com", "password": PASSWORD})
    free = client.post("/account/email", data={"email": "cy@example.com", "password": PASSWORD})
    assert taken.headers["Location"] == free.headers["Location"] == "/profile"
    subjects = {m["To"]: m["Subject"] for m in outbox.messages}
    assert subjects["bo@example.com"] == "Someone tried to move an account to your email"
    assert subjects["cy@example.com"] == "Confirm your new email for Matchmaker"
    emails = db.session.scalars(sa.select(User.email).order_by(User.email)).all()
    assert emails == ["ana@example.com", "bo@example.com"]


def test_email_change_needs_the_current_password(client, auth, make_user, outbox):
    make_user()
    auth.login("ana@example.com")
    response = client.post(
        "/account/email", data={"email": "ana@new.example", "password": "not my password"}
    )
    assert "That is not your current password." in response.text
    assert outbox.messages == []
