"""The Meta webhook delivery the real platform would send for a sandbox DM.

The sandbox pushes nothing (a webhook needs a public HTTPS endpoint); a test or a human asks
`GET /_sandbox/webhook?id=<message id>` and posts the answer to the receiver. What matters is
that it carries the same ids polling serves: `mid` is the message id of
`GET /{conversation}/messages`, and `sender` / `recipient` are the customer's scoped id and
the Page's or Instagram account's, as Meta sends them (echoes, `is_echo`, for the brand's own
messages). So a DM that reaches the store both ways is one message. A customer's tap on a
quick-reply button carries its payload as `quick_reply`, as Meta's does.
"""

from __future__ import annotations

from typing import Any

from .world import IG_ID, PAGE_ID, Item, World


def dm_delivery(world: World, item: Item) -> dict[str, Any]:
    """`{"object": "instagram" | "page", "entry": [{... "messaging": [one message]}]}`."""
    with world.lock:
        conv = world.conversations[item.root]
    brand = IG_ID if conv.platform == "instagram" else PAGE_ID
    echo = item.author != conv.person
    sender, recipient = (brand, conv.person) if echo else (conv.person, brand)
    millis = int(item.created.timestamp() * 1000)
    message: dict[str, Any] = {"mid": item.id, "text": item.text}
    if echo:
        message["is_echo"] = True
    elif item.extra.get("quick_reply"):
        message["quick_reply"] = {"payload": item.extra["quick_reply"]}
    return {"object": "instagram" if conv.platform == "instagram" else "page",
            "entry": [{"id": brand, "time": millis,
                       "messaging": [{"sender": {"id": sender}, "recipient": {"id": recipient},
                                      "timestamp": millis, "message": message}]}]}
