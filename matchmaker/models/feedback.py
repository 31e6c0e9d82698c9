"""Feedback: one side's account of a meeting and its outcome."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models.base import utcnow

OUTCOMES = {
    "no_further_contact": "No further contact",
    "follow_up_planned": "Follow-up planned",
    "offer_sent": "Offer sent",
    "agreement_expected": "Cooperation agreement expected",
    "agreement_signed": "Agreement signed",
}


class Feedback(db.Model):
    __tablename__ = "feedback"
    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "participant_id"),
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
    held: Mapped[bool] = mapped_column(sa.Boolean)
    usefulness: Mapped[int | None] = mapped_column(sa.Integer)
    outcome: Mapped[str | None] = mapped_column(sa.String(30))
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow)

    meeting = relationship("Meeting")
