"""Group meetings (issue 25): three to eight participants around one table, for instance a
consortium team that its lead invites from the consortium builder.

A GroupMeeting is the request (who, why, and each member's answer); once the optimiser places
it, its Meeting row (Meeting.group_meeting_id) carries the slot and the table, and its attendee
rows (one per member) keep anyone from being in two meetings at once, as for pairs.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models.base import one_of, utcnow

GROUP_MEETING_MIN = 3
GROUP_MEETING_MAX = 8

GROUP_MEETING_ORIGINS = {
    "consortium": "Consortium builder",
    "organizer": "Added by the organizer",
}
GROUP_MEETING_STATUSES = {
    "proposed": "Waiting for answers",
    "confirmed": "To be placed in the agenda",
    "cancelled": "Cancelled",
}
GROUP_MEMBER_STATUSES = {
    "invited": "Invited",
    "accepted": "Accepted",
    "declined": "Declined",
}


class GroupMeeting(db.Model):
    __tablename__ = "group_meetings"
    __table_args__ = (
        sa.UniqueConstraint("id", "event_id"),
        one_of("origin", GROUP_MEETING_ORIGINS),
        one_of("status", GROUP_MEETING_STATUSES),
        sa.ForeignKeyConstraint(
            ["lead_participant_id", "event_id"],
            ["participants.id", "participants.event_id"],
            ondelete="CASCADE",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    purpose: Mapped[str] = mapped_column(sa.Text, default="")
    origin: Mapped[str] = mapped_column(sa.String(20), default="organizer")
    status: Mapped[str] = mapped_column(sa.String(20), default="proposed")
    # The participant who leads (a consortium's coordinator); None when an organizer set it up.
    lead_participant_id: Mapped[int | None] = mapped_column(sa.Integer)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow)
    # The consortium builder's idea and chosen team as the lead saw them (plain data), so the
    # members see which role each one covers and why.
    consortium: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    event = relationship("Event")
    lead = relationship("Participant", foreign_keys=[lead_participant_id], viewonly=True)
    members = relationship(
        "GroupMeetingMember",
        back_populates="group_meeting",
        cascade="all, delete-orphan",
        order_by="GroupMeetingMember.position",
    )

    @property
    def status_label(self):
        return GROUP_MEETING_STATUSES[self.status]


class GroupMeetingMember(db.Model):
    __tablename__ = "group_meeting_members"
    __table_args__ = (
        one_of("status", GROUP_MEMBER_STATUSES),
        sa.ForeignKeyConstraint(
            ["group_meeting_id", "event_id"],
            ["group_meetings.id", "group_meetings.event_id"],
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id", "event_id"],
            ["participants.id", "participants.event_id"],
            ondelete="CASCADE",
        ),
    )

    group_meeting_id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, index=True)
    event_id: Mapped[int] = mapped_column(sa.Integer)
    position: Mapped[int] = mapped_column(sa.Integer, default=0)
    # The role or work package the member covers, in the lead's words.
    role: Mapped[str] = mapped_column(sa.String(200), default="")
    status: Mapped[str] = mapped_column(sa.String(20), default="invited")
    responded_at: Mapped[datetime | None] = mapped_column(sa.DateTime)

    group_meeting = relationship("GroupMeeting", back_populates="members")
    participant = relationship("Participant", foreign_keys=[participant_id], viewonly=True)

    @property
    def status_label(self):
        return GROUP_MEMBER_STATUSES[self.status]
