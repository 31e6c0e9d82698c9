"""Errors of the API as RFC 9457 problem details (`application/problem+json`).

Every refusal of /api/v1 answers with an object holding `type`, `title`, `status` and
`detail`; a request whose input fails validation adds `errors`, the messages per field.
`type` is "about:blank" for the plain HTTP statuses and a link to the API reference page for
the ones this API defines (validation, a refusal of the domain, a missing scope).
"""

from flask import current_app, jsonify, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from matchmaker.extensions import db

MEDIA_TYPE = "application/problem+json"
API_PREFIX = "/api/v1"
# The problem types of this API: their anchor on the reference page.
TYPES = ("validation", "refused", "scope", "unauthenticated", "rate-limited")


def type_uri(kind):
    return url_for("api_reference.reference", _anchor=f"problem-{kind}", _external=True)


def problem(status, detail=None, kind=None, errors=None, title=None, headers=None):
    """The problem-details response: `kind` one of TYPES (else "about:blank")."""
    body = {
        "type": type_uri(kind) if kind else "about:blank",
        "title": title or HTTP_STATUS_CODES.get(status, "Error"),
        "status": status,
        "detail": detail or HTTP_STATUS_CODES.get(status, "Error"),
    }
    if errors is not None:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.mimetype = MEDIA_TYPE
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def unauthenticated():
    return problem(
        401,
        _("Send a valid personal access token: Authorization: Bearer mm_…"),
        "unauthenticated",
        headers={"WWW-Authenticate": 'Bearer realm="api"'},
    )


def is_api_request():
    return request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")


def from_http_exception(error):
    """Any HTTP error raised under /api/v1 (abort(404) of the permission helpers, webargs'
    422, Flask-Limiter's 429, a 405...) as problem details."""
    status = error.code or 500
    if status >= 500:
        db.session.rollback()
    data = getattr(error, "data", None) or {}
    if status == 422 and "messages" in data:
        messages = data["messages"]
        # webargs nests the messages under where it looked (json, query, files...).
        errors = {}
        for fields in messages.values():
            errors.update(fields if isinstance(fields, dict) else {"_": fields})
        return problem(422, _("Some values are not valid: see errors."), "validation", errors,
                       title=_("Invalid input"))  # fmt: skip
    if status == 429:
        # Flask-Limiter adds Retry-After and the X-RateLimit headers after the handler.
        return problem(429, _("Too many requests with this token: slow down and retry later."),
                       "rate-limited")  # fmt: skip
    if status == 401:
        return unauthenticated()
    headers = {}
    if status == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    detail = _DETAILS.get(status)
    return problem(status, str(detail()) if detail else None, headers=headers)


def from_unexpected(error):
    """A server error under /api/v1: logged, rolled back, answered without internals."""
    db.session.rollback()
    current_app.logger.exception("API request failed", exc_info=error)
    return problem(500, _("Something went wrong on our side; nothing was changed."))


_DETAILS = {
    400: lambda: _("The request could not be read."),
    403: lambda: _("Your account may not do this."),
    404: lambda: _("Nothing here, or nothing you may see."),
    405: lambda: _("This method is not allowed here."),
    413: lambda: _("The request is too large."),
    415: lambda: _("Send JSON (Content-Type: application/json)."),
}


def register(blueprint):
    """Answer every HTTP error of `blueprint`'s routes with problem details. Registered per
    status code: Flask prefers the app's per-code error pages to a class-wide handler."""
    from werkzeug.exceptions import default_exceptions

    for code in default_exceptions:
        if code >= 400:
            blueprint.register_error_handler(code, from_http_exception)
    blueprint.register_error_handler(HTTPException, from_http_exception)
