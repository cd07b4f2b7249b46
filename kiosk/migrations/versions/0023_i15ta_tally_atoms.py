"""tally atoms: the counted answer tokens behind each consultation's tallies

Revision ID: 0023_i15ta
Revises: 0021_i15ft

A consultation's staff page sums these counts instead of re-reading every answer; responses newer
than tally_marks.last_id are counted live. Both fill in on first use, so no data step is needed.
Bursts a response is part of are kept in response_flags; indexes on (consultation, kiosk or code,
time) find a burst's neighbours (the index on seconds to complete is 0025_i15sx's).
"""
from alembic import op
import sqlalchemy as sa

revision = '0023_i15ta'
down_revision = '0021_i15ft'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'tally_atoms',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('consultation_slug', sa.String(length=63), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.String(length=80), nullable=False),
        sa.Column('atom', sa.Text(), nullable=False),
        sa.Column('n', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_tally_atoms')),
        sa.UniqueConstraint('consultation_slug', 'version', 'question_id', 'atom',
                            name=op.f('uq_tally_atoms_consultation_slug')),
    )
    op.create_table(
        'tally_marks',
        sa.Column('consultation_slug', sa.String(length=80), nullable=False),
        sa.Column('last_id', sa.BigInteger(), nullable=False),
        sa.Column('folded_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('consultation_slug', name=op.f('pk_tally_marks')),
    )


    op.create_table(
        'response_flags',
        sa.Column('response_id', sa.Integer(), nullable=False),
        sa.Column('flag', sa.String(length=16), nullable=False),
        sa.Column('consultation_slug', sa.String(length=63), nullable=False),
        sa.PrimaryKeyConstraint('response_id', 'flag', name=op.f('pk_response_flags')),
    )
    op.create_index('ix_response_flags_consultation', 'response_flags', ['consultation_slug', 'response_id'])
    op.create_index('ix_responses_device_time', 'responses', ['consultation_slug', 'device_id', 'submitted_at'])
    op.create_index('ix_responses_code_time', 'responses', ['consultation_slug', 'tracking_code', 'submitted_at'])


def downgrade():
    op.drop_index('ix_responses_code_time', table_name='responses')
    op.drop_index('ix_responses_device_time', table_name='responses')
    op.drop_index('ix_response_flags_consultation', table_name='response_flags')
    op.drop_table('response_flags')
    op.drop_table('tally_marks')
    op.drop_table('tally_atoms')
