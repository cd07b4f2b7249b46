"""device heartbeat: the latest a kiosk reported, and when

Revision ID: 0015_i16hb
Revises: 0015_i16qr

Each pull and push from a kiosk carries a heartbeat (queue depth, oldest queued response, last
sync error, app version, free disk, battery); the hub keeps the latest one per device.
"""
from alembic import op
import sqlalchemy as sa

revision = '0015_i16hb'
down_revision = '0015_i16qr'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('devices') as batch:
        batch.add_column(sa.Column('heartbeat', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('heartbeat_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('devices') as batch:
        batch.drop_column('heartbeat_at')
        batch.drop_column('heartbeat')
