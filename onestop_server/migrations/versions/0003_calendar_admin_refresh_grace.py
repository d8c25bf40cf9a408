"""The lead's tables: the working calendar's confirmed years and audit, refresh-token successors
(the reuse grace window).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('calendar_audit',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('day', sa.Date(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('working', sa.Boolean(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('previous', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('calendar_years',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('confirmed', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('year')
    )
    op.create_table('refresh_successors',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('successor_hash', sa.String(length=64), nullable=False),
    sa.Column('sealed', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('token_hash')
    )
    with op.batch_alter_table('refresh_successors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refresh_successors_created_at'), ['created_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('refresh_successors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refresh_successors_created_at'))

    op.drop_table('refresh_successors')
    op.drop_table('calendar_years')
    op.drop_table('calendar_audit')
