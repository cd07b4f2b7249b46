"""scan keys

Revision ID: 0007_i18
Revises: 0006

Each scan row carries a unique key made when the scan was counted, so a batch written again after
its COMMIT's answer was lost stores each scan once (issue 18).
"""
from alembic import op
import sqlalchemy as sa

revision = '0007_i18'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('scans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key', sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_scans_key'), ['key'])


def downgrade():
    with op.batch_alter_table('scans', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_scans_key'), type_='unique')
        batch_op.drop_column('key')
