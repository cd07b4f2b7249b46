"""hub scans and reports

Revision ID: 0005
Revises: 0004

Scans of placements' QR codes and first openings of consultation pages (issue 7). No IP addresses.
"""
from alembic import op
import sqlalchemy as sa

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('scans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('stage', sa.String(length=5), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=True),
    sa.Column('consultation_slug', sa.String(length=63), nullable=False),
    sa.Column('device', sa.String(length=7), nullable=False),
    sa.Column('first', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scans'))
    )
    with op.batch_alter_table('scans', schema=None) as batch_op:
        batch_op.create_index('ix_scans_code', ['code'], unique=False)
        batch_op.create_index('ix_scans_consultation_at', ['consultation_slug', 'at'], unique=False)


def downgrade():
    with op.batch_alter_table('scans', schema=None) as batch_op:
        batch_op.drop_index('ix_scans_consultation_at')
        batch_op.drop_index('ix_scans_code')
    op.drop_table('scans')
