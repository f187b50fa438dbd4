"""UGC rights: ask a customer who shared the product for the right to reuse it, read the answer.

A share is an image or video attached to the message (`attachments`, kept as extra data), a
mention carrying `media`, or wording from flows.toml ("my photo", "ma photo", "check
out my"). The bot asks once per conversation, in private, saying for how long; the request
records where the content came from. The customer's yes or no (both languages, "no problem"
is a yes) is recorded through `services.ugc_rights`: a yes with the usage window and the
credit the creator asked for (an @handle, or the words after "credit me as" / "sous le nom"),
else their own handle. An unclear answer goes to a person (tag `ugc-review`). A creator who
later takes it back ("remove my photo", "je retire mon accord") has the right revoked at once
and a person is asked to take the content down (tag `ugc-revoked`).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from workstation import audit
from workstation.events import Event
from workstation.models import Message, Priority, UgcRightsRequest
from workstation.replies.templates import Registry
from workstation.services import ugc_rights
from workstation.services.ugc_rights import Origin

from . import outbound
from .config import FlowBook
from .words import MAX_CHARS, words

_M = Message.__table__.c  # type: ignore[attr-defined]
_U = UgcRightsRequest.__table__.c  # type: ignore[attr-defined]
_HANDLE = re.compile(r"(?<![\w@])@([A-Za-z0-9_](?:[A-Za-z0-9._]{0,28}[A-Za-z0-9_])?)")
"""An @handle in a customer's answer (Instagram's and X's alphabet). The pattern is ours;
customer text is only ever the subject of a match."""
_WORDS = re.compile(r"\w+")
_CREDIT_END = re.compile(r"[\n!?;,]")
_CREDIT_STRIP = " \t:-–—\"'«»“”‘’.()"
MAX_MEDIA = 10
"""Media kept per request: a carousel has at most ten."""
MAX_URL = 500
MAX_CREDIT_ASKED = 80


def origin(event: Event) -> Origin:
    """Where the shared content comes from: the platform, the message, its address and the
    media as the platform described them (only http(s) addresses are kept)."""
    handle = event.author.handle.lstrip("@")
    creator = f"@{handle}" if handle else event.author.name
    url = next((u for u in (_url(event.extra.get(k)) for k in ("permalink", "permalink_url",
                                                                "url")) if u), "")
    if not url and event.kind == "mention" and isinstance(event.extra.get("media"), dict):
        url = _url(event.extra["media"].get("permalink"))
    if not url and event.platform == "x" and event.kind == "mention" \
            and re.fullmatch(r"[A-Za-z0-9_]{1,15}", handle) and event.id.isdigit():
        url = f"https://x.com/{handle}/status/{event.id}"
    return Origin(event.platform, event.kind, event.id, url, _media(event), creator)


def _media(event: Event) -> tuple[dict[str, str], ...]:
    keys = ("attachments", "attachment", "media") if event.kind == "mention" else (
        "attachments", "attachment")
    found: list[dict[str, str]] = []
    for key in keys:
        value = event.extra.get(key)
        for item in value if isinstance(value, list) else [value] if value else []:
            if isinstance(item, str):
                found.append({"type": item[:32], "id": "", "url": ""})
            elif isinstance(item, dict):
                payload = item.get("payload") if isinstance(item.get("payload"), dict) else {}
                found.append({
                    "type": str(item.get("type") or item.get("media_type") or
                                item.get("media_product_type") or "")[:32].lower(),
                    "id": str(item.get("id") or item.get("media_id") or "")[:100],
                    "url": _url(item.get("url") or item.get("media_url") or payload.get("url")
                                or item.get("permalink")),
                })
    return tuple(found[:MAX_MEDIA])


def _url(value: Any) -> str:
    """An address from a platform, kept when it is plain http(s) and of a sane length."""
    if not isinstance(value, str) or len(value) > MAX_URL:
        return ""
    if not value.startswith(("https://", "http://")) or any(
            c.isspace() or ord(c) < 32 or ord(c) == 127 for c in value):
        return ""
    return value


def read_answer(book: FlowBook, folded: str) -> str:
    """yes, no, or unclear; the longest phrase found wins ("no problem" is a yes)."""
    found = [(len(p.split()), answer) for phrases, answer in ((book.ugc_yes, "yes"),
                                                              (book.ugc_no, "no"))
             for p in phrases.phrases if f" {p} " in folded]
    if not found:
        return "unclear"
    best = max(n for n, _ in found)
    answers = {a for n, a in found if n == best}
    return answers.pop() if len(answers) == 1 else "unclear"


def credit_asked(book: FlowBook, text: str) -> tuple[str, str]:
    """The credit a yes asks for, and the rest of the answer (read for the yes or no).

    An @handle anywhere wins; else the words after one of flows.toml's `[ugc] credit`
    phrases, up to the end of the clause ("credit me as Léa M. Photo, thanks" gives
    "Léa M. Photo"), when they start like a name (a capital or a digit). ('', text) when the
    answer asks for nothing.
    """
    text = text[:MAX_CHARS]
    handle = _HANDLE.search(text)
    if handle is not None:
        return "@" + handle.group(1), text[:handle.start()] + " " + text[handle.end():]
    phrase = book.ugc_credit.find(words(text))
    if phrase is None:
        return "", text
    wanted = phrase.split()
    tokens = [(m, words(m.group()).split()) for m in _WORDS.finditer(text)]
    flat = [(m, w) for m, parts in tokens for w in parts]
    for i in range(len(flat) - len(wanted) + 1):
        if [w for _, w in flat[i:i + len(wanted)]] != wanted:
            continue
        start, end = flat[i][0].start(), flat[i + len(wanted) - 1][0].end()
        rest = text[end:]
        cut = _CREDIT_END.search(rest)
        asked = (rest[:cut.start()] if cut else rest).strip(_CREDIT_STRIP)
        if sum(c.isalpha() for c in asked) >= 2 and (asked[0].isupper() or asked[0].isdigit()):
            return asked[:MAX_CREDIT_ASKED], text[:start]
        return "", text
    return "", text


def usage_period(months: int, lang: str) -> str:
    """The usage window in words for the request ("12 months", "1 an")."""
    if months % 12 == 0:
        years = months // 12
        if lang == "fr":
            return f"{years} an" if years == 1 else f"{years} ans"
        return f"{years} year" if years == 1 else f"{years} years"
    if lang == "fr":
        return f"{months} mois"
    return f"{months} month" if months == 1 else f"{months} months"


def request(conn: Connection, book: FlowBook, conversation_id: int, event: Event, *,
            lang: str, now: datetime, registry: Registry | None = None) -> bool:
    """Ask for the rights once per conversation; whether a request was made."""
    asked = conn.execute(select(_U.id).where(_U.conversation_id == conversation_id)).first()
    if asked is not None:
        return False
    message = conn.execute(select(_M.id).where(_M.platform == event.platform,
                                               _M.external_id == event.id)).scalar()
    sent = outbound.send_template(
        conn, conversation_id, book.ugc_template, lang=lang,
        key=f"ugc:{event.platform}:{event.id}"[:128], now=now, registry=registry,
        values={"usage_period": usage_period(book.ugc_usage_months, lang)})
    if not sent:
        return False
    ugc_rights.request_conn(conn, conversation_id, message, origin(event), now=now)
    return True


def pending(conn: Connection, conversations: set[int], contacts: set[int], *,
            now: datetime) -> list[Any]:
    """Rights a message of these conversations or people may answer or withdraw."""
    return ugc_rights.open_requests(conn, conversations, contacts, now=now)


def answer(conn: Connection, book: FlowBook, request_row: Any, conversation_id: int,
           folded: str, *, now: datetime, text: str | None = None) -> bool:
    """Read a customer message against a right; whether the message was about it.

    A request waiting for an answer takes the message: yes (granted, with the credit asked
    and the usage window), no (refused, as is a withdrawal before any yes), or unclear (a
    person reads it). A grant in force only takes a message that withdraws it.
    """
    where = {"target_kind": "ugc_rights_request", "target_id": request_row.id,
             "conversation_id": conversation_id, "at": now}
    if request_row.state == "granted":
        word = book.ugc_withdraw.find(folded)
        if word is None:
            return False
        ugc_rights.revoke_conn(conn, request_row.id, now=now,
                               reason=f"the creator wrote {word!r}")
        outbound.route(conn, conversation_id, role="agent", reason="UGC consent withdrawn",
                       tag="ugc-revoked", now=now, priority=Priority.HIGH, escalate=False,
                       auto_assign=frozenset())
        return True
    credit, rest = credit_asked(book, text) if text is not None else ("", "")
    said = read_answer(book, words(rest) if credit else folded)
    if said == "unclear" and book.ugc_withdraw.find(folded):
        said = "no"
    if said == "unclear":
        outbound.route(conn, conversation_id, role="agent", reason="UGC answer unclear",
                       tag="ugc-review", now=now, priority=Priority.NORMAL, escalate=False,
                       auto_assign=frozenset())
        audit.record(conn, "ugc.unclear", **outbound.BOT, **where, details={})
    elif said == "yes":
        ugc_rights.grant_conn(conn, request_row.id, now=now, months=book.ugc_usage_months,
                              credit=credit)
    else:
        ugc_rights.refuse_conn(conn, request_row.id, now=now)
    return True
