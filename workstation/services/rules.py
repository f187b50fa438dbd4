"""Turning a message into a rule: draft, preview over the recent inbox, add to rules.toml.

The TUI's "new rule from this message" dialog and `workstation rules add` both come here.
`add_rule` is the action: it needs the `edit_rules` permission (supervisor), writes the rules
file in force (`workstation.rules.write`: appended, checked whole, replaced atomically) and
records `rules.rule_added` in the same transaction; if the audit cannot be written, the old
file is put back. The workers and the workstation pick the new rule up on their next read of
the file (`LiveRules` watches its modification time).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select

from workstation import audit, db, permissions
from workstation.clock import Clock, utcnow
from workstation.models import Contact, Conversation, Direction, Message
from workstation.rules import load
from workstation.rules import draft as drafting
from workstation.rules.check import known_ids
from workstation.rules.load import RulesError, default_path, parse
from workstation.rules.preview import Preview, SampleMessage, preview
from workstation.rules.write import NotWritable, RuleDraft, RuleRefused, appended, appending, \
    not_writable, rule_text

__all__ = ["AddedRule", "EditorContext", "NotWritable", "RuleDraft", "RuleRefused",
           "add_rule", "draft_from_message", "editor_context", "preview_rule",
           "recent_messages", "require_edit"]

SAMPLE = 5000
"""Recent customer messages the preview runs the rule over."""
_M = Message.__table__.c  # type: ignore[attr-defined]
_C = Conversation.__table__.c  # type: ignore[attr-defined]
_P = Contact.__table__.c  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class EditorContext:
    """What drafting and previewing need, read once when the dialog or command starts."""

    path: Path
    """The rules file in force."""
    source: str
    """Its text when read."""
    names: frozenset[str]
    """Its rules' names (a new one must differ)."""
    sample: tuple[SampleMessage, ...]
    frequency: tuple[Counter[str], int]
    """How many sampled messages hold each word (see `draft.document_frequency`)."""
    template_ids: frozenset[str] | None
    flow_ids: frozenset[str] | None
    writable: str | None
    """Why the file cannot be written in place (None when it can)."""


@dataclass(frozen=True, slots=True)
class AddedRule:
    """A rule now in the rules file."""

    path: Path
    name: str
    text: str
    """What was appended (the comment line and the table)."""
    rules: int
    """Rules in the file now."""


def require_edit(engine: Engine, actor: str, *, clock: Clock = utcnow,
                 conversation_id: int | None = None) -> None:
    """Refuse (audited) unless `actor` may edit the rules.

    Raises:
        PermissionDenied: the role is below supervisor.
    """
    permissions.require(engine, actor, "edit_rules", clock=clock, conversation_id=conversation_id)


def recent_messages(engine: Engine, limit: int = SAMPLE) -> tuple[SampleMessage, ...]:
    """The newest `limit` customer messages, newest first, with their stored signals."""
    query = (
        select(_M.id, _M.conversation_id, _M.platform, _C.kind, _M.text, _M.lang, _M.sentiment,
               _M.intents, _M.categories, _P.followers, _P.verified, _M.created_at)
        .select_from(Message.__table__.join(Conversation.__table__,  # type: ignore[attr-defined]
                                            _C.id == _M.conversation_id)
                     .outerjoin(Contact.__table__, _P.id == _M.contact_id))  # type: ignore[attr-defined]
        .where(_M.direction == Direction.IN.value)
        .order_by(_M.id.desc()).limit(limit)
    )
    with db.read(engine) as conn:
        rows = conn.execute(query).all()
    return tuple(SampleMessage(
        r.id, r.conversation_id, r.platform, r.kind, r.text or "", r.lang or "",
        float(r.sentiment or 0.0), tuple((r.intents or "").split()),
        tuple((r.categories or "").split()), int(r.followers or 0), bool(r.verified),
        r.created_at) for r in rows)


def editor_context(engine: Engine, *, path: Path | None = None,
                   limit: int = SAMPLE) -> EditorContext:
    """Read the rules file in force and the recent inbox, once per dialog or command.

    Raises:
        RulesError: the rules file in force does not load (it must be fixed by hand first).
    """
    path = path or default_path()
    source = path.read_text(encoding="utf-8")
    ruleset = load(path)
    templates, flows, _problems = known_ids()
    sample = recent_messages(engine, limit)
    return EditorContext(
        path, source, frozenset(r.name for r in ruleset.rules), sample,
        drafting.document_frequency(m.text for m in sample),
        frozenset(templates) if templates is not None else None,
        frozenset(flows) if flows is not None else None, not_writable(path))


def draft_from_message(context: EditorContext, text: str) -> RuleDraft:
    """A first draft from a message: its distinctive phrase, a name from it, tag it."""
    terms = drafting.suggest_terms(text, context.frequency)
    name = drafting.suggest_name(terms, context.names)
    return RuleDraft(name=name, keywords=terms, tags=(name[:40],))


def preview_rule(context: EditorContext, draft: RuleDraft) -> Preview:
    """What the draft would catch in the recent inbox, judged as ingest would judge it.

    Raises:
        RuleRefused: the draft, or the rules file with it, fails a check.
    """
    problems = draft.problems()
    if problems:
        raise RuleRefused(problems)
    source = appended(context.source, rule_text(draft, actor="preview", at=utcnow()))
    try:
        ruleset = parse(source, context.path, template_ids=context.template_ids,
                        flow_ids=context.flow_ids)
    except RulesError as exc:
        raise RuleRefused(exc.problems) from None
    return preview(ruleset, draft.name, context.sample)


def add_rule(engine: Engine, actor: str, draft: RuleDraft, *, path: Path | None = None,
             conversation_id: int | None = None, clock: Clock = utcnow) -> AddedRule:
    """Append the rule to the rules file in force, audited as `rules.rule_added`.

    Args:
        engine: the store (for the permission and the audit trail).
        actor: the supervisor's login.
        draft: the rule.
        path: the rules file (default: the one in force).
        conversation_id: the conversation the rule was drawn from, if any.
        clock: the time recorded.

    Raises:
        PermissionDenied: `actor` may not edit rules (audited as `permission.denied`).
        NotWritable: the rules file cannot be written in place.
        RuleRefused: the rule or the file with it fails a check; the file is unchanged.
    """
    require_edit(engine, actor, clock=clock, conversation_id=conversation_id)
    path = path or default_path()
    now = clock()
    if conversation_id is not None:
        with db.read(engine) as conn:
            if conn.execute(select(_C.id).where(_C.id == conversation_id)).first() is None:
                raise RuleRefused([f"no conversation #{conversation_id}"])
    with appending(path, draft, actor=actor, at=now,
                   conversation_id=conversation_id) as prepared:
        with db.write(engine) as conn:
            audit.record(conn, "rules.rule_added", actor=actor, target_kind="rules",
                         target_id=draft.name, conversation_id=conversation_id, at=now,
                         details={"name": draft.name, "toml": prepared.added,
                                  "path": str(path), "conversation_id": conversation_id})
            # Last, inside the transaction: if the commit fails, `appending` puts the
            # old file back, so the file never holds a rule the trail does not.
            prepared.install()
        return AddedRule(path, draft.name, prepared.added, len(prepared.ruleset.rules))
