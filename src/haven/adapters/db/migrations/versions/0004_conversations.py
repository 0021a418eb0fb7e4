"""Conversations with the companion: encrypted messages and dialogue state; bandit state.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_message_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("state_ct", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["accounts.id"],
            name=op.f("fk_conversations_member_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversations")),
    )
    op.create_index("ix_conversations_member_started", "conversations", ["member_id", "started_at"])
    op.create_table(
        "conversation_messages",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("conversation_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=16), nullable=False),
        sa.Column("body_ct", sa.LargeBinary(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("risk_level", sa.String(length=16), nullable=True),
        sa.Column("signals", sa.String(length=400), nullable=False),
        sa.Column("emotion", sa.String(length=32), nullable=True),
        sa.Column("intent", sa.String(length=32), nullable=True),
        sa.Column("distortion", sa.String(length=40), nullable=True),
        sa.Column("flow_id", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_conversation_messages_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["accounts.id"],
            name=op.f("fk_conversation_messages_member_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_messages")),
        sa.UniqueConstraint("conversation_id", "seq", name="uq_conversation_messages_seq"),
    )
    op.create_index(
        "ix_conversation_messages_member_at", "conversation_messages", ["member_id", "at"]
    )
    op.create_table(
        "bandit_states",
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["accounts.id"],
            name=op.f("fk_bandit_states_member_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_bandit_states")),
    )


def downgrade() -> None:
    op.drop_table("bandit_states")
    op.drop_index("ix_conversation_messages_member_at", table_name="conversation_messages")
    op.drop_table("conversation_messages")
    op.drop_index("ix_conversations_member_started", table_name="conversations")
    op.drop_table("conversations")
