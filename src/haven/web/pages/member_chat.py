"""The member's chat with the companion.

Without JavaScript the form posts, the turn is taken and the browser is sent back to the
conversation (post/redirect/get). With ``static/chat.js`` the same form is posted by
``fetch`` asking for JSON, and the new messages arrive as HTML rendered by the same macros,
so both ways show exactly the same thing. Crisis lines are for the visitor's country (the
one chosen on the help page, else the browser's region, else the member's language).
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from haven.content import flows, replies
from haven.domain.conversation.flows import StepKind
from haven.domain.conversation.record import Author, ChatMessage
from haven.domain.errors import HavenError, InvalidInput, NotFound
from haven.domain.people import Account
from haven.i18n import translations
from haven.services.conversations import (
    MAX_MESSAGE_LENGTH,
    Reply,
    conversation_messages,
    conversations_of,
    start_conversation,
    take_turn,
)
from haven.web.api.crisis import CrisisResourcesOut, resources_for
from haven.web.deps import Services
from haven.web.pages.csrf import CSRF_FIELD
from haven.web.pages.kit import MemberPage, Pages, visitor_country

__all__ = ["build_router", "fragment", "language_of"]

_SHOWN_MESSAGES = 200  # a long conversation shows its latest messages


def language_of(account: Account) -> str:
    """The two-letter language the companion speaks to this member."""
    return account.locale.split("-")[0]


def fragment(pages: Pages, account: Account, name: str, **context: Any) -> str:
    """A partial template rendered in the member's language, for a JSON answer."""
    catalog = translations(account.locale)
    template = pages.templates.get_template(name)
    return template.render(
        _=catalog.gettext, ngettext=catalog.ngettext, locale=account.locale, **context
    )


def _shown(message: ChatMessage) -> dict[str, str]:
    author = "member" if message.author is Author.MEMBER else "companion"
    return {"author": author, "body": message.body}


def _greeting(account: Account) -> str:
    """The companion's first words to a new member: that it is an AI, not a person."""
    first = replies().disclosure.first
    return first.get(language_of(account)) or first["en"]


def _quick_replies(reply: Reply, account: Account) -> list[str]:
    """Answers a member can tap for the step now waiting: yes/no, or a choice's options."""
    flow = flows().get(reply.flow or "")
    if flow is None or reply.step is None or not 0 < reply.step <= len(flow.steps):
        return []
    step = flow.steps[reply.step - 1]
    lang = language_of(account)
    if step.kind is StepKind.YES_NO:
        _ = translations(account.locale).gettext
        return [_("Yes"), _("No")]
    if step.kind is StepKind.CHOICE:
        return [option.label.get(lang) or option.label["en"] for option in step.options]
    return []


def _crisis_resources(code: str | None, account: Account) -> CrisisResourcesOut | None:
    if code is None or len(code) != 2 or not code.isascii() or not code.isalpha():
        return None
    return resources_for(code, language_of(account))


