"""The X connector: mentions, replies, hidden replies and direct messages over X API v2
(research notes B).

Checkpoints are the newest post or DM event id handed out. Mentions are read with
`since_id` (exclusive) and followed through `next_token`; DM events have no `since_id`, so
they are read newest first until an id at or below the checkpoint. X ids grow with time, so
"newer" is "larger". X's DMs have no quick replies: a DM's options are written into its text
as numbered choices, which the customer answers by number or by name.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from ..clock import iso, to_utc
from .base import Malformed, Outgoing, Page, Rejected, numbered
from .http import HttpClient, pick
from .paging import Reported, pages

STREAMS = ("x:mentions", "x:dm")
TWEET_FIELDS = "created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets"
USER_FIELDS = "username,name,verified,public_metrics"
DM_FIELDS = "id,event_type,text,sender_id,created_at,dm_conversation_id"
FIND_PAGES = 3


class Unreadable(ValueError):
    pass


class XConnector:
    name = "x"

    def __init__(self, http: HttpClient) -> None:
        self.http = http
        self._me: dict[str, str] | None = None
        self._reported = Reported()

    def __repr__(self) -> str:
        return f"XConnector({self.http!r})"

    def streams(self) -> list[str]:
        return list(STREAMS)

    def close(self) -> None:
        self.http.close()

    @property
    def me(self) -> dict[str, str]:
        if self._me is None:
            body = self.http.get("users/me")
            user_id = pick(body, "data", "id", write=False, where="x: GET users/me")
            name = body["data"].get("username") or ""
            self._me = {"id": user_id, "username": str(name)}
        return self._me

    # ------------------------------------------------------------------ reading
    def poll(self, stream: str, position: str) -> Iterator[Page]:
        if stream not in STREAMS:
            raise ValueError(f"unknown stream {stream!r}")
        if position and not position.isdigit():
            raise ValueError(f"an X checkpoint is a post id, not {position!r}")
        skipped: list[str] = []
        if stream == "x:mentions":
            events = self._mentions(position, skipped)
        else:
            events = self._dms(position, skipped)
        yield from pages(events, position, self._reported.fresh(skipped),
                         order=lambda e: int(e["id"]),
                         position_of=lambda e: e["id"])

    def _each(self, path: str, params: dict[str, Any], limit_pages: int = 10_000
              ) -> Iterator[tuple[list[Any], dict[str, Any]]]:
        """Each page's `data` and `includes`, following `meta.next_token`."""
        token = ""
        for _ in range(limit_pages):
            page = {**params, "pagination_token": token} if token else params
            body = self.http.get(path, page)
            if not isinstance(body, dict):
                raise Malformed(f"x: GET {path}: page is not an object")
            data = body.get("data") or []
            yield (data if isinstance(data, list) else []), body.get("includes") or {}
            token = (body.get("meta") or {}).get("next_token") or ""
            if not token:
                return

    def _mentions(self, since_id: str, skipped: list[str]) -> list[dict[str, Any]]:
        params: dict[str, Any] = {
            "max_results": 100, "tweet.fields": TWEET_FIELDS,
            "expansions": "author_id,referenced_tweets.id", "user.fields": USER_FIELDS}
        if since_id:
            params["since_id"] = since_id
        events = []
        for data, includes in self._each(f"users/{self.me['id']}/mentions", params):
            users = _by_id(includes.get("users"))
            tweets = _by_id(includes.get("tweets"))
            for obj in data:
                try:
                    events.append(self._mention(obj, users, tweets))
                except Unreadable as exc:
                    skipped.append(str(exc))
        return events

    def _mention(self, obj: Any, users: dict[str, Any], tweets: dict[str, Any]) -> dict[str, Any]:
        tweet_id = _id(obj, "x post")
        author_id = obj.get("author_id")
        if not author_id:
            raise Unreadable(f"x post {tweet_id}: no author")
        event: dict[str, Any] = {
            "platform": "x", "kind": "mention", "id": tweet_id,
            "direction": "out" if str(author_id) == self.me["id"] else "in",
            "author": _author(str(author_id), users), "text": str(obj.get("text") or ""),
            "created_at": _time(obj, tweet_id),
        }
        replied = [ref.get("id") for ref in obj.get("referenced_tweets") or []
                   if isinstance(ref, dict) and ref.get("type") == "replied_to"]
        if replied and replied[0]:
            event["parent"] = str(replied[0])
            parent = tweets.get(str(replied[0]))
            if parent and str(parent.get("author_id")) == self.me["id"]:
                url = f"https://x.com/{self.me['username']}/status/{parent['id']}"
                event["post"] = {"id": str(parent["id"]), "url": url,
                                 "caption": str(parent.get("text") or "")}
        if obj.get("conversation_id"):
            event["conversation_id"] = str(obj["conversation_id"])
        return event

    def _dms(self, since_id: str, skipped: list[str]) -> list[dict[str, Any]]:
        params = {"max_results": 100, "dm_event.fields": DM_FIELDS,
                  "event_types": "MessageCreate", "expansions": "sender_id",
                  "user.fields": USER_FIELDS}
        floor = int(since_id) if since_id else 0
        events = []
        for data, includes in self._each("dm_events", params):
            users = _by_id(includes.get("users"))
            reached = False
            for obj in data:
                try:
                    event_id = _id(obj, "x dm")
                    if int(event_id) <= floor:
                        reached = True
                        continue
                    events.append(self._dm(obj, event_id, users))
                except (Unreadable, ValueError) as exc:
                    skipped.append(str(exc))
            if reached:
                break
        return events

    def _dm(self, obj: dict[str, Any], event_id: str, users: dict[str, Any]) -> dict[str, Any]:
        sender = obj.get("sender_id")
        conversation = obj.get("dm_conversation_id")
        if not sender or not conversation:
            raise Unreadable(f"x dm {event_id}: no sender or conversation")
        return {
            "platform": "x", "kind": "dm", "id": event_id, "thread": str(conversation),
            "direction": "out" if str(sender) == self.me["id"] else "in",
            "author": _author(str(sender), users), "text": str(obj.get("text") or ""),
            "created_at": _time(obj, event_id),
        }

    # ------------------------------------------------------------------ writing
    def send(self, item: Outgoing) -> str:
        channel, target = item.channel, item.reply_to
        if channel == "public":
            answer = self.http.write("POST", "tweets", json={
                "text": item.text, "reply": {"in_reply_to_tweet_id": target}})
            return pick(answer, "data", "id", write=True, where="x: POST tweets")
        if channel == "dm":
            answer = self.http.write("POST", f"{self._dm_path(item)}/messages",
                                     json={"text": numbered(item.text, item.quick_replies)})
            return pick(answer, "data", "dm_event_id", write=True, where="x: POST messages")
        if channel in ("hide", "unhide"):
            self.http.write("PUT", f"tweets/{target}/hidden", json={"hidden": channel == "hide"})
            return ""
        if channel == "delete":
            self.http.write("DELETE", f"tweets/{target}")
            return ""
        if channel in ("ban", "unban"):
            raise Rejected(f"x: {channel} is not offered to this app; block the account on X")
        raise Rejected(f"x: unknown channel {channel!r}")

    def _dm_path(self, item: Outgoing) -> str:
        if item.kind == "dm" and item.thread_key:
            return f"dm_conversations/{item.thread_key}"
        return f"dm_conversations/with/{item.author_id}"

    # ------------------------------------------------------------------ reconciling
    def find_sent(self, item: Outgoing) -> str | None:
        """Our reply, if it was posted. Hiding is idempotent on X and cannot be read back, so
        for hide/unhide this answers None and the sender may simply send again."""
        wanted = " ".join((numbered(item.text, item.quick_replies) if item.channel == "dm"
                           else item.text).split())
        if item.channel == "public":
            params = {"max_results": 100, "tweet.fields": "referenced_tweets,created_at"}
            for data, _ in self._each(f"users/{self.me['id']}/tweets", params, FIND_PAGES):
                for obj in data:
                    refs = {(r.get("type"), r.get("id")) for r in obj.get("referenced_tweets") or []
                            if isinstance(r, dict)}
                    if ("replied_to", item.reply_to) in refs \
                            and " ".join(str(obj.get("text") or "").split()) == wanted:
                        return str(obj["id"])
            return None
        if item.channel == "dm":
            params = {"max_results": 100, "dm_event.fields": DM_FIELDS}
            for data, _ in self._each(f"{self._dm_path(item)}/dm_events", params, FIND_PAGES):
                for obj in data:
                    if str(obj.get("sender_id")) == self.me["id"] \
                            and " ".join(str(obj.get("text") or "").split()) == wanted:
                        return str(obj["id"])
            return None
        if item.channel == "delete":
            body = self.http.get(f"tweets/{item.reply_to}")
            return "" if not (isinstance(body, dict) and body.get("data")) else None
        return None


