"""Turning the conversation read model into `Content`: untrusted text stays inert, always.

Every string that came from a platform, a contact, a template or an agent's keyboard goes
through `safe` (control, escape and bidi characters neutralised by `workstation.text.inert`)
and into a `Content` built from parts, never into a markup string. Styles are applied by span.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from textual.content import Content

from workstation.services.conversation_view import MessageView
from workstation.text import inert

PLATFORMS = {"instagram": "Instagram", "facebook": "Facebook", "x": "X", "linkedin": "LinkedIn",
             "tiktok": "TikTok", "youtube": "YouTube"}
PRIORITIES = {0: "low", 1: "normal", 2: "high", 3: "urgent"}
DELIVERY = {
    "queued": ("⧗ queued", "$warning"),
    "sending": ("⇡ sending", "$warning"),
    "sent": ("✓ sent", "$success"),
    "failed": ("✗ failed", "bold $error"),
    "unknown": ("? unknown: checking", "$warning"),
    "cancelled": ("cancelled", "dim"),
}
"""Delivery state of our replies: the label and its style."""


def safe(text: str, *, limit: int | None = None, newlines: bool = False) -> Content:
    """Untrusted text as inert `Content` (never parsed as markup)."""
    return Content(inert(text, keep_newlines=newlines, limit=limit))


def platform_name(platform: str) -> str:
    """A platform's display name (unknown slugs shown as they are, made inert)."""
    return PLATFORMS.get(platform, inert(platform, limit=20))


def ago(moment: datetime, now: datetime) -> str:
    """A short relative time: "now", "5m ago", "in 2h", "3d ago"."""
    delta = moment - now
    future = delta > timedelta(0)
    size = abs(delta)
    if size < timedelta(minutes=1):
        return "now"
    if size < timedelta(hours=1):
        text = f"{int(size.total_seconds() // 60)}m"
    elif size < timedelta(days=2):
        hours, rest = divmod(int(size.total_seconds()) // 60, 60)
        text = f"{hours}h{rest:02d}" if hours < 10 and rest else f"{hours}h"
    else:
        text = f"{size.days}d"
    return f"in {text}" if future else f"{text} ago"


def local(moment: datetime) -> str:
    """A date and time in the terminal's time zone, short."""
    return moment.astimezone().strftime("%d %b %H:%M")


def sla(due: datetime | None, now: datetime, *, status: str = "open") -> Content:
    """The SLA timer: time left, coloured by urgency; a breach shown unmistakably."""
    if status == "resolved":
        return Content.assemble(("resolved", "$success"))
    if due is None:
        return Content.assemble(("no reply owed", "dim"))
    left = due - now
    if left <= timedelta(0):
        return Content.assemble((f"BREACHED {ago(due, now).removesuffix(' ago')} ago",
                                 "bold reverse $error"))
    style = "$error" if left < timedelta(minutes=15) else (
        "$warning" if left < timedelta(hours=1) else "$success")
    return Content.assemble((f"due {ago(due, now)}", style))


def message(m: MessageView, now: datetime) -> Content:
    """One message of the thread: who, when, state, then the text."""
    indent = "  " * m.depth + ("↳ " if m.depth else "")
    ours = m.direction == "out"
    if m.author_kind == "bot":
        who = Content.assemble(("⚙ bot", "bold $secondary"))
    elif ours:
        who = Content.assemble(("▶ ", "$primary"), (inert(m.author, limit=40), "bold $primary"))
    else:
        who = Content.assemble((inert(m.author, limit=40), "bold"))
    parts: list[Content | str | tuple[str, str]] = [indent, who, (f" · {ago(m.created_at, now)}",
                                                                   "dim")]
    if m.channel:
        parts.append((f" · {'DM' if m.channel == 'dm' else 'public'}", "dim"))
    if m.delivery in DELIVERY:
        label, style = DELIVERY[m.delivery]
        parts.append(" ")
        parts.append((label, style))
    if m.error:
        parts.append((f" ({inert(m.error, limit=80)})", "$error"))
    if m.hidden:
        reason = inert(m.hidden_reason, limit=60) or "no reason given"
        parts.append(("  hidden: " + reason, "italic $text-muted"))
    if m.deleted and m.delivery != "cancelled":
        parts.append(("  deleted", "italic $text-muted"))
    if m.moderation not in ("allow", "") and not m.hidden and not m.deleted:
        parts.append((f"  to {m.moderation}", "$warning"))
    head = Content.assemble(*parts)
    pad = " " * (len(indent) + (0 if m.depth else 2))
    text = inert(m.text, keep_newlines=True)
    if text.strip():
        body = Content("\n").join(Content(pad + line) for line in text.split("\n"))
    else:
        body = Content.assemble((pad + "(no text)", "dim"))
    if m.deleted:
        body = body.stylize("strike $text-muted")
    elif m.hidden:
        body = body.stylize("$text-muted")
    elif m.author_kind == "bot":
        body = body.stylize("italic")
    if m.hidden_chars:
        body = body.append(Content.assemble((f" … {m.hidden_chars:,} more characters", "dim")))
    return Content("\n").join([head, body])
