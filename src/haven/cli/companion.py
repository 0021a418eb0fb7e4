"""``haven chat``, ``haven train nlu``, ``haven eval nlu`` and ``haven simulate bandit``.

``haven chat`` talks with the companion in the terminal, offline, on the local database.
At a terminal it is a Rich chat; with standard input not a terminal it reads one member
message per line, prints each reply and exits at end of input, so conversations can be
scripted. Without ``--member`` it uses the local terminal member (created on first use, with
the terms of use shown and accepted by chatting).
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from collections.abc import Iterator
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from haven.bootstrap import Container
from haven.domain.consent import ConsentKind
from haven.domain.errors import HavenError
from haven.domain.people import Account, Role
from haven.i18n import translations

__all__ = ["chat_command", "eval_nlu", "simulate_app", "train_nlu"]

TERMINAL_MEMBER = "you@haven.local"

out = Console()
err = Console(stderr=True)
simulate_app = typer.Typer(help="Simulations that check Haven's learning.", no_args_is_help=True)


def _terminal_member(container: Container, lang: str) -> Account:
    """The local member the terminal chat speaks for; made, with consent, on first use."""
    from haven.services.accounts import register_member
    from haven.services.consents import grant_consent

    with container.uow() as uow:
        account = uow.accounts.by_email(TERMINAL_MEMBER)
        granted = account is not None and bool(uow.consents.for_account(account.id))
    if account is None:
        account = register_member(
            container.uow(),
            hasher=container.hasher,
            clock=container.clock,
            email=TERMINAL_MEMBER,
            password=secrets.token_urlsafe(24),  # never used: the terminal is the login
            display_name="You",
            locale=lang,
        )
    if not granted:
        terms = container.documents[ConsentKind.TERMS_OF_USE]
        accept = translations(lang).gettext("By chatting you accept the terms of use:")
        title = terms.title.get(lang) or terms.title["en"]
        err.print(
            f"[dim]{escape(accept)} {escape(title)} (v{terms.version})[/dim]", highlight=False
        )
        grant_consent(
            container.uow(),
            clock=container.clock,
            actor=account,
            kind=ConsentKind.TERMS_OF_USE,
            version=terms.version,
            documents=container.documents,
        )
    return account


def _lines(interactive: bool) -> Iterator[str]:
    if not interactive:
        for line in sys.stdin:
            if line.strip() in {"/quit", "/exit"}:
                return
            if line.strip():
                yield line.rstrip("\n")
        return
    while True:
        try:
            line = out.input("[bold cyan]you ›[/bold cyan] ")
        except (EOFError, KeyboardInterrupt):
            out.print()
            return
        if line.strip() in {"/quit", "/exit"}:
            return
        if line.strip():
            yield line


def chat_command(
    member: Annotated[
        str | None, typer.Option(help="E-mail of the member to chat as (default: a local one).")
    ] = None,
    lang: Annotated[str | None, typer.Option(help="Language of the conversation: en or es.")] = (
        None
    ),
    country: Annotated[
        str | None, typer.Option(help="Two-letter country code for crisis lines (e.g. GB, MX).")
    ] = None,
) -> None:
    """Talk with the companion. Type /quit or press Ctrl-D to leave."""
    from haven.cli.main import _fail, _services
    from haven.services.conversations import start_conversation, take_turn

    if lang is not None and lang not in {"en", "es"}:
        raise _fail("--lang must be en or es")
    interactive = sys.stdin.isatty()
    with _services() as container:
        if member is None:
            account = _terminal_member(container, lang or "en")
        else:
            with container.uow() as uow:
                found = uow.accounts.by_email(member.strip().lower())
            if found is None or found.role is not Role.MEMBER:
                raise _fail(f"no member has the e-mail address {member!r}")
            account = found
        language = lang or account.locale.split("-")[0]
        country = country or _system_country()
        companion = container.companion
        try:
            conversation = start_conversation(
                container.uow(),
                clock=container.clock,
                actor=account,
                documents=container.documents,
            )
        except HavenError as exc:
            raise _fail(translations(language).gettext(exc.message).format(**exc.params)) from exc
        if interactive:
            leave = translations(language).gettext("type /quit to leave")
            out.print(f"[dim]Haven — {escape(leave)}[/dim]")
        for line in _lines(interactive):
            try:
                reply = take_turn(
                    container.uow(),
                    clock=container.clock,
                    actor=account,
                    conversation_id=conversation.id,
                    text=line,
                    companion=companion,
                    documents=container.documents,
                    country=country,
                    lang=language,
                )
            except HavenError as exc:
                message = translations(language).gettext(exc.message).format(**exc.params)
                err.print(f"[red]{escape(message)}[/red]", highlight=False)
                continue
            if interactive:
                for text in reply.replies:
                    out.print(
                        f"[bold magenta]Haven ›[/bold magenta] {escape(text)}", highlight=False
                    )
            else:
                sys.stdout.write("\n".join(reply.replies) + "\n\n")
                sys.stdout.flush()


def _system_country() -> str | None:
    """The region of the terminal's locale (LANG=en_GB.UTF-8 gives GB), for crisis lines."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        region = value.split(".")[0].split("_")[1:] if "_" in value else []
        if region and len(region[0]) == 2 and region[0].isalpha():
            return region[0].upper()
    return None


