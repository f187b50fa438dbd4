"""KpiTable: the panel's KPIs for every platform, one row each; the cursor picks the scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from workstation.services.kpi_panel import KpiPanelView
from workstation.text import inert


class KpiTable(DataTable[Text]):
    """Rows keyed by scope ("" for all platforms); a redraw keeps the cursor on its scope."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"kpi-table--met", "kpi-table--missed"}
    DEFAULT_CSS = """
    KpiTable {
        height: auto;
        max-height: 12;
        margin-top: 1;
        & > .kpi-table--met { color: $text-success; }
        & > .kpi-table--missed { color: $text-error; }
    }
    """

    @dataclass
    class ScopeChosen(Message):
        """The cursor moved to another scope."""

        table: KpiTable
        scope: str

        @property
        def control(self) -> KpiTable:
            return self.table

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, cursor_type="row", zebra_stripes=False, cell_padding=1)
        self._widths: tuple[int, ...] = ()
        self._scopes: tuple[str, ...] = ()

    @property
    def scope(self) -> str:
        """The scope under the cursor ("" for all platforms)."""
        if not self._scopes:
            return ""
        return self._scopes[min(self.cursor_row, len(self._scopes) - 1)]

    def show(self, view: KpiPanelView) -> None:
        """Redraw from a view: cells in place when the rows and widths are the same, else the
        table anew, the cursor staying on the scope it was on."""
        styles = {"met": self.get_component_rich_style("kpi-table--met", partial=True),
                  "missed": self.get_component_rich_style("kpi-table--missed", partial=True)}
        rows = {
            row.scope: [Text(inert(row.label, limit=24)), *(
                Text(c.shown, style=styles.get(c.status, ""), justify="right")
                for c in row.cells)]
            for row in view.rows
        }
        # Widths are set here, not measured by the table later: a redraw is whole at once.
        labels = ("Platform", *view.columns)
        widths = tuple(
            max(len(label), *(cells[i].cell_len for cells in rows.values()))
            for i, label in enumerate(labels)
        )
        scopes = tuple(rows)
        if scopes == self._scopes and widths == self._widths:
            for scope, cells in rows.items():
                for column, cell in zip(labels, cells, strict=True):
                    self.update_cell(_key(scope), column, cell)
            return
        current = self.scope
        with self.prevent(DataTable.RowHighlighted):
            self.clear(columns=True)
            for index, (label, width) in enumerate(zip(labels, widths, strict=True)):
                self.add_column(Text(label, justify="left" if index == 0 else "right"),
                                key=label, width=width)
            for scope, cells in rows.items():
                self.add_row(*cells, key=_key(scope))
            self._scopes, self._widths = scopes, widths
            if current in scopes:
                self.move_cursor(row=scopes.index(current), animate=False, scroll=False)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table is self and self._scopes:
            self.post_message(self.ScopeChosen(self, self.scope))


def _key(scope: str) -> str:
    return scope or "-all-"
