"""Replying: compose a reply from a template, check it, queue it, cancel it, suggest one.

The composer, `workstation reply` and the automation all call these functions, so a reply
from any of them is rendered, checked and recorded the same way. `compose` is the preview: it
renders and runs the guardrails and stores nothing. `send_reply` re-checks the draft against
the thread as it is at that moment and writes, in one transaction, the outbox row, the reply's
copy in its thread (see `reply_thread`), the wordings used (rotation) and the audit event.

A DM asked for in a Meta comment thread is the comment's private reply while it has none;
after that it goes to the customer's DM thread once they wrote there, or is refused
(`platform_rules.route_dm`): Meta accepts one private reply per comment. A public reply on
Instagram answers the customer's latest comment still shown (Instagram takes none under a
hidden comment), or is refused when they are all hidden.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, select, update

from workstation import audit, db, permissions, platform_rules
from workstation.clock import Clock, utcnow
from workstation.models import ActorKind, AuthorKind, Outbox, OutboxState
from workstation.replies import guardrails, render, rotation, slots
from workstation.replies import templates as templates_mod
from workstation.replies.guardrails import GuardrailConfig, Violation
from workstation.replies.templates import Registry, Template

from . import reply_thread
from .claims import ClaimHeld, holder
from .outbox import OutboxStateError, OutboxView, view
from .reply_context import NotFound, Sender, Thread, load_thread, resolve_agent

__all__ = [
    "Draft", "NotFound", "OutboxStateError", "ReplyBlocked", "ReplyError", "Sender",
    "cancel_reply", "compose", "draft_reply", "queue_reply", "resolve_agent", "send_reply",
]

_O = Outbox.__table__.c  # type: ignore[attr-defined]
_OUTBOX = Outbox.__table__  # type: ignore[attr-defined]


class ReplyError(Exception):
    """A reply cannot be composed or queued as asked."""


class ReplyBlocked(ReplyError):
    """The reply breaks a guardrail or is incomplete; `reasons` says why, one per line."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@dataclass(frozen=True)
class Draft:
    """A reply ready to preview, and to queue when `sendable`."""

    conversation_id: int
    text: str
    channel: str
    lang: str
    sender: Sender
    template_id: str = ""
    choices: Mapping[str, int] = field(default_factory=dict)
    """Part name to the variant used (the composer cycles them)."""
    keys: Mapping[str, str] = field(default_factory=dict)
    """Part name to the wording's key, for rotated parts; empty once the text is edited."""
    values: Mapping[str, str] = field(default_factory=dict)
    problems: tuple[str, ...] = ()
    """What makes the draft incomplete: missing slot values, refused values."""
    violations: tuple[Violation, ...] = ()
    asked_in: int | None = None
    """The conversation the reply was asked for, when it goes to another one (a DM
    redirected to the customer's DM thread, `conversation_id`); None when it stays."""
    note: str = ""
    """Why it goes to another conversation; '' when it stays."""

    @property
    def sendable(self) -> bool:
        """Whether `send_reply` would queue it (if the thread does not change meanwhile)."""
        return not self.problems and not self.violations

    @property
    def reasons(self) -> list[str]:
        """Everything that stops it, one line each."""
        return [*self.problems, *(v.reason for v in self.violations)]


def compose(
    engine: Engine,
    conversation_id: int,
    template_id: str | None = None,
    *,
    values: Mapping[str, str] | None = None,
    text: str | None = None,
    channel: str | None = None,
    lang: str | None = None,
    agent: str | None = None,
    bot: bool = False,
    choices: Mapping[str, int] | None = None,
    registry: Registry | None = None,
    config: GuardrailConfig | None = None,
    seed: int | None = None,
    clock: Clock = utcnow,
) -> Draft:
    """Render and check a reply; nothing is stored (this is the composer's preview).

    Args:
        engine: the store.
        conversation_id: the thread to answer.
        template_id: the template; None for a reply written freehand in `text`.
        values: slot values typed by the agent; they win over the ones read from the thread
            (first_name, name, handle, agent).
        text: the final text when the agent edited the rendering, or wrote it freehand.
        channel: public or dm; by default the thread's own (dm for a DM thread).
        lang: the template's language; by default the thread's.
        agent: the sending agent's login.
        bot: the automation sends it (counts against the bot's question budget).
        choices: variant per part, when the composer cycles them; else rotation picks.
        registry: loaded templates; the shipped ones by default.
        config: guardrail settings; rules.toml's by default.
        seed: makes rotation's choices reproducible.
        clock: the current time.

    Raises:
        NotFound: no such conversation, template or agent.
        ReplyError: neither a template nor a text was given.
    """
    with db.read(engine) as conn:
        return draft_reply(
            conn, conversation_id, template_id, values=values, text=text, channel=channel,
            lang=lang, agent=agent, bot=bot, choices=choices, registry=registry,
            config=config, seed=seed, now=clock(),
        )


