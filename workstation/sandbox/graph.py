"""The sandbox's Meta Graph API: Instagram media and comments, Facebook Page posts and
comments, Instagram / Messenger conversations and the Send API, with Graph's JSON shapes,
cursor paging and error bodies (research notes A.1-A.3)."""

from __future__ import annotations

import secrets
from typing import Any

from .protocol import BadCursor, Reply, Request, after, cursor, flag, meta_time, parse_fields
from .world import (
    HANDLE, HUMAN_AGENT_WINDOW, IG_ID, PAGE_ID, PAGE_NAME, WINDOW, Conversation, Item, World,
)  # fmt: skip

MAX_LIMIT = 100
READABLE_MESSAGES = 20  # only a conversation's 20 most recent messages can be read
MAX_QUICK_REPLIES = 13
QUICK_REPLY_TITLE = 20


def error(status: int, code: int, message: str, *, subcode: int | None = None,
          transient: bool = False, kind: str = "OAuthException") -> Reply:
    body: dict[str, Any] = {"message": message, "type": kind, "code": code,
                            "fbtrace_id": secrets.token_urlsafe(9)}
    if subcode is not None:
        body["error_subcode"] = subcode
    if transient:
        body["is_transient"] = True
    return Reply(status, {"error": body})


def missing(object_id: str) -> Reply:
    return error(400, 100, f"Unsupported get request. Object with ID '{object_id}' does not "
                 "exist, cannot be loaded due to missing permissions, or does not support this "
                 "operation.", subcode=33, kind="GraphMethodException")


