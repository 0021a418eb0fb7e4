"""Check-in reminders on a schedule the member chooses.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A setting the member chose (days, hour, time zone), not words they wrote: in the clear.
    op.create_table(
        "checkin_reminders",
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("weekdays", sa.String(length=20), nullable=False),
        sa.Column("hour", sa.SmallInteger(), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["accounts.id"],
            name=op.f("fk_checkin_reminders_member_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_checkin_reminders")),
    )


def downgrade() -> None:
    op.drop_table("checkin_reminders")
