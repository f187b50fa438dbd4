"""The wheel carries both packages, the console script and the shipped policy files."""

from __future__ import annotations

import ast
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


def loaded_after(statements: str, *modules: str) -> list[str]:
    """Which of `modules` a fresh interpreter has imported after running `statements`."""
    code = f"import sys; {statements}; print(sorted(m for m in {modules!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return ast.literal_eval(result.stdout.strip())


def test_core_never_imports_the_ui() -> None:
    assert loaded_after(
        "import workstation.cli, workstation.ingest, workstation.pipeline, "
        "workstation.services.queue, workstation.demo.build, workstation.audit",
        "textual", "rich", "screens") == []


def test_triage_does_not_load_the_store() -> None:
    # The store's tables cost about a second to import: `workstation triage` never needs them.
    assert loaded_after(
        "import workstation.pipeline, workstation.commands.triage; "
        "from workstation.rules import load_rules; load_rules()",
        "workstation.models", "sqlmodel") == []


def test_the_command_line_starts_without_the_store_or_the_workers() -> None:
    # Every command (and the first paint of the TUI) pays for what `parser()` imports.
    assert loaded_after("from workstation import cli; cli.parser()",
                        "workstation.models", "workstation.workers", "sqlalchemy", "httpx") == []


def test_the_queue_paints_without_the_orm_or_the_workers() -> None:
    # The queue's first paint must come within a second: the ORM models (pydantic, SQLModel),
    # the other screens and the workers are imported after it, in a thread.
    assert loaded_after(
        "from workstation import cli; cli.parser(); "
        "import workstation.services.identity, screens.app, screens.launcher",
        "workstation.models", "sqlmodel", "sqlalchemy.orm", "workstation.workers", "httpx",
        "apscheduler", "rapidfuzz", "workstation.rules", "screens.conversation_screen") == []
