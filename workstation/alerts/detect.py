"""Finding reputation trouble in the inbox: spikes, surges, influencers and keywords.

`scan` is what a scheduled job calls every few minutes (the workers run it; a test calls it
with a frozen clock). Spikes and surges compare the last window of customer messages with a
rolling baseline of same-length windows before it, counted per window and platform by one
grouped SQL statement over the message `created_at` index. Influencer mentions and keywords
look at each customer message once: a cursor (the `sync_cursor` row `alerts/messages`) keeps
the last message id read. Every alert has a `key` that makes raising it idempotent, is
written with its audit event in one transaction, and keeps the conversations behind it.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Integer, case, cast, func, select
from sqlalchemy.engine import Engine

from workstation import audit, db
from workstation.alerts.config import AlertConfig
from workstation.alerts.config import load as load_config
from workstation.clock import Clock, utcnow
from workstation.kpi_config import format_duration
from workstation.models import ActorKind, Alert, Contact, Conversation, Message, SyncCursor
from workstation.signals.lexicon import normalise
from workstation.sqltime import epoch, number, seconds

LINKED = 50
"""Conversations kept per alert (newest first); `details.conversations` has the full count."""
BATCH = 20_000
"""Messages read per scan for influencers and keywords; the rest wait for the next scan."""
_A = Alert.__table__  # type: ignore[attr-defined]
_M = Message.__table__.c  # type: ignore[attr-defined]
_C = Conversation.__table__.c  # type: ignore[attr-defined]
_K = Contact.__table__.c  # type: ignore[attr-defined]
_CURSOR = SyncCursor.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Candidate:
    """An alert found by a detector, not yet stored."""

    kind: str
    key: str
    scope: str
    severity: str
    title: str
    details: dict[str, Any]
    conversation_ids: list[int]
    window_start: datetime
    window_end: datetime


def scan(engine: Engine, *, clock: Clock = utcnow, config: AlertConfig | None = None,
         send: Callable[[Engine, AlertConfig, datetime], object] | None = None) -> list[int]:
    """Detect and store new alerts; returns their ids (oldest first).

    Args:
        engine: the store.
        clock: now; the windows end here.
        config: the `[alerts]` settings; rules.toml's in force when None.
        send: delivers pending alerts to the webhook after they are stored;
            `webhook.deliver` by default when a webhook is configured.
    """
    config = config or load_config()
    now = clock()
    found: list[Candidate] = []
    with db.read(engine) as conn:
        found += _spikes(conn, config, now)
    with db.write(engine) as conn:  # the cursor moves with the alerts it raised
        found += _per_message(conn, config, now)
        ids = _store(conn, config, found, now)
    if config.webhook is not None:
        from workstation.alerts.webhook import deliver

        (send or deliver)(engine, config, now)
    return ids


# -- spikes and surges ------------------------------------------------------------------------


def _spikes(conn: Connection, config: AlertConfig, now: datetime) -> list[Candidate]:
    width = config.window
    count = int(config.baseline / width)
    first = now - width * (count + 1)
    at = epoch(conn.dialect.name, _M.created_at)
    negative = case((_M.sentiment <= config.negative_below, 1), else_=0)
    # The window a message falls in, by arithmetic (a CASE tree over 168 windows costs more):
    # truncation is the floor here, as every message is after `first`.
    offset = (at - number(seconds(first))) / number(width.total_seconds())
    slot = (func.floor(offset) if conn.dialect.name == "postgresql"
            else cast(offset, Integer))
    rows = conn.execute(
        select(_M.platform, slot, func.count(), func.sum(negative))
        .where(_M.direction == "in", _M.created_at > first, _M.created_at <= now)
        .group_by(_M.platform, slot)
    ).all()
    per: dict[str, dict[int, tuple[int, int]]] = {"": {}}
    for platform, index, n, neg in rows:
        for scope in ("", platform):
            table = per.setdefault(scope, {})
            slot_at = min(int(index), count)  # a message at `now` exactly is in the window
            old = table.get(slot_at, (0, 0))
            table[slot_at] = (old[0] + int(n), old[1] + int(neg or 0))
    found = []
    window_start = now - width
    for scope, table in sorted(per.items()):
        current = table.get(count, (0, 0))
        history = [table.get(i, (0, 0)) for i in range(count)]
        volumes = [float(n) for n, _ in history]
        mean = statistics.fmean(volumes)
        spread = max(statistics.pstdev(volumes), mean ** 0.5, 1.0)
        limit = mean + config.sensitivity * spread
        if current[0] >= config.min_messages and current[0] > limit:
            found.append(_spike(conn, "volume_surge", scope, window_start, now, current[0],
                                mean, limit, spread, None))
        shares = [neg / n for n, neg in history if n]
        if shares and current[1] >= config.min_negative:
            share = current[1] / current[0]
            base = statistics.fmean(shares)
            spread_share = max(statistics.pstdev(shares), 0.02)
            limit_share = base + config.sensitivity * spread_share
            if share > limit_share:
                found.append(_spike(conn, "sentiment_spike", scope, window_start, now, share,
                                    base, limit_share, spread_share, config.negative_below))
    return [f for f in found if not _cooling(conn, f, config.cooldown, now)]


def _spike(conn: Connection, kind: str, scope: str, start: datetime, end: datetime,
           value: float, mean: float, limit: float, spread: float,
           negative_below: float | None) -> Candidate:
    where = [_M.direction == "in", _M.created_at > start, _M.created_at <= end]
    if scope:
        where.append(_M.platform == scope)
    if negative_below is not None:
        where.append(_M.sentiment <= negative_below)
    ids, total = _conversations(conn, where)
    z = (value - mean) / spread if spread else 0.0
    span = (end - start).total_seconds()
    severity = "critical" if value >= mean + 2 * (limit - mean) else "warning"
    on = f" on {scope}" if scope else ""
    if kind == "volume_surge":
        title = (f"Volume surge{on}: {int(value)} messages in {format_duration(span)} vs "
                 f"{mean:.1f} usual")
        details = {"messages": int(value), "baseline_mean": round(mean, 2)}
    else:
        title = (f"Negative sentiment spike{on}: {value:.0%} of messages negative vs "
                 f"{mean:.0%} usual")
        details = {"negative_share": round(value, 4), "baseline_share": round(mean, 4)}
    details |= {"threshold": round(limit, 4), "z": round(z, 2), "conversations": total}
    return Candidate(kind, f"{kind}:{scope}:{int(seconds(end))}", scope, severity, title,
                     details, ids, start, end)


def _cooling(conn: Connection, found: Candidate, cooldown: timedelta, now: datetime) -> bool:
    c = _A.c
    return conn.execute(select(c.id).where(
        c.kind == found.kind, c.scope == found.scope, c.raised_at > now - cooldown).limit(1)
    ).first() is not None


def _conversations(conn: Connection, where: list[Any]) -> tuple[list[int], int]:
    per_conversation = (select(_M.conversation_id, func.max(_M.created_at).label("last"))
                        .where(*where).group_by(_M.conversation_id).subquery())
    total = conn.execute(select(func.count()).select_from(per_conversation)).scalar_one()
    ids = conn.execute(select(per_conversation.c.conversation_id)
                       .order_by(per_conversation.c.last.desc()).limit(LINKED)).scalars().all()
    return [int(i) for i in ids], int(total)


# -- influencers and keywords -----------------------------------------------------------------


def _per_message(conn: Connection, config: AlertConfig, now: datetime) -> list[Candidate]:
    cursor = conn.execute(select(_CURSOR.c.position).where(
        _CURSOR.c.connector == "alerts", _CURSOR.c.stream == "messages")).scalar()
    where = [_M.direction == "in", _M.created_at <= now]
    if cursor:
        where.append(_M.id > int(cursor))
    else:  # the first scan looks back one window only, not at years of history
        where.append(_M.created_at > now - config.window)
    rows = conn.execute(
        select(_M.id, _M.conversation_id, _M.platform, _M.text, _M.created_at, _K.followers,
               _K.handle)
        .select_from(Message.__table__.outerjoin(  # type: ignore[attr-defined]
            Contact.__table__, _K.id == _M.contact_id))  # type: ignore[attr-defined]
        .where(*where).order_by(_M.id).limit(BATCH)
    ).all()
    if not rows:
        return []
    _move_cursor(conn, rows[-1].id, now)
    found: list[Candidate] = []
    influencers: dict[int, Any] = {}
    hits: dict[str, list[Any]] = {}
    for row in rows:
        if (row.followers or 0) >= config.influencer_followers:
            influencers.setdefault(row.conversation_id, row)
        if config.keywords and row.text:
            for label in {h.label for h in config.lexicon.find(normalise(row.text))}:
                hits.setdefault(label, []).append(row)
    for conv, row in influencers.items():
        found.append(Candidate(
            "influencer", f"influencer:{conv}", row.platform,
            "warning" if row.followers >= 10 * config.influencer_followers else "info",
            f"Influencer on {row.platform}: @{row.handle or '?'} ({row.followers:,} followers)",
            {"followers": int(row.followers), "handle": row.handle or "", "message_id": row.id},
            [int(conv)], row.created_at, row.created_at))
    for keyword, matched in sorted(hits.items()):
        convs = list(dict.fromkeys(r.conversation_id for r in reversed(matched)))
        found.append(Candidate(
            "keyword", f"keyword:{keyword}:{matched[-1].id}", keyword[:64], "warning",
            f"Keyword \u201c{keyword}\u201d in {len(matched)} message(s)",
            {"keyword": keyword, "messages": len(matched), "conversations": len(convs)},
            [int(c) for c in convs[:LINKED]], matched[0].created_at, matched[-1].created_at))
    return found


def _move_cursor(conn: Connection, last_id: int, now: datetime) -> None:
    c = _CURSOR.c
    moved = conn.execute(_CURSOR.update().where(c.connector == "alerts", c.stream == "messages")
                         .values(position=str(last_id), updated_at=now)).rowcount
    if not moved:
        conn.execute(_CURSOR.insert(), {"connector": "alerts", "stream": "messages",
                                        "position": str(last_id), "updated_at": now})


# -- storing ----------------------------------------------------------------------------------


def _store(conn: Connection, config: AlertConfig, found: list[Candidate],
           now: datetime) -> list[int]:
    ids = []
    state = "pending" if config.webhook is not None else ""
    for f in found:
        if conn.execute(select(_A.c.id).where(_A.c.key == f.key)).first() is not None:
            continue
        alert_id = int(conn.execute(_A.insert().returning(_A.c.id), {
            "kind": f.kind, "key": f.key, "scope": f.scope, "severity": f.severity,
            "title": f.title, "details": f.details, "conversation_ids": f.conversation_ids,
            "raised_at": now, "window_start": f.window_start, "window_end": f.window_end,
            "webhook_state": state, "webhook_attempts": 0,
        }).scalar_one())
        audit.record(conn, "alert.raised", actor="alerts", actor_kind=ActorKind.SYSTEM,
                     target_kind="alert", target_id=alert_id, at=now,
                     conversation_id=f.conversation_ids[0] if f.conversation_ids else None,
                     details={"kind": f.kind, "scope": f.scope, "severity": f.severity,
                              "title": f.title, "conversations": f.conversation_ids[:10]})
        ids.append(alert_id)
    return ids

