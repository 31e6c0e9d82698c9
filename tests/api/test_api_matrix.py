"""The API's authorization matrix: every /api/v1 route, called with a token (every scope) of
each role of the pages' matrix (tests/web/test_authorization_matrix.py), must answer what the
matching page answers that person: 404 for what is not theirs, the visitor 401 (no token)
except on public routes. A refused call changes nothing. `test_api_matrix_covers_every_route`
fails for an /api/v1 route without an entry here."""

import io
from dataclasses import dataclass

import pytest

from tests.api.world import _api_app, _world_rows, app, restore, snapshot, world  # noqa: F401
from tests.web.test_authorization_matrix import ROLES, A, expect

API = "/api/v1"
EV = f"{API}/events/{A}"
REFUSED = ("401", "403", "404", "409", "422")


def everyone(ok="ok"):
    return expect(ok, ok, ok, ok, ok, ok)


def own(ok="ok"):
    """Routes on one's registration in event A: only PA1 (the participant) is there."""
    return expect("401", "404", ok, "404", "404", "404")


def manage(ok="ok"):
    """Organizer routes of event A: its organizer and admins."""
    return expect("401", "404", "404", "404", ok, ok)


@dataclass(frozen=True)
class Call:
    method: str
    rule: str
    url: object  # World -> str
    expected: dict
    body: object = None  # World -> JSON body, or ("files", {...}) for a multipart upload

    @property
    def key(self):
        return f"{self.method} {self.rule}"


C = Call
OPPORTUNITY = {"kind": "offer", "category": "service", "title": "Drone mapping"}
BAD_CSV = ("files", {"file": (b"nothing,useful\n1,2\n", "people.csv")})

MATRIX = [
    C("GET", f"{API}/openapi.json", lambda w: f"{API}/openapi.json", everyone()),
    C("GET", f"{API}/reference", lambda w: f"{API}/reference", everyone()),
    C("GET", f"{API}/events", lambda w: f"{API}/events", everyone()),
    C("GET", f"{API}/events/<slug>", lambda w: EV, everyone()),
    C("GET", f"{API}/events/<slug>/registration", lambda w: f"{EV}/registration", own()),
    C("PATCH", f"{API}/events/<slug>/registration", lambda w: f"{EV}/registration", own(),
      lambda w: {"looking_for": "Investors"}),
    C("GET", f"{API}/events/<slug>/registration/opportunities",
      lambda w: f"{EV}/registration/opportunities", own()),
    C("POST", f"{API}/events/<slug>/registration/opportunities",
      lambda w: f"{EV}/registration/opportunities", own(), lambda w: OPPORTUNITY),
    C("PUT", f"{API}/events/<slug>/registration/opportunities/<int:opportunity_id>",
      lambda w: f"{EV}/registration/opportunities/{w.pa1_offer}", own(), lambda w: OPPORTUNITY),
    C("DELETE", f"{API}/events/<slug>/registration/opportunities/<int:opportunity_id>",
      lambda w: f"{EV}/registration/opportunities/{w.pa1_offer}", own()),
    C("GET", f"{API}/events/<slug>/matches", lambda w: f"{EV}/matches", own()),
    C("GET", f"{API}/events/<slug>/requests", lambda w: f"{EV}/requests", own()),
    C("POST", f"{API}/events/<slug>/requests", lambda w: f"{EV}/requests", own(),
      lambda w: {"receiver_id": w.pa3, "message": "Shall we meet?"}),
    C("POST", f"{API}/events/<slug>/requests/<int:request_id>/accept",
      lambda w: f"{EV}/requests/{w.request}/accept", own(), lambda w: {}),
    C("POST", f"{API}/events/<slug>/requests/<int:request_id>/decline",
      lambda w: f"{EV}/requests/{w.request}/decline", own(), lambda w: {"reason": "Busy"}),
    # PA1 received this request: only its sender may cancel it (the service says so).
    C("POST", f"{API}/events/<slug>/requests/<int:request_id>/cancel",
      lambda w: f"{EV}/requests/{w.request}/cancel", own("403")),
    C("GET", f"{API}/events/<slug>/agenda", lambda w: f"{EV}/agenda", own()),
    # Organizers.
    C("GET", f"{API}/events/<slug>/registrations", lambda w: f"{EV}/registrations", manage()),
    C("POST", f"{API}/events/<slug>/registrations/<int:participant_id>/decision",
      lambda w: f"{EV}/registrations/{w.pa1}/decision", manage(),
      lambda w: {"status": "rejected"}),
    C("POST", f"{API}/events/<slug>/registrations/import",
      lambda w: f"{EV}/registrations/import", manage("422"), lambda w: BAD_CSV),
    C("POST", f"{API}/events/<slug>/jobs/matching", lambda w: f"{EV}/jobs/matching", manage()),
    # A schedule job of event A is running: a second one is refused.
    C("POST", f"{API}/events/<slug>/jobs/schedule", lambda w: f"{EV}/jobs/schedule",
      manage("409"), lambda w: {"time_limit": 5}),
    C("GET", f"{API}/events/<slug>/jobs/<int:job_id>", lambda w: f"{EV}/jobs/{w.job}", manage()),
    C("GET", f"{API}/events/<slug>/schedules", lambda w: f"{EV}/schedules", manage()),
    C("GET", f"{API}/events/<slug>/schedules/<int:version>", lambda w: f"{EV}/schedules/1",
      manage()),
    # Version 1 is published already.
    C("POST", f"{API}/events/<slug>/schedules/<int:version>/publish",
      lambda w: f"{EV}/schedules/1/publish", manage("409")),
    C("GET", f"{API}/events/<slug>/statistics", lambda w: f"{EV}/statistics", manage()),
    C("GET", f"{API}/events/<slug>/exports", lambda w: f"{EV}/exports", manage()),
    C("GET", f"{API}/events/<slug>/exports/<what>.<fmt>",
      lambda w: f"{EV}/exports/participants.csv", manage()),
]  # fmt: skip


