"""Imported wearable readings (steps, sleep sessions, resting heart rate, HRV...).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Device readings, not words a person wrote: stored in the clear, like questionnaire
    # totals.
    op.create_table(
        "wearable_observations",
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("metric", sa.String(length=32), nullable=False),
        sa.Column("start_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("utc_offset_min", sa.SmallInteger(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("device", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["accounts.id"],
            name=op.f("fk_wearable_observations_member_id_accounts"),
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        "uq_wearable_observations_identity",
        "wearable_observations",
        ["member_id", "metric", "start_at", "end_at", "source", "device"],
        unique=True,
    )
    op.create_index(
        "ix_wearable_observations_member_start",
        "wearable_observations",
        ["member_id", "start_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_wearable_observations_member_start", table_name="wearable_observations")
    op.drop_index("uq_wearable_observations_identity", table_name="wearable_observations")
    op.drop_table("wearable_observations")
