"""The audit trail screen: being written by the KPI engineer."""

from textual.screen import Screen


class AuditScreen(Screen[None]):
    pass
