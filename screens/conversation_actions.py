"""The action keys of a conversation: each opens its dialog, then calls the service layer.

`ConversationActions` is the base of `ConversationScreen`, which adds the layout, the reading
and the claim. Every call runs in a thread worker (`_act`); the screen is told what happened
through `ActionDone` / `ActionFailed`, and reads the conversation again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.content import Content
from textual.message import Message
from textual.screen import Screen

from screens.modals.assign_modal import AssignModal
from screens.modals.confirm_modal import ConfirmModal
from screens.modals.escalate_modal import EscalateModal, Escalation
from screens.modals.note_modal import NoteModal
from screens.modals.resolve_modal import ResolveModal
from screens.modals.rule_modal import RuleModal, RuleSource
from screens.modals.snooze_modal import SnoozeChoice, SnoozeModal
from screens.modals.tag_modal import TagChange, TagModal
from screens.modals.ugc_modal import CHOICES as UGC_CHOICES
from screens.modals.ugc_modal import UgcChoice, UgcModal
from screens.widgets import conversation_format as fmt
from screens.widgets.thread_view import ThreadView
from workstation.permissions import PermissionDenied
from workstation.rules.load import RulesError
from workstation.services import conversations as actions
from workstation.services import rules as rule_service
from workstation.services import ugc_rights
from workstation.services.conversation_view import ConversationView
from workstation.services.replies import ReplyError
from workstation.text import inert

if TYPE_CHECKING:
    from screens.app import WorkstationApp

REFUSED = (actions.ActionError, actions.NotFound, actions.ClaimHeld, ReplyError,
           PermissionDenied, ugc_rights.UgcError)
"""What the services raise when an action cannot be done as asked: told, not crashed on."""


class ConversationActions(Screen[None]):
    """Escalate, resolve and go on, assign, hide, delete, ban, tag, snooze, note, UGC rights."""

    @dataclass
    class ActionDone(Message):
        """A service call succeeded; `text` tells the agent what changed."""

        text: str
        next_id: int | None = None
        """For resolve-and-next: the conversation to open now (None: back to the queue)."""
        advance: bool = False

    @dataclass
    class ActionFailed(Message):
        """A service refused the action; `text` says why."""

        text: str

    @dataclass
    class AgentsListed(Message):
        agents: tuple[actions.AgentView, ...]

    @dataclass
    class RuleEditorReady(Message):
        """The rules file and the recent inbox are read: the rule dialog can open."""

        editor: rule_service.EditorContext
        source: RuleSource

    def __init__(self) -> None:
        super().__init__()
        self.view: ConversationView | None = None
        """The conversation as last read; None while it is being read."""
        self.sibling_ids: list[int] = []
        """The ids of the view it was opened from, in order."""

    @property
    def workstation(self) -> WorkstationApp:
        return cast("WorkstationApp", self.app)

    def action_escalate(self) -> None:
        view = self.view
        if view is None:  # still reading it: a few milliseconds
            return
        app = self.workstation

        def chosen(choice: Escalation | None) -> None:
            if choice is not None:
                self._act(f"Escalated to {choice.role}.", partial(
                    actions.escalate, app.engine, [view.id], choice.role, choice.reason,
                    actor=app.agent, clock=app.clock))
        self.app.push_screen(EscalateModal(view.escalation.role), chosen)

    def action_resolve(self) -> None:
        view = self.view
        if view is None:  # still reading it: a few milliseconds
            return

        def chosen(code: str | None) -> None:
            if code is not None:
                self._resolve_and_next(view.id, code, list(self.sibling_ids))
        self.app.push_screen(ResolveModal(actions.RESOLUTION_CODES), chosen)

    @work(thread=True, group="conversation-action", exit_on_error=False,
          description="Resolve the conversation")
    def _resolve_and_next(self, conversation_id: int, code: str, siblings: list[int]) -> None:
        app = self.workstation
        try:
            actions.resolve(app.engine, [conversation_id], code, actor=app.agent,
                            clock=app.clock)
        except REFUSED as exc:
            self.post_message(self.ActionFailed(str(exc)))
            return
        following = actions.next_open(app.engine, siblings, conversation_id)
        self.post_message(self.ActionDone(f"Resolved ({code}).", following, advance=True))

    def action_assign(self) -> None:
        self._list_agents()

    @work(thread=True, group="conversation-action", exit_on_error=False,
          description="List the team")
    def _list_agents(self) -> None:
        self.post_message(self.AgentsListed(actions.list_agents(self.workstation.engine)))

    @on(AgentsListed)
    def pick_agent(self, event: AgentsListed) -> None:
        view = self.view
        if view is None:
            return
        app = self.workstation

        def chosen(name: str | None) -> None:
            if name is not None:
                done = f"Assigned to {inert(name, limit=20)}." if name else "Unassigned."
                self._act(done, partial(actions.assign, app.engine, [view.id], name or None,
                                        actor=app.agent, clock=app.clock))
        self.app.push_screen(AssignModal(event.agents, me=app.agent, current=view.assignee),
                             chosen)

    def action_hide(self) -> None:
        app = self.workstation
        message = self.query_one(ThreadView).selected
        if message is None or message.direction != "in":
            self.notify("Select a customer's message (j/k) to hide it.", markup=False,
                        severity="warning")
            return
        if message.hidden:
            self._act("Shown again.", partial(actions.unhide_messages, app.engine, [message.id],
                                              actor=app.agent, clock=app.clock))
        else:
            self._act("Hidden.", partial(actions.hide_messages, app.engine, [message.id],
                                         actor=app.agent, clock=app.clock))

    def action_delete(self) -> None:
        view = self.view
        if view is None:  # still reading it: a few milliseconds
            return
        app = self.workstation
        message = self.query_one(ThreadView).selected
        if message is None or message.direction != "in" or message.deleted:
            self.notify("Select a customer's message (j/k) to delete it.", markup=False,
                        severity="warning")
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._act("Deleted.", partial(actions.delete_messages, app.engine, [message.id],
                                              actor=app.agent, clock=app.clock))
        question = Content.assemble(
            f"Delete this message by {inert(message.author, limit=30)} from the platform? ",
            ("It cannot be undone.", "bold"), "\n\n", (inert(message.text, limit=200), "dim"))
        self.app.push_screen(ConfirmModal("Delete message", question), confirmed)

    def action_ban(self) -> None:
        view = self.view
        if view is None:  # still reading it: a few milliseconds
            return
        app = self.workstation
        if view.contact is None:
            self.notify("This conversation has no known author.", markup=False)
            return
        who = inert(view.contact.label, limit=30)
        if view.contact.banned:
            self._act(f"Unbanned {who}.", partial(actions.unban, app.engine, [view.id],
                                                  actor=app.agent, clock=app.clock))
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._act(f"Banned {who}.", partial(actions.ban, app.engine, [view.id],
                                                    actor=app.agent, clock=app.clock))
        self.app.push_screen(ConfirmModal("Ban author", Content(
            f"Ban {who} from the brand's {fmt.platform_name(view.platform)} accounts? They will"
            " no longer be able"
            " to comment or write to us there.")), confirmed)

    def action_tag(self) -> None:
        view = self.view
        if view is None:  # still reading it: a few milliseconds
            return
        app = self.workstation

        def chosen(change: TagChange | None) -> None:
            if change is None:
                return
            call = actions.untag if change.remove else actions.tag
            self._act(f"{'Untagged' if change.remove else 'Tagged'} #{change.tag}.", partial(
                call, app.engine, [view.id], change.tag, actor=app.agent, clock=app.clock))
        self.app.push_screen(TagModal(view.tags), chosen)

    def action_snooze(self) -> None:
        view = self.view
        if view is None:  # still reading it: a few milliseconds
            return
        app = self.workstation
        now = app.clock()
        tz = datetime.now().astimezone().tzinfo
        assert tz is not None

        def chosen(choice: SnoozeChoice | None) -> None:
            if choice is None:
                return
            when = "the customer replies" if choice.until is None else \
                choice.until.astimezone(tz).strftime("%a %d %b %H:%M")
            self._act(f"Snoozed until {when}.", partial(
                actions.snooze, app.engine, [view.id], choice.until, actor=app.agent,
                clock=app.clock))
        self.app.push_screen(SnoozeModal(now, tz), chosen)

    def action_note(self) -> None:
        view = self.view
        if view is None:  # still reading it: a few milliseconds
            return
        app = self.workstation

        def written(text: str | None) -> None:
            if text:
                self._act("Note added.", partial(actions.note, app.engine, view.id, text,
                                                 actor=app.agent, clock=app.clock))
        self.app.push_screen(NoteModal(), written)

    def action_ugc(self) -> None:
        view = self.view
        if view is None:  # still reading it: a few milliseconds
            return
        right = view.ugc
        if right is None:
            self.notify("Nobody was asked for rights to reuse content in this conversation.",
                        markup=False)
            return
        if right.status not in UGC_CHOICES:
            self.notify(f"UGC rights #{right.id} are {right.status}: nothing to record.",
                        markup=False)
            return
        app = self.workstation

        def chosen(choice: UgcChoice | None) -> None:
            if choice is None:
                return
            change = {
                "grant": ("UGC rights granted.", partial(_grant, app, right.id, choice.text)),
                "refuse": ("UGC rights refused.", partial(
                    ugc_rights.refuse, app.engine, right.id, actor=app.agent, clock=app.clock)),
                "revoke": ("UGC rights revoked: take the content down.", partial(
                    ugc_rights.revoke, app.engine, right.id, actor=app.agent,
                    reason=choice.text, clock=app.clock)),
                "credit": ("Credit changed.", partial(
                    ugc_rights.set_credit, app.engine, right.id, choice.text, actor=app.agent,
                    clock=app.clock)),
            }
            done, call = change[choice.action]
            self._act(done, call)
        self.app.push_screen(UgcModal(right), chosen)

    def action_rule(self) -> None:
        view = self.view
        if view is None:  # still reading it: a few milliseconds
            return
        message = self.query_one(ThreadView).selected
        if message is None or message.direction != "in":
            self.notify("Select a customer's message (j/k) to make a rule from it.",
                        markup=False, severity="warning")
            return
        self._open_rule_editor(RuleSource(view.id, message.text, view.platform, view.kind,
                                          view.lang))

    @work(thread=True, exclusive=True, group="conversation-rule", exit_on_error=False,
          description="Read the rules file and the recent inbox")
    def _open_rule_editor(self, source: RuleSource) -> None:
        app = self.workstation
        try:
            rule_service.require_edit(app.engine, app.agent, clock=app.clock,
                                      conversation_id=source.conversation_id)
            context = rule_service.editor_context(app.engine)
        except PermissionDenied as exc:
            self.post_message(self.ActionFailed(f"New rule: {exc}"))
            return
        except (RulesError, OSError) as exc:
            self.post_message(self.ActionFailed(f"New rule: the rules file in force does not "
                                                f"load, fix it first: {exc}"))
            return
        self.post_message(self.RuleEditorReady(context, source))

    @on(RuleEditorReady)
    def edit_rule(self, event: RuleEditorReady) -> None:
        app = self.workstation

        def saved(added: rule_service.AddedRule | None) -> None:
            if added is not None:
                self.post_message(self.ActionDone(
                    f"Rule {added.name!r} added to {added.path} ({added.rules} rules): in force"
                    " for the next messages."))
        self.app.push_screen(RuleModal(app.engine, app.agent, app.clock, event.editor,
                                       event.source), saved)

    # -- running actions ----------------------------------------------------------------

    def _act(self, done: str, call: Callable[[], object]) -> None:
        """Run a service call in a worker; `done` tells the agent what it did."""
        self._run_call(done, call)

    @work(thread=True, group="conversation-action", exit_on_error=False,
          description="Conversation action")
    def _run_call(self, done: str, call: Callable[[], object]) -> None:
        try:
            call()
        except REFUSED as exc:
            self.post_message(self.ActionFailed(str(exc)))
            return
        self.post_message(self.ActionDone(done))


def _grant(app: WorkstationApp, right_id: int, credit: str) -> None:
    # flows.toml says for how long a yes holds; read here, in the worker, not on the loop.
    from workstation.leads import config

    ugc_rights.grant(app.engine, right_id, actor=app.agent, credit=credit,
                     months=config.current().ugc_usage_months, clock=app.clock)
