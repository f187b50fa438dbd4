"""The wheel carries both packages, the console script and the shipped policy files."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_ships_packages_and_policy_files_that_paths_finds(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True,
    )
    (wheel,) = tmp_path.glob("workstation-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    assert "workstation/_shipped/rules.toml" in names
    assert any(n.startswith("workstation/_shipped/templates/") for n in names)
    assert "screens/__init__.py" in names
    assert any(n.endswith("entry_points.txt") for n in names)
    found = subprocess.run(
        [sys.executable, "-c", "from workstation import paths; print(paths.shipped('rules.toml'))"],
        cwd=tmp_path, env={"PYTHONPATH": str(tmp_path / "site")}, capture_output=True, text=True,
        check=True,
    ).stdout.strip()
    assert found == str(tmp_path / "site" / "workstation" / "_shipped" / "rules.toml")


def test_core_never_imports_the_ui() -> None:
    code = (
        "import sys, workstation.cli, workstation.ingest, workstation.pipeline, "
        "workstation.services.queue, workstation.demo.build, workstation.audit; "
        "print(sorted(m for m in ('textual', 'rich', 'screens') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_triage_does_not_load_the_store() -> None:
    # The store's tables cost about a second to import: `workstation triage` never needs them.
    code = (
        "import sys, workstation.pipeline, workstation.commands.triage; "
        "from workstation.rules import load_rules; load_rules(); "
        "print(sorted(m for m in ('workstation.models', 'sqlmodel') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_the_command_line_starts_without_the_store_or_the_workers() -> None:
    # Every command (and the first paint of the TUI) pays for what `parser()` imports.
    code = (
        "import sys; from workstation import cli; cli.parser(); "
        "print(sorted(m for m in ('workstation.models', 'workstation.workers', 'sqlalchemy',"
        " 'httpx') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
