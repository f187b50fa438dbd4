"""The conversation screen's read model: thread, side panel, claim and draft in one value."""

from __future__ import annotations

from sqlalchemy import Engine

from tests.thread_factory import HOSTILE, NOW, add_agents, add_thread, messages
from workstation.clock import FrozenClock
from workstation.services import conversation_view as cv
from workstation.services import conversations as cs
from workstation.services.drafts import DraftState, save_draft
from workstation.services.replies import compose, send_reply


def test_thread_marks_authors_replies_and_moderation(engine: Engine) -> None:
    add_agents(engine)
    clock = FrozenClock(NOW)
    conv = add_thread(engine, texts=("first", "a reply to it"), caption="New grinder!")
    cs.hide_messages(engine, [messages(engine, conv)[1].id], actor="julie", clock=clock)
    send_reply(engine, compose(engine, conv, text="Thanks!", agent="julie", clock=clock),
               clock=clock)
    view = cv.load(engine, conv, agent="julie", clock=clock)
    assert view.post is not None and view.post.caption == "New grinder!"
    # Instagram takes no reply under the hidden one: julie's answers the comment still shown.
    assert [(m.author, m.depth, m.hidden) for m in view.messages] == [
        ("@lea.m", 0, False), ("@lea.m", 1, True), ("julie", 1, False)]
    assert view.messages[1].hidden_reason == "hidden by an agent"
    assert (view.messages[2].delivery, view.messages[2].author_kind) == ("queued", "agent")
    assert view.earlier == 0


def test_side_panel_has_contact_history_notes_escalation_claim(engine: Engine) -> None:
    add_agents(engine)
    clock = FrozenClock(NOW)
    conv = add_thread(engine, vip=True, followers=80_000)
    contact = cv.load(engine, conv, agent="julie").contact
    assert contact is not None
    older = add_thread(engine, contact_id=contact.id, status="resolved", resolution_code="answered")
    cs.note(engine, conv, "refund approved", actor="tom", clock=clock)
    cs.escalate(engine, [conv], "supervisor", "legal threat", actor="tom", clock=clock,
                auto_assign=())
    cs.claim(engine, conv, actor="tom", clock=clock)
    view = cv.load(engine, conv, agent="julie", clock=clock)
    assert view.contact is not None and view.contact.vip and view.contact.followers == 80_000
    assert [p.id for p in view.contact.past] == [older] and view.contact.past_total == 1
    assert [n.text for n in view.notes] == ["refund approved"]
    assert (view.escalation.role, view.escalation.reason, view.escalation.by) == (
        "supervisor", "legal threat", "tom")
    assert (view.claim.holder, view.claim.mine) == ("tom", False)


def test_long_and_hostile_text_is_cut_not_interpreted(engine: Engine) -> None:
    conv = add_thread(engine, texts=(HOSTILE, "x" * 10_000))
    view = cv.load(engine, conv, agent="julie")
    assert view.messages[0].text == HOSTILE
    assert len(view.messages[1].text) == cv.TEXT_CAP
    assert view.messages[1].hidden_chars == 10_000 - cv.TEXT_CAP


def test_only_the_newest_messages_are_read(engine: Engine) -> None:
    conv = add_thread(engine, texts=tuple(f"m{i}" for i in range(30)))
    view = cv.load(engine, conv, agent="julie", limit=10)
    assert [m.text for m in view.messages] == [f"m{i}" for i in range(20, 30)]
    assert view.earlier == 20


def test_the_agents_own_draft_comes_with_the_view(engine: Engine) -> None:
    add_agents(engine)
    conv = add_thread(engine)
    save_draft(engine, DraftState(conv, text="half written"), "julie")
    assert cv.load(engine, conv, agent="julie").draft.text == "half written"  # type: ignore[union-attr]
    assert cv.load(engine, conv, agent="tom").draft is None
