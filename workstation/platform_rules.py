"""What the platforms refuse that the store can tell before anything is queued.

- Meta accepts one private reply per comment (a DM whose recipient is the comment, research
  notes A.2). After it, the brand can only write to the person in their DM thread, and only
  once they wrote there: a second DM from a comment thread goes to that DM thread, or nowhere.
- Instagram takes no public reply under a hidden comment (notes A.1): a public reply answers
  the customer's latest comment still shown, or cannot go.
- X lets an account hide only the replies in conversations it started (hide replies, notes
  B), and delete only its own posts. A customer's post anywhere else can be hidden or deleted
  in the inbox, not on X.

The replies and moderation services and the automation ask here before they queue, so the
agent learns at once why something cannot go, and no call is spent on a certain refusal.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import Connection, select

from workstation.models import Conversation, Direction, Message, Outbox, OutboxState, Post

PRIVATE_REPLY_PLATFORMS = frozenset({"instagram", "facebook"})
"""Platforms where a DM answering a comment is a private reply, one per comment."""
PRIVATE_REPLY_TAKEN = (OutboxState.QUEUED.value, OutboxState.SENDING.value,
                       OutboxState.SENT.value, OutboxState.UNKNOWN.value)
"""Outbox states of a private reply that holds the comment's one chance (or may: unknown)."""
NAMES = {"instagram": "Instagram", "facebook": "Facebook", "x": "X"}

_O = Outbox.__table__.c  # type: ignore[attr-defined]
_C = Conversation.__table__.c  # type: ignore[attr-defined]
_M = Message.__table__.c  # type: ignore[attr-defined]
_P = Post.__table__.c  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Route:
    """Where a reply asked for in a conversation goes, or why it cannot."""

    conversation_id: int
    """The conversation itself, or the customer's DM thread it is redirected to."""
    note: str = ""
    """Why it was redirected ('' when it was not)."""
    refusal: str = ""
    """Why it cannot be sent at all ('' when it can)."""
    code: str = "private_reply"
    """The refusal's code (a guardrail violation's code for the composer and scripts)."""


def private_reply_taken(conn: Connection, conversation_id: int, comment_id: str, *,
                        exclude: int | None = None,
                        states: Collection[str] = PRIVATE_REPLY_TAKEN) -> int | None:
    """The outbox row that holds the private reply to `comment_id`, if any.

    `exclude` leaves out one row (the one being sent); `states` are those that count.
    """
    query = select(_O.id).where(
        _O.conversation_id == conversation_id, _O.channel == "dm",
        _O.reply_to_external_id == comment_id, _O.state.in_(list(states)))
    if exclude is not None:
        query = query.where(_O.id != exclude)
    return conn.execute(query.order_by(_O.id).limit(1)).scalar()


def route_dm(conn: Connection, *, conversation_id: int, platform: str, kind: str,
             contact_id: int | None, comment_id: str) -> Route:
    """Where a DM in this conversation may go: the private reply to the customer's latest
    comment while that comment has none, then the customer's DM thread once they wrote
    there, else nowhere (with the reason)."""
    if kind == "dm" or platform not in PRIVATE_REPLY_PLATFORMS or not comment_id:
        return Route(conversation_id)
    taken = private_reply_taken(conn, conversation_id, comment_id)
    if taken is None:
        return Route(conversation_id)
    name = NAMES.get(platform, platform)
    thread = None
    if contact_id is not None:
        thread = conn.execute(
            select(_C.id).where(_C.platform == platform, _C.kind == "dm",
                                _C.contact_id == contact_id, _C.last_inbound_at.is_not(None))
            .order_by(_C.last_inbound_at.desc(), _C.id.desc()).limit(1)).scalar()
    if thread is not None:
        return Route(int(thread), note=(
            f"goes to the customer's DM thread #{thread}: {name} accepts one private reply per"
            f" comment and reply #{taken} is this comment's"))
    return Route(conversation_id, refusal=(
        f"{name} accepts one private reply per comment and reply #{taken} is this comment's;"
        " the customer has not written to us privately yet: answer in public, or answer in"
        " their DM thread once they write"))


def public_reply_target(conn: Connection, *, platform: str, conversation_id: int,
                        comment_id: str) -> tuple[str, str]:
    """What a public reply in a thread answers, and why it cannot ('' when it can).

    `comment_id`, the customer's latest message, unless Instagram would refuse it: it takes
    no reply under a hidden comment (research notes A.1), so the reply answers the latest of
    the customer's comments still shown (Instagram threads are one level deep: it lands in
    the same thread), or, when they are all hidden, cannot go.
    """
    if platform != "instagram" or not comment_id:
        return comment_id, ""
    hidden = conn.execute(select(_M.hidden).where(
        _M.platform == platform, _M.external_id == comment_id)).scalar()
    if not hidden:
        return comment_id, ""
    shown = conn.execute(select(_M.external_id).where(
        _M.conversation_id == conversation_id, _M.direction == Direction.IN.value,
        _M.hidden.is_(False), _M.deleted.is_(False))
        .order_by(_M.created_at.desc(), _M.id.desc()).limit(1)).scalar()
    if shown:
        return str(shown), ""
    return comment_id, ("Instagram takes no reply under a hidden comment, and this customer's"
                        " comments here are all hidden: unhide one first, or answer in a"
                        " private message")


def x_refusal(action: str, *, parent: str, root: str, ours: Collection[str]) -> str:
    """Why X would refuse to `hide`, `unhide` or `delete` a customer's post ('' when it
    would not).

    Args:
        action: hide, unhide or delete (anything else: '').
        parent: the post it replies to ('' when it is not a reply).
        root: X's `conversation_id`, the post its conversation started with ('' if unknown).
        ours: the brand's posts among `x_start(parent, root)` of the posts asked about
            (`brand_posts`).
    """
    if action == "delete":
        return "X lets an account delete only its own posts"
    if action not in ("hide", "unhide"):
        return ""
    rule = "X lets an account hide only replies to its own posts"
    if not parent:
        return f"{rule}; this post is not a reply"
    if x_start(parent, root) not in ours:
        return f"{rule}; this one is in a conversation someone else started"
    return ""


def x_start(parent: str, root: str) -> str:
    """The post a reply's conversation started with: X's `conversation_id` when the event
    carried it (the connector's always do), else the post it answers, the best the store
    knows (X has the last word)."""
    return root or parent


def brand_posts(conn: Connection, ids: Collection[str]) -> set[str]:
    """Which of these X post ids are the brand's own (a post of ours, or our message)."""
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return set()
    found = set(conn.execute(select(_P.external_id).where(
        _P.platform == "x", _P.external_id.in_(wanted))).scalars())
    found |= set(conn.execute(select(_M.external_id).where(
        _M.platform == "x", _M.external_id.in_(wanted),
        _M.direction == Direction.OUT.value)).scalars())
    return found
