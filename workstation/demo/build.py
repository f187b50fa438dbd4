"""The demo store: weeks of a small coffee roaster's French/English inbox, built in seconds.

Deterministic for a seed and a clock. Rows are generated in memory in chunks and written with
executemany, conversations with their messages in the same transaction; the triage verdict of
each distinct text is computed once (the pipeline is the slow part, and the catalogue repeats
its phrasings across thousands of threads).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, select, text

from .. import audit, bulk, db
from ..clock import Clock, iso, utcnow
from ..events import Author, Event
from ..models import (
    ActorKind, Agent, Contact, Conversation, Lead, LeadStage, Message, Post, SQLModel, Status,
    UgcRightsRequest,
)
from ..pipeline import Pipeline, Verdict
from ..rules.evaluate import VERDICT_RANK
from ..leads.model import FlowBook
from ..services import ugc_rights
from ..slugs import spaced
from ..text import first_line
from . import catalogue
from .catalogue import Scenario

HISTORY_DAYS = 42
RECENT_SHARE = 0.06
"""Share of conversations from the last day: these are the open queue."""
CHUNK = 4000
MAX_LENGTH = 16
"""The longest thread the demo writes."""
PLATFORM_KINDS = {
    "comment": ("instagram", "instagram", "facebook", "tiktok", "linkedin"),
    "dm": ("instagram", "instagram", "facebook", "x"),
    "mention": ("x", "x", "instagram", "linkedin"),
}
SHOWCASE = ("vip-complaint", "safety", "legal", "price-question", "spam", "complaint-angry")
"""Scenario families every demo shows in its open queue, whatever its size."""



_SETTLED_STAGES = ("customer", "lost", "qualified", "hot")
_SETTLED_WEIGHTS = (35, 40, 15, 10)
_OPEN_STAGES = ("new", "qualifying", "qualified", "hot")
_OPEN_WEIGHTS = (45, 30, 15, 10)
_ORDER_VALUES = (14.0, 24.0, 38.0, 89.0, 129.0, 349.0, 699.0)
"""What a first order is worth, euros: a bag, two, a box, a subscription, grinders, machines."""


class DemoError(Exception):
    """The demo cannot be built on this store as asked."""


def has_conversations(engine: Engine) -> bool:
    """Whether the store holds any conversation (then `make run` leaves it alone)."""
    with db.read(engine) as conn:
        return conn.execute(select(func.count()).select_from(Conversation.__table__)).scalar_one() > 0  # type: ignore[attr-defined]


def reset(engine: Engine) -> None:
    """Empty every table of the store (the schema stays)."""
    # Children before parents, read from the models so a new table is never left behind.
    tables = [t.name for t in reversed(SQLModel.metadata.sorted_tables)]
    with db.write(engine) as conn:
        if db.is_sqlite(conn):
            for table in tables:
                conn.execute(text(f'DELETE FROM "{table}"'))
        else:
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY"))


def build_demo(
    engine: Engine, *, size: int = 3000, seed: int = 7, reset_first: bool = False,
    clock: Clock = utcnow, pipeline: Pipeline | None = None,
) -> str:
    """Fill an empty store with about `size` messages; return a one-line summary.

    Raises:
        DemoError: the store already holds conversations and `reset_first` is false.
    """
    if reset_first:
        reset(engine)
    elif has_conversations(engine):
        raise DemoError("the store already has conversations; use --reset to replace them")
    builder = _Builder(engine, random.Random(seed), clock(), pipeline or Pipeline())
    return builder.build(size)


@dataclass
class _Person:
    id: int
    platform: str
    external_id: str
    first_name: str
    handle: str
    name: str
    followers: int
    verified: bool


class _Builder:
    def __init__(self, engine: Engine, rng: random.Random, now: datetime, pipeline: Pipeline) -> None:
        self.engine = engine
        self.rng = rng
        self.now = now.replace(microsecond=0)
        self.pipeline = pipeline
        self.verdicts: dict[tuple[str, str], Verdict] = {}
        self.scenarios = catalogue.SCENARIOS
        self.weights = [s.weight for s in self.scenarios]
        self.by_family = {s.name: [x for x in self.scenarios if x.name == s.name]
                          for s in self.scenarios}
        self.agents: list[tuple[int, str, str]] = []
        self.team: dict[str, list[int]] = {}  # role -> agent ids
        self.posts: dict[str, list[tuple[int, str, str]]] = {}
        self.people: dict[tuple[str, bool], list[_Person]] = {}
        self.people_on: dict[tuple[str, bool, str], list[_Person]] = {}
        self.message_seq = 0
        self.ugc_seq = 0
        self.handles: dict[int, str] = {}
        self.audit: list[dict[str, Any]] = []

    # -- reference rows -------------------------------------------------------------------

    def build(self, size: int) -> str:
        conversations = max(len(SHOWCASE), size // 5)
        with db.write(self.engine) as conn:
            self._agents(conn)
            self._posts(conn)
            self._contacts(conn, max(20, conversations * 3 // 4))
        messages = 0
        conv_id = 0
        plan = self._plan(conversations, size)
        while plan:
            chunk, plan = plan[:CHUNK], plan[CHUNK:]
            conv_rows: list[dict[str, Any]] = []
            msg_rows: list[dict[str, Any]] = []
            lead_rows: list[dict[str, Any]] = []
            ugc_rows: list[dict[str, Any]] = []
            for scenario, age, length in chunk:
                conv_id += 1
                conv, msgs = self._conversation(conv_id, scenario, age, length)
                conv_rows.append(conv)
                msg_rows.extend(msgs)
                if "purchase" in conv["intents"].split():
                    lead_rows.append(self._lead(conv))
                if "ugc" in conv["intents"].split():
                    ugc_rows.append(self._ugc_right(conv, msgs))
            with db.write(self.engine) as conn:
                # The store's bulk path: SQLAlchemy's per-row processing cost a quarter of the
                # build at a million messages.
                bulk.insert(conn, Conversation.__table__, conv_rows)  # type: ignore[arg-type]
                bulk.insert(conn, Message.__table__, msg_rows)  # type: ignore[arg-type]
                bulk.insert(conn, Lead.__table__, lead_rows)  # type: ignore[arg-type]
                bulk.insert(conn, UgcRightsRequest.__table__, ugc_rows)  # type: ignore[arg-type]
                audit.record_many(conn, self.audit)
            self.audit = []
            messages += len(msg_rows)
        if not db.is_sqlite(self.engine):
            with db.write(self.engine) as conn:
                for table in ("conversation", "message", "contact", "post", "agent",
                              "ugc_rights_request"):
                    conn.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
                    ))
        return (f"demo store: {messages} messages in {conv_id} conversations, "
                f"{sum(len(p) for p in self.people.values())} contacts, {len(catalogue.AGENTS)} agents")

    def _agents(self, conn: Any) -> None:
        rows = []
        for index, (login, display, role, langs) in enumerate(catalogue.AGENTS, start=1):
            rows.append({"id": index, "name": login, "display_name": display, "role": role,
                         "languages": langs, "capacity": 25, "active": True,
                         "created_at": self.now - timedelta(days=HISTORY_DAYS + 30)})
            self.team.setdefault(role, []).append(index)
            if role in ("agent", "senior"):
                self.agents.append((index, display.split()[0], langs))
        conn.execute(Agent.__table__.insert(), rows)  # type: ignore[attr-defined]

    def _posts(self, conn: Any) -> None:
        rows = []
        for index, (campaign, platform, caption) in enumerate(catalogue.CAMPAIGNS, start=1):
            ext = f"demo-post-{index}"
            impressions = self.rng.randint(8_000, 120_000)
            rows.append({
                "id": index, "platform": platform, "external_id": ext,
                "url": f"https://{platform}.example/lumen/{ext}", "caption": caption,
                "campaign": campaign, "likes": impressions // self.rng.randint(15, 40),
                "shares": impressions // self.rng.randint(150, 400), "impressions": impressions,
                "published_at": self.now - timedelta(days=self.rng.randint(1, HISTORY_DAYS)),
            })
            self.posts.setdefault(platform, []).append((index, ext, campaign))
        conn.execute(Post.__table__.insert(), rows)  # type: ignore[attr-defined]

    def _contacts(self, conn: Any, count: int) -> None:
        rows = []
        platforms = sorted({p for kinds in PLATFORM_KINDS.values() for p in kinds})
        for index in range(1, count + 1):
            lang = "fr" if self.rng.random() < 0.55 else "en"
            vip = index % 97 == 0 or index <= 2
            platform = platforms[index % len(platforms)]
            first = self.rng.choice(catalogue.FIRST_NAMES[lang])
            last = self.rng.choice(catalogue.LAST_NAMES[lang])
            handle = f"{_ascii(first)}.{_ascii(last)}{self.rng.randint(1, 99)}".lower()
            followers = (self.rng.randint(50_000, 900_000) if vip
                         else int(self.rng.lognormvariate(5.5, 1.4)))
            person = _Person(index, platform, f"demo-u{index}", first, handle,
                             f"{first} {last}", followers, vip and index % 2 == 0)
            self.people.setdefault((lang, vip), []).append(person)
            self.people_on.setdefault((lang, vip, platform), []).append(person)
            self.handles[index] = handle
            seen = self.now - timedelta(days=self.rng.uniform(0, HISTORY_DAYS))
            rows.append({
                "id": index, "platform": platform, "external_id": person.external_id,
                "handle": handle, "name": person.name, "followers": followers,
                "verified": person.verified, "vip": vip, "banned": False, "email": "",
                "phone": "", "first_seen": seen - timedelta(days=30), "last_seen": seen,
                "extra": {},
            })
        conn.execute(Contact.__table__.insert(), rows)  # type: ignore[attr-defined]

    # -- conversations --------------------------------------------------------------------

    def _plan(self, count: int, size: int) -> list[tuple[Scenario, timedelta, int]]:
        """Scenario, age and length of each conversation, oldest first, `size` messages in all."""
        plan = []
        for family in SHOWCASE:
            for scenario in self.by_family.get(family, [])[:1]:
                plan.append((scenario, timedelta(minutes=self.rng.randint(5, 90))))
        while len(plan) < count:
            scenario = self.rng.choices(self.scenarios, self.weights)[0]
            if self.rng.random() < RECENT_SHARE:
                # Most of the open queue arrived in the last hours, a few have waited long.
                age = timedelta(minutes=min(24 * 60, 3 + self.rng.expovariate(1 / 150)))
            else:
                age = timedelta(hours=self.rng.uniform(24, HISTORY_DAYS * 24))
            plan.append((scenario, age))
        lengths = [self._length(scenario) for scenario, _ in plan]
        # Threads of the open queue end with the customer (odd length); others may grow or
        # shrink one message at a time until the store holds exactly `size` messages.
        recent = [age < timedelta(days=1) for _, age in plan]
        lengths = [n - 1 if r and n % 2 == 0 else n for n, r in zip(lengths, recent, strict=True)]
        elastic = [i for i, (s, _) in enumerate(plan) if s.followups and not recent[i]]
        total = sum(lengths)
        while total != size and elastic:
            i = self.rng.choice(elastic)
            if total < size and lengths[i] < MAX_LENGTH:
                lengths[i] += 1
                total += 1
            elif total > size and lengths[i] > 1:
                lengths[i] -= 1
                total -= 1
        ordered = sorted(zip(plan, lengths, strict=True), key=lambda p: -p[0][1].total_seconds())
        return [(scenario, age, n) for (scenario, age), n in ordered]

    def _length(self, scenario: Scenario) -> int:
        if not scenario.followups:
            return 1 + (self.rng.random() < 0.3)
        return min(MAX_LENGTH, 2 + int(self.rng.expovariate(1 / 3)))

    def _conversation(
        self, conv_id: int, scenario: Scenario, age: timedelta, length: int
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        rng = self.rng
        kind = rng.choice(scenario.kinds)
        platform = rng.choice(PLATFORM_KINDS[kind])
        # A contact is one account on one platform: the thread happens where the person is.
        vip = scenario.vip and (scenario.lang, True) in self.people
        here = self.people_on.get((scenario.lang, vip, platform))
        if here:
            person = rng.choice(here)
        else:  # nobody of that kind there (a French VIP on X): someone whose platform hosts
            person = rng.choice([  # one of the scenario's kinds, and the kind follows them
                p for p in self.people[(scenario.lang, vip)]
                if any(p.platform in PLATFORM_KINDS[k] for k in scenario.kinds)
            ] or self.people[(scenario.lang, vip)])
            kind = next((k for k in scenario.kinds if person.platform in PLATFORM_KINDS[k]), kind)
        if person.platform in PLATFORM_KINDS[kind]:
            platform = person.platform
        post = rng.choice(self.posts[platform]) if kind == "comment" and platform in self.posts else None
        start = self.now - age
        recent = age < timedelta(days=1)
        agent_id, agent_name, _langs = rng.choice(self.agents)
        opener = rng.choice(scenario.openers)
        values = self._values(person, agent_name, scenario.lang, catalogue.named_product(opener))
        said: set[str] = set()  # a thread does not say the same thing twice while it can help it
        messages: list[dict[str, Any]] = []
        state = {"first_response_at": None, "awaiting_since": None, "exchange_count": 0,
                 "last_inbound_at": None, "last_outbound_at": None}
        moment = start
        verdicts: list[Verdict] = []
        customer_turn = True
        for turn in range(length):
            last = turn == length - 1
            if customer_turn:
                template = opener if turn == 0 else self._fresh(
                    scenario.followups or scenario.openers, said)
                verdict = self._verdict(template, scenario.lang)
                verdicts.append(verdict)
                messages.append(self._message(conv_id, platform, "in", "customer", person.id, None,
                                              catalogue.fill(template, values), verdict, moment))
                state["last_inbound_at"] = moment
                state["awaiting_since"] = state["awaiting_since"] or moment
            else:
                reply = catalogue.fill(self._fresh(self._about(scenario.replies, values), said),
                                       values)
                messages.append(self._message(conv_id, platform, "out", "agent", None, agent_id,
                                              reply, None, moment))
                state["last_outbound_at"] = moment
                if state["awaiting_since"] is not None:
                    messages[-1]["response_seconds"] = (
                        moment - state["awaiting_since"]).total_seconds()
                    state["exchange_count"] += 1
                    state["first_response_at"] = state["first_response_at"] or moment
                    state["awaiting_since"] = None
            if last:
                break
            customer_turn = not customer_turn
            gap = (rng.lognormvariate(4.3, 1.0) if not customer_turn
                   else rng.lognormvariate(5.0, 1.2))
            moment = min(moment + timedelta(minutes=gap), self.now - timedelta(minutes=1))
        primary = max(verdicts, key=lambda v: v.priority)
        resolved = age > timedelta(days=3) or (not recent and rng.random() < 0.85)
        first_due = self.pipeline.response_due(primary.sla_policy, start, first=True)
        if resolved and state["awaiting_since"] is not None:
            state["awaiting_since"] = None
        due = None
        if not resolved and state["awaiting_since"] is not None:
            due = (first_due if state["first_response_at"] is None else
                   self.pipeline.response_due(primary.sla_policy, state["awaiting_since"], first=False))
        closing = min(messages[-1]["created_at"] + timedelta(minutes=rng.randint(5, 90)), self.now)
        if resolved:
            self.audit.append(audit.entry(
                "conversation.resolved", actor=self._agent_login(agent_id),
                actor_kind=ActorKind.AGENT, conversation_id=conv_id, at=closing,
                details={"code": scenario.resolution}))
        intents: list[str] = []
        for v in verdicts:
            intents.extend(i for i in v.intents if i not in intents)
        latest = messages[-1]
        last_in = max((m for m in messages if m["direction"] == "in"), key=lambda m: m["created_at"])
        conv = {
            "id": conv_id, "platform": platform, "kind": kind,
            "thread_key": messages[0]["external_id"] if kind != "dm" else f"demo-t{conv_id}",
            "contact_id": person.id, "post_id": post[0] if post else None,
            "campaign": post[2] if post else "",
            "status": Status.RESOLVED.value if resolved else Status.OPEN.value,
            "lang": scenario.lang, "intents": spaced(intents),
            "tags": spaced(dict.fromkeys(t for v in verdicts for t in v.tags)),
            "sentiment": last_in["sentiment"], "priority": int(primary.priority),
            "moderation": max((v.moderation for v in verdicts), key=VERDICT_RANK.__getitem__),
            "sla_policy": primary.sla_policy, "first_response_due": first_due,
            "first_response_at": state["first_response_at"],
            "first_message_at": min(m["created_at"] for m in messages),
            "awaiting_since": state["awaiting_since"], "sla_due_at": due,
            "last_inbound_at": state["last_inbound_at"],
            "last_outbound_at": state["last_outbound_at"],
            "last_message_at": latest["created_at"], "last_text": first_line(latest["text"]),
            "message_count": len(messages), "exchange_count": state["exchange_count"],
            "role": primary.role, "escalated": any(v.escalate for v in verdicts),
            "escalation_reason": next((v.reason for v in verdicts if v.escalate), ""),
            "assignee_id": self._assignee(agent_id, primary.role, resolved),
            "claimed_by": None, "claim_expires_at": None, "snoozed_until": None,
            "resolution_code": scenario.resolution if resolved else "",
            "resolved_at": closing if resolved else None,
            "csat": rng.choice((3, 4, 4, 5, 5, 5)) if resolved and rng.random() < 0.3 else None,
            "created_at": start, "updated_at": closing if resolved else latest["created_at"],
            "version": 1,
        }
        if post:
            for m in messages:
                m["extra"] = {"post": post[1]}
        return conv, messages

    def _lead(self, conv: dict[str, Any]) -> dict[str, Any]:
        """A lead for a conversation with purchase intent, at a stage its history makes likely:
        settled ones bought or were lost, open ones are still being qualified."""
        rng = self.rng
        if conv["status"] == Status.RESOLVED.value:
            stage = rng.choices(_SETTLED_STAGES, _SETTLED_WEIGHTS)[0]
        else:
            stage = rng.choices(_OPEN_STAGES, _OPEN_WEIGHTS)[0]
        customer = stage == LeadStage.CUSTOMER.value
        promo = customer and conv["campaign"] and rng.random() < 0.4
        return {
            "conversation_id": conv["id"], "contact_id": conv["contact_id"], "stage": stage,
            "source_platform": conv["platform"], "post_id": conv["post_id"],
            "campaign": conv["campaign"],
            "promo_codes": spaced([f"{conv['campaign'].split('-')[0].upper()}10"] if promo else []),
            "answers": {}, "owner_id": conv["assignee_id"],
            "value": rng.choice(_ORDER_VALUES) if customer else 0.0,
            "crm_id": "", "crm_state": "", "created_at": conv["created_at"],
            "updated_at": conv["updated_at"], "stage_changed_at": conv["updated_at"],
            "opted_out_at": None,
        }

    def _ugc_right(self, conv: dict[str, Any], messages: list[dict[str, Any]]) -> dict[str, Any]:
        """The usage rights asked of a customer who shared a photo: open threads still wait for
        the answer, settled ones mostly said yes (some with a credit of their own), a few no,
        and one in twenty withdrew later.

        Its own random stream (seeded by the conversation), so adding rights left the rest of
        the demo as it was."""
        rng = random.Random(conv["id"] * 7919)
        shared = next(m for m in messages if m["direction"] == "in")
        handle = "@" + self.handles[conv["contact_id"]]
        asked = shared["created_at"] + timedelta(minutes=rng.randint(2, 40))
        self.ugc_seq += 1
        row = {
            "id": self.ugc_seq, "conversation_id": conv["id"], "message_id": shared["id"],
            "state": "requested", "requested_at": asked, "answered_at": None,
            "platform": conv["platform"], "origin_kind": conv["kind"],
            "origin_id": shared["external_id"],
            "origin_url": f"https://{conv['platform']}.example/lumen/m/{shared['external_id']}",
            "media": [{"type": rng.choice(("image", "image", "video")),
                       "id": f"demo-media{self.ugc_seq}",
                       "url": f"https://cdn.{conv['platform']}.example/demo-media{self.ugc_seq}"}],
            "creator": handle, "credit": "", "usage_from": None, "usage_until": None,
            "revoked_at": None,
        }
        bot = {"actor": "bot", "actor_kind": ActorKind.BOT, "target_kind": "ugc_rights_request",
               "target_id": self.ugc_seq, "conversation_id": conv["id"]}
        self.audit.append(audit.entry("ugc.requested", at=asked, **bot, details={
            "message": shared["external_id"], "media": 1, "platform": conv["platform"]}))
        if conv["status"] != Status.RESOLVED.value:
            return row
        answered = min(asked + timedelta(minutes=rng.randint(10, 600)), self.now)
        if rng.random() < 0.15:
            row.update(state="refused", answered_at=answered)
            self.audit.append(audit.entry("ugc.refused", at=answered, **bot,
                                          details={"answered_at": iso(answered)}))
            return row
        until = ugc_rights.add_months(answered, FlowBook.ugc_usage_months)
        credit = (f"{self.handles[conv['contact_id']].split('.')[0].title()} Photo"
                  if rng.random() < 0.2 else handle)
        row.update(state="granted", answered_at=answered, usage_from=answered,
                   usage_until=until, credit=credit)
        self.audit.append(audit.entry("ugc.granted", at=answered, **bot, details={
            "credit": credit, "usage_from": iso(answered), "usage_until": iso(until),
            "asked_credit": credit != handle}))
        if rng.random() < 0.05:
            withdrawn = min(answered + timedelta(days=rng.randint(1, 20)), self.now)
            row.update(state="revoked", revoked_at=withdrawn)
            self.audit.append(audit.entry("ugc.revoked", at=withdrawn, **bot, details={
                "reason": "the creator withdrew it", "was_until": iso(until)}))
        return row

    def _verdict(self, template: str, lang: str) -> Verdict:
        key = (template, lang)
        verdict = self.verdicts.get(key)
        if verdict is None:
            event = Event(platform="instagram", kind="comment", id="demo", text=catalogue.fill(
                template, _SAMPLE[lang]), author=Author(id="demo"),
                created_at=self.now, lang=lang)
            verdict = self.verdicts[key] = self.pipeline.run(event)
        return verdict

    def _message(self, conv_id: int, platform: str, direction: str, author_kind: str,
                 contact_id: int | None, agent_id: int | None, body: str,
                 verdict: Verdict | None, at: datetime) -> dict[str, Any]:
        self.message_seq += 1
        hidden = verdict is not None and VERDICT_RANK[verdict.moderation] >= VERDICT_RANK["hide"]
        return {
            "id": self.message_seq, "platform": platform,
            "external_id": f"demo-m{self.message_seq}", "conversation_id": conv_id,
            "parent_external_id": "", "direction": direction, "author_kind": author_kind,
            "contact_id": contact_id, "agent_id": agent_id, "text": body,
            "lang": verdict.lang if verdict else "",
            "sentiment": verdict.sentiment if verdict else 0.0,
            "intents": spaced(verdict.intents) if verdict else " ",
            "moderation": verdict.moderation if verdict else "allow",
            "categories": spaced(verdict.categories) if verdict else " ",
            "hidden": hidden, "hidden_reason": " ".join(verdict.categories) if hidden else "",
            "deleted": verdict is not None and verdict.moderation == "delete",
            "created_at": at, "received_at": at, "extra": {}, "response_seconds": None,
        }

    def _assignee(self, agent_id: int, role: str, resolved: bool) -> int | None:
        """Who holds the conversation: whoever answered it, for an open one four times in
        ten; an open one routed above its answerer's role waits for, or is held by, a
        person of that role (a legal threat is not in an agent's "Mine")."""
        if resolved:
            return agent_id
        if self.rng.random() >= 0.4:
            return None
        if agent_id in self.team.get(role, ()) or role == "agent" or role not in self.team:
            return agent_id
        return self.rng.choice(self.team[role])

    @staticmethod
    def _about(replies: tuple[str, ...], values: dict[str, str]) -> tuple[str, ...]:
        """The replies that name no product other than the thread's (all, if none is left)."""
        fitting = tuple(r for r in replies if (named := catalogue.named_product(r)) is None
                        or named[0] == values["product"])
        return fitting or replies

    def _fresh(self, pool: tuple[str, ...], said: set[str]) -> str:
        """A template of `pool` this thread has not used yet (any, once all are used)."""
        unused = [t for t in pool if t not in said] or list(pool)
        template = self.rng.choice(unused)
        said.add(template)
        return template

    def _values(self, person: _Person, agent: str, lang: str,
                named: tuple[str, int] | None = None) -> dict[str, str]:
        rng = self.rng
        product, price = named or rng.choice(catalogue.PRODUCTS)
        days = rng.randint(2, 9)
        return {
            "first_name": person.first_name, "agent": agent, "product": product,
            "price": f"{price} €" if lang == "fr" else f"€{price}",
            "order_no": f"LU-{rng.randint(10000, 99999)}",
            "delay": f"{days} jours" if lang == "fr" else f"{days} days",
            "city": rng.choice(catalogue.CITIES[lang]),
        }

    def _agent_login(self, agent_id: int) -> str:
        return catalogue.AGENTS[agent_id - 1][0]


_SAMPLE = {
    lang: {"first_name": "Alex", "agent": "Sam", "product": "Sidamo", "price": "18",
           "order_no": "LU-12345", "delay": "3", "city": "Lyon"}
    for lang in ("en", "fr")
}


def _ascii(name: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", name) if c.isalnum() and c.isascii())

