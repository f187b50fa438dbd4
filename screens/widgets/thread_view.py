"""The thread: the post, then the messages in order, one selectable entry each.

An `OptionList` of `Content` prompts (never markup): it renders only the visible lines, wraps
long messages and keeps a highlighted entry, which is the message that `h` (hide) and `D`
(delete) act on. Repainting keeps the selection on the same message, so a live update never
moves the agent's place.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from workstation.services.conversation_view import MessageView, PostView
from workstation.text import inert

from . import conversation_format as fmt


class ThreadView(OptionList):
    """The messages of one conversation, oldest first, the newest selected at first.

    The selection stays on its message when the thread is repainted, unless it was on the
    newest one: then it follows the newest, so a reply just sent comes into view.
    """

    DEFAULT_CSS = """
    ThreadView {
        height: 1fr;
        max-height: 100%;
        border: none;
        padding: 0 1 0 0;
        background: $surface;
        &:focus { border: none; background-tint: $foreground 0%; }
        & > .option-list--option { padding: 0 0 0 1; }
        & > .option-list--option-disabled { color: $text-muted; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Next message", show=False, id="thread.down"),
        Binding("k", "cursor_up", "Previous message", show=False, id="thread.up"),
        Binding("g", "first", "First message", show=False, id="thread.first"),
        Binding("G", "last", "Last message", show=False, id="thread.last"),
    ]

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id, markup=False)
        self._messages: tuple[MessageView, ...] = ()
        self._post: PostView | None = None
        self._earlier = 0

    @property
    def selected(self) -> MessageView | None:
        """The highlighted message, if a message (not the post) is highlighted."""
        option = self.highlighted_option
        if option is None or option.id is None or not option.id.startswith("m"):
            return None
        wanted = int(option.id[1:])
        return next((m for m in self._messages if m.id == wanted), None)

    def show(self, post: PostView | None, messages: tuple[MessageView, ...], earlier: int,
             now: datetime) -> None:
        """Show a thread, keeping the selected message selected if it is still there."""
        if (post, messages, earlier) == (self._post, self._messages, self._earlier):
            return
        keep = self.selected
        at_end = keep is None or (bool(self._messages) and keep.id == self._messages[-1].id)
        self._post, self._messages, self._earlier = post, messages, earlier
        options: list[Option | None] = []
        if post is not None:
            caption = fmt.safe(post.caption, limit=280) if post.caption else Content("(no caption)")
            campaign = f" · {inert(post.campaign, limit=40)}" if post.campaign else ""
            options.append(Option(Content.assemble(("Post", "bold"), (campaign, "dim"), "\n",
                                                   caption), id="post", disabled=True))
            options.append(None)
        if earlier:
            options.append(Option(Content.assemble(
                (f"… {earlier:,} earlier messages not shown", "dim")), id="earlier",
                disabled=True))
        for m in messages:
            options.append(Option(fmt.message(m, now), id=f"m{m.id}"))
            options.append(None)
        if options and options[-1] is None:
            options.pop()
        self.set_options(options)
        ids = [m.id for m in messages]
        if keep is not None and keep.id in ids and not at_end:
            self.highlighted = self.get_option_index(f"m{keep.id}")
        elif messages:
            self.highlighted = self.get_option_index(f"m{messages[-1].id}")
        self.scroll_to_highlight()

    def clear(self) -> None:
        """Show nothing (another conversation is being read)."""
        self._post, self._messages, self._earlier = None, (), 0
        self.clear_options()

    def refresh_times(self, now: datetime) -> None:
        """Redraw relative times ("5m ago") without changing anything else."""
        for m in self._messages:
            self.replace_option_prompt(f"m{m.id}", fmt.message(m, now))
