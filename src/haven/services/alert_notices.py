"""Telling people about alerts: the care team when an alert opens, and a second contact when
an urgent alert waits too long for a human (the escalation policy).

Run every minute from cron (``haven alerts notify``). Each alert is marked only after every
configured channel took the message, inside its own transaction, so a mail server or receiver
that is down means a retry on the next run, never a silent loss. Messages name no member and
quote nothing they wrote: only that an alert of a level waits in Haven.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from haven.domain.access import Purpose
from haven.domain.alerts import Alert, EscalationPolicy
from haven.domain.consent import ConsentDocument, ConsentKind, current_grants
from haven.domain.notifications import DeliveryFailed, OutgoingEmail
from haven.domain.people import Account, Role
from haven.domain.ports import Clock, Mailer, UnitOfWork, UnitOfWorkFactory, Webhook
from haven.i18n import translations
from haven.services import _audit

__all__ = ["NoticeRun", "send_alert_notices"]

logger = logging.getLogger(__name__)

Documents = Mapping[ConsentKind, ConsentDocument]


@dataclass(frozen=True, slots=True)
class NoticeRun:
    notified: int  # alerts whose care team was told
    escalated: int  # alerts passed to the second contact
    failed: int  # alerts left for the next run because a channel failed


def send_alert_notices(
    uows: UnitOfWorkFactory,
    *,
    clock: Clock,
    policy: EscalationPolicy,
    documents: Documents,
    public_url: str,
    mailer: Mailer | None,
    webhook: Webhook | None,
    escalation_email: str | None,
) -> NoticeRun:
    now = clock.now()
    with uows() as uow:
        pending = uow.alerts.open_alerts()
    notified = escalated = failed = 0
    for alert in pending:
        if alert.notified_at is None:
            with uows() as uow:
                clinicians = _sharing_care_team(uow, alert, documents)
                if _deliver(
                    alert,
                    "alert.opened",
                    [c.email for c in clinicians],
                    [c.locale for c in clinicians],
                    mailer=mailer,
                    webhook=webhook,
                    public_url=public_url,
                    now=now,
                ):
                    uow.alerts.mark_notified(alert.id, at=now)
                    _record(uow, alert, "alert.notify", now)
                    uow.commit()
                    notified += 1
                else:
                    failed += 1
        if policy.due(alert, now=now):
            contacts = [escalation_email] if escalation_email else []
            with uows() as uow:
                if _deliver(
                    alert,
                    "alert.escalated",
                    contacts,
                    ["en"] * len(contacts),
                    mailer=mailer,
                    webhook=webhook,
                    public_url=public_url,
                    now=now,
                ):
                    uow.alerts.mark_escalated(alert.id, at=now)
                    _record(uow, alert, "alert.escalate", now)
                    uow.commit()
                    escalated += 1
                else:
                    failed += 1
    if failed:
        logger.warning("alert notices: %d alert(s) left for the next run", failed)
    return NoticeRun(notified=notified, escalated=escalated, failed=failed)


def _sharing_care_team(uow: UnitOfWork, alert: Alert, documents: Documents) -> list[Account]:
    """The clinicians who may see this alert: the care team, if the member shares with it."""
    grants = current_grants(uow.consents.for_account(alert.member_id), documents)
    if ConsentKind.CARE_TEAM_SHARING not in grants:
        return []
    found = [uow.accounts.get(cid) for cid in uow.care_teams.clinicians_of(alert.member_id)]
    return [c for c in found if c is not None and c.role is Role.CLINICIAN]


def _deliver(
    alert: Alert,
    event: str,
    addresses: list[str],
    locales: list[str],
    *,
    mailer: Mailer | None,
    webhook: Webhook | None,
    public_url: str,
    now: datetime,
) -> bool:
    """Send on every configured channel; True only if at least one took it and none failed."""
    delivered = False
    try:
        if mailer is not None:
            for address, locale in zip(addresses, locales, strict=True):
                mailer.send(_email(address, locale, alert, public_url))
                delivered = True
        if webhook is not None:
            webhook.post(
                {
                    "event": event,
                    "alert_id": str(alert.id),
                    "level": alert.level.value,
                    "opened_at": alert.created_at.isoformat(),
                    "sent_at": now.isoformat(),
                    "url": f"{public_url.rstrip('/')}/api/v1/alerts/{alert.id}",
                }
            )
            delivered = True
    except DeliveryFailed:
        return False
    return delivered


def _email(address: str, locale: str, alert: Alert, public_url: str) -> OutgoingEmail:
    _ = translations(locale).gettext
    level = _(alert.level.value)
    return OutgoingEmail(
        to=address,
        subject=_("A {level} alert is waiting in Haven").format(level=level),
        body=_(
            "An alert of level {level} is waiting in Haven's queue and no one has "
            "acknowledged it yet.\n\nSign in to review it: {url}\n\nHaven"
        ).format(level=level, url=public_url),
    )


def _record(uow: UnitOfWork, alert: Alert, action: str, at: datetime) -> None:
    _audit.record(
        uow,
        at=at,
        actor=None,
        action=action,
        purpose=Purpose.CARE_TEAM_REVIEW,
        subject_id=alert.member_id,
        target_id=alert.id,
    )
