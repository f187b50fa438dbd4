"""The Meta connector: Instagram and Facebook Page comments, Instagram and Messenger DMs over
the Graph API (research notes A.1-A.3, A.5).

Checkpoints are timestamps (RFC 3339, UTC): the newest creation time fully handed out. Graph
timestamps have whole seconds, so a poll asks for everything at or after the checkpoint and
may return the last second's events again (ingest ignores a duplicate); it never skips one.

Instagram lists top-level comments newest first with their replies inside, so a new reply
under an old comment is only seen while that comment is younger than `reply_horizon` before
the checkpoint (webhooks see the rest). Facebook's `filter=stream` lists every comment, replies
included, newest first. Conversations are listed by last activity, then their messages (only
the 20 most recent of a conversation can be read: Meta's limit).

A DM's thread is `dm:<customer's scoped id>`, not the Graph conversation id: a webhook names
the customer only, so this is the one key both ways agree on, and a DM seen by webhook and by
poll lands in one conversation. Sending, the window check and `find_sent` turn it back into
the Graph conversation (`GET {page}/conversations?user_id=`), cached per connector. (Stores
synced when the key was the Graph id are re-keyed by migration 0013; a DM thread from a file,
keyed otherwise, is found by its customer the same way.)

A DM's quick replies (a qualifier question's options) go as the Send API's `quick_replies`;
the customer's tap comes back by webhook as `quick_reply.payload`.

DMs obey the messaging window: a reply within 24 hours of the person's last message goes as
`RESPONSE`; a human's reply within 7 days as `MESSAGE_TAG` / `HUMAN_AGENT`; anything later
is `Rejected` without calling the platform.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from ..clock import Clock, utcnow
from . import meta_events
from .base import Malformed, Outgoing, Page, Rejected
from .http import HttpClient, pick
from .meta_events import Unreadable, customer_in, edge_data, meta_time
from .paging import Reported, pages

STREAMS = ("instagram:comments", "facebook:comments", "instagram:dm", "messenger:dm")
IG_COMMENT_FIELDS = "id,text,timestamp,username,from,parent_id,hidden,like_count"
FB_COMMENT_FIELDS = "id,message,created_time,from,parent{id},is_hidden,permalink_url"
MESSAGE_FIELDS = "id,created_time,from,to,message"
WINDOW = timedelta(hours=24)
HUMAN_AGENT_WINDOW = timedelta(days=7)
ALREADY_REPLIED = "10900"
"""Graph's code for a second private reply to a comment ("Activity already replied to")."""
BACKFILL = timedelta(days=7)
LIMIT = 100
MAX_POSTS = 100
QUICK_REPLIES = 13
QUICK_REPLY_TITLE = 20