class Graph:
    def __init__(self, world: World) -> None:
        self.world = world

    def handle(self, req: Request, parts: list[str]) -> Reply:
        try:
            if req.method == "GET":
                return self._get(req, parts)
            if req.method == "POST":
                return self._post(req, parts)
            if req.method == "DELETE" and len(parts) == 1:
                return self._delete(parts[0])
        except BadCursor:
            return error(400, 100, "Invalid cursor", kind="GraphMethodException")
        return error(400, 100, "Unsupported request", kind="GraphMethodException")

    # ------------------------------------------------------------------ reads
    def _get(self, req: Request, parts: list[str]) -> Reply:
        fields = parse_fields(req.param("fields"))
        if parts == ["me"]:
            return Reply(200, {"id": PAGE_ID, "name": PAGE_NAME,
                               "instagram_business_account": {"id": IG_ID, "username": HANDLE}})
        world, node = self.world, parts[0]
        if len(parts) == 1:
            return self._node(node, fields)
        edge = parts[1]
        if edge == "media" and node in (IG_ID, "me"):
            return self._posts(req, "instagram", fields)
        if edge in ("posts", "feed") and node in (PAGE_ID, "me"):
            return self._posts(req, "facebook", fields)
        if edge == "conversations" and node in (PAGE_ID, IG_ID, "me"):
            return self._conversations(req, fields)
        if edge == "messages" and node in world.conversations:
            conv = world.conversations[node]
            newest = world.listing(root=conv.id)
            return self._page(req, newest[:READABLE_MESSAGES], lambda i: self._message(i, fields))
        if edge in ("comments", "replies"):
            return self._comments(req, node, edge, fields)
        return missing(node)

    def _node(self, node: str, fields: dict[str, Any]) -> Reply:
        world = self.world
        item = world.items.get(node)
        if item is not None and not item.deleted:
            if item.surface in ("ig_comment", "fb_comment"):
                return Reply(200, self._comment(item, fields))
            if item.surface.endswith("_dm"):
                return Reply(200, self._message(item, fields))
        if node in world.posts and world.posts[node].platform != "x":
            return Reply(200, self._post_body(node, fields))
        person = world.people.get(node)
        if person is not None and person.platform != "x":
            body: dict[str, Any] = {"id": person.id, "name": person.name}
            if person.platform == "instagram":
                body.update(username=person.username, follower_count=person.followers,
                            is_verified_user=person.verified, is_user_follow_business=False)
            else:
                first, _, last = person.name.partition(" ")
                body.update(first_name=first, last_name=last)
            return Reply(200, _only(body, fields, ("id", "name")))
        return missing(node)

    def _posts(self, req: Request, platform: str, fields: dict[str, Any]) -> Reply:
        with self.world.lock:
            posts = sorted((p for p in self.world.posts.values() if p.platform == platform),
                           key=lambda p: (p.created, p.id), reverse=True)
        ids = [p.id for p in posts]
        start = after(ids, req.param("after"))
        limit = _limit(req)
        chosen = posts[start:start + limit]
        more = start + limit < len(posts)
        return Reply(200, _paged([self._post_body(p.id, fields) for p in chosen],
                                 [p.id for p in chosen], more, req))

    def _post_body(self, post_id: str, fields: dict[str, Any]) -> dict[str, Any]:
        post = self.world.posts[post_id]
        if post.platform == "instagram":
            body = {"id": post.id, "caption": post.caption, "permalink": post.url,
                    "timestamp": meta_time(post.created), "media_type": "IMAGE",
                    "media_product_type": "FEED"}
        else:
            body = {"id": post.id, "message": post.caption, "permalink_url": post.url,
                    "created_time": meta_time(post.created)}
        return _only(body, fields, ("id",))

    def _comments(self, req: Request, node: str, edge: str, fields: dict[str, Any]) -> Reply:
        world = self.world
        target = world.items.get(node)
        if node in world.posts:
            post = world.posts[node]
            if post.platform == "instagram":
                listed = world.listing(lambda i: i.parent is None, root=node)
            elif req.param("filter") == "stream":
                listed = world.listing(root=node)
            else:
                listed = world.listing(lambda i: i.parent is None, root=node)
            if req.param("order", "reverse_chronological") == "chronological":
                listed.reverse()
        elif target is not None and not target.deleted and target.surface.endswith("comment"):
            listed = world.listing(parent=node)
            listed.reverse()  # replies read oldest first
        else:
            return missing(node)
        return self._page(req, listed, lambda i: self._comment(i, fields))

    def _comment(self, item: Item, fields: dict[str, Any]) -> dict[str, Any]:
        world = self.world
        author = world.people.get(item.author)
        brand = item.author in (IG_ID, PAGE_ID)
        if item.surface == "ig_comment":
            who = {"id": item.author, "username": HANDLE if brand else author.username if author
                   else ""}
            body: dict[str, Any] = {
                "id": item.id, "text": item.text, "timestamp": meta_time(item.created),
                "username": who["username"], "from": who, "hidden": item.hidden,
                "like_count": 0, "media": {"id": item.root, "media_product_type": "FEED"},
            }
            if item.parent:
                body["parent_id"] = item.parent
            elif "replies" in fields:
                replies = list(reversed(world.listing(parent=item.id)))
                body["replies"] = {"data": [self._comment(r, fields["replies"] or {"id": {}})
                                            for r in replies]}
            default = ("id", "text", "timestamp")
        else:
            who = {"id": item.author, "name": PAGE_NAME if brand else author.name if author
                   else ""}
            body = {"id": item.id, "message": item.text, "created_time": meta_time(item.created),
                    "from": who, "is_hidden": item.hidden, "can_hide": not brand,
                    "can_reply_privately": not brand, "like_count": 0,
                    "permalink_url": f"{world.posts[item.root].url}?comment_id={item.id}"}
            if item.parent:
                body["parent"] = {"id": item.parent}
            default = ("id", "message", "created_time")
        if item.broken:
            body.pop("timestamp", None)
            body.pop("created_time", None)
            body.pop("from", None)
        return _only(body, fields, default)

    def _conversations(self, req: Request, fields: dict[str, Any]) -> Reply:
        platform = req.param("platform", "messenger")
        user = req.param("user_id")
        with self.world.lock:
            convs = [c for c in self.world.conversations.values()
                     if c.platform == platform and c.updated is not None
                     and (not user or c.person == user)]
        convs.sort(key=lambda c: (c.updated, c.id), reverse=True)
        ids = [c.id for c in convs]
        start = after(ids, req.param("after"))
        limit = _limit(req)
        chosen = convs[start:start + limit]
        data = [self._conversation(c, fields) for c in chosen]
        return Reply(200, _paged(data, [c.id for c in chosen], start + limit < len(convs), req))

    def _conversation(self, conv: Conversation, fields: dict[str, Any]) -> dict[str, Any]:
        person = self.world.people[conv.person]
        me = ({"id": IG_ID, "username": HANDLE} if conv.platform == "instagram"
              else {"id": PAGE_ID, "name": PAGE_NAME})
        body = {"id": conv.id, "updated_time": meta_time(conv.updated or self.world.now()),
                "participants": {"data": [me, {"id": person.id, "username": person.username,
                                               "name": person.name}]}}
        return _only(body, fields, ("id", "updated_time"))

    def _message(self, item: Item, fields: dict[str, Any]) -> dict[str, Any]:
        world = self.world
        conv = world.conversations[item.root]
        person = world.people[conv.person]
        me = ({"id": IG_ID, "username": HANDLE} if conv.platform == "instagram"
              else {"id": PAGE_ID, "name": PAGE_NAME})
        them = ({"id": person.id, "username": person.username} if conv.platform == "instagram"
                else {"id": person.id, "name": person.name, "email": f"{person.id}@facebook.com"})
        sender, receiver = (me, them) if item.author == me["id"] else (them, me)
        body: dict[str, Any] = {"id": item.id, "created_time": meta_time(item.created),
                                "from": sender, "to": {"data": [receiver]}, "message": item.text}
        if item.broken:
            body.pop("created_time")
            body.pop("from")
        return _only(body, fields, ("id", "created_time"))

    def _page(self, req: Request, listed: list[Item], shape: Any) -> Reply:
        ids = [i.id for i in listed]
        start = after(ids, req.param("after"))
        limit = _limit(req)
        chosen = listed[start:start + limit]
        return Reply(200, _paged([shape(i) for i in chosen], [i.id for i in chosen],
                                 start + limit < len(listed), req))

    # ------------------------------------------------------------------ writes
    def _post(self, req: Request, parts: list[str]) -> Reply:
        world, node = self.world, parts[0]
        if len(parts) == 2 and parts[1] == "messages" and node in (PAGE_ID, IG_ID, "me"):
            return self._send(req)
        target = world.items.get(node)
        if len(parts) == 2 and parts[1] in ("replies", "comments"):
            return self._reply(req, node, target)
        if len(parts) == 1 and target is not None and not target.deleted:
            name = "hide" if target.surface == "ig_comment" else "is_hidden"
            hidden = flag(req.param(name))
            if hidden is None or target.surface not in ("ig_comment", "fb_comment"):
                return error(400, 100, f"(#100) The parameter {name} is required")
            target.hidden = hidden
            world.record("hide" if hidden else "unhide", platform=_platform(target),
                         target=target.id)
            return Reply(200, {"success": True}, wrote=True)
        return missing(node)

    def _reply(self, req: Request, node: str, target: Item | None) -> Reply:
        world = self.world
        text = req.param("message")
        if not text:
            return error(400, 100, "(#100) The parameter message is required")
        if target is None:
            post = world.posts.get(node)
            if post is None or post.platform == "x":
                return missing(node)
            surface = "ig_comment" if post.platform == "instagram" else "fb_comment"
            author = IG_ID if post.platform == "instagram" else PAGE_ID
            made = world.add_comment(surface, author, text, post=post.id)
        elif target.deleted or not target.surface.endswith("comment"):
            return missing(node)
        elif target.hidden and target.surface == "ig_comment":
            return error(400, 100, "(#100) Cannot reply to a hidden comment", subcode=2534023)
        else:
            author = IG_ID if target.surface == "ig_comment" else PAGE_ID
            made = world.add_comment(target.surface, author, text, post=target.root,
                                     parent=target.id)
        world.record("reply", platform=_platform(made), target=node, id=made.id, text=text)
        return Reply(200, {"id": made.id}, wrote=True)

    def _send(self, req: Request) -> Reply:
        world = self.world
        recipient = req.body.get("recipient") or {}
        message = req.body.get("message") or {}
        if not isinstance(recipient, dict) or not isinstance(message, dict):
            return error(400, 100, "(#100) param recipient must be an object")
        text = message.get("text")
        if not isinstance(text, str) or not text:
            return error(400, 100, "(#100) param message[text] must be a non-empty string")
        buttons = _quick_replies(message.get("quick_replies"))
        if isinstance(buttons, Reply):
            return buttons
        now = world.now()
        comment_id = str(recipient.get("comment_id") or "")
        if comment_id:
            comment = world.items.get(comment_id)
            if comment is None or comment.deleted:
                return missing(comment_id)
            if comment_id in world.private_replied:
                return error(400, 10900, "(#10900) Activity already replied to")
            if now - comment.created > HUMAN_AGENT_WINDOW:
                return error(400, 10, "(#10) This message is sent outside of allowed window.",
                             subcode=2018278)
            person_id = comment.author
        else:
            person_id = str(recipient.get("id") or "")
        person = world.people.get(person_id)
        if person is None or person.platform == "x":
            return error(400, 100, "(#100) No matching user found", subcode=2018001)
        platform = "instagram" if person.platform == "instagram" else "messenger"
        limit = 1000 if platform == "instagram" else 2000
        if len(text) > limit:
            return error(400, 100, f"(#100) Length of param message[text] must be less than or "
                         f"equal to {limit}")
        kind = req.body.get("messaging_type", "RESPONSE")
        tag = req.body.get("tag")
        if not comment_id:
            last = world.last_inbound(world.conversation_with(platform, person.id))
            window = HUMAN_AGENT_WINDOW if kind == "MESSAGE_TAG" else WINDOW
            if kind == "MESSAGE_TAG" and tag != "HUMAN_AGENT":
                return error(400, 100, f"(#100) Unsupported message tag: {tag!r}")
            if kind not in ("RESPONSE", "UPDATE", "MESSAGE_TAG"):
                return error(400, 100, f"(#100) Invalid messaging_type: {kind!r}")
            if last is None or now - last > window:
                return error(400, 10, "(#10) This message is sent outside of allowed window.",
                             subcode=2018278)
        sender = IG_ID if platform == "instagram" else PAGE_ID
        made = world.add_dm(platform, sender, text, person=person.id)
        if buttons:
            made.extra["quick_replies"] = buttons
        if comment_id:
            world.private_replied.add(comment_id)
        world.record("dm", platform="instagram" if platform == "instagram" else "facebook",
                     target=comment_id or person.id, conversation=made.root, id=made.id,
                     text=text, messaging_type=kind, tag=tag,
                     **({"quick_replies": buttons} if buttons else {}))
        return Reply(200, {"recipient_id": person.id, "message_id": made.id}, wrote=True)

    def _delete(self, node: str) -> Reply:
        target = self.world.items.get(node)
        if target is None or target.deleted or not target.surface.endswith("comment"):
            return missing(node)
        target.deleted = True
        self.world.record("delete", platform=_platform(target), target=target.id)
        return Reply(200, {"success": True}, wrote=True)


