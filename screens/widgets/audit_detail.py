"""AuditDetail: everything about the event under the cursor, as inert text."""

from __future__ import annotations

import json
from datetime import tzinfo

from textual.content import Content
from textual.widgets import Static

from workstation.audit import AuditView
from workstation.text import inert


class AuditDetail(Static):
    """Who, what, when and on what; then each detail on its own line."""

    DEFAULT_CSS = """
    AuditDetail {
        height: 5;
        padding: 0 1;
        border-top: solid $primary 40%;
        color: $text;
        overflow: hidden hidden;
    }
    """

    def __init__(self, zone: tzinfo, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, markup=False)
        self.zone = zone

    def show(self, event: AuditView | None) -> None:
        """Describe `event` (nothing when None)."""
        if event is None:
            self.update(Content("No event matches these filters."))
            return
        local = event.at.astimezone(self.zone)
        target = f"{event.target_kind}:{event.target_id}" if event.target_kind else "-"
        head = (f"#{event.id}  {local:%Y-%m-%d %H:%M:%S} {local.tzname() or ''}  "
                f"{event.actor} ({event.actor_kind})  {event.action}  {target}")
        lines = [inert(head, limit=300)]
        for key, value in event.details.items():
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            lines.append(inert(f"{key}: {text}", limit=600))
        if not event.details:
            lines.append("(no details)")
        self.update(Content("\n".join(lines)))
