"""One database transaction with every repository bound to it."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from haven.adapters.crypto.fields import FieldCipher
from haven.adapters.crypto.keyring import MasterKeyring
from haven.adapters.db.repositories.alerts import SqlAlerts
from haven.adapters.db.repositories.audit import SqlAuditLog
from haven.adapters.db.repositories.conversations import SqlBandits, SqlConversations
from haven.adapters.db.repositories.credentials import SqlCredentials, SqlLoginThrottles
from haven.adapters.db.repositories.data_keys import SqlDataKeys
from haven.adapters.db.repositories.exercises import SqlExerciseAssignments
from haven.adapters.db.repositories.measurement import SqlAssessments, SqlSchedules
from haven.adapters.db.repositories.moods import SqlMoods
from haven.adapters.db.repositories.people import SqlAccounts, SqlCareTeams, SqlConsents
from haven.adapters.db.repositories.records import SqlJournal, SqlNotes
from haven.adapters.db.repositories.reminders import SqlCheckInReminders
from haven.adapters.db.repositories.safety_plans import SqlSafetyPlans
from haven.adapters.db.repositories.wearables import SqlWearables
from haven.domain.ports import Clock

__all__ = ["SqlUnitOfWork", "SqlUnitOfWorkFactory"]


class SqlUnitOfWork:
    def __init__(self, session: Session, keyring: MasterKeyring, clock: Clock) -> None:
        self._session = session
        self.data_keys = SqlDataKeys(session, keyring, clock)
        cipher = FieldCipher(self.data_keys.key_for)
        self.accounts = SqlAccounts(session, cipher)
        self.care_teams = SqlCareTeams(session, clock)
        self.consents = SqlConsents(session)
        self.credentials = SqlCredentials(session)
        self.login_throttles = SqlLoginThrottles(session)
        self.journal = SqlJournal(session, cipher)
        self.notes = SqlNotes(session, cipher)
        self.exercises = SqlExerciseAssignments(session, cipher)
        self.moods = SqlMoods(session, cipher)
        self.wearables = SqlWearables(session)
        self.assessments = SqlAssessments(session, cipher)
        self.schedules = SqlSchedules(session)
        self.alerts = SqlAlerts(session, cipher)
        self.safety_plans = SqlSafetyPlans(session, cipher)
        self.checkin_reminders = SqlCheckInReminders(session)
        self.conversations = SqlConversations(session, cipher)
        self.bandits = SqlBandits(session)
        self.audit = SqlAuditLog(session)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Anything not explicitly committed is rolled back: writes are all-or-nothing.
        self._session.rollback()
        self._session.close()

    def commit(self) -> None:
        self._session.commit()

    def rollback(self) -> None:
        self._session.rollback()


class SqlUnitOfWorkFactory:
    def __init__(self, engine: Engine, keyring: MasterKeyring, clock: Clock) -> None:
        self._sessions = sessionmaker(bind=engine, expire_on_commit=False)
        self.engine = engine
        self.keyring = keyring
        self._clock = clock

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self._sessions(), self.keyring, self._clock)
