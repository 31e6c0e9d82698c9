"""Who calls the API: a personal access token in `Authorization: Bearer`, and nothing else.

Session cookies are ignored here (so the API needs no CSRF token): the token's owner becomes
Flask-Login's `current_user` for the request, and the permission helpers of the pages
(matchmaker/permissions.py) then answer exactly as they would on the page. A scope narrows
what the token may do on top of that; it never widens what its owner may do.
"""

import hashlib
from functools import wraps

from flask import current_app, g, request, session
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address

from matchmaker.api.problems import problem, unauthenticated
from matchmaker.extensions import login_manager
from matchmaker.services import api_tokens


def bearer():
    """The token of the Authorization header, "" when there is none."""
    scheme, _space, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def authenticate():
    """before_request of the API: set the token's owner as the current user, the anonymous
    user when no Authorization header came (public routes only; the others ask for a token),
    or answer 401 for a token that is unknown, revoked, expired or of an inactive account."""
    g.api_token = None
    if "Authorization" not in request.headers:
        g._login_user = login_manager.anonymous_user()
        return None
    found = api_tokens.authenticate(bearer())
    if found is None:
        return unauthenticated()
    g._login_user, g.api_token = found
    return None


def forget_session(response):
    """after_request: an API answer never sets a cookie (a write may have noted the page
    cache's version in the session, which only browsers use)."""
    session.modified = False
    return response


def forget_user(_error=None):
    """teardown_request: the token's owner was this request's user only (an app context
    that outlives the request, as in tests, must not keep them for the next one)."""
    g.pop("_login_user", None)
    g.pop("api_token", None)


def scope_required(scope, public=False):
    """The route needs a token with `scope`; with public=True a call without any token passes
    too, as a visitor (the view's permission helper decides what a visitor sees)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            token = g.get("api_token")
            if token is None:
                if not public:
                    return unauthenticated()
            elif not api_tokens.has_scope(token, scope):
                return problem(
                    403,
                    _("This token lacks the %(scope)s scope.", scope=scope),
                    "scope",
                    title=_("Missing scope"),
                )
            return view(*args, **kwargs)

        wrapped.required_scope = scope
        return wrapped

    return decorator


def rate_key():
    """Flask-Limiter's key: the presented token (hashed: keys may be stored in Redis), else
    the client's address. Runs before `authenticate`, so it reads the header itself."""
    token = bearer()
    if token:
        return "api-token:" + hashlib.sha256(token.encode()).hexdigest()[:32]
    return "api-ip:" + get_remote_address()


def rate_limit():
    return current_app.config["API_RATE_LIMIT"]
