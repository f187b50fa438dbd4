"""Saved views of the inbox: which conversations a queue tab shows, and in which order.

A view is data, not code: the shipped ones are below, and a team or an agent adds their own
(or reshapes a shipped one) in the `[views]` section of `$XDG_CONFIG_HOME/workstation/
config.toml` (`WORKSTATION_CONFIG_FILE` names another file). The SQL that reads a view lives in
`view_rows`; this module only defines, loads and validates.

```toml
[views]
order = ["mine", "vip", "breaching"]   # optional: these first, the others after

[views.vip]
title = "VIPs"
vip = true
sort = "priority"

[views.dms]
enabled = false                        # hide a shipped view
```
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from workstation import paths

SORTS = ("sla", "priority", "newest", "oldest")
"""How a view may be ordered; `sla` is the reply due soonest first, then the highest priority."""
STATUSES = ("open", "snoozed", "resolved")
VERDICTS = ("allow", "review", "hide", "delete", "ban")
PRIORITIES = {"low": 0, "normal": 1, "high": 2, "urgent": 3}
_KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
_DURATION = re.compile(r"(\d+)\s*([mhd])")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


class ViewConfigError(Exception):
    """The `[views]` section of the config file is wrong; `problems` says where and why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class ViewFilter:
    """Which conversations a view holds. Lists mean "any of"; unset fields match everything."""

    status: tuple[str, ...] = ("open",)
    """Workflow states shown; always required, whatever `match` says."""
    match: str = "all"
    """How the conditions below combine: `all` of them, or `any` of them."""
    assignee: str | None = None
    """`me` (assigned to or claimed by the agent at the keyboard), `none`, `any`, or a login."""
    breaching_within: timedelta | None = None
    """A reply is due within this time from now (breached ones included)."""
    escalated: bool | None = None
    vip: bool | None = None
    lead: bool | None = None
    """The conversation has a lead that is neither won nor lost."""
    kinds: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    intents: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    moderation: tuple[str, ...] = ()
    """Strongest moderation verdict of the thread (`review`, `hide`, ...)."""
    roles: tuple[str, ...] = ()
    min_priority: int | None = None


@dataclass(frozen=True, slots=True)
class ViewDef:
    """One saved view: a tab of the queue."""

    key: str
    """Stable slug, used in the config file and by the palette."""
    title: str
    filter: ViewFilter = field(default_factory=ViewFilter)
    sort: str = "sla"
    description: str = ""


SHIPPED: tuple[ViewDef, ...] = (
    ViewDef("mine", "Mine", ViewFilter(assignee="me"),
            description="assigned to you or claimed by you"),
    ViewDef("unassigned", "Unassigned", ViewFilter(assignee="none"),
            description="nobody owns them yet"),
    ViewDef("breaching", "Breaching soon", ViewFilter(breaching_within=timedelta(hours=1)),
            description="a reply is due within the hour, or overdue"),
    ViewDef("leads", "Leads", ViewFilter(match="any", lead=True, intents=("purchase",),
                                         tags=("sales-lead",)),
            description="buying signals: purchase intent, a sales-lead tag or an open lead"),
    ViewDef("escalated", "Escalated", ViewFilter(escalated=True),
            description="handed to a senior or supervisor"),
    ViewDef("moderation", "Moderation",
            ViewFilter(status=("open", "snoozed"), moderation=("review", "hide", "delete", "ban")),
            description="hidden, deleted or to review"),
    ViewDef("dms", "DMs", ViewFilter(kinds=("dm",)), description="private messages"),
    ViewDef("comments", "Comments", ViewFilter(kinds=("comment", "mention")),
            description="public: comments and mentions"),
    ViewDef("all", "All open", ViewFilter(), description="every open conversation"),
)
"""The views every install has, in tab order (keys 1-9)."""


def config_file() -> Path:
    """The user's config file: `WORKSTATION_CONFIG_FILE`, else `$XDG_CONFIG_HOME/...`."""
    override = os.environ.get("WORKSTATION_CONFIG_FILE")
    return Path(override) if override else paths.config_dir() / "config.toml"


def load_views(path: Path | None = None) -> list[ViewDef]:
    """The shipped views merged with the `[views]` section of the user's config file.

    A missing file (or section) gives the shipped views.

    Raises:
        ViewConfigError: the file is not TOML or the section is wrong (every problem listed).
    """
    path = path or config_file()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return list(SHIPPED)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ViewConfigError([f"{path}: {exc}"]) from None
    return views_from(data.get("views", {}), source=str(path))


