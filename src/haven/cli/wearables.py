"""``haven import FILE --member ID_OR_EMAIL``: a wearable export into a member's record,
with a progress bar of the bytes read; all of it or, if the file is damaged, none of it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from uuid import UUID

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from haven.bootstrap import Container
from haven.domain.errors import HavenError

__all__ = ["import_command"]

out = Console()


def _member_id(container: Container, member: str) -> UUID:
    from haven.cli.main import _fail

    try:
        return UUID(member.strip())
    except ValueError:
        pass
    with container.uow() as uow:
        account = uow.accounts.by_email(member.strip().lower())
    if account is None:
        raise _fail("no account has that e-mail address")
    return account.id


def import_command(
    file: Annotated[
        Path,
        typer.Argument(
            help="Apple Health export.zip or export.xml, Fitbit or Google Fit files (a zip or "
            "one file), or a generic CSV (timestamp,metric,value,unit).",
            show_default=False,
        ),
    ],
    member: Annotated[str, typer.Option(help="The member's account id or e-mail address.")],
) -> None:
    """Import wearable readings for a member; readings already stored are not added twice."""
    from haven.adapters.wearables.files import read_wearable_file
    from haven.cli.main import _fail, _services, err
    from haven.services.wearables import import_wearables

    if not file.is_file():
        raise _fail(f"{file.name}: no such file")
    size = file.stat().st_size
    with _services() as container:
        member_id = _member_id(container, member)
        bar = Progress(
            TextColumn("reading {task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=err,
            transient=True,
        )
        with bar:
            task = bar.add_task(file.name, total=size)
            try:
                summary = import_wearables(
                    container.uow(),
                    clock=container.clock,
                    actor=None,
                    member_id=member_id,
                    observations=read_wearable_file(
                        file,
                        member_id=member_id,
                        progress=lambda done: bar.update(task, completed=done),
                    ),
                    documents=container.documents,
                )
            except HavenError as exc:
                bar.stop()
                raise _fail(f"{exc}; nothing was imported") from exc
    out.print(
        f"{summary.added:,} readings imported, {summary.already_there:,} already there",
        highlight=False,
    )
