"""The command palette (`ctrl+p`): every view, every screen and every action by name.

Actions are not listed by hand: they are the key bindings active where the palette was opened
(the focused widget, its screen, the app), so a key added to any screen is in the palette at
once, with its key shown beside it, and each screen contributes its own without `isinstance`
checks here. Views come from the app's configuration. Nothing here reads the store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from workstation.text import inert

if TYPE_CHECKING:
    from screens.app import WorkstationApp


class WorkstationCommands(Provider):
    """Views, screens and the actions bound on the current screen."""

    def _commands(self) -> Iterator[tuple[str, str, Callable[[], Any]]]:
        app = cast("WorkstationApp", self.app)
        for index, view in enumerate(app.views):
            key = f" ({index + 1})" if index < 9 else ""
            yield (f"View: {inert(view.title, limit=40)}{key}", inert(view.description),
                   partial(app.show_view, view.key))
        yield "Screen: Queue", "the saved views", app.show_queue
        yield "Screen: KPI panel (K)", "the numbers that say whether the work pays", app.action_kpi
        yield "Screen: Audit trail (A)", "who did what, when", app.action_audit
        seen: set[tuple[int, str]] = {(id(app), "kpi"), (id(app), "audit")}
        for active in self.screen.active_bindings.values():
            binding, node = active.binding, active.node
            if (not active.enabled or not binding.description or binding.system
                    or binding.action.startswith(("view(", "app.quit", "command_palette"))
                    or (id(node), binding.action) in seen):
                continue
            seen.add((id(node), binding.action))
            shown = app.get_key_display(binding)
            yield (f"{binding.description} ({shown})", binding.tooltip,
                   partial(app.run_action, binding.action, node))

    async def discover(self) -> Hits:
        for text, help_text, command in self._commands():
            yield DiscoveryHit(Content(text), command, text=text, help=help_text or None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, command in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), command, text=text,
                          help=help_text or None)
