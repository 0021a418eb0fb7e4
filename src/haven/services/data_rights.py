"""A member's rights over their data (GDPR arts. 15, 17 and 20): download everything Haven
holds about them, and erase their account, which crypto-shreds what cannot be deleted."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from haven.domain.access import Purpose
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.errors import AuthenticationFailed, NotFound
from haven.domain.people import Account, Role
from haven.domain.ports import Clock, PasswordHasher, UnitOfWork
from haven.domain.reminders import CheckInReminder
from haven.domain.safety_plan import SafetyPlan
from haven.domain.text import N_
from haven.services import _audit

__all__ = ["EXPORT_SCHEMA_VERSION", "delete_member", "export_member_data"]

# 2: questionnaires, schedules, alerts; 3: safety plan; 4: chats; 5: mood check-ins;
# 6: exercises assigned by the care team; 7: wearable readings and check-in reminders
EXPORT_SCHEMA_VERSION = 7
_BEGINNING = datetime(1970, 1, 1, tzinfo=UTC)  # every reading a member ever imported


def export_member_data(
    uow: UnitOfWork,
    *,
    clock: Clock,
    actor: Account | None,
    member_id: UUID,
    documents: Mapping[ConsentKind, ConsentDocument],
) -> dict[str, Any]:
    """Everything about one member, decrypted, as JSON-ready data.

    The member themself, or the operator at the command line (``actor=None``) acting on a
    written request; administrators and clinicians cannot export.
    """
    if actor is not None and actor.id != member_id:
        raise NotFound(N_("No member with that id is visible to you."))
    now = clock.now()
    with uow:
        member = uow.accounts.get(member_id)
        if member is None or member.role is not Role.MEMBER:
            raise NotFound(N_("No member with that id is visible to you."))
        clinicians = [uow.accounts.get(cid) for cid in uow.care_teams.clinicians_of(member_id)]
        export: dict[str, Any] = {
            "schema_version": EXPORT_SCHEMA_VERSION,
            "exported_at": now.isoformat(),
            "account": {
                "id": str(member.id),
                "email": member.email,
                "display_name": member.display_name,
                "locale": member.locale,
                "created_at": member.created_at.isoformat(),
            },
            "consents": [
                {
                    "kind": record.kind.value,
                    "version": record.version,
                    # A kind no longer published still belongs in the member's copy.
                    "title": (
                        documents[record.kind].title.get(member.locale, "")
                        if record.kind in documents
                        else ""
                    ),
                    "granted_at": record.granted_at.isoformat(),
                    "revoked_at": record.revoked_at.isoformat() if record.revoked_at else None,
                }
                for record in uow.consents.for_account(member_id)
            ],
            "care_team": [
                {"id": str(c.id), "display_name": c.display_name} for c in clinicians if c
            ],
            "journal": [
                {"id": str(e.id), "created_at": e.created_at.isoformat(), "body": e.body}
                for e in uow.journal.for_member(member_id)
            ],
            "mood_checkins": [
                {
                    "id": str(c.id),
                    "created_at": c.created_at.isoformat(),
                    "rating": c.rating,
                    "tags": list(c.tags),
                    "note": c.note,
                }
                for c in uow.moods.for_member(member_id)
            ],
            "clinician_notes": [
                {
                    "id": str(n.id),
                    "author_id": str(n.author_id) if n.author_id else None,
                    "created_at": n.created_at.isoformat(),
                    "body": n.body,
                }
                for n in uow.notes.for_member(member_id)
            ],
            "checkin_reminder": _checkin_reminder(uow.checkin_reminders.get(member_id)),
            "wearable_readings": [
                {
                    "metric": o.metric,
                    "start": o.start_at.isoformat(),
                    "end": o.end_at.isoformat(),
                    "value": o.value,
                    "unit": o.unit,
                    "source": o.source,
                    "device": o.device,
                }
                for o in uow.wearables.for_members([member_id], since=_BEGINNING)
            ],
            "exercise_assignments": [
                {
                    "id": str(a.id),
                    "exercise": a.flow_id,
                    "assigned_by": str(a.assigned_by) if a.assigned_by else None,
                    "assigned_at": a.assigned_at.isoformat(),
                    "note_for_member": a.note_for_member,
                    "ended_at": a.ended_at.isoformat() if a.ended_at else None,
                }
                for a in uow.exercises.for_member(member_id, active_only=False)
            ],
            "questionnaires": [
                {
                    "id": str(a.id),
                    "instrument": a.instrument_id,
                    "instrument_version": a.instrument_version,
                    "submitted_at": a.submitted_at.isoformat(),
                    "answers": dict(a.answers),
                    "total": a.total,
                    "severity": a.severity,
                    "flags": list(a.flags),
                    "source": a.source,
                }
                for a in uow.assessments.for_member(member_id)
            ],
            "questionnaire_schedules": [
                {
                    "id": str(s.id),
                    "instrument": s.instrument_id,
                    "every_days": s.every_days,
                    "starts_at": s.starts_at.isoformat(),
                    "created_at": s.created_at.isoformat(),
                    "ended_at": s.ended_at.isoformat() if s.ended_at else None,
                }
                for s in uow.schedules.for_member(member_id, active_only=False)
            ],
            "alerts": [
                {
                    "id": str(a.id),
                    "source": a.source.value,
                    "level": a.level.value,
                    "signals": list(a.signals),
                    "created_at": a.created_at.isoformat(),
                    "acknowledged_at": a.acknowledged_at.isoformat() if a.acknowledged_at else None,
                }
                for a in uow.alerts.for_members([member_id], open_only=False)
            ],
            "safety_plan": _safety_plan(uow.safety_plans.get(member_id)),
            "conversations": [
                {
                    "id": str(c.id),
                    "started_at": c.started_at.isoformat(),
                    "messages": [
                        {
                            "author": m.author.value,
                            "body": m.body,
                            "at": m.at.isoformat(),
                            "risk_level": m.risk_level,
                            "emotion": m.emotion,
                            "flow": m.flow_id,
                        }
                        for m in uow.conversations.messages(
                            member_id=member_id, conversation_id=c.id
                        )
                    ],
                }
                for c in uow.conversations.for_member(member_id)
            ],
            "access_log": [
                {
                    "at": e.event.at.isoformat(),
                    "actor_role": e.event.actor_role,
                    "action": e.event.action,
                    "purpose": e.event.purpose,
                }
                for e in uow.audit.about(member_id)
            ],
        }
        _audit.record(
            uow,
            at=now,
            actor=actor,
            action="member.export",
            purpose=Purpose.DATA_EXPORT,
            subject_id=member_id,
        )
        uow.commit()
    return export


def delete_member(
    uow: UnitOfWork,
    *,
    hasher: PasswordHasher,
    clock: Clock,
    actor: Account | None,
    member_id: UUID,
    password: str | None = None,
) -> None:
    """Erase a member: their rows go and their data key is destroyed, so any copy of their
    ciphertext (a backup, a replica) can never be read again.

    A member erasing themself confirms with their password; an administrator or the operator
    (``actor=None``) may erase any member account.
    """
    now = clock.now()
    with uow:
        member = uow.accounts.get(member_id)
        allowed = actor is None or actor.role is Role.ADMIN or actor.id == member_id
        if member is None or member.role is not Role.MEMBER or not allowed:
            raise NotFound(N_("No member with that id is visible to you."))
        confirming = actor is not None and actor.id == member_id
        if confirming and (password is None or not hasher.verify(member.password_hash, password)):
            raise AuthenticationFailed(N_("Enter your password to confirm the deletion."))
        uow.accounts.delete(member_id)
        uow.data_keys.destroy(member_id)
        _audit.record(
            uow,
            at=now,
            actor=actor,
            action="member.erase",
            purpose=Purpose.ERASURE,
            subject_id=member_id,
        )
        uow.commit()


def _checkin_reminder(reminder: CheckInReminder | None) -> dict[str, Any] | None:
    if reminder is None:
        return None
    return {
        "weekdays": sorted(reminder.weekdays),
        "hour": reminder.hour,
        "time_zone": reminder.zone,
        "updated_at": reminder.updated_at.isoformat(),
    }


def _safety_plan(plan: SafetyPlan | None) -> dict[str, Any] | None:
    if plan is None:
        return None
    return {
        "updated_at": plan.updated_at.isoformat(),
        "steps": {step.value: list(entries) for step, entries in plan.steps.items()},
    }
