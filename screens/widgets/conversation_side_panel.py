"""The side panel of a conversation: who the customer is and where the thread stands.

Contact (followers, VIP, banned, past conversations), lead stage, UGC rights, tags, the SLA
timer, routing and escalation, assignee and who is viewing, and the team's internal notes. One
`Static` of assembled `Content`; nothing in it is markup.
"""

from __future__ import annotations

from datetime import datetime

from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.widgets import Static

from workstation.services.conversation_view import ConversationView
from workstation.services.leads import LeadPanel, answer_text
from workstation.services.ugc_rights import UgcRight
from workstation.text import inert

from . import conversation_format as fmt


class PanelBody(Static):
    """The panel's text: a Static whose new height takes one layout pass, not two.

    Textual's `Widget._size_updated` sets the reactive `virtual_size` during a layout, which
    asks for a second layout of the whole screen on the next frame, although this widget's
    place is already settled by the first (it has no children and does not scroll).
    """

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size,
                      layout: bool = True) -> bool:
        return super()._size_updated(size, virtual_size, container_size, layout=False)


class ConversationSidePanel(VerticalScroll, can_focus=False):
    """Contact, lead, tags, SLA, escalation and notes of the open conversation."""

    DEFAULT_CSS = """
    ConversationSidePanel {
        width: 32;
        height: 1fr;
        padding: 0 1;
        border-left: vkey $foreground 15%;
        background: $surface;
        & > Static { width: 1fr; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self._body = PanelBody("", markup=False)
        self._shown: tuple[str, tuple[object, ...]] | None = None
        """The text and styles shown (`Content` compares its text alone)."""
        self._height: int | None = None
        """How many lines that text took at the panel's width."""

    def compose(self):  # type: ignore[no-untyped-def]
        yield self._body

    def show(self, view: ConversationView, now: datetime) -> None:
        """Repaint from a conversation's read model (nothing to do if it reads the same)."""
        content = panel(view, now)
        # The conversation is read again every two seconds, and an update lays the whole
        # screen out: skipped when nothing changed, and when the text keeps its height.
        shown = (content.plain, tuple(content.spans))
        if shown == self._shown:
            return
        width = self._body.content_region.width
        height = content.get_height(self._body.styles, width) if width else None
        same_height = height is not None and height == self._height
        self._shown, self._height = shown, height
        self._body.update(content, layout=not same_height)

    def clear(self) -> None:
        """Show nothing (another conversation is being read)."""
        if self._shown is not None:
            self._shown, self._height = None, None
            self._body.update("")


def _title(text: str) -> Content:
    return Content.assemble((text, "bold $accent"))


def panel(view: ConversationView, now: datetime) -> Content:
    """The side panel's content for `view` at `now`."""
    lines: list[Content] = []
    contact = view.contact
    if contact is None:
        lines.append(Content.assemble(("unknown author", "dim")))
    else:
        badges: list[str | tuple[str, str]] = [(inert(contact.label, limit=28), "bold")]
        if contact.vip:
            badges.append((" ★VIP", "bold $warning"))
        if contact.verified:
            badges.append((" ✓", "$accent"))
        if contact.banned:
            badges.append((" BANNED", "bold reverse $error"))
        lines.append(Content.assemble(*badges))
        if contact.name and contact.handle:
            lines.append(fmt.safe(contact.name, limit=40))
        lines.append(Content.assemble((f"{contact.followers:,} followers · "
                                       f"{fmt.platform_name(contact.platform)}", "dim")))
        lines.append(Content.assemble((f"first seen {fmt.local(contact.first_seen)}", "dim")))
        if contact.past_total:
            lines.append(Content.assemble((f"{contact.past_total} other conversation"
                                           f"{'s' if contact.past_total > 1 else ''}", "")))
            for past in contact.past:
                state = past.resolution_code or past.status
                lines.append(Content.assemble(
                    (f" #{past.id} {state} ", "dim"), inert(past.last_text, limit=40)))
    lines.append(Content(""))
    lines.append(Content.assemble(_title("SLA "), fmt.sla(view.sla_due_at, now,
                                                         status=view.status)))
    if view.sla_policy:
        lines.append(Content.assemble((f"policy {inert(view.sla_policy, limit=20)}", "dim")))
    if view.status == "snoozed":
        until = fmt.local(view.snoozed_until) if view.snoozed_until else "the customer replies"
        lines.append(Content.assemble(("snoozed until ", "$warning"), until))
    if view.resolution_code:
        lines.append(Content.assemble(("resolved: ", "$success"),
                                      inert(view.resolution_code, limit=24)))
    routed = Content.assemble(_title("Role "), inert(view.escalation.role, limit=16))
    if view.escalation.escalated:
        routed = routed.append(Content.assemble((" ESCALATED", "bold $error")))
    lines.append(routed)
    if view.escalation.escalated:
        by = view.escalation.by
        when = fmt.ago(view.escalation.at, now) if view.escalation.at else ""
        if by:
            lines.append(Content.assemble((f"by {inert(by, limit=20)} {when}", "dim")))
        if view.escalation.reason:
            lines.append(fmt.safe(view.escalation.reason, limit=200))
    lines.append(Content.assemble(_title("Assignee "),
                                  inert(view.assignee, limit=20) or ("nobody", "dim")))
    # The line is there even when nobody holds the conversation: the claim taken just after
    # the conversation is shown then changes a word, not the panel's height (which would
    # lay the screen out again, twice, in the middle of the open).
    if view.claim.holder:
        who = "you" if view.claim.mine else inert(view.claim.holder, limit=20)
        style = "$success" if view.claim.mine else "bold $warning"
        lines.append(Content.assemble(_title("Viewing "), (who, style)))
    else:
        lines.append(Content.assemble(_title("Viewing "), ("nobody", "dim")))
    if view.lead is not None:
        lines.extend(_lead(view.lead, now))
    if view.ugc is not None:
        lines.extend(_ugc(view.ugc, now))
    lines.append(Content.assemble(_title("Tags "), (" ".join(inert(t, limit=32)
                                                             for t in view.tags) or "none")))
    if view.intents:
        lines.append(Content.assemble(_title("Intents "),
                                      " ".join(inert(i, limit=24) for i in view.intents)))
    lines.append(Content(""))
    lines.append(_title(f"Notes ({len(view.notes)})"))
    for note in view.notes:
        lines.append(Content.assemble((f"{inert(note.author, limit=20)} · "
                                       f"{fmt.ago(note.created_at, now)}", "dim")))
        lines.append(fmt.safe(note.text, newlines=True, limit=600))
    if not view.notes:
        lines.append(Content.assemble(("n to add one", "dim")))
    return Content("\n").join(lines)