def draft_reply(
    conn: Connection,
    conversation_id: int,
    template_id: str | None = None,
    *,
    values: Mapping[str, str] | None = None,
    text: str | None = None,
    channel: str | None = None,
    lang: str | None = None,
    agent: str | None = None,
    bot: bool = False,
    choices: Mapping[str, int] | None = None,
    registry: Registry | None = None,
    config: GuardrailConfig | None = None,
    seed: int | None = None,
    now: datetime,
) -> Draft:
    """`compose` on a connection the caller holds (the automation's batch transaction).

    Arguments as for `compose`, with `now` in place of a clock.
    """
    if template_id is None and text is None:
        raise ReplyError("give a template or a text")
    if channel not in (None, "public", "dm"):
        raise ReplyError(f"channel must be public or dm, not {channel!r}")
    thread = load_thread(conn, conversation_id)
    sender = resolve_agent(conn, agent, bot=bot)
    if template_id is None:
        channel = channel or ("dm" if thread.kind == "dm" else "public")
        thread, route = _routed(conn, thread, channel)
        draft = Draft(thread.id, text or "", channel, lang or thread.lang, sender)
    else:
        template = _template(registry, template_id, lang or thread.lang)
        if channel is None:
            dm = thread.kind == "dm" or template.channel == "dm"
            channel = "dm" if dm else "public"
        thread, route = _routed(conn, thread, channel)
        draft, fixed = _render(conn, thread, template, sender, channel, values or {},
                               choices, seed, now)
        if text is not None and text != draft.text:
            marks = [f"{render.PLACEHOLDER_OPEN}{name}{render.PLACEHOLDER_CLOSE}"
                     for name in template.slot_names]
            left = [f"the text still shows {mark}" for mark in marks if mark in text]
            draft = replace(draft, text=text, keys={}, problems=(*fixed, *left))
    if not draft.text.strip():
        draft = replace(draft, problems=(*draft.problems, "the reply is empty"))
    if thread.id != conversation_id:
        draft = replace(draft, asked_in=conversation_id, note=route.note)
    return _checked(draft, thread, config, now, route)


def _routed(conn: Connection, thread: Thread, channel: str
            ) -> tuple[Thread, platform_rules.Route]:
    """The thread a reply on `channel` goes to (and the message it answers), or why the
    platform would refuse it (`platform_rules`: one private reply per Meta comment, no public
    reply under a hidden Instagram comment)."""
    if channel != "dm":
        target, refusal = platform_rules.public_reply_target(
            conn, platform=thread.platform, conversation_id=thread.id, comment_id=thread.reply_to)
        if target != thread.reply_to:
            thread = replace(thread, reply_to=target)
        return thread, platform_rules.Route(thread.id, refusal=refusal, code="hidden_comment")
    route = platform_rules.route_dm(
        conn, conversation_id=thread.id, platform=thread.platform, kind=thread.kind,
        contact_id=thread.contact_id, comment_id=thread.reply_to)
    if route.conversation_id != thread.id:
        thread = load_thread(conn, route.conversation_id)
    return thread, route


def _template(registry: Registry | None, template_id: str, lang: str) -> Template:
    registry = registry or templates_mod.cached()
    try:
        return registry.pick(template_id, lang)
    except KeyError as exc:
        raise NotFound(exc.args[0]) from None


