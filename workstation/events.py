"""The event contract (../shared/contracts/events.md): one JSON line in, one `Event` out.

Everything here is untrusted input. A line is either an `Event` whose strings are safe to
store on both engines (no NUL, no lone surrogates), or a `Rejected` with a one-line reason
that is safe to print on a terminal.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from .clock import to_utc
from .frozen import quick_init

KINDS = frozenset({"comment", "dm", "mention"})
DIRECTIONS = frozenset({"in", "out"})
MAX_ID = 255
FUTURE_TOLERANCE = timedelta(days=1)
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
_SLUG = re.compile(r"[a-z0-9][a-z0-9_.-]{0,31}")
_LANG = re.compile(r"([a-z]{2})(?:[-_][A-Za-z0-9]{2,8})*")
_KNOWN = frozenset(
    {"platform", "kind", "id", "thread", "parent", "direction", "author", "text", "created_at",
     "post", "lang"}
)


@quick_init
@dataclass(frozen=True, slots=True)
class Author:
    id: str
    handle: str = ""
    name: str = ""
    followers: int = 0
    verified: bool = False


@quick_init
@dataclass(frozen=True, slots=True)
class PostRef:
    id: str
    url: str = ""
    caption: str = ""
    campaign: str = ""


@quick_init
@dataclass(frozen=True, slots=True)
class Event:
    """A validated event, strings made storable, time in aware UTC."""

    platform: str
    kind: str
    id: str
    author: Author
    text: str
    created_at: datetime
    thread: str | None = None
    parent: str | None = None
    direction: str = "in"
    post: PostRef | None = None
    lang: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Rejected:
    """A line that could not be taken in: its number, its bytes and why."""

    line_no: int
    raw: bytes
    reason: str


class _Invalid(Exception):
    pass


def storable(text: str) -> str:
    """Replace what neither engine can store: NUL bytes and lone UTF-16 surrogates."""
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def _brief(value: Any) -> str:
    # repr() escapes control characters, so a reason is always one inert line.
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _str(obj: dict[str, Any], key: str, where: str, *, required: bool = False,
         clean: bool = False) -> str | None:
    value = obj.get(key)
    if value is None:
        if required:
            raise _Invalid(f"missing required field {where}{key}")
        return None
    if value.__class__ is not str and not isinstance(value, str):
        raise _Invalid(f"{where}{key} must be a string, got {type(value).__name__}")
    return value if clean else storable(value)


def _ident(obj: dict[str, Any], key: str, where: str, *, required: bool = False,
           clean: bool = False) -> str | None:
    value = _str(obj, key, where, required=required, clean=clean)
    if value is None:
        return None
    if not value.strip():
        raise _Invalid(f"{where}{key} is empty")
    if len(value) > MAX_ID:
        raise _Invalid(f"{where}{key} is longer than {MAX_ID} characters")
    return value


def _timestamp(raw: str, now: datetime) -> datetime:
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise _Invalid(f"created_at is not an RFC 3339 timestamp: {_brief(raw)}") from None
    if value.tzinfo is None:
        raise _Invalid(f"created_at has no time zone offset: {_brief(raw)}")
    value = to_utc(value)
    if value < EARLIEST:
        raise _Invalid(f"created_at is impossibly old: {_brief(raw)}")
    if value > now + FUTURE_TOLERANCE:
        raise _Invalid(f"created_at is in the future: {_brief(raw)}")
    return value


def _author(value: Any, clean: bool = False) -> Author:
    if value is None:
        raise _Invalid("missing required field author")
    if not isinstance(value, dict):
        raise _Invalid(f"author must be an object, got {type(value).__name__}")
    followers = value.get("followers")
    if followers is None:
        followers = 0
    elif isinstance(followers, bool) or not isinstance(followers, int):
        raise _Invalid(f"author.followers must be an integer, got {type(followers).__name__}")
    elif followers < 0:
        raise _Invalid("author.followers is negative")
    verified = value.get("verified")
    if verified is None:
        verified = False
    elif not isinstance(verified, bool):
        raise _Invalid(f"author.verified must be true or false, got {type(verified).__name__}")
    return Author(
        id=_ident(value, "id", "author.", required=True, clean=clean) or "",
        handle=_str(value, "handle", "author.", clean=clean) or "",
        name=_str(value, "name", "author.", clean=clean) or "",
        followers=followers,
        verified=verified,
    )


def _post(value: Any, clean: bool = False) -> PostRef | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _Invalid(f"post must be an object, got {type(value).__name__}")
    return PostRef(
        id=_ident(value, "id", "post.", required=True, clean=clean) or "",
        url=_str(value, "url", "post.", clean=clean) or "",
        caption=_str(value, "caption", "post.", clean=clean) or "",
        campaign=_str(value, "campaign", "post.", clean=clean) or "",
    )


def _validate(obj: Any, now: datetime, clean: bool = False) -> Event:
    """The event of a decoded line, or `_Invalid` naming the first problem.

    `clean`: the line had no `\\u` escape, so no string can hold a NUL or a lone surrogate
    (JSON only writes them escaped) and `storable` has nothing to do.
    """
    if not isinstance(obj, dict):
        raise _Invalid(f"expected a JSON object, got {type(obj).__name__}")
    platform = _ident(obj, "platform", "", required=True, clean=clean) or ""
    platform = platform.lower()
    if not _SLUG.fullmatch(platform):
        raise _Invalid(f"platform is not a lowercase slug: {_brief(platform)}")
    kind = _str(obj, "kind", "", required=True, clean=clean)
    if kind not in KINDS:
        raise _Invalid(f"kind must be one of comment, dm, mention; got {_brief(kind)}")
    direction = _str(obj, "direction", "", clean=clean) or "in"
    if direction not in DIRECTIONS:
        raise _Invalid(f"direction must be in or out; got {_brief(direction)}")
    text = _str(obj, "text", "", required=True, clean=clean)
    created = _str(obj, "created_at", "", required=True, clean=clean) or ""
    lang = _str(obj, "lang", "", clean=clean)
    if lang is not None:
        match = _LANG.fullmatch(lang.strip())
        if not match:
            raise _Invalid(f"lang is not an ISO 639-1 code: {_brief(lang)}")
        lang = match.group(1)
    extra = {} if _KNOWN.issuperset(obj) else {k: v for k, v in obj.items() if k not in _KNOWN}
    return Event(
        platform=platform,
        kind=kind,
        id=_ident(obj, "id", "", required=True, clean=clean) or "",
        author=_author(obj.get("author"), clean),
        text=text or "",
        created_at=_timestamp(created, now),
        thread=_ident(obj, "thread", "", clean=clean),
        parent=_ident(obj, "parent", "", clean=clean),
        direction=direction,
        post=_post(obj.get("post"), clean),
        lang=lang,
        extra=extra,
    )


def _name(value: Any) -> bool:
    """Whether `_ident` would take `value` as it is."""
    return value.__class__ is str and len(value) <= MAX_ID and bool(value.strip())


def _plain(value: Any) -> bool:
    """Whether an optional string field would be taken as it is."""
    return value is None or value.__class__ is str


def _common(obj: Any, now: datetime) -> Event | None:
    """The event of a line of the usual shape, in one pass without a call per field; None
    when anything is unusual (a missing field, another type, a `lang`): `_validate` then
    reads the line, and gives the same event or names the first problem. Only for lines
    without a `\\u` escape, whose strings need no `storable`."""
    if obj.__class__ is not dict:
        return None
    get = obj.get
    platform, kind, text, created = get("platform"), get("kind"), get("text"), get("created_at")
    author, post, direction = get("author"), get("post"), get("direction")
    if not (_name(platform) and kind.__class__ is str and kind in KINDS
            and text.__class__ is str and created.__class__ is str and "lang" not in obj
            and (direction is None or direction.__class__ is str and direction in DIRECTIONS)
            and _name(get("id")) and _plain(get("thread")) and _plain(get("parent"))
            and author.__class__ is dict and (post is None or post.__class__ is dict)):
        return None
    platform = platform.lower()
    thread, parent = get("thread"), get("parent")
    if not _SLUG.fullmatch(platform) or (thread is not None and not _name(thread)) or (
            parent is not None and not _name(parent)):
        return None
    followers, verified = author.get("followers"), author.get("verified")
    if not (_name(author.get("id")) and _plain(author.get("handle"))
            and _plain(author.get("name"))
            and (followers is None or followers.__class__ is int and followers >= 0)
            and (verified is None or verified.__class__ is bool)):
        return None
    if post is not None and not (_name(post.get("id")) and _plain(post.get("url"))
                                 and _plain(post.get("caption"))
                                 and _plain(post.get("campaign"))):
        return None
    return Event(
        platform=platform, kind=kind, id=get("id"),
        author=Author(id=author["id"], handle=author.get("handle") or "",
                      name=author.get("name") or "", followers=followers or 0,
                      verified=verified or False),
        text=text, created_at=_timestamp(created, now), thread=thread, parent=parent,
        direction=direction or "in",
        post=None if post is None else PostRef(
            id=post["id"], url=post.get("url") or "", caption=post.get("caption") or "",
            campaign=post.get("campaign") or ""),
        lang=None,
        extra={} if _KNOWN.issuperset(obj) else {k: v for k, v in obj.items() if k not in _KNOWN},
    )


def parse_line(raw: bytes, line_no: int, now: datetime) -> Event | Rejected | None:
    """Parse one line of an event file; None for a blank line.

    Args:
        raw: the line's bytes, with or without its newline.
        line_no: 1-based line number, for the reason.
        now: the current time, to refuse timestamps in the future.
    """
    body = raw.rstrip(b"\r\n")
    if not body.strip():
        return None
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Rejected(line_no, body, f"invalid UTF-8 at byte {exc.start + 1}")
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        return Rejected(line_no, body, f"not valid JSON: {exc.msg} (column {exc.colno})")
    except RecursionError:
        return Rejected(line_no, body, "not valid JSON: nested too deeply")
    try:
        clean = b"\\u" not in body
        return (_common(obj, now) if clean else None) or _validate(obj, now, clean)
    except _Invalid as exc:
        return Rejected(line_no, body, str(exc))
