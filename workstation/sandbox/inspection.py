"""The sandbox's own endpoints, for tests, benchmarks and curious humans (never faulted, no
token needed: the sandbox listens on the loopback interface by default).

    GET  /_sandbox/state                 counts: inbound per surface, writes received, faults
    GET  /_sandbox/sent[?action=&since=] every write a client made (replies, dms, hides,
                                         unhides, deletes), oldest first; `since` a seq number;
                                         a DM's quick replies as `quick_replies`
    POST /_sandbox/messages              inject one message, body:
         {"channel": "instagram_comment" | "facebook_comment" | "instagram_dm" |
                     "messenger_dm" | "x_mention" | "x_dm",
          "text": "...",          (default: a generated text)
          "author": "<person id>", (default: a new person)
          "reply_to": "<id>",      (a comment or tweet to answer)
          "post": "<id>",          (the media or Page post a new comment goes under)
          "created_at": "RFC 3339", (default: now; e.g. 2 days ago to test the DM window)
          "quick_reply": "<payload>", (an Instagram / Messenger DM that taps a quick-reply
                                   button: its title as text, the payload in the webhook)
          "broken": true}          (served without its timestamp and author)
    GET  /_sandbox/webhook?id=<id>       the Meta webhook delivery for an Instagram or Messenger
                                         DM (same `mid` and ids as polling; see deliveries.py)
    POST /_sandbox/generate              {"count": N}: N generated messages at once
    POST /_sandbox/faults                {"spec": "rate=every:3,500=0.1"}: replace the faults
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..clock import to_utc
from .deliveries import dm_delivery
from .faults import FaultSpec, FaultSpecError
from .protocol import Reply, Request
from .traffic import CHANNELS, PLATFORM, describe

if TYPE_CHECKING:
    from .server import SandboxServer


def handle(sandbox: SandboxServer, req: Request) -> Reply:
    route = (req.method, req.path.rstrip("/"))
    world = sandbox.world
    if route == ("GET", "/_sandbox/state"):
        return Reply(200, {**world.summary(), "faults_spec": sandbox.faults.spec.text,
                           "rate_per_minute": sandbox.traffic.rate})
    if route == ("GET", "/_sandbox/sent"):
        action = req.param("action")
        since = int(req.param("since", "0") or 0)
        with world.lock:
            sent = [dict(e) for e in world.sent
                    if e["seq"] > since and (not action or e["action"] == action)]
        return Reply(200, {"sent": sent, "count": len(sent)})
    if route == ("GET", "/_sandbox/webhook"):
        item = world.items.get(req.param("id"))
        if item is None or item.surface not in ("ig_dm", "fb_dm"):
            return Reply(404, {"error": "no Instagram or Messenger DM with that id"})
        return Reply(200, dm_delivery(world, item))
    if route == ("POST", "/_sandbox/messages"):
        return _inject(sandbox, req.body)
    if route == ("POST", "/_sandbox/generate"):
        count = req.body.get("count", 1)
        if not isinstance(count, int) or not 0 < count <= 100_000:
            return Reply(400, {"error": "count must be a whole number from 1 to 100000"})
        made = sandbox.traffic.generate(count)
        return Reply(200, {"created": made})
    if route == ("POST", "/_sandbox/faults"):
        try:
            spec = FaultSpec.parse(str(req.body.get("spec", "")))
        except FaultSpecError as exc:
            return Reply(400, {"error": str(exc)})
        sandbox.faults.replace(spec)
        return Reply(200, {"faults_spec": spec.text})
    return Reply(404, {"error": f"no such sandbox endpoint: {req.method} {req.path}"})


def _inject(sandbox: SandboxServer, body: dict[str, Any]) -> Reply:
    channel = body.get("channel")
    if channel not in CHANNELS:
        return Reply(400, {"error": f"channel must be one of {', '.join(CHANNELS)}"})
    traffic, world = sandbox.traffic, sandbox.world
    text = body.get("text")
    if text is None:
        return Reply(200, traffic.generate_one(channel))
    created = None
    if body.get("created_at"):
        try:
            created = to_utc(datetime.fromisoformat(str(body["created_at"]))).replace(microsecond=0)
        except ValueError:
            return Reply(400, {"error": "created_at must be an RFC 3339 time"})
    platform = PLATFORM[channel]
    author = str(body.get("author") or "") or traffic.person(platform, str(body.get("lang", "")))
    person = world.people.get(author)
    if person is None or person.platform != platform:
        return Reply(400, {"error": f"no {platform} person with id {author!r}"})
    reply_to = body.get("reply_to")
    if reply_to is not None and str(reply_to) not in world.items:
        return Reply(400, {"error": f"no message with id {reply_to!r}"})
    post = body.get("post")
    if post is not None and (str(post) not in world.posts
                             or world.posts[str(post)].platform != platform):
        return Reply(400, {"error": f"no {platform} post with id {post!r}"})
    quick_reply = body.get("quick_reply")
    if quick_reply is not None and (channel not in ("instagram_dm", "messenger_dm")
                                    or not isinstance(quick_reply, str) or not quick_reply):
        return Reply(400, {"error": "quick_reply is the payload (a text) of an Instagram or "
                                    "Messenger DM's button"})
    item = traffic.add(channel, str(text), author=author, post=str(post) if post else None,
                       reply_to=str(reply_to) if reply_to else None, created=created,
                       broken=bool(body.get("broken")))
    if quick_reply:
        with world.lock:
            item.extra["quick_reply"] = quick_reply
    return Reply(200, describe(world, item))
