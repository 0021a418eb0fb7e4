"""The in-memory database: committed tables, shared by every unit of work."""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass, field, fields
from typing import Any
from uuid import UUID

from haven.domain.alerts import Alert, AlertNote
from haven.domain.audit import AuditEntry, ChainHead
from haven.domain.consent import ConsentRecord
from haven.domain.conversation.record import ChatMessage, Conversation
from haven.domain.credentials import Credential, LoginThrottle
from haven.domain.errors import DataKeyDestroyed
from haven.domain.exercises import ExerciseAssignment
from haven.domain.journal import JournalEntry
from haven.domain.monitoring import Observation
from haven.domain.mood import MoodCheckIn
from haven.domain.notes import ClinicianNote
from haven.domain.people import Account
from haven.domain.reminders import CheckInReminder
from haven.domain.safety_plan import SafetyPlan
from haven.domain.schedules import Schedule
from haven.domain.scoring import Assessment
from haven.domain.text import N_

__all__ = ["InMemoryStore", "Tables", "require_data_key"]


@dataclass
class Tables:
    """The rows of every table. Rows are frozen dataclasses, so a shallow copy isolates."""

    accounts: dict[UUID, Account] = field(default_factory=dict)
    care_team: list[tuple[UUID, UUID]] = field(default_factory=list)  # (clinician, member)
    consents: list[ConsentRecord] = field(default_factory=list)
    credentials: dict[str, Credential] = field(default_factory=dict)
    login_throttles: dict[str, LoginThrottle] = field(default_factory=dict)
    journal: list[JournalEntry] = field(default_factory=list)
    notes: list[ClinicianNote] = field(default_factory=list)
    exercise_assignments: list[ExerciseAssignment] = field(default_factory=list)
    moods: list[MoodCheckIn] = field(default_factory=list)
    # Keyed by the reading's identity (``haven.adapters.memory.wearables.identity``).
    wearables: dict[tuple[Any, ...], Observation] = field(default_factory=dict)
    assessments: list[Assessment] = field(default_factory=list)
    schedules: list[Schedule] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    alert_notes: list[AlertNote] = field(default_factory=list)
    safety_plans: dict[UUID, SafetyPlan] = field(default_factory=dict)
    checkin_reminders: dict[UUID, CheckInReminder] = field(default_factory=dict)
    # Dialogue and bandit states are kept as JSON, as the database keeps them, so that a
    # shallow copy isolates one transaction from another.
    conversations: dict[UUID, tuple[Conversation, str]] = field(default_factory=dict)
    chat_messages: list[ChatMessage] = field(default_factory=list)
    bandits: dict[UUID, str] = field(default_factory=dict)
    audit: list[AuditEntry] = field(default_factory=list)
    audit_head: ChainHead | None = None
    data_keys: dict[UUID, str] = field(default_factory=dict)  # owner -> master key id

    def snapshot(self) -> Tables:
        columns: dict[str, Any] = {f.name: copy.copy(getattr(self, f.name)) for f in fields(self)}
        return Tables(**columns)


class InMemoryStore:
    """The committed state shared by every unit of work, and the master keyring's primary."""

    def __init__(self) -> None:
        self.committed = Tables()
        self.version = 0
        self.primary_key_id = "memory-master-1"
        self._rotations = 1
        self._lock = threading.Lock()

    def rotate_master_key(self) -> str:
        """Make a new primary master key; existing data keys stay wrapped by the old one."""
        self._rotations += 1
        self.primary_key_id = f"memory-master-{self._rotations}"
        return self.primary_key_id

    def begin(self) -> tuple[int, Tables]:
        with self._lock:
            return self.version, self.committed.snapshot()

    def publish(self, tables: Tables, *, based_on: int) -> int:
        with self._lock:
            if self.version != based_on:
                raise RuntimeError("another unit of work committed first; retry the transaction")
            self.committed, self.version = tables.snapshot(), self.version + 1
            return self.version


def require_data_key(tables: Tables, owner_id: UUID) -> None:
    if owner_id not in tables.data_keys:
        raise DataKeyDestroyed(N_("This record's encryption key has been destroyed."))
