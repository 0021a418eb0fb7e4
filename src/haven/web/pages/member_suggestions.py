"""The exercises the member's care team suggested, as Today and Tools show them: the title in
the member's language, the clinician's note, and where to do it (chat, or the form)."""

from __future__ import annotations

from dataclasses import dataclass

from haven.content import flows
from haven.domain.conversation.flows import Flow
from haven.domain.people import Account
from haven.domain.written_exercise import form_steps
from haven.services.exercises import assigned_exercises
from haven.web.deps import Services
from haven.web.pages.member_chat import language_of

__all__ = ["Suggestion", "form_address", "suggestions_for"]


@dataclass(frozen=True, slots=True)
class Suggestion:
    flow_id: str
    title: str
    note: str | None
    chat: str  # the chat, with the exercise's name ready to send
    form: str | None  # the exercise as a form, where it has one


def form_address(flow: Flow) -> str | None:
    """``/tools/thought-record`` for an exercise that can be done as a form, else None."""
    return f"/tools/{flow.id.replace('_', '-')}" if form_steps(flow) else None


def suggestions_for(services: Services, account: Account) -> list[Suggestion]:
    """The member's current assignments, newest first; any whose flow has since been
    withdrawn from the reviewed content is left out rather than shown as a bare id."""
    lang = language_of(account)
    known = flows()
    shown = []
    for assignment in assigned_exercises(
        services.uow(),
        clock=services.clock,
        actor=account,
        member_id=account.id,
        documents=services.documents,
    ):
        flow = known.get(assignment.flow_id)
        if flow is None:
            continue
        shown.append(
            Suggestion(
                flow_id=flow.id,
                title=flow.title.get(lang) or flow.title["en"],
                note=assignment.note_for_member,
                chat=f"/chat?start={flow.id}",
                form=form_address(flow),
            )
        )
    return shown
