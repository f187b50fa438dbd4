"""The service layer: every action of the UI, the CLI and the workers is a function here."""
