"""Login sessions: one row per signed-in browser, so that a session can be ended on the server.

Flask-Login keeps whatever `User.get_id()` returns in the session cookie and in the remember
cookie, and hands it back to the user loader. Here that value is a random token made at each
login (`start`), kept only as its SHA-256 in a `LoginSession` row. Deleting the row (logout,
"sign out everywhere else", a password change or reset) makes every copy of those cookies
worthless; a cookie from before this scheme (a plain user id) matches no row, so its holder
is simply logged out.
"""

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from matchmaker.extensions import db
from matchmaker.models import LoginSession, User
from matchmaker.models.base import utcnow

# A session's last visit is written at most this often: no write per request, and the write
# does not count as a change of what pages show (the page cache stays valid).
SEEN_EVERY = timedelta(minutes=5)
_MAX_TOKEN_LENGTH = 100  # tokens are 43 characters; anything much longer is not one of ours


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def _seconds(value):
    return value if isinstance(value, timedelta) else timedelta(seconds=value)


def idle_limit(remember):
    """How long a session may go unused before it ends: the remember cookie's duration for a
    browser that asked to be kept logged in, LOGIN_IDLE_LIMIT for the others."""
    config = current_app.config
    return _seconds(config["REMEMBER_COOKIE_DURATION"] if remember else config["LOGIN_IDLE_LIMIT"])


def start(user, remember=False, user_agent=""):
    """Open a login session for `user` and commit. Returns its random token, which the session
    and remember cookies carry (it is also set as `user.session_token`, what `User.get_id`
    gives Flask-Login). The user's sessions unused past their limit are deleted on the way."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    idle = sa.or_(
        sa.and_(LoginSession.remember, LoginSession.last_seen_at < now - idle_limit(True)),
        sa.and_(~LoginSession.remember, LoginSession.last_seen_at < now - idle_limit(False)),
    )
    db.session.execute(
        sa.delete(LoginSession).where(LoginSession.user_id == user.id, idle),
        execution_options={"synchronize_session": False},
    )
    printable = "".join(ch for ch in user_agent or "" if ch.isprintable())
    db.session.add(
        LoginSession(
            user_id=user.id,
            token_hash=_hash(token),
            remember=bool(remember),
            user_agent=printable[:200],
            created_at=now,
            last_seen_at=now,
        )
    )
    db.session.commit()
    user.session_token = token
    return token


def user_for_token(token, record_visit=True):
    """The active user whose login session has this token, or None when the token is unknown
    (ended, or an old cookie), the session went unused past its limit, or the account is
    deactivated. One query.

    With `record_visit`, the session's last visit is written (and committed) when it is older
    than SEEN_EVERY and nothing else is pending in the database session; the write bypasses
    the ORM, so it does not invalidate the page cache.
    """
    if not isinstance(token, str) or not token or len(token) > _MAX_TOKEN_LENGTH:
        return None
    row = db.session.execute(
        sa.select(LoginSession, User)
        .join(User, LoginSession.user_id == User.id)
        .where(LoginSession.token_hash == _hash(token))
    ).first()
    if row is None:
        return None
    login, user = row
    now = utcnow()
    if not user.active or now - login.last_seen_at > idle_limit(login.remember):
        return None
    if record_visit and now - login.last_seen_at >= SEEN_EVERY and not _pending():
        db.session.connection().execute(
            sa.update(LoginSession.__table__)
            .where(LoginSession.__table__.c.id == login.id)
            .values(last_seen_at=now)
        )
        db.session.commit()
    user.session_token = token
    return user


def _pending():
    session = db.session
    return bool(session.new or session.dirty or session.deleted)


def end(token):
    """End the login session with this token (logout) and commit; nothing if it is gone."""
    if isinstance(token, str) and token:
        db.session.execute(
            sa.delete(LoginSession).where(LoginSession.token_hash == _hash(token)),
            execution_options={"synchronize_session": False},
        )
        db.session.commit()


def end_sessions(user, keep=None):
    """Delete `user`'s login sessions but the one whose token is `keep` (all when None); the
    caller commits. Returns how many ended."""
    query = sa.delete(LoginSession).where(LoginSession.user_id == user.id)
    if keep:
        query = query.where(LoginSession.token_hash != _hash(keep))
    result = db.session.execute(query, execution_options={"synchronize_session": False})
    return result.rowcount


def sign_out_everywhere_else(user, token):
    """End every login session of `user` but this browser's (`token`) and commit: other
    browsers, and every copied session or remember cookie, are logged out. Returns how many
    sessions ended."""
    ended = end_sessions(user, keep=token)
    db.session.commit()
    return ended


def sessions_of(user):
    """`user`'s login sessions still in use, the most recently seen first."""
    now = utcnow()
    found = db.session.scalars(
        sa.select(LoginSession)
        .where(LoginSession.user_id == user.id)
        .order_by(LoginSession.last_seen_at.desc(), LoginSession.id.desc())
    )
    return [s for s in found if now - s.last_seen_at <= idle_limit(s.remember)]


def is_token_of(login, token):
    """Whether `login` (a LoginSession) is the session with this token."""
    return bool(token) and login.token_hash == _hash(token)


_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def describe_device(user_agent):
    """A short name for the browser a User-Agent string names ("Firefox on Windows"), or
    "Unknown browser"."""
    agent = user_agent or ""
    browser = next((name for mark, name in _BROWSERS if mark in agent), None)
    system = next((name for mark, name in _SYSTEMS if mark in agent), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "Unknown browser"
