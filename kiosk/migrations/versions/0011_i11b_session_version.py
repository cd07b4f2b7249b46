"""session version per user

Revision ID: 0007_i11b
Revises: 0007_i11a

A counter bumped by sign-out, a password change or disabling the account: every session cookie
carries the version it was signed in under, and one with an older version no longer signs anyone in.
"""
from alembic import op
import sqlalchemy as sa

revision = '0007_i11b'
down_revision = '0007_i11a'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), nullable=False,
                                      server_default='0'))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')
