"""The rules in force for the jobs, and the triage pipeline built on them, kept between runs.

Loading rules.toml takes a moment, so the jobs share one `LiveRules` and rebuild the pipeline
only when a supervisor's edit loaded cleanly (a broken file leaves the last good rules).
"""

from __future__ import annotations

from pathlib import Path

from workstation.pipeline import Pipeline
from workstation.rules import LiveRules, RuleSet


class Policy:
    """rules.toml, reloaded when it changes, and its pipeline.

    Args:
        path: the rules file; the one in force (`$WORKSTATION_RULES` or shipped) by default.
    """

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._live: LiveRules | None = None
        self._pipeline: Pipeline | None = None

    def rules(self) -> RuleSet:
        """The rules in force (loaded on first use)."""
        if self._live is None:
            self._live = LiveRules(self._path)
        return self._live.current()

    def pipeline(self) -> Pipeline:
        """A pipeline on the rules in force."""
        rules = self.rules()
        if self._pipeline is None or self._pipeline.rules is not rules:
            self._pipeline = Pipeline(rules)
        return self._pipeline

    @property
    def problems(self) -> list[str]:
        """What is wrong with the file on disk, when the last edit did not load."""
        return self._live.problems if self._live is not None else []
