"""online and hybrid events (issue 24): an event's format instead of its online flag, how each
participant takes part, online meetings with their video room, and a user's time zone

Revision ID: 09c20a00e12f
Revises: 7e21a4ae9994
Create Date: 2026-12-06 15:53:43.281767

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '09c20a00e12f'
down_revision = '7e21a4ae9994'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('format', sa.String(length=20), server_default='in_person', nullable=False))
        batch_op.add_column(sa.Column('video_template', sa.String(length=300), server_default='', nullable=False))
        batch_op.create_check_constraint('format_valid', "format IN ('in_person', 'online', 'hybrid')")
    # The online flag becomes the format: an online event stays online.
    op.execute(sa.text("UPDATE events SET format = 'online' WHERE online"))
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('online')

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('online', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('video_room', sa.String(length=64), server_default='', nullable=False))

    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attendance', sa.String(length=20), server_default='in_person', nullable=False))
        batch_op.add_column(sa.Column('joins_online', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.create_check_constraint('attendance_valid', "attendance IN ('in_person', 'online')")
    # Participants of an online event take part online; their meetings are online meetings,
    # each with a room of its own.
    op.execute(sa.text(
        "UPDATE participants SET attendance = 'online' "
        "WHERE event_id IN (SELECT id FROM events WHERE format = 'online')"
    ))
    op.execute(sa.text(
        "UPDATE meetings SET online = :yes, table_id = NULL "
        "WHERE event_id IN (SELECT id FROM events WHERE format = 'online')"
    ).bindparams(yes=True))
    connection = op.get_bind()
    meetings = sa.table('meetings', sa.column('id', sa.Integer), sa.column('video_room', sa.String))
    ids = connection.execute(sa.select(meetings.c.id).where(meetings.c.video_room == '')).scalars().all()
    for meeting_id in ids:
        connection.execute(
            meetings.update().where(meetings.c.id == meeting_id).values(video_room=secrets.token_urlsafe(16))
        )

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('timezone', sa.String(length=64), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('timezone')

    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_constraint('attendance_valid', type_='check')
        batch_op.drop_column('joins_online')
        batch_op.drop_column('attendance')

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('video_room')
        batch_op.drop_column('online')

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('online', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute(sa.text("UPDATE events SET online = :yes WHERE format = 'online'").bindparams(yes=True))
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint('format_valid', type_='check')
        batch_op.drop_column('video_template')
        batch_op.drop_column('format')