class MetaConnector:
    name = "meta"

    def __init__(self, http: HttpClient, *, clock: Clock = utcnow,
                 reply_horizon: timedelta = timedelta(days=1)) -> None:
        self.http = http
        self.clock = clock
        self.reply_horizon = reply_horizon
        self._ids: dict[str, str] | None = None
        self._profiles: dict[str, dict[str, Any]] = {}
        self._conversations: dict[tuple[str, str], str] = {}  # (platform, customer) -> id
        self._reported = Reported()

    def __repr__(self) -> str:
        return f"MetaConnector({self.http!r})"

    def streams(self) -> list[str]:
        return list(STREAMS)

    def close(self) -> None:
        self.http.close()

    # ------------------------------------------------------------------ accounts
    @property
    def ids(self) -> dict[str, str]:
        """The Page's id and its Instagram business account's id, read once."""
        if self._ids is None:
            me = self.http.get("me", {"fields": "id,name,instagram_business_account{id,username}"})
            ig = me.get("instagram_business_account") if isinstance(me, dict) else None
            ig = ig if isinstance(ig, dict) else {}
            page = pick(me, "id", write=False, where="meta: GET me")
            self._ids = {"page": page, "instagram": str(ig.get("id") or "")}
        return self._ids

    def _brand(self) -> set[str]:
        return {value for value in self.ids.values() if value}

    # ------------------------------------------------------------------ reading
    def poll(self, stream: str, position: str) -> Iterator[Page]:
        if stream not in STREAMS:
            raise ValueError(f"unknown stream {stream!r}")
        since = meta_time(position) if position else self.clock() - BACKFILL
        skipped: list[str] = []
        if stream == "instagram:comments":
            events = self._ig_comments(since, skipped)
        elif stream == "facebook:comments":
            events = self._fb_comments(since, skipped)
        else:
            events = self._dms("instagram" if stream == "instagram:dm" else "messenger", since,
                               skipped)
        yield from pages(events, position, self._reported.fresh(skipped),
                         order=lambda e: (e["created_at"], _numeric(e["id"])),
                         position_of=lambda e: e["created_at"])

    def _each(self, path: str, params: dict[str, Any], limit: int = 10_000) -> Iterator[Any]:
        """Items of a Graph edge, page after page, until `paging.next` is absent."""
        params = {**params, "limit": LIMIT}
        seen = 0
        while True:
            body = self.http.get(path, params)
            data = body.get("data") if isinstance(body, dict) else None
            if not isinstance(data, list):
                raise Malformed(f"meta: GET {path}: page without data")
            for item in data:
                yield item
                seen += 1
                if seen >= limit:
                    return
            paging = body.get("paging") or {}
            after = (paging.get("cursors") or {}).get("after")
            if not paging.get("next") or not after:
                return
            params = {**params, "after": after}

    def _ig_comments(self, since: datetime, skipped: list[str]) -> list[dict[str, Any]]:
        media_id = self.ids["instagram"]
        if not media_id:
            return []
        brand, events = self._brand(), []
        horizon = since - self.reply_horizon
        fields = f"{IG_COMMENT_FIELDS},replies{{{IG_COMMENT_FIELDS}}}"
        media_list = self._each(f"{media_id}/media", {"fields": "id,caption,permalink,timestamp"},
                                MAX_POSTS)
        for media in _with_ids(media_list, "instagram media", skipped):
            for top in self._each(f"{media['id']}/comments", {"fields": fields}):
                edge = top.get("replies") if isinstance(top, dict) else None
                replies = edge.get("data") if isinstance(edge, dict) else None
                for obj in [top, *(replies if isinstance(replies, list) else [])]:
                    self._take(events, skipped, since,
                               lambda o=obj: meta_events.ig_comment(o, media, brand))
                if _older(top, "timestamp", horizon):
                    break
        return events

    def _fb_comments(self, since: datetime, skipped: list[str]) -> list[dict[str, Any]]:
        brand, events = self._brand(), []
        posts = self._each(f"{self.ids['page']}/posts",
                           {"fields": "id,message,permalink_url,created_time"}, MAX_POSTS)
        for post in _with_ids(posts, "facebook post", skipped):
            params = {"fields": FB_COMMENT_FIELDS, "filter": "stream",
                      "order": "reverse_chronological"}
            for obj in self._each(f"{post['id']}/comments", params):
                if _older(obj, "created_time", since):
                    break
                self._take(events, skipped, since,
                           lambda o=obj: meta_events.fb_comment(o, post, brand))
        return events

    def _dms(self, platform: str, since: datetime, skipped: list[str]) -> list[dict[str, Any]]:
        brand, events = self._brand(), []
        slug = "instagram" if platform == "instagram" else "facebook"
        convs = self._each(f"{self.ids['page']}/conversations",
                           {"platform": platform, "fields": "id,updated_time,participants"})
        for conv in _with_ids(convs, f"{platform} conversation", skipped):
            if _older(conv, "updated_time", since):
                break
            customer = customer_in(edge_data(conv.get("participants")), brand)
            for obj in self._each(f"{conv['id']}/messages", {"fields": MESSAGE_FIELDS}):
                if _older(obj, "created_time", since):
                    break
                who = customer or customer_in(
                    [obj.get("from"), *edge_data(obj.get("to"))] if isinstance(obj, dict)
                    else [], brand)
                if not who:
                    skipped.append(f"{platform} conversation {conv['id']}: no customer among "
                                   "its participants")
                    break
                self._remember(platform, who, conv["id"])
                profile = self._profile(obj, platform, brand)
                self._take(events, skipped, since,
                           lambda o=obj, p=profile, t=f"dm:{who}":
                           meta_events.dm(o, slug, t, brand, p))
        return events

    def _remember(self, platform: str, customer: str, conversation: str) -> None:
        if len(self._conversations) > 10_000:
            self._conversations.clear()
        self._conversations[(platform, customer)] = conversation

    def _take(self, events: list[dict[str, Any]], skipped: list[str], since: datetime,
              make: Any) -> None:
        try:
            event = make()
        except Unreadable as exc:
            skipped.append(str(exc))
            return
        if meta_time(event["created_at"]) >= since:
            events.append(event)

    def _profile(self, obj: Any, platform: str, brand: set[str]) -> dict[str, Any] | None:
        """Followers and verification of an Instagram sender (the User Profile API), cached."""
        sender = obj.get("from") if isinstance(obj, dict) else None
        if platform != "instagram" or not isinstance(sender, dict) or not sender.get("id") \
                or str(sender["id"]) in brand:
            return None
        key = str(sender["id"])
        if key not in self._profiles:
            if len(self._profiles) > 10_000:
                self._profiles.clear()
            try:
                self._profiles[key] = self.http.get(
                    key, {"fields": "name,username,follower_count,is_verified_user"})
            except Rejected:
                self._profiles[key] = {}
        return self._profiles[key]

    # ------------------------------------------------------------------ writing
    def send(self, item: Outgoing) -> str:
        channel, target = item.channel, item.reply_to
        if channel == "public":
            edge = "replies" if item.platform == "instagram" else "comments"
            answer = self.http.write("POST", f"{target}/{edge}", data={"message": item.text})
            return pick(answer, "id", write=True, where=f"meta: POST {target}/{edge}")
        if channel == "dm":
            return self._send_dm(item)
        if channel in ("hide", "unhide"):
            name = "hide" if item.platform == "instagram" else "is_hidden"
            value = "true" if channel == "hide" else "false"
            self.http.write("POST", target, data={name: value})
            return ""
        if channel == "delete":
            self.http.write("DELETE", target)
            return ""
        if channel in ("ban", "unban"):
            raise Rejected(f"meta: {channel} is not offered by the Graph API for "
                           f"{item.platform}; do it in Meta Business Suite")
        raise Rejected(f"meta: unknown channel {channel!r}")

    def _send_dm(self, item: Outgoing) -> str:
        body: dict[str, Any] = {"message": {"text": item.text}}
        if item.quick_replies:
            body["message"]["quick_replies"] = quick_replies(item.quick_replies)
        if item.kind == "comment":
            # A private reply to a comment: Meta allows one, within 7 days of the comment.
            body.update(recipient={"comment_id": item.reply_to}, messaging_type="RESPONSE")
        else:
            body.update(recipient={"id": _recipient(item)}, **self._window(item))
        try:
            answer = self.http.write("POST", f"{self.ids['page']}/messages", json=body)
        except Rejected as exc:
            if exc.code != ALREADY_REPLIED:
                raise
            raise Rejected(f"{exc}: Meta accepts one private reply per comment and this comment "
                           "has one (sent from here or from Meta's own apps)", status=exc.status,
                           code=exc.code) from None
        return pick(answer, "message_id", write=True, where="meta: POST messages")

    def _window(self, item: Outgoing) -> dict[str, str]:
        """`messaging_type` (and `tag`) allowed now, from the person's last message."""
        last, customer = None, _recipient(item)
        conversation = self._conversation_of(item)
        messages = self._each(f"{conversation}/messages", {"fields": MESSAGE_FIELDS}, 20) \
            if conversation else iter(())
        for obj in messages:
            sender = obj.get("from") if isinstance(obj, dict) else None
            if isinstance(sender, dict) and str(sender.get("id")) == customer:
                try:
                    last = meta_time(obj.get("created_time"))
                except ValueError:
                    continue
                break
        age = self.clock() - last if last is not None else None
        if age is not None and age <= WINDOW:
            return {"messaging_type": "RESPONSE"}
        if age is not None and age <= HUMAN_AGENT_WINDOW and item.human_agent:
            return {"messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT"}
        if age is None:
            reason = "the person has not written in this thread (not in its last 20 messages)"
        elif age <= HUMAN_AGENT_WINDOW:
            reason = (f"the person last wrote {age.total_seconds() / 3600:.0f} hours ago; past "
                      "24 hours only a human's reply may be sent (HUMAN_AGENT tag)")
        else:
            reason = f"the person last wrote {age.days} days ago; nothing may be sent past 7 days"
        raise Rejected(f"meta: outside the 24-hour messaging window: {reason}",
                       code="window")

    # ------------------------------------------------------------------ reconciling
    def find_sent(self, item: Outgoing) -> str | None:
        channel, target = item.channel, item.reply_to
        brand = self._brand()
        if channel == "public":
            if item.platform == "instagram":
                # Replies hang under the top-level comment (the thread), whatever they answered.
                for root in dict.fromkeys(r for r in (item.thread_key, target) if r):
                    found = self._match_under(f"{root}/replies", {"fields": "id,text,from"},
                                              "text", item.text)
                    if found:
                        return found
                return None
            return self._match_under(f"{target}/comments",
                                     {"fields": "id,message,from", "filter": "stream"},
                                     "message", item.text)
        if channel == "dm":
            thread = self._conversation_of(item)
            if not thread:
                return None
            return _match(self._each(f"{thread}/messages", {"fields": MESSAGE_FIELDS}, 20),
                          "message", item.text, brand)
        if channel in ("hide", "unhide"):
            name = "hidden" if item.platform == "instagram" else "is_hidden"
            state = self.http.get(target, {"fields": name})
            return "" if bool(state.get(name)) == (channel == "hide") else None
        if channel == "delete":
            try:
                self.http.get(target, {"fields": "id"})
            except Rejected:
                return ""
            return None
        return None

    def _match_under(self, path: str, params: dict[str, Any], field: str, text: str
                     ) -> str | None:
        """Our comment with this text on the edge `path`; None also when the edge is gone
        (a deleted comment)."""
        try:
            return _match(self._each(path, params), field, text, self._brand())
        except Rejected:
            return None

    def _conversation_of(self, item: Outgoing) -> str | None:
        """The Graph conversation with the item's customer; None when there is none yet."""
        platform = "instagram" if item.platform == "instagram" else "messenger"
        customer = _recipient(item)
        known = self._conversations.get((platform, customer))
        if known or not customer:
            return known or None
        for conv in self._each(f"{self.ids['page']}/conversations",
                               {"platform": platform, "user_id": customer, "fields": "id"}, 1):
            if isinstance(conv, dict) and conv.get("id"):
                self._remember(platform, customer, str(conv["id"]))
                return str(conv["id"])
        return None


