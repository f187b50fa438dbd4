"""Graph API objects (Instagram comments, Page comments, conversation messages) as events of
the contract. A missing required part raises `Unreadable`, which the connector reports in
`Page.skipped` and goes on with the rest of the page."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..clock import iso, to_utc


class Unreadable(ValueError):
    """One item of a page that cannot become an event; the message says which and why."""


def meta_time(value: Any) -> datetime:
    """`2026-11-26T18:10:30+0000` (Graph's form) or RFC 3339 -> aware UTC."""
    if not isinstance(value, str) or not value:
        raise ValueError("no time")
    text = value.replace("Z", "+00:00")
    if len(text) > 5 and text[-5] in "+-" and text[-3] != ":":
        text = f"{text[:-2]}:{text[-2:]}"
    return to_utc(datetime.fromisoformat(text))


def _base(kind_label: str, obj: Any, time_field: str) -> tuple[str, datetime, dict[str, Any]]:
    if not isinstance(obj, dict) or not isinstance(obj.get("id"), str) or not obj["id"]:
        raise Unreadable(f"{kind_label} without an id")
    try:
        created = meta_time(obj.get(time_field))
    except ValueError:
        raise Unreadable(f"{kind_label} {obj['id']}: no readable {time_field}") from None
    sender = obj.get("from")
    if not isinstance(sender, dict) or not sender.get("id"):
        raise Unreadable(f"{kind_label} {obj['id']}: no author")
    return obj["id"], created, sender


def ig_comment(obj: Any, media: dict[str, Any], brand_ids: set[str]) -> dict[str, Any]:
    item_id, created, sender = _base("instagram comment", obj, "timestamp")
    parent = obj.get("parent_id") or None
    event: dict[str, Any] = {
        "platform": "instagram", "kind": "comment", "id": item_id,
        "thread": parent or item_id,  # Instagram replies are one level deep
        "direction": "out" if str(sender["id"]) in brand_ids else "in",
        "author": {"id": str(sender["id"]),
                   "handle": str(sender.get("username") or obj.get("username") or "")},
        "text": str(obj.get("text") or ""), "created_at": iso(created),
        "post": _post(media, "caption", "permalink"),
    }
    if parent:
        event["parent"] = str(parent)
    if obj.get("hidden"):
        event["hidden"] = True
    return event


def fb_comment(obj: Any, post: dict[str, Any], brand_ids: set[str]) -> dict[str, Any]:
    item_id, created, sender = _base("facebook comment", obj, "created_time")
    parent = obj.get("parent")
    event: dict[str, Any] = {
        "platform": "facebook", "kind": "comment", "id": item_id,
        "direction": "out" if str(sender["id"]) in brand_ids else "in",
        "author": {"id": str(sender["id"]), "name": str(sender.get("name") or "")},
        "text": str(obj.get("message") or ""), "created_at": iso(created),
        "post": _post(post, "message", "permalink_url"),
    }
    if isinstance(parent, dict) and parent.get("id"):
        event["parent"] = str(parent["id"])
    if obj.get("is_hidden"):
        event["hidden"] = True
    return event


def dm(obj: Any, platform: str, conversation: str, brand_ids: set[str],
       profile: dict[str, Any] | None = None) -> dict[str, Any]:
    """A conversation message; `platform` is "instagram" or "facebook" (Messenger)."""
    item_id, created, sender = _base(f"{platform} message", obj, "created_time")
    author: dict[str, Any] = {"id": str(sender["id"])}
    if sender.get("username"):
        author["handle"] = str(sender["username"])
    if sender.get("name"):
        author["name"] = str(sender["name"])
    if profile:
        if isinstance(profile.get("follower_count"), int):
            author["followers"] = profile["follower_count"]
        if isinstance(profile.get("is_verified_user"), bool):
            author["verified"] = profile["is_verified_user"]
        if profile.get("name") and "name" not in author:
            author["name"] = str(profile["name"])
    return {
        "platform": platform, "kind": "dm", "id": item_id, "thread": conversation,
        "direction": "out" if author["id"] in brand_ids else "in", "author": author,
        "text": str(obj.get("message") or ""), "created_at": iso(created),
    }


def edge_data(edge: Any) -> list[Any]:
    """The `data` list of a Graph edge (`participants`, `to`); [] for anything else."""
    data = edge.get("data") if isinstance(edge, dict) else None
    return data if isinstance(data, list) else []


def customer_in(people: list[Any], brand_ids: set[str]) -> str:
    """The first participant that is not the Page or its Instagram account: the customer a
    DM thread is keyed by (`dm:<id>`, as the webhook receiver keys it); '' if none."""
    for person in people:
        if isinstance(person, dict) and person.get("id") and str(person["id"]) not in brand_ids:
            return str(person["id"])
    return ""


def _post(obj: dict[str, Any], caption: str, url: str) -> dict[str, Any]:
    post: dict[str, Any] = {"id": str(obj.get("id", ""))}
    if obj.get(url):
        post["url"] = str(obj[url])
    if obj.get(caption):
        post["caption"] = str(obj[caption])
    return post