def _quick_replies(value: Any) -> list[dict[str, str]] | Reply:
    """The Send API's `quick_replies` as Meta takes them: at most 13 text buttons, each with
    a title (cut to 20 characters, as the apps show it) and a payload of at most 1000."""
    if value is None:
        return []
    if not isinstance(value, list) or not value:
        return error(400, 100, "(#100) param message[quick_replies] must be a non-empty array")
    if len(value) > MAX_QUICK_REPLIES:
        return error(400, 100, f"(#100) param message[quick_replies] must have at most "
                     f"{MAX_QUICK_REPLIES} elements")
    buttons = []
    for index, button in enumerate(value):
        where = f"message[quick_replies][{index}]"
        if not isinstance(button, dict) or button.get("content_type") != "text":
            return error(400, 100, f"(#100) param {where}[content_type] must be text")
        title, payload = button.get("title"), button.get("payload")
        if not isinstance(title, str) or not title.strip():
            return error(400, 100, f"(#100) param {where}[title] must be a non-empty string")
        if not isinstance(payload, str | int) or isinstance(payload, bool) or \
                not str(payload) or len(str(payload)) > 1000:
            return error(400, 100, f"(#100) param {where}[payload] is required for text quick "
                         "replies (at most 1000 characters)")
        buttons.append({"title": title[:QUICK_REPLY_TITLE], "payload": str(payload)})
    return buttons


def _platform(item: Item) -> str:
    return "instagram" if item.surface.startswith("ig") else "facebook"


def _only(body: dict[str, Any], fields: dict[str, Any], default: tuple[str, ...]) -> dict[str, Any]:
    wanted = set(fields) or set(default)
    return {key: value for key, value in body.items() if key in wanted or key == "id"}


def _limit(req: Request) -> int:
    try:
        return max(1, min(int(req.param("limit", "25")), MAX_LIMIT))
    except ValueError:
        return 25


def _paged(data: list[Any], ids: list[str], more: bool, req: Request) -> dict[str, Any]:
    body: dict[str, Any] = {"data": data}
    if ids:
        body["paging"] = {"cursors": {"before": cursor(ids[0]), "after": cursor(ids[-1])}}
        if more:
            body["paging"]["next"] = req.next_url(after=cursor(ids[-1]))
    return body
