"""Where the store and the shipped policy files live.

Directories are created on demand, never at import, so tests and `--help` touch no home
directory.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir() -> Path:
    """`$XDG_DATA_HOME/workstation`, defaulting to `~/.local/share/workstation`."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "workstation"


def config_dir() -> Path:
    """`$XDG_CONFIG_HOME/workstation`, defaulting to `~/.config/workstation`."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "workstation"


def shipped(name: str) -> Path:
    """A file or folder shipped with the program (`rules.toml`, `templates`).

    An installed wheel carries them in `workstation/_shipped/`; a clone (or an editable
    install) has them at the repository's root, beside the package.
    """
    for base in (_PACKAGE / "_shipped", _PACKAGE.parent):
        candidate = base / name
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"shipped file {name!r} is missing from this installation")
