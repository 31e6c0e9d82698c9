"""jobs on a queue: heartbeat, attempts, one active job per event and kind

Revision ID: bdc53a59ff69
Revises: 920dc5d039c7
Create Date: 2026-12-06 09:02:38.945934

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'bdc53a59ff69'
down_revision = '920dc5d039c7'
branch_labels = None
depends_on = None


def upgrade():
    # Jobs left "queued" or "running" by the former thread runner, all but the newest of each
    # event and kind, are closed first: the unique index allows one.
    op.execute(
        "UPDATE jobs SET status = 'failed', message = 'Stopped by an upgrade of the site; "
        "start it again.' WHERE status IN ('queued', 'running') AND id NOT IN "
        "(SELECT max(id) FROM jobs WHERE status IN ('queued', 'running') GROUP BY event_id, kind)"
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('task', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('options', sa.JSON(), server_default='{}', nullable=False))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(), nullable=True))
        batch_op.create_index('uq_jobs_one_active_per_event_kind', ['event_id', 'kind'], unique=True, sqlite_where=sa.text("status IN ('queued', 'running')"), postgresql_where=sa.text("status IN ('queued', 'running')"))


def downgrade():
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index('uq_jobs_one_active_per_event_kind', sqlite_where=sa.text("status IN ('queued', 'running')"), postgresql_where=sa.text("status IN ('queued', 'running')"))
        batch_op.drop_column('heartbeat_at')
        batch_op.drop_column('attempts')
        batch_op.drop_column('options')
        batch_op.drop_column('task')
