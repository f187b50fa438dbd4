"""What the sandbox platform holds: the brand's accounts, people, posts, comments, DMs, tweets,
and a log of every write a client made.

One `World` is shared by the request threads and the traffic generator, so every read and
write takes its lock. Ids come from one counter, so they grow with creation order on every
surface (like Meta's numeric ids and X's snowflakes), which is what the connectors' "newest
id" checkpoints rely on.
"""

from __future__ import annotations

import bisect
import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ..clock import to_utc, utcnow

PAGE_ID = "104000000000001"
PAGE_NAME = "Brûlerie Lumen"
IG_ID = "17841400000000001"
HANDLE = "brulerielumen"
X_ID = "1500000000000000001"

WINDOW = timedelta(hours=24)
HUMAN_AGENT_WINDOW = timedelta(days=7)


@dataclass
class Person:
    id: str
    platform: str  # instagram, facebook, x
    username: str
    name: str
    followers: int = 0
    verified: bool = False


@dataclass
class Item:
    """A comment, a tweet or a direct message: whatever a client can list or answer."""

    id: str
    surface: str  # ig_comment, fb_comment, ig_dm, fb_dm, tweet, x_dm
    author: str  # a Person id, or one of the brand's ids
    text: str
    created: datetime
    parent: str | None = None  # replied-to comment or tweet
    root: str = ""  # media / post id (comments), conversation id (DMs, tweets)
    hidden: bool = False
    deleted: bool = False
    broken: bool = False  # served without its timestamp, to exercise malformed-item handling
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Post:
    id: str
    platform: str  # instagram, facebook, x
    caption: str
    created: datetime
    url: str = ""


@dataclass
class Conversation:
    id: str
    platform: str  # instagram, messenger, x
    person: str
    items: list[str] = field(default_factory=list)
    updated: datetime | None = None


