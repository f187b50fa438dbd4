"""Composer drafts: kept per agent and conversation, replaced, discarded when empty."""

from __future__ import annotations

from sqlalchemy import Engine

from tests.thread_factory import add_thread
from workstation.services.drafts import DraftState, discard_draft, load_draft, save_draft


def test_a_draft_is_saved_replaced_and_discarded(engine: Engine) -> None:
    conv = add_thread(engine)
    first = save_draft(engine, DraftState(conv, "dm", "where-is-my-order", "en",
                                          {"order_no": "BL-1"}, {"greeting": 1}), "julie")
    again = save_draft(engine, DraftState(conv, "dm", "where-is-my-order", "en",
                                          {"order_no": "BL-2"}, {"greeting": 0},
                                          idempotency_key=first.idempotency_key), "julie")
    loaded = load_draft(engine, conv, "julie")
    assert loaded is not None
    assert (loaded.values, loaded.choices, loaded.channel) == ({"order_no": "BL-2"},
                                                                {"greeting": 0}, "dm")
    assert loaded.idempotency_key == again.idempotency_key == first.idempotency_key
    assert load_draft(engine, conv, "tom") is None
    assert discard_draft(engine, conv, "julie") is True
    assert discard_draft(engine, conv, "julie") is False


def test_an_empty_draft_is_not_kept(engine: Engine) -> None:
    conv = add_thread(engine)
    save_draft(engine, DraftState(conv, text="something"), "julie")
    save_draft(engine, DraftState(conv, text="   "), "julie")
    assert load_draft(engine, conv, "julie") is None


def test_each_draft_has_its_own_key() -> None:
    assert DraftState(1).idempotency_key != DraftState(1).idempotency_key


def test_a_sent_draft_never_comes_back(engine: Engine) -> None:
    from workstation.services.replies import compose, send_reply

    conv = add_thread(engine)
    draft = save_draft(engine, DraftState(conv, text="Thanks!"), "julie")
    send_reply(engine, compose(engine, conv, text="Thanks!"),
               idempotency_key=draft.idempotency_key)
    assert load_draft(engine, conv, "julie") is None
    save_draft(engine, DraftState(conv, text="Thanks!!", idempotency_key=draft.idempotency_key),
               "julie")
    assert load_draft(engine, conv, "julie") is None
