"""The sandbox's X API v2: mentions, the brand's own posts, replies, hidden replies and direct
messages, with v2's `data` / `includes` / `meta` shapes, `since_id` and `next_token` paging and
problem-JSON errors (research notes B)."""

from __future__ import annotations

from typing import Any

from .protocol import BadCursor, Reply, Request, after, cursor, x_time
from .world import HANDLE, X_ID, Item, World

PAGE_MAX = 100


def problem(status: int, title: str, detail: str, kind: str = "about:blank") -> Reply:
    return Reply(status, {"title": title, "detail": detail, "type": kind, "status": status})


def invalid(detail: str) -> Reply:
    return Reply(400, {"errors": [{"message": detail}], "title": "Invalid Request",
                       "detail": "One or more parameters to your request was invalid.",
                       "type": "https://api.twitter.com/2/problems/invalid-request"})


def forbidden(detail: str) -> Reply:
    return problem(403, "Forbidden", detail)


class XApi:
    def __init__(self, world: World) -> None:
        self.world = world

    def handle(self, req: Request, parts: list[str]) -> Reply:
        try:
            return self._route(req, parts)
        except BadCursor:
            return invalid("The `pagination_token` query parameter value is not valid")

    def _route(self, req: Request, parts: list[str]) -> Reply:
        method = req.method
        if method == "GET" and parts == ["users", "me"]:
            return Reply(200, {"data": {"id": X_ID, "name": "Brûlerie Lumen", "username": HANDLE}})
        if method == "GET" and len(parts) == 3 and parts[0] == "users":
            if parts[1] != X_ID:
                return forbidden("You can only read your own timelines in the sandbox.")
            if parts[2] == "mentions":
                return self._timeline(req, lambda t: t.author != X_ID)
            if parts[2] == "tweets":
                return self._timeline(req, lambda t: t.author == X_ID)
        if method == "GET" and len(parts) == 2 and parts[0] == "tweets":
            return self._lookup(parts[1])
        if method == "POST" and parts == ["tweets"]:
            return self._tweet(req)
        if len(parts) == 3 and parts[0] == "tweets" and parts[2] == "hidden" and method == "PUT":
            return self._hide(req, parts[1])
        if len(parts) == 2 and parts[0] == "tweets" and method == "DELETE":
            return self._delete(parts[1])
        if method == "GET" and parts == ["dm_events"]:
            return self._dm_events(req, None)
        if len(parts) >= 3 and parts[0] == "dm_conversations":
            conv = self._conversation(parts)
            if conv is None:
                return problem(404, "Not Found Error", "Could not find the DM conversation.")
            if method == "GET" and parts[-1] == "dm_events":
                return self._dm_events(req, conv)
            if method == "POST" and parts[-1] == "messages":
                return self._send_dm(req, conv)
        return problem(404, "Not Found", f"No route for {method} /2/{'/'.join(parts)}")

    # ------------------------------------------------------------------ reads
    def _timeline(self, req: Request, keep: Any) -> Reply:
        size = req.param("max_results", "10")
        if not size.isdigit() or not 5 <= int(size) <= PAGE_MAX:
            return invalid("The `max_results` query parameter value [%s] is not between 5 and "
                           "100" % size)
        since = int(req.param("since_id") or 0)
        until = int(req.param("until_id") or 0)
        listed = self.world.listing(
            lambda t: keep(t) and int(t.id) > since and (not until or int(t.id) < until),
            surface="tweet")
        return self._page(req, listed, int(size), self._tweet_body)

    def _lookup(self, tweet_id: str) -> Reply:
        tweet = self.world.items.get(tweet_id)
        if tweet is None or tweet.deleted or tweet.surface != "tweet":
            # X answers a lookup of a missing post with 200 and an `errors` list.
            return Reply(200, {"errors": [{
                "value": tweet_id, "detail": f"Could not find tweet with id: [{tweet_id}].",
                "title": "Not Found Error", "resource_type": "tweet", "parameter": "id",
                "resource_id": tweet_id,
                "type": "https://api.twitter.com/2/problems/resource-not-found"}]})
        return Reply(200, {"data": {"id": tweet.id, "text": tweet.text,
                                    "edit_history_tweet_ids": [tweet.id]}})

    def _dm_events(self, req: Request, conv: Any) -> Reply:
        size = req.param("max_results", "100")
        if not size.isdigit() or not 1 <= int(size) <= PAGE_MAX:
            return invalid(f"The `max_results` query parameter value [{size}] is not between 1 "
                           "and 100")
        listed = (self.world.listing(surface="x_dm") if conv is None
                  else self.world.listing(root=conv.id))
        return self._page(req, listed, int(size), self._dm_body)

    def _page(self, req: Request, listed: list[Item], size: int, shape: Any) -> Reply:
        ids = [item.id for item in listed]
        start = after(ids, req.param("pagination_token"))
        chosen = listed[start:start + size]
        meta: dict[str, Any] = {"result_count": len(chosen)}
        if not chosen:
            return Reply(200, {"meta": meta})
        meta.update(newest_id=chosen[0].id, oldest_id=chosen[-1].id)
        if start + size < len(listed):
            meta["next_token"] = cursor(chosen[-1].id)
        body: dict[str, Any] = {"data": [shape(item, req) for item in chosen], "meta": meta}
        includes = self._includes(req, chosen)
        if includes:
            body["includes"] = includes
        return Reply(200, body)

    def _tweet_body(self, item: Item, req: Request) -> dict[str, Any]:
        fields = set(req.param("tweet.fields").split(","))
        parent = self.world.items.get(item.parent or "")
        full: dict[str, Any] = {
            "id": item.id, "text": item.text, "edit_history_tweet_ids": [item.id],
            "created_at": x_time(item.created), "author_id": item.author,
            "conversation_id": item.root, "public_metrics": {
                "retweet_count": 0, "reply_count": 0, "like_count": 0, "quote_count": 0},
        }
        if parent is not None:
            full["in_reply_to_user_id"] = parent.author
            full["referenced_tweets"] = [{"type": "replied_to", "id": parent.id}]
        if item.broken:
            full.pop("created_at")
            full.pop("author_id")
        return {k: v for k, v in full.items() if k in ("id", "text", "edit_history_tweet_ids")
                or k in fields}

    def _dm_body(self, item: Item, req: Request) -> dict[str, Any]:
        fields = set(req.param("dm_event.fields").split(","))
        conv = self.world.conversations[item.root]
        full: dict[str, Any] = {
            "id": item.id, "event_type": "MessageCreate", "text": item.text,
            "sender_id": item.author, "created_at": x_time(item.created),
            "dm_conversation_id": conv.id, "participant_ids": [conv.person, X_ID],
        }
        if item.broken:
            full.pop("created_at")
            full.pop("sender_id")
        return {k: v for k, v in full.items() if k in ("id", "event_type", "text") or k in fields}

    def _includes(self, req: Request, chosen: list[Item]) -> dict[str, Any]:
        expansions = set(req.param("expansions").split(","))
        user_fields = set(req.param("user.fields").split(","))
        includes: dict[str, Any] = {}
        authors: list[str] = []
        if expansions & {"author_id", "sender_id"}:
            authors = [i.author for i in chosen if not i.broken]
        if "referenced_tweets.id" in expansions:
            tweets = [self.world.items[i.parent] for i in chosen if i.parent]
            if tweets:
                includes["tweets"] = [self._tweet_body(t, req) for t in _unique(tweets)]
        if authors:
            includes["users"] = [self._user(a, user_fields) for a in dict.fromkeys(authors)]
        return includes

    def _user(self, user_id: str, fields: set[str]) -> dict[str, Any]:
        person = self.world.people.get(user_id)
        if person is None:
            full = {"id": X_ID, "username": HANDLE, "name": "Brûlerie Lumen", "verified": True,
                    "public_metrics": {"followers_count": 12400, "following_count": 310}}
        else:
            full = {"id": person.id, "username": person.username, "name": person.name,
                    "verified": person.verified, "public_metrics": {
                        "followers_count": person.followers, "following_count": 150}}
        return {k: v for k, v in full.items() if k in ("id", "username", "name") or k in fields}

    def _conversation(self, parts: list[str]) -> Any:
        world = self.world
        if parts[1] == "with":
            person = world.people.get(parts[2])
            if person is None or person.platform != "x":
                return None
            return world.conversation_with("x", person.id)
        return world.conversations.get(parts[1]) if len(parts) == 3 else None

    # ------------------------------------------------------------------ writes
    def _tweet(self, req: Request) -> Reply:
        text = req.body.get("text")
        if not isinstance(text, str) or not text.strip():
            return invalid("The `text` field is required")
        if len(text) > 280:
            return forbidden("Your Tweet text is too long. For more information on how Twitter "
                             "determines text length see https://github.com/twitter/twitter-text.")
        reply = req.body.get("reply") or {}
        target = str(reply.get("in_reply_to_tweet_id") or "") if isinstance(reply, dict) else ""
        parent = self.world.items.get(target) if target else None
        if target and (parent is None or parent.deleted or parent.surface != "tweet"):
            return forbidden("You attempted to reply to a Tweet that is deleted or not visible "
                             "to you.")
        made = self.world.add_tweet(X_ID, text, reply_to=target or None)
        self.world.record("reply", platform="x", target=target, id=made.id, text=text)
        return Reply(201, {"data": {"id": made.id, "text": text,
                                    "edit_history_tweet_ids": [made.id]}}, wrote=True)

    def _hide(self, req: Request, tweet_id: str) -> Reply:
        hidden = req.body.get("hidden")
        if not isinstance(hidden, bool):
            return invalid("The `hidden` field must be true or false")
        tweet = self.world.items.get(tweet_id)
        if tweet is None or tweet.deleted or tweet.surface != "tweet":
            return problem(404, "Not Found Error", f"Could not find tweet with id: [{tweet_id}].")
        root = self.world.items.get(tweet.root)
        if tweet.parent is None or root is None or root.author != X_ID or tweet.author == X_ID:
            return forbidden("You attempted to hide a reply to a conversation you did not start.")
        tweet.hidden = hidden
        self.world.record("hide" if hidden else "unhide", platform="x", target=tweet_id)
        return Reply(200, {"data": {"hidden": hidden}}, wrote=True)

    def _delete(self, tweet_id: str) -> Reply:
        tweet = self.world.items.get(tweet_id)
        if tweet is None or tweet.deleted or tweet.surface != "tweet":
            return problem(404, "Not Found Error", f"Could not find tweet with id: [{tweet_id}].")
        if tweet.author != X_ID:
            return forbidden("You are not allowed to delete this Tweet.")
        tweet.deleted = True
        self.world.record("delete", platform="x", target=tweet_id)
        return Reply(200, {"data": {"deleted": True}}, wrote=True)

    def _send_dm(self, req: Request, conv: Any) -> Reply:
        text = req.body.get("text")
        if not isinstance(text, str) or not text.strip():
            return invalid("The `text` field is required")
        if len(text) > 10000:
            return invalid("The `text` field is too long")
        made = self.world.add_dm("x", X_ID, text, person=conv.person)
        self.world.record("dm", platform="x", target=conv.person, conversation=conv.id,
                          id=made.id, text=text)
        return Reply(201, {"data": {"dm_conversation_id": conv.id, "dm_event_id": made.id}},
                     wrote=True)


def _unique(items: list[Item]) -> list[Item]:
    return list({item.id: item for item in items}.values())