def build_router(pages: Pages) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    def latest_conversation(services: Services, account: Account) -> UUID | None:
        found = conversations_of(
            services.uow(),
            clock=services.clock,
            actor=account,
            member_id=account.id,
            documents=services.documents,
        )
        return found[0][0].id if found else None

    def chat_page(
        request: Request,
        services: Services,
        account: Account,
        *,
        draft: str = "",
        error: str | None = None,
        crisis: CrisisResourcesOut | None = None,
        welcome: bool = False,
        status_code: int = 200,
    ) -> HTMLResponse:
        conversation_id = latest_conversation(services, account)
        messages: list[ChatMessage] = []
        if conversation_id is not None:
            _, messages = conversation_messages(
                services.uow(),
                clock=services.clock,
                actor=account,
                member_id=account.id,
                conversation_id=conversation_id,
                documents=services.documents,
            )
        # A conversation not yet begun opens with the companion saying it is an AI.
        greeting = _greeting(account)
        return pages.render(
            request,
            "member/chat.html",
            account=account,
            status_code=status_code,
            messages=[_shown(m) for m in messages[-_SHOWN_MESSAGES:]],
            earlier=max(0, len(messages) - _SHOWN_MESSAGES),
            greeting=greeting if not messages else None,
            welcome=welcome,
            conversation_id=str(conversation_id) if conversation_id else "",
            draft=draft,
            error=error,
            crisis=crisis,
            max_length=MAX_MESSAGE_LENGTH,
        )

    @router.get("/chat", response_class=HTMLResponse)
    def chat(
        request: Request,
        services: Services,
        account: MemberPage,
        welcome: bool = False,
        start: Annotated[str | None, Query(max_length=64)] = None,
        resources: Annotated[str | None, Query(max_length=2)] = None,
    ) -> HTMLResponse:
        # "Do it in chat" from the Tools page: the flow's name, ready to send.
        flow = flows().get(start or "")
        lang = language_of(account)
        draft = (flow.aliases.get(lang) or flow.aliases["en"])[0].capitalize() if flow else ""
        return chat_page(
            request,
            services,
            account,
            draft=draft,
            welcome=welcome,
            crisis=_crisis_resources(resources, account),
        )

    @router.post("/chat", response_model=None)
    def send(
        request: Request,
        services: Services,
        account: MemberPage,
        # No length cap here: the service answers an overlong message with a clear message.
        text: Annotated[str, Form()] = "",
        conversation_id: Annotated[str, Form(max_length=64)] = "",
        csrf_token: Annotated[str, Form(alias=CSRF_FIELD, max_length=100)] = "",
    ) -> Response:
        wants_json = "application/json" in request.headers.get("accept", "")
        problem: tuple[str, int] | None = None
        reply: Reply | None = None
        if not pages.csrf_ok(request, csrf_token):
            problem = (pages.expired_message(request, account), 403)
        else:
            try:
                reply = take_turn(
                    services.uow(),
                    clock=services.clock,
                    actor=account,
                    conversation_id=_conversation_for(services, account, conversation_id),
                    text=text,
                    companion=services.companion,
                    documents=services.documents,
                    country=visitor_country(request),
                )
            except InvalidInput as exc:
                problem = (pages.error_message(request, exc, account), 400)
            except NotFound as exc:
                problem = (pages.error_message(request, exc, account), 404)
            except HavenError as exc:
                problem = (pages.error_message(request, exc, account), 403)
        if problem is not None or reply is None:
            message, status_code = problem or ("", 500)
            if wants_json:
                return JSONResponse({"error": message}, status_code=status_code)
            return chat_page(
                request, services, account, draft=text, error=message, status_code=status_code
            )
        shows_resources = reply.turn.show_resources
        if not wants_json:
            # ZZ (ISO 3166 "unknown") shows the international lines.
            query = f"?resources={reply.country or 'ZZ'}" if shows_resources else ""
            return RedirectResponse(f"/chat{query}#latest", status_code=303)
        resources = resources_for(reply.country, language_of(account)) if shows_resources else None
        companion_said = list(reply.replies)
        if companion_said and companion_said[0] == _greeting(account):
            # The page already shows the AI disclosure as the conversation's first message.
            companion_said = companion_said[1:]
        shown = [{"author": "member", "body": text}] + [
            {"author": "companion", "body": r} for r in companion_said
        ]
        return JSONResponse(
            {
                "conversation_id": str(reply.conversation_id),
                "html": fragment(pages, account, "member/_chat_turn.html", messages=shown),
                "resources_html": (
                    fragment(pages, account, "member/_chat_resources.html", crisis=resources)
                    if resources
                    else ""
                ),
                "quick_replies": _quick_replies(reply, account),
            }
        )

    def _conversation_for(services: Services, account: Account, given: str) -> UUID:
        """The conversation named by the form, else the latest, else a new one."""
        try:
            return UUID(given)
        except ValueError:
            pass
        latest = latest_conversation(services, account)
        if latest is not None:
            return latest
        started = start_conversation(
            services.uow(), clock=services.clock, actor=account, documents=services.documents
        )
        return started.id

    @router.post("/chat/new")
    def new_conversation(
        request: Request,
        services: Services,
        account: MemberPage,
        csrf_token: Annotated[str, Form(alias=CSRF_FIELD, max_length=100)] = "",
    ) -> Response:
        if pages.csrf_ok(request, csrf_token):
            start_conversation(
                services.uow(), clock=services.clock, actor=account, documents=services.documents
            )
        return RedirectResponse("/chat", status_code=303)

    return router
