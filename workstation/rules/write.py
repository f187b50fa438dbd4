"""Writing a rule back into rules.toml: a message turned into policy without leaving the queue.

The file is the team's, comments and all, so it is never re-serialised: the new rule is
appended as one more `[[rules]]` table at the end, with a comment line saying who added it,
when, and from which conversation. Being the last of the `[[rules]]`, it runs after every rule
above it: a rule above with `stop = true` that fires on a message (threat, safety first,
spam...) keeps it from running there, as for any rule lower in the file.

What the message says is untrusted: it enters the file only as TOML values escaped by tomli-w,
never through string formatting, and only as keywords and phrases (a regex is what the
supervisor types, checked by RE2 like every other). Nothing lands unless the whole new file
passes the checks of `workstation rules check`; it is written to a temporary file beside the
old one and moved over it (`os.replace`), with the old file's mode, so a reader (`LiveRules`,
another process) sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import os
import re
import stat
import sysconfig
import tempfile
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import tomli_w

from workstation.priority import Priority
from workstation.rules.model import KINDS, PLATFORMS, ROLES, RuleSet

PRIORITIES = tuple(p.name.lower() for p in Priority)
"""As rules.toml names them (the loader reads the same names)."""
ACTIONS = ("tag", "priority", "route", "hide", "review", "reply", "dm", "stop")
"""What a rule written from a message may do (every other action is for hand-written rules)."""
NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,59}")
TERM_CAP = 100
"""Longest keyword or phrase, in characters."""
TERMS_CAP = 50
"""Most keywords and phrases in one rule."""
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class RuleRefused(Exception):
    """The rule cannot be added as drafted; `problems` says why, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0] if len(problems) == 1 else
                         f"{problems[0]} (and {len(problems) - 1} more)")
        self.problems = problems


class NotWritable(Exception):
    """The rules file in force cannot be written in place (an installed copy, no permission)."""


@dataclass(frozen=True, slots=True)
class RuleDraft:
    """A rule as the supervisor drafts it: conditions on words, where, and what to do."""

    name: str
    """A lower-case slug, unique in the file."""
    keywords: tuple[str, ...] = ()
    """Words or phrases; the rule needs any one of them (as `keywords` of rules.toml)."""
    regex: tuple[str, ...] = ()
    """RE2 patterns typed by the supervisor (never taken from a message)."""
    platform: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    lang: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    priority: str = ""
    route: str = ""
    hide: bool = False
    review: str = ""
    """A reason: the message goes to the review list."""
    reply: str = ""
    """A template id, answered in public."""
    dm: str = ""
    """A template id, answered by private message."""
    stop: bool = False
    """No later rule runs on a message this one fired on."""

    def table(self) -> dict[str, Any]:
        """The rule as the `[[rules]]` table it becomes (empty conditions left out)."""
        when: dict[str, Any] = {}
        for key in ("keywords", "regex", "platform", "kind", "lang"):
            values = getattr(self, key)
            if values:
                when[key] = list(values)
        do: dict[str, Any] = {}
        if self.tags:
            do["tag"] = self.tags[0] if len(self.tags) == 1 else list(self.tags)
        for key in ("priority", "route"):
            if getattr(self, key):
                do[key] = getattr(self, key)
        if self.hide:
            do["hide"] = True
        for key in ("review", "reply", "dm"):
            if getattr(self, key):
                do[key] = getattr(self, key)
        if self.stop:
            do["stop"] = True
        return {"name": self.name, "when": when, "do": do}

    def problems(self) -> list[str]:
        """What is wrong with the draft on its own (the file's checks come after)."""
        found = []
        if not NAME.fullmatch(self.name):
            found.append(f"rule name {self.name!r}: use lower-case letters, digits and dashes "
                         "(at most 60)")
        if not self.keywords and not self.regex:
            found.append("give at least one word or phrase: a rule from a message needs its words")
        if len(self.keywords) + len(self.regex) > TERMS_CAP:
            found.append(f"at most {TERMS_CAP} words and patterns in one rule")
        for term in (*self.keywords, *self.regex, *self.tags, self.review):
            if _CONTROL.search(term):
                found.append(f"{term[:40]!r} holds a control character")
            if len(term) > TERM_CAP and term != self.review:
                found.append(f"{term[:40]!r}…: at most {TERM_CAP} characters")
        for key, allowed in (("platform", PLATFORMS), ("kind", KINDS)):
            for value in getattr(self, key):
                if value not in allowed:
                    found.append(f"unknown {key} {value!r} (one of {', '.join(allowed)})")
        for value in self.lang:
            if not re.fullmatch(r"[a-z]{2}", value):
                found.append(f"language {value!r}: a two-letter code such as en or fr")
        for tag in self.tags:
            if not tag or any(c.isspace() for c in tag) or len(tag) > 40:
                found.append(f"tag {tag[:40]!r}: one word, at most 40 characters")
        if self.priority and self.priority not in PRIORITIES:
            found.append(f"unknown priority {self.priority!r} (one of {', '.join(PRIORITIES)})")
        if self.route and self.route not in ROLES:
            found.append(f"unknown role {self.route!r} (one of {', '.join(ROLES)})")
        if len(self.review) > 200:
            found.append("a review reason is at most 200 characters")
        does = self.table()["do"]
        if not does or does == {"stop": True}:
            found.append("give the rule something to do: tag, priority, route, hide, review, "
                         "reply or dm")
        return found


def terms(text: str) -> tuple[str, ...]:
    """Keywords and phrases typed as one text: separated by commas or new lines, spaces
    inside a phrase collapsed, control characters dropped, repeats left out."""
    out: dict[str, None] = {}
    for part in re.split(r"[,\n]", text):
        term = " ".join(_CONTROL.sub(" ", part).split())
        if term:
            out.setdefault(term, None)
    return tuple(out)


