"""Authorization matrix: every route of the app, tried by every kind of user.

MATRIX holds one entry per (method, URL rule) of the URL map, with the answer each role must
get; a route added without an entry fails `test_matrix_covers_every_route`. Objects that
belong to someone else answer 404 (permissions.py), and a denied request changes nothing in
the database: CSRF is off in the test config, so the refusal has to come from authorization.

Roles: a visitor (not logged in), a participant of another event (PB), a participant of the
event (PA1), an organizer of another event (OB), the event's organizer (OA) and an admin.
Event A keeps its participant list private, so the marketplace is for its approved
participants and organizers only. Two more roles (issue 16): an account whose email is not
confirmed (UV, registered for event B like PB) and a pending member (PM, whose request to
join PA1's organisation waits); unless an entry says otherwise they get PB's answer.
Issue 23 adds a network administrator (NA: an organizer account that administers the network
event A belongs to, and organizes no event); unless an entry says otherwise NA gets OB's
answer.
Partner staff (issue 23, PS): staff of Iași ICT Cluster, a partner of event A whose company
is PA3 (PA2 came through the other partner, Sofia Tech Chamber); they belong to the cluster's
organisation and are registered nowhere; unless an entry says otherwise they get PB's answer.
"""

from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from matchmaker import create_app
from matchmaker.extensions import db
from matchmaker.models import (
    Event,
    EventPartner,
    FeedbackRound,
    Job,
    Match,
    Meeting,
    MeetingRequest,
    MembershipRequest,
    Network,
    NetworkMember,
    Organisation,
    Participant,
    ParticipantGroup,
    Schedule,
)
from matchmaker.models.base import utcnow
from matchmaker.services.agenda import feed_token
from matchmaker.services.eventday import pass_code
from matchmaker.services.feedback import feedback_link_token
from tests.conftest import _empty_all_tables, base_config

A = "ict-days"  # the event under test
B = "agri-forum"  # the other event
ROLES = ("visitor", "other_participant", "participant", "other_organizer", "organizer", "admin",
         "unverified", "pending_member",
         "network_admin",  # issue 23 (networks)
         "partner_staff")  # issue 23 (partners)  # fmt: skip
DENIED = ("login", "403", "404")
WHY = {
    "need_score": 0.6,
    "offer_score": 0.4,
    "profile_score": 0.1,
    "partner_offers": [{"offer_title": "Soil sensors", "request_title": "Field monitoring"}],
    "participant_offers": [{"offer_title": "Crop loans", "request_title": "Farm finance"}],
    "terms": ["sensors", "soil"],
}


@pytest.fixture(scope="module")
def _matrix_app(tmp_path_factory, _postgres_schema):
    config = base_config(tmp_path_factory.mktemp("matrix"), _postgres_schema or "sqlite://")
    app = create_app(config)
    with app.app_context():
        if not _postgres_schema:
            db.create_all()
        yield app
        if _postgres_schema:
            _empty_all_tables()  # and restart the sequences, as conftest leaves them
        db.engine.dispose()


@pytest.fixture
def app(_matrix_app):
    """conftest's `app` with an empty database per test, but one Flask app for the module:
    building the app (URL map, compiled templates) for each of ~550 cases would cost more
    than the cases themselves. DELETE empties these few rows faster than TRUNCATE."""
    with _matrix_app.app_context():
        yield _matrix_app
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())


@dataclass
class World:
    emails: dict = field(default_factory=dict)
    ids: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.ids[name]
        except KeyError:
            raise AttributeError(name) from None


@pytest.fixture(scope="module")
def _world_rows():
    return {}


@pytest.fixture
def world(_world_rows, make_user, make_event, make_participant):
    """The world, built through the factories by the module's first case and copied row by
    row into the empty database of every later one (same ids, a fraction of the time)."""
    if not _world_rows:
        _world_rows["world"] = _build_world(make_user, make_event, make_participant)
        _world_rows["rows"] = {
            table: [row._asdict() for row in db.session.execute(table.select())]
            for table in db.metadata.sorted_tables
        }
    else:
        with db.engine.begin() as connection:
            for table, rows in _world_rows["rows"].items():
                if rows:
                    connection.execute(table.insert(), rows)
            if connection.dialect.name == "postgresql":
                _move_sequences_past(connection, _world_rows["rows"])
            # The copied running jobs say they are alive now: past JOB_STALE_SECONDS after the
            # first case they would count as lost, and a schedule POST would start a solver.
            connection.execute(
                sa.update(Job).where(Job.status == "running").values(heartbeat_at=utcnow())
            )
    db.session.remove()  # requests load everything afresh
    return _world_rows["world"]


def _move_sequences_past(connection, rows):
    """Rows copied with their ids leave PostgreSQL's sequences behind them."""
    for table in rows:
        if "id" in table.c and table.c.id.autoincrement in (True, "auto"):
            connection.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608
                    f'COALESCE((SELECT MAX(id) FROM "{table.name}"), 0) + 1, false)'
                )
            )


def _build_world(make_user, make_event, make_participant):
    """Event A (organizer OA; approved PA1, PA2, PA3 with opportunities; requests PA2→PA1 and
    PA2→PA3 pending; a Match PA1–PA2; published version 1 with PA1 meeting PA2; a running
    job) and event B (organizer OB; PB and PB2; published version 7; a running job)."""
    w = World()

    def user(role_name, email, name, role="participant"):
        w.emails[role_name] = email
        created = make_user(email=email, name=name, role=role)
        w.ids[role_name] = created.id
        return created

    oa = user("organizer", "olga@organizer.example", "Olga", role="organizer")
    ob = user("other_organizer", "otto@organizer.example", "Otto", role="organizer")
    user("admin", "ada@admin.example", "Ada", role="admin")
    event_a = make_event(slug=A, organizer=oa, participants_public=False)
    event_b = make_event(slug=B, organizer=ob, title="Agri Forum")

    def participant(key, event, email, name, organisation_name, offer):
        person = make_user(email=email, name=name)
        registered = make_participant(
            event, person, organisation_name=organisation_name, offers=[offer]
        )
        person.organisation = registered.organisation  # the profile is filled in
        w.emails[key] = email
        w.ids[key] = registered.id
        w.ids[f"{key}_offer"] = registered.opportunities[0].id
        return registered

    pa1 = participant("pa1", event_a, "ana@agro.example", "Ana", "AgroVest", "Crop loans")
    pa2 = participant("pa2", event_a, "mo@field.example", "Mo", "FieldNode", "Soil sensors")
    pa3 = participant("pa3", event_a, "eve@labs.example", "Eve", "Eve Labs", "Drones")
    pb = participant("pb", event_b, "pia@farm.example", "Pia", "FarmCo", "Tractors")
    pb2 = participant("pb2", event_b, "bo@seed.example", "Bo", "SeedCo", "Seeds")
    w.emails["participant"] = w.emails["pa1"]
    w.emails["other_participant"] = w.emails["pb"]
    unconfirmed = make_user(email="uma@grain.example", name="Uma", verified=False)
    grain = make_participant(event_b, unconfirmed, organisation_name="GrainCo", offers=["Grain"])
    unconfirmed.organisation = grain.organisation
    w.emails["unverified"] = unconfirmed.email
    pending_member = make_user(email="pat@agro.example", name="Pat")
    w.emails["pending_member"] = pending_member.email
    join = MembershipRequest(organisation=pa1.organisation, user=pending_member)
    db.session.add(join)
    # --- partners (issue 23): event A's network, its two partners and their companies -------
    staff = user("partner_staff", "paula@iasi-cluster.example", "Paula")
    network = Network(slug="danube-ict", name="Danube ICT Network")
    db.session.add(network)
    event_a.network = network

    def member(name, country):
        made = NetworkMember(
            network=network,
            kind="cluster",
            organisation=Organisation(name=name, country=country, type="cluster"),
        )
        db.session.add(made)
        return made

    iasi, sofia, spare = (
        member("Iași ICT Cluster", "RO"),
        member("Sofia Tech", "BG"),
        member("Novi Sad Hub", "RS"),
    )
    staff.organisation = iasi.organisation
    iasi.staff = [staff]
    partner_a, partner_other = (
        EventPartner(event=event_a, member=iasi),
        EventPartner(event=event_a, member=sofia),
    )
    db.session.add_all([partner_a, partner_other])
    pa3.partner, pa2.partner = partner_a, partner_other
    # --- end partners ---------------------------------------------------------------------

    mine = MeetingRequest(event_id=event_a.id, sender_id=pa2.id, receiver_id=pa1.id)
    theirs = MeetingRequest(event_id=event_a.id, sender_id=pa2.id, receiver_id=pa3.id)
    first, second = sorted((pa1, pa2), key=lambda p: p.id)
    db.session.add_all([mine, theirs])
    db.session.add(
        Match(event_id=event_a.id, participant_a_id=first.id, participant_b_id=second.id,
              score=0.7, explanation=WHY)
    )  # fmt: skip
    schedule_a = _published(event_a, 1, pa1, pa2)
    schedule_b = _published(event_b, 7, pb, pb2)
    job_a = Job(event_id=event_a.id, kind="schedule", status="running", created_by_id=oa.id)
    job_b = Job(event_id=event_b.id, kind="schedule", status="running", created_by_id=ob.id)
    # A planner run in progress too: a valid what-if posted here is refused, no solver runs.
    job_p = Job(event_id=event_a.id, kind="planner", status="running", created_by_id=oa.id)
    db.session.add_all([job_a, job_b, job_p])
    group_a = ParticipantGroup(event=event_a, name="Delegation")
    group_b = ParticipantGroup(event=event_b, name="Hosts")
    db.session.add_all([group_a, group_b])
    db.session.commit()
    w.ids.update(
        # --- partners (issue 23)
        partner_a=partner_a.id,
        invite_token=partner_a.invite_token,
        spare_member=spare.id,
        # --- end partners
        event_a=event_a.id,
        request=mine.id,
        other_request=theirs.id,
        schedule_a=schedule_a.id,
        schedule_b=schedule_b.id,
        meeting=schedule_a.meetings[0].id,
        meeting_b=schedule_b.meetings[0].id,
        job=job_a.id,
        job_b=job_b.id,
        token=feed_token(pa1),
        # A feedback email's link for PA1 in round 1, which has not started: refused to all.
        feedback_link=feedback_link_token(pa1, FeedbackRound(number=1)),
        token_b=feed_token(pb),
        booked_slot=event_a.slots[1].id,
        table=event_a.tables[0].id,
        join=join.id,
        pa1_user=pa1.user_id,
        table_a=event_a.tables[0].id,
        pass_code=pass_code(pa1),
        pass_code_b=pass_code(pb),
        table_b=event_b.tables[0].id,
        group=group_a.id,
        group_b=group_b.id,
    )
    _build_networks(w, make_user, event_a)  # issue 23
    # --- API tokens (issue 24): a token of PA1's, for the Tokens page's revoke routes
    from matchmaker.services.api_tokens import create as create_token

    w.ids["api_token"] = create_token(pa1.user, "CRM sync", ["read"])[0].id
    _build_webhooks(w, event_a, event_b)  # issue 24
    _build_group_meetings(w, event_a, event_b, (pa1, pa2, pa3), (pb, pb2, grain))  # issue 25
    return w


