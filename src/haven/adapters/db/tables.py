"""The relational schema. Free text lives only in ``*_ct`` columns, as AES-GCM ciphertext
bound to its table, column and row (see ``haven.adapters.crypto.fields``)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    Uuid,
)

__all__ = ["metadata"]


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite forgets the zone; we put it back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

accounts = Table(
    "accounts",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("display_name_ct", LargeBinary, nullable=False),
    Column("locale", String(8), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

data_keys = Table(
    "data_keys",
    metadata,
    Column("owner_id", Uuid, primary_key=True),
    Column("master_key_id", String(16), nullable=False, index=True),
    Column("wrapped_key", LargeBinary, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

care_team = Table(
    "care_team",
    metadata,
    Column("clinician_id", Uuid, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("member_id", Uuid, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("assigned_at", UTCDateTime, nullable=False),
    Index("ix_care_team_member_id", "member_id"),
)

consents = Table(
    "consents",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("account_id", Uuid, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("version", Integer, nullable=False),
    Column("granted_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime, nullable=True),
    Index("ix_consents_account_id", "account_id"),
)

credentials = Table(
    "credentials",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("account_id", Uuid, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_used_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime, nullable=True),
    Index("ix_credentials_account_id", "account_id"),
)

login_throttles = Table(
    "login_throttles",
    metadata,
    # A keyed hash of the login name: failed attempts for unknown addresses leave no
    # e-mail address behind in the database.
    Column("identifier", String(64), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("locked_until", UTCDateTime, nullable=True),
)

journal_entries = Table(
    "journal_entries",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("member_id", Uuid, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("body_ct", LargeBinary, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_journal_entries_member_created", "member_id", "created_at"),
)

mood_checkins = Table(
    "mood_checkins",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("member_id", Uuid, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("rating", Integer, nullable=False),
    Column("tags", Text, nullable=False),  # a JSON list of tag ids from the fixed vocabulary
    Column("note_ct", LargeBinary, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_mood_checkins_member_created", "member_id", "created_at"),
)

# Imported wearable readings. The values are device readings (steps, minutes asleep, bpm),
# not words a person wrote, so they are stored in the clear like questionnaire totals; the
# features and the detector read them across many members without any key.
wearable_observations = Table(
    "wearable_observations",
    metadata,
    Column("member_id", Uuid, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("metric", String(32), nullable=False),
    Column("start_at", UTCDateTime, nullable=False),
    Column("end_at", UTCDateTime, nullable=False),
    # The UTC offset the file gave, in minutes: the day a reading counts for is the member's
    # local day, which UTC alone cannot tell.
    Column("utc_offset_min", SmallInteger, nullable=False),
    Column("value", Float, nullable=False),
    Column("unit", String(16), nullable=False),
    Column("source", String(16), nullable=False),
    Column("device", String(200), nullable=False),
    # The reading's identity: re-importing the same file adds nothing twice.
    Index(
        "uq_wearable_observations_identity",
        "member_id",
        "metric",
        "start_at",
        "end_at",
        "source",
        "device",
        unique=True,
    ),
    Index("ix_wearable_observations_member_start", "member_id", "start_at"),
)

# When a member wants a check-in reminder: a setting they chose, not words they wrote, so in
# the clear. ``weekdays`` is "0,2,4" (0 = Monday); an empty string means off.
checkin_reminders = Table(
    "checkin_reminders",
    metadata,
    Column("member_id", Uuid, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("weekdays", String(20), nullable=False),
    Column("hour", SmallInteger, nullable=False),
    Column("zone", String(64), nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("last_sent_at", UTCDateTime, nullable=True),
)

clinician_notes = Table(
    "clinician_notes",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("member_id", Uuid, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("author_id", Uuid, ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True),
    Column("body_ct", LargeBinary, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_clinician_notes_member_created", "member_id", "created_at"),
)

# Exercises a clinician suggests to a member. The flow id names reviewed content and stays in
# the clear; the note to the member is a person's words, so it is encrypted.
exercise_assignments = Table(
    "exercise_assignments",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("member_id", Uuid, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("flow_id", String(64), nullable=False),
    Column("assigned_by", Uuid, ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True),
    Column("note_ct", LargeBinary, nullable=True),
    Column("assigned_at", UTCDateTime, nullable=False),
    Column("ended_at", UTCDateTime, nullable=True),
    Index("ix_exercise_assignments_member_assigned", "member_id", "assigned_at"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column(
        "seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False
    ),
    Column("at", UTCDateTime, nullable=False),
    Column("actor_id", Uuid, nullable=True),
    Column("actor_role", String(16), nullable=False),
    Column("action", String(64), nullable=False),
    Column("purpose", String(32), nullable=False),
    Column("subject_id", Uuid, nullable=True, index=True),
    Column("target_id", String(64), nullable=True),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

# One row: the newest entry's sequence number and hash. Appenders lock it, which serialises
# appends across processes; the verifier uses it to notice entries cut from the end.
audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), nullable=False),
    Column("hash", String(64), nullable=False),
)

# Questionnaire results. The answers are health data a person gave, so they are encrypted;
# totals, severity bands and flag codes stay in the clear so that caseload outcomes and the
# alert queue can be computed without decrypting every answer.
assessments = Table(
    "assessments",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("member_id", Uuid, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("instrument_id", String(16), nullable=False),
    Column("instrument_version", Integer, nullable=False),
    Column("answers_ct", LargeBinary, nullable=False),
    Column("raw_total", Integer, nullable=True),
    Column("total", Integer, nullable=True),
    Column("severity", String(32), nullable=False),
    Column("flags", String(512), nullable=False),
    Column("source", String(16), nullable=False),
    Column("submitted_at", UTCDateTime, nullable=False),
    Index("ix_assessments_member_instrument", "member_id", "instrument_id", "submitted_at"),
)

assessment_schedules = Table(
    "assessment_schedules",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("member_id", Uuid, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("instrument_id", String(16), nullable=False),
    Column("every_days", Integer, nullable=False),
    Column("starts_at", UTCDateTime, nullable=False),
    Column("assigned_by", Uuid, ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("ended_at", UTCDateTime, nullable=True),
    Column("last_reminded_at", UTCDateTime, nullable=True),
    Index("ix_assessment_schedules_member_id", "member_id"),
)

alerts = Table(
    "alerts",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("member_id", Uuid, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("source", String(32), nullable=False),
    Column("source_id", Uuid, nullable=False),
    Column("level", String(16), nullable=False),
    Column("signals", String(512), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("acknowledged_at", UTCDateTime, nullable=True),
    Column("acknowledged_by", Uuid, ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True),
    Column("notified_at", UTCDateTime, nullable=True),
    Column("escalated_at", UTCDateTime, nullable=True),
    Index("ix_alerts_member_created", "member_id", "created_at"),
)

alert_notes = Table(
    "alert_notes",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("alert_id", Uuid, ForeignKey("alerts.id", ondelete="CASCADE"), nullable=False),
    Column("member_id", Uuid, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("author_id", Uuid, ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True),
    Column("body_ct", LargeBinary, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_alert_notes_alert_id", "alert_id"),
)

# One row per member: the whole plan as encrypted JSON, since every entry is their own words.
safety_plans = Table(
    "safety_plans",
    metadata,
    Column("member_id", Uuid, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("plan_ct", LargeBinary, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

conversations = Table(
    "conversations",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("member_id", Uuid, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("last_message_at", UTCDateTime, nullable=True),
    Column("state_ct", LargeBinary, nullable=False),  # the dialogue state, encrypted whole
    Index("ix_conversations_member_started", "member_id", "started_at"),
)

conversation_messages = Table(
    "conversation_messages",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column(
        "conversation_id",
        Uuid,
        ForeignKey("conversations.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("member_id", Uuid, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("author", String(16), nullable=False),
    Column("body_ct", LargeBinary, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("risk_level", String(16), nullable=True),
    Column("signals", String(400), nullable=False, default=""),
    Column("emotion", String(32), nullable=True),
    Column("intent", String(32), nullable=True),
    Column("distortion", String(40), nullable=True),
    Column("flow_id", String(64), nullable=True),
    UniqueConstraint("conversation_id", "seq", name="uq_conversation_messages_seq"),
    Index("ix_conversation_messages_member_at", "member_id", "at"),
)

bandit_states = Table(
    "bandit_states",
    metadata,
    Column("member_id", Uuid, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("state", Text, nullable=False),  # reward tallies per exercise and context (JSON)
    Column("updated_at", UTCDateTime, nullable=False),
)
