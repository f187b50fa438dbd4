"""The composer's live preview: the reply as it would be sent, and what stops it."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from workstation.replies.render import PLACEHOLDER_CLOSE, PLACEHOLDER_OPEN
from workstation.services.composer import Preview
from workstation.text import inert

_PLACEHOLDER = f"{PLACEHOLDER_OPEN}[a-z0-9_]+{PLACEHOLDER_CLOSE}"


class ComposerPreview(Static):
    """The rendered reply (empty slots highlighted), its length against the limit, and every
    reason that blocks sending."""

    DEFAULT_CSS = """
    ComposerPreview {
        width: 1fr;
        height: auto;
        max-height: 8;
        padding: 0 1;
        overflow-y: auto;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__("", id=id, markup=False)

    def show(self, preview: Preview | None, *, part: str = "", freehand: bool = False) -> None:
        """Repaint from a preview (None: nothing composed yet)."""
        self.update(render(preview, part=part, freehand=freehand))


def render(preview: Preview | None, *, part: str = "", freehand: bool = False) -> Content:
    """The preview's content."""
    if preview is None:
        return Content.assemble(("Nothing to send yet: write above, or ctrl+t for a template",
                                 "dim"))
    lines: list[Content] = []
    if not freehand:
        text = inert(preview.draft.text, keep_newlines=True)
        lines.append(Content(text).highlight_regex(_PLACEHOLDER, style="bold reverse $warning"))
    over = preview.limit and preview.length > preview.limit
    count = Content.assemble(
        (f"{preview.length:,}/{preview.limit:,}", "bold $error" if over else "dim"),
        (" · public reply" if preview.draft.channel == "public" else " · DM", "dim"),
    )
    if preview.parts and part:
        current = next((p for p in preview.parts if p.name == part), None)
        if current is not None and current.variants > 1:
            count = count.append(Content.assemble(
                (f" · ctrl+r {part} {current.chosen + 1}/{current.variants}", "dim")))
    lines.append(count)
    if preview.draft.note:
        # The platform allows one private reply per comment: this one goes elsewhere.
        lines.append(Content.assemble(("→ ", "bold $warning"),
                                      (inert(preview.draft.note, limit=300), "$warning")))
    if preview.draft.sendable:
        lines.append(Content.assemble(("✓ ready: ctrl+s sends it to the outbox", "$success")))
    for reason in preview.draft.reasons:
        lines.append(Content.assemble(("✗ ", "bold $error"), (inert(reason, limit=300), "$error")))
    return Content("\n").join(lines)
