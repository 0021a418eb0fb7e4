"""In-memory repositories, each working on one unit of work's copy of the tables."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from uuid import UUID

from haven.adapters.memory.store import InMemoryStore, Tables, require_data_key
from haven.domain.audit import AuditEntry, AuditEvent, ChainHead, chain_entry
from haven.domain.consent import ConsentKind, ConsentRecord
from haven.domain.credentials import Credential, LoginThrottle
from haven.domain.journal import JournalEntry
from haven.domain.notes import ClinicianNote
from haven.domain.people import Account, Role

__all__ = [
    "InMemoryAccounts",
    "InMemoryAuditLog",
    "InMemoryCareTeams",
    "InMemoryConsents",
    "InMemoryCredentials",
    "InMemoryDataKeys",
    "InMemoryJournal",
    "InMemoryLoginThrottles",
    "InMemoryNotes",
]


class InMemoryDataKeys:
    def __init__(self, tables: Tables, store: InMemoryStore) -> None:
        self._t, self._store = tables, store

    def create(self, owner_id: UUID) -> None:
        if owner_id in self._t.data_keys:
            raise ValueError(f"{owner_id} already has a data key")
        self._t.data_keys[owner_id] = self._store.primary_key_id

    def destroy(self, owner_id: UUID) -> None:
        self._t.data_keys.pop(owner_id, None)

    def rewrap_batch(self, limit: int) -> int:
        primary = self._store.primary_key_id
        stale = [owner for owner, key in self._t.data_keys.items() if key != primary][:limit]
        for owner in stale:
            self._t.data_keys[owner] = primary
        return len(stale)

    def master_keys_in_use(self) -> dict[str, int]:
        return dict(Counter(self._t.data_keys.values()))


class InMemoryAccounts:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    def _read(self, account: Account | None) -> Account | None:
        if account is not None:
            require_data_key(self._t, account.id)  # the display name is sealed under it
        return account

    def add(self, account: Account) -> None:
        require_data_key(self._t, account.id)
        if account.id in self._t.accounts or self.by_email(account.email) is not None:
            raise ValueError("an account with this id or e-mail address already exists")
        self._t.accounts[account.id] = account

    def get(self, account_id: UUID) -> Account | None:
        return self._read(self._t.accounts.get(account_id))

    def by_email(self, email: str) -> Account | None:
        found = (a for a in self._t.accounts.values() if a.email == email)
        return self._read(next(found, None))

    def update(self, account: Account) -> None:
        stored = self._t.accounts.get(account.id)
        if stored is None:
            return
        require_data_key(self._t, account.id)
        self._t.accounts[account.id] = stored.with_changes(
            display_name=account.display_name,
            locale=account.locale,
            password_hash=account.password_hash,
        )

    def delete(self, account_id: UUID) -> None:
        t = self._t
        t.journal = [e for e in t.journal if e.member_id != account_id]
        t.moods = [c for c in t.moods if c.member_id != account_id]
        t.checkin_reminders.pop(account_id, None)
        t.wearables = {k: o for k, o in t.wearables.items() if o.member_id != account_id}
        t.conversations = {k: v for k, v in t.conversations.items() if v[0].member_id != account_id}
        t.chat_messages = [m for m in t.chat_messages if m.member_id != account_id]
        t.bandits.pop(account_id, None)
        t.notes = [
            replace(n, author_id=None) if n.author_id == account_id else n
            for n in t.notes
            if n.member_id != account_id
        ]
        t.exercise_assignments = [
            replace(a, assigned_by=None) if a.assigned_by == account_id else a
            for a in t.exercise_assignments
            if a.member_id != account_id
        ]
        t.assessments = [a for a in t.assessments if a.member_id != account_id]
        t.schedules = [
            replace(s, assigned_by=None) if s.assigned_by == account_id else s
            for s in t.schedules
            if s.member_id != account_id
        ]
        t.alerts = [
            replace(a, acknowledged_by=None) if a.acknowledged_by == account_id else a
            for a in t.alerts
            if a.member_id != account_id
        ]
        t.safety_plans.pop(account_id, None)
        t.alert_notes = [
            replace(n, author_id=None) if n.author_id == account_id else n
            for n in t.alert_notes
            if n.member_id != account_id
        ]
        t.consents = [c for c in t.consents if c.account_id != account_id]
        t.credentials = {h: c for h, c in t.credentials.items() if c.account_id != account_id}
        t.care_team = [pair for pair in t.care_team if account_id not in pair]
        t.accounts.pop(account_id, None)

    def list(self, *, role: Role | None = None) -> list[Account]:
        rows = sorted(self._t.accounts.values(), key=lambda a: (a.created_at, a.email))
        chosen = [a for a in rows if role is None or a.role is role]
        for account in chosen:
            self._read(account)
        return chosen


class InMemoryCareTeams:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    def assign(self, *, clinician_id: UUID, member_id: UUID) -> None:
        if not self.is_assigned(clinician_id=clinician_id, member_id=member_id):
            self._t.care_team.append((clinician_id, member_id))

    def unassign(self, *, clinician_id: UUID, member_id: UUID) -> bool:
        before = len(self._t.care_team)
        self._t.care_team = [p for p in self._t.care_team if p != (clinician_id, member_id)]
        return len(self._t.care_team) < before

    def is_assigned(self, *, clinician_id: UUID, member_id: UUID) -> bool:
        return (clinician_id, member_id) in self._t.care_team

    def members_of(self, clinician_id: UUID) -> list[UUID]:
        return [member for clinician, member in self._t.care_team if clinician == clinician_id]

    def clinicians_of(self, member_id: UUID) -> list[UUID]:
        return [clinician for clinician, member in self._t.care_team if member == member_id]


class InMemoryConsents:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    def add(self, record: ConsentRecord) -> None:
        self._t.consents.append(record)

    def for_account(self, account_id: UUID) -> list[ConsentRecord]:
        mine = (c for c in self._t.consents if c.account_id == account_id)
        return sorted(mine, key=lambda c: c.granted_at)

    def revoke(self, *, account_id: UUID, kind: ConsentKind, at: datetime) -> int:
        count = 0
        for i, c in enumerate(self._t.consents):
            if c.account_id == account_id and c.kind is kind and c.revoked_at is None:
                self._t.consents[i] = replace(c, revoked_at=at)
                count += 1
        return count


class InMemoryCredentials:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    def add(self, credential: Credential) -> None:
        self._t.credentials[credential.token_hash] = credential

    def get(self, token_hash: str) -> Credential | None:
        return self._t.credentials.get(token_hash)

    def touch(self, token_hash: str, *, at: datetime) -> None:
        if (credential := self._t.credentials.get(token_hash)) is not None:
            self._t.credentials[token_hash] = replace(credential, last_used_at=at)

    def revoke(self, token_hash: str, *, at: datetime) -> bool:
        credential = self._t.credentials.get(token_hash)
        if credential is None or credential.revoked_at is not None:
            return False
        self._t.credentials[token_hash] = replace(credential, revoked_at=at)
        return True

    def revoke_all(self, account_id: UUID, *, at: datetime) -> int:
        live = [c for c in self._t.credentials.values() if c.account_id == account_id]
        return sum(self.revoke(c.token_hash, at=at) for c in live)


class InMemoryLoginThrottles:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    def get(self, identifier: str) -> LoginThrottle:
        return self._t.login_throttles.get(identifier, LoginThrottle(identifier=identifier))

    def save(self, throttle: LoginThrottle) -> None:
        self._t.login_throttles[throttle.identifier] = throttle

    def clear(self, identifier: str) -> None:
        self._t.login_throttles.pop(identifier, None)


class InMemoryJournal:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    def add(self, entry: JournalEntry) -> None:
        require_data_key(self._t, entry.member_id)
        self._t.journal.append(entry)

    def get(self, *, member_id: UUID, entry_id: UUID) -> JournalEntry | None:
        return next((e for e in self.for_member(member_id) if e.id == entry_id), None)

    def for_member(self, member_id: UUID) -> list[JournalEntry]:
        mine = sorted(
            (e for e in self._t.journal if e.member_id == member_id),
            key=lambda e: (e.created_at, e.id),
        )
        if mine:
            require_data_key(self._t, member_id)
        return mine

    def latest(self, member_id: UUID, *, count: int) -> list[JournalEntry]:
        return self.for_member(member_id)[-count:] if count > 0 else []


class InMemoryNotes:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    def add(self, note: ClinicianNote) -> None:
        require_data_key(self._t, note.member_id)
        self._t.notes.append(note)

    def for_member(self, member_id: UUID) -> list[ClinicianNote]:
        mine = sorted(
            (n for n in self._t.notes if n.member_id == member_id),
            key=lambda n: (n.created_at, n.id),
        )
        if mine:
            require_data_key(self._t, member_id)
        return mine


class InMemoryAuditLog:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    def append(self, event: AuditEvent) -> AuditEntry:
        entry = chain_entry(event, head=self._t.audit_head)
        self._t.audit.append(entry)
        self._t.audit_head = ChainHead(seq=entry.seq, hash=entry.hash)
        return entry

    def head(self) -> ChainHead | None:
        return self._t.audit_head

    def entries(self) -> Iterator[AuditEntry]:
        yield from sorted(self._t.audit, key=lambda e: e.seq)

    def about(self, subject_id: UUID) -> list[AuditEntry]:
        return [e for e in self.entries() if e.event.subject_id == subject_id]

    def newest(self, *, at_most: int, limit: int) -> list[AuditEntry]:
        ordered = sorted(self._t.audit, key=lambda e: e.seq, reverse=True)
        return [e for e in ordered if e.seq <= at_most][:limit]
