"""report indexes: covering indexes so report GROUP BYs read no answers

Revision ID: 0018_i15ix
Revises: 0015_i16hb

Reports count responses and scans with GROUP BY. These indexes hold every column those queries read,
so the database counts from the index alone and never reads the (large) answers.
"""
from alembic import op

revision = '0018_i15ix'
down_revision = '0015_i16hb'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_responses_report', 'responses',
                    ['consultation_slug', 'submitted_at', 'channel', 'event_id', 'device_id',
                     'tracking_code', 'started_at', 'uuid'])
    op.create_index('ix_scans_report', 'scans',
                    ['consultation_slug', 'at', 'code', 'stage', 'device', 'first'])


def downgrade():
    op.drop_index('ix_scans_report', table_name='scans')
    op.drop_index('ix_responses_report', table_name='responses')
