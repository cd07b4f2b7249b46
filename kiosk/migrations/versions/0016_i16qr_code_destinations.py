"""code destinations: each tracking code's history of where it sends residents

Revision ID: 0015_i16qr
Revises: 0015_i16_accounts

One row per re-point or retirement of a code: from, to, when and who (a user id and email for
staff in the browser, "cli" for the command line).
"""
from alembic import op
import sqlalchemy as sa

revision = '0015_i16qr'
down_revision = '0015_i16_accounts'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'code_destinations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=16), nullable=False),
        sa.Column('from_target', sa.String(length=63), nullable=False),
        sa.Column('to_target', sa.String(length=63), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('by', sa.String(length=320), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_code_destinations')),
    )
    with op.batch_alter_table('code_destinations', schema=None) as batch_op:
        batch_op.create_index('ix_code_destinations_code', ['code'], unique=False)


def downgrade():
    with op.batch_alter_table('code_destinations', schema=None) as batch_op:
        batch_op.drop_index('ix_code_destinations_code')
    op.drop_table('code_destinations')
