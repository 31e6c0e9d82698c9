"""Participant: an organisation's registration to one event, with its person."""

import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models.base import one_of, utcnow

PARTICIPANT_STATUSES = {
    "pending": _l("Waiting for approval"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
    "withdrawn": _l("Withdrawn"),
}

# Availability is stored as the slots a participant cannot attend: everyone is available
# everywhere by default, and the grid only records the exceptions.
unavailable_slots = sa.Table(
    "participant_unavailable_slots",
    db.metadata,
    sa.Column(
        "participant_id", sa.ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("slot_id", sa.ForeignKey("slots.id", ondelete="CASCADE"), primary_key=True),
)


# How a participant takes part in a hybrid event (issue 24).
ATTENDANCE_MODES = {
    "in_person": "In the hall",
    "online": "Online",
}


class Participant(db.Model):
    __tablename__ = "participants"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "user_id"),
        sa.UniqueConstraint("id", "event_id"),  # target of composite keys: same-event checks
        one_of("status", PARTICIPANT_STATUSES),
        sa.CheckConstraint("max_meetings IS NULL OR max_meetings >= 0", name="max_meetings_valid"),
        one_of("attendance", ATTENDANCE_MODES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(20), default="pending")
    looking_for: Mapped[str] = mapped_column(sa.String(200), default="")
    max_meetings: Mapped[int | None] = mapped_column(sa.Integer)
    registered_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow)
    checked_in_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    # Consent to suggested meetings: how many the optimiser may add (0 = none); None follows
    # the event's default.
    suggestion_limit: Mapped[int | None] = mapped_column(sa.Integer)
    # The network member through whose invitation link the participant registered (an
    # organizer may re-tag), and the side it belongs to (a mission's delegation or hosts).
    partner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("event_partners.id", ondelete="SET NULL"), index=True
    )
    group_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("participant_groups.id", ondelete="SET NULL"), index=True
    )
    # In a hybrid event: in the hall or online; and, in the hall, whether it can also join
    # online meetings from the venue (else it never meets an online participant). An online
    # event's participants are all online, an in-person event's all in the hall (`online`).
    attendance: Mapped[str] = mapped_column(
        sa.String(20), default="in_person", server_default="in_person"
    )
    joins_online: Mapped[bool] = mapped_column(sa.Boolean, default=True, server_default=sa.true())
    # The private address of the participant's calendar feed: random, replaced on request.
    calendar_token: Mapped[str] = mapped_column(
        sa.String(64), unique=True, default=lambda: secrets.token_urlsafe(24)
    )

    event = relationship("Event")
    user = relationship("User")
    organisation = relationship("Organisation")
    opportunities = relationship(
        "Opportunity",
        back_populates="participant",
        cascade="all, delete-orphan",
        order_by="Opportunity.id",
    )
    unavailable = relationship("Slot", secondary=unavailable_slots)
    partner = relationship("EventPartner")
    group = relationship("ParticipantGroup")

    @property
    def display_name(self):
        person = self.user.name if self.user else "Former participant"
        return f"{person} ({self.organisation.name})"

    @property
    def status_label(self):
        return str(PARTICIPANT_STATUSES[self.status])  # in the language of the request

    @property
    def online(self):
        """Whether it takes part online (by video): everyone in an online event, those who
        said so in a hybrid one."""
        fmt = self.event.format
        return fmt == "online" or (fmt == "hybrid" and self.attendance == "online")

    @property
    def hall_only(self):
        """In the hall of a hybrid event and unable to join online meetings."""
        return self.event.format == "hybrid" and not self.online and not self.joins_online
