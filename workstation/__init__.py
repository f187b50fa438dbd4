"""workstation: the core of a terminal inbox for a brand's social-media team (no UI here)."""

__version__ = "0.1.0"
