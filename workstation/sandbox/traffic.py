"""Live traffic for the sandbox: customers of Brûlerie Lumen commenting, mentioning and writing
DMs, in French and English, at a steady rate.

Texts come from the demo catalogue's scenarios (written for this project), filled with a
product, a price, an order number and a city. About a quarter of the messages follow up on an
earlier one of the same person (a reply under a comment, the next DM in a thread), so threads
grow the way real ones do.
"""

from __future__ import annotations

import random
import threading
import time
from datetime import datetime, timedelta
from typing import Any

from ..demo import catalogue
from .world import HANDLE, IG_ID, PAGE_ID, X_ID, Item, World

CHANNELS = ("instagram_comment", "facebook_comment", "instagram_dm", "messenger_dm",
            "x_mention", "x_dm")
KIND = {"instagram_comment": "comment", "facebook_comment": "comment", "instagram_dm": "dm",
        "messenger_dm": "dm", "x_mention": "mention", "x_dm": "dm"}
PLATFORM = {"instagram_comment": "instagram", "facebook_comment": "facebook",
            "instagram_dm": "instagram", "messenger_dm": "facebook", "x_mention": "x",
            "x_dm": "x"}
FOLLOW_UP = 0.25


def seed(world: World, rng: random.Random) -> None:
    """The brand's posts (captions from the demo's campaigns), published in the last days."""
    now = world.now()
    for index, (_slug, platform, caption) in enumerate(catalogue.CAMPAIGNS):
        if platform in ("instagram", "facebook", "x"):
            world.add_post(platform, caption, now - timedelta(days=6 - index % 6, hours=index))


