"""staff accounts in the browser: one-time links, TOTP secret

Revision ID: 0015_i16_accounts
Revises: 0014_i16_audit
"""
from alembic import op
import sqlalchemy as sa

revision = '0015_i16_accounts'
down_revision = '0014_i16_audit'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'account_tokens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('purpose', sa.String(length=10), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('used_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_account_tokens_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_account_tokens')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_account_tokens_token_hash')),
    )
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('totp_secret')
    op.drop_table('account_tokens')
