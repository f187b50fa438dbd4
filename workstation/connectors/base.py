"""What every platform connector offers the workers, and how its failures are classified.

A connector is the only code that talks to a platform. The workers never see HTTP: they ask
a connector for new events after a checkpoint, hand it a reply or a moderation action, and
read the outcome as a value or as one of the errors below, whose class tells the worker
what to do next (wait, retry later, give up, or reconcile before any retry).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class Page:
    """One page of new events from a stream, and the checkpoint after it.

    `events` are dicts in the event contract (../shared/contracts/events.md), ready for
    `ingest`. `position` is the newest id or timestamp *fully processed*: a stream resumed
    from it never skips an event it did not return (it may return some again; ingest dedupes).
    `skipped` lists items of the page that could not be read, as one-line reasons.
    """

    events: list[dict[str, Any]]
    position: str
    skipped: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One outbox row as a connector needs it.

    `channel` is what to do: "public" (reply under `reply_to`), "dm" (a direct message in
    the thread of `reply_to` / `thread_key`), or a moderation action on the platform object
    `reply_to`: "hide", "unhide", "delete", "ban", "unban" (for ban/unban, `author_id`).
    `key` is the outbox idempotency key; connectors that can carry it (a client tag, a
    metadata field) do, so `find_sent` can recognise the reply later.
    """

    outbox_id: int
    channel: str
    platform: str
    kind: str
    thread_key: str
    reply_to: str
    author_id: str
    text: str
    key: str
    human_agent: bool = False
    """A human wrote it (Meta's HUMAN_AGENT tag may apply outside the 24-hour window)."""
    quick_replies: tuple[tuple[str, str], ...] = ()
    """Buttons the customer may tap instead of typing, as (title, payload): a DM's quick
    replies where the platform has them; written into the text as numbered options where
    it has not."""


def numbered(text: str, quick_replies: tuple[tuple[str, str], ...]) -> str:
    """A DM's text with its quick replies written out ("1) For home · 2) A gift"), for
    platforms without buttons; the text alone when there are none."""
    if not quick_replies:
        return text
    return text + "\n" + " · ".join(f"{i}) {title}"
                                    for i, (title, _) in enumerate(quick_replies, start=1))


class Connector(Protocol):
    """A platform's API, as the workers use it. Implementations: meta, x (and the sandbox
    speaks both)."""

    name: str
    """'meta' or 'x'; the key of its checkpoints and rate-limit state in the store."""

    def streams(self) -> list[str]:
        """The streams to poll, e.g. 'instagram:comments', 'messenger:dm', 'x:mentions'."""
        ...

    def poll(self, stream: str, position: str) -> Iterator[Page]:
        """Pages of events newer than `position`, oldest first, until caught up."""
        ...

    def send(self, item: Outgoing) -> str:
        """Post a reply or perform an action; the platform's id of what was created
        ('' for actions that create nothing)."""
        ...

    def find_sent(self, item: Outgoing) -> str | None:
        """After an unclear outcome: read the thread on the platform and return the id of
        this reply if it was posted, else None. Must not post anything."""
        ...

    def close(self) -> None:
        """Release the HTTP client."""
        ...


class ConnectorError(Exception):
    """A platform call failed. Subclasses say what the worker should do."""

    def __init__(self, message: str, *, status: int | None = None, code: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class RateLimited(ConnectorError):
    """Wait `retry_after` seconds before calling this token again; nothing was done."""

    def __init__(self, message: str, *, retry_after: float, status: int | None = None,
                 code: str = "") -> None:
        super().__init__(message, status=status, code=code)
        self.retry_after = retry_after


class Transient(ConnectorError):
    """Failed before anything was done (5xx with an error body, connection refused):
    retry later with backoff."""


class OutcomeUnknown(ConnectorError):
    """A write may or may not have happened (timeout, dropped connection after the request
    was sent): the outbox row goes to `unknown` and is reconciled with `find_sent` before any
    retry, because these platforms do not deduplicate sends."""


class Rejected(ConnectorError):
    """The platform refused for good (bad request, permission, outside the messaging
    window, deleted target): do not retry; the reason is shown to the agent."""


class Malformed(ConnectorError):
    """The platform answered with something we cannot read (bad JSON, missing fields)."""
