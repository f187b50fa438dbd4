"""A Meta webhook delivery turned into events of the contract.

What is mapped, and how the ids line up with polling (so ingest's (platform, id) dedupe
makes a message that arrives both ways one message):

- `object: instagram`, `changes[field=comments]`: an Instagram comment; id = the comment id,
  parent = `parent_id` (replies are one level deep), post = the media id.
- `object: page`, `changes[field=feed]` with `item: comment, verb: add`: a Facebook Page
  comment; id = `comment_id`, parent = `parent_id` unless it is the post itself.
- `messaging[]` / `standby[]` with a `message` (or a `postback` that carries a `mid`): a DM on
  Instagram (`object: instagram`) or Messenger (`object: page`, platform `facebook`); id =
  `mid`, thread = `dm:<the customer's scoped id>`. Echoes of what the Page sent
  (`is_echo`) are direction `out`, so a reply sent from the outbox is matched, not doubled.

Everything else is counted as ignored, not an error: reactions, reads, deliveries, edits,
removals and hides (the poller reconciles those), mentions (the webhook carries ids only).
An item that should map but lacks its id is reported as a problem, with its JSON, for the
dead letters. Text is kept as it came; ingest makes it storable and validates it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

_OBJECTS = {"instagram": "instagram", "page": "facebook"}


@dataclass
class Mapped:
    """What one delivery holds."""

    events: list[dict[str, Any]] = field(default_factory=list)
    ignored: int = 0
    problems: list[tuple[bytes, str]] = field(default_factory=list)
    """(the item's JSON, why it could not be mapped)."""


def map_delivery(payload: Any) -> Mapped:
    """Map a parsed delivery; never raises on odd shapes (they become problems)."""
    out = Mapped()
    if not isinstance(payload, dict) or not isinstance(payload.get("entry"), list):
        out.problems.append((_raw(payload), "not a webhook delivery: no entry list"))
        return out
    platform = _OBJECTS.get(str(payload.get("object", "")))
    if platform is None:
        out.ignored += len(payload["entry"])
        return out
    for entry in payload["entry"]:
        if not isinstance(entry, dict):
            out.problems.append((_raw(entry), "entry is not an object"))
            continue
        owner = str(entry.get("id", ""))
        when = entry.get("time")
        for change in _items(entry, "changes", out):
            _change(platform, owner, when, change, out)
        for key in ("messaging", "standby"):
            for item in _items(entry, key, out):
                _messaging(platform, item, out)
    return out


def _items(entry: dict[str, Any], key: str, out: Mapped) -> list[dict[str, Any]]:
    items = entry.get(key) or []
    if not isinstance(items, list):
        out.problems.append((_raw(entry), f"entry.{key} is not a list"))
        return []
    good = [i for i in items if isinstance(i, dict)]
    for bad in (i for i in items if not isinstance(i, dict)):
        out.problems.append((_raw(bad), f"entry.{key} item is not an object"))
    return good


def _change(platform: str, owner: str, when: Any, change: dict[str, Any], out: Mapped) -> None:
    value = change.get("value")
    if not isinstance(value, dict):
        out.ignored += 1
        return
    fields = change.get("field")
    if platform == "instagram" and fields == "comments":
        ident, author = value.get("id"), _obj(value.get("from"))
        media = _obj(value.get("media"))
        event = {"platform": "instagram", "kind": "comment", "id": ident,
                 "author": {"id": author.get("id"), "handle": author.get("username", "")},
                 "text": value.get("text", ""),
                 "created_at": _time(value.get("timestamp") or when),
                 "parent": value.get("parent_id"),
                 # Replies are one level deep: the thread is the top comment, as polled.
                 "thread": value.get("parent_id") or ident,
                 "post": {"id": media["id"]} if media.get("id") else None}
        if media.get("media_product_type"):
            event["media_product_type"] = media["media_product_type"]
    elif platform == "facebook" and fields == "feed" and value.get("item") == "comment":
        if value.get("verb") != "add":
            out.ignored += 1
            return
        author, post = _obj(value.get("from")), value.get("post_id")
        parent = value.get("parent_id")
        event = {"platform": "facebook", "kind": "comment", "id": value.get("comment_id"),
                 "author": {"id": author.get("id"), "name": author.get("name", "")},
                 "text": value.get("message", ""),
                 "created_at": _time(value.get("created_time") or when),
                 "parent": parent if parent and parent != post else None,
                 "post": {"id": post} if post else None}
    else:
        out.ignored += 1
        return
    event["direction"] = "out" if owner and event["author"]["id"] == owner else "in"
    _keep(event, change, out)


def _messaging(platform: str, item: dict[str, Any], out: Mapped) -> None:
    message, postback = _obj(item.get("message")), _obj(item.get("postback"))
    if message:
        if message.get("is_deleted"):
            out.ignored += 1
            return
        ident, text = message.get("mid"), message.get("text", "")
    elif postback.get("mid"):
        ident, text = postback.get("mid"), postback.get("title", "")
    else:
        out.ignored += 1  # deliveries, reads, reactions, referrals, postbacks without an id
        return
    sender, recipient = _obj(item.get("sender")), _obj(item.get("recipient"))
    echo = bool(message.get("is_echo"))
    customer = recipient.get("id") if echo else sender.get("id")
    event: dict[str, Any] = {
        "platform": platform, "kind": "dm", "id": ident,
        "author": {"id": sender.get("id")}, "text": text,
        "created_at": _time(item.get("timestamp")),
        "thread": f"dm:{customer}" if customer else None,
        "direction": "out" if echo else "in",
        "parent": _obj(message.get("reply_to")).get("mid"),
    }
    attachments = message.get("attachments")
    if isinstance(attachments, list) and attachments:
        event["attachments"] = [
            {"type": a.get("type", ""), "url": _obj(a.get("payload")).get("url", "")}
            for a in attachments if isinstance(a, dict)
        ]
    if _obj(message.get("quick_reply")).get("payload"):
        event["quick_reply"] = message["quick_reply"]["payload"]
    if postback.get("payload"):
        event["postback"] = postback["payload"]
    _keep(event, item, out)


def _keep(event: dict[str, Any], source: dict[str, Any], out: Mapped) -> None:
    if not event.get("id") or not event["author"].get("id") or event["created_at"] is None:
        missing = "id" if not event.get("id") else (
            "author id" if not event["author"].get("id") else "time")
        what = f"{event['platform']} {event['kind']}"
        out.problems.append((_raw(source), f"{what} without {missing}"))
        return
    for key in ("parent", "post", "thread"):
        if event.get(key) is None:
            event.pop(key, None)
    event["via"] = "webhook"
    out.events.append(event)


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _time(value: Any) -> str | None:
    """RFC 3339 from what Meta sends: Unix seconds or milliseconds, or ISO 8601 text
    (Instagram writes `+0000` offsets, which `fromisoformat` takes)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 1e11 else value
        try:
            return datetime.fromtimestamp(seconds, UTC).isoformat().replace("+00:00", "Z")
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str) and value:
        return value
    return None


def _raw(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, default=str)[:65536].encode("utf-8", "replace")
