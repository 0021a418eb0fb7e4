"""What an administrator reads: the audit trail page by page, and the care teams."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from haven.adapters.memory import FakePasswordHasher, InMemoryUnitOfWorkFactory, ManualClock
from haven.domain.audit import AuditEvent
from haven.domain.errors import InvalidInput, PermissionDenied
from haven.domain.people import Account, Role
from haven.services.audit_trail import audit_trail_page, verify_audit_trail
from haven.services.care_teams import care_teams
from haven.services.data_rights import delete_member


def test_the_trail_is_read_newest_first_a_page_at_a_time(
    uow: InMemoryUnitOfWorkFactory, clock: ManualClock, ada: Account, sam: Account
) -> None:
    written = len(uow.store.committed.audit)

    assert written >= 4
    first = audit_trail_page(uow(), clock=clock, actor=ada, size=2)
    second = audit_trail_page(uow(), clock=clock, actor=ada, number=2, size=2, upto=first.upto)

    assert [e.seq for e in first.entries] == [written, written - 1]
    # Reading page 1 added an entry; counting from ``upto`` the next page does not shift.
    assert [e.seq for e in second.entries] == [written - 2, written - 3]
    assert first.pages == second.pages == -(-written // 2)
    assert first.emails[sam.id] == "sam@example.org"


def test_reading_the_trail_is_itself_audited_and_keeps_it_intact(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    ada: Account,
    audit_trail: Callable[[], list[AuditEvent]],
) -> None:
    audit_trail_page(uow(), clock=clock, actor=ada)

    last = audit_trail()[-1]
    assert (last.action, last.actor_id, last.purpose) == (
        "audit.read",
        ada.id,
        "account-administration",
    )
    assert verify_audit_trail(uow())[1] is None


@pytest.mark.parametrize("number", [0, -1, 99])
def test_a_page_outside_the_trail_is_invalid_input(
    uow: InMemoryUnitOfWorkFactory, clock: ManualClock, ada: Account, number: int
) -> None:
    with pytest.raises(InvalidInput) as raised:
        audit_trail_page(uow(), clock=clock, actor=ada, number=number)

    assert raised.value.field == "page"


def test_only_an_administrator_reads_the_trail_or_the_care_teams(
    uow: InMemoryUnitOfWorkFactory, clock: ManualClock, carmen: Account, sam: Account
) -> None:
    with pytest.raises(PermissionDenied):
        audit_trail_page(uow(), clock=clock, actor=carmen)
    with pytest.raises(PermissionDenied):
        care_teams(uow(), clock=clock, actor=sam)


def test_an_erased_account_is_shown_by_id_only(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    hasher: FakePasswordHasher,
    ada: Account,
    sam: Account,
) -> None:
    delete_member(uow(), hasher=hasher, clock=clock, actor=ada, member_id=sam.id)

    page = audit_trail_page(uow(), clock=clock, actor=ada)

    assert any(e.event.subject_id == sam.id for e in page.entries)
    assert sam.id not in page.emails


def test_care_teams_list_every_clinician_with_their_members_and_every_member(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    ada: Account,
    carmen: Account,
    sam: Account,
    lucia: Account,
    make_staff: Callable[..., Account],
    assign: Callable[[Account, Account], None],
    audit_trail: Callable[[], list[AuditEvent]],
) -> None:
    other = make_staff(Role.CLINICIAN, "bo@example.org")
    assign(carmen, sam)
    assign(carmen, lucia)

    teams, members = care_teams(uow(), clock=clock, actor=ada)

    assert [(t.clinician.email, [m.email for m in t.members]) for t in teams] == [
        ("bo@example.org", []),
        ("carmen@example.org", ["lucia@example.org", "sam@example.org"]),
    ]
    assert [m.email for m in members] == ["lucia@example.org", "sam@example.org"]
    assert other.id == teams[0].clinician.id
    assert audit_trail()[-1].action == "care_team.list"
