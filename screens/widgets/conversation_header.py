"""The conversation's title bar: which thread, whose, its state, its place among its siblings."""

from __future__ import annotations

from datetime import datetime

from textual.content import Content
from textual.widgets import Static

from workstation.services.conversation_view import ConversationView
from workstation.text import inert

from . import conversation_format as fmt


class ConversationHeader(Static):
    """One line: #id, platform and kind, author, status, priority, SLA, position in the view."""

    DEFAULT_CSS = """
    ConversationHeader {
        height: 1;
        width: 1fr;
        padding: 0 1;
        background: $panel;
        color: $foreground;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__("", id=id, markup=False)
        self._shown: tuple[object, ...] = ()
        """The text and styles shown (`Content` compares its text alone)."""

    def show(self, view: ConversationView | None, now: datetime, position: str,
             conversation_id: int) -> None:
        """Repaint; `view` None while the conversation is loading."""
        content = header(view, now, position, conversation_id)
        shown = (content.plain, tuple(content.spans))
        if shown != self._shown:  # the conversation is read again every two seconds
            self._shown = shown
            self.update(content, layout=False)  # one line


def header(view: ConversationView | None, now: datetime, position: str,
           conversation_id: int) -> Content:
    """The header's content."""
    if view is None:
        return Content.assemble((f"#{conversation_id}", "bold"), ("  loading…", "dim"),
                                (f"  {position}" if position else "", "dim"))
    author = inert(view.contact.label, limit=30) if view.contact else "unknown"
    kind = {"dm": "DM", "comment": "comment", "mention": "mention"}.get(view.kind, view.kind)
    parts: list[str | Content | tuple[str, str]] = [
        (f"#{view.id}", "bold"), f" {fmt.platform_name(view.platform)} {inert(kind, limit=10)}",
        " · ", (author, "bold"),
    ]
    if view.contact is not None and view.contact.vip:
        parts.append((" ★", "bold $warning"))
    status_style = {"open": "$accent", "snoozed": "$warning", "resolved": "$success"}
    parts += [" · ", (view.status, status_style.get(view.status, ""))]
    priority = fmt.PRIORITIES.get(view.priority, str(view.priority))
    if view.priority >= 2:
        parts += [" · ", (priority, "bold $error" if view.priority == 3 else "$warning")]
    parts += [" · ", fmt.sla(view.sla_due_at, now, status=view.status)]
    if view.draft is not None:
        parts.append((" · ✎ draft", "$accent"))
    if view.claim.holder and not view.claim.mine:
        parts.append((f" · {inert(view.claim.holder, limit=16)} is here", "bold $warning"))
    if position:
        parts.append((f"  {position}", "dim"))
    return Content.assemble(*parts)
