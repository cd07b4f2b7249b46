"""seconds index: an index on the seconds a response took, so an outlier cut is an index range

Revision ID: 0025_i15sx
Revises: 0022_i15q

The expression is the one kiosk.reports.flags.seconds() compares, and it differs by database, so
no model declares it. A later batch migration of ``responses`` on SQLite copies the table without
it (SQLAlchemy cannot reflect an expression index): such a migration must create it again.
"""
from alembic import op

revision = '0025_i15sx'
down_revision = '0022_i15q'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('CREATE INDEX ix_responses_seconds ON responses '
                   '(consultation_slug, (EXTRACT(EPOCH FROM submitted_at - started_at)))')
    else:
        op.execute('CREATE INDEX ix_responses_seconds ON responses '
                   '(consultation_slug, ((julianday(submitted_at) - julianday(started_at)) * 86400.0))')


def downgrade():
    op.drop_index('ix_responses_seconds', table_name='responses')
