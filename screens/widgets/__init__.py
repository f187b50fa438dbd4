"""Reusable widgets of the screens, one class per module, each with its DEFAULT_CSS."""