# --- issue 24 (webhooks) ---------------------------------------------------------------------
def _build_webhooks(w, event_a, event_b):
    """A webhook of each event, and a delivery of event A's that failed and waits."""
    from matchmaker.models import Webhook, WebhookDelivery

    hook_a = Webhook(event_id=event_a.id, url="https://crm.agro.example/in", secret="whsec_a",
                     event_types=["registration.created"])  # fmt: skip
    hook_b = Webhook(event_id=event_b.id, url="https://crm.farm.example/in", secret="whsec_b",
                     event_types=["request.accepted"])  # fmt: skip
    db.session.add_all([hook_a, hook_b])
    db.session.flush()
    delivery = WebhookDelivery(webhook_id=hook_a.id, uid="dlv_world", type="registration.created",
                               body="{}", status="pending", attempts=1,
                               next_attempt_at=utcnow(), last_status_code=500)  # fmt: skip
    delivery_b = WebhookDelivery(webhook_id=hook_b.id, uid="dlv_world_b", type="request.accepted",
                                 body="{}", status="failed", attempts=6)  # fmt: skip
    db.session.add_all([delivery, delivery_b])
    db.session.commit()
    w.ids.update(webhook=hook_a.id, webhook_b=hook_b.id, delivery=delivery.id,
                 delivery_b=delivery_b.id)  # fmt: skip


# --- end issue 24 ----------------------------------------------------------------------------


# --- consortium (issue 25) -------------------------------------------------------------------
def _build_group_meetings(w, event_a, event_b, in_a, in_b):
    """A consortium of event A led by PA1 (accepted) with PA2 and PA3 invited, and one of
    event B led by PB."""
    from matchmaker.models.group_meetings import GroupMeeting, GroupMeetingMember

    def made(event, members):
        idea = {
            "title": "Farm twins",
            "objective": "",
            "roles": ["satellite data"],
            "partners": 3,
            "min_countries": 0,
            "required_types": [],
            "one_per_organisation": True,
            "already_in": [],
        }
        group_meeting = GroupMeeting(
            event_id=event.id,
            title="Farm twins",
            origin="consortium",
            status="proposed",
            lead_participant_id=members[0].id,
            consortium={"idea": idea, "passed": []},
            members=[
                GroupMeetingMember(
                    participant_id=p.id,
                    event_id=event.id,
                    position=i,
                    status="accepted" if i == 0 else "invited",
                )
                for i, p in enumerate(members)
            ],
        )
        db.session.add(group_meeting)
        return group_meeting

    group_a, group_b = made(event_a, in_a), made(event_b, in_b)
    db.session.commit()
    w.ids.update(group_meeting=group_a.id, group_meeting_b=group_b.id)  # fmt: skip


# --- end consortium ----------------------------------------------------------------------


# --- issue 23 (networks) ---------------------------------------------------------------------
def _build_networks(w, make_user, event_a):
    """Event A belongs to the Danube ICT network (administrator NA; members: a Romanian cluster,
    in the chair, with staff member Sam, and a Bulgarian chamber). Another network, Alpine
    Clusters, has its own administrator (NB) and member."""
    from datetime import date

    from tests.network_factories import make_chair, make_member, make_network

    na = make_user(email="nadia@network.example", name="Nadia", role="organizer")
    nb = make_user(email="nick@alpine.example", name="Nick", role="organizer")
    sam = make_user(email="sam@cluster.example", name="Sam")
    w.emails.update(network_admin=na.email, other_network_admin=nb.email)
    # The partners' world (above) already put event A in the Danube network: one network.
    danube = event_a.network or make_network(events=[event_a])
    danube.admins.append(na)
    member = make_member(danube, "Romanian ICT Cluster")
    member.staff.append(sam)
    make_chair(danube, member, starts_on=date(2024, 1, 1))
    member_b = make_member(danube, "Bulgarian Chamber", country="BG", kind="chamber")
    alpine = make_network(slug="alpine", name="Alpine Clusters", admins=[nb])
    alpine_member = make_member(alpine, "Tyrol Cluster", country="AT")
    w.ids.update(network_admin=na.id, member=member.id, member_b=member_b.id, staff=sam.id,
                 alpine_member=alpine_member.id)  # fmt: skip


# --- end issue 23 ----------------------------------------------------------------------------


def _published(event, version, first, second):
    schedule = Schedule(event_id=event.id, version=version, status="published")
    db.session.add(schedule)
    db.session.flush()
    db.session.add(
        Meeting.between(schedule, event.slots[1], first, second, table=event.tables[0],
                        source="request", code="A1B2")
    )  # fmt: skip
    db.session.flush()
    return schedule


def expect(
    visitor,
    other_participant,
    participant,
    other_organizer,
    organizer,
    admin,
    *,
    unverified=None,
    pending_member=None,
    network_admin=None,
    partner_staff=None,
):
    """The answer of each role; the two identity roles and partner staff answer as PB unless
    given, the network administrator as OB."""
    return dict(zip(ROLES, (visitor, other_participant, participant, other_organizer,
                            organizer, admin, unverified or other_participant,
                            pending_member or other_participant,
                            network_admin or other_organizer,
                            partner_staff or other_participant), strict=True))  # fmt: skip


def everyone(ok="ok"):
    return expect(ok, ok, ok, ok, ok, ok)


def signed_in(ok="ok", visitor="login"):
    return expect(visitor, ok, ok, ok, ok, ok)


def own(ok="ok"):
    """Routes on one's own registration in event A: only PA1 is registered there."""
    return expect("login", "404", ok, "404", "404", "404")


def manage(ok="ok"):
    """Organizer routes of event A (and the organizer-only /registrations/<id> routes)."""
    return expect("login", "404", "404", "404", ok, ok)


# --- issue 23 (networks) ---------------------------------------------------------------------
NET = "/networks/danube-ict"  # event A's network, administered by NA


def network_manage(ok="ok"):
    """Administration of event A's network: its administrator and platform admins."""
    return expect("login", "404", "404", "404", "404", ok, network_admin=ok)


# --- end issue 23 ----------------------------------------------------------------------------


# --- partners (issue 23)
def partner_only(ok="ok"):
    """The partner staff's pages of event A: its partner's staff only, not even organizers."""
    return expect("login", "404", "404", "404", "404", "404", partner_staff=ok)


# --- end partners


def browse():
    """Event A's private participant list: its approved participants and organizers."""
    return expect("404", "404", "ok", "404", "ok", "ok")


@dataclass(frozen=True)
class Route:
    method: str
    rule: str
    url: object  # World -> str
    expected: dict
    data: object = None  # World -> dict, for the POST body

    @property
    def key(self):
        return f"{self.method} {self.rule}"


R = Route
# --- consortium (issue 25)
BUILDER = f"/events/{A}/consortium"
GROUPS = f"/manage/{A}/group-meetings"
GM = f"/events/{A}/group-meetings/"
IDEA = {"title": "Farm twins", "roles": "satellite data", "partners": "3", "min_countries": "0"}


def gm(w):
    return f"/events/{A}/group-meetings/{w.group_meeting}"


# --- end consortium
ME = f"/events/{A}/me"
ON_BEHALF = f"/events/{A}/registrations/"
SCHEDULE_1 = f"/manage/{A}/schedule/1"
OPPORTUNITY = {"kind": "offer", "category": "service", "title": "Drone mapping"}
NEW_EVENT = {
    "title": "Sneaky Days",
    "venue": "Expo hall",
    "city": "Constanța",
    "country": "RO",
    "timezone": "Europe/Bucharest",
    "sessions-0-day": "2027-06-01",
    "sessions-0-start": "09:00",
    "sessions-0-end": "10:00",
    "meeting_minutes": "25",
    "gap_minutes": "5",
    "table_count": "2",
}

