"""Meta accepts one private reply per comment: the first DM to a commenter is it, a later one
goes to the customer's DM thread once they wrote there, or is refused before it is queued."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from tests.core.replies.conftest import NOW, ThreadFactory, add_message
from workstation import audit, db
from workstation.clock import FrozenClock
from workstation.models import Conversation, Outbox
from workstation.services import outbox
from workstation.services.replies import (
    Draft, ReplyBlocked, Sender, cancel_reply, compose, compose_drafts, send_reply,
)

_C = Conversation.__table__.c  # type: ignore[attr-defined]
_OUTBOX = Outbox.__table__  # type: ignore[attr-defined]


def contact_of(engine: Engine, conversation_id: int) -> int:
    with db.read(engine) as conn:
        return int(conn.execute(select(_C.contact_id).where(_C.id == conversation_id))
                   .scalar_one())


def dm(engine: Engine, conversation_id: int, text: str, clock: FrozenClock,
       agent: str | None = None) -> Draft:
    return compose(engine, conversation_id, text=text, channel="dm", agent=agent, clock=clock)


def test_the_first_dm_is_the_private_reply_and_a_second_is_refused_before_queuing(
    engine: Engine, make_thread: ThreadFactory, clock: FrozenClock, agent: str,
) -> None:
    conv = make_thread(platform="instagram", kind="comment")
    first = send_reply(engine, dm(engine, conv, "We have written to you privately.", clock,
                                  agent), clock=clock)
    assert (first.conversation_id, first.channel) == (conv, "dm")
    assert first.reply_to_external_id.startswith("m-")  # the comment it privately answers

    second = dm(engine, conv, "Did you see our message?", clock, agent)
    assert not second.sendable and second.conversation_id == conv
    assert second.violations[0].code == "private_reply"
    assert second.reasons[0].startswith(
        f"Instagram accepts one private reply per comment and reply #{first.id} is this "
        "comment's; the customer has not written to us privately yet")
    with pytest.raises(ReplyBlocked, match="one private reply per comment"):
        send_reply(engine, second, clock=clock)
    assert [row.id for row in outbox.list_outbox(engine)] == [first.id]
    [blocked] = audit.list_events(engine, action="reply.blocked")
    assert blocked.conversation_id == conv and blocked.details["codes"][0] == "private_reply"
    # Answering in public is still possible.
    assert compose(engine, conv, text="Check your DMs!", channel="public", clock=clock).sendable


def test_a_later_dm_goes_to_the_customers_dm_thread_once_they_wrote_there(
    engine: Engine, make_thread: ThreadFactory, clock: FrozenClock, agent: str,
) -> None:
    conv = make_thread(platform="facebook", kind="comment")
    send_reply(engine, dm(engine, conv, "We have written to you privately.", clock, agent),
               clock=clock)
    thread = make_thread(platform="facebook", kind="dm", contact_id=contact_of(engine, conv),
                         text="yes, got it", inbound_at=NOW - timedelta(minutes=5))
    draft = dm(engine, conv, "Here is the order form.", clock, agent)
    assert draft.sendable and draft.conversation_id == thread
    assert draft.note == (f"goes to the customer's DM thread #{thread}: Facebook accepts one "
                          "private reply per comment and reply #1 is this comment's")
    queued = send_reply(engine, draft, clock=clock)
    assert queued.conversation_id == thread and queued.reply_to_external_id.startswith("m-")
    [event] = [e for e in audit.list_events(engine, conversation_id=thread)
               if e.action == "reply.queued"]
    assert event.details["asked_in"] == conv
    # A draft made for the comment thread (as the lead flows make theirs) is routed too, and
    # submitting it again with its key queues nothing more.
    flow = Draft(conv, "Anything else?", "dm", "en", Sender("bot", name="bot"))
    again = [send_reply(engine, flow, idempotency_key="flow-1", clock=clock) for _ in range(2)]
    assert again[0] == again[1] and again[0].conversation_id == thread
    assert len(outbox.list_outbox(engine)) == 3


def test_a_new_comment_has_a_private_reply_of_its_own_and_a_cancelled_one_frees_it(
    engine: Engine, make_thread: ThreadFactory, clock: FrozenClock, agent: str,
) -> None:
    conv = make_thread(platform="instagram", kind="comment")
    first = send_reply(engine, dm(engine, conv, "Written privately.", clock, agent),
                       clock=clock)
    cancel_reply(engine, first.id, actor=agent, clock=clock)
    again = send_reply(engine, dm(engine, conv, "Written privately, again.", clock, agent),
                       clock=clock)
    assert again.reply_to_external_id == first.reply_to_external_id
    with db.write(engine) as conn:
        add_message(conn, conv, "instagram", "and another thing", NOW - timedelta(minutes=1),
                    ident="m-later", contact_id=contact_of(engine, conv))
    newer = send_reply(engine, dm(engine, conv, "About the other thing.", clock, agent),
                       clock=clock)
    assert (newer.conversation_id, newer.reply_to_external_id) == (conv, "m-later")


@pytest.mark.parametrize("platform, kind", [("x", "mention"), ("tiktok", "comment"),
                                            ("instagram", "dm")])
def test_other_threads_take_any_number_of_dms(
    engine: Engine, make_thread: ThreadFactory, clock: FrozenClock, platform: str, kind: str,
) -> None:
    conv = make_thread(platform=platform, kind=kind)
    for text in ("One.", "Two.", "Three."):
        assert send_reply(engine, dm(engine, conv, text, clock), clock=clock).conversation_id \
            == conv


def test_the_bots_second_drafted_dm_to_a_comment_is_cancelled_with_the_reason(
    engine: Engine, make_thread: ThreadFactory, clock: FrozenClock,
) -> None:
    conv = make_thread(platform="instagram", kind="comment")
    with db.write(engine) as conn:
        conn.execute(_OUTBOX.insert(), [{
            "conversation_id": conv, "reply_to_external_id": "", "channel": "dm", "text": "",
            "author_kind": "bot", "agent_id": None, "idempotency_key": f"auto:{template}",
            "state": "draft", "attempts": 0, "last_error": "", "next_attempt_at": None,
            "external_id": "", "template_id": template, "created_at": NOW, "sent_at": None,
        } for template in ("after-hours", "human-handoff")])
    assert compose_drafts(engine, clock=clock) == 2
    rows = sorted(outbox.list_outbox(engine), key=lambda r: r.id)
    assert [r.state for r in rows] == ["queued", "cancelled"]
    assert "one private reply per comment" in rows[1].last_error


def test_the_command_line_says_where_a_dm_goes_and_why_one_cannot(
    engine: Engine, store_url: str, recent: ThreadFactory,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from workstation.cli import main

    make_thread = recent  # the command line judges a reply by today's clock
    conv = make_thread(platform="instagram", kind="comment")
    args = ["--db", store_url, "reply", str(conv), "--dm", "--text"]
    assert main([*args, "We wrote to you privately."]) == 0
    capsys.readouterr()
    assert main([*args, "Did you get it?"]) == 1
    out, err = capsys.readouterr()
    assert err.startswith("workstation: blocked: Instagram accepts one private reply per "
                          "comment and reply #1 is this comment's")
    thread = make_thread(platform="instagram", kind="dm", contact_id=contact_of(engine, conv))
    assert main([*args, "Thanks for writing back."]) == 0
    out, err = capsys.readouterr()
    assert f"-- goes to the customer's DM thread #{thread}: " in out and err == ""
    assert [r.conversation_id for r in outbox.list_outbox(engine)] == [thread, conv]


def test_a_public_reply_on_instagram_answers_the_latest_comment_still_shown(
    engine: Engine, make_thread: ThreadFactory, clock: FrozenClock,
) -> None:
    from workstation.models import Message

    conv, other = make_thread(platform="instagram"), make_thread(platform="facebook")
    table = Message.__table__  # type: ignore[attr-defined]
    with db.write(engine) as conn:
        add_message(conn, conv, "instagram", "spam spam", NOW - timedelta(minutes=1),
                    ident="m-spam", contact_id=contact_of(engine, conv))
        conn.execute(table.update().where(table.c.external_id == "m-spam").values(hidden=True))
    queued = send_reply(engine, compose(engine, conv, text="Thanks!", channel="public",
                                        clock=clock), clock=clock)
    assert queued.reply_to_external_id.startswith("m-") and queued.reply_to_external_id \
        != "m-spam"
    with db.write(engine) as conn:
        conn.execute(table.update().values(hidden=True))
    public = compose(engine, conv, text="Thanks again!", channel="public", clock=clock)
    assert [v.code for v in public.violations] == ["hidden_comment"]
    assert public.reasons == ["Instagram takes no reply under a hidden comment, and this "
                              "customer's comments here are all hidden: unhide one first, or "
                              "answer in a private message"]
    with pytest.raises(ReplyBlocked):
        send_reply(engine, public, clock=clock)
    assert dm(engine, conv, "Thanks, in private.", clock).sendable
    # The rule is Instagram's (research notes A.1).
    assert compose(engine, other, text="Thanks!", channel="public", clock=clock).sendable
