"""``haven``: serve, migrate, manage users, verify the audit trail, rotate keys, export.

Run ``haven --help`` or ``haven COMMAND --help``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from haven.bootstrap import Container, bootstrap
from haven.config import Settings
from haven.domain.errors import HavenError
from haven.domain.people import Account, Role

app = typer.Typer(help="Haven: AI-assisted mental-health care.", no_args_is_help=True)
db_app = typer.Typer(help="The database schema.", no_args_is_help=True)
users_app = typer.Typer(help="Accounts and care teams.", no_args_is_help=True)
audit_app = typer.Typer(help="The tamper-evident audit trail.", no_args_is_help=True)
keys_app = typer.Typer(help="Encryption keys.", no_args_is_help=True)
reminders_app = typer.Typer(help="Questionnaire reminders.", no_args_is_help=True)
alerts_app = typer.Typer(help="The care team's alert queue.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")
app.add_typer(keys_app, name="keys")
app.add_typer(reminders_app, name="reminders")

# Risk detection (rules, then the classifier): `haven risk`, `haven eval risk FILE` and
# `haven train risk`.
from haven.cli.risk import eval_app, risk_command, train_app  # noqa: E402

app.command("risk")(risk_command)
app.add_typer(eval_app, name="eval")
app.add_typer(train_app, name="train")
app.add_typer(alerts_app, name="alerts")

# The companion: `haven chat`, `haven train nlu`, `haven eval nlu`, `haven simulate bandit`.
from haven.cli.companion import chat_command, eval_nlu, simulate_app, train_nlu  # noqa: E402

app.command("chat")(chat_command)
eval_app.command("nlu")(eval_nlu)
train_app.command("nlu")(train_nlu)
app.add_typer(simulate_app, name="simulate")

# Monitoring: `haven simulate cohort` and `haven eval deterioration`.
from haven.cli.monitoring import eval_deterioration, simulate_cohort  # noqa: E402

simulate_app.command("cohort")(simulate_cohort)
eval_app.command("deterioration")(eval_deterioration)

# Wearable imports: `haven import FILE --member ID_OR_EMAIL`.
from haven.cli.wearables import import_command  # noqa: E402

app.command("import")(import_command)

# Closing the loop: `haven monitor run`.
from haven.cli.monitor import monitor_app  # noqa: E402

app.add_typer(monitor_app, name="monitor")

out = Console()
err = Console(stderr=True)


@contextmanager
def _services(*, run_migrations: bool = True) -> Iterator[Container]:
    container = bootstrap(Settings(), run_migrations=run_migrations)
    try:
        yield container
    finally:
        container.close()


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]error:[/red] {escape(message)}", soft_wrap=True, highlight=False)
    return typer.Exit(code)


def _account(container: Container, email: str) -> Account:
    with container.uow() as uow:
        account = uow.accounts.by_email(email.strip().lower())
    if account is None:
        raise _fail(f"no account has the e-mail address {email!r}")
    return account


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Migrate the database, then serve the web app and API."""
    import uvicorn

    from haven.logs import configure_logging
    from haven.web.app import create_app

    settings = Settings()
    configure_logging(settings.log_level)
    container = bootstrap(settings)
    host, port = host or settings.host, port or settings.port
    out.print(f"Haven is running at [bold]http://{host}:{port}[/bold]  (Ctrl+C stops it)")
    uvicorn.run(create_app(container), host=host, port=port, log_config=None, access_log=False)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending schema migration."""
    from haven.adapters.db import migrate

    with _services(run_migrations=False) as container:
        migrate.upgrade(container.engine)
        out.print(f"database at revision {migrate.current_revision(container.engine)}")


@users_app.command("create")
def users_create(
    email: Annotated[str, typer.Option(help="Login e-mail address.")],
    role: Annotated[Role, typer.Option(help="member, clinician or admin.")],
    name: Annotated[str, typer.Option(help="Name shown in Haven.")],
    locale: Annotated[str, typer.Option(help="Language: en or es.")] = "en",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create an account (you are asked for its password)."""
    from haven.services.accounts import create_account

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with _services() as container:
        try:
            account = create_account(
                container.uow(),
                hasher=container.hasher,
                clock=container.clock,
                actor=None,
                email=email,
                password=password,
                role=role,
                display_name=name,
                locale=locale,
            )
        except HavenError as exc:
            raise _fail(str(exc)) from exc
        out.print(f"created {account.role.value} {account.email} ({account.id})")


