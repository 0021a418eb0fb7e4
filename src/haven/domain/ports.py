"""The ports through which the core reaches the outside world.

Adapters implement these Protocols (SQLAlchemy, AES-GCM, argon2, the system clock); unit
tests plug in the in-memory ones. Repositories that hold free text encrypt it themselves, so
a caller can never forget to.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from types import TracebackType
from typing import Any, Protocol, Self
from uuid import UUID

from haven.domain.alerts import Alert, AlertNote
from haven.domain.audit import AuditEntry, AuditEvent, ChainHead
from haven.domain.consent import ConsentKind, ConsentRecord
from haven.domain.conversation.analysis import MessageAnalysis
from haven.domain.conversation.record import ChatMessage, Conversation
from haven.domain.conversation.state import DialogueState
from haven.domain.credentials import Credential, LoginThrottle
from haven.domain.deterioration import Reading
from haven.domain.exercises import ExerciseAssignment
from haven.domain.journal import JournalEntry
from haven.domain.monitoring import DeteriorationAlert, Observation
from haven.domain.mood import MoodCheckIn
from haven.domain.notes import ClinicianNote
from haven.domain.notifications import OutgoingEmail
from haven.domain.people import Account, Role
from haven.domain.personalization.bandit import BanditState
from haven.domain.reminders import CheckInReminder
from haven.domain.risk import RiskAssessment
from haven.domain.risk_combination import RiskThresholds
from haven.domain.safety_plan import SafetyPlan
from haven.domain.schedules import Schedule
from haven.domain.scoring import Assessment

__all__ = [
    "AccountRepository",
    "AlertRepository",
    "AssessmentRepository",
    "AuditLog",
    "BanditRepository",
    "CareTeamRepository",
    "CheckInReminderRepository",
    "Clock",
    "ConsentRepository",
    "ConversationRepository",
    "CredentialRepository",
    "DataKeys",
    "DeteriorationDetector",
    "ExerciseAssignmentRepository",
    "JournalRepository",
    "LoginThrottleRepository",
    "Mailer",
    "MessageAnalyser",
    "MoodRepository",
    "NoteRepository",
    "PasswordHasher",
    "ReflectionDrafter",
    "RiskCheck",
    "RiskModel",
    "SafetyPlanRepository",
    "ScheduleRepository",
    "UnitOfWork",
    "UnitOfWorkFactory",
    "WearableRepository",
    "Webhook",
]


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...


class RiskModel(Protocol):
    """A classifier of suicide and self-harm risk in one message."""

    @property
    def thresholds(self) -> RiskThresholds:
        """The calibrated cut-offs for moderate and high."""
        ...

    def probability(self, text: str, context: Sequence[str]) -> float:
        """Probability (0-1) that ``text`` carries suicide or self-harm risk, given
        ``context``, the member's earlier messages in the conversation, oldest first."""
        ...

    @property
    def red_flag_threshold(self) -> float:
        """The calibrated probability at which ``red_flag`` names a red flag."""
        ...

    def red_flag(self, text: str) -> tuple[str, float] | None:
        """The other clinical red flag (psychosis, mania, reassurance seeking, disordered
        eating, danger from others, harm to others) most likely in ``text`` with its
        probability, when that reaches ``red_flag_threshold``; otherwise None."""
        ...


class MessageAnalyser(Protocol):
    """The companion's reading of one message: emotion, intent, distortion, sentiment."""

    def analyse(self, text: str) -> MessageAnalysis: ...


class ReflectionDrafter(Protocol):
    """An optional generative model that rephrases the companion's reflection."""

    def reflect(self, text: str, *, lang: str, emotion: str, fallback: str) -> str | None:
        """A short empathic reflection of ``text``, or None on timeout, error or refusal;
        ``fallback`` is the deterministic reflection it may take as a model."""
        ...