def _render(
    conn: Connection, thread: Thread, template: Template, sender: Sender, channel: str,
    typed: Mapping[str, str], choices: Mapping[str, int] | None, seed: int | None,
    now: datetime,
) -> tuple[Draft, tuple[str, ...]]:
    """The rendered draft, and its problems that editing the text cannot fix."""
    fixed: list[str] = []
    if not template.fits(channel):
        where = "private messages" if template.channel == "dm" else "public replies"
        fixed.append(f"template {template.id!r} is for {where}, not {channel}")
    unknown = [k for k in typed if k not in slots.STANDARD and k not in template.slots]
    fixed += [f"template {template.id!r} has no slot {{{k}}}" for k in unknown]
    problems = list(fixed)
    values = {
        "first_name": slots.first_name(thread.contact_name),
        "name": thread.contact_name,
        "handle": f"@{thread.contact_handle.lstrip('@')}" if thread.contact_handle else "",
        "agent": sender.first_name,
        **{k: v for k, v in typed.items() if k not in unknown},
    }
    if choices is None:
        history = rotation.load_history(conn, template, conversation_id=thread.id,
                                        contact_id=thread.contact_id, now=now)
        rng = random.Random(f"{seed}:{thread.id}:{template.id}") if seed is not None else None
        choices = rotation.choose(template, history, rng or random.Random(),
                                  filled={k for k, v in values.items() if v})
    result = render.render(template, values, choices)
    problems += [f"no value for {{{name}}}" for name in result.missing]
    problems += list(result.refused)
    rotated = {p.name for p in template.parts if len(p.variants) > 1}
    draft = Draft(
        thread.id, result.text, channel, template.lang, sender, template.id,
        result.choices, {k: v for k, v in result.keys.items() if k in rotated},
        {k: v for k, v in values.items() if v}, tuple(problems),
    )
    return draft, tuple(fixed)


def _context(thread: Thread, draft: Draft, now: datetime) -> guardrails.ReplyContext:
    return guardrails.ReplyContext(
        platform=thread.platform, channel=draft.channel, kind=thread.kind,
        intents=thread.intents + thread.tags, author_kind=draft.sender.author_kind, now=now,
        last_inbound_at=thread.last_inbound_at, bot_questions_asked=thread.bot_questions,
        contact_email=thread.contact_email, contact_phone=thread.contact_phone,
    )


def _checked(
    draft: Draft, thread: Thread, config: GuardrailConfig | None, now: datetime,
    route: platform_rules.Route | None = None,
) -> Draft:
    """The draft with its violations: the guardrails', and the platform's refusal."""
    config = config or guardrails.load_config_file()
    found = guardrails.check(draft.text, _context(thread, draft, now), config)
    if route is not None and route.refusal:
        found.insert(0, Violation(route.code, route.refusal))
    return replace(draft, violations=tuple(found))


def send_reply(
    engine: Engine,
    draft: Draft,
    *,
    idempotency_key: str | None = None,
    config: GuardrailConfig | None = None,
    clock: Clock = utcnow,
) -> OutboxView:
    """Queue a draft: outbox row, thread copy, rotation memory and audit, in one transaction.

    The guardrails run again on the thread as it is now (a DM window may have closed since
    the preview). Sending the same idempotency key twice queues one reply and returns it.

    Args:
        engine: the store.
        draft: from `compose`.
        idempotency_key: the composer makes one when it opens, so a double submit is safe;
            a new one by default.
        config: guardrail settings; rules.toml's by default.
        clock: the current time.

    Raises:
        ReplyBlocked: the draft is incomplete or breaks a guardrail (the refusal is audited).
        ReplyError: the key was already used for a different reply.
        NotFound: the conversation is gone.
        PermissionDenied: the sending agent may not reply.
        ClaimHeld: another agent holds a live claim on the conversation (take it over first).
    """
    sender = draft.sender.name
    if sender and draft.sender.author_kind != AuthorKind.BOT.value:
        permissions.require(engine, sender, "reply", clock=clock,
                            conversation_id=draft.conversation_id)
    with db.write(engine) as conn:
        if sender and draft.sender.author_kind != AuthorKind.BOT.value:
            now = clock()
            held = holder(conn, draft.conversation_id, agent=sender, now=now)
            if held.holder and not held.mine:
                assert held.expires_at is not None
                raise ClaimHeld(held.holder, held.expires_at)
        try:
            return queue_reply(conn, draft, idempotency_key=idempotency_key, config=config,
                               now=clock())
        except ReplyBlocked as exc:
            blocked = exc  # leave the block so the refusal's audit event commits
    raise blocked


