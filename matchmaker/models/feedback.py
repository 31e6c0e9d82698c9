"""Feedback: one side's account of a meeting and its outcome."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models.base import one_of, utcnow

OUTCOMES = {
    "no_further_contact": _l("No further contact"),
    "follow_up_planned": _l("Follow-up planned"),
    "offer_sent": _l("Offer sent"),
    "agreement_expected": _l("Cooperation agreement expected"),
    "agreement_signed": _l("Agreement signed"),
}


FEEDBACK_ROUND_KINDS = {
    "after_event": "After the event",
    "follow_up": "Follow-up",
}


class FeedbackRound(db.Model):
    """One call for feedback sent to an event's participants: the first right after the event,
    follow-ups months later. Each round collects its own answers, so outcomes can be tracked."""

    __tablename__ = "feedback_rounds"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "number"),
        one_of("kind", FEEDBACK_ROUND_KINDS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(sa.Integer)
    kind: Mapped[str] = mapped_column(sa.String(20), default="after_event")
    started_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow)
    started_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    reminded_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    reminders_sent: Mapped[int] = mapped_column(sa.Integer, default=0)

    event = relationship("Event")


class Feedback(db.Model):
    __tablename__ = "feedback"
    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "participant_id", "round"),
        sa.CheckConstraint(
            "usefulness IS NULL OR (usefulness >= 1 AND usefulness <= 5)", name="usefulness_range"
        ),
        sa.CheckConstraint(
            "outcome IS NULL OR outcome IN (" + ", ".join(f"'{value}'" for value in OUTCOMES) + ")",
            name="outcome_valid",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participants.id", ondelete="CASCADE")
    )
    # The feedback round this answer belongs to (FeedbackRound.number; 1 = after the event).
    round: Mapped[int] = mapped_column(sa.Integer, default=1, server_default="1")
    held: Mapped[bool] = mapped_column(sa.Boolean)
    usefulness: Mapped[int | None] = mapped_column(sa.Integer)
    outcome: Mapped[str | None] = mapped_column(sa.String(30))
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    # The participant allows the organizers to quote the comment, without a name, in reports
    # to funders; off unless they tick it.
    may_quote: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow)

    meeting = relationship("Meeting")


class FunderReport(db.Model):
    """What the organizers write for the event's funder report: who organized it (the
    network, not a person), the funder, programme and project, and a short narrative."""

    __tablename__ = "funder_reports"

    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    organizer_name: Mapped[str] = mapped_column(sa.String(200), default="")
    funder: Mapped[str] = mapped_column(sa.String(200), default="")
    programme: Mapped[str] = mapped_column(sa.String(200), default="")
    project: Mapped[str] = mapped_column(sa.String(200), default="")
    narrative: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow, onupdate=utcnow)
