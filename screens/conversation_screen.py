"""The conversation screen: the thread, the side panel, the composer and every action key.

It shows `workstation.services.conversation_view.load` and repaints when the read model
changes (polled every two seconds, so other agents' and the workers' changes show without a
key press). It holds the conversation's claim while open (taken if free, renewed, released on
leaving). Every key calls a function of `workstation.services.conversations` in a thread
worker; dialogs return values, the services decide and audit.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import partial
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.timer import Timer

from screens.conversation_actions import ConversationActions
from screens.modals.confirm_modal import ConfirmModal
from screens.widgets.composer import Composer
from screens.widgets.conversation_header import ConversationHeader
from screens.widgets.conversation_side_panel import ConversationSidePanel
from screens.widgets.key_footer import KeyFooter
from screens.widgets.thread_view import ThreadView
from workstation.permissions import PermissionDenied
from workstation.services import conversations as actions
from workstation.services.conversation_view import ConversationView, load
from workstation.text import inert

POLL_SECONDS = 2.0
"""How often the open conversation is read again (a few milliseconds)."""
AHEAD = 0
"""The conversation id of a screen built before any conversation is opened (ids start at 1)."""
RENEW_SECONDS = actions.LEASE.total_seconds() / 3
"""How often the claim is renewed while the screen is open."""
PUSH_WAIT = 0.05
"""How long a reopened screen waits for its conversation before showing "loading…"."""


class ConversationScreen(ConversationActions):
    """One conversation: `r`/`m` reply, `e` escalate, `x` resolve and next, `esc` back."""

    CSS_PATH = "conversation_screen.tcss"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (110, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "reply('public')", "Reply", id="conversation.reply",
                tooltip="Public reply under the comment (a DM in a DM thread)"),
        Binding("m", "reply('dm')", "DM", id="conversation.dm", tooltip="Reply by private message"),
        Binding("e", "escalate", "Escalate", id="conversation.escalate",
                tooltip="Escalate to a role, with a reason"),
        Binding("x", "resolve", "Resolve", id="conversation.resolve",
                tooltip="Resolve with a code, then open the next conversation"),
        Binding("c", "claim", "Claim", id="conversation.claim",
                tooltip="Take, take over or release the conversation"),
        Binding("escape", "back", "Back", id="conversation.back", tooltip="Back to the queue"),
        Binding("a", "assign", "Assign", show=False, id="conversation.assign"),
        Binding("h", "hide", "Hide", show=False, id="conversation.hide",
                tooltip="Hide (or show again) the selected message on the platform"),
        Binding("D", "delete", "Delete", show=False, id="conversation.delete"),
        Binding("b", "ban", "Ban", show=False, id="conversation.ban",
                tooltip="Ban (or unban) the author"),
        Binding("t", "tag", "Tag", show=False, id="conversation.tag"),
        Binding("s", "snooze", "Snooze", show=False, id="conversation.snooze"),
        Binding("n", "note", "Note", show=False, id="conversation.note"),
        Binding("u", "ugc", "UGC rights", show=False, id="conversation.ugc",
                tooltip="Record the creator's answer about reusing their content"),
        Binding("R", "rule", "Rule", show=False, id="conversation.rule",
                tooltip="New rule from the selected message (supervisor)"),
        Binding("left_square_bracket", "sibling(-1)", "Previous", show=False, key_display="[",
                id="conversation.previous"),
        Binding("right_square_bracket", "sibling(1)", "Next", show=False, key_display="]",
                id="conversation.next"),
    ]

    @dataclass
    class Loaded(Message):
        """The read model of the open conversation, fresh from the store."""

        view: ConversationView

    def __init__(self, conversation_id: int, siblings: list[int]) -> None:
        super().__init__()
        self.conversation_id = conversation_id
        """The conversation shown."""
        self.sibling_ids = list(siblings) or [conversation_id]
        self._renewed_at = time.monotonic()
        self._poller: Timer | None = None
        self._push_pending = False
        self._push_timer: Timer | None = None
        self._styled_with: int | None = None
        self._dm_bindings = False
        """Whether the bindings were last refreshed for a DM (nothing to hide or delete)."""

    def compose(self) -> ComposeResult:
        app = self.workstation
        # Start reading at once: the store answers while the widgets are being mounted (a
        # screen built ahead of any open has nothing to read yet).
        if self.conversation_id != AHEAD:
            self._load(self.conversation_id)
        yield ConversationHeader(id="conversation-header")
        with Horizontal(id="conversation-body"):
            yield ThreadView(id="thread")
            yield ConversationSidePanel(id="side-panel")
        yield Composer(app.engine, agent=app.agent, clock=app.clock, id="composer")
        yield KeyFooter()

    def on_mount(self) -> None:
        # Polling starts when the screen is shown (`_on_screen_resume`): the app builds the
        # kept screen ahead of the first open, hidden.
        self._show_loading()
        threads = self.query(ThreadView)
        if not threads:
            # The app is closing and has pruned this screen's deepest widgets first while
            # the screen, built ahead, was being mounted (seen once in CI as a test ended).
            return
        threads.first().focus()
        # Mounting styled every widget with the app's CSS as it is now: the first resume
        # need not do it again (a third of the session's first open).
        self._styled_with = getattr(self.app, "_css_update_count", None)

    def _start_polling(self) -> None:
        # One short timer for both reading and renewing, stopped while the screen is hidden.
        if self._poller is None:
            self._poller = self.set_interval(POLL_SECONDS, self._poll)

    def reopen(self, conversation_id: int, siblings: list[int]) -> None:
        """Show another conversation on this kept screen, which is not on the stack now.

        The conversation is read first and the screen pushed when it has been (or after
        `PUSH_WAIT` if the store is slow, showing "loading…"): the thread is then painted in
        the screen's first frame, and the read starts at once instead of behind the work of
        pushing a screen.
        """
        self.sibling_ids = list(siblings) or [conversation_id]
        self.conversation_id = conversation_id
        self.view = None
        self._renewed_at = time.monotonic()
        self.query_one(ThreadView).clear()
        self.query_one(ConversationSidePanel).clear()
        self._show_loading()
        self._load(conversation_id)
        self.query_one(ThreadView).focus()
        self._push_pending = True
        if self._push_timer is not None:
            self._push_timer.stop()
        self._push_timer = self.set_timer(PUSH_WAIT, self._push)

    def _push(self) -> None:
        if self._push_pending:
            self._push_pending = False
            if self._push_timer is not None:
                self._push_timer.stop()
            self.app.push_screen(self)

    def on_screen_suspend(self) -> None:
        if self._poller is not None:
            self._poller.stop()
            self._poller = None

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual calls a class's `_on_screen_resume` *instead of* its `on_screen_resume`, so
        # everything the screen does on resume is here (polling once stayed off after the
        # template picker closed, and a failed send never showed). Runs before Screen's own
        # handler. A pushed screen restyles all its widgets, in case the CSS changed while it
        # was hidden: a fifth of each open of the kept screen. It is skipped when the app's
        # CSS is the one this screen was last styled with.
        version = getattr(self.app, "_css_update_count", None)
        if version is not None and version == self._styled_with:
            event.refresh_styles = False
        self._styled_with = version
        self._start_polling()  # the next read in POLL_SECONDS: this one has just been made

    # -- loading ------------------------------------------------------------------------

    def _show_loading(self) -> None:
        self.query_one(ConversationHeader).show(None, self.workstation.clock(), self._position(),
                                                self.conversation_id)

    def _position(self) -> str:
        if len(self.sibling_ids) < 2 or self.conversation_id not in self.sibling_ids:
            return ""
        return f"{self.sibling_ids.index(self.conversation_id) + 1}/{len(self.sibling_ids)}"

    @work(thread=True, exclusive=True, group="conversation-load", exit_on_error=False,
          description="Read the conversation")
    def _load(self, conversation_id: int) -> None:
        app = self.workstation
        view = load(app.engine, conversation_id, agent=app.agent, clock=app.clock)
        self.post_message(self.Loaded(view))

    def _poll(self) -> None:
        if self.is_current:
            self._load(self.conversation_id)
        if time.monotonic() - self._renewed_at >= RENEW_SECONDS:
            self._renewed_at = time.monotonic()
            self._renew()

    @on(Loaded)
    def show_loaded(self, event: Loaded) -> None:
        """Repaint from a fresh read model (ignored if the agent moved on meanwhile)."""
        view = event.view
        if view.id != self.conversation_id:
            return
        now = self.workstation.clock()
        first = self.view is None
        self.view = view
        self.query_one(ConversationHeader).show(view, now, self._position(), view.id)
        self.query_one(ThreadView).show(view.post, view.messages, view.earlier, now)
        self.query_one(ConversationSidePanel).show(view, now)
        composer = self.query_one(Composer)
        composer.blocked_by = view.claim.holder if view.claim.holder and not view.claim.mine \
            else ""
        if first and not view.claim.holder:
            # Claimed once the conversation is on screen: the write never delays the paint.
            self._claim(view.id, take_over=False)
        if (view.kind == "dm") != self._dm_bindings:
            self._dm_bindings = view.kind == "dm"
            self.refresh_bindings()
        self._push()

    # -- the claim ----------------------------------------------------------------------

    @work(thread=True, group="conversation-claim", exit_on_error=False,
          description="Claim the conversation")
    def _claim(self, conversation_id: int, take_over: bool) -> None:
        app = self.workstation
        try:
            actions.claim(app.engine, conversation_id, actor=app.agent, clock=app.clock,
                          take_over=take_over)
        except actions.ClaimHeld:
            pass  # someone was quicker: the reload shows who
        except actions.NotFound as exc:
            self.post_message(self.ActionFailed(f"{exc}: the conversation is not claimed"))
            return
        except PermissionDenied as exc:
            self.post_message(self.ActionFailed(f"Not claimed: {exc}"))
            return
        self._load(conversation_id)

    @work(thread=True, group="conversation-claim", exit_on_error=False,
          description="Renew the claim")
    def _renew(self) -> None:
        view = self.view
        if view is None or not view.claim.mine:
            return
        app = self.workstation
        if not actions.renew(app.engine, view.id, actor=app.agent, clock=app.clock):
            self.post_message(self.ActionFailed("Someone else took this conversation over."))
        self._load(view.id)

    def _release(self, conversation_id: int) -> None:
        app = self.workstation
        # On the app: the release must outlive this screen.
        app.run_worker(partial(actions.release, app.engine, conversation_id, actor=app.agent,
                               clock=app.clock),
                       thread=True, group="claims", exit_on_error=False,
                       description="Release the conversation")

    # -- keys ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Bindings are refreshed only when this answer changes (a DM has nothing to hide or
        # delete): refreshing them repaints the footer, which would slow every open down.
        if action in ("hide", "delete") and self.view is not None and self.view.kind == "dm":
            return None
        if action == "sibling":
            return len(self.sibling_ids) > 1
        return True


    def action_back(self) -> None:
        composer = self.query_one(Composer)
        if composer.is_open:
            composer.close()
        self._release(self.conversation_id)
        self.view = None  # kept for the next open: it must not renew the claim it released
        self.dismiss(None)

    def action_sibling(self, step: int) -> None:
        at = self.sibling_ids.index(self.conversation_id) if self.conversation_id in \
            self.sibling_ids else 0
        target = self.sibling_ids[(at + step) % len(self.sibling_ids)]
        self.open_conversation(target)

    def open_conversation(self, conversation_id: int) -> None:
        """Show another conversation in this screen (the claim moves with the agent)."""
        composer = self.query_one(Composer)
        if composer.is_open:
            composer.close()
        if conversation_id == self.conversation_id:
            return
        self._release(self.conversation_id)
        self.conversation_id = conversation_id
        self.view = None
        self._show_loading()
        self._load(conversation_id)
        self.query_one(ThreadView).focus()

    async def action_reply(self, channel: str) -> None:
        view = self.view
        if view is None:  # still reading it: a few milliseconds
            return
        if view.kind == "dm":
            channel = "dm"
        if view.claim.holder and not view.claim.mine:
            self.notify(f"{inert(view.claim.holder, limit=20)} holds this conversation: you can"
                        " draft, but press c to take over before sending.", markup=False,
                        severity="warning")
        await self.query_one(Composer).open(view.id, channel, view.draft)

    @on(Composer.Left)
    def composer_left(self, event: Composer.Left) -> None:
        self.query_one(ThreadView).focus()
        self._load(self.conversation_id)

    @on(Composer.Sent)
    def composer_sent(self, event: Composer.Sent) -> None:
        channel = "DM" if event.outbox.channel == "dm" else "reply"
        self.notify(f"Queued: the {channel} is in the outbox.", markup=False)
        self.query_one(ThreadView).focus()
        self._load(self.conversation_id)

    def action_claim(self) -> None:
        view = self.view
        if view is None:  # still reading it: a few milliseconds
            return
        app = self.workstation
        if view.claim.mine:
            self._act("Released: others may take it.",
                      partial(actions.release, app.engine, view.id, actor=app.agent,
                              clock=app.clock))
        elif view.claim.holder:
            def confirmed(yes: bool | None) -> None:
                if yes:
                    self._claim(view.id, take_over=True)
            holder = inert(view.claim.holder, limit=20)
            self.app.push_screen(ConfirmModal("Take over?", Content(
                f"{holder} is working on this conversation. Take it over? They will see"
                " that you did.")), confirmed)
        else:
            self._claim(view.id, take_over=False)

    @on(ConversationActions.ActionDone)
    def tell_done(self, event: ConversationActions.ActionDone) -> None:
        self.notify(inert(event.text, limit=300), markup=False)
        if not event.advance:
            self._load(self.conversation_id)
        elif event.next_id is not None:
            self.open_conversation(event.next_id)
        else:
            self.notify("No more open conversations in this view.", markup=False)
            self.action_back()

    @on(ConversationActions.ActionFailed)
    def tell_failed(self, event: ConversationActions.ActionFailed) -> None:
        self.notify(inert(event.text, limit=300), markup=False, severity="warning")
        self._load(self.conversation_id)
