"""events: a Welsh place

Revision ID: 0011_i13b
Revises: 0007_i11b

An event's place in Welsh (its name and description were already bilingual JSON).
"""
from alembic import op
import sqlalchemy as sa

revision = '0011_i13b'
down_revision = '0007_i11b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('place_cy', sa.String(length=300), nullable=True))


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('place_cy')
