"""rules.toml: the team's triage policy, loaded, validated and applied."""

from workstation.rules.live import LiveRules
from workstation.rules.load import RulesError, default_path, load
from workstation.rules.model import RuleSet

load_rules = load

__all__ = ["LiveRules", "RuleSet", "RulesError", "default_path", "load", "load_rules"]
