"""The replies engine is core code: importing it never loads the UI."""

from __future__ import annotations

import subprocess
import sys

MODULES = (
    "workstation.replies.templates", "workstation.replies.render", "workstation.replies.rotation",
    "workstation.replies.guardrails", "workstation.replies.suggest",
    "workstation.services.replies", "workstation.services.outbox",
    "workstation.services.suggestions", "workstation.commands.reply",
    "workstation.commands.templates",
)


def test_replies_never_import_textual_or_rich() -> None:
    code = (
        f"import sys, {', '.join(MODULES)}; "
        "print(sorted(m for m in ('textual', 'rich', 'screens') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"
