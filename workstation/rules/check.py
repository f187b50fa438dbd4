"""The whole check of a rules file, as `workstation rules check` and the rule editor run it.

One function so that a rule written from the TUI or `workstation rules add` is refused for
exactly the reasons `rules check` would give: the rules themselves, the templates and qualifier
flows they name, and the `[guardrails]` table the replies engine reads from the same file.
"""

from __future__ import annotations

from pathlib import Path

from workstation.rules.load import RulesError, load
from workstation.rules.model import RuleSet


def known_ids(flows: Path | None = None) -> tuple[set[str] | None, set[str] | None, list[str]]:
    """The reply templates and qualifier flows rules may name, and the flows file's problems.

    Either set is None when its files cannot be read (a rule naming one cannot be checked
    then; `templates check` reports broken templates, and the flows' problems come back here).
    """
    from workstation.leads.config import FlowsError, default_path, load as load_flows
    from workstation.replies import templates

    try:
        template_ids: set[str] | None = set(templates.load().ids())
    except Exception:  # broken templates are `templates check`'s to report
        template_ids = None
    try:
        return template_ids, set(load_flows(flows or default_path()).flows), []
    except FlowsError as exc:
        return template_ids, None, list(exc.problems)


def check_file(path: Path, *, flows: Path | None = None
               ) -> tuple[RuleSet | None, list[str]]:
    """Every problem of a rules file, each as `FILE:LINE: reason`, and its rule set if none.

    Args:
        path: the rules file.
        flows: the flows file qualifiers name (default: the one in force).
    """
    from workstation.replies.guardrail_config import GuardrailConfigError, load_config_file

    template_ids, flow_ids, problems = known_ids(flows)
    ruleset = None
    try:
        ruleset = load(path, template_ids=template_ids, flow_ids=flow_ids)
    except RulesError as exc:
        problems = [*exc.problems, *problems]
    try:
        load_config_file(path)
    except GuardrailConfigError as exc:
        problems.extend(line for line in exc.lines if line not in problems)
    except OSError:
        pass  # already reported by the rules loader
    return (ruleset if not problems else None), problems
