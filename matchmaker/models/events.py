"""Event, its sessions and breaks, the slots derived from them, its tables and organizers."""

from datetime import date, datetime, time

import sqlalchemy as sa
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.i18n.dates import slot_span  # labels in the reader's language
from matchmaker.models.base import one_of, utcnow
from matchmaker.models.networks import MET_BEFORE_POLICIES

# The allowed moves of an event's status; anything else is refused.
EVENT_STATUSES = {
    "draft": _l("Draft"),
    "registration_open": _l("Registration open"),
    "matchmaking": _l("Matchmaking"),
    "agenda_published": _l("Agenda published"),
    "closed": _l("Closed"),
}
STATUS_MOVES = {
    "draft": {"registration_open"},
    "registration_open": {"draft", "matchmaking"},
    "matchmaking": {"registration_open", "agenda_published"},
    "agenda_published": {"matchmaking", "closed"},
    "closed": set(),
}

event_organizers = sa.Table(
    "event_organizers",
    db.metadata,
    sa.Column("event_id", sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)

# Helpers: accounts that work the venue on the day (check-in, meeting status, walk-ins) without
# managing the event.
event_helpers = sa.Table(
    "event_helpers",
    db.metadata,
    sa.Column("event_id", sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


SCHEDULING_MODES = {
    "organizer": "Organizer schedules",
    "participants": "Participants book",
    "hybrid": "Hybrid",
}
SLOT_CHOOSERS = {
    "requester": "The requester, when asking",
    "receiver": "The partner, when accepting",
}
# What kind of event: a brokerage day where anyone may meet anyone (bar the excluded pairs),
# or an economic mission where a delegation visits hosts (groups say who may meet whom).
EVENT_KINDS = {
    "brokerage": "Brokerage event",
    "mission": "Economic mission",
}
# Where the event happens (issue 24): in a hall, online by video, or both at once (each
# participant then says whether it comes to the hall or joins online).
EVENT_FORMATS = {
    "in_person": "In person",
    "online": "Online",
    "hybrid": "Hybrid (in the hall and online)",
}
REQUEST_MODES = {
    "opt_in": "Requests must be accepted",
    "opt_out": "Requests are accepted automatically",
}


class Event(db.Model):
    __tablename__ = "events"
    __table_args__ = (
        one_of("status", EVENT_STATUSES),
        sa.CheckConstraint("meeting_minutes > 0", name="meeting_minutes_positive"),
        sa.CheckConstraint("gap_minutes >= 0", name="gap_minutes_not_negative"),
        sa.CheckConstraint("table_count >= 0", name="table_count_not_negative"),
        sa.CheckConstraint("cross_border_bonus >= 0", name="cross_border_bonus_not_negative"),
        one_of("scheduling_mode", SCHEDULING_MODES),
        one_of("slot_chooser", SLOT_CHOOSERS),
        one_of("request_mode", REQUEST_MODES),
        sa.CheckConstraint("suggestion_default >= 0", name="suggestion_default_not_negative"),
        one_of("kind", EVENT_KINDS),
        one_of("met_before_policy", MET_BEFORE_POLICIES),
        one_of("format", EVENT_FORMATS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    venue: Mapped[str] = mapped_column(sa.String(200), default="")
    city: Mapped[str] = mapped_column(sa.String(120), default="")
    country: Mapped[str] = mapped_column(sa.String(2), default="")
    format: Mapped[str] = mapped_column(
        sa.String(20), default="in_person", server_default="in_person"
    )
    # The video room of an online meeting: an address with "{room}" where each meeting's own
    # unguessable room name goes (the organizer's BigBlueButton or Jitsi server); empty: the
    # public Jitsi Meet (matchmaker.services.video.DEFAULT_TEMPLATE).
    video_template: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    timezone: Mapped[str] = mapped_column(sa.String(64), default="UTC")
    registration_opens_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    registration_closes_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    status: Mapped[str] = mapped_column(sa.String(20), default="draft")
    meeting_minutes: Mapped[int] = mapped_column(sa.Integer, default=25)
    gap_minutes: Mapped[int] = mapped_column(sa.Integer, default=5)
    table_count: Mapped[int] = mapped_column(sa.Integer, default=10)
    participants_public: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    max_requests_per_participant: Mapped[int | None] = mapped_column(sa.Integer)
    max_meetings_per_participant: Mapped[int | None] = mapped_column(sa.Integer)
    request_expiry_hours: Mapped[int | None] = mapped_column(sa.Integer)
    sectors: Mapped[list] = mapped_column(sa.JSON, default=list)
    # Matching options: a bonus that lets foreign partners outrank domestic ones (0 = off,
    # see matchmaker.matching.MatchRules) and pairs of organisation types never matched.
    cross_border_bonus: Mapped[float] = mapped_column(sa.Float, default=0.0, server_default="0")
    excluded_type_pairs: Mapped[list] = mapped_column(sa.JSON, default=list, server_default="[]")
    matched_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    # On the day: may participants book a walk-in meeting with someone free in the same slot?
    participant_walk_ins: Mapped[bool] = mapped_column(
        sa.Boolean, default=False, server_default=sa.false()
    )
    # The live loop (issue 17). Who places meetings: the organizer's optimiser ("organizer"),
    # participants booking a slot as they request and accept ("participants"), or both
    # ("hybrid": live bookings become locked meetings, the optimiser fills the rest).
    scheduling_mode: Mapped[str] = mapped_column(
        sa.String(20), default="organizer", server_default="organizer"
    )
    # In the booking modes, who picks the slot: the requester when asking, or the partner when
    # accepting; and whether a request must be accepted (opt_in) or is accepted at once (opt_out).
    slot_chooser: Mapped[str] = mapped_column(
        sa.String(20), default="requester", server_default="requester"
    )
    request_mode: Mapped[str] = mapped_column(
        sa.String(20), default="opt_in", server_default="opt_in"
    )
    # False: a registration is approved as it is saved (and matched at once).
    approval_required: Mapped[bool] = mapped_column(
        sa.Boolean, default=True, server_default=sa.true()
    )
    # Suggested meetings: how many the optimiser may add for a participant who did not say
    # (0 = none without consent), and the relevance below which it never suggests a pair.
    suggestion_default: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
    suggestion_floor: Mapped[float] = mapped_column(sa.Float, default=0.25, server_default="0.25")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow)
    # The network the event belongs to (issue 23), if any: its members may take part as
    # partners, and its earlier events inform this one (met-before pairs).
    network_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("networks.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(
        sa.String(20), default="brokerage", server_default="brokerage"
    )
    # Pairs who met at an earlier event of the network: left alone, lowered, or proposed a
    # follow-up meeting where their outcome says so (MET_BEFORE_POLICIES).
    met_before_policy: Mapped[str] = mapped_column(
        sa.String(20), default="leave", server_default="leave"
    )

    network = relationship("Network", back_populates="events")
    partners = relationship(
        "EventPartner",
        back_populates="event",
        cascade="all, delete-orphan",
        order_by="EventPartner.id",
    )
    groups = relationship(
        "ParticipantGroup",
        back_populates="event",
        cascade="all, delete-orphan",
        order_by="ParticipantGroup.id",
    )
    organizers = relationship("User", secondary=event_organizers, back_populates="organized_events")
    helpers = relationship("User", secondary=event_helpers)
    sessions = relationship(
        "EventSession",
        back_populates="event",
        cascade="all, delete-orphan",
        order_by="(EventSession.day, EventSession.start)",
    )
    breaks = relationship(
        "EventBreak",
        back_populates="event",
        cascade="all, delete-orphan",
        order_by="(EventBreak.day, EventBreak.start)",
    )
    slots = relationship(
        "Slot", back_populates="event", cascade="all, delete-orphan", order_by="Slot.starts_at"
    )
    tables = relationship(
        "Table", back_populates="event", cascade="all, delete-orphan", order_by="Table.number"
    )

    @property
    def status_label(self):
        return str(EVENT_STATUSES[self.status])  # in the language of the request

    @property
    def format_label(self):
        return EVENT_FORMATS[self.format]

    @property
    def online(self):
        """Wholly online: nobody comes to a hall."""
        return self.format == "online"

    @property
    def has_online(self):
        """Some meetings may be held online (an online or a hybrid event)."""
        return self.format != "in_person"

    @property
    def kind_label(self):
        return EVENT_KINDS[self.kind]

    @property
    def days(self):
        return sorted({session.day for session in self.sessions})

    def is_organized_by(self, user):
        return user.is_authenticated and (user.is_admin or user in self.organizers)

    def is_staffed_by(self, user):
        """Organizers, admins and the event's helpers: who works the venue on the day."""
        return self.is_organized_by(user) or (user.is_authenticated and user in self.helpers)

    def __repr__(self):
        return f"<Event {self.slug}>"


class EventSession(db.Model):
    """A Session of design.md: one time window of a meeting day (named so to stay clear of
    SQLAlchemy's own Session)."""

    __tablename__ = "event_sessions"
    __table_args__ = (sa.CheckConstraint('start < "end"', name="starts_before_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(sa.Date)
    start: Mapped[time] = mapped_column(sa.Time)
    end: Mapped[time] = mapped_column(sa.Time)
    title: Mapped[str] = mapped_column(sa.String(120), default="")

    event = relationship("Event", back_populates="sessions")


class EventBreak(db.Model):
    __tablename__ = "event_breaks"
    __table_args__ = (sa.CheckConstraint('start < "end"', name="starts_before_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(sa.Date)
    start: Mapped[time] = mapped_column(sa.Time)
    end: Mapped[time] = mapped_column(sa.Time)
    title: Mapped[str] = mapped_column(sa.String(120), default="Break")

    event = relationship("Event", back_populates="breaks")


class Slot(db.Model):
    """One meeting time, derived from the sessions, breaks, meeting length and gap.

    Stored (not recomputed) so availability and meetings can reference it by key.
    """

    __tablename__ = "slots"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "starts_at"),
        sa.UniqueConstraint("id", "event_id"),  # target of composite keys from meetings
        sa.CheckConstraint("starts_at < ends_at", name="starts_before_end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(sa.DateTime)  # event-local wall time
    ends_at: Mapped[datetime] = mapped_column(sa.DateTime)

    event = relationship("Event", back_populates="slots")

    @property
    def day(self):
        return self.starts_at.date()

    @property
    def label(self):
        return slot_span(self.starts_at, self.ends_at)


class Table(db.Model):
    """A meeting table or named location."""

    __tablename__ = "tables"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "number"),
        sa.UniqueConstraint("id", "event_id"),
        sa.CheckConstraint("number > 0", name="number_positive"),
        sa.CheckConstraint("seats >= 2", name="seats_at_least_two"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(sa.Integer)
    name: Mapped[str] = mapped_column(sa.String(80), default="")
    # How many people sit at it: a pair's table seats 2 to 4; group meetings (issue 25) need
    # a table with a seat for every member.
    seats: Mapped[int] = mapped_column(sa.Integer, default=4, server_default="4")

    event = relationship("Event", back_populates="tables")

    @property
    def label(self):
        return self.name or gettext("Table %(number)s", number=self.number)
