"""Dialogs of the conversation screen: each a `ModalScreen[T]` that returns what was chosen."""
