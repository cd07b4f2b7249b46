"""synthetic rows, and staff review of responses

Revision ID: 0022_i15q
Revises: 0018_i16sa

Responses and scans made by ``voxbox demo --responses/--scans`` are marked synthetic, so a
consultation's figures can leave them out once it has real ones. A response also carries its staff
review: reviewed, or excluded from results with a reason (never deleted). Every report query now
asks both (kiosk.responses.counting), so the covering report indexes gain them.
"""
from alembic import op
import sqlalchemy as sa

revision = '0022_i15q'
down_revision = '0018_i16sa'
branch_labels = None
depends_on = None


REPORT = ['consultation_slug', 'submitted_at', 'channel', 'event_id', 'device_id', 'tracking_code',
          'started_at', 'uuid']
SCANS = ['consultation_slug', 'at', 'code', 'stage', 'device', 'first']


def upgrade():
    with op.batch_alter_table('responses') as batch:
        batch.add_column(sa.Column('synthetic', sa.Boolean(), server_default=sa.false(),
                                   nullable=False))
        batch.add_column(sa.Column('review', sa.String(length=10), nullable=True))
        batch.add_column(sa.Column('review_reason', sa.Text(), nullable=True))
        batch.add_column(sa.Column('reviewed_by', sa.String(length=254), nullable=True))
        batch.add_column(sa.Column('reviewed_at', sa.DateTime(), nullable=True))
        batch.create_index('ix_responses_synthetic', ['consultation_slug', 'synthetic'])
        batch.drop_index('ix_responses_report')
        batch.create_index('ix_responses_report', REPORT + ['synthetic', 'review'])
    with op.batch_alter_table('scans') as batch:
        batch.add_column(sa.Column('synthetic', sa.Boolean(), server_default=sa.false(),
                                   nullable=False))
        batch.drop_index('ix_scans_report')
        batch.create_index('ix_scans_report', SCANS + ['synthetic'])


def downgrade():
    with op.batch_alter_table('scans') as batch:
        batch.drop_index('ix_scans_report')
        batch.create_index('ix_scans_report', SCANS)
        batch.drop_column('synthetic')
    with op.batch_alter_table('responses') as batch:
        batch.drop_index('ix_responses_report')
        batch.create_index('ix_responses_report', REPORT)
        batch.drop_index('ix_responses_synthetic')
        for name in ('reviewed_at', 'reviewed_by', 'review_reason', 'review', 'synthetic'):
            batch.drop_column(name)
