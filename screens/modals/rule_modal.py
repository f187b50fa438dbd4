"""New rule from this message: words, where, what to do, its blast radius, then save.

The dialog is filled from the selected customer message (its rarest phrase, a name from it,
the platform, kind and language it came in) and previews the rule as the supervisor edits:
how many of the recent customer messages it would catch, judged by the code ingest runs, and
a few of them. ctrl+s saves through `services.rules.add_rule` (checked, audited); the dialog
closes only once the rule is in the file, and shows why when it is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import Engine
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Checkbox, Input, Select, Static

from workstation.clock import Clock
from workstation.permissions import PermissionDenied
from workstation.rules.model import ROLES
from workstation.rules.preview import Preview
from workstation.rules.write import PRIORITIES, RuleDraft, terms
from workstation.services import rules as service
from workstation.text import inert

PREVIEW_DELAY = 0.3
"""Seconds of quiet typing before the preview runs again."""


@dataclass(frozen=True, slots=True)
class RuleSource:
    """The message the rule is drawn from."""

    conversation_id: int
    text: str
    platform: str
    kind: str
    lang: str


def _shown(path: Path) -> str:
    """A path as short as it can be said: relative to the working directory or home."""
    for base, prefix in ((Path.cwd(), ""), (Path.home(), "~/")):
        try:
            return prefix + str(path.resolve().relative_to(base.resolve()))
        except ValueError:
            continue
    return str(path)


class RuleModal(ModalScreen["service.AddedRule | None"]):
    """Edit the drafted rule; the preview follows; ctrl+s saves, esc drops it."""

    DEFAULT_CSS = """
    RuleModal {
        align: center middle;
        & > Vertical {
            width: 96;
            max-width: 100%;
            height: auto;
            max-height: 100%;
            border: round $accent;
            background: $surface;
            padding: 0 1;
        }
        .row { height: 1; }
        .label { width: 9; color: $text-muted; }
        Input { width: 1fr; }
        Select { width: 20; margin-right: 1; }
        Checkbox { margin-right: 2; }
        #rule-message { color: $text-muted; height: auto; max-height: 2; }
        #rule-preview { height: auto; }
        #rule-status { height: auto; }
        #rule-status.-error, #rule-preview.-error { color: $error; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="rule.save", tooltip="Add the rule to rules.toml"),
        Binding("escape", "cancel", "Cancel", id="rule.cancel"),
    ]

    @dataclass
    class Previewed(Message):
        """A preview of the draft as it was (`key`), or why the draft cannot be saved."""

        key: RuleDraft
        preview: Preview | None
        problems: list[str]

    @dataclass
    class SaveFailed(Message):
        text: str

    def __init__(self, engine: Engine, agent: str, clock: Clock,
                 context: service.EditorContext, source: RuleSource) -> None:
        super().__init__()
        self._engine, self._agent, self._clock = engine, agent, clock
        self._editor = context
        self._source = source
        self._draft = service.draft_from_message(context, source.text)
        self._timer: Timer | None = None
        self._saving = False

    def compose(self) -> ComposeResult:
        src, draft = self._source, self._draft
        with Vertical():
            yield Static(Content.assemble(("New rule from this message", "bold"),
                                          ("  ctrl+s saves · esc cancels", "dim")))
            yield Static(Content(inert(src.text, limit=190)), id="rule-message")
            with Horizontal(classes="row"):
                yield Static("Name", classes="label")
                yield Input(draft.name, id="rule-name", compact=True, max_length=60)
            with Horizontal(classes="row"):
                yield Static("Words", classes="label")
                yield Input(", ".join(draft.keywords), id="rule-words", compact=True,
                            placeholder="words or phrases, comma-separated: any of them",
                            max_length=600)
            with Horizontal(classes="row"):
                yield Static("Only", classes="label")
                yield Checkbox(Content(f"on {inert(src.platform, limit=12)}"), id="rule-platform",
                               compact=True)
                yield Checkbox(Content(f"{inert(src.kind, limit=10)}s"), id="rule-kind",
                               compact=True)
                if src.lang:
                    yield Checkbox(Content(f"in {inert(src.lang, limit=5)}"), id="rule-lang",
                                   compact=True)
            with Horizontal(classes="row"):
                yield Static("Tag", classes="label")
                yield Input(" ".join(draft.tags), id="rule-tag", compact=True, max_length=40,
                            placeholder="a tag (empty: none)")
            with Horizontal(classes="row"):
                yield Static("Do", classes="label")
                yield Select([(f"priority {p}", p) for p in PRIORITIES], prompt="priority as is",
                             id="rule-priority", compact=True)
                yield Select([(f"route to {r}", r) for r in ROLES], prompt="route as is",
                             id="rule-route", compact=True)
                yield Checkbox("hide", id="rule-hide", compact=True)
                yield Checkbox("stop", id="rule-stop", compact=True,
                               tooltip="No later rule runs on a message this one fired on")
            with Horizontal(classes="row"):
                yield Static("Review", classes="label")
                yield Input(id="rule-review", compact=True, max_length=200,
                            placeholder="flag for review with this reason (empty: no)")
            with Horizontal(classes="row"):
                yield Static("Reply", classes="label")
                yield Select([("public reply", "reply"), ("DM", "dm")], value="reply",
                             allow_blank=False, id="rule-channel", compact=True)
                yield Input(id="rule-template", compact=True, max_length=80,
                            placeholder="auto-reply with this template id (empty: no)")
            yield Static("", id="rule-preview")
            yield Static("", id="rule-status")

    def on_mount(self) -> None:
        self.query_one("#rule-words", Input).focus()
        status = self._editor.writable or f"appended to {_shown(self._editor.path)}"
        self._status(status, error=bool(self._editor.writable))
        self._preview(self.draft())

    # -- the draft ----------------------------------------------------------------------

    def draft(self) -> RuleDraft:
        """The rule as the dialog shows it now."""
        src = self._source

        def text(selector: str) -> str:
            return self.query_one(selector, Input).value.strip()

        def checked(selector: str) -> bool:
            box = self.query_one_optional(selector, Checkbox)
            return box is not None and box.value

        def chosen(selector: str) -> str:
            value = self.query_one(selector, Select).value
            return value if isinstance(value, str) else ""

        reply, channel = text("#rule-template"), chosen("#rule-channel")
        tag = text("#rule-tag")
        return RuleDraft(
            name=text("#rule-name"), keywords=terms(self.query_one("#rule-words", Input).value),
            platform=(src.platform,) if checked("#rule-platform") else (),
            kind=(src.kind,) if checked("#rule-kind") else (),
            lang=(src.lang,) if checked("#rule-lang") else (),
            tags=(tag,) if tag else (), priority=chosen("#rule-priority"),
            route=chosen("#rule-route"), hide=checked("#rule-hide"), review=text("#rule-review"),
            reply=reply if channel == "reply" else "", dm=reply if channel == "dm" else "",
            stop=checked("#rule-stop"))

    @on(Input.Changed)
    @on(Checkbox.Changed)
    @on(Select.Changed)
    def edited(self, event: Any) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(PREVIEW_DELAY, lambda: self._preview(self.draft()))

    @work(thread=True, exclusive=True, group="rule-preview", exit_on_error=False,
          description="Preview the rule")
    def _preview(self, draft: RuleDraft) -> None:
        try:
            found = service.preview_rule(self._editor, draft)
        except service.RuleRefused as exc:
            self.post_message(self.Previewed(draft, None, exc.problems))
            return
        self.post_message(self.Previewed(draft, found, []))

    @on(Previewed)
    def show_preview(self, event: Previewed) -> None:
        event.stop()
        if event.key != self.draft():
            return  # the draft changed meanwhile: its own preview is on the way
        panel = self.query_one("#rule-preview", Static)
        if event.preview is None:
            panel.update(Content.assemble(("Cannot be saved: ", "bold"),
                                          inert(event.problems[0], limit=300)))
            panel.set_class(True, "-error")
            return
        p = event.preview
        parts: list[str | tuple[str, str]] = [
            ("Matches ", ""), (f"{p.matched:,}", "bold"),
            f" of the last {p.scanned:,} customer messages; would run on ", (f"{p.fired:,}", "bold")]
        for name, count in p.stopped_by[:2]:
            parts.append(f" · {count:,} stopped first by {inert(name, limit=30)}")
        for m in p.examples[:4]:
            parts.append(("\n  ", ""))
            parts.append((f"#{m.conversation_id} ", "dim"))
            parts.append(inert(m.text, limit=80))
        panel.update(Content.assemble(*parts))
        panel.set_class(False, "-error")

    def _status(self, text: str, *, error: bool) -> None:
        status = self.query_one("#rule-status", Static)
        status.update(Content(inert(text, limit=300)))
        status.set_class(error, "-error")

    # -- saving -------------------------------------------------------------------------

    def action_save(self) -> None:
        if self._saving:
            return
        draft = self.draft()
        problems = draft.problems()
        if problems:
            self._status(problems[0], error=True)
            return
        self._saving = True
        self._status("saving…", error=False)
        self._save(draft)

    @work(thread=True, exclusive=True, group="rule-save", exit_on_error=False,
          description="Add the rule to rules.toml")
    def _save(self, draft: RuleDraft) -> None:
        try:
            added = service.add_rule(self._engine, self._agent, draft,
                                     path=self._editor.path,
                                     conversation_id=self._source.conversation_id,
                                     clock=self._clock)
        except service.RuleRefused as exc:
            self.post_message(self.SaveFailed(exc.problems[0]))
        except (service.NotWritable, PermissionDenied, OSError) as exc:
            self.post_message(self.SaveFailed(str(exc)))
        else:
            self.app.call_from_thread(self.dismiss, added)

    @on(SaveFailed)
    def save_failed(self, event: SaveFailed) -> None:
        event.stop()
        self._saving = False
        self._status(f"Not saved: {event.text}", error=True)

    def action_cancel(self) -> None:
        self.dismiss(None)
