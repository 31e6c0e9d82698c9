"""The REST API, /api/v1 (issue 24): a thin door over the services the pages use.

flask-smorest (marshmallow + apispec) generates the OpenAPI 3.1 document from the routes and
their schemas, on our plain Flask app: apiflask would replace the app class, spectree would
bring pydantic beside the marshmallow this needs anyway. Each handler does what a page does:
load or 404 and check access with matchmaker/permissions.py, one service call, and answer
JSON; refusals are problem details (problems.py), callers are personal access tokens
(auth.py), pages of results are cursor pages (pagination.py).
"""

import http

from flask_smorest import Api as _Api
from flask_smorest import Blueprint
from flask_smorest.utils import prepare_response

from matchmaker.api import auth, problems
from matchmaker.api.schemas import Problem
from matchmaker.extensions import csrf, limiter

bp = Blueprint(
    "api",
    __name__,
    url_prefix=problems.API_PREFIX,
    description="Matchmaker's REST API: events, registrations, matches, meeting requests, "
    "agendas, and the organizer's registrations, jobs, schedules, statistics and exports.",
)


class Api(_Api):
    """flask-smorest's Api answering errors as problem details of our blueprint only (its own
    handler would turn every HTML error page of the app into JSON)."""

    ERROR_SCHEMA = Problem

    def _register_error_handlers(self):
        pass  # problems.register, on the API blueprint

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, problems.MEDIA_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "A problem (RFC 9457)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, problems.MEDIA_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


SPEC_CONFIG = {
    "API_TITLE": "Matchmaker API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.1.0",
    "OPENAPI_URL_PREFIX": problems.API_PREFIX,
    "OPENAPI_JSON_PATH": "openapi.json",
    "API_SPEC_OPTIONS": {
        "info": {
            "description": "Authenticate with a personal access token made on your account's "
            "Tokens page: `Authorization: Bearer mm_…`. Errors are problem details "
            "(RFC 9457). Lists are cursor pages: follow `next`."
        },
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"token": []}],
    },
}


# Once, on the module's blueprint (each app built registers the same one).
csrf.exempt(bp)  # tokens, not cookies: nothing a browser sends on its own
bp.before_request(auth.authenticate)
bp.after_request(auth.forget_session)
bp.teardown_request(auth.forget_user)
problems.register(bp)
limiter.limit(auth.rate_limit, key_func=auth.rate_key)(bp)

from matchmaker.api import organizer_routes, participant_routes, reference  # noqa: E402, F401


def init_app(app):
    """Register the API, its OpenAPI document (/api/v1/openapi.json) and its reference page
    (/api/v1/reference) on `app`."""
    for name, value in SPEC_CONFIG.items():
        app.config.setdefault(name, value)
    api = Api(app)
    api.register_blueprint(bp)
    app.register_blueprint(reference.bp)
    app.extensions["matchmaker-api"] = api


def spec_of(app):
    """The app's OpenAPI document as a dict."""
    return app.extensions["matchmaker-api"].spec.to_dict()
