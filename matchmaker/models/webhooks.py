"""Webhook: an organizer's address that hears about an event's changes (issue 24), with the
deliveries written for it (an outbox, services/webhooks.py) and each attempt to send one."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models.base import one_of, utcnow

# What a webhook may subscribe to: type -> what it means, for the organizer's form.
WEBHOOK_EVENT_TYPES = {
    "registration.created": "A registration is created",
    "registration.approved": "A registration is approved",
    "request.accepted": "A meeting request is accepted",
    "schedule.published": "The agenda is published",
    "meeting.status_changed": "A meeting's status changes on the day",
}
# The "Send a test event" button's type: never subscribed to, sent to one webhook on demand.
TEST_EVENT_TYPE = "webhook.test"
DELIVERY_STATUSES = {"pending": "Waiting", "delivered": "Delivered", "failed": "Given up"}


class Webhook(db.Model):
    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(sa.String(2000))
    # The types it wants (keys of WEBHOOK_EVENT_TYPES), in that order.
    event_types: Mapped[list] = mapped_column(sa.JSON, default=list)
    # The signing key, kept to sign each delivery; shown to the organizer once.
    secret: Mapped[str] = mapped_column(sa.String(100))
    # After a rotation the old key still signs (a second v1) until this moment, so a receiver
    # can switch keys without losing deliveries.
    previous_secret: Mapped[str] = mapped_column(sa.String(100), default="", server_default="")
    previous_secret_until: Mapped[datetime | None] = mapped_column(sa.DateTime)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow)
    secret_set_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow)

    event = relationship("Event")
    deliveries = relationship(
        "WebhookDelivery",
        back_populates="webhook",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="WebhookDelivery.id.desc()",
    )

    def wants(self, event_type):
        return event_type in (self.event_types or ())


class WebhookDelivery(db.Model):
    """One event occurrence for one webhook: the JSON body is fixed when the action commits,
    so every attempt sends the same bytes (signed afresh with the time of the attempt)."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        one_of("status", DELIVERY_STATUSES),
        sa.Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(
        sa.ForeignKey("webhooks.id", ondelete="CASCADE"), index=True
    )
    # The Matchmaker-Delivery header: a public id, not the row's.
    uid: Mapped[str] = mapped_column(sa.String(40), unique=True)
    type: Mapped[str] = mapped_column(sa.String(40))
    body: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(20), default="pending")
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    last_status_code: Mapped[int | None] = mapped_column(sa.Integer)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(sa.DateTime)

    webhook = relationship("Webhook", back_populates="deliveries")
    tries = relationship(
        "WebhookAttempt",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="WebhookAttempt.number",
    )


class WebhookAttempt(db.Model):
    """One try at sending a delivery: the answer's status code (None when there was none)
    and the start of its body, or why nothing came back."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        sa.ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(sa.Integer)
    at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow)
    status_code: Mapped[int | None] = mapped_column(sa.Integer)
    excerpt: Mapped[str] = mapped_column(sa.String(500), default="")
    error: Mapped[str] = mapped_column(sa.String(500), default="")
    milliseconds: Mapped[int] = mapped_column(sa.Integer, default=0)
