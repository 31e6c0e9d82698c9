"""schemathesis against the generated OpenAPI document, through WSGI (no server): for each
operation a few generated requests, valid and not, sent with the token of each role of the
matrix's world on event A. No answer may be a server error, break the documented schema,
or come with a status or media type the document does not name."""

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.test_api_matrix import api_rules
from tests.api.world import _api_app, _world_rows, app, world  # noqa: F401  (fixtures)
from tests.web.test_authorization_matrix import ROLES, A

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]
# Ids of the world's objects are small: ask for them too, not only random numbers.
ID_PARAMETERS = ("opportunity_id", "request_id", "participant_id", "job_id", "version")


SETTINGS = settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def _aim(case):
    """Event A for every slug, and small ids half of the time (the world's objects)."""
    parameters = case.path_parameters or {}
    if "slug" in parameters:
        parameters["slug"] = A
    for name in ID_PARAMETERS:
        if name in parameters and parameters[name] % 2:
            parameters[name] = 1 + parameters[name] % 6


def test_api_answers_within_its_document(app, world):  # noqa: F811
    """Through the schema's strategies rather than schemathesis' pytest plugin, which does not
    run under pytest 9 yet: one hypothesis run per operation, each case sent as every role."""
    _built, tokens = world
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    # Every route of the API but the document itself and its reference page.
    assert len(operations) == len(api_rules(app)) - 2

    for operation in operations:

        @SETTINGS
        @given(case=operation.as_strategy())
        def check(case):
            _aim(case)
            for role in ROLES:
                case.call_and_validate(headers=tokens.headers(role), checks=CHECKS)

        check()
