"""The sender: each error class moves a reply where it belongs, and nothing is posted twice."""

from __future__ import annotations

import random
import threading
from datetime import timedelta

from sqlalchemy import Engine

from tests.thread_factory import NOW, add_thread
from tests.worker_fakes import FakeConnector, Post, outbox_row, queue_reply
from workstation import audit
from workstation.clock import FrozenClock
from workstation.connectors.base import (
    Malformed,
    OutcomeUnknown,
    RateLimited,
    Rejected,
    Transient,
)
from workstation.services import outbox
from workstation.workers.outgoing import by_platform
from workstation.workers.sender import send_outbox


def send(engine: Engine, fake: FakeConnector, clock: FrozenClock, **kw: object) -> dict[str, int]:
    report = send_outbox(engine, by_platform([fake]), clock=clock, rng=random.Random(1), **kw)
    return {k: v for k, v in vars(report).items() if v}


def test_a_queued_reply_is_sent_once(engine: Engine, clock: FrozenClock) -> None:
    conv = add_thread(engine)
    reply = queue_reply(engine, conv)
    fake = FakeConnector()
    assert send(engine, fake, clock) == {"sent": 1}
    assert send(engine, fake, clock) == {}
    row = outbox_row(engine, reply)
    assert (row.state, row.external_id, row.attempts) == ("sent", "fake-out-1", 1)
    assert [(p.outbox_id, p.text, p.human_agent) for p in fake.posted] == [
        (reply, "Thanks, we are on it.", True)]
    actions = [e.action for e in audit.list_events(engine, conversation_id=conv)]
    assert actions == ["outbox.sending", "outbox.sent"]


def test_a_platform_without_a_connector_keeps_its_replies_queued(engine: Engine,
                                                                 clock: FrozenClock) -> None:
    ours = queue_reply(engine, add_thread(engine, platform="instagram"))
    theirs = queue_reply(engine, add_thread(engine, platform="tiktok"))
    assert send(engine, FakeConnector(), clock) == {"sent": 1}
    assert outbox_row(engine, ours).state == "sent"
    row = outbox_row(engine, theirs)
    assert (row.state, row.attempts, row.last_error) == ("queued", 0, "")


def test_every_channel_reaches_the_connector(engine: Engine, clock: FrozenClock) -> None:
    conv = add_thread(engine)
    channels = ("public", "dm", "hide", "unhide", "delete", "ban", "unban")
    for channel in channels:
        queue_reply(engine, conv, channel=channel, text="" if channel not in ("public", "dm")
                    else "ok", key=channel)
    fake = FakeConnector()
    assert send(engine, fake, clock) == {"sent": 7}
    assert [p.channel for p in fake.posted] == list(channels)


FAULTS = [
    (Transient("503 from the platform", status=503), "queued", "retrying"),
    (Rejected("(#10) permission denied", status=403), "failed", "failed"),
    (OutcomeUnknown("read timeout"), "unknown", "unknown"),
    (Malformed("not JSON"), "unknown", "unknown"),
    (RuntimeError("a bug in the connector"), "unknown", "unknown"),
]


def test_each_error_class_moves_the_reply_where_it_belongs(engine: Engine,
                                                           clock: FrozenClock) -> None:
    for n, (fault, state, counted) in enumerate(FAULTS):
        # One platform per case: each run sees only its own reply.
        reply = queue_reply(engine, add_thread(engine, platform=f"site{n}"))
        fake = FakeConnector(platforms=(f"site{n}",), faults=[fault])
        assert send(engine, fake, clock) == {counted: 1}, fault
        row = outbox_row(engine, reply)
        assert (row.state, row.attempts) == (state, 1), fault
        assert str(fault) in row.last_error
        assert fake.posted == []
        if state == "queued":
            assert row.next_attempt_at > clock()  # with backoff


def test_a_rate_limit_defers_without_spending_an_attempt(engine: Engine,
                                                         clock: FrozenClock) -> None:
    conv = add_thread(engine)
    first, second = queue_reply(engine, conv, text="one"), queue_reply(engine, conv, text="two")
    fake = FakeConnector(faults=[RateLimited("429", retry_after=60, status=429)])
    assert send(engine, fake, clock) == {"deferred": 2}
    assert fake.calls == 1  # the platform asked us to wait: the second is not tried
    for reply in (first, second):
        row = outbox_row(engine, reply)
        assert (row.state, row.attempts) == ("queued", 0)
        assert row.next_attempt_at == clock() + timedelta(seconds=60)
    assert send(engine, fake, clock) == {}
    clock.advance(seconds=61)
    assert send(engine, fake, clock) == {"sent": 2}
    assert [p.text for p in fake.posted] == ["one", "two"]


def test_an_unknown_reply_that_was_posted_is_reconciled_not_resent(
    engine: Engine, clock: FrozenClock,
) -> None:
    reply = queue_reply(engine, add_thread(engine))
    fake = FakeConnector(faults=[OutcomeUnknown("timeout after sending")], post_then_fail=True)
    assert send(engine, fake, clock) == {"unknown": 1}
    assert len(fake.posted) == 1
    assert send(engine, fake, clock) == {"reconciled": 1}
    row = outbox_row(engine, reply)
    assert (row.state, row.external_id) == ("sent", "fake-out-1")
    assert len(fake.posted) == 1 and fake.calls == 1


