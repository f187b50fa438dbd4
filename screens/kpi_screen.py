"""The KPI panel: being written by the KPI engineer."""

from textual.screen import Screen


class KpiScreen(Screen[None]):
    pass