MATRIX = [
    # Public pages and accounts.
    R("GET", "/", lambda w: "/", everyone()),
    R("GET", "/events/<slug>", lambda w: f"/events/{A}", everyone()),
    R("GET", "/dashboard", lambda w: "/dashboard", signed_in()),
    R("GET", "/auth/login", lambda w: "/auth/login", signed_in("/dashboard", visitor="ok")),
    R("POST", "/auth/login", lambda w: "/auth/login", signed_in("/dashboard", visitor="ok"),
      lambda w: {"email": w.emails["pa2"], "password": "wrong"}),
    R("POST", "/auth/logout", lambda w: "/auth/logout", signed_in("/")),
    R("POST", "/language", lambda w: "/language", everyone("/"),
      lambda w: {"locale": "ro", "next": "/"}),
    R("GET", "/auth/signup", lambda w: "/auth/signup", signed_in("/dashboard", visitor="ok")),
    R("POST", "/auth/signup", lambda w: "/auth/signup", signed_in("/dashboard", visitor="ok")),
    R("GET", "/auth/reset", lambda w: "/auth/reset", everyone()),
    R("POST", "/auth/reset", lambda w: "/auth/reset", everyone()),
    R("GET", "/auth/reset/<token>", lambda w: "/auth/reset/forged", everyone("/auth/reset")),
    R("POST", "/auth/reset/<token>", lambda w: "/auth/reset/forged", everyone("/auth/reset"),
      lambda w: {"password": "a new long password", "confirm": "a new long password"}),
    R("GET", "/auth/verify/<token>", lambda w: "/auth/verify/forged", everyone()),
    R("POST", "/auth/verify/resend", lambda w: "/auth/verify/resend", signed_in("/dashboard")),
    R("GET", "/auth/email/<token>", lambda w: "/auth/email/forged", everyone()),
    R("GET", "/account/email", lambda w: "/account/email", signed_in()),
    R("POST", "/account/email", lambda w: "/account/email", signed_in(),
      lambda w: {"email": "new@example.com", "password": "wrong password"}),
    # Organisation membership (issue 16): the members page of one's own organisation; only
    # its members decide (PA1 is AgroVest's one member, PM asks to join it).
    R("GET", "/organisation/members", lambda w: "/organisation/members",
      expect("login", "ok", "ok", "/profile", "/profile", "/profile", pending_member="/profile")),
    R("POST", "/organisation/members/<int:user_id>/remove",
      lambda w: f"/organisation/members/{w.pa1_user}/remove",
      expect("login", "404", "/organisation/members", "404", "404", "404", pending_member="404")),
    R("POST", "/organisation/requests/<int:request_id>/<any(approve, decline):decision>",
      lambda w: f"/organisation/requests/{w.join}/decline",
      expect("login", "404", "/organisation/members", "404", "404", "404", unverified="404",
             pending_member="404")),
    R("POST", "/profile/request/cancel", lambda w: "/profile/request/cancel",
      expect("login", "404", "404", "404", "404", "404", pending_member="/profile")),
    R("GET", "/profile", lambda w: "/profile", signed_in()),
    R("POST", "/profile", lambda w: "/profile", signed_in()),
    R("GET", "/account/delete", lambda w: "/account/delete", signed_in()),
    R("POST", "/account/delete", lambda w: "/account/delete", signed_in(),
      lambda w: {"email": "nobody@example.com"}),
    R("GET", "/account/my-data", lambda w: "/account/my-data", signed_in()),
    R("GET", "/account", lambda w: "/account", signed_in()),
    R("POST", "/account/password", lambda w: "/account/password", signed_in(),
      lambda w: {"current": "wrong", "password": "a new long password",
                 "confirm": "a new long password"}),
    R("POST", "/account/sign-out-elsewhere", lambda w: "/account/sign-out-elsewhere",
      signed_in("/account")),
    # Personal access tokens for the API (issue 24): one's own only; PA1 owns the world's.
    R("GET", "/account/tokens", lambda w: "/account/tokens", signed_in()),
    R("POST", "/account/tokens", lambda w: "/account/tokens", signed_in(),
      lambda w: {"name": "Sneaky", "scopes": ["read"]}),
    R("GET", "/account/tokens/<int:token_id>/revoke",
      lambda w: f"/account/tokens/{w.api_token}/revoke",
      expect("login", "404", "ok", "404", "404", "404")),
    R("POST", "/account/tokens/<int:token_id>/revoke",
      lambda w: f"/account/tokens/{w.api_token}/revoke",
      expect("login", "404", "/account/tokens", "404", "404", "404")),
    # Registration: one's own (/me) or, for organizers, anyone's (/registrations/<id>).
    R("GET", "/events/<slug>/register", lambda w: f"/events/{A}/register",
      expect("login", "ok", ME, "/profile", "/profile", "/profile", pending_member="/profile")),
    R("POST", "/events/<slug>/register", lambda w: f"/events/{A}/register",
      expect("login", ME, ME, "/profile", "/profile", "/profile", pending_member="/profile"),
      lambda w: {"looking_for": "Partners"}),
    R("GET", "/events/<slug>/me", lambda w: ME, own()),
    R("GET", "/events/<slug>/registrations/<int:participant_id>",
      lambda w: f"{ON_BEHALF}{w.pa1}", manage()),
    R("GET", "/events/<slug>/me/details", lambda w: f"{ME}/details", own()),
    R("POST", "/events/<slug>/me/details", lambda w: f"{ME}/details", own(ME),
      lambda w: {"looking_for": "Investors", "max_meetings": "5"}),
    R("GET", "/events/<slug>/registrations/<int:participant_id>/details",
      lambda w: f"{ON_BEHALF}{w.pa1}/details", manage()),
    R("POST", "/events/<slug>/registrations/<int:participant_id>/details",
      lambda w: f"{ON_BEHALF}{w.pa1}/details", manage(ON_BEHALF),
      lambda w: {"looking_for": "Investors", "max_meetings": "5"}),
    R("GET", "/events/<slug>/me/opportunities/new", lambda w: f"{ME}/opportunities/new", own()),
    R("POST", "/events/<slug>/me/opportunities/new", lambda w: f"{ME}/opportunities/new",
      own(ME), lambda w: OPPORTUNITY),
    R("GET", "/events/<slug>/me/opportunities/<int:opportunity_id>",
      lambda w: f"{ME}/opportunities/{w.pa1_offer}", own()),
    R("POST", "/events/<slug>/me/opportunities/<int:opportunity_id>",
      lambda w: f"{ME}/opportunities/{w.pa1_offer}", own(ME), lambda w: OPPORTUNITY),
    R("POST", "/events/<slug>/me/opportunities/<int:opportunity_id>/delete",
      lambda w: f"{ME}/opportunities/{w.pa1_offer}/delete", own(ME)),
    R("POST", "/events/<slug>/me/opportunities/start-from-last",
      lambda w: f"{ME}/opportunities/start-from-last", own(ME)),
    R("GET", "/events/<slug>/registrations/<int:participant_id>/opportunities/new",
      lambda w: f"{ON_BEHALF}{w.pa1}/opportunities/new", manage()),
    R("POST", "/events/<slug>/registrations/<int:participant_id>/opportunities/new",
      lambda w: f"{ON_BEHALF}{w.pa1}/opportunities/new", manage(ON_BEHALF),
      lambda w: OPPORTUNITY),
    R("GET", "/events/<slug>/registrations/<int:participant_id>/opportunities/<int:opportunity_id>",
      lambda w: f"{ON_BEHALF}{w.pa1}/opportunities/{w.pa1_offer}", manage()),
    R("POST",
      "/events/<slug>/registrations/<int:participant_id>/opportunities/<int:opportunity_id>",
      lambda w: f"{ON_BEHALF}{w.pa1}/opportunities/{w.pa1_offer}", manage(ON_BEHALF),
      lambda w: OPPORTUNITY),
    R("POST",
      "/events/<slug>/registrations/<int:participant_id>/opportunities/<int:opportunity_id>"
      "/delete",
      lambda w: f"{ON_BEHALF}{w.pa1}/opportunities/{w.pa1_offer}/delete", manage(ON_BEHALF)),
    R("GET", "/events/<slug>/me/availability", lambda w: f"{ME}/availability", own()),
    R("POST", "/events/<slug>/me/availability", lambda w: f"{ME}/availability", own(ME),
      lambda w: {"slot": [w.booked_slot]}),
    R("GET", "/events/<slug>/registrations/<int:participant_id>/availability",
      lambda w: f"{ON_BEHALF}{w.pa1}/availability", manage()),
    R("POST", "/events/<slug>/registrations/<int:participant_id>/availability",
      lambda w: f"{ON_BEHALF}{w.pa1}/availability", manage(ON_BEHALF),
      lambda w: {"slot": [w.booked_slot]}),
    R("GET", "/events/<slug>/me/withdraw", lambda w: f"{ME}/withdraw", own()),
    R("POST", "/events/<slug>/me/withdraw", lambda w: f"{ME}/withdraw", own("/dashboard")),
    # Marketplace of a private participant list.
    R("GET", "/events/<slug>/marketplace", lambda w: f"/events/{A}/marketplace", browse()),
    R("GET", "/events/<slug>/participants", lambda w: f"/events/{A}/participants", browse()),
    R("GET", "/events/<slug>/participants/<int:participant_id>",
      lambda w: f"/events/{A}/participants/{w.pa2}", browse()),
    R("GET", "/events/<slug>/opportunities/<int:opportunity_id>",
      lambda w: f"/events/{A}/opportunities/{w.pa2_offer}", browse()),
    # Meeting requests and matches.
    R("GET", "/events/<slug>/requests", lambda w: f"/events/{A}/requests", own()),
    R("GET", "/events/<slug>/requests/new/<int:receiver_id>",
      lambda w: f"/events/{A}/requests/new/{w.pa3}", own()),
    R("POST", "/events/<slug>/requests/new/<int:receiver_id>",
      lambda w: f"/events/{A}/requests/new/{w.pa3}", own(f"/events/{A}/requests"),
      lambda w: {"message": "Let us talk"}),
    R("POST", "/events/<slug>/requests/<int:request_id>/<any(accept, cancel):action>",
      lambda w: f"/events/{A}/requests/{w.request}/accept", own(f"/events/{A}/requests")),
    R("POST", "/events/<slug>/requests/<int:request_id>/decline",
      lambda w: f"/events/{A}/requests/{w.request}/decline", own(f"/events/{A}/requests"),
      lambda w: {"reason": "Busy"}),
    R("POST", "/events/<slug>/requests/<int:request_id>/move",
      lambda w: f"/events/{A}/requests/{w.request}/move", own(f"/events/{A}/requests")),
    R("GET", "/events/<slug>/matches", lambda w: f"/events/{A}/matches", own()),
    # The inbox and message threads (issue 17): PA2's request links PA1 and PA2.
    R("GET", "/inbox", lambda w: "/inbox", signed_in()),
    R("GET", "/inbox/notices/<int:notice_id>", lambda w: "/inbox/notices/1",
      expect("login", "404", "404", "404", "404", "404")),
    R("GET", "/events/<slug>/messages/<int:partner_id>",
      lambda w: f"/events/{A}/messages/{w.pa2}", own()),
    R("POST", "/events/<slug>/messages/<int:partner_id>",
      lambda w: f"/events/{A}/messages/{w.pa2}", own(f"/events/{A}/messages/"),
      lambda w: {"body": "Shall we meet at ten?"}),
    R("GET", "/events/<slug>/manage/messages/<int:a_id>/<int:b_id>",
      lambda w: f"/events/{A}/manage/messages/{w.pa1}/{w.pa2}", manage()),
    R("POST", "/account/messages", lambda w: "/account/messages", signed_in("/account"),
      lambda w: {"choice": "digest"}),
    R("POST", "/account/time-zone", lambda w: "/account/time-zone", signed_in("/account"),
      lambda w: {"timezone": "Europe/Lisbon"}),
    R("POST",
      "/events/<slug>/matches/<int:partner_id>/<any(interested, not_interested, clear):mark>",
      lambda w: f"/events/{A}/matches/{w.pa2}/interested", own(f"/events/{A}/matches")),
    # Agenda: one's own, the private feed, and the organizer's print-outs.
    R("GET", "/events/<slug>/agenda", lambda w: f"/events/{A}/agenda", own()),
    R("GET", "/events/<slug>/agenda/print", lambda w: f"/events/{A}/agenda/print", own()),
    R("GET", "/events/<slug>/agenda.ics", lambda w: f"/events/{A}/agenda.ics", own()),
    R("POST", "/events/<slug>/agenda/calendar-address",
      lambda w: f"/events/{A}/agenda/calendar-address", own(f"/events/{A}/agenda")),
    R("GET", "/events/<slug>/calendar/<token>.ics",
      lambda w: f"/events/{A}/calendar/{w.token}.ics", everyone()),
    R("GET", "/events/<slug>/agenda/tables", lambda w: f"/events/{A}/agenda/tables", manage()),
    R("GET", "/events/<slug>/agenda/doors", lambda w: f"/events/{A}/agenda/doors", manage()),
    # Organizer area.
    R("GET", "/manage/events/new", lambda w: "/manage/events/new",
      expect("login", "403", "403", "ok", "ok", "ok")),
    R("POST", "/manage/events/new", lambda w: "/manage/events/new",
      expect("login", "403", "403", "/manage/", "/manage/", "/manage/"), lambda w: NEW_EVENT),
    R("GET", "/manage/<slug>", lambda w: f"/manage/{A}", manage()),
    R("GET", "/manage/<slug>/edit", lambda w: f"/manage/{A}/edit", manage()),
    # An empty form is filled from the event (Flask-WTF), so this saves it unchanged.
    R("POST", "/manage/<slug>/edit", lambda w: f"/manage/{A}/edit", manage(f"/manage/{A}")),
    R("POST", "/manage/<slug>/status", lambda w: f"/manage/{A}/status", manage(f"/manage/{A}"),
      lambda w: {"status": "matchmaking"}),
    R("POST", "/manage/<slug>/organizers", lambda w: f"/manage/{A}/organizers",
      manage(f"/manage/{A}"), lambda w: {"email": w.emails["pb"]}),
    R("POST", "/manage/<slug>/organizers/<int:user_id>/remove",
      lambda w: f"/manage/{A}/organizers/{w.organizer}/remove", manage(f"/manage/{A}")),
    R("GET", "/manage/<slug>/participants", lambda w: f"/manage/{A}/participants", manage()),
    R("POST", "/manage/<slug>/participants/<int:participant_id>/<any(approved, rejected):status>",
      lambda w: f"/manage/{A}/participants/{w.pa1}/rejected",
      manage(f"/manage/{A}/participants")),
    R("GET", "/manage/<slug>/matching", lambda w: f"/manage/{A}/matching", manage()),
    R("POST", "/manage/<slug>/matching", lambda w: f"/manage/{A}/matching",
      manage(f"/manage/{A}/matching"), lambda w: {"cross_border_bonus": "0.1"}),
    R("POST", "/manage/<slug>/matching/run", lambda w: f"/manage/{A}/matching/run",
      manage(f"/manage/{A}/jobs/")),
    R("GET", "/manage/<slug>/jobs/<int:job_id>", lambda w: f"/manage/{A}/jobs/{w.job}",
      manage()),
    # Groups (an economic mission's sides) and who may meet whom.
    R("GET", "/manage/<slug>/groups", lambda w: f"/manage/{A}/groups", manage()),
    R("POST", "/manage/<slug>/groups", lambda w: f"/manage/{A}/groups",
      manage(f"/manage/{A}/groups"), lambda w: {"name": "Buyers"}),
    R("POST", "/manage/<slug>/groups/preset", lambda w: f"/manage/{A}/groups/preset",
      manage(f"/manage/{A}/groups")),
    R("POST", "/manage/<slug>/groups/rules", lambda w: f"/manage/{A}/groups/rules",
      manage(f"/manage/{A}/groups")),
    R("POST", "/manage/<slug>/groups/<int:group_id>", lambda w: f"/manage/{A}/groups/{w.group}",
      manage(f"/manage/{A}/groups"), lambda w: {"name": "Visitors"}),
    R("GET", "/manage/<slug>/groups/<int:group_id>/delete",
      lambda w: f"/manage/{A}/groups/{w.group}/delete", manage()),
    R("POST", "/manage/<slug>/groups/<int:group_id>/delete",
      lambda w: f"/manage/{A}/groups/{w.group}/delete", manage(f"/manage/{A}/groups")),
    R("POST", "/manage/<slug>/groups/by-country", lambda w: f"/manage/{A}/groups/by-country",
      manage(f"/manage/{A}/groups"), lambda w: {"country": "RO", "group": w.group}),
    R("POST", "/manage/<slug>/participants/<int:participant_id>/group",
      lambda w: f"/manage/{A}/participants/{w.pa1}/group", manage(f"/manage/{A}/groups"),
      lambda w: {"group": w.group}),
    R("GET", "/manage/<slug>/import", lambda w: f"/manage/{A}/import", manage()),
    R("POST", "/manage/<slug>/import", lambda w: f"/manage/{A}/import", manage()),
    R("GET", "/manage/<slug>/import/template.<any(csv, xlsx):fmt>",
      lambda w: f"/manage/{A}/import/template.csv", manage()),
    R("GET", "/manage/<slug>/export/participants.<any(csv, xlsx):fmt>",
      lambda w: f"/manage/{A}/export/participants.csv", manage()),
    R("GET", "/manage/<slug>/export/opportunities.<any(csv, xlsx):fmt>",
      lambda w: f"/manage/{A}/export/opportunities.xlsx", manage()),
    R("GET", "/manage/<slug>/schedule", lambda w: f"/manage/{A}/schedule", manage()),
    # Refused while the world's schedule job runs, so no solver runs here.
    R("POST", "/manage/<slug>/schedule", lambda w: f"/manage/{A}/schedule", manage(),
      lambda w: {"min_meetings": "0", "time_limit": "5"}),
    R("GET", "/manage/<slug>/schedule/<int:version>", lambda w: SCHEDULE_1, manage()),
    R("GET", "/manage/<slug>/schedule/planner", lambda w: f"/manage/{A}/schedule/planner",
      manage()),
    # An empty form is refused by its validation: no solver runs here.
    R("POST", "/manage/<slug>/schedule/planner", lambda w: f"/manage/{A}/schedule/planner",
      manage(), lambda w: {"tables": "0"}),
    R("POST", "/manage/<slug>/schedule/<int:version>/<any(publish, copy):action>",
      lambda w: f"{SCHEDULE_1}/copy", manage(f"/manage/{A}/schedule/2")),
    R("POST", "/manage/<slug>/schedule/<int:version>/add", lambda w: f"{SCHEDULE_1}/add",
      manage(SCHEDULE_1)),
    R("GET", "/manage/<slug>/schedule/<int:version>/meetings/<int:meeting_id>",
      lambda w: f"{SCHEDULE_1}/meetings/{w.meeting}", manage()),
    R("POST", "/manage/<slug>/schedule/<int:version>/meetings/<int:meeting_id>",
      lambda w: f"{SCHEDULE_1}/meetings/{w.meeting}", manage()),
    R("POST", "/manage/<slug>/schedule/<int:version>/meetings/<int:meeting_id>/cancel",
      lambda w: f"{SCHEDULE_1}/meetings/{w.meeting}/cancel", manage(SCHEDULE_1)),
    R("POST", "/manage/<slug>/schedule/<int:version>/meetings/<int:meeting_id>/swap",
      lambda w: f"{SCHEDULE_1}/meetings/{w.meeting}/swap", manage(SCHEDULE_1)),
    R("GET", "/manage/<slug>/schedule/<int:version>/unplaced.<any(csv, xlsx):fmt>",
      lambda w: f"{SCHEDULE_1}/unplaced.csv", manage()),
    R("GET", "/manage/<slug>/schedule/<int:version>/meetings/<int:meeting_id>/place",
      lambda w: f"{SCHEDULE_1}/meetings/{w.meeting}/place?slot={w.booked_slot}&table={w.table}",
      manage()),
    # The world's meeting is no suggestion and "other" is missing: refused, back to the grid.
    R("POST", "/manage/<slug>/schedule/<int:version>/meetings/<int:meeting_id>/replace",
      lambda w: f"{SCHEDULE_1}/meetings/{w.meeting}/replace", manage(SCHEDULE_1)),
    R("GET", "/manage/<slug>/schedule/<int:version>/participant",
      lambda w: f"{SCHEDULE_1}/participant?participant={w.pa1}",
      manage(f"{SCHEDULE_1}/participants/")),
    R("GET", "/manage/<slug>/schedule/<int:version>/participants/<int:participant_id>",
      lambda w: f"{SCHEDULE_1}/participants/{w.pa1}", manage()),
    # Production serving: the load balancers' health probe is open to everyone.
    R("GET", "/health", lambda w: "/health", everyone()),
    # Event day (check-in desk, meeting statuses, walk-ins, helpers). Staff routes let in
    # organizers, admins and helpers; helpers are tried in tests/web/test_eventday.py.
    R("GET", "/manage/<slug>/checkin", lambda w: f"/manage/{A}/checkin", manage()),
    R("POST", "/manage/<slug>/checkin/<int:participant_id>",
      lambda w: f"/manage/{A}/checkin/{w.pa1}", manage(f"/manage/{A}/checkin")),
    R("POST", "/manage/<slug>/checkin/<int:participant_id>/undo",
      lambda w: f"/manage/{A}/checkin/{w.pa1}/undo", manage(f"/manage/{A}/checkin")),
    R("GET", "/manage/<slug>/day", lambda w: f"/manage/{A}/day", manage()),
    R("POST", "/manage/<slug>/day/meetings/<int:meeting_id>/status",
      lambda w: f"/manage/{A}/day/meetings/{w.meeting}/status", manage(f"/manage/{A}/day"),
      lambda w: {"status": "cancelled"}),
    # A pass scanned at the desk (PA1's), the badges to print, and the pass page a mail links
    # to (a signed code: open to anyone holding it, like the calendar feed).
    R("GET", "/manage/<slug>/checkin/scan",
      lambda w: f"/manage/{A}/checkin/scan?code={w.pass_code}", manage()),
    R("GET", "/manage/<slug>/badges", lambda w: f"/manage/{A}/badges", manage()),
    R("GET", "/manage/<slug>/checkin/visitor", lambda w: f"/manage/{A}/checkin/visitor", manage()),
    # PA1 is already registered: the form comes back with why, nothing is added.
    R("POST", "/manage/<slug>/checkin/visitor", lambda w: f"/manage/{A}/checkin/visitor", manage(),
      lambda w: {"name": "Pat", "email": w.emails["pa1"], "organisation": "X", "country": "RO"}),
    R("GET", "/events/<slug>/pass/<code>", lambda w: f"/events/{A}/pass/{w.pass_code}",
      everyone()),
    R("GET", "/manage/<slug>/day/tables/<int:table_id>",
      lambda w: f"/manage/{A}/day/tables/{w.table_a}", manage()),
    # Rehearsal lives in the staff member's session only: the database never changes.
    R("POST", "/manage/<slug>/rehearsal", lambda w: f"/manage/{A}/rehearsal",
      manage(f"/manage/{A}/day"), lambda w: {"start": "1"}),
    # PA1 already meets PA2 in that slot: the confirmation page (and a POST) shows why not.
    R("GET", "/manage/<slug>/day/<int:slot_id>/walk-in/<int:first_id>/<int:second_id>",
      lambda w: f"/manage/{A}/day/{w.booked_slot}/walk-in/{w.pa1}/{w.pa3}", manage()),
    R("POST", "/manage/<slug>/day/<int:slot_id>/walk-in/<int:first_id>/<int:second_id>",
      lambda w: f"/manage/{A}/day/{w.booked_slot}/walk-in/{w.pa1}/{w.pa3}", manage()),
    R("POST", "/manage/<slug>/helpers", lambda w: f"/manage/{A}/helpers",
      manage(f"/manage/{A}"), lambda w: {"email": w.emails["pb"]}),
    # The organizer is no helper of A: 404 for everyone.
    R("POST", "/manage/<slug>/helpers/<int:user_id>/remove",
      lambda w: f"/manage/{A}/helpers/{w.organizer}/remove",
      expect("login", "404", "404", "404", "404", "404")),
    R("POST", "/events/<slug>/agenda/meetings/<int:meeting_id>/held",
      lambda w: f"/events/{A}/agenda/meetings/{w.meeting}/held", own(f"/events/{A}/agenda")),
    # Suggested meetings (issue 17): the world's meeting is a request's, so PA1's decline is
    # refused with a message on the agenda; the organizer's settings go back to the agenda page.
    R("POST", "/events/<slug>/agenda/meetings/<int:meeting_id>/decline",
      lambda w: f"/events/{A}/agenda/meetings/{w.meeting}/decline", own(f"/events/{A}/agenda")),
    R("POST", "/manage/<slug>/schedule/suggestions", lambda w: f"/manage/{A}/schedule/suggestions",
      manage(f"/manage/{A}/schedule"),
      lambda w: {"suggestion_default": "2", "floor_percent": "15"}),
    R("GET", "/events/<slug>/walk-ins", lambda w: f"/events/{A}/walk-ins", own()),
    R("GET", "/events/<slug>/walk-ins/<int:slot_id>/<int:partner_id>",
      lambda w: f"/events/{A}/walk-ins/{w.booked_slot}/{w.pa3}", own(f"/events/{A}/walk-ins")),
    R("POST", "/events/<slug>/walk-ins/<int:slot_id>/<int:partner_id>",
      lambda w: f"/events/{A}/walk-ins/{w.booked_slot}/{w.pa3}", own(f"/events/{A}/walk-ins")),
    # After the event: feedback (no round is open, so an answer goes back to the list with
    # a message),
    # rounds and reminders (an unconfirmed POST shows the confirmation page), statistics,
    # the funder's report and the exports.
    R("GET", "/events/<slug>/feedback", lambda w: f"/events/{A}/feedback", own()),
    R("POST", "/events/<slug>/feedback/<int:meeting_id>",
      lambda w: f"/events/{A}/feedback/{w.meeting}", own(f"/events/{A}/feedback")),
    # The feedback email's link needs no login; no round is open, so it opens nothing.
    R("GET", "/events/<slug>/feedback/link/<token>",
      lambda w: f"/events/{A}/feedback/link/{w.feedback_link}", expect(*["404"] * 6)),
    R("POST", "/events/<slug>/feedback/link/<token>/<int:meeting_id>",
      lambda w: f"/events/{A}/feedback/link/{w.feedback_link}/{w.meeting}", expect(*["404"] * 6)),
    R("GET", "/manage/<slug>/feedback", lambda w: f"/manage/{A}/feedback", manage()),
    R("POST", "/manage/<slug>/feedback/rounds", lambda w: f"/manage/{A}/feedback/rounds",
      manage(), lambda w: {"kind": "after_event"}),
    R("POST", "/manage/<slug>/feedback/reminders", lambda w: f"/manage/{A}/feedback/reminders",
      manage()),
    R("GET", "/manage/<slug>/statistics", lambda w: f"/manage/{A}/statistics", manage()),
    R("GET", "/manage/<slug>/report", lambda w: f"/manage/{A}/report", manage()),
    R("GET", "/manage/<slug>/report/details", lambda w: f"/manage/{A}/report/details", manage()),
    R("POST", "/manage/<slug>/report/details", lambda w: f"/manage/{A}/report/details",
      manage(f"/manage/{A}/report"), lambda w: {"funder": "European Commission"}),
    R("GET",
      "/manage/<slug>/export/<any(meetings, feedback, statistics):what>.<any(csv, xlsx):fmt>",
      lambda w: f"/manage/{A}/export/feedback.xlsx", manage()),
    # --- issue 23 (networks): the public pages, then administration and statistics for the
    # network's administrators (NA) and platform admins. Unconfirmed leave/chair POSTs show
    # the confirmation page; NA is the only administrator, so removing NA is refused.
    R("GET", "/networks", lambda w: "/networks", everyone()),
    R("GET", "/networks/<slug>", lambda w: NET, everyone()),
    # The world's member has no logo: none to serve (tests/web/test_networks.py serves one).
    R("GET", "/networks/<slug>/members/<int:member_id>/logo",
      lambda w: f"{NET}/members/{w.member}/logo", everyone("404")),
    R("GET", "/networks/new", lambda w: "/networks/new",
      expect("login", "403", "403", "403", "403", "ok")),
    R("POST", "/networks/new", lambda w: "/networks/new",
      expect("login", "403", "403", "403", "403", "/networks/sneaky-network/manage"),
      lambda w: {"name": "Sneaky Network"}),
    R("GET", "/networks/<slug>/manage", lambda w: f"{NET}/manage", network_manage()),
    R("GET", "/networks/<slug>/members/new", lambda w: f"{NET}/members/new", network_manage()),
    R("POST", "/networks/<slug>/members/new", lambda w: f"{NET}/members/new",
      network_manage(f"{NET}/manage"),
      lambda w: {"name": "Sneaky Cluster", "country": "RO", "kind": "cluster"}),
    R("GET", "/networks/<slug>/members/<int:member_id>/edit",
      lambda w: f"{NET}/members/{w.member}/edit", network_manage()),
    R("POST", "/networks/<slug>/members/<int:member_id>/edit",
      lambda w: f"{NET}/members/{w.member}/edit", network_manage(f"{NET}/manage"),
      lambda w: {"name": "Sneaky Rename", "country": "RO", "kind": "cluster"}),
    R("POST", "/networks/<slug>/members/<int:member_id>/<any(leave, rejoin):move>",
      lambda w: f"{NET}/members/{w.member}/leave", network_manage(),
      lambda w: {"on": "2026-06-30"}),
    R("POST", "/networks/<slug>/chair", lambda w: f"{NET}/chair", network_manage(),
      lambda w: {"member": w.member_b, "starts_on": "2030-01-01"}),
    R("POST", "/networks/<slug>/admins", lambda w: f"{NET}/admins",
      network_manage(f"{NET}/manage"), lambda w: {"email": w.emails["pa1"]}),
    R("POST", "/networks/<slug>/admins/<int:user_id>/remove",
      lambda w: f"{NET}/admins/{w.network_admin}/remove", network_manage(f"{NET}/manage")),
    R("POST", "/networks/<slug>/members/<int:member_id>/staff",
      lambda w: f"{NET}/members/{w.member}/staff", network_manage(f"{NET}/manage"),
      lambda w: {"email": w.emails["pa1"]}),
    R("POST", "/networks/<slug>/members/<int:member_id>/staff/<int:user_id>/remove",
      lambda w: f"{NET}/members/{w.member}/staff/{w.staff}/remove",
      network_manage(f"{NET}/manage")),
    R("GET", "/networks/<slug>/log", lambda w: f"{NET}/log", network_manage()),
    R("GET", "/networks/<slug>/statistics", lambda w: f"{NET}/statistics", network_manage()),
    R("GET", "/networks/<slug>/statistics.<any(csv, xlsx):fmt>",
      lambda w: f"{NET}/statistics.xlsx", network_manage()),
    # --- end issue 23
    # --- partners (issue 23) -----------------------------------------------------------------
    # The organizer's partners page and its confirmations.
    R("GET", "/manage/<slug>/partners", lambda w: f"/manage/{A}/partners", manage()),
    R("POST", "/manage/<slug>/partners", lambda w: f"/manage/{A}/partners",
      manage(f"/manage/{A}/partners"), lambda w: {"member": str(w.spare_member)}),
    R("GET", "/manage/<slug>/partners/<int:partner_id>/<any(renew, remove):action>",
      lambda w: f"/manage/{A}/partners/{w.partner_a}/renew", manage()),
    R("POST", "/manage/<slug>/partners/<int:partner_id>/<any(renew, remove):action>",
      lambda w: f"/manage/{A}/partners/{w.partner_a}/remove", manage(f"/manage/{A}/partners")),
    R("POST", "/manage/<slug>/participants/<int:participant_id>/partner",
      lambda w: f"/manage/{A}/participants/{w.pa1}/partner",
      manage(f"/manage/{A}/participants"), lambda w: {"partner": str(w.partner_a)}),
    # The invitation link: anyone may open it.
    R("GET", "/events/<slug>/join/<token>", lambda w: f"/events/{A}/join/{w.invite_token}",
      everyone()),
    # The partner staff's pages: their own partner's companies only (PA3 came through it).
    R("GET", "/events/<slug>/partner", lambda w: f"/events/{A}/partner", partner_only()),
    R("GET", "/events/<slug>/partner/companies/<int:participant_id>",
      lambda w: f"/events/{A}/partner/companies/{w.pa3}", partner_only()),
    R("POST",
      "/events/<slug>/partner/companies/<int:participant_id>/<any(approved, rejected):status>",
      lambda w: f"/events/{A}/partner/companies/{w.pa3}/rejected",
      partner_only(f"/events/{A}/partner")),
    R("GET", "/events/<slug>/partner/remind", lambda w: f"/events/{A}/partner/remind",
      partner_only()),
    R("POST", "/events/<slug>/partner/remind", lambda w: f"/events/{A}/partner/remind",
      partner_only(f"/events/{A}/partner")),
    R("GET", "/events/<slug>/partner/export.<any(csv, xlsx):fmt>",
      lambda w: f"/events/{A}/partner/export.xlsx", partner_only()),
    # --- end partners -------------------------------------------------------------------------
    # --- issue 24 (webhooks): the organizer's webhooks of event A.
    R("GET", "/manage/<slug>/webhooks", lambda w: f"/manage/{A}/webhooks", manage()),
    R("POST", "/manage/<slug>/webhooks", lambda w: f"/manage/{A}/webhooks", manage(),
      lambda w: {"url": "https://hooks.example.org/in", "event_types": "schedule.published"}),
    R("GET", "/manage/<slug>/webhooks/<int:webhook_id>",
      lambda w: f"/manage/{A}/webhooks/{w.webhook}", manage()),
    R("POST", "/manage/<slug>/webhooks/<int:webhook_id>",
      lambda w: f"/manage/{A}/webhooks/{w.webhook}", manage(f"/manage/{A}/webhooks/"),
      lambda w: {"url": "https://hooks.example.org/new", "event_types": "request.accepted"}),
    R("POST", "/manage/<slug>/webhooks/<int:webhook_id>/rotate",
      lambda w: f"/manage/{A}/webhooks/{w.webhook}/rotate", manage()),
    R("POST", "/manage/<slug>/webhooks/<int:webhook_id>/test",
      lambda w: f"/manage/{A}/webhooks/{w.webhook}/test", manage(f"/manage/{A}/webhooks/")),
    R("POST", "/manage/<slug>/webhooks/<int:webhook_id>/deliveries/<int:delivery_id>/retry",
      lambda w: f"/manage/{A}/webhooks/{w.webhook}/deliveries/{w.delivery}/retry",
      manage(f"/manage/{A}/webhooks/")),
    R("GET", "/manage/<slug>/webhooks/<int:webhook_id>/delete",
      lambda w: f"/manage/{A}/webhooks/{w.webhook}/delete", manage()),
    R("POST", "/manage/<slug>/webhooks/<int:webhook_id>/delete",
      lambda w: f"/manage/{A}/webhooks/{w.webhook}/delete", manage(f"/manage/{A}/webhooks")),
    # --- end issue 24
    # --- consortium (issue 25): the builder for approved participants and organizers; a group
    # meeting for its members, lead and organizers; answers for members; the rest for the lead.
    R("GET", "/events/<slug>/consortium", lambda w: BUILDER,
      expect("login", "404", "ok", "404", "ok", "ok")),
    R("POST", "/events/<slug>/consortium", lambda w: BUILDER,
      expect("login", "404", "ok", "404", "ok", "ok"), lambda w: {**IDEA, "lead": w.pa1}),
    R("POST", "/events/<slug>/consortium/<any(swap, invite):action>", lambda w: f"{BUILDER}/swap",
      expect("login", "404", BUILDER, "404", BUILDER, BUILDER),
      lambda w: {"draft": "forged", "team": "1", "member": w.pa2}),
    R("GET", "/events/<slug>/group-meetings", lambda w: f"/events/{A}/group-meetings",
      expect("login", "404", "ok", "404", GROUPS, GROUPS)),
    R("GET", "/events/<slug>/group-meetings/<int:group_meeting_id>", lambda w: gm(w),
      expect("login", "404", "ok", "404", "ok", "ok")),
    R("POST", "/events/<slug>/group-meetings/<int:group_meeting_id>/<any(accept, decline):answer>",
      lambda w: f"{gm(w)}/accept", expect("login", "404", GM, "404", "404", "404")),
    R("POST", "/events/<slug>/group-meetings/<int:group_meeting_id>/replace/<int:participant_id>",
      lambda w: f"{gm(w)}/replace/{w.pa2}", expect("login", "404", GM, "404", "404", "404")),
    R("GET", "/events/<slug>/group-meetings/<int:group_meeting_id>/cancel",
      lambda w: f"{gm(w)}/cancel", expect("login", "404", "ok", "404", "ok", "ok")),
    R("POST", "/events/<slug>/group-meetings/<int:group_meeting_id>/cancel",
      lambda w: f"{gm(w)}/cancel", expect("login", "404", GM, "404", GM, GM),
      lambda w: {"confirmed": "y"}),
    R("GET", "/manage/<slug>/group-meetings", lambda w: GROUPS, manage()),
    R("GET", "/manage/<slug>/group-meetings/new", lambda w: f"{GROUPS}/new", manage()),
    R("POST", "/manage/<slug>/group-meetings/new", lambda w: f"{GROUPS}/new", manage(GM),
      lambda w: {"title": "Round table", "participants": [w.pa1, w.pa2, w.pa3]}),
    # --- end consortium
]  # fmt: skip

