"""Personal access tokens (issue 24): made, listed, revoked and checked here only.

A token is `mm_` followed by 43 URL-safe characters (256 random bits); only its SHA-256 is
stored, with its first characters kept visible so a person can tell their tokens apart. The
API asks `authenticate` on every request: a revoked or expired token, or one whose owner's
account is inactive, gets nobody, at once (nothing is cached).
"""

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import API_SCOPES, ApiToken
from matchmaker.models.base import utcnow
from matchmaker.services.errors import DomainError, NotAllowed

TOKEN_PREFIX = "mm_"  # noqa: S105  (a visible marker, not a secret)
VISIBLE = 8  # characters of the token shown in lists ("mm_" and five more)
# Last use is written at most this often: no write per API call.
USED_EVERY = timedelta(minutes=1)
MAX_TOKENS = 50  # per user: a list a person can still read
_MAX_LENGTH = 100  # our tokens are 46 characters; anything much longer is not one


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def create(user, name, scopes, expires_at=None):
    """Make a token for `user` named `name` with `scopes` (names of API_SCOPES) and an
    optional expiry (naive UTC, in the future) and commit. Returns (ApiToken, token): the
    token itself exists only in this return value. Raises DomainError for an empty name,
    no or unknown scopes, a past expiry, or too many tokens."""
    name = (name or "").strip()
    chosen = [scope for scope in API_SCOPES if scope in set(scopes or ())]
    if not name:
        raise DomainError("Give the token a name, so you can tell it apart later.")
    if not chosen or len(chosen) != len(set(scopes)):
        raise DomainError("Choose at least one of the listed scopes.")
    if expires_at is not None and expires_at <= utcnow():
        raise DomainError("The expiry date must be in the future.")
    if len(tokens_of(user)) >= MAX_TOKENS:
        raise DomainError("You have too many tokens: revoke one you no longer use first.")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    made = ApiToken(
        user_id=user.id,
        name=name[:80],
        prefix=token[:VISIBLE],
        token_hash=_hash(token),
        scopes=" ".join(chosen),
        expires_at=expires_at,
    )
    db.session.add(made)
    db.session.commit()
    return made, token


def tokens_of(user):
    """The user's tokens not revoked, newest first (revoked ones are gone from their list)."""
    return db.session.scalars(
        sa.select(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ).all()


def token_of(user, token_id):
    """The user's own live token with this id, or None (someone else's is None too)."""
    found = db.session.get(ApiToken, token_id)
    if found is None or found.user_id != user.id or found.revoked_at is not None:
        return None
    return found


def revoke(token, by):
    """Revoke `token` and commit: from this moment it authenticates nobody."""
    if token.user_id != by.id:
        raise NotAllowed("This token is not yours.")
    token.revoked_at = utcnow()
    db.session.commit()


def authenticate(raw):
    """The (user, ApiToken) a presented token stands for, or None: unknown, revoked or
    expired tokens, and tokens of an inactive account, authenticate nobody. Records the last
    use, at most once per USED_EVERY (one write then, none on the other calls). One query."""
    if not raw or len(raw) > _MAX_LENGTH or not raw.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == _hash(raw)))
    now = utcnow()
    if token is None or token.revoked_at is not None:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    user = token.user
    if user is None or not user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= USED_EVERY:
        # Core, not the ORM: the page cache does not count this write as a change of a page.
        table = ApiToken.__table__
        db.session.connection().execute(
            sa.update(table).where(table.c.id == token.id).values(last_used_at=now)
        )
        db.session.commit()
    return user, token


def has_scope(token, scope):
    return scope in token.scope_list
