"""Leads: qualifier flows (flows.toml), answer parsing, reminders, UGC rights, attribution.

The state changes a person makes on a lead go through `workstation.services.leads`; what the
bot does on its own happens in the ingest transaction through `hook.LeadHook`, and in the
workers' jobs (`runner.start_requested`, the reminders of `reminders`).
"""
