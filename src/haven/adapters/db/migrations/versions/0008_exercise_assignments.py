"""Exercises a clinician assigns to a member, with an encrypted note to the member.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exercise_assignments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("flow_id", sa.String(length=64), nullable=False),
        sa.Column("assigned_by", sa.Uuid(), nullable=True),
        sa.Column("note_ct", sa.LargeBinary(), nullable=True),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["accounts.id"],
            name=op.f("fk_exercise_assignments_member_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["assigned_by"],
            ["accounts.id"],
            name=op.f("fk_exercise_assignments_assigned_by_accounts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exercise_assignments")),
    )
    op.create_index(
        "ix_exercise_assignments_member_assigned",
        "exercise_assignments",
        ["member_id", "assigned_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_exercise_assignments_member_assigned", table_name="exercise_assignments")
    op.drop_table("exercise_assignments")
