"""KeyFooter: Textual's Footer, rebuilt only when the keys it shows have changed.

Textual's Footer recomposes (a new widget per key, each styled and mounted) whenever the
screen says its bindings may have changed: on every focus change, every `refresh_bindings`,
every screen push and pop. Opening a conversation did that half a dozen times for the same
keys, a third of the time `enter` took. This one compares what it would show with what it
shows and recomposes only on a difference.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """The keys of the focused widget and its screen, as Textual's Footer shows them."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._shown: tuple[Any, ...] | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        shown = self._what_is_shown(screen)
        if shown != self._shown:
            self._shown = shown
            self.call_after_refresh(self.recompose)

    def _what_is_shown(self, screen: Screen[Any]) -> tuple[Any, ...]:
        app = self.app
        return tuple(
            (binding.key, app.get_key_display(binding), binding.description, binding.action,
             binding.group, enabled, tooltip, binding.tooltip)
            for _node, binding, enabled, tooltip in screen.active_bindings.values()
            if binding.show or binding.key == app.COMMAND_PALETTE_BINDING
        )
