"""consultation id indexes: responses and scans by (consultation, id)

Revision ID: 0026_i15id
Revises: 0025_i15sx

Counting new rows after a mark (kiosk.reports.kept), the live tail, the newest free-text answers and
exports in id order all read one consultation's rows by id. Without these PostgreSQL gathers every
row of the consultation and sorts them; with them it reads only the rows it returns.
"""
from alembic import op

revision = '0026_i15id'
down_revision = '0025_i15sx'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_responses_consultation_id', 'responses', ['consultation_slug', 'id'])
    op.create_index('ix_scans_consultation_id', 'scans', ['consultation_slug', 'id'])


def downgrade():
    op.drop_index('ix_scans_consultation_id', table_name='scans')
    op.drop_index('ix_responses_consultation_id', table_name='responses')
