"""HubSpot CRM v3: one batch upsert of contacts by e-mail, then one note per lead.

E-mail is HubSpot's key for contacts, so the upsert (`idProperty=email`) is idempotent: a
retry finds the same contact. Notes are not: HubSpot has no idempotency key, so the contact
id and the note id are kept on the outbox row as soon as HubSpot returns them, and a retry
resumes after the last step that is known done. (A note whose creation timed out may still
have been created; that narrow case can leave a second copy of the transcript.)

A batch that HubSpot refuses as a whole (one bad address fails all) is retried contact by
contact, so one bad lead does not hold back the others. A 429 stops every HubSpot call of
this run; the rows wait out `Retry-After`.
"""

from __future__ import annotations

from datetime import datetime

import httpx
from sqlalchemy import Engine

from workstation.clock import Clock, iso

from . import outbox
from .config import HubSpotTarget
from .delivery import Item, finish
from .outcome import Outcome, of_exception, of_response
from .payload import LeadSnapshot, note_html

NOTE_TO_CONTACT = 202
"""HubSpot's association type id for note → contact."""


def deliver(engine: Engine, target: HubSpotTarget, items: list[Item], *,
            client: httpx.Client, clock: Clock) -> tuple[int, bool]:
    """Send the items; returns (how many were synced, whether HubSpot asked us to stop)."""
    for item in items:
        item.contact_id, item.note_id = item.row.remote_id, item.row.note_id
    auth = {"Authorization": f"Bearer {target.token}"}
    stopped = _upsert_all(engine, target, [i for i in items if not i.contact_id], client, auth,
                          clock)
    sent = 0
    for item in items:
        if item.outcome is None and not stopped and not item.note_id:
            item.outcome = _note(target, item, client, auth, clock())
            if item.outcome.kind == "ok":
                outbox.note_progress(engine, item.row.id, note_id=item.note_id, clock=clock)
            stopped = item.outcome.kind == "rate"
        if item.outcome is None and stopped:
            item.outcome = Outcome("rate", "HubSpot rate limit reached in this run")
        sent += finish(engine, item, clock)
    return sent, stopped


def _upsert_all(engine: Engine, target: HubSpotTarget, items: list[Item],
                client: httpx.Client, auth: dict[str, str], clock: Clock) -> bool:
    """Upsert contacts in batches of distinct e-mails; True when rate limited."""
    rest = items
    while rest:
        batch, rest, seen = [], [*rest], set()
        for item in list(rest):
            if item.lead.email not in seen and len(batch) < target.batch:
                seen.add(item.lead.email)
                batch.append(item)
                rest.remove(item)
        if _upsert(engine, target, batch, client, auth, clock):
            for item in rest:
                item.outcome = Outcome("rate", "HubSpot rate limit reached in this run")
            return True
    return False


def _upsert(engine: Engine, target: HubSpotTarget, batch: list[Item], client: httpx.Client,
            auth: dict[str, str], clock: Clock) -> bool:
    body = {"inputs": [{"idProperty": "email", "id": i.lead.email,
                        "properties": _properties(i.lead),
                        "objectWriteTraceId": i.row.delivery_id} for i in batch]}
    try:
        response = client.post(f"{target.base_url}/crm/v3/objects/contacts/batch/upsert",
                               json=body, headers=auth)
    except httpx.HTTPError as exc:
        outcome = of_exception(exc)
    else:
        outcome = of_response(response)
        if outcome.kind == "ok":
            _take_ids(engine, batch, response, clock)
            return False
    if outcome.kind == "fail" and outcome.status in (400, 409, 422) and len(batch) > 1:
        # One bad address fails the whole batch: find it by sending them one by one (a
        # refused token, 401/403, would fail each the same way: not worth the calls).
        return any(_upsert(engine, target, [i], client, auth, clock) for i in batch)
    for item in batch:
        item.outcome = outcome
    return outcome.kind == "rate"


def _take_ids(engine: Engine, batch: list[Item], response: httpx.Response,
              clock: Clock) -> None:
    try:
        data = response.json()
    except ValueError:
        data = {}
    results = data.get("results", []) if isinstance(data, dict) else []
    by_email = {}
    for result in results if isinstance(results, list) else []:
        if isinstance(result, dict) and result.get("id"):
            email = str((result.get("properties") or {}).get("email", "")).lower()
            by_email[email] = str(result["id"])
    if len(batch) == 1 and len(by_email) == 1:
        by_email = {batch[0].lead.email: next(iter(by_email.values()))}
    for item in batch:
        contact = by_email.get(item.lead.email)
        if contact is None:
            item.outcome = Outcome("fail", "HubSpot returned no contact for this e-mail")
            continue
        item.contact_id = contact
        outbox.note_progress(engine, item.row.id, remote_id=contact, clock=clock)


def _note(target: HubSpotTarget, item: Item, client: httpx.Client, auth: dict[str, str],
          now: datetime) -> Outcome:
    body = {"properties": {"hs_timestamp": iso(now),
                           "hs_note_body": note_html(item.lead, item.messages, item.omitted)},
            "associations": [{"to": {"id": item.contact_id},
                              "types": [{"associationCategory": "HUBSPOT_DEFINED",
                                         "associationTypeId": NOTE_TO_CONTACT}]}]}
    try:
        response = client.post(f"{target.base_url}/crm/v3/objects/notes", json=body,
                               headers=auth)
    except httpx.HTTPError as exc:
        return of_exception(exc)
    outcome = of_response(response)
    if outcome.kind == "ok":
        try:
            item.note_id = str(response.json().get("id", ""))
        except (ValueError, AttributeError):
            item.note_id = ""
        if not item.note_id:
            return Outcome("retry", "HubSpot created a note but returned no id")
    return outcome


def _properties(lead: LeadSnapshot) -> dict[str, str]:
    """Standard contact properties only (a custom one would fail on portals without it);
    empty values are left out so a push never blanks what a salesperson typed."""
    first, _, last = lead.name.strip().partition(" ")
    values = {"email": lead.email, "firstname": first, "lastname": last.strip(),
              "phone": lead.phone}
    return {k: v for k, v in values.items() if v}
