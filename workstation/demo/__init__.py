"""The demo store: a believable inbox to try the workstation on."""
