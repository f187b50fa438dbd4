"""The composer: a reply from a template (slots, rotation, live preview) or written freely.

It holds the draft's inputs (`DraftState`), asks `workstation.services.composer.preview` for a
rendering and the guardrails' verdict after every change (in a thread worker; stale results
are dropped), saves the draft shortly after each change and when the agent leaves, and sends
through `replies.send_reply` with the draft's idempotency key. It never decides whether a reply
may go: the services do, and the preview shows why not.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from functools import partial
from typing import ClassVar

from sqlalchemy import Engine
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Static, TextArea

from screens.modals.template_picker_modal import TemplatePickerModal
from workstation.clock import Clock
from workstation.services import composer as composer_service
from workstation.permissions import PermissionDenied
from workstation.services.claims import ClaimHeld
from workstation.services.composer import Preview, TemplateOption
from workstation.services.drafts import DraftState, discard_draft, new_key, save_draft
from workstation.services.outbox import OutboxView
from workstation.services.replies import ReplyBlocked, ReplyError, compose, send_reply
from workstation.services.reply_context import NotFound
from workstation.text import inert

from .composer_preview import ComposerPreview
from .slot_input import SlotField, SlotInput

SAVE_AFTER = 0.6
"""Seconds of quiet after a change before the draft is saved."""


class Composer(Vertical):
    """Write a public reply or a DM, see it as it will be sent, send it to the outbox."""

    DEFAULT_CSS = """
    Composer {
        display: none;
        height: auto;
        max-height: 60%;
        border-top: hkey $primary;
        background: $boost;
        &.-open { display: block; }
        #composer-title { height: 1; padding: 0 1; color: $text-muted; }
        #composer-slots { height: auto; max-height: 4; layout: grid; grid-size: 2;
                          grid-gutter: 0 1; padding: 0 1; }
        #composer-text { height: 5; border: none; padding: 0 1; background: $surface; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "send", "Send", id="composer.send",
                tooltip="Put the reply in the outbox (refused with the reason if it may not go)"),
        Binding("ctrl+t", "templates", "Templates", id="composer.templates",
                tooltip="Suggested templates first; type to search them all"),
        Binding("tab", "next_slot", "Next slot", show=False, id="composer.next_slot"),
        Binding("ctrl+r", "rotate", "Rotate", id="composer.rotate",
                tooltip="Another wording of the selected part"),
        Binding("ctrl+o", "next_part", "Part", show=False, id="composer.next_part",
                tooltip="Select the next part that ctrl+r rotates"),
        Binding("ctrl+g", "edit", "Edit text", id="composer.edit",
                tooltip="Edit the rendered text freely (or go back to the template)"),
        Binding("escape", "leave", "Leave", id="composer.leave",
                tooltip="Close the composer; the draft is kept"),
    ]

    blocked_by: reactive[str] = reactive("")
    """The agent holding the conversation's claim when it is not us: sending is refused."""

    @dataclass
    class Sent(Message):
        """A reply went into the outbox."""

        conversation_id: int
        outbox: OutboxView

    @dataclass
    class Left(Message):
        """The agent closed the composer (the draft is kept)."""

        conversation_id: int

    @dataclass
    class _Rendered(Message):
        generation: int
        preview: Preview | None
        error: str = ""

    @dataclass
    class _Offered(Message):
        options: tuple[TemplateOption, ...]

    @dataclass
    class _Refused(Message):
        reasons: list[str]
        new_key: bool = False
        """The key was spent on another text: the next attempt needs a fresh one."""

    def __init__(self, engine: Engine, *, agent: str, clock: Clock,
                 id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self._engine = engine
        self._agent = agent
        self._clock = clock
        self.state = DraftState(0)
        """What the agent has composed so far."""
        self.preview: Preview | None = None
        """The latest rendering of `state`."""
        self._generation = 0
        self._part = ""
        self._slots_for: tuple[str, str] | None = None
        self._save_timer: Timer | None = None
        self._save_lock = threading.Lock()
        self._saves = 0
        """Saves asked for so far."""
        self._saved = 0
        """The newest save written."""

    def compose(self) -> ComposeResult:
        # Built on first use (`open`): most conversations are read, not answered, and a
        # TextArea costs a noticeable part of opening a conversation.
        return iter(())

    def _parts(self) -> list[Widget]:
        return [
            Static("", id="composer-title", markup=False),
            Vertical(id="composer-slots"),
            TextArea(id="composer-text", soft_wrap=True, tab_behavior="focus",
                     show_line_numbers=False, highlight_cursor_line=False,
                     placeholder=Content("Write the reply here, or ctrl+t for a template")),
            ComposerPreview(id="composer-preview"),
        ]

    @property
    def is_open(self) -> bool:
        """Whether the composer is showing."""
        return self.has_class("-open")

    @property
    def editing(self) -> bool:
        """Whether the text is written freely (no template, or the rendering edited)."""
        return bool(self.state.text) or not self.state.template_id

    async def open(self, conversation_id: int, channel: str, draft: DraftState | None) -> None:
        """Show the composer for a conversation, from the saved draft if there is one."""
        if not self.children:
            await self.mount_all(self._parts())
        if not composer_service.learnt(self._engine):
            # Once per process, in the background: until then suggestions rank by intent,
            # language and the templates' example phrases, without the team's history.
            self.app.run_worker(partial(composer_service.learn, self._engine), thread=True,
                                group="suggestions", exclusive=True, exit_on_error=False,
                                description="Learn from past replies")
        fresh = draft is None or draft.conversation_id != conversation_id
        base = DraftState(conversation_id) if fresh else draft
        assert base is not None
        self.state = replace(base, channel=channel)
        self.preview = None
        self._slots_for = None
        self._part = ""
        self.add_class("-open")
        self.query_one("#composer-text", TextArea).load_text(self.state.text)
        self._layout()
        self._refresh_preview()
        if fresh:
            self.action_templates()
        else:
            self._focus_first()

    def close(self) -> None:
        """Hide the composer, keeping the draft."""
        if self.is_open:
            self._save_now()
        self.remove_class("-open")

    # -- keys ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("rotate", "next_part"):
            rotatable = self.preview is not None and any(
                p.variants > 1 for p in self.preview.parts)
            return rotatable and not self.editing
        if action == "edit":
            return bool(self.state.template_id)
        return True

    def action_templates(self) -> None:
        lang = self.preview.draft.lang if self.preview else self.state.lang
        self._offer(self.state.conversation_id, self.state.channel, lang)

    def action_leave(self) -> None:
        self.close()
        self.post_message(self.Left(self.state.conversation_id))

    def action_next_slot(self) -> None:
        inputs = list(self.query(SlotInput))
        empty = set(self.preview.empty_slots) if self.preview else set()
        wanted = [i for i in inputs if i.slot in empty or (not i.value and i.has_class("-empty"))]
        if not wanted:
            self.screen.focus_next()
            return
        focused = self.screen.focused
        after = inputs.index(focused) if isinstance(focused, SlotInput) else -1
        later = [i for i in wanted if inputs.index(i) > after]
        (later or wanted)[0].focus()

    def action_rotate(self) -> None:
        if self.preview is None or not self.preview.parts or self.editing:
            return
        parts = {p.name: p for p in self.preview.parts}
        part = parts.get(self._part) or next(
            (p for p in self.preview.parts if p.variants > 1), None)
        if part is None or part.variants < 2:
            self.notify("This template has one wording per part.", markup=False)
            return
        self._part = part.name
        choices = {**self.state.choices, part.name: (part.chosen + 1) % part.variants}
        self._change(choices=choices)

    def action_next_part(self) -> None:
        if self.preview is None:
            return
        names = [p.name for p in self.preview.parts if p.variants > 1]
        if names:
            at = names.index(self._part) if self._part in names else -1
            self._part = names[(at + 1) % len(names)]
            self._show_preview()

    def action_edit(self) -> None:
        if not self.state.template_id:
            return
        if self.state.text:
            self._change(text="")
        elif self.preview is not None:
            self._change(text=self.preview.draft.text)
            self.query_one("#composer-text", TextArea).load_text(self.state.text)
        self._layout()
        self._focus_first()

    def action_send(self) -> None:
        if self.blocked_by:
            self.notify(f"{inert(self.blocked_by, limit=20)} holds this conversation: press c to"
                        " take over before sending.", markup=False, severity="warning")
            return
        if self.preview is not None and not self.preview.draft.sendable:
            self.notify(inert("Not sent: " + "; ".join(self.preview.draft.reasons), limit=600),
                        markup=False, severity="error", title="Blocked")
            return
        if self._save_timer is not None:
            self._save_timer.stop()
        self._send(self.state)

    # -- changes ------------------------------------------------------------------------

    def _change(self, **fields: object) -> None:
        self.state = replace(self.state, **fields)  # type: ignore[arg-type]
        self._refresh_preview()
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_AFTER, self._save_now)

    @on(Input.Changed, "SlotInput")
    def slot_changed(self, event: Input.Changed) -> None:
        event.stop()
        assert isinstance(event.input, SlotInput)
        name, value = event.input.slot, event.value
        shown = {s.name: s.value for s in self.preview.slots} if self.preview else {}
        if name not in self.state.values and value == shown.get(name, ""):
            return
        self._change(values={**self.state.values, name: value})

    @on(TextArea.Changed, "#composer-text")
    def text_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if event.text_area.text != self.state.text and self.editing:
            self._change(text=event.text_area.text)

    def choose(self, option: TemplateOption | None) -> None:
        """Apply a template picked in the picker (None: write freely)."""
        if option is None:
            self._layout()
            self._focus_first()
            return
        self._part = ""
        self._change(template_id=option.id, lang=option.lang, choices={}, text="")
        self.query_one("#composer-text", TextArea).load_text("")
        self._layout()

    # -- rendering ----------------------------------------------------------------------

    def _refresh_preview(self) -> None:
        self._generation += 1
        state = self.state
        if not state.template_id and not state.text.strip():
            self.preview = None
            self._show_preview()
            return
        self._preview(self._generation, state)

    @work(thread=True, exclusive=True, group="composer-preview", exit_on_error=False,
          description="Render the reply")
    def _preview(self, generation: int, state: DraftState) -> None:
        try:
            preview = composer_service.preview(
                self._engine, state.conversation_id, template_id=state.template_id,
                lang=state.lang, channel=state.channel, values=state.values,
                choices=state.choices or None, text=state.text, agent=self._agent,
                clock=self._clock)
        except (NotFound, ReplyError) as exc:
            self.post_message(self._Rendered(generation, None, str(exc)))
            return
        self.post_message(self._Rendered(generation, preview))

    @on(_Rendered)
    def rendered(self, event: _Rendered) -> None:
        event.stop()
        if event.generation != self._generation:
            return
        if event.error:
            self.notify(inert(event.error, limit=300), markup=False, severity="error")
            return
        self.preview = event.preview
        if self.preview is not None and self.state.template_id and not self.state.choices:
            self.state = replace(self.state, choices=dict(self.preview.draft.choices))
        if self.preview is not None and not self._part:
            self._part = next((p.name for p in self.preview.parts if p.variants > 1), "")
        self._build_slots()
        self._show_preview()
        self.refresh_bindings()

    def _show_preview(self) -> None:
        self.query_one(ComposerPreview).show(self.preview, part=self._part,
                                             freehand=self.editing)
        title = "Public reply" if self.state.channel == "public" else "Private message (DM)"
        if self.preview is not None and self.preview.template_title:
            title += f" · {self.preview.template_title} ({self.state.lang})"
            if self.state.text:
                title += " · edited"
        elif not self.state.template_id:
            title += " · written freely"
        self.query_one("#composer-title", Static).update(Content.assemble((title, "bold")))

    def _layout(self) -> None:
        self.query_one("#composer-text", TextArea).display = self.editing
        self.query_one("#composer-slots").display = not self.editing

    def _build_slots(self) -> None:
        if self.preview is None or self.editing:
            return
        key = (self.state.template_id, self.state.lang)
        if key == self._slots_for:
            for field in self.query(SlotInput):
                needed = self.preview.empty_slots
                field.set_class(field.slot in needed, "-empty")
            return
        self._slots_for = key
        box = self.query_one("#composer-slots")
        box.remove_children()
        fields = [SlotInput(s.name, self.state.values.get(s.name, s.value),
                            description=s.description, optional=s.fallback)
                  for s in self.preview.slots]
        box.mount_all([SlotField(f) for f in fields])
        empty = [f for f in fields if f.slot in self.preview.empty_slots]
        if empty or fields:
            self.call_after_refresh((empty or fields)[0].focus)

    def _focus_first(self) -> None:
        if self.editing:
            self.query_one("#composer-text", TextArea).focus()
        else:
            fields = list(self.query(SlotInput))
            if fields:
                fields[0].focus()

    # -- templates, saving, sending -----------------------------------------------------

    @work(thread=True, exclusive=True, group="composer-options", exit_on_error=False,
          description="Find templates")
    def _offer(self, conversation_id: int, channel: str, lang: str) -> None:
        options = composer_service.options(self._engine, conversation_id, channel, lang)
        self.post_message(self._Offered(options))

    @on(_Offered)
    def offered(self, event: _Offered) -> None:
        event.stop()
        if self.is_open:
            self.app.push_screen(TemplatePickerModal(event.options), self.choose)

    def _save_now(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if not self.state.conversation_id:
            return
        self._saves += 1
        # On the app, not this widget: the save must outlive a screen that is closing.
        self.app.run_worker(partial(self._save_in_thread, self.state, self._saves),
                            thread=True, group="drafts", exit_on_error=False,
                            description="Keep the draft")

    def _save_in_thread(self, state: DraftState, number: int) -> None:
        """Write one save; saves run one at a time and an older one never follows a newer."""
        with self._save_lock:
            if number < self._saved:
                return
            save_draft(self._engine, state, self._agent, clock=self._clock)
            self._saved = number

    @work(thread=True, exclusive=True, group="composer-send", exit_on_error=False,
          description="Send the reply")
    def _send(self, state: DraftState) -> None:
        try:
            draft = compose(
                self._engine, state.conversation_id, state.template_id or None,
                values=dict(state.values), text=state.text if state.text else (
                    None if state.template_id else ""),
                channel=state.channel, lang=state.lang or None, agent=self._agent,
                choices=dict(state.choices) or None, clock=self._clock)
            outbox = send_reply(self._engine, draft, idempotency_key=state.idempotency_key,
                                clock=self._clock)
        except ReplyBlocked as exc:
            self.post_message(self._Refused(exc.reasons))
            return
        except (ReplyError, NotFound) as exc:
            self.post_message(self._Refused([str(exc)], new_key=True))
            return
        except (ClaimHeld, PermissionDenied) as exc:  # nothing was queued: the key stays good
            self.post_message(self._Refused([str(exc)]))
            return
        discard_draft(self._engine, state.conversation_id, self._agent)
        self.post_message(self.Sent(state.conversation_id, outbox))

    @on(_Refused)
    def refused(self, event: _Refused) -> None:
        event.stop()
        if event.new_key:
            self.state = replace(self.state, idempotency_key=new_key())
        self.notify(inert("Not sent: " + "; ".join(event.reasons), limit=600), markup=False,
                    severity="error", title="Blocked")

    @on(Sent)
    def sent(self, event: Sent) -> None:
        self.state = DraftState(event.conversation_id)
        self.preview = None
        self._slots_for = None
        self._part = ""
        self.query_one("#composer-slots").remove_children()
        self.query_one("#composer-text", TextArea).load_text("")
        self.remove_class("-open")
