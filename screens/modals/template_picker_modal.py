"""Pick a reply template: the suggestions for the thread first, fuzzy search as you type."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from workstation.services.composer import TemplateOption, search
from workstation.text import inert


class TemplatePickerModal(ModalScreen[TemplateOption | None]):
    """The offered templates, narrowed by what the agent types; enter picks, esc writes freely."""

    DEFAULT_CSS = """
    TemplatePickerModal {
        align: center middle;
        & > Vertical {
            width: 90%;
            max-width: 100;
            height: 80%;
            border: round $primary;
            background: $surface;
            padding: 0 1;
        }
        #picker-title { height: 1; color: $text-muted; }
        #picker-query { margin: 0 0 1 0; }
        #picker-list { height: 1fr; border: none; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Write freely", id="templates.cancel"),
        Binding("down", "move(1)", "Down", show=False, id="templates.down"),
        Binding("up", "move(-1)", "Up", show=False, id="templates.up"),
    ]

    def __init__(self, options: tuple[TemplateOption, ...]) -> None:
        super().__init__()
        self._offered = options
        self._shown: tuple[TemplateOption, ...] = ()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content.assemble(("Templates", "bold"),
                                          ("  suggested first · type to search · enter picks ·"
                                           " esc writes freely", "dim")), id="picker-title")
            yield Input(placeholder="search templates", id="picker-query")
            yield OptionList(id="picker-list", markup=False)

    def on_mount(self) -> None:
        self._show(self._offered)
        self.query_one("#picker-query", Input).focus()

    def _show(self, options: tuple[TemplateOption, ...]) -> None:
        self._shown = options
        listing = self.query_one("#picker-list", OptionList)
        listing.set_options([Option(_line(o), id=f"t{i}") for i, o in enumerate(options)])
        listing.highlighted = 0 if options else None

    @on(Input.Changed, "#picker-query")
    def narrow(self, event: Input.Changed) -> None:
        event.stop()
        self._show(search(self._offered, event.value))

    @on(Input.Submitted, "#picker-query")
    def pick_highlighted(self, event: Input.Submitted) -> None:
        event.stop()
        index = self.query_one("#picker-list", OptionList).highlighted
        if index is not None and self._shown:
            self.dismiss(self._shown[index])

    @on(OptionList.OptionSelected, "#picker-list")
    def pick_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self._shown[event.option_index])

    def action_move(self, step: int) -> None:
        listing = self.query_one("#picker-list", OptionList)
        if step > 0:
            listing.action_cursor_down()
        else:
            listing.action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)


def _line(option: TemplateOption) -> Content:
    head = Content.assemble(("★ " if option.suggested else "  ", "$warning"),
                            (inert(option.title or option.id, limit=60), "bold"),
                            (f"  {option.id} · {option.lang} · {option.channel}", "dim"))
    if not option.reason:
        return head
    return Content("\n").join([head, Content.assemble(
        ("    " + inert(option.reason, limit=160), "italic $text-muted"))])
