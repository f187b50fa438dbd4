"""QueueList: a virtual list of a view's conversations, drawn one line at a time.

A view can hold 200,000 conversations, so the list never holds them all: it draws only the
lines on screen (Textual's Line API), from a `RowWindow` of rows read page by page in thread
workers by keyset from the store. A line whose row is not read yet shows a placeholder and
asks for its page. When the store changes, `reload` reads the view again around the row under
the cursor and keeps that row under the cursor, at the same height on screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from sqlalchemy import Engine
from textual import events, on, work
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

from workstation.clock import Clock
from workstation.services import view_pager
from workstation.services.view_pager import Fetch, Reloaded, RowWindow
from workstation.services.view_rows import QueueItem, ViewQuery

from .queue_columns import WIDE_FROM, cells, fit, layout, urgency

SIBLINGS = 100
"""How many rows on each side of the cursor `[` and `]` can reach from a conversation."""


class QueueList(ScrollView, can_focus=True, inherit_bindings=False):
    """The rows of one saved view, with a cursor and marks; `enter` opens, `space` marks."""

    DEFAULT_CSS = """
    QueueList {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: scroll;
        scrollbar-size-vertical: 1;
        scrollbar-gutter: stable;
        background: $surface;
        color: $foreground;
        & > .queue-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .queue-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .queue-list--marked { background: $accent 35%; text-style: bold; }
        & > .queue-list--breached { background: $error; color: auto 95%; text-style: bold; }
        & > .queue-list--urgent { color: $error; text-style: bold; }
        & > .queue-list--soon { color: $warning; }
        & > .queue-list--calm { color: $foreground; }
        & > .queue-list--none { color: $foreground 50%; }
        & > .queue-list--priority-high { color: $warning; text-style: bold; }
        & > .queue-list--priority-urgent { color: $error; text-style: bold; }
        & > .queue-list--vip { color: $warning; text-style: bold; }
        & > .queue-list--negative { color: $error; }
        & > .queue-list--positive { color: $success; }
        & > .queue-list--dim { color: $foreground 60%; }
        & > .queue-list--viewer { color: $accent; text-style: bold; }
        & > .queue-list--placeholder { color: $foreground 30%; }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "queue-list--cursor", "queue-list--marked", "queue-list--breached",
        "queue-list--urgent", "queue-list--soon", "queue-list--calm", "queue-list--none",
        "queue-list--priority-high", "queue-list--priority-urgent", "queue-list--vip",
        "queue-list--negative", "queue-list--positive", "queue-list--dim",
        "queue-list--viewer", "queue-list--placeholder",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", show=False, id="queue.down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="queue.up"),
        Binding("g,home", "top", "Top", show=False, id="queue.top"),
        Binding("G,end", "bottom", "Bottom", show=False, id="queue.bottom"),
        Binding("pagedown,ctrl+f", "page_down", "Page down", show=False, id="queue.page-down"),
        Binding("pageup,ctrl+b", "page_up", "Page up", show=False, id="queue.page-up"),
        Binding("enter", "open", "Open", id="queue.open"),
        Binding("space", "mark", "Mark", id="queue.mark"),
    ]

    @dataclass
    class OpenRequested(Message):
        """The agent asked to open the conversation under the cursor."""

        queue_list: QueueList
        item: QueueItem
        siblings: list[int]

        @property
        def control(self) -> QueueList:
            return self.queue_list

    @dataclass
    class Changed(Message):
        """The length, the cursor's place or the marks changed (for the status line)."""

        queue_list: QueueList

        @property
        def control(self) -> QueueList:
            return self.queue_list

    @dataclass
    class _Loaded(Message):
        reloaded: Reloaded

    @dataclass
    class _Fetched(Message):
        fetch: Fetch
        items: list[QueueItem]

    def __init__(self, engine: Engine, clock: Clock, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._engine = engine
        self._clock = clock
        self.window: RowWindow | None = None
        """The rows read so far of the view shown; None until the first reading lands."""
        self.cursor = 0
        """Index of the row under the cursor."""
        self.marked: dict[int, None] = {}
        """Conversation ids marked with `space`, in the order they were marked."""
        self._generation = 0
        self._pending: set[Fetch] = set()
        self._strips: LRUCache[tuple[object, ...], Strip] = LRUCache(2048)
        self._now = clock()
        self._drawn_at = self._minute()

    # -- what the screen calls --------------------------------------------------------------

    def load(self, query: ViewQuery, *, keep_id: int | None = None, keep_index: int = 0) -> None:
        """Read `query` afresh, keeping conversation `keep_id` under the cursor if it is there."""
        self._generation += 1
        self._now = query.now
        # The height is read here, on the UI thread: asked from the worker, it can make the
        # compositor lay the screen out in that thread while the UI thread does too.
        radius = max(self.size.height, 50)
        self._reload(query, self._generation, keep_id, keep_index, radius)

    def reload(self, query: ViewQuery) -> None:
        """Read the view again (the store changed), keeping the cursor on its conversation."""
        current = self.current
        self.load(query, keep_id=current.id if current else None, keep_index=self.cursor)

    @property
    def current(self) -> QueueItem | None:
        """The row under the cursor, if it is read."""
        return self.window.get(self.cursor) if self.window else None

    @property
    def total(self) -> int:
        return self.window.total if self.window else 0

    def targets(self) -> list[int]:
        """What a bulk action acts on: the marked conversations, else the cursor's."""
        if self.marked:
            return list(self.marked)
        current = self.current
        return [current.id] if current else []

    def clear_marks(self) -> None:
        self.marked.clear()
        self._strips.clear()
        self.refresh()
        self.post_message(self.Changed(self))

    # -- reading ----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="queue-reload", exit_on_error=False,
          description="reading the view")
    def _reload(self, query: ViewQuery, generation: int, keep_id: int | None,
                keep_index: int, radius: int) -> None:
        reloaded = view_pager.reload(self._engine, query, generation, keep_id=keep_id,
                                     keep_index=keep_index, radius=radius)
        if not get_current_worker().is_cancelled:
            self.post_message(self._Loaded(reloaded))

    @on(_Loaded)
    def _install(self, message: _Loaded) -> None:
        message.stop()
        reloaded = message.reloaded
        if reloaded.generation != self._generation:
            return
        previous, previous_cursor, previous_now = self.window, self.cursor, self._drawn_at
        top = round(self.scroll_y)
        on_screen = self.cursor - top
        self.window = RowWindow(reloaded)
        self._pending.clear()
        self.cursor = reloaded.index
        self._set_length(reloaded.total)
        height = max(self.size.height, 1)
        if previous is None or not 0 <= on_screen < height:
            on_screen = min(self.cursor, height // 3)
        self._drawn_at = self._minute()
        new_top = max(self.cursor - on_screen, 0)
        if (previous is None or new_top != top or new_top > self.max_scroll_y
                or previous_now != self._drawn_at):
            self.scroll_to(y=new_top, animate=False, force=True)
            self.refresh()
        else:
            # With sync running the view is re-read every second, and most re-reads change
            # a row or two on screen, if any: only those lines are drawn and sent again.
            self._refresh_changed(previous, top, height, (previous_cursor, self.cursor))
        self._want_visible()
        if (previous is None or previous.total != self.window.total
                or previous_cursor != self.cursor):
            self.post_message(self.Changed(self))

    def _refresh_changed(self, previous: RowWindow, top: int, height: int,
                         cursors: tuple[int, int]) -> None:
        """Redraw the lines on screen whose row differs from what `previous` held there."""
        window = self.window
        assert window is not None
        for index in range(top, top + height):
            before = (previous.get(index), index < previous.total)
            after = (window.get(index), index < window.total)
            if before != after or index in cursors:
                self.refresh_line(index)

    def _minute(self) -> int:
        """The minute the countdowns are drawn for (a drawn line is kept for its minute)."""
        return int(self._now.timestamp()) // 60

    def _set_length(self, total: int) -> None:
        """Make the list `total` lines long without a layout pass of the screen.

        `virtual_size` lays the whole screen out again when it changes, which cost more than
        drawing the rows, and with sync running the length changes at every re-read. The
        vertical scrollbar is always shown (`overflow-y: scroll`), so nothing around the list
        moves: only the scrollbar's thumb does.
        """
        size = Size(0, total)
        if size == self.virtual_size:
            return
        self.set_reactive(QueueList.virtual_size, size)
        scrollbar = self.vertical_scrollbar
        scrollbar.window_virtual_size = total
        scrollbar.window_size = self.container_size.height - self.scrollbar_size_horizontal
        scrollbar.refresh()

    @work(thread=True, group="queue-fetch", exit_on_error=False, description="reading a page")
    def _fetch(self, query: ViewQuery, fetch: Fetch) -> None:
        items = view_pager.read(self._engine, query, fetch)
        self.post_message(self._Fetched(fetch, items))

    @on(_Fetched)
    def _take_page(self, message: _Fetched) -> None:
        message.stop()
        self._pending.discard(message.fetch)
        if self.window is not None and self.window.merge(message.fetch, message.items):
            self.refresh()
            self._want_visible()
            self.post_message(self.Changed(self))

    def _want_visible(self) -> None:
        """Ask for the first page not read yet on screen, then a screenful above and below."""
        window = self.window
        if window is None or self._pending:
            return
        top, height = round(self.scroll_y), self.size.height
        # A screenful above and below is read ahead, so that a page move finds its rows
        # read: drawing placeholders first and the rows after cost two frames instead of one.
        fetch = window.plan(top, top + height + 1) or window.plan(top - height,
                                                                  top + 2 * height + 1)
        if fetch is not None:
            self._pending.add(fetch)
            self._fetch(window.query, fetch)

    # -- drawing ----------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def _on_focus(self, event: events.Focus) -> None:
        self._strips.clear()
        self.refresh()

    def _on_blur(self, event: events.Blur) -> None:
        self._strips.clear()
        self.refresh()

    def tick(self) -> None:
        """Redraw the countdowns: time moved on."""
        self._now = self._clock()
        self._drawn_at = self._minute()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        index = round(self.scroll_y) + y
        width = self.size.width
        base = self.rich_style
        if self.window is None or index >= self.window.total:
            return Strip.blank(width, base)
        item = self.window.get(index)
        if item is None:
            self.call_later(self._want_visible)
            style = base + self.get_component_rich_style("queue-list--placeholder")
            return Strip([Segment(fit("  …", width), style)], width)
        key = (item, width, item.id in self.marked, index == self.cursor, self._minute(),
               self.has_focus)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._draw(item, width, base, marked=key[2], cursor=key[3])
            self._strips[key] = strip
        return strip

    def _draw(self, item: QueueItem, width: int, base: Style, *, marked: bool,
              cursor: bool) -> Strip:
        component = self.get_component_rich_style
        row = base
        if marked:
            row += component("queue-list--marked")
        if cursor:
            row += component("queue-list--cursor")
        texts = cells(item, self._now, width >= WIDE_FROM)
        segments: list[Segment] = []
        for column in layout(width):
            if column.name == "mark":
                segments.append(Segment("●" if marked else " ", row))
                continue
            style = row
            level = urgency(item.sla_due_at, self._now)
            if column.name == "sla" and (level == "breached" or not cursor):
                style = row + component(f"queue-list--{level}")
            elif not cursor:
                style = row + self._cell_style(column.name, item)
            segments.append(Segment(fit(texts[column.name], column.width), style))
            if column.name != "viewer":
                segments.append(Segment(" ", row))
        return Strip(segments).adjust_cell_length(width, row)

    def _cell_style(self, name: str, item: QueueItem) -> Style:
        component = self.get_component_rich_style
        if name == "priority" and item.priority >= 2:
            return component("queue-list--priority-urgent" if item.priority >= 3
                             else "queue-list--priority-high")
        if name == "author" and item.vip:
            return component("queue-list--vip")
        if name == "sentiment":
            if item.sentiment <= -0.3:
                return component("queue-list--negative")
            if item.sentiment >= 0.3:
                return component("queue-list--positive")
            return component("queue-list--dim")
        if name == "viewer":
            return component("queue-list--viewer")
        if name in ("platform", "kind", "intents", "assignee"):
            return component("queue-list--dim")
        return Style()

    # -- moving -----------------------------------------------------------------------------

    def move_to(self, index: int) -> None:
        """Put the cursor on row `index` (clamped) and scroll it into view."""
        if self.window is None or not self.window.total:
            return
        index = max(0, min(index, self.window.total - 1))
        previous, self.cursor = self.cursor, index
        top, height = round(self.scroll_y), max(self.size.height, 1)
        if index < top:
            self.scroll_to(y=index, animate=False, force=True)
        elif index >= top + height:
            self.scroll_to(y=index - height + 1, animate=False, force=True)
        else:
            self.refresh_line(previous)
            self.refresh_line(index)
        self._want_visible()
        self.post_message(self.Changed(self))

    def action_cursor_down(self) -> None:
        self.move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor - 1)

    def action_top(self) -> None:
        self.move_to(0)

    def action_bottom(self) -> None:
        self.move_to(self.total - 1)

    def action_page_down(self) -> None:
        self.move_to(self.cursor + max(self.size.height - 1, 1))

    def action_page_up(self) -> None:
        self.move_to(self.cursor - max(self.size.height - 1, 1))

    def action_open(self) -> None:
        item = self.current
        if item is not None and self.window is not None:
            siblings = self.window.around(self.cursor, SIBLINGS)
            self.post_message(self.OpenRequested(self, item, siblings or [item.id]))

    def action_mark(self) -> None:
        item = self.current
        if item is None:
            return
        if item.id in self.marked:
            del self.marked[item.id]
        else:
            self.marked[item.id] = None
        self.refresh_line(self.cursor)
        self.move_to(self.cursor + 1)

    def _on_click(self, event: events.Click) -> None:
        self.move_to(round(self.scroll_y) + event.y)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._want_visible()