@users_app.command("list")
def users_list(
    role: Annotated[Role | None, typer.Option(help="Only this role.")] = None,
) -> None:
    """List accounts."""
    from haven.services.accounts import list_accounts

    with _services() as container:
        table = Table("id", "e-mail", "role", "language", "created")
        for account in list_accounts(container.uow(), clock=container.clock, actor=None, role=role):
            table.add_row(
                str(account.id),
                account.email,
                account.role.value,
                account.locale,
                account.created_at.strftime("%Y-%m-%d"),
            )
        out.print(table)


@users_app.command("assign")
def users_assign(
    clinician: Annotated[str, typer.Option(help="The clinician's e-mail address.")],
    member: Annotated[str, typer.Option(help="The member's e-mail address.")],
) -> None:
    """Put a member in a clinician's care team."""
    from haven.services.accounts import assign_to_care_team

    with _services() as container:
        try:
            assign_to_care_team(
                container.uow(),
                clock=container.clock,
                actor=None,
                clinician_id=_account(container, clinician).id,
                member_id=_account(container, member).id,
            )
        except HavenError as exc:
            raise _fail(str(exc)) from exc
        out.print(f"{member} is now in {clinician}'s care team")


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the audit trail's hash chain; exit 1 at the first tampered entry."""
    from haven.services.audit_trail import verify_audit_trail

    with _services() as container:
        head, problem = verify_audit_trail(container.uow())
    if problem is not None:
        raise _fail(f"audit trail broken at entry {problem.seq}: {problem.problem}")
    out.print(f"audit trail intact: {head.seq if head else 0} entries")


@keys_app.command("rotate")
def keys_rotate(
    batch: Annotated[int, typer.Option(min=1, help="Data keys re-wrapped per transaction.")] = 500,
) -> None:
    """Put a new master key in service and re-wrap every data key under it, while Haven runs."""
    from haven.adapters.crypto.keyring import KeyFileError
    from haven.services.keys import rewrap_data_keys

    with _services() as container:
        keyring = container.keyring
        if container.settings.master_key is None:
            new_id = keyring.add_primary_to_key_file()
            out.print(f"new master key {new_id} added to the key file")
        elif len(keyring.key_ids) < 2:
            raise _fail(
                "HAVEN_MASTER_KEY holds one key: generate a new one, set HAVEN_MASTER_KEY=NEW,OLD, "
                "restart the servers, then run this again"
            )
        count = rewrap_data_keys(container.uow, clock=container.clock, batch=batch)
        out.print(f"re-wrapped {count} data keys under master key {keyring.primary_id}")
        with container.uow() as uow:
            in_use = set(uow.data_keys.master_keys_in_use())
        try:
            retired = keyring.retire_unused(in_use)
        except KeyFileError as exc:
            raise _fail(str(exc)) from exc
        if retired:
            out.print(f"retired master keys no longer in use: {', '.join(retired)}")
        elif container.settings.master_key is not None:
            out.print("remove the old key from HAVEN_MASTER_KEY at the next restart")


