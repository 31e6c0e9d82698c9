"""Match (a scored pair of participants with its explanation) and Interest (a mark on it)."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models.base import one_of, utcnow

INTEREST_VALUES = {"interested": "Interested", "not_interested": "Not interested"}


class Match(db.Model):
    """An unordered pair, stored once with the lower participant id first."""

    __tablename__ = "matches"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "participant_a_id", "participant_b_id"),
        sa.CheckConstraint("participant_a_id < participant_b_id", name="pair_ordered"),
        sa.CheckConstraint("score >= 0 AND score <= 1", name="score_in_unit_range"),
        sa.ForeignKeyConstraint(
            ["participant_a_id", "event_id"],
            ["participants.id", "participants.event_id"],
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_b_id", "event_id"],
            ["participants.id", "participants.event_id"],
            ondelete="CASCADE",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    participant_a_id: Mapped[int] = mapped_column(sa.Integer, index=True)
    participant_b_id: Mapped[int] = mapped_column(sa.Integer, index=True)
    score: Mapped[float] = mapped_column(sa.Float)
    explanation: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    computed_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow)

    participant_a = relationship("Participant", foreign_keys=[participant_a_id], viewonly=True)
    participant_b = relationship("Participant", foreign_keys=[participant_b_id], viewonly=True)


class Interest(db.Model):
    """One participant's mark on another: interested, or not interested (hides the match)."""

    __tablename__ = "interests"
    __table_args__ = (
        sa.UniqueConstraint("participant_id", "target_id"),
        sa.CheckConstraint("participant_id <> target_id", name="not_self"),
        one_of("value", INTEREST_VALUES),
        sa.ForeignKeyConstraint(
            ["participant_id", "event_id"],
            ["participants.id", "participants.event_id"],
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_id", "event_id"],
            ["participants.id", "participants.event_id"],
            ondelete="CASCADE",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(sa.Integer)
    target_id: Mapped[int] = mapped_column(sa.Integer, index=True)
    value: Mapped[str] = mapped_column(sa.String(20))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow)


class MatchModel(db.Model):
    """The event's fitted matching state (vocabulary, weights, vectors), written by the
    organizer's full run, so one registration's matches are scored at once against it (live
    matching) in any web process. `payload` is the pure core's own serialised form."""

    __tablename__ = "match_models"

    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    fitted_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow)
    participant_count: Mapped[int] = mapped_column(sa.Integer, default=0)
    payload: Mapped[bytes] = mapped_column(sa.LargeBinary)
