"""Job: a long task (matching, scheduling) run outside the request, with its progress."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.extensions import db
from matchmaker.models.base import one_of, utcnow

JOB_STATUSES = {"queued": "Queued", "running": "Running", "done": "Done", "failed": "Failed"}


class Job(db.Model):
    __tablename__ = "jobs"
    __table_args__ = (
        one_of("status", JOB_STATUSES),
        sa.CheckConstraint("progress >= 0 AND progress <= 1", name="progress_in_unit_range"),
        # One queued or running job per event and kind: a second start, from any web host,
        # is refused by the database (services/jobs.py turns the violation into a message).
        sa.Index(
            "uq_jobs_one_active_per_event_kind",
            "event_id",
            "kind",
            unique=True,
            sqlite_where=sa.text("status IN ('queued', 'running')"),
            postgresql_where=sa.text("status IN ('queued', 'running')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(30))
    status: Mapped[str] = mapped_column(sa.String(20), default="queued")
    progress: Mapped[float] = mapped_column(sa.Float, default=0.0)
    stage: Mapped[str] = mapped_column(sa.String(120), default="")
    message: Mapped[str] = mapped_column(sa.String(1000), default="")
    result: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    # What a worker runs ("module:function") and its keyword options, so that a job whose
    # worker died can be queued again; empty for a task run in a thread of the web process.
    task: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    options: Mapped[dict] = mapped_column(sa.JSON, default=dict, server_default="{}")
    # Times the job was started; the runner writes heartbeat_at every few seconds, and a
    # running job without one for JOB_STALE_SECONDS is taken back (services/jobs.reclaim).
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
    heartbeat_at: Mapped[datetime | None] = mapped_column(sa.DateTime)

    @property
    def finished(self):
        return self.status in ("done", "failed")