@app.command("export")
def export(
    member: Annotated[str, typer.Option(help="The member's e-mail address.")],
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Write here (mode 0600) instead of stdout.")
    ] = None,
) -> None:
    """Export everything Haven holds about a member, decrypted, as JSON."""
    import os

    from haven.services.data_rights import export_member_data

    with _services() as container:
        try:
            data = export_member_data(
                container.uow(),
                clock=container.clock,
                actor=None,
                member_id=_account(container, member).id,
                documents=container.documents,
            )
        except HavenError as exc:
            raise _fail(str(exc)) from exc
        document = json.dumps(data, indent=2, ensure_ascii=False)
        if out_file is None:
            sys.stdout.write(document + "\n")
            return
        fd = os.open(out_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(document + "\n")
        err.print(f"wrote {out_file}")


@app.command("score")
def score_command(
    instrument: Annotated[
        str | None, typer.Argument(help="Instrument id, e.g. phq9, gad7, who5, cssrs.")
    ] = None,
    answers: Annotated[
        list[str] | None,
        typer.Argument(
            help="Answer values in question order (yes/no for the C-SSRS; '-' for a "
            "question skip logic did not ask).",
            show_default=False,
        ),
    ] = None,
    list_instruments: Annotated[
        bool, typer.Option("--list", help="List the instruments and their answer values.")
    ] = False,
) -> None:
    """Score one questionnaire; prints {"instrument", "total", "severity", "flags"} as JSON."""
    from haven.content import instruments
    from haven.domain.answers import answers_from_sequence, parse_answer
    from haven.domain.scoring import score
    from haven.services.assessments import find_instrument

    known = instruments()
    if list_instruments:
        listing = [
            {
                "id": i.id,
                "name": i.short_name,
                "title": i.name["en"],
                "questions": len(i.items),
                "values": sorted({o.value for item in i.items for o in i.options_for(item)}),
                "total_range": list(i.total_range) if i.scoring == "sum" else None,
            }
            for i in known.values()
        ]
        out.print_json(data=listing)
        return
    if instrument is None:
        raise _fail("name an instrument (haven score --list shows them), then its answers", 2)
    try:
        chosen = find_instrument(known, instrument)
        tokens = [t for arg in answers or [] for t in arg.replace(",", " ").split()]
        values = [parse_answer(token, position=n) for n, token in enumerate(tokens, start=1)]
        result = score(instrument=chosen, answers=answers_from_sequence(chosen, values))
    except HavenError as exc:
        raise _fail(str(exc), 2) from None
    typer.echo(
        json.dumps(
            {
                "instrument": chosen.id,
                "total": result.total,
                "severity": result.severity,
                "flags": [flag.code for flag in result.flags],
            }
        )
    )


@reminders_app.command("send")
def reminders_send() -> None:
    """E-mail members whose questionnaires are due or overdue, and check-in reminders on each
    member's own schedule (run it hourly from cron)."""
    from haven.services.schedules import send_reminders

    with _services() as container:
        if container.mailer is None:
            raise _fail("no mail server is set: give HAVEN_SMTP_HOST (see the README)")
        run = send_reminders(container.uow, clock=container.clock, mailer=container.mailer)
    out.print(
        f"{run.sent} reminder(s) sent, {run.failed} failed; "
        f"{run.checkins_sent} check-in reminder(s) sent, {run.checkins_failed} failed"
    )
    if run.failed or run.checkins_failed:
        raise typer.Exit(1)


@alerts_app.command("notify")
def alerts_notify() -> None:
    """Tell care teams of new alerts and escalate overdue ones (run it every minute)."""
    from haven.services.alert_notices import send_alert_notices

    with _services() as container:
        settings = container.settings
        if container.mailer is None and container.webhook is None:
            raise _fail("no channel is set: give HAVEN_SMTP_HOST or HAVEN_ALERT_WEBHOOK_URL")
        run = send_alert_notices(
            container.uow,
            clock=container.clock,
            policy=container.escalation,
            documents=container.documents,
            public_url=settings.public_url,
            mailer=container.mailer,
            webhook=container.webhook,
            escalation_email=settings.alert_escalation_email,
        )
    out.print(f"{run.notified} alert(s) notified, {run.escalated} escalated, {run.failed} failed")
    if run.failed:
        raise typer.Exit(1)


@app.command("demo")
def demo() -> None:
    """Create the demo accounts (once) and print their logins."""
    from haven.services.demo import DEMO_PASSWORD, seed_demo

    with _services() as container:
        try:
            created = seed_demo(
                container.uow,
                hasher=container.hasher,
                clock=container.clock,
                companion=container.companion,
            )
        except HavenError as exc:
            raise _fail(str(exc)) from exc
        table = Table("role", "e-mail", "password", title="Demo logins (for trying Haven only)")
        for account in created:
            table.add_row(account.role.value, account.email, DEMO_PASSWORD)
        out.print(table)


def main() -> None:  # pragma: no cover - console entry
    app()
