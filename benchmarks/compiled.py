"""Bytecode for the project's own packages before timing whole processes.

An installed wheel (or any first run) leaves `.pyc` files beside the sources, so a command
does not compile the project at every start. These machines set PYTHONDONTWRITEBYTECODE=1,
which made every timed process compile `workstation/` from source: about 0.12 s a start, a
twentieth of a 50,000-event triage. The benchmarks compile once, as an install would, and
Python only reads the files (the variable stops writing, not reading).
"""

from __future__ import annotations

import compileall
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("workstation", "screens")


def ensure() -> None:
    """Write up-to-date bytecode for the project's packages (those already current stay)."""
    for package in PACKAGES:
        compileall.compile_dir(ROOT / package, quiet=1)
    print("bytecode of workstation/ and screens/ written, as an install leaves it")
