"""draft boot clock

Revision ID: 0008_i18
Revises: 0008_i14

Drafts remember the machine's boot clock at their last touch, so they age by a clock that a
wall-clock change cannot move (issue 18).
"""
from alembic import op
import sqlalchemy as sa

revision = '0008_i18'
down_revision = '0008_i14'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('drafts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('touched_boot', sa.Float(), nullable=True))


def downgrade():
    with op.batch_alter_table('drafts', schema=None) as batch_op:
        batch_op.drop_column('touched_boot')
