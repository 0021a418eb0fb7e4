"""Demo accounts so a fresh install has someone to sign in as. Never use on real data."""

from __future__ import annotations

from haven.domain.consent import ConsentKind
from haven.domain.people import Account, Role
from haven.domain.ports import Clock, PasswordHasher, UnitOfWorkFactory
from haven.services.accounts import assign_to_care_team, create_account
from haven.services.consents import grant_consent
from haven.services.records import write_journal_entry

__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "seed_demo"]

DEMO_PASSWORD = "haven-demo-2026"  # noqa: S105 - published on purpose, demo only
DEMO_ACCOUNTS = (
    ("admin@haven.example", Role.ADMIN, "Ada Admin"),
    ("clinician@haven.example", Role.CLINICIAN, "Dr Carmen Ruiz"),
    ("member@haven.example", Role.MEMBER, "Sam Rivera"),
    ("miembro@haven.example", Role.MEMBER, "Lucía Gómez"),
)


def seed_demo(uow: UnitOfWorkFactory, *, hasher: PasswordHasher, clock: Clock) -> list[Account]:
    """Create any demo account that is missing; return all of them."""
    from haven.content import consent_documents

    documents = consent_documents()
    accounts: list[Account] = []
    for email, role, name in DEMO_ACCOUNTS:
        with uow() as u:
            existing = u.accounts.by_email(email)
        if existing is not None:
            accounts.append(existing)
            continue
        locale = "es" if email.startswith("miembro") else "en"
        account = create_account(
            uow(),
            hasher=hasher,
            clock=clock,
            actor=None,
            email=email,
            password=DEMO_PASSWORD,
            role=role,
            display_name=name,
            locale=locale,
        )
        accounts.append(account)
        if role is Role.MEMBER:
            for kind in (ConsentKind.TERMS_OF_USE, ConsentKind.CARE_TEAM_SHARING):
                grant_consent(
                    uow(),
                    clock=clock,
                    actor=account,
                    kind=kind,
                    version=documents[kind].version,
                    documents=documents,
                )
            write_journal_entry(
                uow(),
                clock=clock,
                actor=account,
                member_id=account.id,
                body="Slept badly, but the walk at lunch helped."
                if locale == "en"
                else "Dormí mal, pero el paseo del mediodía me ayudó.",
                documents=documents,
            )
    clinician = next(a for a in accounts if a.role is Role.CLINICIAN)
    for member in (a for a in accounts if a.role is Role.MEMBER):
        assign_to_care_team(
            uow(), clock=clock, actor=None, clinician_id=clinician.id, member_id=member.id
        )
    return accounts