def train_nlu() -> None:
    """Retrain the emotion, intent and distortion classifiers on the corpus train split
    (about half a minute) and report them on the held-out test split."""
    from haven.adapters.nlu.message_classifier import default_artefact
    from haven.adapters.nlu.message_training import report_dict, train

    reports = train(default_artefact(), progress=lambda step: err.print(step))
    sys.stdout.write(json.dumps({t: report_dict(r) for t, r in reports.items()}) + "\n")


def eval_nlu() -> None:
    """Per-class precision, recall and F1 of the packaged classifiers on the corpus's
    held-out test split, with macro F1 per task; the last line is JSON."""
    from haven.adapters.nlu.message_classifier import HEADS, MessageClassifier
    from haven.adapters.nlu.message_training import embed, evaluate, report_dict
    from haven.bootstrap import _encoder
    from haven.content.nlu import corpus

    classifier = MessageClassifier.load(encoder=_encoder())
    summary = {}
    for task in HEADS:
        test = [item for item in corpus(task) if item.split == "test"]
        report = evaluate(task, classifier.heads[task], test, embed(_encoder(), test))
        table = Table(
            "class",
            "precision",
            "recall",
            "F1",
            "n",
            title=f"{task}: macro F1 {report.macro_f1:.3f}, accuracy "
            f"{report.accuracy:.3f} on {report.items} held-out items",
        )
        for label, row in report.per_class.items():
            table.add_row(
                label,
                f"{row['precision']:.3f}",
                f"{row['recall']:.3f}",
                f"{row['f1']:.3f}",
                str(row["support"]),
            )
        out.print(table)
        out.print(
            "accuracy by language: "
            + ", ".join(f"{lang} {value:.3f}" for lang, value in report.per_language.items())
        )
        summary[task] = report_dict(report)
    sys.stdout.write(
        json.dumps(
            {t: {"macro_f1": r["macro_f1"], "accuracy": r["accuracy"]} for t, r in summary.items()}
        )
        + "\n"
    )


@simulate_app.command("bandit")
def simulate_bandit(
    members: Annotated[int, typer.Option(min=1, max=10_000, help="Simulated members.")] = 200,
    rounds: Annotated[int, typer.Option(min=1, max=1000, help="Exercises per member.")] = 60,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 7,
) -> None:
    """Replay simulated members and report cumulative regret of Thompson sampling against
    random choice and the fixed best-on-average exercise; the last line is JSON."""
    from haven.content import flows
    from haven.domain.conversation.flows import FlowKind
    from haven.domain.personalization.simulation import simulate

    suits = {f.id: f.suits for f in flows().values() if f.kind is FlowKind.EXERCISE}
    result = simulate(suits, members=members, rounds=rounds, seed=seed)
    table = Table(
        "policy",
        "cumulative regret",
        "per decision",
        "mean reward",
        title=f"{members} simulated members x {rounds} exercises (seed {seed}); "
        f"fixed = {result.fixed_exercise}",
    )
    for name, policy in result.policies.items():
        table.add_row(
            name,
            f"{policy['regret']:.1f}",
            f"{policy['regret_per_decision']:.3f}",
            f"{policy['mean_reward']:.3f}",
        )
    out.print(table)
    sys.stdout.write(json.dumps(result.as_dict()) + "\n")