def queue_reply(
    conn: Connection,
    draft: Draft,
    *,
    idempotency_key: str | None = None,
    config: GuardrailConfig | None = None,
    now: datetime,
) -> OutboxView:
    """`send_reply` in a write transaction the caller holds (the automation's batch).

    A refusal writes its audit event on `conn` before raising; committing is the caller's.

    Raises:
        ReplyBlocked, ReplyError, NotFound: as `send_reply`.
    """
    key = idempotency_key or uuid.uuid4().hex
    config = config or guardrails.load_config_file()
    actor = _actor(draft.sender)
    existing = conn.execute(select(_OUTBOX).where(_O.idempotency_key == key)).one_or_none()
    asked = draft.asked_in or draft.conversation_id
    thread, route = _routed(conn, load_thread(conn, asked), draft.channel)
    if existing is not None:
        if existing.conversation_id not in (asked, thread.id) or existing.text != draft.text:
            raise ReplyError(f"idempotency key {key!r} was already used for another reply")
        return view(existing)
    draft = replace(draft, conversation_id=thread.id,
                    asked_in=asked if asked != thread.id else None, note=route.note)
    checked = _checked(draft, thread, config, now, route)
    if checked.sendable:
        return _queue(conn, thread, draft, key, actor, now, asked=asked)
    audit.record(conn, "reply.blocked", **actor, conversation_id=thread.id, at=now,
                 details={"template_id": draft.template_id, "channel": draft.channel,
                          "reasons": checked.reasons,
                          "codes": [v.code for v in checked.violations]})
    raise ReplyBlocked(checked.reasons)


def _queue(conn: Connection, thread: Thread, draft: Draft, key: str, actor: dict[str, Any],
           now: datetime, outbox_id: int | None = None, asked: int | None = None
           ) -> OutboxView:
    """Write the outbox row (or fill the drafted one), the thread's copy, rotation and audit;
    `asked` is the conversation the reply was asked for, when it went to another."""
    row = {
        "conversation_id": thread.id, "reply_to_external_id": thread.reply_to,
        "channel": draft.channel, "text": draft.text, "author_kind": draft.sender.author_kind,
        "agent_id": draft.sender.agent_id, "idempotency_key": key,
        "state": OutboxState.QUEUED.value, "attempts": 0, "last_error": "",
        "next_attempt_at": None, "external_id": "", "template_id": draft.template_id,
        "created_at": now, "sent_at": None,
    }
    if outbox_id is None:
        outbox_id = conn.execute(_OUTBOX.insert().returning(_O.id), row).scalar_one()
    else:
        conn.execute(update(_OUTBOX).where(_O.id == outbox_id).values(row))
    reply_thread.post(
        conn, conversation_id=thread.id, platform=thread.platform, outbox_id=outbox_id,
        idempotency_key=key, text=draft.text, channel=draft.channel, lang=draft.lang,
        template_id=draft.template_id, author_kind=draft.sender.author_kind,
        agent_id=draft.sender.agent_id, reply_to=thread.reply_to, now=now,
    )
    if draft.template_id and draft.keys:
        rotation.remember(conn, draft.template_id, draft.lang, draft.keys, outbox_id=outbox_id,
                          conversation_id=thread.id, contact_id=thread.contact_id, now=now)
    details: dict[str, Any] = {"outbox_id": outbox_id, "template_id": draft.template_id,
                               "channel": draft.channel, "lang": draft.lang, "key": key,
                               "chars": len(draft.text)}
    if asked is not None and asked != thread.id:
        details["asked_in"] = asked
    audit.record(conn, "reply.queued", **actor, conversation_id=thread.id, at=now,
                 details=details)
    return view(conn.execute(select(_OUTBOX).where(_O.id == outbox_id)).one())