def test_an_unknown_reply_that_was_not_posted_is_sent_again_once(
    engine: Engine, clock: FrozenClock,
) -> None:
    reply = queue_reply(engine, add_thread(engine))
    fake = FakeConnector(faults=[OutcomeUnknown("connection dropped before sending")])
    send(engine, fake, clock)
    assert send(engine, fake, clock) == {"requeued": 1, "sent": 1}
    assert send(engine, fake, clock) == {}
    assert outbox_row(engine, reply).state == "sent"
    assert len(fake.posted) == 1


def test_a_worker_that_died_mid_send_leaves_nothing_posted_twice(
    engine: Engine, clock: FrozenClock,
) -> None:
    reply = queue_reply(engine, add_thread(engine))
    fake = FakeConnector()
    # A worker claims the reply, posts it and dies before recording the outcome.
    (claimed,) = outbox.claim(engine, worker="dead", clock=clock)
    fake.posted.append(Post(claimed.id, "public", claimed.text, claimed.idempotency_key,
                            "fake-out-1", True))
    assert send(engine, fake, clock) == {}  # its lease holds the row for now
    clock.advance(minutes=3)
    assert send(engine, fake, clock) == {"expired": 1, "reconciled": 1}
    assert outbox_row(engine, reply).state == "sent"
    assert len(fake.posted) == 1


def test_a_dm_outside_the_messaging_window_fails_with_the_reason(
    engine: Engine, clock: FrozenClock,
) -> None:
    old = NOW - timedelta(days=9)
    conv = add_thread(engine, kind="dm", at=old, last_inbound_at=old)
    reply = queue_reply(engine, conv, channel="dm")
    fake = FakeConnector()
    assert send(engine, fake, clock) == {"failed": 1}
    row = outbox_row(engine, reply)
    assert row.state == "failed" and "window" in row.last_error
    assert fake.calls == 0


def test_a_bot_dm_past_the_standard_window_needs_a_person(engine: Engine,
                                                          clock: FrozenClock) -> None:
    two_days = NOW - timedelta(days=2)
    conv = add_thread(engine, kind="dm", at=two_days, last_inbound_at=two_days)
    bot = queue_reply(engine, conv, channel="dm", author_kind="bot", text="bot")
    person = queue_reply(engine, conv, channel="dm", author_kind="agent", text="person")
    fake = FakeConnector()
    assert send(engine, fake, clock) == {"failed": 1, "sent": 1}
    assert outbox_row(engine, bot).state == "failed"
    assert [(p.text, p.human_agent) for p in fake.posted] == [("person", True)]


def test_a_second_private_reply_to_one_comment_fails_without_calling_meta(
    engine: Engine, clock: FrozenClock,
) -> None:
    """Rows queued before the replies service knew the rule: the first DM to the comment
    goes, the second would be refused by Meta and is not sent; another comment's goes."""
    conv = add_thread(engine, platform="facebook")
    first = queue_reply(engine, conv, channel="dm", text="one", reply_to="c-1")
    second = queue_reply(engine, conv, channel="dm", text="two", reply_to="c-1")
    other = queue_reply(engine, conv, channel="dm", text="three", reply_to="c-2")
    fake = FakeConnector(platforms=("facebook",))
    assert send(engine, fake, clock) == {"sent": 2, "failed": 1}
    assert [p.text for p in fake.posted] == ["one", "three"]
    row = outbox_row(engine, second)
    assert row.state == "failed" and row.last_error == (
        f"Facebook accepts one private reply per comment and reply #{first} is this comment's")
    assert outbox_row(engine, other).state == "sent"


def test_a_stopping_worker_gives_claimed_replies_back(engine: Engine,
                                                      clock: FrozenClock) -> None:
    conv = add_thread(engine)
    replies = [queue_reply(engine, conv, text=str(n)) for n in range(3)]
    fake = FakeConnector()
    report = send(engine, fake, clock, guard=lambda: not fake.posted)  # stops after one
    assert report == {"sent": 1, "deferred": 2}
    rows = [outbox_row(engine, r) for r in replies]
    assert [(r.state, r.attempts) for r in rows] == [("sent", 1), ("queued", 0), ("queued", 0)]
    assert send(engine, fake, clock) == {"sent": 2}
    assert len(fake.posted) == 3


def test_two_senders_at_once_post_each_reply_once(engine: Engine, clock: FrozenClock) -> None:
    conv = add_thread(engine)
    for n in range(30):
        queue_reply(engine, conv, text=str(n))
    fake = FakeConnector()
    threads = [threading.Thread(target=send, args=(engine, fake, clock), kwargs={"batch": 4})
               for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(int(p.text) for p in fake.posted) == list(range(30))



def test_an_unknown_action_found_done_is_not_done_again(engine: Engine,
                                                        clock: FrozenClock) -> None:
    action = queue_reply(engine, add_thread(engine), channel="delete", text="")
    fake = FakeConnector(faults=[OutcomeUnknown("timeout")], post_then_fail=True)
    assert send(engine, fake, clock) == {"unknown": 1}
    assert send(engine, fake, clock) == {"reconciled": 1}
    assert outbox_row(engine, action).state == "sent"
    assert fake.calls == 1


def test_an_unreachable_platform_costs_no_attempt(engine: Engine, clock: FrozenClock) -> None:
    conv = add_thread(engine)
    replies = [queue_reply(engine, conv, text=str(n)) for n in range(3)]
    fake = FakeConnector(faults=[Transient("cannot connect (ConnectError)")])
    assert send(engine, fake, clock) == {"deferred": 3}
    assert fake.calls == 1
    rows = [outbox_row(engine, r) for r in replies]
    assert {(r.state, r.attempts) for r in rows} == {("queued", 0)}
    assert send(engine, fake, clock) == {}
    clock.advance(seconds=6)
    assert send(engine, fake, clock) == {"sent": 3}
