"""The Textual UI of workstation: screens, widgets and the app that routes between them."""