class DeteriorationDetector(Protocol):
    """The monitoring's detector over every member's readings (polars in the adapter)."""

    def alerts_on(self, readings: Sequence[Reading], *, day: date) -> list[DeteriorationAlert]:
        """The alerts that fire on ``day`` (a local date), one per member at most, each with
        its findings. Rate-limiting against alerts already sent is the caller's."""
        ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool: ...

    def needs_rehash(self, password_hash: str) -> bool: ...


class Mailer(Protocol):
    def send(self, email: OutgoingEmail) -> None:
        """Deliver one e-mail or raise ``DeliveryFailed``; never logs the body or address."""
        ...


class Webhook(Protocol):
    def post(self, event: Mapping[str, Any]) -> None:
        """Deliver one signed event or raise ``DeliveryFailed``."""
        ...


class DataKeys(Protocol):
    """Per-person data keys, wrapped by the master key (envelope encryption)."""

    def create(self, owner_id: UUID) -> None: ...

    def destroy(self, owner_id: UUID) -> None:
        """Crypto-shred: after this, nothing encrypted for ``owner_id`` can be read."""
        ...

    def rewrap_batch(self, limit: int) -> int:
        """Re-wrap up to ``limit`` keys not yet under the primary master key; how many."""
        ...

    def master_keys_in_use(self) -> dict[str, int]:
        """How many data keys each master key (by fingerprint) wraps."""
        ...


class AccountRepository(Protocol):
    def add(self, account: Account) -> None: ...

    def get(self, account_id: UUID) -> Account | None: ...

    def by_email(self, email: str) -> Account | None: ...

    def list(self, *, role: Role | None = None) -> list[Account]: ...

    def update(self, account: Account) -> None: ...

    def delete(self, account_id: UUID) -> None: ...


class CareTeamRepository(Protocol):
    def assign(self, *, clinician_id: UUID, member_id: UUID) -> None: ...

    def unassign(self, *, clinician_id: UUID, member_id: UUID) -> bool: ...

    def is_assigned(self, *, clinician_id: UUID, member_id: UUID) -> bool: ...

    def members_of(self, clinician_id: UUID) -> list[UUID]: ...

    def clinicians_of(self, member_id: UUID) -> list[UUID]: ...


class ConsentRepository(Protocol):
    def add(self, record: ConsentRecord) -> None: ...

    def for_account(self, account_id: UUID) -> list[ConsentRecord]: ...

    def revoke(self, *, account_id: UUID, kind: ConsentKind, at: datetime) -> int: ...


class CredentialRepository(Protocol):
    def add(self, credential: Credential) -> None: ...

    def get(self, token_hash: str) -> Credential | None: ...

    def touch(self, token_hash: str, *, at: datetime) -> None: ...

    def revoke(self, token_hash: str, *, at: datetime) -> bool: ...

    def revoke_all(self, account_id: UUID, *, at: datetime) -> int: ...


class LoginThrottleRepository(Protocol):
    def get(self, identifier: str) -> LoginThrottle: ...

    def save(self, throttle: LoginThrottle) -> None: ...

    def clear(self, identifier: str) -> None: ...


class JournalRepository(Protocol):
    def add(self, entry: JournalEntry) -> None: ...

    def get(self, *, member_id: UUID, entry_id: UUID) -> JournalEntry | None: ...

    def for_member(self, member_id: UUID) -> list[JournalEntry]: ...

    def latest(self, member_id: UUID, *, count: int) -> list[JournalEntry]:
        """The member's ``count`` newest entries, oldest first (context for a risk check)."""
        ...


class MoodRepository(Protocol):
    """Mood check-ins; the repository encrypts the note."""

    def add(self, checkin: MoodCheckIn) -> None: ...

    def for_member(self, member_id: UUID, *, since: datetime | None = None) -> list[MoodCheckIn]:
        """The member's check-ins at or after ``since`` (all when None), oldest first."""
        ...

    def latest(self, member_id: UUID, *, count: int) -> list[MoodCheckIn]:
        """The member's ``count`` newest check-ins, oldest first (context for a risk check)."""
        ...

    def ratings(
        self, member_id: UUID, *, since: datetime | None = None
    ) -> list[tuple[datetime, int]]:
        """(time, rating 0-10) of each check-in at or after ``since``, oldest first, without
        decrypting any note."""
        ...


