"""Leads: qualifier flows (flows.toml), answer parsing, reminders, UGC rights, attribution.

The state changes a person makes on a lead go through `workstation.services.leads`; what the
bot does on its own happens in the ingest transaction through `hook.LeadHook`.
"""


def _register_reminders() -> None:
    # The workers' reminders job imports this package to find the handler of kind "lead".
    from .reminders import register

    register()


_register_reminders()
