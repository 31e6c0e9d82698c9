"""matching options and last run of an event

Revision ID: 2f69d2039277
Revises: 72734b4df111
Create Date: 2026-11-24 23:05:51.022631

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2f69d2039277'
down_revision = '72734b4df111'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('cross_border_bonus', sa.Float(), nullable=False, server_default='0')
        )
        batch_op.add_column(
            sa.Column('excluded_type_pairs', sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.add_column(sa.Column('matched_at', sa.DateTime(), nullable=True))
        batch_op.create_check_constraint(
            'cross_border_bonus_not_negative', 'cross_border_bonus >= 0'
        )


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint('cross_border_bonus_not_negative', type_='check')
        batch_op.drop_column('matched_at')
        batch_op.drop_column('excluded_type_pairs')
        batch_op.drop_column('cross_border_bonus')
