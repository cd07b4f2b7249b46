"""synthetic rows, and staff review of responses

Revision ID: 0022_i15q
Revises: 0015_i16hb

Responses and scans made by ``voxbox demo --responses/--scans`` are marked synthetic, so a
consultation's figures can leave them out once it has real ones. A response also carries its staff
review: reviewed, or excluded from results with a reason (never deleted).
"""
from alembic import op
import sqlalchemy as sa

revision = '0022_i15q'
down_revision = '0015_i16hb'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('responses') as batch:
        batch.add_column(sa.Column('synthetic', sa.Boolean(), server_default=sa.false(),
                                   nullable=False))
        batch.add_column(sa.Column('review', sa.String(length=10), nullable=True))
        batch.add_column(sa.Column('review_reason', sa.Text(), nullable=True))
        batch.add_column(sa.Column('reviewed_by', sa.String(length=254), nullable=True))
        batch.add_column(sa.Column('reviewed_at', sa.DateTime(), nullable=True))
        batch.create_index('ix_responses_synthetic', ['consultation_slug', 'synthetic'])
    with op.batch_alter_table('scans') as batch:
        batch.add_column(sa.Column('synthetic', sa.Boolean(), server_default=sa.false(),
                                   nullable=False))


def downgrade():
    with op.batch_alter_table('scans') as batch:
        batch.drop_column('synthetic')
    with op.batch_alter_table('responses') as batch:
        batch.drop_index('ix_responses_synthetic')
        for name in ('reviewed_at', 'reviewed_by', 'review_reason', 'review', 'synthetic'):
            batch.drop_column(name)
