"""The `workstation` console script: the core's command line, able to open the UI.

The core package never imports Textual; this module is where the two meet.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from workstation import cli


def open_ui(engine: Any, agent: str, *, workers: bool = True) -> None:
    """Run the full-screen workstation until the agent quits; with `workers`, the background
    workers run inside it whenever no other process leads them."""
    from screens.app import WorkstationApp

    WorkstationApp(engine, agent=agent, workers=workers).run()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `workstation` console script."""
    return cli.main(argv, open_ui=open_ui)


if __name__ == "__main__":
    sys.exit(main())
