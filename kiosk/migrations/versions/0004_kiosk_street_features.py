"""kiosk street features: staff PIN lock-outs

Revision ID: 0004
Revises: 0003

Failed kiosk staff PIN attempts and the lock-out they earn, kept in the database so a reload or a
restart does not reset them.
"""
from alembic import op
import sqlalchemy as sa

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pin_locks',
    sa.Column('scope', sa.String(length=32), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('last_failure_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('scope', name=op.f('pk_pin_locks'))
    )


def downgrade():
    op.drop_table('pin_locks')