class WearableRepository(Protocol):
    """Imported wearable readings (numbers from a device, not words: stored in the clear)."""

    def add_new(self, observations: Sequence[Observation]) -> int:
        """Store the readings not already stored and return how many were new. A reading's
        identity is (member_id, metric, start_at, end_at, source, device), so importing the
        same file twice adds nothing the second time."""
        ...

    def for_members(self, member_ids: Sequence[UUID], *, since: datetime) -> list[Observation]:
        """The members' readings that start at or after ``since``, ordered by member then
        start. ``start_at``/``end_at`` carry the UTC offset the file gave for ``start_at``,
        so ``start_at.replace(tzinfo=None)`` is the member's local clock time."""
        ...


class ExerciseAssignmentRepository(Protocol):
    """Exercises the care team assigned; the repository encrypts the note to the member."""

    def add(self, assignment: ExerciseAssignment) -> None: ...

    def get(self, *, member_id: UUID, assignment_id: UUID) -> ExerciseAssignment | None: ...

    def for_member(self, member_id: UUID, *, active_only: bool = True) -> list[ExerciseAssignment]:
        """Oldest first."""
        ...

    def end(self, assignment_id: UUID, *, at: datetime) -> None: ...


class NoteRepository(Protocol):
    def add(self, note: ClinicianNote) -> None: ...

    def for_member(self, member_id: UUID) -> list[ClinicianNote]: ...


class AssessmentRepository(Protocol):
    """Completed questionnaires; the answers are encrypted by the repository."""

    def add(self, assessment: Assessment) -> None: ...

    def get(self, *, member_id: UUID, assessment_id: UUID) -> Assessment | None: ...

    def for_member(self, member_id: UUID, *, instrument_id: str | None = None) -> list[Assessment]:
        """Oldest first."""
        ...

    def totals(
        self, member_ids: list[UUID], *, instrument_id: str
    ) -> dict[UUID, list[tuple[datetime, int]]]:
        """Each member's (time, total) pairs for one instrument, oldest first, without
        decrypting any answer."""
        ...

    def latest(self, member_id: UUID) -> dict[str, datetime]:
        """When the member last completed each instrument."""
        ...


class ScheduleRepository(Protocol):
    def add(self, schedule: Schedule) -> None: ...

    def get(self, *, member_id: UUID, schedule_id: UUID) -> Schedule | None: ...

    def for_member(self, member_id: UUID, *, active_only: bool = True) -> list[Schedule]: ...

    def active(self) -> list[Schedule]:
        """Every active schedule of every member (for the reminder run)."""
        ...

    def end(self, schedule_id: UUID, *, at: datetime) -> None: ...

    def mark_reminded(self, schedule_id: UUID, *, at: datetime) -> None: ...


class AlertRepository(Protocol):
    def add(self, alert: Alert) -> None: ...

    def get(self, alert_id: UUID) -> Alert | None: ...

    def for_members(self, member_ids: list[UUID], *, open_only: bool = True) -> list[Alert]:
        """Newest first."""
        ...

    def open_alerts(self) -> list[Alert]:
        """Every unacknowledged alert of every member, newest first (for the notifier)."""
        ...

    def acknowledge(self, alert_id: UUID, *, by: UUID, at: datetime) -> None: ...

    def mark_notified(self, alert_id: UUID, *, at: datetime) -> None: ...

    def mark_escalated(self, alert_id: UUID, *, at: datetime) -> None: ...

    def add_note(self, note: AlertNote) -> None:
        """Store a clinician's note on an alert; the repository encrypts its body."""
        ...

    def notes(self, alert_id: UUID) -> list[AlertNote]:
        """Oldest first."""
        ...


