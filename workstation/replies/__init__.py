"""The replies engine: templates, the slot renderer, variant rotation, guardrails, suggestions.

Pure core code shared by the composer, the CLI and the automation. The modules are small and
import nothing from the UI; the store-facing use-cases live in `workstation.services.replies`
and `workstation.services.outbox`. Nothing is imported eagerly here.
"""
