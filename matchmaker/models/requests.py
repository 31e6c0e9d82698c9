"""MeetingRequest: one participant asks another for a meeting."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models.base import one_of, utcnow

REQUEST_STATUSES = {
    "pending": "Pending",
    "accepted": "Accepted",
    "declined": "Declined",
    "cancelled": "Cancelled",
    "expired": "Expired",
}


class MeetingRequest(db.Model):
    __tablename__ = "meeting_requests"
    __table_args__ = (
        sa.CheckConstraint("sender_id <> receiver_id", name="not_self"),
        one_of("status", REQUEST_STATUSES),
        sa.ForeignKeyConstraint(
            ["sender_id", "event_id"],
            ["participants.id", "participants.event_id"],
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["receiver_id", "event_id"],
            ["participants.id", "participants.event_id"],
            ondelete="CASCADE",
        ),
        # At most one open request between the same two people in the same direction.
        sa.Index(
            "uq_meeting_requests_pending_pair",
            "sender_id",
            "receiver_id",
            unique=True,
            sqlite_where=sa.text("status = 'pending'"),
            postgresql_where=sa.text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    sender_id: Mapped[int] = mapped_column(sa.Integer, index=True)
    receiver_id: Mapped[int] = mapped_column(sa.Integer, index=True)
    message: Mapped[str] = mapped_column(sa.String(1000), default="")
    status: Mapped[str] = mapped_column(sa.String(20), default="pending")
    decline_reason: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow)
    responded_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    expires_at: Mapped[datetime | None] = mapped_column(sa.DateTime)

    sender = relationship("Participant", foreign_keys=[sender_id], viewonly=True)
    receiver = relationship("Participant", foreign_keys=[receiver_id], viewonly=True)
    proposed_slots = relationship(
        "Slot", secondary="meeting_request_slots", order_by="Slot.starts_at"
    )

    @property
    def status_label(self):
        return REQUEST_STATUSES[self.status]


# The slots a request proposes (participants-book mode): the sender picks one or more where
# both are free; accepting books the meeting into one of them.
request_slots = sa.Table(
    "meeting_request_slots",
    db.metadata,
    sa.Column(
        "request_id", sa.ForeignKey("meeting_requests.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("slot_id", sa.ForeignKey("slots.id", ondelete="CASCADE"), primary_key=True),
)
