"""Importing wearable readings: who may import for whom, the audit trail, re-imports that add
nothing, and a damaged stream that stores nothing at all."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from tests.unit.conftest import MakeMember

from haven.adapters.memory import FakePasswordHasher, InMemoryUnitOfWorkFactory, ManualClock
from haven.domain.access import Purpose
from haven.domain.audit import AuditEvent
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.errors import InvalidInput, NotFound, PermissionDenied
from haven.domain.monitoring import Observation
from haven.domain.people import Account
from haven.domain.wearables import ImportSummary, WearableFileError
from haven.services.data_rights import delete_member
from haven.services.wearables import BATCH, import_wearables

Documents = dict[ConsentKind, ConsentDocument]
START = datetime(2024, 1, 5, 8, tzinfo=UTC)


def steps(member: Account, count: int, *, device: str = "Watch") -> list[Observation]:
    return [
        Observation(
            member_id=member.id,
            metric="steps",
            start_at=START + timedelta(hours=n),
            end_at=START + timedelta(hours=n, minutes=10),
            value=100.0 + n,
            unit="count",
            source="apple_health",
            device=device,
        )
        for n in range(count)
    ]


@pytest.fixture
def run(
    uow: InMemoryUnitOfWorkFactory, clock: ManualClock, documents: Documents
) -> Callable[..., ImportSummary]:
    def go(actor: Account | None, member: Account, observations: object) -> ImportSummary:
        return import_wearables(
            uow(),
            clock=clock,
            actor=actor,
            member_id=member.id,
            observations=observations,  # type: ignore[arg-type]
            documents=documents,
        )

    return go


def stored(uow: InMemoryUnitOfWorkFactory, member: Account) -> list[Observation]:
    with uow() as unit:
        return unit.wearables.for_members([member.id], since=START - timedelta(days=1))


def test_a_member_imports_their_readings_and_a_reimport_adds_nothing(
    run: Callable[..., ImportSummary],
    uow: InMemoryUnitOfWorkFactory,
    sam: Account,
    audit_trail: Callable[[], list[AuditEvent]],
) -> None:
    readings = steps(sam, BATCH + 7)  # more than one batch
    assert run(sam, sam, readings) == ImportSummary(added=BATCH + 7, already_there=0)
    again = run(sam, sam, readings + steps(sam, 2, device="Phone"))
    assert again == ImportSummary(added=2, already_there=BATCH + 7)
    assert again.read == BATCH + 9
    assert len(stored(uow, sam)) == BATCH + 9
    last = audit_trail()[-1]
    assert (last.action, last.purpose, last.subject_id) == (
        "wearables.import",
        Purpose.SELF_CARE,
        sam.id,
    )


def test_a_damaged_stream_stores_nothing_even_after_whole_batches(
    run: Callable[..., ImportSummary], uow: InMemoryUnitOfWorkFactory, sam: Account
) -> None:
    def breaks_late() -> Iterator[Observation]:
        yield from steps(sam, 3 * BATCH)
        raise WearableFileError(file="export.xml", where="line 90,001", problem="cut short")

    with pytest.raises(WearableFileError, match=r"export\.xml, line 90,001: cut short"):
        run(sam, sam, breaks_late())
    assert stored(uow, sam) == []


def test_a_reading_out_of_range_or_of_someone_else_is_refused(
    run: Callable[..., ImportSummary],
    uow: InMemoryUnitOfWorkFactory,
    sam: Account,
    lucia: Account,
) -> None:
    bad = steps(sam, 3)
    bad[2] = replace(bad[2], value=-5.0)
    with pytest.raises(InvalidInput, match="Reading 3 cannot be stored: steps must lie"):
        run(sam, sam, bad)
    with pytest.raises(InvalidInput, match="Reading 1 cannot be stored: a reading of another"):
        run(sam, sam, steps(lucia, 1))
    assert stored(uow, sam) == []


def test_a_clinician_imports_only_for_a_sharing_member_of_their_team(
    run: Callable[..., ImportSummary],
    sam: Account,
    lucia: Account,
    carmen: Account,
    assign: Callable[[Account, Account], None],
    audit_trail: Callable[[], list[AuditEvent]],
) -> None:
    with pytest.raises(NotFound):
        run(carmen, sam, steps(sam, 1))
    assign(carmen, sam)
    assign(carmen, lucia)
    assert run(carmen, sam, steps(sam, 1)).added == 1
    assert audit_trail()[-1].purpose == Purpose.CARE_TEAM_REVIEW
    with pytest.raises(PermissionDenied, match="not consented to share"):
        run(carmen, lucia, steps(lucia, 1))


def test_members_and_administrators_cannot_import_for_someone_else(
    run: Callable[..., ImportSummary], sam: Account, lucia: Account, ada: Account
) -> None:
    with pytest.raises(NotFound):
        run(lucia, sam, steps(sam, 1))
    with pytest.raises(PermissionDenied, match="Administrators"):
        run(ada, sam, steps(sam, 1))


def test_the_operator_imports_for_a_member_but_not_for_staff(
    run: Callable[..., ImportSummary],
    sam: Account,
    carmen: Account,
    audit_trail: Callable[[], list[AuditEvent]],
) -> None:
    assert run(None, sam, steps(sam, 2)).added == 2
    assert audit_trail()[-1].actor_role == "operator"
    with pytest.raises(NotFound):
        run(None, carmen, steps(carmen, 1))


def test_erasing_a_member_erases_their_readings(
    run: Callable[..., ImportSummary],
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    hasher: FakePasswordHasher,
    sam: Account,
    make_member: MakeMember,
) -> None:
    other = make_member("other@example.org")
    run(sam, sam, steps(sam, 4))
    run(other, other, steps(other, 1))
    delete_member(uow(), hasher=hasher, clock=clock, actor=None, member_id=sam.id)
    assert stored(uow, sam) == []
    assert len(stored(uow, other)) == 1
