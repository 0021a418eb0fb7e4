"""Mood check-ins: a 0-10 rating, emotion tags and an encrypted note.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mood_checkins",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("tags", sa.Text(), nullable=False),
        sa.Column("note_ct", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["accounts.id"],
            name=op.f("fk_mood_checkins_member_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mood_checkins")),
    )
    op.create_index("ix_mood_checkins_member_created", "mood_checkins", ["member_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_mood_checkins_member_created", table_name="mood_checkins")
    op.drop_table("mood_checkins")