def quick_replies(buttons: tuple[tuple[str, str], ...]) -> list[dict[str, str]]:
    """The Send API's `quick_replies`: text buttons, at most 13, titles of at most 20
    characters (Meta would cut them) and payloads of at most 1000."""
    return [{"content_type": "text", "title": title[:QUICK_REPLY_TITLE],
             "payload": payload[:1000] or title[:QUICK_REPLY_TITLE]}
            for title, payload in buttons[:QUICK_REPLIES]]


def _recipient(item: Outgoing) -> str:
    """Whom a DM goes to: the customer its `dm:` thread names, else the author answered (the
    commenter, for a private reply)."""
    if item.kind == "dm" and item.thread_key.startswith("dm:"):
        return item.thread_key[3:]
    return item.author_id


def _match(candidates: Iterator[Any], field: str, text: str, brand: set[str]) -> str | None:
    wanted = " ".join(text.split())
    for obj in candidates:
        if not isinstance(obj, dict):
            continue
        sender = obj.get("from")
        if isinstance(sender, dict) and str(sender.get("id")) in brand \
                and " ".join(str(obj.get(field) or "").split()) == wanted:
            return str(obj["id"])
    return None


def _with_ids(objects: Iterator[Any], label: str, skipped: list[str]) -> Iterator[dict[str, Any]]:
    for obj in objects:
        if isinstance(obj, dict) and isinstance(obj.get("id"), str) and obj["id"]:
            yield obj
        else:
            skipped.append(f"{label} without an id")


def _older(obj: Any, field: str, moment: datetime) -> bool:
    try:
        return meta_time(obj.get(field)) < moment
    except (AttributeError, ValueError):
        return False


def _numeric(item_id: str) -> int:
    digits = item_id.rsplit("_", 1)[-1]
    return int(digits) if digits.isdigit() else 0

