"""In-memory transactions: copy the committed tables on entry, swap them in on commit."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from haven.adapters.memory.conversations import InMemoryBandits, InMemoryConversations
from haven.adapters.memory.exercises import InMemoryExerciseAssignments
from haven.adapters.memory.measurement import (
    InMemoryAlerts,
    InMemoryAssessments,
    InMemorySafetyPlans,
    InMemorySchedules,
)
from haven.adapters.memory.moods import InMemoryMoods
from haven.adapters.memory.reminders import InMemoryCheckInReminders
from haven.adapters.memory.repositories import (
    InMemoryAccounts,
    InMemoryAuditLog,
    InMemoryCareTeams,
    InMemoryConsents,
    InMemoryCredentials,
    InMemoryDataKeys,
    InMemoryJournal,
    InMemoryLoginThrottles,
    InMemoryNotes,
)
from haven.adapters.memory.store import InMemoryStore
from haven.adapters.memory.wearables import InMemoryWearables

__all__ = ["InMemoryUnitOfWork", "InMemoryUnitOfWorkFactory"]


class InMemoryUnitOfWork:
    """One transaction over an ``InMemoryStore``: all of its writes land together or none."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store
        self._begin()

    def _begin(self) -> None:
        self._version, tables = self._store.begin()
        self.accounts = InMemoryAccounts(tables)
        self.care_teams = InMemoryCareTeams(tables)
        self.consents = InMemoryConsents(tables)
        self.credentials = InMemoryCredentials(tables)
        self.login_throttles = InMemoryLoginThrottles(tables)
        self.journal = InMemoryJournal(tables)
        self.notes = InMemoryNotes(tables)
        self.exercises = InMemoryExerciseAssignments(tables)
        self.moods = InMemoryMoods(tables)
        self.wearables = InMemoryWearables(tables)
        self.assessments = InMemoryAssessments(tables)
        self.schedules = InMemorySchedules(tables)
        self.alerts = InMemoryAlerts(tables)
        self.safety_plans = InMemorySafetyPlans(tables)
        self.checkin_reminders = InMemoryCheckInReminders(tables)
        self.conversations = InMemoryConversations(tables)
        self.bandits = InMemoryBandits(tables)
        self.audit = InMemoryAuditLog(tables)
        self.data_keys = InMemoryDataKeys(tables, self._store)
        self._tables = tables

    def __enter__(self) -> Self:
        self._begin()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()

    def commit(self) -> None:
        self._version = self._store.publish(self._tables, based_on=self._version)

    def rollback(self) -> None:
        self._begin()


class InMemoryUnitOfWorkFactory:
    """Hands out units of work over one shared store (a fresh one unless given)."""

    def __init__(self, store: InMemoryStore | None = None) -> None:
        self.store = store or InMemoryStore()

    def __call__(self) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self.store)