def compose_drafts(engine: Engine, *, limit: int = 200, clock: Clock = utcnow) -> int:
    """Write the text of the bot's replies that triage decided on, and queue them.

    Ingest only records which template the rules chose (an outbox row in state `draft`), so
    that taking a large file in is never slowed down by rendering; the workers call this
    before sending. A draft a guardrail refuses is cancelled, and the refusal audited.

    Returns:
        How many drafts were handled.
    """
    with db.read(engine) as conn:
        drafts = conn.execute(
            select(_O.id, _O.conversation_id, _O.template_id, _O.channel, _O.idempotency_key)
            .where(_O.state == OutboxState.DRAFT.value).order_by(_O.id).limit(limit)
        ).all()
    config = guardrails.load_config_file()
    for row in drafts:
        now = clock()
        with db.write(engine) as conn:
            if conn.execute(select(_O.state).where(_O.id == row.id)).scalar_one() != "draft":
                continue  # another worker composed it meanwhile
            try:
                draft = draft_reply(conn, row.conversation_id, row.template_id,
                                    channel=row.channel, bot=True, config=config, now=now)
                if draft.sendable:
                    _queue(conn, load_thread(conn, draft.conversation_id), draft,
                           row.idempotency_key, _actor(draft.sender), now, outbox_id=row.id,
                           asked=row.conversation_id)
                    continue
                reasons = draft.reasons
            except (ReplyError, LookupError) as exc:
                reasons = [str(exc)]
            conn.execute(update(_OUTBOX).where(_O.id == row.id).values(
                state=OutboxState.CANCELLED.value, last_error="; ".join(reasons)[:500]))
            audit.record(conn, "reply.blocked", actor="triage", actor_kind=ActorKind.BOT,
                         conversation_id=row.conversation_id, at=now,
                         details={"template_id": row.template_id, "reasons": reasons})
    return len(drafts)


def cancel_reply(engine: Engine, outbox_id: int, *, actor: str,
                 clock: Clock = utcnow) -> OutboxView:
    """Cancel a reply that has not gone out (queued or failed → cancelled).

    The thread's copy is marked deleted and the conversation owes a reply again.

    Raises:
        KeyError: no such reply.
        OutboxStateError: it is being sent or was sent already.
        PermissionDenied: `actor` may not cancel replies.
    """
    permissions.require(engine, actor, "cancel_reply", clock=clock)
    now = clock()
    with db.write(engine) as conn:
        row = conn.execute(
            select(_OUTBOX).where(_O.id == outbox_id).with_for_update()
        ).one_or_none()
        if row is None:
            raise KeyError(f"no reply #{outbox_id} in the outbox")
        if row.state not in (OutboxState.QUEUED.value, OutboxState.FAILED.value):
            raise OutboxStateError(f"reply #{outbox_id} is {row.state}; only a queued or failed"
                                   " reply can be cancelled")
        conn.execute(_OUTBOX.update().where(_O.id == outbox_id).values(
            state=OutboxState.CANCELLED.value, next_attempt_at=None))
        message = reply_thread.find(
            conn, outbox_id, (reply_thread.placeholder_id(row.idempotency_key),),
            row.conversation_id)
        if message is not None and row.state == OutboxState.QUEUED.value:
            reply_thread.withdraw(conn, message, now, delivery=OutboxState.CANCELLED.value)
        elif message is not None:
            reply_thread.discard(conn, message)
        rotation.forget(conn, outbox_id)
        audit.record(conn, "reply.cancelled", actor=actor, conversation_id=row.conversation_id,
                     target_kind="outbox", target_id=outbox_id, at=now,
                     details={"was": row.state})
        return view(conn.execute(select(_OUTBOX).where(_O.id == outbox_id)).one())


def _actor(sender: Sender) -> dict[str, Any]:
    if sender.author_kind == AuthorKind.BOT.value:
        return {"actor": "bot", "actor_kind": ActorKind.BOT}
    if sender.name:
        return {"actor": sender.name, "actor_kind": ActorKind.AGENT}
    return {"actor": "cli", "actor_kind": ActorKind.SYSTEM}

