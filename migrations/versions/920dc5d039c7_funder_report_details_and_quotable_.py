"""funder report details and quotable feedback comments

The organizers fill in who organized the event, the funder, programme, project and a short
narrative for the funder report; a participant may allow their feedback comment to be quoted.

Revision ID: 920dc5d039c7
Revises: 3f2c9a1d7e40
Create Date: 2026-12-06 09:09:28.783476

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '920dc5d039c7'
down_revision = '3f2c9a1d7e40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('funder_reports',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('organizer_name', sa.String(length=200), nullable=False),
    sa.Column('funder', sa.String(length=200), nullable=False),
    sa.Column('programme', sa.String(length=200), nullable=False),
    sa.Column('project', sa.String(length=200), nullable=False),
    sa.Column('narrative', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_funder_reports_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_funder_reports'))
    )
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.add_column(sa.Column('may_quote', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade():
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_column('may_quote')

    op.drop_table('funder_reports')
