"""Signing up, accounts made by administrators, care-team assignment and profiles."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from haven.adapters.memory import FakePasswordHasher, InMemoryUnitOfWorkFactory, ManualClock
from haven.domain.audit import AuditEvent
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from haven.domain.people import Account, Role
from haven.services.accounts import (
    assign_to_care_team,
    caseload,
    create_account,
    list_accounts,
    member_profile,
    register_member,
    unassign_from_care_team,
    update_profile,
)

Documents = dict[ConsentKind, ConsentDocument]


@pytest.fixture
def register(
    uow: InMemoryUnitOfWorkFactory, clock: ManualClock, hasher: FakePasswordHasher, password: str
) -> Callable[..., Account]:
    def sign_up(
        email: str = "sam@example.org",
        *,
        password: str = password,
        display_name: str = "Sam",
        locale: str = "en",
    ) -> Account:
        return register_member(
            uow(),
            hasher=hasher,
            clock=clock,
            email=email,
            password=password,
            display_name=display_name,
            locale=locale,
        )

    return sign_up


def test_signing_up_stores_a_member_with_a_normalised_address_and_name(
    register: Callable[..., Account], uow: InMemoryUnitOfWorkFactory
) -> None:
    member = register(" Sam@Example.ORG ", display_name="  Sam Rivera ", locale="es")

    assert (member.email, member.display_name, member.locale, member.role) == (
        "sam@example.org",
        "Sam Rivera",
        "es",
        Role.MEMBER,
    )
    with uow() as u:
        assert u.accounts.get(member.id) == member


def test_signing_up_gives_the_member_a_data_key_under_the_primary_master_key(
    register: Callable[..., Account], uow: InMemoryUnitOfWorkFactory
) -> None:
    register()

    with uow() as u:
        assert u.data_keys.master_keys_in_use() == {uow.store.primary_key_id: 1}


def test_signing_up_is_audited_as_the_new_member(
    register: Callable[..., Account], audit_trail: Callable[[], list[AuditEvent]]
) -> None:
    member = register()

    (event,) = audit_trail()
    assert (event.action, event.purpose, event.actor_id, event.subject_id) == (
        "account.register",
        "account-administration",
        member.id,
        member.id,
    )


def test_an_address_already_in_use_is_refused_whatever_its_case(
    register: Callable[..., Account], uow: InMemoryUnitOfWorkFactory
) -> None:
    register("sam@example.org")
    before = uow.store.committed.snapshot()

    with pytest.raises(Conflict):
        register("SAM@example.org")

    assert uow.store.committed == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "not an address"}, "email"),
        ({"password": "short"}, "password"),
        ({"display_name": "  "}, "display_name"),
        ({"locale": "fr"}, "locale"),
    ],
)
def test_invalid_sign_up_details_are_refused_and_nothing_is_stored(
    register: Callable[..., Account],
    uow: InMemoryUnitOfWorkFactory,
    changes: dict[str, str],
    field: str,
) -> None:
    with pytest.raises(InvalidInput) as invalid:
        register(**changes)

    assert invalid.value.field == field
    assert uow.store.committed.accounts == {}
    assert uow.store.committed.audit == []
    assert uow.store.committed.data_keys == {}


def test_an_administrator_makes_a_clinician_account(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    hasher: FakePasswordHasher,
    audit_trail: Callable[[], list[AuditEvent]],
    ada: Account,
    password: str,
) -> None:
    clinician = create_account(
        uow(),
        hasher=hasher,
        clock=clock,
        actor=ada,
        email="dr.ruiz@example.org",
        password=password,
        role=Role.CLINICIAN,
        display_name="Dr Ruiz",
    )

    assert clinician.role is Role.CLINICIAN
    last = audit_trail()[-1]
    assert (last.action, last.actor_id, last.subject_id) == ("account.create", ada.id, clinician.id)


@pytest.mark.parametrize("who", ["sam", "carmen"])
def test_only_administrators_make_accounts(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    hasher: FakePasswordHasher,
    request: pytest.FixtureRequest,
    password: str,
    who: str,
) -> None:
    actor: Account = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        create_account(
            uow(),
            hasher=hasher,
            clock=clock,
            actor=actor,
            email="someone@example.org",
            password=password,
            role=Role.ADMIN,
            display_name="Someone",
        )


def test_an_administrator_lists_accounts_oldest_first_and_by_role(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    make_member: Callable[..., Account],
    audit_trail: Callable[[], list[AuditEvent]],
    ada: Account,
    carmen: Account,
) -> None:
    clock.advance(timedelta(minutes=1))
    zoe = make_member("zoe@example.org")
    clock.advance(timedelta(minutes=1))
    amy = make_member("amy@example.org")

    assert list_accounts(uow(), clock=clock, actor=ada, role=Role.MEMBER) == [zoe, amy]
    assert list_accounts(uow(), clock=clock, actor=ada) == [ada, carmen, zoe, amy]
    assert audit_trail()[-1].action == "account.list"


def test_a_clinician_cannot_list_accounts(
    uow: InMemoryUnitOfWorkFactory, clock: ManualClock, carmen: Account
) -> None:
    with pytest.raises(PermissionDenied):
        list_accounts(uow(), clock=clock, actor=carmen)


def test_a_clinicians_caseload_lists_the_members_assigned_to_them(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    assign: Callable[[Account, Account], None],
    sam: Account,
    lucia: Account,
    carmen: Account,
) -> None:
    assign(carmen, lucia)
    assign(carmen, sam)
    assign(carmen, lucia)

    assert caseload(uow(), clock=clock, actor=carmen) == [lucia, sam]


def test_unassigning_removes_the_member_from_the_caseload(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    assign: Callable[[Account, Account], None],
    sam: Account,
    carmen: Account,
) -> None:
    assign(carmen, sam)

    unassign_from_care_team(
        uow(), clock=clock, actor=None, clinician_id=carmen.id, member_id=sam.id
    )

    assert caseload(uow(), clock=clock, actor=carmen) == []
    with pytest.raises(NotFound):
        unassign_from_care_team(
            uow(), clock=clock, actor=None, clinician_id=carmen.id, member_id=sam.id
        )


def test_a_member_has_no_caseload(
    uow: InMemoryUnitOfWorkFactory, clock: ManualClock, sam: Account
) -> None:
    with pytest.raises(PermissionDenied):
        caseload(uow(), clock=clock, actor=sam)


@pytest.mark.parametrize(
    ("clinician", "member", "field"),
    [("sam", "lucia", "clinician_id"), ("carmen", "carmen", "member_id")],
)
def test_care_teams_join_a_clinician_to_a_member_and_nothing_else(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    request: pytest.FixtureRequest,
    clinician: str,
    member: str,
    field: str,
) -> None:
    with pytest.raises(InvalidInput) as invalid:
        assign_to_care_team(
            uow(),
            clock=clock,
            actor=None,
            clinician_id=request.getfixturevalue(clinician).id,
            member_id=request.getfixturevalue(member).id,
        )

    assert invalid.value.field == field


def test_a_clinician_cannot_assign_themself_to_a_member(
    uow: InMemoryUnitOfWorkFactory, clock: ManualClock, sam: Account, carmen: Account
) -> None:
    with pytest.raises(PermissionDenied):
        assign_to_care_team(
            uow(), clock=clock, actor=carmen, clinician_id=carmen.id, member_id=sam.id
        )


def test_a_member_changes_their_name_and_language(
    uow: InMemoryUnitOfWorkFactory, clock: ManualClock, sam: Account
) -> None:
    updated = update_profile(uow(), clock=clock, actor=sam, display_name=" Sam R. ", locale="es")

    assert (updated.display_name, updated.locale) == ("Sam R.", "es")
    with uow() as u:
        assert u.accounts.get(sam.id) == updated


def test_an_unsupported_language_leaves_the_profile_as_it_was(
    uow: InMemoryUnitOfWorkFactory, clock: ManualClock, sam: Account
) -> None:
    before = uow.store.committed.snapshot()

    with pytest.raises(InvalidInput):
        update_profile(uow(), clock=clock, actor=sam, display_name="New name", locale="fr")

    assert uow.store.committed == before


def test_a_clinician_reads_an_assigned_members_profile_and_it_is_audited(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    assign: Callable[[Account, Account], None],
    audit_trail: Callable[[], list[AuditEvent]],
    sam: Account,
    carmen: Account,
) -> None:
    assign(carmen, sam)

    profile = member_profile(
        uow(), clock=clock, actor=carmen, member_id=sam.id, documents=documents
    )

    assert profile == sam
    last = audit_trail()[-1]
    assert (last.action, last.purpose, last.subject_id) == (
        "profile.read",
        "care-team-review",
        sam.id,
    )


def test_an_administrator_cannot_open_a_members_profile_as_clinical_content(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    sam: Account,
    ada: Account,
) -> None:
    with pytest.raises(PermissionDenied):
        member_profile(uow(), clock=clock, actor=ada, member_id=sam.id, documents=documents)