def _lead(panel: LeadPanel, now: datetime) -> list[Content]:
    """Stage and value, the qualifier's state and answers, CRM sync, codes and the next
    reminder."""
    lead = panel.lead
    value = f" · {lead.value:,.0f} €" if lead.value else ""
    lines = [Content.assemble(_title("Lead "), (inert(lead.stage, limit=16), "bold"), value)]
    if panel.flow:
        reason = f" ({inert(panel.flow_reason, limit=40)})" if panel.flow_reason else ""
        lines.append(Content.assemble(("  bot ", "dim"), inert(panel.flow_status, limit=16),
                                      (reason, "dim")))
    for key, answer in list(lead.answers.items())[:6]:
        lines.append(Content.assemble((f"  {inert(key, limit=16)} ", "dim"),
                                      inert(answer_text(answer), limit=60)))
    if lead.crm_state:
        crm = f"{lead.crm_state} #{lead.crm_id}" if lead.crm_id else lead.crm_state
        lines.append(Content.assemble(("  CRM ", "dim"), inert(crm, limit=40)))
    if lead.promo_codes:
        lines.append(Content.assemble(("  codes ", "dim"),
                                      " ".join(inert(c, limit=20) for c in lead.promo_codes)))
    if panel.next_reminder is not None:
        sent = f" ({panel.reminders_sent} sent)" if panel.reminders_sent else ""
        lines.append(Content.assemble(("  reminder ", "dim"), fmt.ago(panel.next_reminder, now),
                                      (sent, "dim")))
    return lines


_UGC_STYLE = {"requested": "$warning", "granted": "$success", "expired": "dim",
              "refused": "dim", "revoked": "bold $error"}


def _ugc(right: UgcRight, now: datetime) -> list[Content]:
    """Where the rights to reuse the customer's content stand, and what `u` can record."""
    status = Content.assemble(_title("UGC "), (right.status, _UGC_STYLE.get(right.status, "")))
    if right.status == "requested":
        lines = [status.append(Content.assemble((f" {fmt.ago(right.requested_at, now)}",
                                                  "dim"))),
                 Content.assemble(("  u to record their answer", "dim"))]
    elif right.status == "granted" and right.usage_until is not None:
        lines = [status.append(Content.assemble(
            (f" until {fmt.local(right.usage_until)}", "dim")))]
    elif right.status == "revoked" and right.revoked_at is not None:
        lines = [status.append(Content.assemble((f" {fmt.ago(right.revoked_at, now)}", "dim"))),
                 Content.assemble(("  take the content down", "$error"))]
    else:
        lines = [status]
    if right.credit and right.status in ("granted", "expired"):
        lines.append(Content.assemble(("  credit ", "dim"), inert(right.credit, limit=40)))
    if right.media:
        count, kind = len(right.media), inert(str(right.media[0].get("type") or "file"),
                                              limit=12)
        lines.append(Content.assemble((f"  {count} {kind}{'s' if count > 1 else ''} shared",
                                       "dim")))
    return lines
