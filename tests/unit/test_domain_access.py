"""Least privilege: who may touch a member's clinical content, and the purpose recorded."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from tests.strategies import accounts

from haven.domain.access import Purpose, authorise_clinical_access, require_role
from haven.domain.errors import NotFound, PermissionDenied
from haven.domain.people import Account, Role


def person(role: Role) -> Account:
    return Account(
        id=uuid4(),
        email=f"{role.value}@example.org",
        role=role,
        display_name=role.value.title(),
        locale="en",
        password_hash="fake$",
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def test_a_member_reads_their_own_record_for_self_care() -> None:
    member = person(Role.MEMBER)

    purpose = authorise_clinical_access(
        actor=member, member_id=member.id, in_care_team=False, shares_with_care_team=False
    )

    assert purpose is Purpose.SELF_CARE


def test_a_member_reading_another_member_is_told_there_is_no_such_member() -> None:
    with pytest.raises(NotFound):
        authorise_clinical_access(
            actor=person(Role.MEMBER),
            member_id=uuid4(),
            in_care_team=True,
            shares_with_care_team=True,
        )


def test_a_clinician_reads_a_consenting_member_in_their_care_team_for_review() -> None:
    purpose = authorise_clinical_access(
        actor=person(Role.CLINICIAN),
        member_id=uuid4(),
        in_care_team=True,
        shares_with_care_team=True,
    )

    assert purpose is Purpose.CARE_TEAM_REVIEW


@pytest.mark.parametrize("shares", [True, False])
def test_a_clinician_outside_the_care_team_is_told_there_is_no_such_member(shares: bool) -> None:
    with pytest.raises(NotFound):
        authorise_clinical_access(
            actor=person(Role.CLINICIAN),
            member_id=uuid4(),
            in_care_team=False,
            shares_with_care_team=shares,
        )


def test_a_clinician_in_the_team_without_the_members_sharing_consent_is_refused() -> None:
    with pytest.raises(PermissionDenied):
        authorise_clinical_access(
            actor=person(Role.CLINICIAN),
            member_id=uuid4(),
            in_care_team=True,
            shares_with_care_team=False,
        )


@given(in_team=st.booleans(), shares=st.booleans(), own=st.booleans())
def test_an_administrator_never_reads_clinical_content(
    in_team: bool, shares: bool, own: bool
) -> None:
    admin = person(Role.ADMIN)

    with pytest.raises(PermissionDenied):
        authorise_clinical_access(
            actor=admin,
            member_id=admin.id if own else uuid4(),
            in_care_team=in_team,
            shares_with_care_team=shares,
        )


@given(actor=accounts, other=st.uuids(), in_team=st.booleans(), shares=st.booleans())
def test_a_member_reaches_no_record_but_their_own(
    actor: Account, other: UUID, in_team: bool, shares: bool
) -> None:
    member = replace(actor, role=Role.MEMBER)
    assume(other != member.id)

    with pytest.raises(NotFound):
        authorise_clinical_access(
            actor=member, member_id=other, in_care_team=in_team, shares_with_care_team=shares
        )


def test_require_role_names_the_roles_needed() -> None:
    with pytest.raises(PermissionDenied) as denied:
        require_role(person(Role.MEMBER), Role.ADMIN, Role.CLINICIAN)

    assert denied.value.params["roles"] == "admin, clinician"


def test_require_role_lets_the_right_role_through() -> None:
    require_role(person(Role.ADMIN), Role.ADMIN)