def api_rules(app):  # noqa: F811
    return {
        f"{method} {rule.rule}"
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(API + "/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_api_matrix_covers_every_route(app):  # noqa: F811
    listed = [call.key for call in MATRIX]
    assert len(listed) == len(set(listed)), "a route is listed twice"
    routes = api_rules(app)
    assert sorted(routes - set(listed)) == [], "API routes without an entry in MATRIX"
    assert sorted(set(listed) - routes) == [], "MATRIX entries for routes that no longer exist"


def call(client, tokens, role, method, url, body=None):
    headers = tokens.headers(role)
    if isinstance(body, tuple) and body[0] == "files":
        files = {name: (io.BytesIO(data), filename) for name, (data, filename) in body[1].items()}
        return client.open(url, method=method, headers=headers, data=files,
                           content_type="multipart/form-data")  # fmt: skip
    return client.open(url, method=method, headers=headers, json=body)


def assert_answer(response, expected, role):
    said = f"{role}: {response.get_data(as_text=True)[:300]}"
    if expected == "ok":
        assert 200 <= response.status_code < 300, said
    else:
        assert response.status_code == int(expected), said
        assert response.mimetype == "application/problem+json"
        problem = response.get_json()
        assert problem["status"] == int(expected)
        assert {"type", "title", "detail"} <= set(problem)


@pytest.mark.parametrize("entry", MATRIX, ids=lambda entry: entry.key)
def test_api_route_answers_each_role(client, world, restore, entry):  # noqa: F811
    """Each role in turn; the world is put back after a call that changed it."""
    built, tokens = world
    for role in ROLES:
        expected = entry.expected[role]
        before = snapshot() if expected in REFUSED else None
        body = entry.body(built) if entry.body else None
        response = call(client, tokens, role, entry.method, entry.url(built), body)
        assert_answer(response, expected, role)
        if entry.rule.startswith(f"{API}/events"):
            assert "Set-Cookie" not in response.headers, "an API answer set a cookie"
        if before is not None:
            assert snapshot() == before, f"a refused call of {role} changed the database"
        elif entry.method != "GET":
            restore()