def comment(actor: str, at: datetime, conversation_id: int | None) -> str:
    """The comment line above an added rule: who, when, from which conversation."""
    who = "".join(c if c.isprintable() else "?" for c in str(actor))[:60] or "?"
    where = f" from conversation #{int(conversation_id)}" if conversation_id else ""
    return f"# Added by {who} on {at.strftime('%Y-%m-%d %H:%M %Z').strip()}{where}\n"


def rule_text(draft: RuleDraft, *, actor: str, at: datetime,
              conversation_id: int | None = None) -> str:
    """The text appended to the file: the comment line, then the `[[rules]]` table."""
    return comment(actor, at, conversation_id) + tomli_w.dumps({"rules": [draft.table()]})


def appended(source: str, added: str) -> str:
    """`source` with `added` at its end, after a blank line."""
    if source and not source.endswith("\n"):
        source += "\n"
    return source + ("\n" if source.strip() else "") + added


def same_but_one_more_rule(old: str, new: str, table: dict[str, Any]) -> str | None:
    """Why `new` is not `old` plus the rule `table` as its last `[[rules]]` (None if it is).

    The loader would accept a file whose rules changed in other ways; this makes sure that
    appending changed nothing else (a file ending inside a string, `rules` written as an
    inline array, anything else that would turn the append into something other than one
    more rule)."""
    try:
        before, after = tomllib.loads(old), tomllib.loads(new)
    except tomllib.TOMLDecodeError as exc:
        return f"the rules file would not be TOML any more: {exc}"
    rules = after.pop("rules", None)
    previous = before.pop("rules", [])
    if not isinstance(rules, list) or rules[:-1] != previous or rules[-1:] != [table]:
        return "the rule could not be appended as the last [[rules]] table"
    if after != before:
        return "appending the rule would change another part of the rules file"
    return None


def installed_copy(path: Path) -> bool:
    """Whether `path` is inside an installed package (site-packages), where an upgrade
    would silently drop an edit."""
    resolved = path.resolve()
    for key in ("purelib", "platlib"):
        root = sysconfig.get_paths().get(key)
        if root and resolved.is_relative_to(Path(root).resolve()):
            return True
    return False


def not_writable(path: Path) -> str | None:
    """Why the rules file cannot be rewritten in place, as one line (None when it can)."""
    fix = f"copy it and point WORKSTATION_RULES at the copy (cp {path} ~/rules.toml)"
    if installed_copy(path):
        return f"{path} is the installed copy of rules.toml: {fix}"
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK | os.X_OK):
        return f"{path} is not writable: {fix}"
    return None


@dataclass
class Prepared:
    """A checked new rules file waiting beside the old one; `install` puts it in force."""

    path: Path
    added: str
    """The text appended (comment and table)."""
    ruleset: RuleSet
    """The rules the new file gives."""
    _temp: Path
    _old: bytes
    _mode: int
    installed: bool = field(default=False)

    def install(self) -> None:
        """Move the new file over the old one (atomic on one file system)."""
        os.replace(self._temp, self.path)
        self.installed = True

    def restore(self) -> None:
        """Put the old file back, as atomically (the caller's transaction failed)."""
        temp = _write_temp(self.path, self._old, self._mode)
        os.replace(temp, self.path)
        self.installed = False


def _write_temp(path: Path, data: bytes, mode: int) -> Path:
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".new")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(name, mode)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One writer at a time: two supervisors saving at once would each append to the file
    as they read it, and the second would drop the first one's rule."""
    try:
        import fcntl
    except ImportError:  # no advisory locks (Windows): writers are not serialised
        yield
        return
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


@contextmanager
def appending(path: Path, draft: RuleDraft, *, actor: str, at: datetime,
              conversation_id: int | None = None, flows: Path | None = None
              ) -> Iterator[Prepared]:
    """Prepare the rules file with `draft` appended, for the caller to `install`.

    Checks the draft, writes the new file to a temporary file beside `path` and checks it
    as `workstation rules check` does; the caller installs it inside its own transaction.
    Leaving the block removes the temporary file, and puts the old file back if it was
    installed and the block raised. Writers are serialised for the whole block.

    Raises:
        NotWritable: the file is an installed copy or cannot be replaced.
        RuleRefused: the draft, or the file it would make, fails a check (nothing written).
    """
    from workstation.rules.check import check_file

    problems = draft.problems()
    if problems:
        raise RuleRefused(problems)
    reason = not_writable(path)
    if reason:
        raise NotWritable(reason)
    with _locked(path):
        old = path.read_bytes()
        try:
            source = old.decode("utf-8")
        except UnicodeDecodeError:
            raise RuleRefused([f"{path}: not UTF-8 text"]) from None
        added = rule_text(draft, actor=actor, at=at, conversation_id=conversation_id)
        new = appended(source, added)
        why = same_but_one_more_rule(source, new, draft.table())
        if why:
            raise RuleRefused([why])
        mode = stat.S_IMODE(path.stat().st_mode)
        temp = _write_temp(path, new.encode("utf-8"), mode)
        prepared: Prepared | None = None
        try:
            ruleset, problems = check_file(temp, flows=flows)
            if ruleset is None:
                # The lines are the new file's, reported under its real name.
                raise RuleRefused([p.replace(str(temp), str(path)) for p in problems])
            prepared = Prepared(path, added, ruleset, temp, old, mode)
            yield prepared
        except BaseException:
            if prepared is not None and prepared.installed:
                prepared.restore()
            raise
        finally:
            temp.unlink(missing_ok=True)