class World:
    """The sandbox's state. Methods that change it take the lock and return copies or ids."""

    def __init__(self, clock: Callable[[], datetime] = utcnow, first_id: int = 18000000000000000):
        self.lock = threading.RLock()
        self.clock = clock
        self._ids = itertools.count(first_id)
        self.people: dict[str, Person] = {}
        self.posts: dict[str, Post] = {}
        self.items: dict[str, Item] = {}
        # Indexes kept in (creation time, id) order, so a listing never sorts the world.
        self.by_surface: dict[str, list[Item]] = {}
        self.by_root: dict[str, list[Item]] = {}
        self.by_parent: dict[str, list[Item]] = {}
        self.inbound: dict[str, int] = {}
        self.conversations: dict[str, Conversation] = {}
        self.sent: list[dict[str, Any]] = []
        self.private_replied: set[str] = set()
        self.generated = 0
        self.requests = 0
        self.faults: dict[str, int] = {}
        self.brand = {"instagram": IG_ID, "facebook": PAGE_ID, "messenger": PAGE_ID, "x": X_ID}

    def next_id(self) -> str:
        with self.lock:
            return str(next(self._ids))

    def now(self) -> datetime:
        return to_utc(self.clock()).replace(microsecond=0)

    # --------------------------------------------------------------- building
    def add_person(self, platform: str, username: str, name: str, followers: int = 0,
                   verified: bool = False) -> Person:
        with self.lock:
            person = Person(self.next_id(), platform, username, name, followers, verified)
            self.people[person.id] = person
            return person

    def add_post(self, platform: str, caption: str, created: datetime | None = None) -> Post:
        with self.lock:
            raw = self.next_id()
            post_id = f"{PAGE_ID}_{raw}" if platform == "facebook" else raw
            url = {
                "instagram": f"https://www.instagram.com/p/SBX{raw[-8:]}/",
                "facebook": f"https://www.facebook.com/{PAGE_ID}/posts/{raw}",
                "x": f"https://x.com/{HANDLE}/status/{raw}",
            }[platform]
            post = Post(post_id, platform, caption, created or self.now(), url)
            self.posts[post.id] = post
            if platform == "x":
                self._index(Item(post.id, "tweet", X_ID, caption, post.created, root=post.id))
            return post

    def add_comment(self, surface: str, author: str, text: str, *, post: str,
                    parent: str | None = None, created: datetime | None = None,
                    broken: bool = False) -> Item:
        """A comment under an IG media or FB post; an IG reply to a reply joins the top one."""
        with self.lock:
            if surface == "ig_comment" and parent and self.items[parent].parent:
                parent = self.items[parent].parent
            raw = self.next_id()
            item_id = f"{post.split('_')[-1]}_{raw}" if surface == "fb_comment" else raw
            item = Item(item_id, surface, author, text, created or self.now(), parent, post,
                        broken=broken)
            return self._index(item)

    def add_tweet(self, author: str, text: str, *, reply_to: str | None = None,
                  created: datetime | None = None, broken: bool = False) -> Item:
        with self.lock:
            tweet_id = self.next_id()
            root = self.items[reply_to].root if reply_to else tweet_id
            item = Item(tweet_id, "tweet", author, text, created or self.now(), reply_to, root,
                        broken=broken)
            return self._index(item)

    def conversation_with(self, platform: str, person: str) -> Conversation:
        """The one-to-one thread between the brand and `person`, created on first use."""
        with self.lock:
            for conv in self.conversations.values():
                if conv.platform == platform and conv.person == person:
                    return conv
            if platform == "x":
                low, high = sorted((int(person), int(X_ID)))
                conv_id = f"{low}-{high}"
            else:
                conv_id = f"t_{self.next_id()}"
            conv = Conversation(conv_id, platform, person)
            self.conversations[conv.id] = conv
            return conv

    def add_dm(self, platform: str, sender: str, text: str, *, person: str,
               created: datetime | None = None, broken: bool = False) -> Item:
        """A message in the thread with `person`; `sender` is the person or the brand."""
        with self.lock:
            conv = self.conversation_with(platform, person)
            surface = {"instagram": "ig_dm", "messenger": "fb_dm", "x": "x_dm"}[platform]
            raw = self.next_id()
            item_id = raw if platform == "x" else f"m_{raw}"
            item = Item(item_id, surface, sender, text, created or self.now(), root=conv.id,
                        broken=broken)
            self._index(item)
            conv.items.append(item.id)
            if conv.updated is None or item.created >= conv.updated:
                conv.updated = item.created
            return item

    def _index(self, item: Item) -> Item:
        self.items[item.id] = item
        for index, key in ((self.by_surface, item.surface), (self.by_root, item.root),
                           (self.by_parent, item.parent)):
            if key:
                bisect.insort(index.setdefault(key, []), item, key=_order)
        if item.author not in self.brand.values():
            self.inbound[item.surface] = self.inbound.get(item.surface, 0) + 1
        return item

    # --------------------------------------------------------------- reading
    def listing(self, keep: Callable[[Item], bool] = lambda _item: True, *,
                root: str | None = None, parent: str | None = None,
                surface: str | None = None) -> list[Item]:
        """Items under `root`, answering `parent` or on `surface` that `keep` accepts, newest
        first (creation time, then id)."""
        with self.lock:
            if root is not None:
                pool = self.by_root.get(root, [])
            elif parent is not None:
                pool = self.by_parent.get(parent, [])
            else:
                pool = self.by_surface.get(surface or "", [])
            return [item for item in reversed(pool) if not item.deleted and keep(item)]

    def last_inbound(self, conv: Conversation) -> datetime | None:
        with self.lock:
            times = [self.items[i].created for i in conv.items
                     if self.items[i].author == conv.person]
        return max(times) if times else None

    def record(self, action: str, **fields: Any) -> dict[str, Any]:
        """Log a client's write, for the inspection endpoint."""
        with self.lock:
            entry = {"seq": len(self.sent) + 1, "action": action, "at": self.now().isoformat(),
                     **fields}
            self.sent.append(entry)
            return entry

    def count_fault(self, kind: str) -> None:
        with self.lock:
            self.faults[kind] = self.faults.get(kind, 0) + 1

    def summary(self) -> dict[str, Any]:
        """Counts for `GET /_sandbox/state`."""
        with self.lock:
            surfaces = dict(self.inbound)
            actions: dict[str, int] = {}
            for entry in self.sent:
                actions[entry["action"]] = actions.get(entry["action"], 0) + 1
            return {
                "inbound": surfaces,
                "inbound_total": sum(surfaces.values()),
                "generated": self.generated,
                "received": actions,
                "received_total": len(self.sent),
                "requests": self.requests,
                "faults": dict(self.faults),
                "people": len(self.people),
                "posts": len(self.posts),
                "conversations": len(self.conversations),
            }


def _order(item: Item) -> tuple[datetime, int]:
    return item.created, int(item.id.rsplit("_", 1)[-1])
