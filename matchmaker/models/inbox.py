"""The participants' inbox: messages between two participants of an event, and notices of
things that changed for a person (a booking, a declined suggestion, a cancelled meeting)."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models.base import utcnow


class Message(db.Model):
    """One message in the thread of a pair of participants of an event. The thread is the
    pair's, so it spans their request and their meeting (and a republished agenda)."""

    __tablename__ = "messages"
    __table_args__ = (
        sa.CheckConstraint("sender_id <> receiver_id", name="not_self"),
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
        sa.Index("ix_messages_receiver_id_read_at", "receiver_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    sender_id: Mapped[int] = mapped_column(sa.Integer, index=True)
    receiver_id: Mapped[int] = mapped_column(sa.Integer)
    body: Mapped[str] = mapped_column(sa.String(2000))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(sa.DateTime)

    sender = relationship("Participant", foreign_keys=[sender_id], viewonly=True)
    receiver = relationship("Participant", foreign_keys=[receiver_id], viewonly=True)


class Notice(db.Model):
    """Something that changed for a person, shown in the inbox until read: a sentence and the
    page where it is."""

    __tablename__ = "notices"
    __table_args__ = (sa.Index("ix_notices_user_id_read_at", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(30))
    text: Mapped[str] = mapped_column(sa.String(500))
    link: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
