"""Schedule (a versioned agenda), Meeting, and the attendee rows that stop double booking.

A meeting has one attendee row per participant, carrying the meeting's schedule and slot, so
the unique key (schedule, slot, participant) lets the database itself refuse to put anyone in
two meetings at once, whichever process writes.
"""

import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.matching.model import meets_online
from matchmaker.models.base import one_of, utcnow

SCHEDULE_STATUSES = {"draft": "Draft", "published": "Published", "superseded": "Superseded"}
MEETING_SOURCES = {
    "request": "Accepted request",
    "mutual_interest": "Mutual interest",
    "interest": "One-sided interest",
    "suggestion": "Suggested by the organizers",
    "manual": "Added by the organizer",
    "walk_in": "Walk-in",
}
MEETING_STATUSES = {
    "scheduled": _l("Scheduled"),
    "held": _l("Held"),
    "no_show_a": _l("No-show"),
    "no_show_b": _l("No-show"),
    "cancelled": _l("Cancelled"),
}


def _participant_key(column):
    return sa.ForeignKeyConstraint(
        [column, "event_id"], ["participants.id", "participants.event_id"], ondelete="CASCADE"
    )


class Schedule(db.Model):
    __tablename__ = "schedules"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "version"),
        sa.UniqueConstraint("id", "event_id"),
        one_of("status", SCHEDULE_STATUSES),
        sa.Index(
            "uq_schedules_one_published",
            "event_id",
            unique=True,
            sqlite_where=sa.text("status = 'published'"),
            postgresql_where=sa.text("status = 'published'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(sa.Integer)
    status: Mapped[str] = mapped_column(sa.String(20), default="draft")
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    options: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # Deferred: at 2,000 participants it holds megabytes of JSON that only the versions
    # page reads; agendas and day pages load the schedule row without it.
    figures: Mapped[dict] = mapped_column(sa.JSON, default=dict, deferred=True)

    event = relationship("Event")
    meetings = relationship("Meeting", back_populates="schedule", cascade="all, delete-orphan")


class Meeting(db.Model):
    __tablename__ = "meetings"
    __table_args__ = (
        sa.CheckConstraint("participant_a_id < participant_b_id", name="pair_ordered"),
        sa.UniqueConstraint("schedule_id", "participant_a_id", "participant_b_id"),
        sa.UniqueConstraint("schedule_id", "slot_id", "table_id"),
        sa.UniqueConstraint("id", "schedule_id", "slot_id"),  # target of the attendee rows
        one_of("source", MEETING_SOURCES),
        one_of("status", MEETING_STATUSES),
        sa.ForeignKeyConstraint(
            ["schedule_id", "event_id"],
            ["schedules.id", "schedules.event_id"],
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["slot_id", "event_id"], ["slots.id", "slots.event_id"], ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["table_id", "event_id"], ["tables.id", "tables.event_id"]),
        _participant_key("participant_a_id"),
        _participant_key("participant_b_id"),
        # A personal agenda looks a participant up on both sides: the unique key above serves
        # side a, this index side b (an OR of the two becomes a bitmap OR, not a scan).
        sa.Index("ix_meetings_schedule_id_participant_b_id", "schedule_id", "participant_b_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    schedule_id: Mapped[int] = mapped_column(sa.Integer, index=True)
    slot_id: Mapped[int] = mapped_column(sa.Integer)
    table_id: Mapped[int | None] = mapped_column(sa.Integer)
    participant_a_id: Mapped[int] = mapped_column(sa.Integer)
    participant_b_id: Mapped[int] = mapped_column(sa.Integer)
    source: Mapped[str] = mapped_column(sa.String(20), default="manual")
    status: Mapped[str] = mapped_column(sa.String(20), default="scheduled")
    locked: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    score: Mapped[float | None] = mapped_column(sa.Float)
    # A group meeting's placement (issue 25): participant_a and participant_b are its two
    # first members by id, the others have attendee rows of their own.
    group_meeting_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("group_meetings.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(sa.String(12), default="")
    # Held by video (issue 24): a meeting with an online participant; it has no table. Its
    # room name is random and unguessable, kept from version to version of the agenda
    # (services.video builds the link from the event's template).
    online: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    video_room: Mapped[str] = mapped_column(
        sa.String(64), default=lambda: secrets.token_urlsafe(16), server_default=""
    )
    # Who last changed the status on the day, and when (check-in desk, organizer, participant).
    status_changed_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    status_changed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    schedule = relationship("Schedule", back_populates="meetings")
    group_meeting = relationship("GroupMeeting", viewonly=True)
    slot = relationship("Slot", viewonly=True)
    table = relationship("Table", viewonly=True)
    participant_a = relationship("Participant", foreign_keys=[participant_a_id], viewonly=True)
    participant_b = relationship("Participant", foreign_keys=[participant_b_id], viewonly=True)
    attendees = relationship(
        "MeetingAttendee", back_populates="meeting", cascade="all, delete-orphan"
    )

    @classmethod
    def between(cls, schedule, slot, first, second, table=None, **fields):
        """A meeting of two participants in a slot, with its two attendee rows. It is online
        (no table) when either takes part online (matching.meets_online), unless `online`
        is given."""
        a, b = sorted((first, second), key=lambda p: p.id)
        if fields.get("online") is None:
            fields["online"] = meets_online(first.online, second.online)
        if fields["online"]:
            table = None
        if not fields.get("video_room"):
            fields.pop("video_room", None)  # a new room (the column's default)
        meeting = cls(
            schedule=schedule,
            event_id=schedule.event_id,
            slot_id=slot.id,
            table_id=table.id if table else None,
            participant_a_id=a.id,
            participant_b_id=b.id,
            **fields,
        )
        meeting.attendees = [
            MeetingAttendee(schedule_id=schedule.id, slot_id=slot.id, participant_id=p.id)
            for p in (a, b)
        ]
        return meeting


class MeetingAttendee(db.Model):
    __tablename__ = "meeting_attendees"
    __table_args__ = (
        sa.UniqueConstraint("schedule_id", "slot_id", "participant_id"),
        # Moving a meeting to another slot moves its attendee rows with it.
        sa.ForeignKeyConstraint(
            ["meeting_id", "schedule_id", "slot_id"],
            ["meetings.id", "meetings.schedule_id", "meetings.slot_id"],
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
    )

    meeting_id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    schedule_id: Mapped[int] = mapped_column(sa.Integer)
    slot_id: Mapped[int] = mapped_column(sa.Integer)

    meeting = relationship("Meeting", back_populates="attendees")