class CheckInReminderRepository(Protocol):
    """Each member's check-in reminder schedule (a setting, not anything they wrote)."""

    def get(self, member_id: UUID) -> CheckInReminder | None: ...

    def save(self, reminder: CheckInReminder) -> None:
        """Replace the member's schedule."""
        ...

    def switched_on(self) -> list[CheckInReminder]:
        """Every schedule with at least one day (for the reminder run)."""
        ...

    def mark_sent(self, member_id: UUID, *, at: datetime) -> None: ...


class SafetyPlanRepository(Protocol):
    """One plan per member; the repository encrypts it whole."""

    def get(self, member_id: UUID) -> SafetyPlan | None: ...

    def save(self, plan: SafetyPlan) -> None:
        """Replace the member's plan."""
        ...


class ConversationRepository(Protocol):
    """Conversations with the companion; message bodies and the dialogue state (which holds
    the member's words) are encrypted by the repository."""

    def add(self, conversation: Conversation, state: DialogueState) -> None: ...

    def get(self, *, member_id: UUID, conversation_id: UUID) -> Conversation | None: ...

    def for_member(self, member_id: UUID) -> list[Conversation]:
        """Newest first."""
        ...

    def state(self, conversation: Conversation) -> DialogueState: ...

    def save_state(
        self, conversation: Conversation, state: DialogueState, *, last_message_at: datetime
    ) -> None: ...

    def add_messages(self, messages: Sequence[ChatMessage]) -> None: ...

    def messages(self, *, member_id: UUID, conversation_id: UUID) -> list[ChatMessage]:
        """Oldest first."""
        ...

    def message_count(self, conversation_id: UUID) -> int: ...

    def last_message_at(self, member_id: UUID) -> datetime | None:
        """When the member last wrote to the companion in any conversation."""
        ...


class BanditRepository(Protocol):
    def get(self, member_id: UUID) -> BanditState:
        """The member's bandit state (empty for a new member)."""
        ...

    def save(self, member_id: UUID, state: BanditState, *, at: datetime) -> None: ...


class AuditLog(Protocol):
    def append(self, event: AuditEvent) -> AuditEntry: ...

    def head(self) -> ChainHead | None: ...

    def entries(self) -> Iterator[AuditEntry]:
        """Every entry in sequence order, streamed."""
        ...

    def about(self, subject_id: UUID) -> list[AuditEntry]:
        """The entries whose subject is this person, oldest first."""
        ...

    def newest(self, *, at_most: int, limit: int) -> list[AuditEntry]:
        """At most ``limit`` entries numbered ``at_most`` or below, newest first."""
        ...


class RiskCheck(Protocol):
    def __call__(self, text: str, context: Sequence[str]) -> RiskAssessment:
        """Assess a member's message given their recent messages, oldest first."""
        ...


class UnitOfWork(Protocol):
    """One transaction: everything written inside it lands together or not at all."""

    @property
    def accounts(self) -> AccountRepository: ...

    @property
    def care_teams(self) -> CareTeamRepository: ...

    @property
    def consents(self) -> ConsentRepository: ...

    @property
    def credentials(self) -> CredentialRepository: ...

    @property
    def login_throttles(self) -> LoginThrottleRepository: ...

    @property
    def journal(self) -> JournalRepository: ...

    @property
    def notes(self) -> NoteRepository: ...

    @property
    def exercises(self) -> ExerciseAssignmentRepository: ...

    @property
    def moods(self) -> MoodRepository: ...

    @property
    def wearables(self) -> WearableRepository: ...

    @property
    def assessments(self) -> AssessmentRepository: ...

    @property
    def schedules(self) -> ScheduleRepository: ...

    @property
    def alerts(self) -> AlertRepository: ...

    @property
    def safety_plans(self) -> SafetyPlanRepository: ...

    @property
    def checkin_reminders(self) -> CheckInReminderRepository: ...

    @property
    def conversations(self) -> ConversationRepository: ...

    @property
    def bandits(self) -> BanditRepository: ...

    @property
    def audit(self) -> AuditLog: ...

    @property
    def data_keys(self) -> DataKeys: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...
