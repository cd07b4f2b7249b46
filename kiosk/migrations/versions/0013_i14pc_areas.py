"""areas and the postcode lookup table

Revision ID: 0013_i14pc
Revises: 0011_i13b

Areas (code, bilingual name) and the keys that map to them: districts, sectors, and full
postcodes as a digest (no postcode is ever stored as text). Filled by the hub's CSV upload, and on
kiosks by sync pull.
"""
from alembic import op
import sqlalchemy as sa

revision = '0013_i14pc'
down_revision = '0011_i13b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'areas',
        sa.Column('code', sa.String(length=32), nullable=False),
        sa.Column('name', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('code', name=op.f('pk_areas')),
    )
    op.create_table(
        'area_keys',
        sa.Column('key', sa.String(length=32), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('area_code', sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(['area_code'], ['areas.code'],
                                name=op.f('fk_area_keys_area_code_areas')),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_area_keys')),
    )


def downgrade():
    op.drop_table('area_keys')
    op.drop_table('areas')