NOT_ROUTES = {"static", "bootstrap.static"}  # files, not application data
# The API's routes have their own matrix, called with tokens: tests/api/test_api_matrix.py.
API_PREFIX = "/api/v1/"


def _routes(app):
    return {
        f"{method} {rule.rule}"
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in NOT_ROUTES and not rule.rule.startswith(API_PREFIX)
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_matrix_covers_every_route(app):
    listed = [route.key for route in MATRIX]
    assert len(listed) == len(set(listed)), "a route is listed twice"
    routes = _routes(app)
    missing = sorted(routes - set(listed))
    stale = sorted(set(listed) - routes)
    assert missing == [], f"routes without an entry in MATRIX: {missing}"
    assert stale == [], f"MATRIX entries for routes that no longer exist: {stale}"


def _snapshot():
    """Every row of every table, to prove that a refused request wrote nothing."""
    state = {
        table.name: sorted(map(repr, db.session.execute(table.select()).all()))
        for table in db.metadata.sorted_tables
    }
    db.session.rollback()  # end the read transaction before the request runs
    return state


def _as(auth, world, who):
    if who != "visitor":
        assert auth.login(world.emails[who]).status_code == 302


def assert_outcome(response, expected, url):
    """`expected`: "ok" (200), "login" (to the login page, back here after), "403", "404", or
    a path: a redirect to a URL starting with it (the page's normal next step)."""
    location = urlsplit(response.headers.get("Location", ""))
    if expected == "ok":
        assert response.status_code == 200
    elif expected == "login":
        assert (response.status_code, location.path) == (302, "/auth/login")
        assert parse_qs(location.query)["next"] == [url]
    elif expected in ("403", "404"):
        assert response.status_code == int(expected)
    else:
        assert response.status_code == 302
        assert location.path.startswith(expected), location.path
        assert location.path != "/auth/login"


def _case_id(case):
    route, role = case
    return f"{route.key}-{role}"


@pytest.mark.parametrize(
    "case", [(route, role) for route in MATRIX for role in ROLES], ids=_case_id
)
def test_route_answers_each_role(client, auth, world, case):
    route, role = case
    _as(auth, world, role)
    url = route.url(world)
    expected = route.expected[role]
    before = _snapshot() if expected in DENIED else None
    response = client.open(url, method=route.method, data=route.data(world) if route.data else {})
    assert_outcome(response, expected, url)
    if expected in DENIED:
        assert _snapshot() == before, "a refused request changed the database"


@dataclass(frozen=True)
class Cross:
    """Someone reaching for an object that is not theirs (or not of this event)."""

    name: str
    who: str  # a key of World.emails, or "visitor"
    method: str
    url: object  # World -> str
    expected: str
    data: object = None  # World -> dict

    def __str__(self):
        return self.name


REQUESTS = f"/events/{A}/requests"
CROSS = [
    # Within /me, a participant only ever reaches their own registration.
    Cross("pa1-opens-pa2-opportunity-via-me", "pa1", "GET",
          lambda w: f"{ME}/opportunities/{w.pa2_offer}", "404"),
    Cross("pa1-edits-pa2-opportunity-via-me", "pa1", "POST",
          lambda w: f"{ME}/opportunities/{w.pa2_offer}", "404", lambda w: OPPORTUNITY),
    Cross("pa1-deletes-pa2-opportunity-via-me", "pa1", "POST",
          lambda w: f"{ME}/opportunities/{w.pa2_offer}/delete", "404"),
    Cross("pa1-edits-pa2-details-on-behalf", "pa1", "POST",
          lambda w: f"{ON_BEHALF}{w.pa2}/details", "404", lambda w: {"looking_for": "x"}),
    Cross("pa1-deletes-pa2-opportunity-on-behalf", "pa1", "POST",
          lambda w: f"{ON_BEHALF}{w.pa2}/opportunities/{w.pa2_offer}/delete", "404"),
    # Organizers reach registrations of their own event only, through its own slug.
    Cross("oa-opens-b-registration-under-a", "organizer", "GET",
          lambda w: f"{ON_BEHALF}{w.pb}", "404"),
    Cross("ob-opens-a-registration-under-b", "other_organizer", "GET",
          lambda w: f"/events/{B}/registrations/{w.pa1}", "404"),
    Cross("oa-edits-pa2-opportunity-as-pa1s", "organizer", "POST",
          lambda w: f"{ON_BEHALF}{w.pa1}/opportunities/{w.pa2_offer}", "404",
          lambda w: OPPORTUNITY),
    Cross("oa-deletes-pb-opportunity-under-a", "organizer", "POST",
          lambda w: f"{ON_BEHALF}{w.pb}/opportunities/{w.pb_offer}/delete", "404"),
    # The marketplace of A shows A's approved participants only.
    Cross("pa1-opens-b-opportunity-under-a", "pa1", "GET",
          lambda w: f"/events/{A}/opportunities/{w.pb_offer}", "404"),
    Cross("pa1-opens-b-participant-under-a", "pa1", "GET",
          lambda w: f"/events/{A}/participants/{w.pb}", "404"),
    # Requests: only one's own, and only the side's own moves.
    Cross("pa1-accepts-request-between-others", "pa1", "POST",
          lambda w: f"/events/{A}/requests/{w.other_request}/accept", "404"),
    Cross("pa1-cancels-request-between-others", "pa1", "POST",
          lambda w: f"/events/{A}/requests/{w.other_request}/cancel", "404"),
    Cross("pa1-moves-meeting-between-others", "pa1", "POST",
          lambda w: f"/events/{A}/requests/{w.other_request}/move", "404"),
    Cross("pa1-declines-request-between-others", "pa1", "POST",
          lambda w: f"/events/{A}/requests/{w.other_request}/decline", "404"),
    Cross("pb-accepts-a-request-under-b", "pb", "POST",
          lambda w: f"/events/{B}/requests/{w.request}/accept", "404"),
    Cross("sender-accepts-own-request", "pa2", "POST",
          lambda w: f"/events/{A}/requests/{w.request}/accept", REQUESTS),
    Cross("sender-declines-own-request", "pa2", "POST",
          lambda w: f"/events/{A}/requests/{w.request}/decline", REQUESTS),
    Cross("receiver-cancels-request", "pa1", "POST",
          lambda w: f"/events/{A}/requests/{w.request}/cancel", REQUESTS),
    Cross("pa1-asks-b-participant-under-a", "pa1", "GET",
          lambda w: f"/events/{A}/requests/new/{w.pb}", "404"),
    Cross("pa1-sends-request-to-b-participant-under-a", "pa1", "POST",
          lambda w: f"/events/{A}/requests/new/{w.pb}", "404", lambda w: {"message": "Hi"}),
    Cross("pa1-marks-b-participant-under-a", "pa1", "POST",
          lambda w: f"/events/{A}/matches/{w.pb}/interested", "404"),
    # Organizer pages take objects of their own event only.
    Cross("oa-opens-b-version-under-a", "organizer", "GET",
          lambda w: f"/manage/{A}/schedule/7", "404"),
    Cross("oa-copies-b-version-under-a", "organizer", "POST",
          lambda w: f"/manage/{A}/schedule/7/copy", "404"),
    Cross("oa-opens-b-meeting-under-a", "organizer", "GET",
          lambda w: f"{SCHEDULE_1}/meetings/{w.meeting_b}", "404"),
    Cross("oa-cancels-b-meeting-under-a", "organizer", "POST",
          lambda w: f"{SCHEDULE_1}/meetings/{w.meeting_b}/cancel", "404"),
    Cross("oa-swaps-b-meeting-under-a", "organizer", "POST",
          lambda w: f"{SCHEDULE_1}/meetings/{w.meeting_b}/swap", "404",
          lambda w: {"other": w.meeting}),
    Cross("oa-swaps-with-b-meeting", "organizer", "POST",
          lambda w: f"{SCHEDULE_1}/meetings/{w.meeting}/swap", SCHEDULE_1,
          lambda w: {"other": w.meeting_b}),
    Cross("oa-adds-meeting-with-b-participants", "organizer", "POST",
          lambda w: f"{SCHEDULE_1}/add", SCHEDULE_1,
          lambda w: {"first": w.pb, "second": w.pb2, "slot": w.booked_slot}),
    Cross("oa-opens-b-job-under-a", "organizer", "GET",
          lambda w: f"/manage/{A}/jobs/{w.job_b}", "404"),
    Cross("oa-renames-b-group-under-a", "organizer", "POST",
          lambda w: f"/manage/{A}/groups/{w.group_b}", "404", lambda w: {"name": "Mine"}),
    Cross("oa-deletes-b-group-under-a", "organizer", "POST",
          lambda w: f"/manage/{A}/groups/{w.group_b}/delete", "404"),
    Cross("oa-groups-b-participant-under-a", "organizer", "POST",
          lambda w: f"/manage/{A}/participants/{w.pb}/group", "404",
          lambda w: {"group": w.group}),
    Cross("oa-puts-a-participant-in-b-group", "organizer", "POST",
          lambda w: f"/manage/{A}/participants/{w.pa1}/group", f"/manage/{A}/groups",
          lambda w: {"group": w.group_b}),
    Cross("oa-keeps-b-group-apart-under-a", "organizer", "POST",
          lambda w: f"/manage/{A}/groups/rules", f"/manage/{A}/groups",
          lambda w: {"may_meet": [f"{w.group_b}-{w.group_b}"]}),
    Cross("oa-decides-on-b-participant-under-a", "organizer", "POST",
          lambda w: f"/manage/{A}/participants/{w.pb}/approved", "404"),
    Cross("ob-decides-on-a-participant-under-b", "other_organizer", "POST",
          lambda w: f"/manage/{B}/participants/{w.pa1}/rejected", "404"),
    Cross("oa-removes-b-organizer-under-a", "organizer", "POST",
          lambda w: f"/manage/{A}/organizers/{w.other_organizer}/remove", "404"),
    Cross("oa-opens-b-participant-schedule-under-a", "organizer", "GET",
          lambda w: f"{SCHEDULE_1}/participants/{w.pb}", "404"),
    Cross("oa-picks-b-participant-under-a", "organizer", "GET",
          lambda w: f"{SCHEDULE_1}/participant?participant={w.pb}", "404"),
    Cross("oa-scans-b-pass-under-a", "organizer", "GET",
          lambda w: f"/manage/{A}/checkin/scan?code={w.pass_code_b}", f"/manage/{A}/checkin"),
    Cross("b-pass-under-a", "visitor", "GET",
          lambda w: f"/events/{A}/pass/{w.pass_code_b}", "404"),
    Cross("oa-sees-b-table-under-a", "organizer", "GET",
          lambda w: f"/manage/{A}/day/tables/{w.table_b}", "404"),
    Cross("oa-prints-b-tables-under-a", "organizer", "GET",
          lambda w: f"/events/{A}/agenda/tables?schedule={w.schedule_b}", "404"),
    Cross("oa-prints-b-doors-under-a", "organizer", "GET",
          lambda w: f"/events/{A}/agenda/doors?schedule={w.schedule_b}", "404"),
    # Feedback: only on one's own meetings of one's own event.
    Cross("pa3-answers-meeting-of-pa1-and-pa2", "pa3", "POST",
          lambda w: f"/events/{A}/feedback/{w.meeting}", "404",
          lambda w: {f"m{w.meeting}-held": "no"}),
    Cross("pb-answers-a-meeting-under-b", "pb", "POST",
          lambda w: f"/events/{B}/feedback/{w.meeting}", "404",
          lambda w: {f"m{w.meeting}-held": "no"}),
    Cross("pa1-answers-b-meeting-under-a", "pa1", "POST",
          lambda w: f"/events/{A}/feedback/{w.meeting_b}", "404",
          lambda w: {f"m{w.meeting_b}-held": "no"}),
    # Declining a suggested meeting: only one's own, of one's own event.
    Cross("pa3-declines-meeting-of-pa1-and-pa2", "pa3", "POST",
          lambda w: f"/events/{A}/agenda/meetings/{w.meeting}/decline", "404"),
    Cross("pa1-declines-b-meeting-under-a", "pa1", "POST",
          lambda w: f"/events/{A}/agenda/meetings/{w.meeting_b}/decline", "404"),
    Cross("pb-declines-a-meeting-under-b", "pb", "POST",
          lambda w: f"/events/{B}/agenda/meetings/{w.meeting}/decline", "404"),
    # The calendar feed: the token is the key, and only for its own event.
    Cross("feed-with-tampered-token", "visitor", "GET",
          lambda w: f"/events/{A}/calendar/{w.token[:-2]}xx.ics", "404"),
    Cross("feed-with-b-token-under-a", "visitor", "GET",
          lambda w: f"/events/{A}/calendar/{w.token_b}.ics", "404"),
    Cross("feed-with-a-token-under-b", "pb", "GET",
          lambda w: f"/events/{B}/calendar/{w.token}.ics", "404"),
    # --- issue 23 (networks): another network's administrator stays out of this one, and a
    # member of another network is not reached through this one's address.
    Cross("nb-opens-danube-admin", "other_network_admin", "GET", lambda w: f"{NET}/manage", "404"),
    Cross("nb-opens-danube-statistics", "other_network_admin", "GET",
          lambda w: f"{NET}/statistics", "404"),
    Cross("nb-exports-danube-statistics", "other_network_admin", "GET",
          lambda w: f"{NET}/statistics.csv", "404"),
    Cross("nb-opens-danube-log", "other_network_admin", "GET", lambda w: f"{NET}/log", "404"),
    Cross("nb-adds-danube-member", "other_network_admin", "POST",
          lambda w: f"{NET}/members/new", "404",
          lambda w: {"name": "Sneaky", "country": "AT", "kind": "cluster"}),
    Cross("nb-hands-over-danube-chair", "other_network_admin", "POST",
          lambda w: f"{NET}/chair", "404",
          lambda w: {"member": w.member_b, "starts_on": "2030-01-01", "confirmed": "yes"}),
    Cross("nb-adds-himself-as-danube-admin", "other_network_admin", "POST",
          lambda w: f"{NET}/admins", "404", lambda w: {"email": w.emails["other_network_admin"]}),
    Cross("na-edits-alpine-member-under-danube", "network_admin", "POST",
          lambda w: f"{NET}/members/{w.alpine_member}/edit", "404",
          lambda w: {"name": "Sneaky", "country": "AT", "kind": "cluster"}),
    Cross("na-marks-alpine-member-left-under-danube", "network_admin", "POST",
          lambda w: f"{NET}/members/{w.alpine_member}/leave", "404",
          lambda w: {"on": "2026-06-30", "confirmed": "yes"}),
    Cross("na-opens-alpine-admin", "network_admin", "GET", lambda w: "/networks/alpine/manage",
          "404"),
    Cross("na-hands-chair-to-alpine-member", "network_admin", "POST", lambda w: f"{NET}/chair",
          f"{NET}/manage",
          lambda w: {"member": w.alpine_member, "starts_on": "2030-01-01", "confirmed": "yes"}),
    # --- end issue 23
    # --- partners (issue 23): partner staff never reach another partner's company (PA2),
    # an untagged one (PA1), or one of another event (PB), and their link is of event A only.
    Cross("ps-opens-other-partners-company", "partner_staff", "GET",
          lambda w: f"/events/{A}/partner/companies/{w.pa2}", "404"),
    Cross("ps-approves-other-partners-company", "partner_staff", "POST",
          lambda w: f"/events/{A}/partner/companies/{w.pa2}/rejected", "404"),
    Cross("ps-opens-untagged-company", "partner_staff", "GET",
          lambda w: f"/events/{A}/partner/companies/{w.pa1}", "404"),
    Cross("ps-opens-b-company-under-a", "partner_staff", "GET",
          lambda w: f"/events/{A}/partner/companies/{w.pb}", "404"),
    Cross("ps-dashboard-of-b", "partner_staff", "GET", lambda w: f"/events/{B}/partner", "404"),
    Cross("a-link-under-b", "visitor", "GET", lambda w: f"/events/{B}/join/{w.invite_token}",
          "404"),
    Cross("oa-removes-partner-under-b", "organizer", "POST",
          lambda w: f"/manage/{B}/partners/{w.partner_a}/remove", "404"),
    Cross("ob-removes-a-partner-under-b", "other_organizer", "POST",
          lambda w: f"/manage/{B}/partners/{w.partner_a}/remove", "404"),
    Cross("oa-retags-b-participant-under-a", "organizer", "POST",
          lambda w: f"/manage/{A}/participants/{w.pb}/partner", "404",
          lambda w: {"partner": str(w.partner_a)}),
    # --- end partners
    # --- issue 24 (webhooks): event B's webhook and delivery are not reached through event A,
    # nor event A's delivery through event B's webhook.
    Cross("oa-opens-b-webhook-under-a", "organizer", "GET",
          lambda w: f"/manage/{A}/webhooks/{w.webhook_b}", "404"),
    Cross("oa-edits-b-webhook-under-a", "organizer", "POST",
          lambda w: f"/manage/{A}/webhooks/{w.webhook_b}", "404",
          lambda w: {"url": "https://evil.example/in", "event_types": "request.accepted"}),
    Cross("oa-rotates-b-webhook-under-a", "organizer", "POST",
          lambda w: f"/manage/{A}/webhooks/{w.webhook_b}/rotate", "404"),
    Cross("oa-tests-b-webhook-under-a", "organizer", "POST",
          lambda w: f"/manage/{A}/webhooks/{w.webhook_b}/test", "404"),
    Cross("oa-deletes-b-webhook-under-a", "organizer", "POST",
          lambda w: f"/manage/{A}/webhooks/{w.webhook_b}/delete", "404"),
    Cross("oa-retries-b-delivery-under-a-webhook", "organizer", "POST",
          lambda w: f"/manage/{A}/webhooks/{w.webhook}/deliveries/{w.delivery_b}/retry", "404"),
    Cross("ob-retries-a-delivery-under-b-webhook", "other_organizer", "POST",
          lambda w: f"/manage/{B}/webhooks/{w.webhook_b}/deliveries/{w.delivery}/retry", "404"),
    Cross("ob-opens-a-webhook-under-b", "other_organizer", "GET",
          lambda w: f"/manage/{B}/webhooks/{w.webhook}", "404"),
    # --- end issue 24
    # --- consortium (issue 25): group meetings of another event stay out of reach.
    Cross("oa-opens-b-group-meeting-under-a", "organizer", "GET",
          lambda w: f"/events/{A}/group-meetings/{w.group_meeting_b}", "404"),
    Cross("ob-opens-a-group-meeting-under-b", "other_organizer", "GET",
          lambda w: f"/events/{B}/group-meetings/{w.group_meeting}", "404"),
    Cross("oa-cancels-b-group-meeting-under-a", "organizer", "POST",
          lambda w: f"/events/{A}/group-meetings/{w.group_meeting_b}/cancel", "404",
          lambda w: {"confirmed": "y"}),
    Cross("pb-answers-a-group-meeting-under-b", "pb", "POST",
          lambda w: f"/events/{B}/group-meetings/{w.group_meeting}/accept", "404"),
    Cross("pa1-replaces-b-participant-in-a", "pa1", "POST",
          lambda w: f"/events/{A}/group-meetings/{w.group_meeting}/replace/{w.pb}", "404"),
    Cross("oa-sets-up-with-b-participants", "organizer", "POST", lambda w: f"{GROUPS}/new", "ok",
          lambda w: {"title": "Mixed", "participants": [w.pa1, w.pb, w.pb2]}),
    # --- end consortium
]  # fmt: skip


@pytest.mark.parametrize("case", CROSS, ids=str)
def test_others_objects_stay_out_of_reach(client, auth, world, case):
    _as(auth, world, case.who)
    url = case.url(world)
    before = _snapshot()
    response = client.open(url, method=case.method, data=case.data(world) if case.data else {})
    assert_outcome(response, case.expected, url)
    assert _snapshot() == before, "the request changed someone else's data"


def _set(model, object_id, **values):
    db.session.execute(sa.update(model).where(model.id == object_id).values(**values))
    db.session.commit()


def test_private_event_page_lists_participants_to_approved_ones_only(client, auth, world):
    visitor_page = client.get(f"/events/{A}").text
    _as(auth, world, "pa1")
    participant_page = client.get(f"/events/{A}").text
    assert ("FieldNode" in visitor_page, "FieldNode" in participant_page) == (False, True)


def test_public_participant_list_is_open_to_everyone(client, auth, world):
    _set(Event, world.event_a, participants_public=True)
    pages = [
        f"/events/{A}/marketplace",
        f"/events/{A}/participants",
        f"/events/{A}/participants/{world.pa2}",
        f"/events/{A}/opportunities/{world.pa2_offer}",
    ]
    assert [client.get(page).status_code for page in pages] == [200] * 4
    assert "FieldNode" in client.get(f"/events/{A}/participants").text
    _as(auth, world, "pb")
    assert [client.get(page).status_code for page in pages] == [200] * 4


def test_draft_event_is_hidden_from_all_but_its_organizers(client, auth, world):
    _set(Event, world.event_a, status="draft")
    pages = [f"/events/{A}", f"/events/{A}/register", ME, f"/events/{A}/calendar/{world.token}.ics"]
    _as(auth, world, "pa1")
    assert [client.get(page).status_code for page in pages] == [404] * 4
    auth.logout()
    _as(auth, world, "organizer")
    assert client.get(f"/events/{A}").status_code == 200


def test_contact_details_are_for_organizers_only(client, auth, world):
    page = f"/events/{A}/participants/{world.pa2}"
    _as(auth, world, "pa1")
    seen_by_participant = client.get(page).text
    auth.logout()
    _as(auth, world, "organizer")
    seen_by_organizer = client.get(page).text
    email = world.emails["pa2"]
    assert (email in seen_by_participant, email in seen_by_organizer) == (False, True)


def test_withdrawn_participant_loses_own_pages_and_feed(client, auth, world):
    _set(Participant, world.pa1, status="withdrawn")
    _as(auth, world, "pa1")
    pages = [ME, f"/events/{A}/requests", f"/events/{A}/agenda"]
    assert [client.get(page).status_code for page in pages] == [404] * 3
    assert client.get(f"/events/{A}/calendar/{world.token}.ics").status_code == 404


NOSY = "nosy@example.com"


@pytest.fixture
def pending(world, make_user, make_participant):
    """A registrant of event A not approved (yet): anyone with an account can become one."""
    make_participant(db.session.get(Event, world.event_a), make_user(email=NOSY, name="Nosy"),
                     organisation_name="Nosy Ltd", status="pending")  # fmt: skip
    return world


def test_pending_registrant_cannot_browse_private_participants(client, auth, pending):
    auth.login(NOSY)
    pages = [f"/events/{A}/participants", f"/events/{A}/participants/{pending.pa2}"]
    assert [client.get(page).status_code for page in pages] == [404, 404]


def test_pending_registrant_cannot_see_participants_through_request_form(client, auth, pending):
    auth.login(NOSY)
    response = client.get(f"/events/{A}/requests/new/{pending.pa2}")
    assert response.status_code == 404
    assert "FieldNode" not in response.text


def test_rejected_registrant_no_longer_sees_matched_participants(client, auth, world):
    _set(Participant, world.pa1, status="rejected")
    _as(auth, world, "pa1")
    assert client.get(f"/events/{A}/participants/{world.pa2}").status_code == 404
    assert "FieldNode" not in client.get(f"/events/{A}/matches").text
    for page in ("matches", "requests", "agenda", "agenda.ics"):
        assert client.get(f"/events/{A}/{page}").status_code == 404, page
