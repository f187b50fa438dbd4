"""The leads work's hook into ingest: qualifier flows, opt-outs, reminders, UGC, attribution.

`automation.Automation` calls `note` for every customer message as triage folds it into its
thread, and `flush` once the batch's messages are stored. Everything then happens in the
batch's transaction, message by message in time order: a stop word ends the flow and the
reminders; any reply cancels the pending reminder; promo codes and UTM campaigns are noted on
the lead; a pending UGC request reads its answer, a shared photo gets one; an active flow
reads the answer (following the customer from a comment into their DM thread), and a rule's
`qualifier = "FLOW"` asks for a flow. The store is read once per batch for flows and requests.

What the work looks for in the words (a stop word, promo codes, a campaign link, a shared
photo) needs no store: ingest's worker processes read it (`reading`) with the rest of the
text.
Starting a flow renders and queues its greeting through the replies engine, which costs far
more than a message's ingest: ingest only records the request (a `pending` flow), and the
workers' `flows` job greets (`runner.start_requested`). Until then the flow answers nothing
but a stop word.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, select

from workstation import bulk
from workstation.events import Event
from workstation.models import Lead, QualifierState, Reminder
from workstation.services import leads as lead_service

from . import config, ugc
from .flow import Cues
from .reading import NOTHING, Reading
from .runner import PENDING, FlowRunner
from .words import words

_L = Lead.__table__.c  # type: ignore[attr-defined]
_Q = QualifierState.__table__.c  # type: ignore[attr-defined]
_REMINDER = Reminder.__table__  # type: ignore[attr-defined]


class _Item(NamedTuple):
    conversation_id: int
    contact_id: int | None
    event: Event
    verdict: Any
    angry: bool
    confused: bool
    reading: Reading


class LeadHook:
    """Collects a batch's customer messages, then does the leads work on them."""

    def __init__(self, conn: Connection, now: datetime, auto_assign: frozenset[str]) -> None:
        self.conn = conn
        self.now = now
        self.auto_assign = auto_assign
        self.book = config.current()
        self.items: list[_Item] = []

    def handles(self, do: str, value: Any) -> bool:
        """Whether a rule action is this hook's to carry out (a qualifier naming a flow)."""
        return do == "qualifier" and value in self.book.flows

    def note(self, conversation_id: int, contact_id: int | None, event: Event, verdict: Any,
             angry: bool = False, confused: bool = False, reading: Reading | None = None
             ) -> None:
        """Remember one customer message, what triage read in it and what `read` found in
        its words (None: nothing)."""
        self.items.append(_Item(conversation_id, contact_id, event, verdict, angry, confused,
                                reading or NOTHING))

    def flush(self) -> None:
        """Do the work for every message noted, in order."""
        if not self.items:
            return
        conversations = {i.conversation_id for i in self.items}
        dm_contacts = {i.contact_id for i in self.items
                       if i.contact_id is not None and i.event.kind == "dm"}
        runner = FlowRunner(self.conn, self.book, self.now, self.auto_assign)
        runner.load(conversations, dm_contacts)
        requests = ugc.pending(self.conn, conversations, dm_contacts, now=self.now)
        reminded = {row[0] for row in bulk.select_in(
            self.conn, _REMINDER, ("conversation_id",), "conversation_id",
            sorted(conversations), kind="lead", state="pending")}
        for item in self.items:
            self._one(item, runner, requests, reminded)

    def _lead(self, conversation_id: int) -> Any:
        """The lead a conversation belongs to: through a flow that talked in it (a DM thread
        the bot moved to), else its own."""
        through_flow = self.conn.execute(select(_Q.lead_id).where(
            _Q.conversation_id == conversation_id).order_by(_Q.id.desc()).limit(1)).scalar()
        if through_flow is not None:
            return through_flow
        return self.conn.execute(select(_L.id).where(
            _L.conversation_id == conversation_id).order_by(_L.id.desc()).limit(1)).scalar()

    def _one(self, item: _Item, runner: FlowRunner, requests: list[Any],
             reminded: set[int]) -> None:
        conv, contact, event, verdict, angry, confused, reading = item
        now = self.now
        state = runner.find(conv, contact, event) if runner.active else None
        lead_id = state["lead_id"] if state is not None else None
        stop_word, codes, campaign, shares = reading
        if lead_id is None and (stop_word or codes or campaign or conv in reminded):
            lead_id = self._lead(conv)
        if lead_id is not None:
            cancelled = runner.cancel_reminders(lead_id, conv, "the customer replied")
            if cancelled:
                reminded.discard(conv)
            if codes or campaign:
                lead_service.attribute_conn(self.conn, lead_id, now=now, promo_codes=codes,
                                            campaign=campaign)
        if stop_word:
            if lead_id is not None:
                lead_service.opt_out_conn(self.conn, lead_id, now=now, word=stop_word)
            runner.stop(state, f"the customer said {stop_word!r}")
            return
        request = next((r for r in requests if r.conversation_id == conv
                        or (event.kind == "dm" and r.contact_id == contact
                            and r.platform == event.platform)), None) if requests else None
        # A withdrawal of a grant counts even in the middle of a qualifier flow.
        if request is not None and (state is None or request.state == "granted") and ugc.answer(
                self.conn, self.book, request, conv, words(event.text), now=now,
                text=event.text):
            requests.remove(request)
            return
        if state is not None and state["status"] == PENDING:
            return  # the flow has not said a word yet: there is nothing to answer
        if state is not None:
            cues = Cues(verdict.sentiment, angry, confused, tuple(verdict.intents),
                        tuple(verdict.tags))
            runner.advance(state, conv, verdict.lang, event, cues)
            return
        if now - event.created_at > self.book.start_within:
            return  # history being taken in: the bot starts nothing about old messages
        flow = next((a["value"] for a in verdict.actions
                     if a["do"] == "qualifier" and a["value"] in self.book.flows), "")
        if flow:
            runner.request(flow, conv, contact, verdict.lang, event)
        elif shares:
            ugc.request(self.conn, self.book, conv, event, lang=_lang(verdict.lang), now=now,
                        registry=runner.templates())


def _lang(lang: str) -> str:
    return lang if lang in config.LANGS else "en"