def views_from(section: Any, *, source: str = "config") -> list[ViewDef]:
    """Views from a parsed `[views]` table (see the module docstring for its shape).

    Raises:
        ViewConfigError: a key, a value or the order is wrong.
    """
    problems: list[str] = []
    if not isinstance(section, dict):
        raise ViewConfigError([f"{source}: views: must be a table"])
    views = {v.key: v for v in SHIPPED}
    order = section.get("order", [])
    disabled: set[str] = set()
    for key, table in section.items():
        if key == "order":
            continue
        where = f"{source}: views.{key}"
        if not _KEY.fullmatch(key):
            problems.append(f"{where}: a view's name is a lowercase slug (a-z, 0-9, - and _)")
            continue
        if not isinstance(table, dict):
            problems.append(f"{where}: must be a table")
            continue
        try:
            view, enabled = _parse(key, table, views.get(key))
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
            continue
        views[key] = view
        if not enabled:
            disabled.add(key)
    if not isinstance(order, list) or not all(isinstance(k, str) for k in order):
        problems.append(f"{source}: views.order: must be a list of view names")
        order = []
    for key in order:
        if key not in views:
            problems.append(f"{source}: views.order: no view named {key!r}")
    if problems:
        raise ViewConfigError(problems)
    ordered = [views[k] for k in dict.fromkeys(order)] + [
        v for k, v in views.items() if k not in order
    ]
    result = [v for v in ordered if v.key not in disabled]
    if not result:
        raise ViewConfigError([f"{source}: views: every view is disabled"])
    return result


_FILTER_FIELDS = {f.name for f in fields(ViewFilter)}
_LISTS = {"status": STATUSES, "kinds": ("comment", "dm", "mention"), "platforms": None,
          "intents": None, "tags": None, "moderation": VERDICTS, "roles": None}


def _parse(key: str, table: dict[str, Any], base: ViewDef | None) -> tuple[ViewDef, bool]:
    """One `[views.KEY]` table on top of the shipped view of that name, if any."""
    known = _FILTER_FIELDS | {"title", "sort", "description", "enabled"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r} (known: {', '.join(sorted(known))})")
    view = base or ViewDef(key, key.replace("-", " ").replace("_", " ").capitalize())
    changes: dict[str, Any] = {}
    for name in ("title", "description"):
        if name in table:
            changes[name] = _string(name, table[name], limit=40 if name == "title" else 200)
    if "sort" in table:
        if table["sort"] not in SORTS:
            raise ValueError(f"sort: one of {', '.join(SORTS)}")
        changes["sort"] = table["sort"]
    enabled = table.get("enabled", True)
    if not isinstance(enabled, bool):
        raise ValueError("enabled: true or false")
    filters = {name: _filter_value(name, table[name]) for name in _FILTER_FIELDS & set(table)}
    if filters:
        # A user's table replaces a shipped view's filter outright, so that what the file
        # says is the whole truth about the view (except the status, which defaults to open).
        changes["filter"] = ViewFilter(**filters)
    return replace(view, **changes), enabled


def _filter_value(name: str, value: Any) -> Any:
    if name in _LISTS:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ValueError(f"{name}: a list of names")
        allowed = _LISTS[name]
        for item in value:
            if allowed is not None and item not in allowed:
                raise ValueError(f"{name}: {item!r} is not one of {', '.join(allowed)}")
        if name == "status" and not value:
            raise ValueError("status: at least one of " + ", ".join(STATUSES))
        return tuple(v.lower() for v in value)
    if name == "match":
        if value not in ("all", "any"):
            raise ValueError("match: all or any")
        return value
    if name == "assignee":
        return _string(name, value, limit=64)
    if name == "breaching_within":
        return parse_duration(value)
    if name == "min_priority":
        if value not in PRIORITIES:
            raise ValueError(f"min_priority: one of {', '.join(PRIORITIES)}")
        return PRIORITIES[value]
    if not isinstance(value, bool):
        raise ValueError(f"{name}: true or false")
    return value


def _string(name: str, value: Any, *, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name}: a non-empty string")
    if len(value) > limit:
        raise ValueError(f"{name}: at most {limit} characters")
    return value.strip()


def parse_duration(value: Any) -> timedelta:
    """`"90m"`, `"4h"`, `"2d"` or `"1h30m"` as a timedelta.

    Raises:
        ValueError: anything else.
    """
    text = value.strip().lower() if isinstance(value, str) else ""
    parts = _DURATION.findall(text)
    if not parts or _DURATION.sub("", text).strip():
        raise ValueError(f"breaching_within: a duration such as \"45m\", \"4h\" or \"1d\", "
                         f"not {value!r}")
    return sum((timedelta(**{_UNITS[u]: int(n)}) for n, u in parts), timedelta())