class Traffic:
    """Creates messages in `world`; `start()` runs it at `rate` per minute in a thread."""

    def __init__(self, world: World, rate: float = 0.0, seed_value: int | None = None) -> None:
        self.world = world
        self.rate = rate
        self.rng = random.Random(seed_value)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ running
    def start(self) -> None:
        if self.rate > 0 and self._thread is None:
            self._thread = threading.Thread(target=self._run, name="sandbox-traffic", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        started = time.monotonic()
        made = 0
        while not self._stop.wait(min(0.1, 60.0 / self.rate)):
            due = int((time.monotonic() - started) * self.rate / 60.0)
            while made < due and not self._stop.is_set():
                self.generate_one()
                made += 1

    # ------------------------------------------------------------------ making
    def generate(self, count: int) -> list[dict[str, Any]]:
        return [self.generate_one() for _ in range(count)]

    def generate_one(self, channel: str | None = None) -> dict[str, Any]:
        channel = channel or self.rng.choice(CHANNELS)
        scenario = self._scenario(KIND[channel])
        earlier = self._earlier(channel) if self.rng.random() < FOLLOW_UP else None
        follow = earlier is not None and scenario.followups
        lines = scenario.followups if follow else scenario.openers
        person = self._person(PLATFORM[channel], scenario.lang, earlier)
        text = catalogue.fill(self.rng.choice(lines), self._values(scenario.lang, person.name))
        reply_to = earlier.id if earlier else None
        if channel == "x_mention" and reply_to is None and self.rng.random() < 0.5:
            reply_to = self._post("x")  # an answer under one of the brand's posts
        item = self.add(channel, text, author=person.id, reply_to=reply_to)
        with self.world.lock:
            self.world.generated += 1
        return describe(self.world, item)

    def add(self, channel: str, text: str, *, author: str, reply_to: str | None = None,
            created: datetime | None = None, broken: bool = False,
            post: str | None = None) -> Item:
        """One message on `channel` from `author` (for `POST /_sandbox/messages` too); a
        comment goes under `post`, else under its parent's post, else a random one."""
        world = self.world
        if channel in ("instagram_comment", "facebook_comment"):
            platform = PLATFORM[channel]
            surface = "ig_comment" if platform == "instagram" else "fb_comment"
            parent = world.items.get(reply_to or "")
            post = parent.root if parent else post or self._post(platform)
            return world.add_comment(surface, author, text, post=post,
                                     parent=parent.id if parent else None, created=created,
                                     broken=broken)
        if channel == "x_mention":
            if not text.lower().startswith(f"@{HANDLE}"):
                text = f"@{HANDLE} {text}"
            return world.add_tweet(author, text, reply_to=reply_to, created=created,
                                   broken=broken)
        platform = {"instagram_dm": "instagram", "messenger_dm": "messenger", "x_dm": "x"}[channel]
        return world.add_dm(platform, author, text, person=author, created=created, broken=broken)

    def person(self, platform: str, lang: str = "") -> str:
        """A new person on `platform` (for injected messages without an author)."""
        return self._new_person(platform, lang or self.rng.choice(("fr", "en"))).id

    # ------------------------------------------------------------------ choices
    def _scenario(self, kind: str) -> catalogue.Scenario:
        fitting = [s for s in catalogue.SCENARIOS if kind in s.kinds and s.openers]
        return self.rng.choices(fitting, weights=[s.weight for s in fitting])[0]

    def _earlier(self, channel: str) -> Item | None:
        surface = {"instagram_comment": "ig_comment", "facebook_comment": "fb_comment",
                   "instagram_dm": "ig_dm", "messenger_dm": "fb_dm", "x_mention": "tweet",
                   "x_dm": "x_dm"}[channel]
        brand = set(self.world.brand.values())
        with self.world.lock:
            recent = [item for item in self.world.by_surface.get(surface, [])[-50:]
                      if item.author not in brand and not item.deleted]
        return self.rng.choice(recent) if recent else None

    def _post(self, platform: str) -> str:
        with self.world.lock:
            posts = [post.id for post in self.world.posts.values() if post.platform == platform]
        return self.rng.choice(posts)

    def _person(self, platform: str, lang: str, earlier: Item | None) -> Any:
        people = self.world.people
        if earlier is not None and earlier.author in people:
            return people[earlier.author]
        with self.world.lock:
            known = [p for p in people.values() if p.platform == platform]
        if known and self.rng.random() < 0.3:
            return self.rng.choice(known)
        return self._new_person(platform, lang)

    def _new_person(self, platform: str, lang: str) -> Any:
        first = self.rng.choice(catalogue.FIRST_NAMES[lang])
        last = self.rng.choice(catalogue.LAST_NAMES[lang])
        handle = f"{_ascii(first)}.{_ascii(last)}{self.rng.randint(1, 999)}".lower()
        followers = int(self.rng.paretovariate(1.1) * 80)
        return self.world.add_person(platform, handle, f"{first} {last}", followers,
                                     verified=self.rng.random() < 0.02)

    def _values(self, lang: str, name: str) -> dict[str, str]:
        product, price = self.rng.choice(catalogue.PRODUCTS)
        days = self.rng.randint(2, 9)
        return {
            "product": product,
            "price": f"{price} €" if lang == "fr" else f"€{price}",
            "order_no": f"BL-{self.rng.randint(10000, 99999)}",
            "delay": f"{days} jours" if lang == "fr" else f"{days} days",
            "first_name": name.split()[0],
            "agent": self.rng.choice(catalogue.AGENT_FIRST_NAMES),
            "city": self.rng.choice(catalogue.CITIES[lang]),
        }


def describe(world: World, item: Item) -> dict[str, Any]:
    """What `POST /_sandbox/messages` answers: the ids a test needs to find the message."""
    brand = {IG_ID, PAGE_ID, X_ID}
    return {"id": item.id, "surface": item.surface, "author": item.author,
            "from_brand": item.author in brand, "parent": item.parent, "root": item.root,
            "text": item.text, "created_at": item.created.isoformat()}


def _ascii(name: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(c for c in plain if c.isalnum()) or "user"