def _by_id(values: Any) -> dict[str, Any]:
    if not isinstance(values, list):
        return {}
    return {str(v["id"]): v for v in values if isinstance(v, dict) and v.get("id")}


def _id(obj: Any, label: str) -> str:
    if not isinstance(obj, dict) or not str(obj.get("id") or "").isdigit():
        raise Unreadable(f"{label} without a valid id")
    return str(obj["id"])


def _time(obj: dict[str, Any], item_id: str) -> str:
    try:
        moment = datetime.fromisoformat(str(obj["created_at"]).replace("Z", "+00:00"))
    except (KeyError, ValueError):
        raise Unreadable(f"x item {item_id}: no readable created_at") from None
    return iso(to_utc(moment)) or ""


def _author(user_id: str, users: dict[str, Any]) -> dict[str, Any]:
    user = users.get(user_id) or {}
    author: dict[str, Any] = {"id": user_id}
    if user.get("username"):
        author["handle"] = str(user["username"])
    if user.get("name"):
        author["name"] = str(user["name"])
    metrics = user.get("public_metrics")
    if isinstance(metrics, dict) and isinstance(metrics.get("followers_count"), int):
        author["followers"] = metrics["followers_count"]
    if isinstance(user.get("verified"), bool):
        author["verified"] = user["verified"]
    return author
